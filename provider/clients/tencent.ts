import { DEFAULT_TIMEOUT_MS } from "./constants";
import { ApiError, TransportError } from "./errors";
import { acquireTurn, getRateLimitKey, getSharedRateLimiters, type RateLimiterRegistry } from "./rateLimiter";
import { getBodyExcerpt, redactSecrets } from "./redact";
import {
  findCodeRule,
  getTencentStatusRetryClass,
  getTransportVerdict,
  resolveRetryPolicy,
  runWithRetry,
  TENCENT_CODE_RULES,
  type RetryPolicy,
  type RetryVerdict,
} from "./retry";
import {
  HEADER_ACTION,
  HEADER_AUTHORIZATION,
  HEADER_CONTENT_TYPE,
  HEADER_HOST,
  HEADER_LANGUAGE,
  HEADER_REGION,
  HEADER_TIMESTAMP,
  HEADER_TOKEN,
  HEADER_VERSION,
  TC3_CONTENT_TYPE,
} from "./tc3/constants";
import { signTc3 } from "./tc3/sign";
import { getSharedTransport, withRetryAfter, type HttpResponse, type Transport } from "./transport";

export interface TencentCredentials {
  secretId: string;
  secretKey: string;
  token?: string;
}

export interface CallOptions {
  /**
   * Default: true, except actions starting with "Create" (false). A non-idempotent call is never retried
   * once the request may have reached the server (the caller then recovers by natural-key lookup).
   * Throttling answers (RequestLimitExceeded*) are always retried: the server refused them.
   */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** Epoch ms: no attempt starts and no backoff sleeps past it; a running attempt is cut short at it. */
  deadline?: number;
  /** Per-attempt timeout, default 30_000. */
  timeoutMs?: number;
}

export interface TencentClientOptions {
  /** Resolved per call, so rotated credentials are picked up. */
  credentials: () => TencentCredentials | Promise<TencentCredentials>;
  /** Root domain, default "tencentcloudapi.com"; "intl.tencentcloudapi.com" for the international site. */
  domain?: string;
  /** Base URL for every service, e.g. "http://127.0.0.1:8080" (the emulator). */
  endpoint?: string;
  /** Per-service base URL, e.g. { teo: "http://..." }; wins over `endpoint`. */
  endpoints?: Record<string, string>;
  /** Sent as X-TC-Region only when set: teo and organization do not need it. */
  region?: string;
  /** @default "en-US", so error messages are readable in logs written in English. */
  language?: "zh-CN" | "en-US";
  /** Epoch ms of the signing clock, for tests. */
  now?: () => number;
  retry?: Partial<RetryPolicy>;
  /** Retries and clock-skew corrections; never secrets. */
  log?: (message: string) => void;
  /** @internal tests pass their own to stay isolated; defaults to the process-wide pools. */
  transport?: Transport;
  /** @internal defaults to the process-wide registry keyed by (service, action). */
  rateLimiters?: RateLimiterRegistry;
}

export const DEFAULT_TENCENT_DOMAIN = "tencentcloudapi.com";
const DEFAULT_LANGUAGE = "en-US";
const SIGNATURE_EXPIRE = "AuthFailure.SignatureExpire";

/** `https://teo.tencentcloudapi.com` unless overridden. */
export const getTencentBaseUrl = (o: Pick<TencentClientOptions, "domain" | "endpoint" | "endpoints">, service: string): string =>
  o.endpoints?.[service] ?? o.endpoint ?? `https://${service}.${o.domain ?? DEFAULT_TENCENT_DOMAIN}`;

/** Creates are the only actions here whose repetition could duplicate a resource (the APIs have no client token). */
export const isIdempotentAction = (action: string): boolean => !action.startsWith("Create");

/** Server clock minus ours, from an HTTP `Date` header (1 s resolution: assume the middle of that second). */
export const getClockOffsetMs = (dateHeader: string | undefined, localNowMs: number): number | undefined => {
  const server = dateHeader ? Date.parse(dateHeader) : NaN;
  return Number.isNaN(server) ? undefined : server + 500 - localNowMs;
};

export class TencentClient {
  /** Added to `now()` when signing; learnt from `AuthFailure.SignatureExpire` answers. */
  private clockOffsetMs = 0;
  private readonly policy: RetryPolicy;
  private readonly now: () => number;

  constructor(private readonly opts: TencentClientOptions) {
    this.policy = resolveRetryPolicy(opts.retry);
    this.now = opts.now ?? Date.now;
  }

