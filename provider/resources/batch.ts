/**
 * Reads served from scope-wide list snapshots, the way a Kubernetes informer serves `get` from its last list.
 *
 * A `pulumi refresh` reads every resource once, at whatever parallelism the engine uses (CPU × 4 by default;
 * 1 with `--parallel 1`). A scope (an EdgeOne zone, a CIC space, a GA account) can be listed in ⌈size/page⌉
 * calls; reading its members one by one costs one call each. So reads of one scope are answered from a
 * snapshot of the list when that is cheaper, whatever the parallelism: the decision looks at how many reads
 * are in demand, not at how they are spread in time.
 *
 * **When a snapshot is taken** (per scope, once per event-loop turn, over the reads that arrived in that turn):
 * `demand` = the calls that direct reads would cost for the reads now waiting, plus one for each other read of
 * this scope in the last FRESHNESS_MS (however it was answered: it shows a refresh is under way). A lone read (demand 1)
 * is one Describe by id. Once demand ≥ 2 a list is taken if it costs at most max(demand, MAX_EAGER_LIST_CALLS)
 * calls, its cost being ⌈size/page⌉ from the scope's last list. A scope never listed is assumed to fit; its
 * first page gives its size, and if the rest would not fit, the listing stops there (that page still answers
 * its members). At parallelism 1 a refresh of N members of a small scope costs 1 direct read + ⌈N/page⌉ list
 * calls per FRESHNESS_MS it lasts; a stack of 2 resources in a zone of 100,000 groups pays at most one page
 * it did not need, once per process, then reads directly until its demand reaches the list's cost.
 *
 * **Freshness.** A snapshot answers only reads made within FRESHNESS_MS of the moment its list was *requested*
 * (not answered: the server may have answered from any moment after the request). The provider process lives
 * for one Pulumi operation, so every answer is the resource's state at some instant during that operation —
 * the same guarantee one Describe per resource gives, since those also run at arbitrary instants of the
 * operation: a change made before the operation started is always seen (drift detection), and a change made
 * concurrently with it may or may not be, either way. The bound only caps staleness in a process that lives
 * longer (`pulumi up --refresh`, a kept plugin); 30 s covers a 1000-resource refresh at parallelism 1 through
 * the engine on a quiet machine many times over (bench/README.md), and on this shared 2-core machine at a load
 * average of 16 (28 s measured) about once.
 *
 * **Invalidation.** Any write this process makes in a scope (create, update, delete; `whileWriting`) drops its
 * snapshot at the start and at the end of the write, and a list requested while a write was in flight, or
 * answered after a write started, is never used: our own write is always visible to our next read.
 *
 * **Missing members.** An id absent from a snapshot is read directly before it is reported gone: a list paged
 * by offset can skip a member when another is deleted between pages, and a partial listing covers only its page.
 */

export interface Listing<V> {
  /** the members listed, by id */
  items: Map<string, V>;
  /** false when the listing stopped early (see `list`) */
  complete: boolean;
}

/** How one kind reads its scopes. */
export interface SnapshotSource<V> {
  /**
   * Every member of the scope. `keepPaging(total)` is asked after each page that is not the last, with the
   * scope's size as the API reports it (a lower bound when the API gives no total: members so far + one page);
   * false means stop there (then `complete: false`).
   */
  list(scope: string, keepPaging: (total: number) => boolean): Promise<Listing<V>>;
  /** Direct reads by id; ids absent from the answer are gone. */
  get(scope: string, ids: string[]): Promise<Map<string, V>>;
  /** Calls a list of a scope holding `total` members costs, at least 1. */
  listCalls(total: number): number;
  /** Calls direct reads of `n` ids cost. */
  getCalls(n: number): number;
}

/** How long a snapshot answers reads after its list was requested. See the module comment. */
export const FRESHNESS_MS = 30_000;
/** A list of at most this many calls is taken as soon as two reads are in demand (a 1000-group CIC space). */
export const MAX_EAGER_LIST_CALLS = 10;

export interface SnapshotOptions {
  freshnessMs?: number;
  maxEagerListCalls?: number;
  /** the clock, passed in for tests */
  now?: () => number;
}

interface Snapshot<V> {
  items: Map<string, V>;
  complete: boolean;
  requestedAt: number;
  generation: number;
}

/** Writes in flight and a counter bumped at each write's start and end, per scope. Shared by a context's readers. */
interface ScopeWrites {
  inFlight: number;
  generation: number;
}

interface ScopeState<V> {
  writes: ScopeWrites;
  snapshot?: Snapshot<V>;
  listing?: Promise<void>;
  /** size from the last list, once listed */
  total?: number;
  /** arrival times of this scope's reads (for demand), oldest first */
  recentReads: number[];
  /** reads that arrived this turn and wait for the decision */
  arriving: Array<() => void>;
  /** ids to read directly this turn */
  direct?: { ids: Set<string>; done: Promise<Map<string, V>> };
}

type Writes = Map<string, ScopeWrites>;

export class SnapshotReader<V> {
  private readonly scopes = new Map<string, ScopeState<V>>();
  private readonly freshnessMs: number;
  private readonly maxEager: number;
  private readonly now: () => number;

  constructor(private readonly source: SnapshotSource<V>, private readonly writes: Writes = new Map(), opts: SnapshotOptions = {}) {
    this.freshnessMs = opts.freshnessMs ?? FRESHNESS_MS;
    this.maxEager = opts.maxEagerListCalls ?? MAX_EAGER_LIST_CALLS;
    this.now = opts.now ?? Date.now;
  }

