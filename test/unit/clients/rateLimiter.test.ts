import { describe, expect, it } from "vitest";
import { RateLimitDeadlineError, RateLimiter, RateLimiterRegistry, getSharedRateLimiters } from "../../../provider/clients/rateLimiter";

describe("RateLimiter", () => {
  it("lets a burst of `limit` through at once, then spaces the rest by the window", async () => {
    const limiter = new RateLimiter({ limit: 5, intervalMs: 300 });
    const t0 = performance.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 10 }, () => limiter.acquire().then(() => times.push(performance.now() - t0))));
    expect(times.slice(0, 5).every((t) => t < 100)).toBe(true);
    expect(times.slice(5).every((t) => t >= 295)).toBe(true);
  });

  it("rejects at once when the turn would come after the deadline", async () => {
    const limiter = new RateLimiter({ limit: 1, intervalMs: 10_000 });
    await limiter.acquire();
    const t0 = Date.now();
    await expect(limiter.acquire({ deadline: Date.now() + 500 })).rejects.toBeInstanceOf(RateLimitDeadlineError);
    expect(Date.now() - t0).toBeLessThan(200);
  });

  it("removes a cancelled waiter from the queue", async () => {
    const limiter = new RateLimiter({ limit: 1, intervalMs: 200 });
    await limiter.acquire();
    const ac = new AbortController();
    const cancelled = limiter.acquire({ signal: ac.signal });
    const next = limiter.acquire();
    ac.abort(new Error("stop"));
    await expect(cancelled).rejects.toThrow("stop");
    await expect(next).resolves.toBeUndefined();
  });

  it("shares one limiter per key in the process-wide registry", () => {
    expect(getSharedRateLimiters()).toBe(getSharedRateLimiters());
    expect(getSharedRateLimiters().get("teo:A")).toBe(getSharedRateLimiters().get("teo:A"));
    const r = new RateLimiterRegistry(undefined, { "teo:B": { limit: 3, intervalMs: 1_000 } });
    expect(r.get("teo:B").rate.limit).toBe(3);
    expect(r.get("teo:C").rate.limit).toBe(20);
  });
});
