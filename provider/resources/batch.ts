/**
 * Coalesces single reads into batch calls. A `pulumi refresh` of many resources of one kind calls `read`
 * for each of them concurrently in one provider process; the APIs can answer many ids per call
 * (DescribeOriginGroup: 20 ids per filter; DescribeSecurityIPGroup: a GroupIds list). A batch is sent when
 * it is full, or when no read has joined it for `windowMs`, or `maxWaitMs` after its first read, whichever
 * comes first. The window restarts on each arrival because the engine's reads reach the provider process
 * one gRPC request at a time, spread over the whole refresh: a fixed window from the first read cut 1000
 * reads into twice as many batches as needed. A single read costs one call, as before, `windowMs` later.
 *
 * While an earlier batch call is still in flight, a partial batch is held (and keeps filling) until the
 * calls in flight have settled: they queue on the same per-action rate limiter, so sending it sooner would
 * not answer sooner, only spend one more call of the limit.
 */
export interface CoalescerOptions {
  /** ids per batch call */
  maxBatch: number;
  /** how long a batch waits for the next read to join it, ms */
  windowMs: number;
  /** the longest the first read of a batch waits, ms; default 10 × windowMs */
  maxWaitMs?: number;
}

interface Pending<V> {
  ids: Map<string, Array<{ resolve(v: V | undefined): void; reject(e: unknown): void }>>;
  timer: NodeJS.Timeout;
  /** Date.now() of the first read */
  firstAt: number;
}

export class Coalescer<V> {
  private readonly pending = new Map<string, Pending<V>>();
  /** batch calls sent and not yet settled */
  private inFlight = 0;
  /** scopes whose partial batch is due but held while calls are in flight */
  private readonly due = new Set<string>();

  /** `fetchBatch(scope, ids)` returns what it found; ids missing from the map are gone. */
  constructor(
    private readonly fetchBatch: (scope: string, ids: string[]) => Promise<Map<string, V>>,
    private readonly opts: CoalescerOptions,
  ) {}

  load(scope: string, id: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      let batch = this.pending.get(scope);
      if (!batch) {
        batch = { ids: new Map(), timer: setTimeout(() => this.onTimer(scope), this.opts.windowMs), firstAt: Date.now() };
        this.pending.set(scope, batch);
      } else {
        clearTimeout(batch.timer);
        const left = batch.firstAt + (this.opts.maxWaitMs ?? 10 * this.opts.windowMs) - Date.now();
        batch.timer = setTimeout(() => this.onTimer(scope), Math.max(0, Math.min(this.opts.windowMs, left)));
      }
      const waiters = batch.ids.get(id) ?? [];
      waiters.push({ resolve, reject });
      batch.ids.set(id, waiters);
      if (batch.ids.size >= this.opts.maxBatch) this.flush(scope);
    });
  }

  private onTimer(scope: string): void {
    if (this.inFlight > 0) this.due.add(scope);
    else this.flush(scope);
  }

  private flush(scope: string): void {
    this.due.delete(scope);
    const batch = this.pending.get(scope);
    if (!batch) return;
    this.pending.delete(scope);
    clearTimeout(batch.timer);
    const ids = [...batch.ids.keys()];
    this.inFlight++;
    const settled = () => {
      this.inFlight--;
      if (this.inFlight === 0) for (const s of [...this.due]) this.flush(s);
    };
    this.fetchBatch(scope, ids).finally(settled).then(
      (found) => {
        for (const [id, waiters] of batch.ids) for (const w of waiters) w.resolve(found.get(id));
      },
      (err) => {
        for (const waiters of batch.ids.values()) for (const w of waiters) w.reject(err);
      },
    );
  }
}
