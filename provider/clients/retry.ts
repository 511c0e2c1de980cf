import { ApiError, TransportError } from "./errors";

/**
 * How a failure may be retried:
 * - `always`: the server refused the call (throttled, busy, not sent at all), so a retry cannot duplicate it,
 *   even for a non-idempotent create;
 * - `idempotent`: the call may have reached the server; only idempotent calls are retried;
 * - `never`: retrying will not help (bad input, bad credentials, quota).
 */
export type RetryClass = "always" | "idempotent" | "never";

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** Ceiling of the first backoff; full jitter draws uniformly in [0, ceiling). */
  minDelayMs: number;
  /** Cap of the backoff ceiling, which doubles per retry. */
  maxDelayMs: number;
  /** No retry (nor backoff) starts later than this after the first attempt started. */
  maxElapsedMs: number;
  /** Uniform in [0, 1); injectable for tests. */
  random: () => number;
  /** Injectable for tests; must reject when `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Epoch ms; the clock that `deadline` and `maxElapsedMs` are measured against. */
  now: () => number;
}

export const sleepFor = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Defaults in plain view (tencent-api3.md §11; TF bounds writes at 5 min, we prefer failing within a minute). */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 6,
  minDelayMs: 200,
  maxDelayMs: 5_000,
  maxElapsedMs: 60_000,
  random: Math.random,
  sleep: sleepFor,
  now: Date.now,
});

export const resolveRetryPolicy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_RETRY_POLICY, ...defined };
};

/** Ceiling for the n-th retry (n ≥ 1): `min(maxDelay, minDelay · 2^(n-1))`. */
export const getBackoffCeiling = (retryNumber: number, policy: RetryPolicy): number =>
  Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.max(0, retryNumber - 1));

/** Full jitter: spreads simultaneous retries of many resources so they do not hit the limit together again. */
export const getBackoffDelay = (retryNumber: number, policy: RetryPolicy): number =>
  Math.floor(policy.random() * getBackoffCeiling(retryNumber, policy));

export const isRetryAllowed = (retryClass: RetryClass, idempotent: boolean): boolean =>
  retryClass === "always" || (retryClass === "idempotent" && idempotent);

/** One row of a retry table; `code` is a pattern where `*` matches any run of characters. */
export interface CodeRule {
  code: string;
  /** Only for this product (`teo`); all services when absent. */
  service?: string;
  retry: RetryClass;
  why: string;
}

