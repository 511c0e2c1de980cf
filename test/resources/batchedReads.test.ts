/**
 * Snapshot reads against the emulator: the reads of a refresh (`read` of every resource, at the engine's
 * parallelism) are answered from the scope's list, and the emulator's call log shows the cost: one direct read,
 * then ⌈N/page⌉ list calls, at parallelism 1 and 16 alike. Members missing from a list are read directly before
 * they are reported gone, and a write of this process in the scope makes the next read fetch again.
 * Each test uses its own zone/space: the runtime (and its snapshots) is shared by the whole file.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED } from "../../emulator";
import type { TeoBackend } from "../../emulator/teo/models";
import type { CicBackend } from "../../emulator/cic/models";
import type { GaBackend } from "../../emulator/ga/models";
import type { ResourceKind } from "../../provider/resources/lifecycle";
import { startHarness, type Harness } from "../support/harness";

type Props = Record<string, any>;
type Read = { id: string; props?: Props; inputs?: Props };

let h: Harness;
let teo: TeoBackend;
let account: string;

beforeAll(async () => {
  h = await startHarness({ logBodies: true, settings: { rateLimit: 0, gaPendingMs: 0 } });
  teo = (h.emulator.services.teo.backend as unknown as { models: TeoBackend }).models;
  account = h.emulator.credentials.tencentSecretId;
});
afterAll(() => h.close());
beforeEach(() => h.resetCalls());

const publicIp = (i: number, first: number) => `${first}.${(i >> 8) & 255}.${i & 255}.1`;
const actions = (calls: { action: string }[]) => calls.map((c) => c.action);
const count = (calls: { action: string }[], action: string) => calls.filter((c) => c.action === action).length;

/** `read` of every resource with at most `parallel` in flight, as the engine's step executor runs a refresh. */
async function refresh(kind: ResourceKind, resources: { id: string; where: Props }[], parallel: number): Promise<Read[]> {
  const out: Read[] = new Array(resources.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, resources.length) }, async () => {
    while (next < resources.length) {
      const i = next++;
      out[i] = await h.rt.read(kind, resources[i].id, resources[i].where);
    }
  }));
  return out;
}

let zones = 0;
function newTeoZone(): string {
  const zoneId = `zone-snap${++zones}x`;
  teo.addZone(zoneId);
  return zoneId;
}

function seedOriginGroups(zoneId: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: teo.createOriginGroup(account, zoneId, {
      name: `og-${i}`, type: "GENERAL",
      records: [{ record: publicIp(i, 30), type: "IP_DOMAIN", weight: 70 }, { record: `o${i}.example.com`, type: "IP_DOMAIN", weight: 30 }],
    }),
    where: { zoneId },
  }));
}

describe("OriginGroup: a refresh of 1500 groups in one zone", () => {
  it.each([1, 16])("costs 1 direct read + ⌈1500/1000⌉ list calls at parallelism %i, each group as seeded", async (parallel) => {
    const zoneId = newTeoZone();
    const groups = seedOriginGroups(zoneId, 1500);
    h.resetCalls();
    const reads = await refresh("OriginGroup", groups, parallel);
    const calls = h.calls();
    expect(actions(calls).every((a) => a === "DescribeOriginGroup")).toBe(true);
    const bodies = calls.map((c) => JSON.parse(c.requestBody!));
    const lists = bodies.filter((b) => b.Filters.length === 0);
    expect(lists.map((b) => [b.Offset, b.Limit])).toEqual([[0, 1000], [1000, 1000]]);
    expect(calls.length - lists.length).toBeLessThanOrEqual(1);
    reads.forEach((r, i) => {
      expect(r.id).toBe(groups[i].id);
      expect(r.inputs).toMatchObject({ zoneId, name: `og-${i}`, type: "GENERAL" });
      expect(r.props!.records.map((x: Props) => [x.record, x.weight])).toEqual([[publicIp(i, 30), 70], [`o${i}.example.com`, 30]]);
    });
  }, 60_000);

  it("a group deleted out of band is missing from the list, read directly, and reported gone; a write in the zone makes the next read fetch again", async () => {
    const zoneId = newTeoZone();
    const groups = seedOriginGroups(zoneId, 40);
    // past the first 16 (read directly in one call when they arrive together), so the list is what misses it
    teo.deleteOriginGroup(account, zoneId, groups[30].id);
    h.resetCalls();
    const reads = await refresh("OriginGroup", groups, 16);
    expect(reads[30]).toEqual({ id: "" });
    expect(reads.filter((r) => r.id === "")).toHaveLength(1);
    const byId = h.calls().map((c) => JSON.parse(c.requestBody!)).filter((b) => b.Filters.length > 0);
    expect(byId.map((b) => b.Filters[0].Values)).toContainEqual([groups[30].id]);

    // Our own update of group 3 (a write in this zone): the next reads are not answered from the old list.
    const checked = await h.rt.check("OriginGroup", reads[3].inputs, { ...reads[3].inputs, records: [{ record: "198.51.100.7" }] });
    await h.rt.update("OriginGroup", groups[3].id, reads[3].props!, checked.inputs);
    h.resetCalls();
    const [three, five] = await refresh("OriginGroup", [groups[3], groups[5]], 1);
    expect(actions(h.calls()).length).toBeGreaterThanOrEqual(1);
    expect(three.props!.records.map((r: Props) => r.record)).toEqual(["198.51.100.7"]);
    expect(five).toEqual(reads[5]);
  }, 60_000);
});

