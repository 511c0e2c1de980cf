/**
 * Batched reads: concurrent `read`s of one kind in one process (what `pulumi refresh` does) coalesce into
 * batch calls, and each read returns exactly what a single read returns. Sequential reads are the reference:
 * each one is alone in its coalescing window, so it costs one single-id call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED } from "../../emulator";
import type { ResourceKind } from "../../provider/resources/lifecycle";
import { startHarness, type Harness } from "../support/harness";

const ZONE = SEED.teoZoneId;
type Props = Record<string, any>;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ logBodies: true, settings: { rateLimit: 0, gaPendingMs: 20 } });
});
afterAll(() => h.close());
beforeEach(() => h.resetCalls());

const publicIp = (i: number, first: number) => `${first}.${(i >> 8) & 255}.${i & 255}.1`;

async function up(kind: ResourceKind, args: Props, logicalName: string) {
  const { inputs, failures } = await h.rt.check(kind, undefined, { ...args, logicalName });
  expect(failures).toEqual([]);
  return h.rt.create(kind, inputs);
}

/** Reads one after another, then all at once; returns both results and the calls each way made. */
async function readBothWays(kind: ResourceKind, created: { id: string; outs: Props }[], extra: { id: string; outs: Props }[] = []) {
  const all = [...created, ...extra];
  h.resetCalls();
  const sequential = [];
  for (const r of all) sequential.push(await h.rt.read(kind, r.id, r.outs));
  const sequentialCalls = h.calls();
  h.resetCalls();
  const concurrent = await Promise.all(all.map((r) => h.rt.read(kind, r.id, r.outs)));
  const concurrentCalls = h.calls();
  return { sequential, concurrent, sequentialCalls, concurrentCalls };
}

const actions = (calls: { action: string }[]) => calls.map((c) => c.action);

describe("batched reads return exactly what single reads return", () => {
  it("OriginGroup: 45 concurrent reads are 3 DescribeOriginGroup calls (20 ids each), with the same outputs as 45 single reads", async () => {
    const created = [];
    for (let i = 0; i < 44; i++) {
      created.push(await up("OriginGroup", {
        zoneId: ZONE,
        type: i % 2 ? "HTTP" : "GENERAL",
        records: [{ record: publicIp(i, 30), weight: 70 }, { record: `o${i}.example.com`, weight: 30 }],
        ...(i % 2 && i % 3 === 0 ? { hostHeader: `h${i}.example.com` } : {}),
      }, `og-${i}`));
    }
    // One group deleted out of band: both ways must report it gone.
    const gone = await up("OriginGroup", { zoneId: ZONE, type: "GENERAL", records: [{ record: "31.0.0.1" }] }, "og-gone");
    h.emulator.services.teo.backend.admin("deleteOriginGroup", { groupId: gone.id });

    const r = await readBothWays("OriginGroup", created, [gone]);
    expect(r.concurrent).toEqual(r.sequential);
    expect(r.sequential.at(-1)).toEqual({ id: "" });
    expect(r.sequential.slice(0, -1).every((x) => x.id !== "")).toBe(true);
    expect(actions(r.sequentialCalls)).toEqual(new Array(45).fill("DescribeOriginGroup"));
    expect(actions(r.concurrentCalls)).toEqual(new Array(3).fill("DescribeOriginGroup"));
    const ids = r.concurrentCalls.map((c) => JSON.parse(c.requestBody!).Filters[0].Values.length).sort((a, b) => a - b);
    expect(ids).toEqual([5, 20, 20]);
  }, 60_000);

  it("SecurityIPGroup: 120 concurrent reads are 2 DescribeSecurityIPGroup calls (GroupIds ≤ 100) plus the content pages of a group over 2000 entries", async () => {
    const created = [];
    for (let i = 0; i < 118; i++) {
      created.push(await up("SecurityIPGroup", { zoneId: ZONE, content: [publicIp(2 * i, 40), `${publicIp(2 * i + 1, 40).slice(0, -2)}.0/24`] }, `ip-${i}`));
    }
    const big = await up("SecurityIPGroup", { zoneId: ZONE, content: Array.from({ length: 2500 }, (_, i) => publicIp(i, 41)) }, "ip-big");
    const gone = await up("SecurityIPGroup", { zoneId: ZONE, content: ["42.0.0.1"] }, "ip-gone");
    h.emulator.services.teo.backend.admin("deleteSecurityIPGroup", { groupId: Number(gone.id) });

    const r = await readBothWays("SecurityIPGroup", created, [big, gone]);
    expect(r.concurrent).toEqual(r.sequential);
    expect(r.sequential.at(-1)).toEqual({ id: "" });
    expect((r.sequential.at(-2) as Props).props.content).toHaveLength(2500);
    expect(actions(r.sequentialCalls).filter((a) => a === "DescribeSecurityIPGroup")).toHaveLength(120);
    const batch = actions(r.concurrentCalls);
    expect(batch.filter((a) => a === "DescribeSecurityIPGroup")).toHaveLength(2);
    expect(batch.filter((a) => a === "DescribeSecurityIPGroupContent")).toHaveLength(1);
    expect(batch).toHaveLength(3);
    const sizes = r.concurrentCalls.filter((c) => c.action === "DescribeSecurityIPGroup")
      .map((c) => JSON.parse(c.requestBody!).GroupIds.length).sort((a, b) => a - b);
    expect(sizes).toEqual([20, 100]);
  }, 120_000);

  it("EndpointGroup: concurrent reads share one ListEndpointGroups call; single reads are one Show each", async () => {
    const created = [];
    for (const regionId of SEED.gaRegions.slice(0, 4)) {
      created.push(await up("EndpointGroup", { regionId, listenerId: SEED.gaListenerId, trafficDialPercentage: 50 }, `eg-${regionId}`));
    }
    const gone = await up("EndpointGroup", { regionId: SEED.gaRegions[4], listenerId: SEED.gaListenerId }, "eg-gone");
    await h.rt.remove("EndpointGroup", gone.id, gone.outs);
    await new Promise((resolve) => setTimeout(resolve, 100)); // past DELETING

    const r = await readBothWays("EndpointGroup", created, [gone]);
    expect(r.concurrent).toEqual(r.sequential);
    expect(r.sequential.at(-1)).toEqual({ id: "" });
    expect(actions(r.sequentialCalls)).toEqual(new Array(5).fill("ShowEndpointGroup"));
    expect(actions(r.concurrentCalls)).toEqual(["ListEndpointGroups"]);
  }, 60_000);
});
