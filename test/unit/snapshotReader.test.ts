/**
 * The snapshot rule of provider/resources/batch.ts, against a small in-memory cloud (a stand-in for the API,
 * not for our code) with the clock passed in: when a list is taken, how long it answers, what invalidates it,
 * and that a member missing from it is read directly before it is reported gone.
 */
import { describe, expect, it } from "vitest";
import { FRESHNESS_MS, SnapshotReader, type SnapshotSource } from "../../provider/resources/batch";

/** A scope of `size` members `m0…`, listed `page` at a time, read by id `idsPerGet` at a time; every call logged. */
function cloud(size: number, page = 100, idsPerGet = 1) {
  const members = new Map(Array.from({ length: size }, (_, i) => [`m${i}`, { id: `m${i}`, v: 0 }]));
  const calls: string[] = [];
  let listDelay: Promise<void> = Promise.resolve();
  const source: SnapshotSource<{ id: string; v: number }> = {
    list: async (_scope, keepPaging) => {
      const all = [...members.values()].map((m) => ({ ...m }));
      const items = new Map<string, { id: string; v: number }>();
      for (let offset = 0; offset < all.length || offset === 0; offset += page) {
        calls.push("list");
        await listDelay;
        for (const m of all.slice(offset, offset + page)) items.set(m.id, m);
        if (offset + page >= all.length) return { items, complete: true };
        if (!keepPaging(all.length)) return { items, complete: false };
      }
      return { items, complete: true };
    },
    get: async (_scope, ids) => {
      for (let i = 0; i < Math.ceil(ids.length / idsPerGet); i++) calls.push("get");
      return new Map(ids.filter((id) => members.has(id)).map((id) => [id, { ...members.get(id)! }]));
    },
    listCalls: (total) => Math.max(1, Math.ceil(total / page)),
    getCalls: (n) => Math.ceil(n / idsPerGet),
  };
  return {
    members, calls, source,
    holdLists(until: Promise<void>) { listDelay = until; },
  };
}

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

