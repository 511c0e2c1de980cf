import type { Dispatcher, Pool } from "undici";
import {
  CONNECT_TIMEOUT_MS,
  KEEP_ALIVE_MAX_TIMEOUT_MS,
  KEEP_ALIVE_TIMEOUT_MS,
  MAX_RESPONSE_BYTES,
  POOL_CONNECTIONS,
} from "./constants";
import { TransportError } from "./errors";

export interface HttpRequest {
  /** `https://teo.tencentcloudapi.com`, `http://127.0.0.1:8080` */
  origin: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path and query, as sent. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  /** Lowercase names. */
  headers: Record<string, string>;
  body: string;
}

export interface SendOptions {
  service: string;
  action: string;
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Epoch ms; the attempt is cut short when it is reached. */
  deadline?: number;
  signal?: AbortSignal;
}

export interface TransportOptions {
  connections?: number;
  keepAliveTimeoutMs?: number;
}

type Stop = { why: "timeout" | "deadline" | "cancelled"; cause?: unknown };

/**
 * One undici Pool per origin with keep-alive; one call of {@link send} is one attempt.
 *
 * It tells apart a request that may have reached the server from one that certainly was not sent:
 * undici calls `onRequestStart` right before writing the request to a connected socket, so any failure
 * before it (connection refused, DNS, TLS, pool closed, cancelled or timed out while queued) is "not sent",
 * and a failure after it is "may have applied". A create is only ever retried in the first case.
 */
export class Transport {
  private readonly pools = new Map<string, Pool>();
  private closed = false;

  constructor(private readonly options: TransportOptions = {}) {}

  private poolFor(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      // undici is loaded on the first request, not with the runtime: about 130 ms of the provider process's
      // start-up that an operation making no API call (a no-change preview: check and diff) never needs.
      const { Pool } = require("undici") as typeof import("undici");
      pool = new Pool(origin, {
        connections: this.options.connections ?? POOL_CONNECTIONS,
        keepAliveTimeout: this.options.keepAliveTimeoutMs ?? KEEP_ALIVE_TIMEOUT_MS,
        keepAliveMaxTimeout: KEEP_ALIVE_MAX_TIMEOUT_MS,
        connect: { timeout: CONNECT_TIMEOUT_MS },
        pipelining: 1,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  send(req: HttpRequest, o: SendOptions): Promise<HttpResponse> {
    const fail = (message: string, mayHaveApplied: boolean, cause?: unknown, byDeadline = false) =>
      new TransportError(message, { service: o.service, action: o.action, mayHaveApplied, ...(byDeadline ? { byDeadline } : {}) }, cause === undefined ? undefined : { cause });
    if (this.closed) return Promise.reject(fail("the transport is closed", false));
    if (o.signal?.aborted) return Promise.reject(fail("cancelled", false, o.signal.reason));

    return new Promise<HttpResponse>((resolve, reject) => {
      let started = false;
      let settled = false;
      let stop: Stop | undefined;
      let controller: Dispatcher.DispatchController | undefined;
      let status = 0;
      let headers: Record<string, string> = {};
      const chunks: Buffer[] = [];
      let size = 0;

      const finish = (err: TransportError | undefined, res?: HttpResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        o.signal?.removeEventListener("abort", onAbort);
        if (err) reject(err);
        else resolve(res!);
      };
      const stopMessage = (s: Stop): string =>
        s.why === "timeout" ? `no answer within ${o.timeoutMs} ms` : s.why === "deadline" ? "the deadline passed during the request" : "cancelled";
      const halt = (s: Stop) => {
        if (settled || stop) return;
        stop = s;
        const error = new Error(stopMessage(s));
        // Before onRequestStart nothing was written; undici aborts the request as soon as it would start.
        if (controller) controller.abort(error);
        finish(fail(stopMessage(s), started, s.cause, s.why === "deadline"));
      };
      const onAbort = () => halt({ why: "cancelled", cause: o.signal?.reason });
      o.signal?.addEventListener("abort", onAbort, { once: true });

      const untilDeadline = o.deadline === undefined ? Infinity : o.deadline - Date.now();
      const byDeadline = untilDeadline < o.timeoutMs;
      const timer = setTimeout(() => halt({ why: byDeadline ? "deadline" : "timeout" }), Math.max(0, Math.min(o.timeoutMs, untilDeadline)));

      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(c) {
          controller = c;
          if (stop) c.abort(new Error(stopMessage(stop)));
          else started = true;
        },
        onResponseStart(_c, statusCode, responseHeaders) {
          status = statusCode;
          headers = Object.fromEntries(
            Object.entries(responseHeaders).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(", ") : String(v ?? "")]),
          );
        },
        onResponseData(c, chunk) {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            c.abort(new Error("response too large"));
            return;
          }
          chunks.push(chunk);
        },
        onResponseEnd() {
          finish(undefined, { status, headers, body: Buffer.concat(chunks).toString("utf8") });
        },
        onResponseError(_c, err) {
          if (stop) return; // already reported
          const code = (err as { code?: string }).code;
          const reason = size > MAX_RESPONSE_BYTES ? `response larger than ${MAX_RESPONSE_BYTES} bytes` : code ? `${code}: ${err.message}` : err.message;
          finish(fail(started ? `connection failed after the request was sent (${reason})` : `request not sent (${reason})`, started, err));
        },
      };

      try {
        this.poolFor(req.origin).dispatch(
          { origin: req.origin, path: req.path, method: req.method, headers: req.headers, body: req.body },
          handler,
        );
      } catch (err) {
        finish(fail(`request not sent (${(err as Error).message})`, false, err));
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.destroy()));
  }
}

/**
 * `Retry-After` in ms (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date measured against the answer's own `Date`
 * (a server whose clock is an hour off still means "in 30 s"). Undefined when absent or unreadable.
 */
export const getRetryAfterMs = (headers: Record<string, string>, localNowMs: number = Date.now()): number | undefined => {
  const value = headers["retry-after"]?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  const serverNow = headers["date"] ? Date.parse(headers["date"]) : NaN;
  return Math.max(0, at - (Number.isNaN(serverNow) ? localNowMs : serverNow));
};

/** The error metadata of an answer, with its `Retry-After` when it has one (errors built from it carry the hint). */
export const withRetryAfter = <M extends object>(meta: M, res: HttpResponse): M => {
  const retryAfterMs = getRetryAfterMs(res.headers);
  return retryAfterMs === undefined ? meta : { ...meta, retryAfterMs };
};

/** Process-wide, like the rate limiters, so every resource reuses the same keep-alive connections. */
const SHARED_KEY = Symbol.for("pulumi-edgeconf.transport");

export const getSharedTransport = (): Transport => {
  const g = globalThis as { [SHARED_KEY]?: Transport };
  if (!g[SHARED_KEY] || (g[SHARED_KEY] as unknown as { closed: boolean }).closed) g[SHARED_KEY] = new Transport();
  return g[SHARED_KEY]!;
};
