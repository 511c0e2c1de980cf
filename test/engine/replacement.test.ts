/**
 * Replacements as Pulumi performs them (shared/reference/pulumi-engine-semantics.md §3.1–3.3): the old half of a
 * create-before-delete replacement stays in state marked `delete: true` until its delete succeeds, across failed
 * runs; a delete-before-replace whose create fails leaves `pendingReplacement: true`; a replacement re-runs Check
 * with empty olds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED } from "../../emulator/core/defaults";
import { EndpointGroup, OriginGroup, UserGroup } from "../../provider";
import { nameOf, opsOf, startRig, writesOf, type EngineRig } from "./setup";

/** The user group's description follows the endpoint group's id, so it changes after every replacement. */
const regional = (regionId: string) => () => {
  const eg = new EndpointGroup("eg", { listenerId: SEED.gaListenerId, regionId, name: "edge", trafficDialPercentage: 10 });
  new UserGroup("ug", { zoneId: SEED.cicZoneId, groupName: "edge-owners", description: eg.endpointGroupId.apply((id) => `owners of ${id}`) });
};
const origin = (type: "HTTP" | "GENERAL", name?: string) => () => {
  new OriginGroup("og", {
    zoneId: SEED.teoZoneId, type, ...(name ? { name } : {}),
    records: [{ record: "203.0.113.10" }], ...(type === "HTTP" ? { hostHeader: "www.example.com" } : {}),
  });
};
const nothing = () => () => {};

describe("replacements (reference §3.1–3.3)", () => {
  let rig: EngineRig;
  beforeAll(async () => {
    rig = await startRig();
  }, 60_000);
  afterAll(async () => rig?.close());

  const egEntries = () => rig.engine.resources().filter((r) => nameOf(r.urn) === "eg");

  it("§3.2/§3.3: keeps the old half of a create-first replacement as delete:true when a later step fails, and deletes it on the next up", async () => {
    expect((await rig.engine.up(regional("cn-east-3"))).errors).toEqual([]);
    const oldId = egEntries()[0].id;
    // The dependent's update (after the create-replacement) fails: the run stops before its deletes.
    rig.emulator.inject({ service: "organization", action: "UpdateGroup", kind: "error", code: "InvalidParameter" });
    const failed = await rig.engine.up(regional("cn-south-1"));
    expect(failed.ok).toBe(false);
    expect(failed.errors.join("\n")).toMatch(/UserGroup ug/);
    expect(egEntries().map((r) => ({ id: r.id, delete: r.delete ?? false }))).toEqual([
      { id: oldId, delete: true },
      { id: expect.not.stringMatching(oldId!), delete: false },
    ]);
    expect(rig.engine.exportState().deployment.pending_operations).toBeUndefined();
    expect((await rig.live()).endpoint.map((g) => g.regionId).sort()).toEqual(["cn-east-3", "cn-south-1"]);

    const repaired = await rig.engine.up(regional("cn-south-1"));
    expect(repaired.errors).toEqual([]);
    expect(opsOf(repaired)).toEqual(["delete-replaced eg", "same eg", "update ug"]);
    expect(egEntries().map((r) => r.delete ?? false)).toEqual([false]);
    const live = (await rig.live()).endpoint;
    expect(live.map((g) => [g.id, g.regionId])).toEqual([[egEntries()[0].id, "cn-south-1"]]);
  }, 120_000);

  it("§3.3: keeps the old half marked delete:true when its own delete fails, and retries that delete on the next up", async () => {
    const oldId = egEntries()[0].id;
    rig.emulator.inject({ service: "ga", action: "DeleteEndpointGroup", kind: "error", code: "GA.0400", status: 400 });
    const failed = await rig.engine.up(regional("ap-southeast-1"));
    expect(failed.ok).toBe(false);
    expect(failed.errors.join("\n")).toMatch(/EndpointGroup eg: delete failed/);
    expect(egEntries().find((r) => r.id === oldId)?.delete).toBe(true);
    expect((await rig.live()).endpoint).toHaveLength(2);

    const repaired = await rig.engine.up(regional("ap-southeast-1"));
    expect(repaired.errors).toEqual([]);
    expect(opsOf(repaired)).toEqual(["delete-replaced eg", "same eg", "same ug"]);
    expect(writesOf(repaired)).toEqual(["DeleteEndpointGroup"]);
    expect((await rig.live()).endpoint.map((g) => g.regionId)).toEqual(["ap-southeast-1"]);
    expect((await rig.engine.destroy()).errors).toEqual([]);
  }, 120_000);

  it("§3.2/§3.3: a delete-first replacement whose create fails leaves pendingReplacement:true; the next up creates without deleting again", async () => {
    expect((await rig.engine.up(origin("HTTP", "web"))).errors).toEqual([]);
    const oldId = rig.engine.resources()[0].id;
    rig.emulator.inject({ service: "teo", action: "CreateOriginGroup", kind: "error", code: "InvalidParameter" });
    const failed = await rig.engine.up(origin("GENERAL", "web"));
    expect(failed.ok).toBe(false);
    expect(writesOf(failed)).toEqual(["DeleteOriginGroup", "CreateOriginGroup"]);
    expect(rig.engine.resources().map((r) => ({ id: r.id, pendingReplacement: r.pendingReplacement }))).toEqual([{ id: oldId, pendingReplacement: true }]);
    expect((await rig.live()).origin).toEqual([]);

    const repaired = await rig.engine.up(origin("GENERAL", "web"));
    expect(repaired.errors).toEqual([]);
    expect(opsOf(repaired)).toEqual(["replace og"]);
    expect(writesOf(repaired)).toEqual(["CreateOriginGroup"]);
    expect(rig.engine.resources().map((r) => r.pendingReplacement ?? false)).toEqual([false]);
    expect((await rig.live()).origin.map((g) => g.Type)).toEqual(["GENERAL"]);
  }, 120_000);

  it("§3.3: a pending replacement no longer declared is dropped without a provider call", async () => {
    rig.emulator.inject({ service: "teo", action: "CreateOriginGroup", kind: "error", code: "InvalidParameter" });
    expect((await rig.engine.up(origin("HTTP", "web"))).ok).toBe(false);
    expect(rig.engine.resources()[0].pendingReplacement).toBe(true);
    const dropped = await rig.engine.up(nothing());
    expect(dropped.errors).toEqual([]);
    expect(opsOf(dropped)).toEqual(["remove-pending-replace og"]);
    expect(dropped.calls).toEqual([]);
    expect(rig.engine.resources()).toEqual([]);
  }, 120_000);

  it("§3.1: a replacement re-runs Check with empty olds (an autonamed resource gets a fresh name)", async () => {
    expect((await rig.engine.up(origin("HTTP"))).errors).toEqual([]);
    const before = rig.engine.outputs("og")!.name as string;
    const replaced = await rig.engine.up(origin("GENERAL"));
    expect(replaced.errors).toEqual([]);
    expect(opsOf(replaced)).toEqual(["replace og"]);
    const after = rig.engine.outputs("og")!.name as string;
    expect(after).toMatch(/^og-[0-9a-f]{7}$/);
    expect(after).not.toBe(before);
    expect((await rig.engine.destroy()).errors).toEqual([]);
    expect(await rig.live()).toEqual({ origin: [], ipGroup: [], user: [], endpoint: [] });
  }, 120_000);
});