export const matchesCodePattern = (code: string, pattern: string): boolean =>
  new RegExp("^" + pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$").test(code);

/** First matching rule wins; `undefined` when no rule matches. */
export const findCodeRule = (rules: readonly CodeRule[], service: string, code: string): CodeRule | undefined =>
  rules.find((r) => (r.service === undefined || r.service === service) && matchesCodePattern(code, r.code));

/**
 * Tencent API error codes (tencent-api3.md §9, §11). An error envelope means the action did not take
 * effect, so the codes retried here are retried for writes too (`always`): a throttled or "busy" create
 * was refused, and sending it again cannot create a second resource. Edit this table to change policy.
 */
export const TENCENT_CODE_RULES: readonly CodeRule[] = [
  { code: "RequestLimitExceeded*", retry: "always", why: "throttled: the server refused the call" },
  { code: "InvalidParameter.ActionInProgress", service: "teo", retry: "always", why: "another change to the zone is still running" },
  { code: "OperationDenied.*NotInOnline", service: "teo", retry: "always", why: "the zone or domain is not online yet" },
  { code: "ResourceUnavailable*", retry: "always", why: "resource temporarily unavailable" },
  { code: "ResourceInUse*", retry: "always", why: "resource busy with another operation" },
  { code: "ResourceBusy*", retry: "always", why: "resource busy with another operation" },
  // The Terraform provider stopped retrying InternalError: "when some product return this error, retry won't
  // fix anything". A persistent one is not fixed by our bounded retries either, but a transient one on a read is,
  // and a failed read is what strands an ambiguous create (its natural-key lookup). Creates are never resent.
  { code: "InternalError*", retry: "idempotent", why: "server-side fault: transient ones pass; creates are recovered by lookup instead" },
  { code: "AuthFailure.*", retry: "never", why: "credentials or permissions" },
  { code: "InvalidParameter*", retry: "never", why: "bad input" },
  { code: "MissingParameter", retry: "never", why: "bad input" },
  { code: "UnknownParameter", retry: "never", why: "bad input" },
  { code: "LimitExceeded*", retry: "never", why: "quota" },
];

/**
 * Huawei error codes (huawei-ga-endpoint-group.md §5–6); statuses are in {@link getHuaweiStatusRetryClass}.
 * GA.9004 (group not ACTIVE) is a refusal, so writes are retried too; peers that do not retry it fail
 * right after a create or update (peers.md #17).
 */
export const HUAWEI_CODE_RULES: readonly CodeRule[] = [
  { code: "GA.9004", retry: "always", why: "resource is not ACTIVE yet" },
  { code: "*.0301", retry: "never", why: "authentication failed" },
  { code: "*.0308", retry: "always", why: "throttled by the API gateway" },
];

/** Huawei statuses: 429 is a refusal; a 5xx may have come after the write was applied. */
export const getHuaweiStatusRetryClass = (status: number): RetryClass | undefined =>
  status === 429 ? "always" : status >= 500 ? "idempotent" : undefined;

/**
 * Statuses of a Tencent answer that is not HTTP 200 (every API outcome is 200, so these come from
 * proxies and gateways): a 5xx may have been forwarded, a 429 was refused, anything else is final.
 */
export const getTencentStatusRetryClass = (status: number): RetryClass =>
  status === 429 ? "always" : status >= 500 ? "idempotent" : "never";

export interface RetryVerdict {
  retry: RetryClass;
  /** For logs: short and free of secrets. */
  reason: string;
  /** Whether this attempt may have been applied by the server. */
  mayHaveApplied: boolean;
}

export interface RunOptions {
  service: string;
  action: string;
  idempotent: boolean;
  signal?: AbortSignal;
  /** Epoch ms: no attempt starts and no backoff sleeps past it. */
  deadline?: number;
  log?: (message: string) => void;
  classify: (error: unknown) => RetryVerdict;
}

export interface AttemptContext {
  /** 1-based. */
  attempt: number;
}

const cancelled = (o: RunOptions, mayHaveApplied: boolean, cause: unknown): TransportError =>
  new TransportError("cancelled", { service: o.service, action: o.action, mayHaveApplied }, { cause });

/**
 * Runs `attempt` until it succeeds or the failure is not retryable, attempts run out, or the next
 * backoff would end after `deadline` / `maxElapsedMs`. Throws the last failure, upgraded to
 * `mayHaveApplied: true` when an earlier attempt may have reached the server.
 */
export const runWithRetry = async <T>(
  attempt: (ctx: AttemptContext) => Promise<T>,
  policy: RetryPolicy,
  o: RunOptions,
): Promise<T> => {
  const start = policy.now();
  const retryUntil = Math.min(o.deadline ?? Infinity, start + policy.maxElapsedMs);
  let earlierMayHaveApplied = false;
  let answered: unknown; // the last failure a server gave, for when the deadline cuts the next attempt short
  for (let n = 1; ; n++) {
    if (o.signal?.aborted) throw cancelled(o, earlierMayHaveApplied, o.signal.reason);
    if (o.deadline !== undefined && policy.now() >= o.deadline && n === 1) {
      throw new TransportError("the deadline passed before the request was sent", {
        service: o.service, action: o.action, mayHaveApplied: false,
      });
    }
    let error: unknown;
    try {
      return await attempt({ attempt: n });
    } catch (e) {
      error = e;
    }
    if (o.signal?.aborted) throw withEarlierAttempts(error, earlierMayHaveApplied);
    const verdict = o.classify(error);
    // An attempt the deadline ended (in the rate limiter's queue, or in flight without reaching a server that
    // could apply it) tells less than the answer before it: the caller gets that answer.
    if (answered !== undefined && cutByDeadline(error, verdict) && (o.idempotent || !verdict.mayHaveApplied)) {
      throw withEarlierAttempts(answered, earlierMayHaveApplied);
    }
    if (!cutByDeadline(error, verdict)) answered = error;
    const final = withEarlierAttempts(error, earlierMayHaveApplied);
    earlierMayHaveApplied ||= verdict.mayHaveApplied;
    if (!isRetryAllowed(verdict.retry, o.idempotent)) throw final;
    if (n >= policy.maxAttempts) {
      o.log?.(`${o.action}: ${verdict.reason}; giving up after ${n} attempts`);
      throw final;
    }
    // The server's Retry-After replaces the backoff: it knows when it will answer again. One that ends past the
    // deadline ends the retries now instead of sleeping into a failure.
    const hinted = getRetryAfterHint(error);
    const delay = hinted ?? getBackoffDelay(n, policy);
    if (policy.now() + delay >= retryUntil) {
      const why = hinted === undefined ? "no time left for another attempt" : `Retry-After ${delay} ms ends past the deadline`;
      o.log?.(`${o.action}: ${verdict.reason}; giving up: ${why}`);
      throw final;
    }
    o.log?.(`${o.action}: ${verdict.reason}; retry ${n + 1}/${policy.maxAttempts} in ${delay} ms${hinted === undefined ? "" : " (Retry-After)"}`);
    try {
      await policy.sleep(delay, o.signal);
    } catch (e) {
      throw cancelled(o, earlierMayHaveApplied, e);
    }
  }
};

/** The server's `Retry-After` carried by an API or transport error, in ms. */
export const getRetryAfterHint = (error: unknown): number | undefined =>
  error instanceof ApiError ? error.retryAfterMs : error instanceof TransportError ? error.meta.retryAfterMs : undefined;

const cutByDeadline = (error: unknown, verdict: RetryVerdict): boolean =>
  error instanceof TransportError && (error.meta.byDeadline === true || verdict.reason === "rate limit wait past the deadline");

/** A "not sent" failure after an attempt that may have been applied is still ambiguous. */
const withEarlierAttempts = (error: unknown, earlierMayHaveApplied: boolean): unknown => {
  if (!earlierMayHaveApplied || !(error instanceof TransportError) || error.meta.mayHaveApplied) return error;
  const m = error.message.replace(/^.*? failed: /, "");
  return new TransportError(`${m} (an earlier attempt may have reached the server)`, { ...error.meta, mayHaveApplied: true }, { cause: error });
};

/** True for an API error of one of the listed codes; used by callers that branch on a specific answer. */
export const isApiErrorCode = (error: unknown, pattern: string): error is ApiError =>
  error instanceof ApiError && matchesCodePattern(error.apiCode, pattern);

/**
 * Verdict for a failure without an API answer. `statusClass` rates an HTTP status that had no parseable
 * envelope; a failure of the rate limiter's deadline check is final (the deadline will not move).
 */
export const getTransportVerdict = (error: TransportError, statusClass: (status: number) => RetryClass): RetryVerdict => {
  const { httpStatus, mayHaveApplied } = error.meta;
  if (error.cause instanceof Error && error.cause.name === "RateLimitDeadlineError") {
    return { retry: "never", reason: "rate limit wait past the deadline", mayHaveApplied: false };
  }
  // A success status whose body could not be used (not JSON, cut short): the call may have applied, and an
  // idempotent one is simply asked again; a create is recovered by its lookup instead.
  if (httpStatus !== undefined && httpStatus >= 200 && httpStatus < 300) {
    return { retry: "idempotent", reason: `HTTP ${httpStatus} with an unusable body`, mayHaveApplied: true };
  }
  if (httpStatus !== undefined) return { retry: statusClass(httpStatus), reason: `HTTP ${httpStatus}`, mayHaveApplied };
  return {
    retry: mayHaveApplied ? "idempotent" : "always",
    reason: mayHaveApplied ? "network failure after sending" : "network failure before sending",
    mayHaveApplied,
  };
};
