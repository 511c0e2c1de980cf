/**
 * EndpointGroup (Huawei Cloud GA v1) through the provider runtime over real HTTP to the emulator, with the
 * emulator's asynchronous status on (PENDING after writes, DELETING after delete): the lifecycle matrix, waits,
 * deadlines and partial creates, `trafficDialPercentage: 0`, ERROR and frozen groups, check rules, unknowns,
 * autonaming, ambiguous-create recovery and adoption. Facts: shared/reference/huawei-ga-endpoint-group.md;
 * emulator choices: emulator/ga/README.md.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { SEED } from "../../emulator/core/defaults";
import { UNKNOWN } from "../../provider/resources/unknowns";
import { startHarness, writes, type Harness } from "../support/harness";

const KIND = "EndpointGroup";
const REGION = "ap-southeast-1";
const OTHER_REGION = "cn-south-1";
/** Short enough for a quick suite, long enough that every write is observed PENDING at least once. */
const PENDING_MS = 200;
const PROVIDER = "exports.handler = edgeconf-stub";

type Props = Record<string, any>;
let h: Harness;
let info: MockInstance<(message: string) => void>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ga = (op: string, args: Record<string, unknown> = {}): any => h.emulator.services.ga.backend.admin(op, args);
/** A listener of its own for each test: one group per listener per region. */
const newListener = (): string => ga("addListener").id;
const groupsOn = (listenerId: string): Props[] => (ga("listEndpointGroups") as Props[]).filter((g) => g.listenerId === listenerId);
const progress = () => info.mock.calls.map((c) => c[0]);
const count = (action: string) => h.calls().filter((c) => c.action === action).length;

async function check(news: Props, olds?: Props) {
  return h.rt.check(KIND, olds, { __provider: PROVIDER, ...news });
}
async function checked(news: Props, olds?: Props): Promise<Props> {
  const { inputs, failures } = await check(news, olds);
  expect(failures).toEqual([]);
  return inputs;
}
async function create(news: Props) {
  const inputs = await checked({ regionId: REGION, ...news });
  const { id, outs } = await h.rt.create(KIND, inputs);
  return { id, outs: outs as Props, inputs };
}
/** The API as a console would call it, outside the resource's lifecycle. */
async function apiCreate(listenerId: string, fields: Props = {}): Promise<string> {
  const { body } = await h.rt.providerContext().huawei().request<Props>("ga", "POST", "/v1/endpoint-groups", {
    action: "CreateEndpointGroup",
    body: { endpoint_group: { name: "console-made", region_id: REGION, listeners: [{ id: listenerId }], ...fields } },
  });
  return body.endpoint_group.id;
}
async function failureOf(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the operation to fail");
}
/** Resolves once the emulator holds a group on this listener (a create still in flight has sent its POST). */
async function groupAppears(listenerId: string): Promise<Props> {
  for (;;) {
    const [g] = groupsOn(listenerId);
    if (g) return g;
    await new Promise((r) => setTimeout(r, 10));
  }
}
const sentBody = (action: string) => JSON.parse(h.calls().filter((c) => c.action === action).at(-1)!.requestBody!);