  /** Returns the `Response` object; throws ApiError for an error envelope, TransportError otherwise. */
  async call<T extends object = Record<string, any>>(
    service: string,
    version: string,
    action: string,
    params: object,
    callOpts: CallOptions = {},
  ): Promise<T & { RequestId: string }> {
    const credentials = await this.opts.credentials();
    const secrets = [credentials.secretKey, credentials.token, credentials.secretId];
    const log = this.opts.log && ((m: string) => this.opts.log!(redactSecrets(m, secrets)));
    const base = new URL(getTencentBaseUrl(this.opts, service));
    const body = JSON.stringify(params);
    const limiter = (this.opts.rateLimiters ?? getSharedRateLimiters()).get(getRateLimitKey(service, action));
    const transport = this.opts.transport ?? getSharedTransport();
    const meta = { service, action };

    const send = async (): Promise<HttpResponse> => {
      await acquireTurn(limiter, { ...meta, signal: callOpts.signal, deadline: callOpts.deadline });
      const timestamp = Math.floor((this.now() + this.clockOffsetMs) / 1000);
      // Sign exactly the Host header we send, port included (tencent-api3.md §5.3).
      const signedHeaders = { [HEADER_CONTENT_TYPE]: TC3_CONTENT_TYPE, [HEADER_HOST]: base.host };
      const signed = signTc3({ ...credentials, service, timestamp, signedHeaders, body });
      secrets.push(signed.signature);
      const headers: Record<string, string> = {
        ...signedHeaders,
        [HEADER_ACTION]: action,
        [HEADER_VERSION]: version,
        [HEADER_TIMESTAMP]: String(timestamp),
        [HEADER_LANGUAGE]: this.opts.language ?? DEFAULT_LANGUAGE,
        [HEADER_AUTHORIZATION]: signed.authorization,
      };
      if (this.opts.region) headers[HEADER_REGION] = this.opts.region;
      if (credentials.token) headers[HEADER_TOKEN] = credentials.token;
      return transport.send(
        { origin: base.origin, method: "POST", path: base.pathname, headers, body },
        { ...meta, timeoutMs: callOpts.timeoutMs ?? DEFAULT_TIMEOUT_MS, deadline: callOpts.deadline, signal: callOpts.signal },
      );
    };

    const attempt = async (): Promise<T & { RequestId: string }> => {
      let res = await send();
      let answer = parseTencentAnswer(res, withRetryAfter(meta, res), secrets);
      // The server refused a timestamp more than 5 minutes off its clock: learn the offset from its
      // Date header, keep it for later calls, and try once more. A refused call cannot have applied.
      if (answer instanceof ApiError && answer.apiCode === SIGNATURE_EXPIRE) {
        const offset = getClockOffsetMs(res.headers["date"], this.now());
        if (offset !== undefined) {
          this.clockOffsetMs = offset;
          log?.(`${action}: ${SIGNATURE_EXPIRE}; local clock is ${Math.round(-offset / 1000)} s off the server's, correcting and retrying`);
          res = await send();
          answer = parseTencentAnswer(res, withRetryAfter(meta, res), secrets);
        }
      }
      if (answer instanceof Error) throw answer;
      return answer as T & { RequestId: string };
    };

    return runWithRetry(attempt, this.policy, {
      ...meta,
      idempotent: callOpts.idempotent ?? isIdempotentAction(action),
      signal: callOpts.signal,
      deadline: callOpts.deadline,
      log,
      classify: (e) => getTencentVerdict(e, service),
    });
  }
}

/**
 * Every API outcome is HTTP 200 and the envelope decides (tencent-api3.md §8); any other status came from
 * something in front of the API and is a transport failure.
 */
export const parseTencentAnswer = (
  res: HttpResponse,
  meta: { service: string; action: string },
  secrets: readonly (string | undefined)[],
): Record<string, any> | ApiError | TransportError => {
  if (res.status !== 200) {
    return new TransportError(`HTTP ${res.status}: ${getBodyExcerpt(res.body, secrets)}`, {
      ...meta, mayHaveApplied: res.status >= 500, httpStatus: res.status,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    parsed = undefined;
  }
  const response = (parsed as { Response?: unknown } | undefined)?.Response;
  if (typeof response !== "object" || response === null) {
    return new TransportError(`answer is not an API 3.0 envelope: ${getBodyExcerpt(res.body, secrets)}`, {
      ...meta, mayHaveApplied: true, httpStatus: res.status,
    });
  }
  const r = response as { Error?: { Code?: unknown; Message?: unknown }; RequestId?: string };
  if (r.Error) {
    return new ApiError(String(r.Error.Code ?? "UnknownError"), redactSecrets(String(r.Error.Message ?? ""), secrets), {
      ...meta, requestId: r.RequestId, httpStatus: res.status,
    });
  }
  return r;
};

export const getTencentVerdict = (error: unknown, service: string): RetryVerdict => {
  if (error instanceof ApiError) {
    const rule = findCodeRule(TENCENT_CODE_RULES, service, error.apiCode);
    return { retry: rule?.retry ?? "never", reason: error.apiCode, mayHaveApplied: false };
  }
  if (error instanceof TransportError) return getTransportVerdict(error, getTencentStatusRetryClass);
  return { retry: "never", reason: "unexpected error", mayHaveApplied: false };
};
