import { performance } from "node:perf_hooks";
import { TransportError } from "./errors";

export interface RateLimit {
  /** Grants per window. */
  limit: number;
  /** Window length. */
  intervalMs: number;
}

/**
 * 20 requests per second per action (tencent-api3.md §10). The window is a little longer than a second:
 * the server counts per wall-clock second on *arrival*, and scheduling and network jitter move arrivals
 * by a few milliseconds, which would otherwise let a 21st request land in the same second now and then.
 */
export const DEFAULT_RATE_LIMIT: Readonly<RateLimit> = Object.freeze({ limit: 20, intervalMs: 1_050 });

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Epoch ms: rejects at once if the turn would come after it. */
  deadline?: number;
}

/** Thrown when a turn would come after the caller's deadline; no request was sent. */
export class RateLimitDeadlineError extends Error {
  constructor(readonly waitMs: number) {
    super(`the rate limiter's next turn is ${Math.ceil(waitMs)} ms away, past the deadline`);
    this.name = "RateLimitDeadlineError";
  }
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
  cleanup: () => void;
  deadlineAt: number; // monotonic ms
}

/**
 * A token bucket whose tokens come back one window after they were spent, rather than continuously.
 * A continuously refilled bucket of burst B and rate R lets B + R calls into one second, which the
 * server counts as over the limit; this one lets bursts of `limit` through at once yet never more than
 * `limit` in any window, measured on the actual grant times. Callers are served first come, first served.
 */
export class RateLimiter {
  private readonly grants: number[] = [];
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly rate: RateLimit = DEFAULT_RATE_LIMIT,
    /** Monotonic ms; injectable for tests. */
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Resolves when the caller may send; rejects with the abort reason or a {@link RateLimitDeadlineError}. */
  acquire(opts: AcquireOptions = {}): Promise<void> {
    if (opts.signal?.aborted) return Promise.reject(opts.signal.reason);
    const now = this.clock();
    const deadlineAt = opts.deadline === undefined ? Infinity : now + (opts.deadline - Date.now());
    const estimate = this.estimateTurn(now, this.queue.length);
    if (estimate > deadlineAt) return Promise.reject(new RateLimitDeadlineError(estimate - now));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(opts.signal?.reason);
        this.pump();
      };
      const waiter: Waiter = {
        resolve, reject, deadlineAt,
        cleanup: () => opts.signal?.removeEventListener("abort", onAbort),
      };
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** When the waiter at `position` would be served if nobody cancels. */
  private estimateTurn(now: number, position: number): number {
    const { limit, intervalMs } = this.rate;
    const times = this.grants.slice(-limit);
    let turn = now;
    for (let i = 0; i <= position; i++) {
      turn = times.length < limit ? now : Math.max(now, times[times.length - limit] + intervalMs);
      times.push(turn);
    }
    return turn;
  }

  private pump(): void {
    const { limit, intervalMs } = this.rate;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.queue.length > 0) {
      const now = this.clock();
      if (this.grants.length > limit) this.grants.splice(0, this.grants.length - limit);
      const freeAt = this.grants.length < limit ? now : this.grants[0] + intervalMs;
      if (freeAt > now) {
        this.timer = setTimeout(() => this.pump(), Math.ceil(freeAt - now));
        return;
      }
      const waiter = this.queue.shift()!;
      waiter.cleanup();
      if (now > waiter.deadlineAt) {
        waiter.reject(new RateLimitDeadlineError(0));
        continue;
      }
      this.grants.push(now);
      waiter.resolve();
    }
  }
}

export const getRateLimitKey = (service: string, action: string): string => `${service}:${action}`;

/** One limiter per key, created on first use. */
export class RateLimiterRegistry {
  private readonly limiters = new Map<string, RateLimiter>();
  constructor(
    private readonly defaultRate: RateLimit = DEFAULT_RATE_LIMIT,
    /** Per-key exceptions, e.g. `{ "teo:DescribeOriginGroup": { limit: 10, intervalMs: 1_050 } }`. */
    private readonly overrides: Record<string, RateLimit> = {},
  ) {}

  get(key: string): RateLimiter {
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new RateLimiter(this.overrides[key] ?? this.defaultRate);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}

/**
 * Kept on `globalThis` so every resource in the provider process shares one limiter per action, even
 * when two copies of this module are loaded (the serialized stub loads the runtime by its own path).
 */
const SHARED_KEY = Symbol.for("pulumi-edgeconf.rateLimiters");

export const getSharedRateLimiters = (): RateLimiterRegistry => {
  const g = globalThis as { [SHARED_KEY]?: RateLimiterRegistry };
  return (g[SHARED_KEY] ??= new RateLimiterRegistry(getConfiguredRateLimit()));
};

/**
 * `EDGECONF_RATE_LIMIT` (a positive integer: grants per action per window, read when the shared registry is
 * first used) overrides the default 20 for the whole process. For accounts with a raised quota, and for the
 * benchmark, which scales the emulator's limit and ours together to keep runs short.
 */
export const getConfiguredRateLimit = (env: NodeJS.ProcessEnv = process.env): Readonly<RateLimit> => {
  const configured = Number(env.EDGECONF_RATE_LIMIT);
  return Number.isInteger(configured) && configured > 0 ? { ...DEFAULT_RATE_LIMIT, limit: configured } : DEFAULT_RATE_LIMIT;
};

/** Waits for a turn; a wait that cannot finish (deadline, cancel) is a TransportError: nothing was sent. */
export const acquireTurn = async (
  limiter: RateLimiter,
  o: { service: string; action: string; signal?: AbortSignal; deadline?: number },
): Promise<void> => {
  try {
    await limiter.acquire({ signal: o.signal, deadline: o.deadline });
  } catch (e) {
    const message = e instanceof RateLimitDeadlineError ? e.message : "cancelled while waiting for the rate limiter";
    throw new TransportError(message, { service: o.service, action: o.action, mayHaveApplied: false }, { cause: e });
  }
};