beforeAll(async () => {
  h = await startHarness({ logBodies: true, settings: { gaPendingMs: PENDING_MS } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.emulator.settings.gaPendingMs = PENDING_MS;
  h.emulator.clearFaults();
  h.resetCalls();
  info = vi.spyOn(h.rt.providerContext().log, "info").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("EndpointGroup lifecycle", () => {
  it("creates a group and returns only once it is ACTIVE, logging the wait", async () => {
    const listenerId = newListener();
    const { id, outs } = await create({ listenerId, name: "eg-web", description: "web origins", trafficDialPercentage: 40 });
    expect(outs).toMatchObject({
      endpointGroupId: id, regionId: REGION, listenerId, name: "eg-web", description: "web origins",
      trafficDialPercentage: 40, status: "ACTIVE", domainId: SEED.gaDomainId, frozenInfo: { status: 0 },
    });
    expect(outs.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(ga("getEndpointGroup", { id }).status).toBe("ACTIVE");
    expect(sentBody("CreateEndpointGroup")).toEqual({
      endpoint_group: { name: "eg-web", description: "web origins", traffic_dial_percentage: 40, region_id: REGION, listeners: [{ id: listenerId }] },
    });
    expect(count("ShowEndpointGroup")).toBeGreaterThanOrEqual(2); // saw PENDING, then ACTIVE
    expect(progress()).toContainEqual(expect.stringMatching(new RegExp(`waiting for endpoint group ${id} to become ACTIVE \\(status PENDING`)));
  });

  it("round-trips trafficDialPercentage 0: sent, stored, read back 0, no diff", async () => {
    const listenerId = newListener();
    const { id, outs, inputs } = await create({ listenerId, name: "eg-dark", trafficDialPercentage: 0 });
    expect(inputs.trafficDialPercentage).toBe(0);
    expect(sentBody("CreateEndpointGroup").endpoint_group.traffic_dial_percentage).toBe(0);
    expect(ga("getEndpointGroup", { id }).trafficDialPercentage).toBe(0);
    const r = await h.rt.read(KIND, id, outs);
    expect(r.props).toMatchObject({ trafficDialPercentage: 0 });
    expect(r.inputs).toMatchObject({ trafficDialPercentage: 0 });
    expect((await h.rt.diff(KIND, id, r.props!, await checked(inputs, inputs))).changes).toBe(false);
  });

  it("sends 0 when an update turns the traffic off, then shows no diff", async () => {
    const listenerId = newListener();
    const { id, outs, inputs } = await create({ listenerId, name: "eg-drain" });
    expect(outs.trafficDialPercentage).toBe(100); // the default
    const news = await checked({ ...inputs, trafficDialPercentage: 0 }, inputs);
    expect((await h.rt.diff(KIND, id, outs, news)).changes).toBe(true);
    h.resetCalls();
    const { outs: after } = await h.rt.update(KIND, id, outs, news);
    expect(sentBody("UpdateEndpointGroup")).toEqual({ endpoint_group: { traffic_dial_percentage: 0 } });
    expect(after).toMatchObject({ trafficDialPercentage: 0, status: "ACTIVE" });
    expect(ga("getEndpointGroup", { id }).trafficDialPercentage).toBe(0);
    expect((await h.rt.diff(KIND, id, after, news)).changes).toBe(false);
  });

  it("reads back outputs and inputs that diff to nothing", async () => {
    const listenerId = newListener();
    const { id, outs, inputs } = await create({ listenerId, name: "eg-read", description: "d", logicalName: "read" });
    const r = await h.rt.read(KIND, id, outs);
    expect(r.id).toBe(id);
    expect(r.props).toMatchObject({ ...outs });
    expect(r.inputs).toEqual({ regionId: REGION, listenerId, name: "eg-read", description: "d", trafficDialPercentage: 100, logicalName: "read" });
    expect((await h.rt.diff(KIND, id, r.props!, { ...r.inputs, __provider: PROVIDER })).changes).toBe(false);
    expect(inputs.name).toBe("eg-read");
  });

  it("diffs a no-op without any API call", async () => {
    const { id, outs, inputs } = await create({ listenerId: newListener(), name: "eg-noop" });
    h.resetCalls();
    const d = await h.rt.diff(KIND, id, outs, await checked(inputs, inputs));
    expect(d).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(h.calls()).toEqual([]);
  });

  it("updates in place with only the changed fields and returns once ACTIVE again, logging the wait", async () => {
    const { id, outs, inputs } = await create({ listenerId: newListener(), name: "eg-upd", description: "old", trafficDialPercentage: 50 });
    const news = await checked({ ...inputs, name: "eg-upd2", description: "new" }, inputs);
    expect(await h.rt.diff(KIND, id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    h.resetCalls();
    info.mockClear();
    const { outs: after } = await h.rt.update(KIND, id, outs, news);
    expect(writes(h.calls()).map((c) => c.action)).toEqual(["UpdateEndpointGroup"]);
    expect(sentBody("UpdateEndpointGroup")).toEqual({ endpoint_group: { name: "eg-upd2", description: "new" } });
    expect(after).toMatchObject({ name: "eg-upd2", description: "new", trafficDialPercentage: 50, status: "ACTIVE" });
    expect(ga("getEndpointGroup", { id })).toMatchObject({ status: "ACTIVE", name: "eg-upd2" });
    expect(progress()).toContainEqual(expect.stringMatching(/to become ACTIVE \(status PENDING/));
  });

  it("clears a removed description with description \"\"", async () => {
    const { id, outs, inputs } = await create({ listenerId: newListener(), name: "eg-clear", description: "to clear" });
    const { description: _dropped, ...rest } = inputs;
    const news = await checked(rest, inputs);
    h.resetCalls();
    const { outs: after } = await h.rt.update(KIND, id, outs, news);
    expect(sentBody("UpdateEndpointGroup")).toEqual({ endpoint_group: { description: "" } });
    expect(after.description).toBe("");
    expect((await h.rt.diff(KIND, id, after, news)).changes).toBe(false);
  });

  it("replaces on a regionId change without deleting first: the new region is a new slot", async () => {
    const listenerId = newListener();
    const { id, outs, inputs } = await create({ listenerId, name: "eg-move" });
    const news = await checked({ ...inputs, regionId: OTHER_REGION }, inputs);
    expect(await h.rt.diff(KIND, id, outs, news)).toEqual({ changes: true, replaces: ["regionId"], deleteBeforeReplace: false });
    const { id: id2, outs: outs2 } = await h.rt.create(KIND, news); // create before delete: no clash
    await h.rt.remove(KIND, id, outs);
    expect(outs2).toMatchObject({ regionId: OTHER_REGION, status: "ACTIVE" });
    expect(groupsOn(listenerId).map((g) => [g.id, g.regionId])).toEqual([[id2, OTHER_REGION]]);
  });

  it("replaces on a listenerId change, and deletes first when the new key is still unknown", async () => {
    const { id, outs, inputs } = await create({ listenerId: newListener(), name: "eg-relisten" });
    const other = newListener();
    expect(await h.rt.diff(KIND, id, outs, await checked({ ...inputs, listenerId: other }, inputs)))
      .toEqual({ changes: true, replaces: ["listenerId"], deleteBeforeReplace: false });
    // Unknown during preview: it may turn out to be the same listener and region, so the slot must be freed first.
    expect(await h.rt.diff(KIND, id, outs, { ...inputs, listenerId: UNKNOWN }))
      .toEqual({ changes: true, replaces: ["listenerId"], deleteBeforeReplace: true });
  });

  it("detects an out-of-band change on read, and the declared state converges it back", async () => {
    const { id, outs, inputs } = await create({ listenerId: newListener(), name: "eg-drift", trafficDialPercentage: 100 });
    ga("patchEndpointGroup", { id, traffic_dial_percentage: 30, description: "console" });
    const r = await h.rt.read(KIND, id, outs);
    expect(r.props).toMatchObject({ trafficDialPercentage: 30, description: "console" });
    expect(await h.rt.diff(KIND, id, r.props!, inputs)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    h.resetCalls();
    await h.rt.update(KIND, id, r.props!, inputs);
    expect(sentBody("UpdateEndpointGroup")).toEqual({ endpoint_group: { description: "", traffic_dial_percentage: 100 } });
    expect(ga("getEndpointGroup", { id })).toMatchObject({ trafficDialPercentage: 100, description: "", status: "ACTIVE" });
  });

  it("deletes and returns only once the group is gone, logging the wait", async () => {
    const listenerId = newListener();
    const { id, outs } = await create({ listenerId, name: "eg-del" });
    h.resetCalls();
    info.mockClear();
    await h.rt.remove(KIND, id, outs);
    expect(groupsOn(listenerId)).toEqual([]);
    expect(h.calls().map((c) => [c.action, c.httpStatus]).at(-1)).toEqual(["ShowEndpointGroup", 404]);
    expect(h.calls().some((c) => c.action === "ShowEndpointGroup" && c.httpStatus === 200)).toBe(true); // saw DELETING
    expect(progress()).toContainEqual(expect.stringMatching(new RegExp(`waiting for endpoint group ${id} to be deleted \\(status DELETING`)));
  });

  it("deletes a group already gone as success", async () => {
    const { id, outs } = await create({ listenerId: newListener(), name: "eg-gone" });
    ga("deleteEndpointGroup", { id });
    h.resetCalls();
    await expect(h.rt.remove(KIND, id, outs)).resolves.toBeUndefined();
    expect(h.calls().map((c) => [c.action, c.errorCode])).toEqual([["DeleteEndpointGroup", "GA.9002"]]);
  });

  it("reads a missing group, or one being deleted, as gone (id \"\")", async () => {
    const { id, outs } = await create({ listenerId: newListener(), name: "eg-missing" });
    ga("setStatus", { id, status: "DELETING" });
    expect(await h.rt.read(KIND, id, outs)).toEqual({ id: "" });
    ga("deleteEndpointGroup", { id });
    expect(await h.rt.read(KIND, id, outs)).toEqual({ id: "" });
    // Answered by a Show (404) or by the account's list snapshot (batch.ts), which saw it DELETING: gone either way.
    expect(["ShowEndpointGroup", "ListEndpointGroups"]).toContain(h.calls().at(-1)!.action);
  });

  it("deletes a group whose provisioning failed (ERROR)", async () => {
    const listenerId = newListener();
    const { id, outs } = await create({ listenerId, name: "eg-errdel" });
    ga("setStatus", { id, status: "ERROR" });
    await h.rt.remove(KIND, id, outs);
    expect(groupsOn(listenerId)).toEqual([]);
  });

  it("answers concurrent reads (a refresh) from one List, and confirms the missing one gone with a Show", async () => {
    const made = await Promise.all(["eg-r1", "eg-r2", "eg-r3"].map((name) => create({ listenerId: newListener(), name })));
    ga("deleteEndpointGroup", { id: made[2]!.id });
    h.resetCalls();
    const reads = await Promise.all(made.map(({ id, outs }) => h.rt.read(KIND, id, outs)));
    expect(reads.map((r) => r.id)).toEqual([made[0]!.id, made[1]!.id, ""]);
    expect(reads[1]!.props).toMatchObject({ name: "eg-r2", status: "ACTIVE" });
    expect(h.calls().map((c) => c.action)).toEqual(["ListEndpointGroups", "ShowEndpointGroup"]);
  });

  it("reports the freeze state as an output", async () => {
    const { id, outs } = await create({ listenerId: newListener(), name: "eg-frozenread" });
    ga("freeze", { id, status: 1, effect: 2, scene: ["POLICE"] });
    expect((await h.rt.read(KIND, id, outs)).props).toMatchObject({ frozenInfo: { status: 1, effect: 2, scene: ["POLICE"] } });
  });
});

describe("EndpointGroup asynchronous status", () => {
  it("turns a create whose wait outlives the deadline into a partial create carrying the id; the next update resumes the wait", async () => {
    h.emulator.settings.gaPendingMs = 5000;
    const listenerId = newListener();
    const inputs = await checked({ regionId: REGION, listenerId, name: "eg-slow", logicalName: "slow", timeouts: { create: 1 } });
    const err = await failureOf(h.rt.create(KIND, inputs));
    const [g] = groupsOn(listenerId);
    expect(g).toBeDefined();
    expect(err.id).toBe(g!.id);
    expect(err.message).toMatch(/did not become ACTIVE.*timed out after 1s.*timeouts/);
    expect(err.reasons).toEqual([err.message]);
    expect(err.properties).toMatchObject({ endpointGroupId: g!.id, status: "PENDING", name: "eg-slow", __provider: PROVIDER });
    // Meta inputs travel in the kept state as in any other state, so a refresh of it still reports them.
    expect(err.properties).toMatchObject({ logicalName: "slow", timeouts: { create: 1 } });
    expect((await h.rt.read(KIND, err.id, err.properties)).inputs).toMatchObject({ logicalName: "slow", timeouts: { create: 1 } });
    expect(count("CreateEndpointGroup")).toBe(1);

    // Next `up`: the engine updates a resource with initialization errors; the update waits, then converges.
    h.emulator.settings.gaPendingMs = PENDING_MS;
    ga("setStatus", { id: g!.id, status: "PENDING", transient: true }); // still settling
    h.resetCalls();
    info.mockClear();
    const { outs } = await h.rt.update(KIND, err.id, err.properties, inputs);
    expect(outs).toMatchObject({ endpointGroupId: g!.id, status: "ACTIVE" });
    expect(writes(h.calls())).toEqual([]); // nothing to change: only the wait was left
    expect(progress()).toContainEqual(expect.stringMatching(/to become ACTIVE \(status PENDING/));
    expect((await h.rt.diff(KIND, err.id, outs, inputs)).changes).toBe(false);
  });

  it("after a partial create, an update with new inputs waits for ACTIVE, then sends them", async () => {
    h.emulator.settings.gaPendingMs = 5000;
    const listenerId = newListener();
    const inputs = await checked({ regionId: REGION, listenerId, name: "eg-slow2", timeouts: { create: 1 } });
    const err = await failureOf(h.rt.create(KIND, inputs));
    expect(err.id).toBeTruthy();
    h.emulator.settings.gaPendingMs = PENDING_MS;
    ga("setStatus", { id: err.id, status: "PENDING", transient: true });
    h.resetCalls();
    const news = await checked({ ...inputs, trafficDialPercentage: 0 }, inputs);
    const { outs } = await h.rt.update(KIND, err.id, err.properties, news);
    expect(outs).toMatchObject({ trafficDialPercentage: 0, status: "ACTIVE" });
    expect(h.calls().filter((c) => c.errorCode === "GA.9004")).toEqual([]); // waited instead of being refused
    expect(sentBody("UpdateEndpointGroup")).toEqual({ endpoint_group: { traffic_dial_percentage: 0 } });
  });

  it("fails an update whose group stays PENDING past the deadline, naming the timeouts input, without writing", async () => {
    const { id, outs, inputs } = await create({ listenerId: newListener(), name: "eg-stuck" });
    ga("setStatus", { id, status: "PENDING" }); // sticky: never resolves
    const news = await checked({ ...inputs, description: "x", timeouts: { update: 1 } }, inputs);
    h.resetCalls();
    const err = await failureOf(h.rt.update(KIND, id, outs, news));
    expect(err.code).toBe("EDGECONF_DEADLINE");
    expect(err.message).toMatch(new RegExp(`timed out after 1s updating EndpointGroup: endpoint group ${id} to become ACTIVE is still PENDING; raise the resource's timeouts`));
    expect(writes(h.calls())).toEqual([]);
  });

  it("waits for a PENDING group before updating it rather than failing", async () => {
    const { id, outs, inputs } = await create({ listenerId: newListener(), name: "eg-busy" });
    ga("setStatus", { id, status: "PENDING", transient: true }); // e.g. another write just landed
    h.resetCalls();
    const { outs: after } = await h.rt.update(KIND, id, outs, await checked({ ...inputs, name: "eg-busy2" }, inputs));
    expect(after).toMatchObject({ name: "eg-busy2", status: "ACTIVE" });
    const puts = h.calls().filter((c) => c.action === "UpdateEndpointGroup");
    expect(puts.map((c) => c.httpStatus)).toEqual([200]);
  });

  it("retries an update refused with GA.9004 (the group went PENDING between the check and the write)", async () => {
    const { id, outs, inputs } = await create({ listenerId: newListener(), name: "eg-race" });
    h.emulator.inject({ service: "ga", action: "UpdateEndpointGroup", kind: "error", code: "GA.9004", status: 400, count: 1 });
    h.resetCalls();
    const { outs: after } = await h.rt.update(KIND, id, outs, await checked({ ...inputs, trafficDialPercentage: 10 }, inputs));
    expect(after).toMatchObject({ trafficDialPercentage: 10, status: "ACTIVE" });
    expect(h.calls().filter((c) => c.action === "UpdateEndpointGroup").map((c) => c.errorCode ?? "ok")).toEqual(["GA.9004", "ok"]);
  });

  it("waits for a PENDING group before deleting it rather than failing", async () => {
    const listenerId = newListener();
    const { id, outs } = await create({ listenerId, name: "eg-busydel" });
    ga("setStatus", { id, status: "PENDING", transient: true });
    await h.rt.remove(KIND, id, outs);
    expect(groupsOn(listenerId)).toEqual([]);
  });

  it("fails a create whose group goes to ERROR, keeping its id as a partial create", async () => {
    h.emulator.settings.gaPendingMs = 5000;
    const listenerId = newListener();
    const inputs = await checked({ regionId: REGION, listenerId, name: "eg-broken" });
    const pending = failureOf(h.rt.create(KIND, inputs));
    const g = await groupAppears(listenerId);
    ga("setStatus", { id: g.id, status: "ERROR" });
    const err = await pending;
    expect(err.id).toBe(g.id);
    expect(err.message).toMatch(/status ERROR: the cloud failed to provision it/);
    expect(err.properties).toMatchObject({ endpointGroupId: g.id, __provider: PROVIDER });
  });

  it("fails an update of a group in ERROR with the reason, without writing", async () => {
    const { id, outs, inputs } = await create({ listenerId: newListener(), name: "eg-err" });
    ga("setStatus", { id, status: "ERROR" });
    h.resetCalls();
    const err = await failureOf(h.rt.update(KIND, id, outs, await checked({ ...inputs, description: "x" }, inputs)));
    expect(err.message).toMatch(new RegExp(`endpoint group ${id} is in status ERROR`));
    expect(writes(h.calls())).toEqual([]);
  });

  it("reports a frozen group at once on update, without waiting or writing", async () => {
    const { id, outs, inputs } = await create({ listenerId: newListener(), name: "eg-frozen" });
    ga("freeze", { id, status: 1, scene: ["ARREAR"] });
    h.resetCalls();
    const err = await failureOf(h.rt.update(KIND, id, outs, await checked({ ...inputs, description: "x" }, inputs)));
    expect(err.message).toMatch(new RegExp(`endpoint group ${id} is frozen \\(ARREAR\\).*released in the Huawei Cloud console \\(not retried\\)`));
    expect(h.calls().map((c) => c.action)).toEqual(["ShowEndpointGroup"]);
  });

  it("reports a frozen PENDING group at once instead of waiting out the deadline", async () => {
    const { id, outs, inputs } = await create({ listenerId: newListener(), name: "eg-frozenpending" });
    ga("setStatus", { id, status: "PENDING" });
    ga("freeze", { id, status: 2, scene: ["POLICE"] });
    h.resetCalls();
    const err = await failureOf(h.rt.update(KIND, id, outs, await checked({ ...inputs, description: "x" }, inputs)));
    expect(err.message).toMatch(/deleted by the cloud \(frozen status 2\) \(POLICE\)/);
    expect(count("ShowEndpointGroup")).toBe(1);
  });

  it("reports a frozen group clearly on delete, with one DELETE and no retry, and keeps it", async () => {
    const listenerId = newListener();
    const { id, outs } = await create({ listenerId, name: "eg-frozendel" });
    ga("freeze", { id, status: 1, scene: ["VERIFY"] });
    h.resetCalls();
    const err = await failureOf(h.rt.remove(KIND, id, outs));
    expect(err.message).toMatch(/GA\.9006: Resource frozen/);
    expect(err.message).toMatch(/is frozen \(VERIFY\).*not retried/);
    expect(count("DeleteEndpointGroup")).toBe(1);
    expect(groupsOn(listenerId)).toHaveLength(1);
  });
});

describe("EndpointGroup slot: one group per listener per region", () => {
  it("refuses a create whose slot is taken, naming the group that holds it and the way out", async () => {
    const listenerId = newListener();
    const holder = await apiCreate(listenerId);
    h.resetCalls();
    const err = await failureOf(create({ listenerId, name: "eg-second" }));
    expect(err.apiCode).toBe("GA.9104");
    expect(err.message).toContain(`listener ${listenerId} already has endpoint group ${holder} ("console-made") in region ${REGION}`);
    expect(err.message).toMatch(/adoptId/);
    expect(count("CreateEndpointGroup")).toBe(1);
    expect(groupsOn(listenerId).map((g) => g.id)).toEqual([holder]);
  });

  it("waits for a group being deleted to free the slot, then creates", async () => {
    const listenerId = newListener();
    const old = await apiCreate(listenerId);
    ga("setStatus", { id: old, status: "DELETING", transient: true }); // deleted in the console a moment ago
    h.resetCalls();
    const { id } = await create({ listenerId, name: "eg-next" });
    expect(groupsOn(listenerId).map((g) => g.id)).toEqual([id]);
    expect(h.calls().filter((c) => c.action === "CreateEndpointGroup").map((c) => c.errorCode ?? "ok")).toEqual(["GA.9104", "ok"]);
    expect(progress()).toContainEqual(expect.stringMatching(new RegExp(`endpoint group ${old} \\(being deleted\\) to free region ${REGION}.*status DELETING`)));
  });
});

describe("EndpointGroup check", () => {
  const L = SEED.gaListenerId;
  const bad: [string, string, Props, RegExp][] = [
    ["a regionId with an underscore", "regionId", { regionId: "ap_southeast_1" }, /region id/],
    ["a regionId of 37 characters", "regionId", { regionId: "a".repeat(37) }, /region id/],
    ["a listenerId that is not a UUID", "listenerId", { listenerId: "listener-1" }, /UUID/],
    ["an empty name", "name", { name: "" }, /1-64/],
    ["a name of 65 characters", "name", { name: "n".repeat(65) }, /1-64/],
    ["a name with a space", "name", { name: "eg web" }, /letters, digits and -/],
    ["a name in Chinese (the English doc's rule)", "name", { name: "终端组" }, /letters, digits and -/],
    ["a description of 256 characters", "description", { description: "d".repeat(256) }, /255/],
    ["a description with <", "description", { description: "<b>" }, /< or >/],
    ["a description with >", "description", { description: "a > b" }, /< or >/],
    ["a negative trafficDialPercentage", "trafficDialPercentage", { trafficDialPercentage: -1 }, /0-100/],
    ["a trafficDialPercentage over 100", "trafficDialPercentage", { trafficDialPercentage: 101 }, /0-100/],
    ["a fractional trafficDialPercentage", "trafficDialPercentage", { trafficDialPercentage: 50.5 }, /integer/],
    ["a string trafficDialPercentage", "trafficDialPercentage", { trafficDialPercentage: "50" }, /number/],
    ["a missing regionId", "regionId", { regionId: undefined }, /./],
    ["a missing listenerId", "listenerId", { listenerId: undefined }, /./],
    ["a negative timeout", "timeouts.update", { timeouts: { update: -5 } }, /./],
    ["a duration without a unit", "timeouts.create", { timeouts: { create: "10" } }, /./],
    ["a duration in days", "timeouts.create", { timeouts: { create: "2d" } }, /./],
  ];
  it.each(bad)("rejects %s, naming %s", async (_what, property, patch, reason) => {
    const { failures } = await check({ regionId: REGION, listenerId: L, name: "eg-valid", ...patch });
    expect(failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  it("accepts the limits themselves: 0 and 100 percent, 64-character names, 255-character descriptions", async () => {
    for (const trafficDialPercentage of [0, 100]) {
      await checked({ regionId: REGION, listenerId: L, name: "n".repeat(64), description: "d".repeat(255), trafficDialPercentage });
    }
  });

  it("rejects an unknown property (listeners are one listenerId here)", async () => {
    const { failures } = await check({ regionId: REGION, listenerId: L, name: "eg", listeners: [{ id: L }] });
    expect(failures).toEqual([{ property: "listeners", reason: expect.stringContaining("write listenerId") }]);
  });

  it("reports every failure at once", async () => {
    const { failures } = await check({ regionId: "X_1", listenerId: "nope", name: "a b", description: "<", trafficDialPercentage: 200 });
    expect(failures.map((f) => f.property).sort()).toEqual(["description", "listenerId", "name", "regionId", "trafficDialPercentage"]);
  });

  it("fills trafficDialPercentage 100 so the plan shows it, and keeps an explicit 0", async () => {
    expect(await checked({ regionId: REGION, listenerId: L, name: "eg" })).toMatchObject({ trafficDialPercentage: 100 });
    expect(await checked({ regionId: REGION, listenerId: L, name: "eg", trafficDialPercentage: 0 })).toMatchObject({ trafficDialPercentage: 0 });
  });

  describe("unknowns during preview", () => {
    it("does not judge unknown values (even in a number field) but still judges the known ones", async () => {
      const { inputs, failures } = await check({ regionId: UNKNOWN, listenerId: L, name: "bad name", trafficDialPercentage: UNKNOWN });
      expect(failures).toEqual([{ property: "name", reason: expect.any(String) }]);
      expect(inputs).toMatchObject({ regionId: UNKNOWN, trafficDialPercentage: UNKNOWN });
    });

    it("passes unknowns through unchanged when everything known is valid", async () => {
      const { inputs, failures } = await check({ regionId: REGION, listenerId: UNKNOWN, name: UNKNOWN, description: UNKNOWN });
      expect(failures).toEqual([]);
      expect(inputs).toMatchObject({ listenerId: UNKNOWN, name: UNKNOWN, description: UNKNOWN, trafficDialPercentage: 100 });
    });

    it("diffs an unknown trafficDialPercentage as an in-place change, without API calls", async () => {
      const { id, outs, inputs } = await create({ listenerId: newListener(), name: "eg-unk" });
      h.resetCalls();
      expect(await h.rt.diff(KIND, id, outs, { ...inputs, trafficDialPercentage: UNKNOWN }))
        .toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
      expect(h.calls()).toEqual([]);
    });
  });

  describe("autonaming", () => {
    it("derives the name from the resource name plus a random suffix, within 64 characters", async () => {
      const inputs = await checked({ regionId: REGION, listenerId: L, logicalName: "web origins" });
      expect(inputs.name).toMatch(/^web-origins-[0-9a-f]{7}$/);
      const long = await checked({ regionId: REGION, listenerId: L, logicalName: "y".repeat(100) });
      expect(long.name.length).toBeLessThanOrEqual(64);
      expect(long.name).toMatch(/^y+-[0-9a-f]{7}$/);
    });

    it("keeps the chosen name on later checks and through create and diff", async () => {
      const listenerId = newListener();
      const first = await checked({ regionId: REGION, listenerId, logicalName: "edge" });
      const again = await checked({ regionId: REGION, listenerId, logicalName: "edge", trafficDialPercentage: 100 }, first);
      expect(again.name).toBe(first.name);
      expect((await checked({ regionId: REGION, listenerId, logicalName: "edge" })).name).not.toBe(first.name);
      const { id, outs } = await h.rt.create(KIND, first);
      expect(outs.name).toBe(first.name);
      expect((await h.rt.diff(KIND, id, outs, again)).changes).toBe(false);
    });
  });
});

describe("EndpointGroup create recovery and adoption", () => {
  it("recovers a create whose answer was lost: exactly one group afterwards, found by listener and region", async () => {
    const listenerId = newListener();
    h.emulator.inject({ service: "ga", action: "CreateEndpointGroup", kind: "drop-after", count: 1 });
    const { id, outs } = await create({ listenerId, name: "eg-lost", trafficDialPercentage: 0 });
    const groups = groupsOn(listenerId);
    expect(groups.map((g) => g.id)).toEqual([id]);
    expect(outs).toMatchObject({ endpointGroupId: id, status: "ACTIVE", trafficDialPercentage: 0 });
    expect(count("CreateEndpointGroup")).toBe(1);
    expect(count("ListEndpointGroups")).toBeGreaterThanOrEqual(1);
  });

  it("creates again after a server error that applied nothing: still exactly one group", async () => {
    const listenerId = newListener();
    h.emulator.inject({ service: "ga", action: "CreateEndpointGroup", kind: "error", code: "GA.9201", status: 500, count: 1 });
    const { id } = await create({ listenerId, name: "eg-500" });
    expect(groupsOn(listenerId).map((g) => g.id)).toEqual([id]);
    expect(count("CreateEndpointGroup")).toBe(2);
  });

  it("adopts an existing group by adoptId and converges it without creating", async () => {
    const listenerId = newListener();
    const existing = await apiCreate(listenerId, { traffic_dial_percentage: 20 });
    h.resetCalls();
    const { id, outs } = await create({ listenerId, name: "eg-adopted", trafficDialPercentage: 0, adoptId: existing });
    expect(id).toBe(existing);
    expect(outs).toMatchObject({ endpointGroupId: existing, name: "eg-adopted", trafficDialPercentage: 0, status: "ACTIVE" });
    expect(writes(h.calls()).map((c) => c.action)).toEqual(["UpdateEndpointGroup"]);
    expect(sentBody("UpdateEndpointGroup")).toEqual({ endpoint_group: { name: "eg-adopted", traffic_dial_percentage: 0 } });
    expect(groupsOn(listenerId)).toHaveLength(1);
  });

  it("refuses to adopt a missing group, naming adoptId", async () => {
    const err = await failureOf(create({ listenerId: newListener(), name: "eg-ghost", adoptId: "3a9f50bb-f041-4eac-a117-82472d8a0007" }));
    expect(err.failures).toEqual([{ property: "adoptId", reason: expect.stringContaining("3a9f50bb-f041-4eac-a117-82472d8a0007") }]);
    expect(writes(h.calls())).toEqual([]);
  });

  it("refuses to adopt a group in another region, naming regionId", async () => {
    const listenerId = newListener();
    const existing = await apiCreate(listenerId);
    const err = await failureOf(create({ listenerId, regionId: OTHER_REGION, name: "console-made", adoptId: existing }));
    expect(err.failures).toEqual([{ property: "regionId", reason: expect.stringMatching(/cannot be changed in place/) }]);
  });
});
