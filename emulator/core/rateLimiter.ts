/**
 * Per-(account, action) request counter per wall-clock second (tencent-api3.md §10: "20 requests per second for
 * this API", per account). Counted after authentication, as real gateways count authenticated calls: an
 * unsigned flood cannot lock a real account out. Refused calls count too, which is what makes the message say
 * `21`, `22`, ... for successive refusals in the same second.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { second: number; count: number }>();

  constructor(
    private readonly limit: () => number,
    private readonly now: () => number,
  ) {}

  /** Counts one call; returns the count in this second when it exceeds the limit, else undefined. */
  hit(account: string, action: string): { count: number; limit: number } | undefined {
    const limit = this.limit();
    if (!(limit > 0)) return undefined;
    const second = Math.floor(this.now() / 1000);
    const key = `${account}\u0000${action}`;
    let w = this.windows.get(key);
    if (!w || w.second !== second) {
      w = { second, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 10_000) this.prune(second);
    }
    w.count += 1;
    return w.count > limit ? { count: w.count, limit } : undefined;
  }

  clear(): void {
    this.windows.clear();
  }

  private prune(second: number): void {
    for (const [k, w] of this.windows) if (w.second !== second) this.windows.delete(k);
  }
}
