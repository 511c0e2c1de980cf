import type { IncomingMessage, ServerResponse } from "node:http";

export const BODY_TOO_LARGE = Symbol("body too large");

/** Reads the whole body; beyond `limit` bytes keeps draining (so we can still answer) and returns BODY_TOO_LARGE. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | typeof BODY_TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) tooLarge = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve(tooLarge ? BODY_TOO_LARGE : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Header values as single strings (repeated headers joined with ", ", as node does for most headers). */
export function headerValues(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

/** Writes a complete answer and returns the number of body bytes sent. */
export function sendBody(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
): number {
  const buf = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8");
  res.writeHead(status, { ...headers, "Content-Length": String(buf?.length ?? 0) });
  res.end(buf);
  return buf?.length ?? 0;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
export const isLoopback = (addr: string | undefined): boolean => addr !== undefined && LOOPBACK.has(addr);
