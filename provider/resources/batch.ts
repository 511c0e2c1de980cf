/**
 * Coalesces single reads into batch calls. A `pulumi refresh` of many resources of one kind calls `read`
 * for each of them concurrently in one provider process; the APIs can answer many ids per call
 * (DescribeOriginGroup: 20 ids per filter; DescribeSecurityIPGroup: a GroupIds list). Each `load` waits a
 * short window for company, then one call serves the whole batch. A single read costs one call, as before.
 */
export interface CoalescerOptions {
  /** ids per batch call */
  maxBatch: number;
  /** how long the first read of a batch waits for others, ms */
  windowMs: number;
}

interface Pending<V> {
  ids: Map<string, Array<{ resolve(v: V | undefined): void; reject(e: unknown): void }>>;
  timer: NodeJS.Timeout;
}

export class Coalescer<V> {
  private readonly pending = new Map<string, Pending<V>>();

  /** `fetchBatch(scope, ids)` returns what it found; ids missing from the map are gone. */
  constructor(
    private readonly fetchBatch: (scope: string, ids: string[]) => Promise<Map<string, V>>,
    private readonly opts: CoalescerOptions,
  ) {}

  load(scope: string, id: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      let batch = this.pending.get(scope);
      if (!batch) {
        batch = { ids: new Map(), timer: setTimeout(() => this.flush(scope), this.opts.windowMs) };
        this.pending.set(scope, batch);
      }
      const waiters = batch.ids.get(id) ?? [];
      waiters.push({ resolve, reject });
      batch.ids.set(id, waiters);
      if (batch.ids.size >= this.opts.maxBatch) this.flush(scope);
    });
  }

  private flush(scope: string): void {
    const batch = this.pending.get(scope);
    if (!batch) return;
    this.pending.delete(scope);
    clearTimeout(batch.timer);
    const ids = [...batch.ids.keys()];
    this.fetchBatch(scope, ids).then(
      (found) => {
        for (const [id, waiters] of batch.ids) for (const w of waiters) w.resolve(found.get(id));
      },
      (err) => {
        for (const waiters of batch.ids.values()) for (const w of waiters) w.reject(err);
      },
    );
  }
}