  /** The member `id` of `scope`, or undefined when it is gone (confirmed by a direct read). */
  async read(scope: string, id: string): Promise<V | undefined> {
    const s = this.scope(scope);
    s.recentReads.push(this.now());
    const snap = this.fresh(s);
    const known = snap?.items.get(id);
    if (known !== undefined) return known;
    if (!snap?.complete && !s.listing) await this.arrive(s, scope);
    if (s.listing) await s.listing;
    const hit = this.fresh(s)?.items.get(id);
    return hit !== undefined ? hit : this.readDirect(s, scope, id);
  }

  /** Runs a write of this process in `scope`: snapshots taken before or during it are never used after. */
  async whileWriting<T>(scope: string, write: () => Promise<T>): Promise<T> {
    const w = writesOf(this.writes, scope);
    return trackWrite(w, write);
  }

  private scope(scope: string): ScopeState<V> {
    let s = this.scopes.get(scope);
    if (!s) {
      s = { writes: writesOf(this.writes, scope), recentReads: [], arriving: [] };
      this.scopes.set(scope, s);
    }
    return s;
  }

  private fresh(s: ScopeState<V>): Snapshot<V> | undefined {
    const snap = s.snapshot;
    if (!snap) return undefined;
    if (snap.generation !== s.writes.generation || s.writes.inFlight > 0 || this.now() - snap.requestedAt > this.freshnessMs) {
      s.snapshot = undefined;
      return undefined;
    }
    return snap;
  }

  /** Joins this turn's arrivals; the last step of the turn decides for all of them at once. */
  private arrive(s: ScopeState<V>, scope: string): Promise<void> {
    return new Promise((resolve) => {
      s.arriving.push(resolve);
      if (s.arriving.length === 1) setImmediate(() => this.decide(s, scope));
    });
  }

  private decide(s: ScopeState<V>, scope: string): void {
    const arrived = s.arriving;
    s.arriving = [];
    if (!this.fresh(s)?.complete && !s.listing && s.writes.inFlight === 0) {
      const now = this.now();
      let stale = 0;
      while (stale < s.recentReads.length && now - s.recentReads[stale] > this.freshnessMs) stale++;
      if (stale > 0) s.recentReads.splice(0, stale);
      // The arrivals are the last entries of recentReads; each earlier read counts as one call of evidence.
      const demand = this.source.getCalls(arrived.length) + Math.max(0, s.recentReads.length - arrived.length);
      const cost = s.total === undefined ? 1 : this.source.listCalls(s.total);
      if (demand >= 2 && cost <= Math.max(demand, this.maxEager)) s.listing = this.takeSnapshot(s, scope, demand);
    }
    for (const resolve of arrived) resolve();
  }

  private takeSnapshot(s: ScopeState<V>, scope: string, demand: number): Promise<void> {
    const generation = s.writes.generation;
    const requestedAt = this.now();
    const keepPaging = (total: number) => {
      s.total = total;
      return this.source.listCalls(total) <= Math.max(demand, this.maxEager);
    };
    return this.source.list(scope, keepPaging).then(
      ({ items, complete }) => {
        // A write that started or ended meanwhile may not be in the list: drop it, reads go direct.
        if (s.writes.generation === generation && s.writes.inFlight === 0) s.snapshot = { items, complete, requestedAt, generation };
      },
      () => undefined, // a failed list is not an answer: the reads go direct and report their own errors
    ).finally(() => {
      s.listing = undefined;
    });
  }

  /** Direct reads of this turn share calls (the source batches ids where the API takes several). */
  private readDirect(s: ScopeState<V>, scope: string, id: string): Promise<V | undefined> {
    if (!s.direct) {
      const ids = new Set<string>();
      const done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        s.direct = undefined;
        return this.source.get(scope, [...ids]);
      });
      s.direct = { ids, done };
    }
    s.direct.ids.add(id);
    return s.direct.done.then((found) => found.get(id));
  }
}

function writesOf(writes: Writes, scope: string): ScopeWrites {
  let w = writes.get(scope);
  if (!w) {
    w = { inFlight: 0, generation: 0 };
    writes.set(scope, w);
  }
  return w;
}

async function trackWrite<T>(w: ScopeWrites, write: () => Promise<T>): Promise<T> {
  w.inFlight++;
  w.generation++;
  try {
    return await write();
  } finally {
    w.inFlight--;
    w.generation++;
  }
}

/** Readers and write tracking of one provider context (one provider process), per resource kind. */
interface Registry {
  readers: Map<string, SnapshotReader<unknown>>;
  writes: Map<string, Writes>;
}
const registries = new WeakMap<object, Registry>();

function registryOf(ctx: object): Registry {
  let r = registries.get(ctx);
  if (!r) {
    r = { readers: new Map(), writes: new Map() };
    registries.set(ctx, r);
  }
  return r;
}

function kindWrites(r: Registry, kind: string): Writes {
  let w = r.writes.get(kind);
  if (!w) {
    w = new Map();
    r.writes.set(kind, w);
  }
  return w;
}

/** The snapshot reader of `kind` in this provider context, made on first use. */
export function snapshotReader<V>(ctx: object, kind: string, source: () => SnapshotSource<V>, opts?: SnapshotOptions): SnapshotReader<V> {
  const r = registryOf(ctx);
  let reader = r.readers.get(kind) as SnapshotReader<V> | undefined;
  if (!reader) {
    reader = new SnapshotReader(source(), kindWrites(r, kind), opts);
    r.readers.set(kind, reader as SnapshotReader<unknown>);
  }
  return reader;
}

/** Runs a write of `kind` in `scope`, invalidating that scope's snapshots (see the module comment). */
export function whileWriting<T>(ctx: object, kind: string, scope: string, write: () => Promise<T>): Promise<T> {
  return trackWrite(writesOf(kindWrites(registryOf(ctx), kind), scope), write);
}
