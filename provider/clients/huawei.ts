import { DEFAULT_TIMEOUT_MS } from "./constants";
import { ApiError, TransportError } from "./errors";
import { getCanonicalQuery, getEncodedPath } from "./huawei/canonicalRequest";
import {
  AUTH_FAILURE_CODE_SUFFIX,
  HEADER_AUTH_TOKEN,
  HEADER_AUTHORIZATION,
  HEADER_CONTENT_TYPE,
  HEADER_HOST,
  HEADER_PROJECT_ID,
  HEADER_REQUEST_ID,
  HEADER_SDK_DATE,
  HEADER_SECURITY_TOKEN,
  HUAWEI_CONTENT_TYPE,
  SKEW_CORRECTION_THRESHOLD_MS,
} from "./huawei/constants";
import { getSdkDate, signHuawei } from "./huawei/sign";
import { acquireTurn, getRateLimitKey, getSharedRateLimiters, type RateLimiterRegistry } from "./rateLimiter";
import { getBodyExcerpt, redactSecrets } from "./redact";
import {
  findCodeRule,
  getHuaweiStatusRetryClass,
  getTransportVerdict,
  HUAWEI_CODE_RULES,
  resolveRetryPolicy,
  runWithRetry,
  type RetryPolicy,
  type RetryVerdict,
} from "./retry";
import { getClockOffsetMs, type CallOptions } from "./tencent";
import { getSharedTransport, withRetryAfter, type HttpResponse, type Transport } from "./transport";

export type HuaweiAuth =
  | { kind: "aksk"; accessKey: string; secretKey: string; projectId: string; securityToken?: string }
  | { kind: "token"; token: string; projectId?: string };

export interface HuaweiClientOptions {
  /** Resolved per call, so rotated credentials are picked up. */
  auth: () => HuaweiAuth | Promise<HuaweiAuth>;
  /** Base URL for every service; default `https://<service>.myhuaweicloud.com` (GA: https://ga.myhuaweicloud.com). */
  endpoint?: string;
  /** Per-service base URL; wins over `endpoint`. */
  endpoints?: Record<string, string>;
  /** Epoch ms of the signing clock, for tests. */
  now?: () => number;
  retry?: Partial<RetryPolicy>;
  log?: (message: string) => void;
  /** @internal */
  transport?: Transport;
  /** @internal */
  rateLimiters?: RateLimiterRegistry;
}

export type HuaweiMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface HuaweiRequestOptions extends CallOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** Serialised with JSON.stringify; `undefined` sends no body. */
  body?: unknown;
  /** Name for rate limiting, logs and errors, e.g. "CreateEndpointGroup". */
  action: string;
}

export interface HuaweiResponse<T> {
  status: number;
  body: T;
  requestId?: string;
}

export const getHuaweiBaseUrl = (o: Pick<HuaweiClientOptions, "endpoint" | "endpoints">, service: string): string =>
  o.endpoints?.[service] ?? o.endpoint ?? `https://${service}.myhuaweicloud.com`;

/** POST creates; PUT and DELETE name their target, so repeating them converges. */
export const isIdempotentMethod = (method: HuaweiMethod): boolean => method !== "POST";

export interface HuaweiErrorBody {
  code: string;
  message: string;
  requestId?: string;
}

const pickString = (o: Record<string, unknown>, names: readonly string[]): string | undefined => {
  for (const n of names) if (typeof o[n] === "string" || typeof o[n] === "number") return String(o[n]);
  return undefined;
};
const CODE_FIELDS = ["error_code", "code"] as const;
const MESSAGE_FIELDS = ["error_msg", "message", "error_message"] as const;

/**
 * The error shapes both SDKs accept (GO-SDK `sdkerr/errors.go`): flat `error_code`/`error_msg`, flat
 * `code`/`message`, or either one level down (`{"error":{"code","message"}}`).
 */
export const parseHuaweiErrorBody = (body: unknown): HuaweiErrorBody | undefined => {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const top = body as Record<string, unknown>;
  const requestId = pickString(top, ["request_id"]);
  const flat = pickString(top, CODE_FIELDS);
  if (flat !== undefined) return { code: flat, message: pickString(top, MESSAGE_FIELDS) ?? "", requestId };
  for (const value of Object.values(top)) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) continue;
    const inner = value as Record<string, unknown>;
    const code = pickString(inner, CODE_FIELDS);
    if (code !== undefined) {
      return { code, message: pickString(inner, MESSAGE_FIELDS) ?? "", requestId: requestId ?? pickString(inner, ["request_id"]) };
    }
  }
  return undefined;
};

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

export const parseHuaweiAnswer = (
  res: HttpResponse,
  meta: { service: string; action: string },
  secrets: readonly (string | undefined)[],
): HuaweiResponse<any> | ApiError | TransportError => {
  const json = parseJson(res.body);
  const bodyRequestId = json.ok ? pickString((json.value ?? {}) as Record<string, unknown>, ["request_id"]) : undefined;
  const requestId = res.headers[HEADER_REQUEST_ID.toLowerCase()] || bodyRequestId;
  if (res.status >= 200 && res.status < 300) {
    if (!json.ok) {
      return new TransportError(`HTTP ${res.status} with a body that is not JSON: ${getBodyExcerpt(res.body, secrets)}`, {
        ...meta, mayHaveApplied: true, httpStatus: res.status, requestId,
      });
    }
    return { status: res.status, body: json.value, requestId };
  }
  const envelope = json.ok ? parseHuaweiErrorBody(json.value) : undefined;
  if (envelope) {
    return new ApiError(envelope.code, redactSecrets(envelope.message, secrets), {
      ...meta, requestId: res.headers[HEADER_REQUEST_ID.toLowerCase()] || envelope.requestId, httpStatus: res.status,
    });
  }
  // No envelope: a gateway or proxy page. Throttling and 5xx stay transport failures so they are retried.
  if (res.status === 429 || res.status >= 500) {
    return new TransportError(`HTTP ${res.status}: ${getBodyExcerpt(res.body, secrets)}`, {
      ...meta, mayHaveApplied: res.status >= 500, httpStatus: res.status, requestId,
    });
  }
  return new ApiError(`HTTP.${res.status}`, getBodyExcerpt(res.body, secrets), { ...meta, requestId, httpStatus: res.status });
};