describe("SecurityIPGroup: a refresh of one zone", () => {
  it.each([1, 16])("is 1 direct read + 1 zone-wide DescribeSecurityIPGroup + content pages only for the group over 2000 entries (parallelism %i)", async (parallel) => {
    const zoneId = newTeoZone();
    h.emulator.settings.ipEntriesPerRequest = 10_000; // seeding only: one request for the big group
    const groups = Array.from({ length: 60 }, (_, i) => ({
      id: String(teo.createSecurityIpGroup(account, zoneId, { groupId: 0, name: `ip-${i}`, content: [publicIp(2 * i, 40), `${publicIp(2 * i + 1, 40).slice(0, -2)}.0/24`] })),
      where: { zoneId },
    }));
    const big = { id: String(teo.createSecurityIpGroup(account, zoneId, { groupId: 0, name: "ip-big", content: Array.from({ length: 2500 }, (_, i) => publicIp(i, 41)) })), where: { zoneId } };
    h.emulator.settings.ipEntriesPerRequest = 2000;
    h.resetCalls();
    const reads = await refresh("SecurityIPGroup", [...groups, big], parallel);
    const calls = h.calls();
    const describes = calls.filter((c) => c.action === "DescribeSecurityIPGroup").map((c) => JSON.parse(c.requestBody!));
    expect(describes.filter((b) => b.GroupIds === undefined)).toHaveLength(1);
    expect(describes.length).toBeLessThanOrEqual(2);
    expect(count(calls, "DescribeSecurityIPGroupContent")).toBe(1);
    expect(reads.at(-1)!.props!.content).toHaveLength(2500);
    reads.slice(0, -1).forEach((r, i) => expect(r.props!.content).toEqual([publicIp(2 * i, 40), `${publicIp(2 * i + 1, 40).slice(0, -2)}.0/24`]));
  }, 60_000);
});

describe("UserGroup and EndpointGroup", () => {
  it.each([1, 16])("250 UserGroups of one space: 1 GetGroup + ⌈250/100⌉ ListGroups at parallelism %i", async (parallel) => {
    const cic = h.emulator.services.organization.backend as unknown as CicBackend;
    const zoneId = `z-snap${parallel}`;
    cic.admin("addZone", { zoneId });
    const groups = Array.from({ length: 250 }, (_, i) => ({ id: cic.createGroup(zoneId, { groupName: `g-${i}` } as any).groupId, where: { zoneId } }));
    h.resetCalls();
    const reads = await refresh("UserGroup", groups, parallel);
    expect(count(h.calls(), "ListGroups")).toBe(3);
    expect(count(h.calls(), "GetGroup")).toBeLessThanOrEqual(1);
    expect(h.calls()).toHaveLength(count(h.calls(), "ListGroups") + count(h.calls(), "GetGroup"));
    reads.forEach((r, i) => expect(r.inputs).toMatchObject({ zoneId, groupName: `g-${i}`, groupType: "Manual" }));
  }, 60_000);

  it("12 EndpointGroups over 3 listeners: 1 Show + 1 account-wide ListEndpointGroups; a group deleted out of band is confirmed gone by a Show", async () => {
    const ga = h.emulator.services.ga.backend as unknown as GaBackend;
    const groups: { id: string; where: Props }[] = [];
    for (let l = 0; l < 3; l++) {
      const listener = ga.admin("addListener", {}) as { id: string };
      for (const regionId of SEED.gaRegions.slice(0, 4)) {
        const g = ga.createEndpointGroup({ name: `eg-${l}-${regionId}`, regionId, listenerIds: [listener.id] } as any);
        groups.push({ id: g.id, where: { regionId, listenerId: listener.id } });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20)); // past PENDING
    const missing = { id: "0b5f8f3e-0000-4000-8000-000000000000", where: { regionId: SEED.gaRegions[0], listenerId: SEED.gaListenerId } };
    h.resetCalls();
    const reads = await refresh("EndpointGroup", [...groups, missing], 16);
    expect(reads.slice(0, -1).every((r, i) => r.id === groups[i].id && r.props!.status === "ACTIVE")).toBe(true);
    expect(reads.at(-1)).toEqual({ id: "" });
    const calls = h.calls();
    expect(count(calls, "ListEndpointGroups")).toBe(1);
    // at most one lone Show before the list, and the Show that confirms the missing one
    expect(count(calls, "ShowEndpointGroup")).toBeGreaterThanOrEqual(1);
    expect(count(calls, "ShowEndpointGroup")).toBeLessThanOrEqual(2);
  }, 60_000);
});
