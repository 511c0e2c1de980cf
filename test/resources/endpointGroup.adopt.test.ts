/**
 * EndpointGroup: adopting a group that is still PENDING waits for ACTIVE as a create does (and is kept with its id
 * when it does not settle in time); `regionId` takes the form Huawei documents for `region_id`
 * (shared/reference/huawei-ga-endpoint-group.md §3.1: 1-36 letters, digits and hyphens), compared exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED } from "../../emulator/core/defaults";
import { startHarness, writes, type Harness } from "../support/harness";

const KIND = "EndpointGroup";
const PROVIDER = "exports.handler = edgeconf-stub";
type Props = Record<string, any>;
let h: Harness;

const ga = (op: string, args: Record<string, unknown> = {}): any => h.emulator.services.ga.backend.admin(op, args);
const newListener = (): string => ga("addListener").id;
const check = (news: Props, olds?: Props) => h.rt.check(KIND, olds, { __provider: PROVIDER, ...news });

/** A group made outside Pulumi, left PENDING until the test lets it settle. */
async function pendingGroup(listenerId: string, regionId = "ap-southeast-1"): Promise<string> {
  const { body } = await h.rt.providerContext().huawei().request<Props>("ga", "POST", "/v1/endpoint-groups", {
    action: "CreateEndpointGroup",
    body: { endpoint_group: { name: "console-made", region_id: regionId, traffic_dial_percentage: 30, listeners: [{ id: listenerId }] } },
  });
  const id = body.endpoint_group.id;
  ga("setStatus", { id, status: "PENDING" }); // sticky until released
  return id;
}

beforeAll(async () => {
  h = await startHarness({ settings: { gaPendingMs: 50 } });
});
afterAll(async () => h?.close());

describe("EndpointGroup adoption of a PENDING group", () => {
  it("waits until the adopted group is ACTIVE before reporting it, with no write when it already matches", async () => {
    const listenerId = newListener();
    const id = await pendingGroup(listenerId);
    const { inputs } = await check({ listenerId, regionId: "ap-southeast-1", name: "console-made", trafficDialPercentage: 30, adoptId: id });
    setTimeout(() => ga("setStatus", { id, status: "PENDING", transient: true }), 300);
    h.resetCalls();
    const { outs } = await h.rt.create(KIND, inputs);
    expect(outs).toMatchObject({ endpointGroupId: id, status: "ACTIVE" });
    expect(writes(h.calls())).toEqual([]);
    expect(h.calls().filter((c) => c.action === "ShowEndpointGroup").length).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it("keeps an adopted group that does not settle within the create deadline (partial create, with its id)", async () => {
    const listenerId = newListener();
    const id = await pendingGroup(listenerId);
    const { inputs } = await check({ listenerId, regionId: "ap-southeast-1", name: "console-made", trafficDialPercentage: 30, adoptId: id, timeouts: { create: 1 } });
    const err: any = await h.rt.create(KIND, inputs).then(() => undefined, (e) => e);
    expect(err?.message).toMatch(/adopted but did not become ACTIVE/);
    expect(err.id).toBe(id);
    expect(err.properties).toMatchObject({ endpointGroupId: id, status: "PENDING" });
    ga("setStatus", { id, status: "ACTIVE" });
  }, 30_000);
});

describe("EndpointGroup regionId forms", () => {
  it.each(["ap-southeast-1", "cn-north-4", "eu-west-101", "la-south-2", "AP-SOUTHEAST-1", "a", "x".repeat(36)])("accepts %s", async (regionId) => {
    const { failures } = await check({ listenerId: SEED.gaListenerId, regionId });
    expect(failures).toEqual([]);
  });

  it.each(["", "ap_southeast_1", "ap-southeast-1 ", "cn.north.4", "x".repeat(37), "区域-1"])("refuses %j, naming regionId", async (regionId) => {
    const { failures } = await check({ listenerId: SEED.gaListenerId, regionId });
    expect(failures).toEqual([{ property: "regionId", reason: expect.stringMatching(/1-36 letters, digits or hyphens/) }]);
  });

  it("compares regions exactly: another case is another region (a replacement)", async () => {
    const { inputs } = await check({ listenerId: SEED.gaListenerId, regionId: "cn-south-1", name: "case" });
    const olds = { ...inputs, endpointGroupId: "eg-1", status: "ACTIVE", description: "", trafficDialPercentage: 100 };
    const diff = await h.rt.diff(KIND, "eg-1", olds, { ...inputs, regionId: "CN-SOUTH-1" });
    expect(diff.replaces).toEqual(["regionId"]);
  });
});
