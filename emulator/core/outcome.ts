import type { EmulatorSettings, Env } from "./contract";
import type { EmulatorCredentials } from "./credentials";
import type { Fault, FaultKind, FaultRegistry } from "./faults";
import type { RateLimiter } from "./rateLimiter";

/** What a gateway decided; the server writes it and records the call. */
export type Outcome =
  | { type: "json"; status: number; body: unknown; headers?: Record<string, string>; errorCode?: string }
  | { type: "empty"; status: number; headers?: Record<string, string> }
  | { type: "raw"; status: number; body: string; contentType: string; headers?: Record<string, string> }
  /** announce `body`'s full length, send half of it, then destroy the socket */
  | { type: "truncated"; status: number; body: string; headers?: Record<string, string> }
  /** destroy the socket without answering */
  | { type: "drop" };

/** Filled in by a gateway as it learns more about the call (for the call log). */
export interface CallInfo {
  service: string;
  action: string;
  fault?: FaultKind;
}

export interface GatewayContext {
  env: Env;
  settings: EmulatorSettings;
  credentials: EmulatorCredentials;
  limiter: RateLimiter;
  faults: FaultRegistry;
  /** a handler ran (state may have changed): persistence hook */
  onApplied(): void;
  log(line: string): void;
}

export interface GatewayRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: Record<string, string>;
  body: Buffer;
  /** the body exceeded MAX_BODY_BYTES (then `body` is empty) */
  tooLarge: boolean;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The non-API body of an injected bare HTTP failure (what a load balancer in front of the API would answer). */
export function bareHttpOutcome(status: number): Outcome {
  return {
    type: "raw",
    status,
    contentType: "text/html",
    body: `<html><head><title>${status}</title></head><body><center><h1>${status}</h1></center><hr><center>edgeconf-emulator</center></body></html>\n`,
  };
}

/**
 * Draws the fault injected for this call (if any) and acts on the kinds that strike before the handler runs:
 * an API error (rendered by the gateway's own envelope), a bare HTTP failure, a dropped connection; latency only
 * delays. `drop-after` is left to the caller, which applies the request first.
 */
export async function drawFault(
  ctx: GatewayContext,
  info: CallInfo,
  service: string,
  action: string,
  apiError: (fault: Fault) => Outcome,
): Promise<{ fault?: Fault; early?: Outcome }> {
  const fault = ctx.faults.take(service, action);
  if (!fault) return {};
  info.fault = fault.kind;
  const retryAfter: Record<string, string> = fault.retryAfter === undefined ? {} : { "Retry-After": String(fault.retryAfter) };
  switch (fault.kind) {
    case "error": {
      const early = apiError(fault);
      return { fault, early: early.type === "json" ? { ...early, headers: { ...early.headers, ...retryAfter } } : early };
    }
    case "http":
      return { fault, early: { ...bareHttpOutcome(fault.status ?? 503), headers: retryAfter } as Outcome };
    case "drop-before":
      return { fault, early: { type: "drop" } };
    case "latency":
      await sleep(fault.latencyMs ?? 0);
  }
  return { fault };
}

/**
 * The faults that strike after the handler applied the call: the answer is lost (`drop-after`), its body is cut
 * to invalid JSON (`malformed`), or the connection closes halfway through it (`truncated`).
 */
export function afterHandler(fault: Fault | undefined, outcome: Outcome): Outcome {
  if (!fault) return outcome;
  const text = outcome.type === "json" ? JSON.stringify(outcome.body) : outcome.type === "raw" ? outcome.body : "";
  const status = outcome.type === "drop" || outcome.type === "empty" ? 200 : outcome.status;
  const headers = outcome.type === "drop" ? {} : outcome.headers;
  switch (fault.kind) {
    case "drop-after":
      return { type: "drop" };
    case "malformed":
      return { type: "raw", status, contentType: "application/json", headers, body: text.slice(0, Math.max(1, text.length >> 1)) || "{" };
    case "truncated":
      return { type: "truncated", status, headers, body: text || "{}" };
    default:
      return outcome;
  }
}