export const getHuaweiVerdict = (error: unknown, service: string): RetryVerdict => {
  if (error instanceof ApiError) {
    const rule = findCodeRule(HUAWEI_CODE_RULES, service, error.apiCode);
    const status = error.httpStatus ?? 0;
    return {
      retry: rule?.retry ?? getHuaweiStatusRetryClass(status) ?? "never",
      reason: `${error.apiCode} (HTTP ${status})`,
      // A 5xx envelope may come from a back end that applied the write before failing.
      mayHaveApplied: status >= 500,
    };
  }
  if (error instanceof TransportError) return getTransportVerdict(error, (s) => getHuaweiStatusRetryClass(s) ?? "never");
  return { retry: "never", reason: "unexpected error", mayHaveApplied: false };
};

const isAuthFailure = (e: unknown): e is ApiError =>
  e instanceof ApiError && e.httpStatus === 401 && e.apiCode.endsWith(AUTH_FAILURE_CODE_SUFFIX);

export class HuaweiClient {
  /** Added to `now()` for X-Sdk-Date; learnt from 401 `*.0301` answers whose Date is far from ours. */
  private clockOffsetMs = 0;
  private readonly policy: RetryPolicy;
  private readonly now: () => number;

  constructor(private readonly opts: HuaweiClientOptions) {
    this.policy = resolveRetryPolicy(opts.retry);
    this.now = opts.now ?? Date.now;
  }

  /** Resolves for 2xx (`body` undefined for an empty 204); throws ApiError or TransportError otherwise. */
  async request<T = any>(
    service: string,
    method: HuaweiMethod,
    path: string,
    o: HuaweiRequestOptions,
  ): Promise<HuaweiResponse<T>> {
    const auth = await this.opts.auth();
    const secrets = auth.kind === "aksk" ? [auth.secretKey, auth.securityToken, auth.accessKey] : [auth.token];
    const log = this.opts.log && ((m: string) => this.opts.log!(redactSecrets(m, secrets)));
    const base = new URL(getHuaweiBaseUrl(this.opts, service));
    const fullPath = base.pathname.replace(/\/+$/, "") + path;
    const query = getCanonicalQuery(o.query);
    const body = o.body === undefined ? undefined : JSON.stringify(o.body);
    const limiter = (this.opts.rateLimiters ?? getSharedRateLimiters()).get(getRateLimitKey(service, o.action));
    const transport = this.opts.transport ?? getSharedTransport();
    const meta = { service, action: o.action };

    const send = async (): Promise<HttpResponse> => {
      await acquireTurn(limiter, { ...meta, signal: o.signal, deadline: o.deadline });
      const headers: Record<string, string> = { [HEADER_HOST]: base.host };
      if (body !== undefined) headers[HEADER_CONTENT_TYPE] = HUAWEI_CONTENT_TYPE;
      if (auth.projectId) headers[HEADER_PROJECT_ID] = auth.projectId;
      if (auth.kind === "token") {
        headers[HEADER_AUTH_TOKEN] = auth.token;
      } else {
        headers[HEADER_SDK_DATE] = getSdkDate(this.now() + this.clockOffsetMs);
        if (auth.securityToken) headers[HEADER_SECURITY_TOKEN] = auth.securityToken;
        // Signs host, x-sdk-date, x-project-id and x-security-token; not content-type (GO-SDK rule).
        const signed = signHuawei({ ...auth, method, path: fullPath, query: o.query, headers, body });
        secrets.push(signed.signature);
        headers[HEADER_AUTHORIZATION] = signed.authorization;
      }
      return transport.send(
        { origin: base.origin, method, path: getEncodedPath(fullPath) + (query ? `?${query}` : ""), headers, body },
        { ...meta, timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS, deadline: o.deadline, signal: o.signal },
      );
    };

    const attempt = async (): Promise<HuaweiResponse<T>> => {
      let res = await send();
      let answer = parseHuaweiAnswer(res, withRetryAfter(meta, res), secrets);
      // X-Sdk-Date more than 15 minutes off fails like a bad signature (401 *.0301). Only a server Date far
      // from ours makes it a clock problem; otherwise retrying would only count towards the AK lock-out.
      if (auth.kind === "aksk" && isAuthFailure(answer)) {
        const offset = getClockOffsetMs(res.headers["date"], this.now());
        if (offset !== undefined && Math.abs(offset - this.clockOffsetMs) > SKEW_CORRECTION_THRESHOLD_MS) {
          this.clockOffsetMs = offset;
          log?.(`${o.action}: ${answer.apiCode}; local clock is ${Math.round(-offset / 1000)} s off the server's, correcting and retrying`);
          res = await send();
          answer = parseHuaweiAnswer(res, withRetryAfter(meta, res), secrets);
        }
      }
      if (answer instanceof Error) throw answer;
      return answer as HuaweiResponse<T>;
    };

    return runWithRetry(attempt, this.policy, {
      ...meta,
      idempotent: o.idempotent ?? isIdempotentMethod(method),
      signal: o.signal,
      deadline: o.deadline,
      log,
      classify: (e) => getHuaweiVerdict(e, service),
    });
  }
}
