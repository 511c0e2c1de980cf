/**
 * Test-side signers for hand-made (tampered, expired...) requests. Written from the reference documents
 * (tencent-api3.md §4, huawei-ga-endpoint-group.md §2.2), not imported from the emulator, so a test of the
 * emulator's verifier is not a test of the verifier against itself. The official SDK tests cover compatibility.
 */
import { createHash, createHmac } from "node:crypto";

const sha256hex = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");
const hmac = (k: string | Buffer, s: string) => createHmac("sha256", k).update(s).digest();

export interface Tc3Request {
  url: string;
  action: string;
  version: string;
  body: string;
  secretId: string;
  secretKey: string;
  /** epoch seconds */
  timestamp?: number;
  service?: string;
  token?: string;
  /** the host value signed; default = the URL's host (with port) */
  signedHost?: string;
  /** override the scope date */
  scopeDate?: string;
  contentType?: string;
  unsignedPayload?: boolean;
  /** sign the action header too (the DOC-SIG form) */
  signAction?: boolean;
  /** replace the body after signing */
  sendBody?: string;
  extraHeaders?: Record<string, string>;
  authorization?: string;
}

export function tc3Headers(r: Tc3Request): Record<string, string> {
  const ts = r.timestamp ?? Math.floor(Date.now() / 1000);
  const date = r.scopeDate ?? new Date(ts * 1000).toISOString().slice(0, 10);
  const service = r.service ?? "teo";
  const contentType = r.contentType ?? "application/json";
  const host = r.signedHost ?? new URL(r.url).host;
  let canonicalHeaders = `content-type:${contentType}\nhost:${host}\n`;
  let signedHeaders = "content-type;host";
  if (r.signAction) {
    canonicalHeaders += `x-tc-action:${r.action.toLowerCase()}\n`;
    signedHeaders += ";x-tc-action";
  }
  const payloadHash = r.unsignedPayload ? sha256hex("UNSIGNED-PAYLOAD") : sha256hex(r.body);
  const canonical = ["POST", "/", "", canonicalHeaders, signedHeaders, payloadHash].join("\n");
  const scope = `${date}/${service}/tc3_request`;
  const sts = ["TC3-HMAC-SHA256", String(ts), scope, sha256hex(canonical)].join("\n");
  const key = hmac(hmac(hmac("TC3" + r.secretKey, date), service), "tc3_request");
  const sig = createHmac("sha256", key).update(sts).digest("hex");
  const headers: Record<string, string> = {
    "Content-Type": contentType,
    "X-TC-Action": r.action,
    "X-TC-Version": r.version,
    "X-TC-Timestamp": String(ts),
    Authorization: r.authorization ?? `TC3-HMAC-SHA256 Credential=${r.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${sig}`,
    ...r.extraHeaders,
  };
  if (r.token !== undefined) headers["X-TC-Token"] = r.token;
  if (r.unsignedPayload) headers["X-TC-Content-SHA256"] = "UNSIGNED-PAYLOAD";
  return headers;
}

export async function tc3Call(r: Tc3Request): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(r.url, { method: "POST", headers: tc3Headers(r), body: r.sendBody ?? r.body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: parseOrText(text) };
}

const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());

export const sdkDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

export interface HwRequest {
  base: string;
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: string;
  ak: string;
  sk: string;
  projectId?: string;
  dateMs?: number;
  sendBody?: string;
}

/** Signs every header it sends (host included, as the Node SDK does). */
export async function hwCall(r: HwRequest): Promise<{ status: number; headers: Headers; json: any }> {
  const url = new URL(r.base + r.path);
  for (const [k, v] of Object.entries(r.query ?? {})) url.searchParams.set(k, v);
  const h: Record<string, string> = { host: url.host, "x-sdk-date": sdkDate(r.dateMs ?? Date.now()), "content-type": "application/json" };
  if (r.projectId !== undefined) h["x-project-id"] = r.projectId;
  const names = Object.keys(h).sort();
  let uri = r.path.split("/").map(enc).join("/");
  if (!uri.endsWith("/")) uri += "/";
  const q = Object.keys(r.query ?? {}).sort().map((k) => `${enc(k)}=${enc(r.query![k])}`).join("&");
  const canonical = [r.method, uri, q, names.map((n) => `${n}:${h[n]}\n`).join(""), names.join(";"), sha256hex(r.body ?? "")].join("\n");
  const sts = ["SDK-HMAC-SHA256", h["x-sdk-date"], sha256hex(canonical)].join("\n");
  const sig = createHmac("sha256", r.sk).update(sts).digest("hex");
  const { host: _host, ...send } = h;
  const res = await fetch(url, {
    method: r.method,
    headers: { ...send, Authorization: `SDK-HMAC-SHA256 Access=${r.ak}, SignedHeaders=${names.join(";")}, Signature=${sig}` },
    body: r.sendBody ?? r.body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: parseOrText(text) };
}

/** JSON when the body is JSON; the raw text otherwise (bare HTTP faults answer HTML). */
function parseOrText(text: string): any {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
