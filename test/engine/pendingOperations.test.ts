/**
 * Pending operations and a provider killed mid-call (shared/reference/pulumi-engine-semantics.md §3.2–3.4):
 * the operation is written before each create/update/delete and removed when the call returns; a provider killed
 * with SIGKILL ends the operation as failed at once, the call in flight stays in `pending_operations`, and the
 * next operation starts a new provider process. The next `up` warns and carries `creating` operations forward,
 * other kinds vanish; `refresh --import-pending-creates` drops an interrupted create without adding the resource
 * (as the real CLI does), and edgeconf recover's state edit turns it into the resource it made.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED } from "../../emulator/core/defaults";
import { UserGroup } from "../../provider";
import { startRig, writesOf, type EngineRig } from "./setup";

const users = (description: string) => () => {
  new UserGroup("ug", { zoneId: SEED.cicZoneId, groupName: "crash-test", description });
};
const nothing = () => () => {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HELD_MS = 1500;

describe("pending operations and a killed provider (reference §3.2–3.4)", () => {
  let rig: EngineRig;
  beforeAll(async () => {
    rig = await startRig();
  }, 60_000);
  afterAll(async () => rig?.close());

  /** Holds the next `action` call in the emulator, then kills the provider while the emulator holds it. */
  const killDuring = async (action: string, op: () => Promise<any>) => {
    rig.emulator.inject({ service: "organization", action, kind: "latency", latencyMs: HELD_MS });
    const running = op();
    // The fault leaves the list when it fires: the request has reached the emulator, which applies it later.
    for (let i = 0; i < 400 && rig.emulator.faults().length > 0; i++) await sleep(25);
    expect(rig.emulator.faults()).toEqual([]);
    expect(rig.engine.killProvider()).toBe(true);
    const result = await running;
    await sleep(HELD_MS + 300); // let the held request land, as a request the provider sent before dying does
    return result;
  };

  it("§3.2: a provider killed mid-create fails the up at once and leaves the create pending", async () => {
    const started = Date.now();
    const r = await killDuring("CreateGroup", () => rig.engine.up(users("v1")));
    expect(r.ok).toBe(false);
    expect(r.errors.join("\n")).toMatch(/UserGroup ug: create failed: the provider process exited \(SIGKILL\)/);
    expect(Date.now() - started).toBeLessThan(30_000);
    const state = rig.engine.exportState();
    expect(rig.engine.resources()).toEqual([]);
    expect(state.deployment.pending_operations).toEqual([
      { type: "creating", resource: expect.objectContaining({ urn: expect.stringMatching(/::ug$/), inputs: expect.objectContaining({ groupName: "crash-test" }) }) },
    ]);
    expect(state.deployment.pending_operations![0].resource.id).toBeUndefined();
    expect((await rig.live()).user.map((g) => g.name)).toEqual(["crash-test"]);
  }, 60_000);

  it("§3.3: the next up warns, starts a new provider process and carries the pending create forward", async () => {
    const r = await rig.engine.up(nothing());
    expect(r.errors).toEqual([]);
    expect(r.warnings.join("\n")).toMatch(/with 1 pending operations from previous deployment[\s\S]*::ug, interrupted while creating/);
    expect(rig.engine.exportState().deployment.pending_operations?.map((p) => p.type)).toEqual(["creating"]);
  }, 60_000);

  it("§3.4: edgeconf recover's state edit makes the interrupted create a managed resource; the next up changes nothing", async () => {
    const urn = rig.engine.exportState().deployment.pending_operations![0].resource.urn;
    const id = (await rig.live()).user[0].id;
    rig.engine.recoverPendingCreates([{ urn, id }]);
    const refreshed = await rig.engine.refresh();
    expect(refreshed.errors).toEqual([]);
    expect(rig.engine.exportState().deployment.pending_operations).toBeUndefined();
    expect(rig.engine.resources().map((r) => r.id)).toEqual([id]);
    const up = await rig.engine.up(users("v1"));
    expect(up.errors).toEqual([]);
    expect(writesOf(up)).toEqual([]);
    expect((await rig.live()).user).toHaveLength(1);
  }, 60_000);

  it("§3.3: an update interrupted by a kill stays pending until the next write, and the next up converges", async () => {
    const r = await killDuring("UpdateGroup", () => rig.engine.up(users("v2")));
    expect(r.ok).toBe(false);
    expect(rig.engine.exportState().deployment.pending_operations?.map((p) => p.type)).toEqual(["updating"]);
    const next = await rig.engine.up(users("v2"));
    expect(next.errors).toEqual([]);
    expect(next.warnings.join("\n")).toMatch(/interrupted while updating/);
    expect(rig.engine.exportState().deployment.pending_operations).toBeUndefined();
    expect((await rig.live()).user.map((g) => g.description)).toEqual(["v2"]);
  }, 60_000);

  it("§3.2: a delete interrupted by a kill keeps the resource in state; the next destroy finishes it", async () => {
    const r = await killDuring("DeleteGroup", () => rig.engine.destroy());
    expect(r.ok).toBe(false);
    expect(rig.engine.resources()).toHaveLength(1);
    expect(rig.engine.exportState().deployment.pending_operations?.map((p) => p.type)).toEqual(["deleting"]);
    const again = await rig.engine.destroy();
    expect(again.errors).toEqual([]);
    expect(rig.engine.exportState().deployment).toMatchObject({ resources: [] });
    expect(rig.engine.exportState().deployment.pending_operations).toBeUndefined();
    expect((await rig.live()).user).toEqual([]);
  }, 60_000);

  it("§3.4 as pulumi v3.276.0 does it: refresh --import-pending-creates drops the create, adds nothing; the next up is refused naming edgeconf recover", async () => {
    const killed = await killDuring("CreateGroup", () => rig.engine.up(users("v3")));
    expect(killed.ok).toBe(false);
    const urn = rig.engine.exportState().deployment.pending_operations![0].resource.urn;
    const id = (await rig.live()).user[0].id;
    const refreshed = await rig.engine.refresh({ importPendingCreates: [{ urn, id }] });
    expect(refreshed.errors).toEqual([]);
    expect(rig.engine.exportState().deployment.pending_operations).toBeUndefined();
    expect(rig.engine.resources()).toEqual([]);
    const up = await rig.engine.up(users("v3"));
    expect(up.errors.join("\n")).toMatch(/GroupNameAlreadyExists[\s\S]*`npx edgeconf recover --run` puts it back under the stack/);
    await rig.emulator.services.organization.backend.admin("deleteGroup", { groupId: id });
  }, 60_000);
});