/** Reads `ids` with at most `parallel` in flight, like the engine's step executor. */
async function readAll<V>(reader: SnapshotReader<V>, ids: string[], parallel: number) {
  const out: (V | undefined)[] = new Array(ids.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, ids.length) }, async () => {
    while (next < ids.length) {
      const i = next++;
      out[i] = await reader.read("zone", ids[i]);
    }
  }));
  return out;
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`);

describe("when a snapshot is taken", () => {
  it("a lone read is one direct read, and lists nothing", async () => {
    const c = cloud(5000);
    const reader = new SnapshotReader(c.source, new Map(), { now: clock().now });
    expect(await reader.read("zone", "m7")).toEqual({ id: "m7", v: 0 });
    expect(c.calls).toEqual(["get"]);
  });

  it.each([1, 8, 16, 1000])("reading 250 members at parallelism %i costs ⌈250/100⌉ list calls and at most one direct read", async (parallel) => {
    const c = cloud(250);
    const reader = new SnapshotReader(c.source, new Map(), { now: clock().now });
    const got = await readAll(reader, ids(250), parallel);
    expect(got.map((g) => g?.id)).toEqual(ids(250));
    expect(c.calls.filter((x) => x === "list")).toHaveLength(3);
    expect(c.calls.filter((x) => x === "get").length).toBeLessThanOrEqual(1);
  });

  it("reads that arrive in one turn are decided together: 16 at once list at once", async () => {
    const c = cloud(250);
    const reader = new SnapshotReader(c.source, new Map(), { now: clock().now });
    await Promise.all(ids(16).map((id) => reader.read("zone", id)));
    expect(c.calls).toEqual(["list", "list", "list"]);
  });

  it("a scope too large for the demand stops listing after its first page, then reads directly until demand reaches its cost", async () => {
    const c = cloud(5000); // 50 pages
    const reader = new SnapshotReader(c.source, new Map(), { now: clock().now });
    await readAll(reader, ["m4999", "m4998"], 1);
    // lone read direct; the second read starts a list whose first page shows 50 pages > max(2, 10): stop there
    expect(c.calls).toEqual(["get", "list", "get"]);
    c.calls.length = 0;
    await readAll(reader, ids(60).map((_, i) => `m${4900 + i}`), 1);
    // now the size is known: direct reads until direct calls + pending exceed 50, then the whole list
    expect(c.calls.filter((x) => x === "list")).toHaveLength(50);
    expect(c.calls.filter((x) => x === "get").length).toBeLessThanOrEqual(50);
  });
});

describe("freshness and invalidation", () => {
  it(`a snapshot answers reads for ${FRESHNESS_MS} ms after its list was requested, not later`, async () => {
    const c = cloud(50);
    const t = clock();
    const reader = new SnapshotReader(c.source, new Map(), { now: t.now });
    await readAll(reader, ids(2), 1);
    expect(c.calls).toEqual(["get", "list"]);
    c.members.get("m10")!.v = 1; // changed out of band after the list
    t.advance(FRESHNESS_MS);
    expect(await reader.read("zone", "m10")).toEqual({ id: "m10", v: 0 }); // within the bound: the snapshot
    expect(c.calls).toEqual(["get", "list"]);
    t.advance(1);
    expect(await reader.read("zone", "m10")).toEqual({ id: "m10", v: 1 }); // past it: listed again (a read within the bound shows demand)
    expect(c.calls).toEqual(["get", "list", "list"]);
    t.advance(FRESHNESS_MS + 1);
    expect(await reader.read("zone", "m11")).toEqual({ id: "m11", v: 0 }); // nothing recent: a lone read again
    expect(c.calls).toEqual(["get", "list", "list", "get"]);
  });

  it("a write of this process in the scope drops the snapshot: the next read sees the write", async () => {
    const c = cloud(50);
    const reader = new SnapshotReader(c.source, new Map(), { now: clock().now });
    await readAll(reader, ids(2), 1);
    await reader.whileWriting("zone", async () => { c.members.get("m10")!.v = 2; });
    expect(await reader.read("zone", "m10")).toEqual({ id: "m10", v: 2 });
    // the burst goes on (two reads in demand within the bound): a new list, requested after the write
    expect(c.calls).toEqual(["get", "list", "list"]);
  });

  it("a list answered after a write started is not used", async () => {
    const c = cloud(50);
    const reader = new SnapshotReader(c.source, new Map(), { now: clock().now });
    let release!: () => void;
    c.holdLists(new Promise<void>((r) => { release = r; }));
    const reads = Promise.all(ids(4).map((id) => reader.read("zone", id)));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(c.calls).toEqual(["list"]);
    const write = reader.whileWriting("zone", async () => { c.members.get("m1")!.v = 3; });
    release();
    await write;
    const got = await reads;
    // the list was requested before the write: every read went direct instead, and m1 shows the write
    expect(got[1]).toEqual({ id: "m1", v: 3 });
    expect(c.calls.filter((x) => x === "get")).toHaveLength(4);
  });

  it("writes in another scope leave a snapshot alone", async () => {
    const c = cloud(50);
    const reader = new SnapshotReader(c.source, new Map(), { now: clock().now });
    await readAll(reader, ids(2), 1);
    await reader.whileWriting("other-zone", async () => undefined);
    await reader.read("zone", "m20");
    expect(c.calls).toEqual(["get", "list"]);
  });
});

describe("members missing from a snapshot", () => {
  it("are read directly: gone when the direct read confirms it, found when they exist after all", async () => {
    const c = cloud(50);
    const reader = new SnapshotReader(c.source, new Map(), { now: clock().now });
    await readAll(reader, ids(2), 1);
    c.members.set("late", { id: "late", v: 9 }); // created out of band after the list
    expect(await reader.read("zone", "late")).toEqual({ id: "late", v: 9 });
    expect(await reader.read("zone", "never")).toBeUndefined();
    expect(c.calls).toEqual(["get", "list", "get", "get"]);
  });

  it("several missing in one turn share direct calls where the API takes several ids", async () => {
    const c = cloud(50, 100, 20);
    const reader = new SnapshotReader(c.source, new Map(), { now: clock().now });
    await readAll(reader, ids(2), 1);
    const got = await Promise.all(Array.from({ length: 25 }, (_, i) => reader.read("zone", `x${i}`)));
    expect(got.every((g) => g === undefined)).toBe(true);
    expect(c.calls).toEqual(["get", "list", "get", "get"]);
  });
});
