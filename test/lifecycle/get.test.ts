/**
 * `Resource.get()` and duration-string `timeouts`, as a user's program meets them: through Pulumi's own
 * dynamic-provider process (the engine stand-in) against the emulator.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SEED } from "../../emulator/core/defaults";
import { Engine } from "../../engine/engine";
import { EndpointGroup, OriginGroup, SecurityIPGroup, UserGroup } from "../../provider";

const ROOT = path.resolve(__dirname, "..", "..");

/** The four resources, created by one stack, with deadlines written as Pulumi users write customTimeouts. */
function owner() {
  const web = new OriginGroup("web", {
    zoneId: SEED.teoZoneId, name: "web-origins", type: "HTTP",
    records: [{ record: "203.0.113.10", weight: 60 }, { record: "origin.example.com", weight: 40 }],
    timeouts: { create: "10m", update: "1h30m", delete: 90, read: "90s" },
  });
  const office = new SecurityIPGroup("office", { zoneId: SEED.teoZoneId, content: ["198.51.100.0/24"], timeouts: { create: "1h" } });
  const ops = new UserGroup("ops", { zoneId: SEED.cicZoneId, groupName: "edge-operators", description: "on call" });
  const eu = new EndpointGroup("eu", { listenerId: SEED.gaListenerId, regionId: "eu-west-101", trafficDialPercentage: 30, timeouts: { create: "15m" } });
  return { web, office, ops, eu };
}

describe("Resource.get through Pulumi's dynamic-provider process", () => {
  let emulator: RunningEmulator;
  let engine: Engine;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, credentialEnv: {}, settings: { gaPendingMs: 100 } });
    engine = new Engine({ dir: ROOT, emulatorUrl: emulator.url, config: emulator.stackConfig, secretKeys: emulator.stackSecretKeys });
    const up = await engine.up(owner);
    expect(up.errors).toEqual([]);
    for (const r of engine.resources()) ids[r.urn.split("::").pop()!] = r.id!;
  }, 60_000);

  afterAll(async () => emulator?.close());

  it("accepts seconds and duration strings for timeouts, and keeps them as written", () => {
    expect(engine.outputs("web")!.timeouts).toEqual({ create: "10m", update: "1h30m", delete: 90, read: "90s" });
    expect(engine.outputs("eu")!.timeouts).toEqual({ create: "15m" });
  });

  it("reads each of the four existing resources by id, read-only, in a second program", async () => {
    const seen: Record<string, unknown> = {};
    const reader = new Engine({ dir: ROOT, emulatorUrl: emulator.url, config: emulator.stackConfig, secretKeys: emulator.stackSecretKeys });
    const program = () => {
      const web = OriginGroup.get("web-ref", ids.web, { zoneId: SEED.teoZoneId });
      const office = SecurityIPGroup.get("office-ref", ids.office, { zoneId: SEED.teoZoneId });
      const ops = UserGroup.get("ops-ref", ids.ops, { zoneId: SEED.cicZoneId });
      const eu = EndpointGroup.get("eu-ref", ids.eu);
      web.records.apply((r) => (seen.records = r));
      office.content.apply((c) => (seen.content = c));
      ops.description.apply((d) => (seen.description = d));
      eu.trafficDialPercentage.apply((t) => (seen.dial = t));
    };
    const preview = await reader.preview(program);
    expect(preview.errors).toEqual([]);
    expect(preview.steps.map((s) => s.op)).toEqual(["read", "read", "read", "read"]);

    const up = await reader.up(program);
    expect(up.errors).toEqual([]);
    expect(up.changes).toBe(0);
    expect(up.calls.filter((c) => /^(Create|Modify|Update|Delete)/.test(c.action))).toEqual([]);
    expect(seen).toMatchObject({
      records: [{ record: "203.0.113.10", weight: 60 }, { record: "origin.example.com", weight: 40 }],
      content: ["198.51.100.0/24"],
      description: "on call",
      dial: 30,
    });
    expect(reader.outputs("web-ref")!.groupId).toBe(ids.web);
    expect(reader.outputs("eu-ref")!.status).toBe("ACTIVE");

    // destroy of the reading stack leaves the resources alone
    const destroy = await reader.destroy();
    expect(destroy.errors).toEqual([]);
    expect(destroy.calls).toEqual([]);
    expect(await (await fetch(`${emulator.url}/_emulator/counts`)).json()).toMatchObject({ organization: 1, ga: 1 });
  }, 90_000);

  it("fails the preview when the id does not exist, naming the resource and the id", async () => {
    const reader = new Engine({ dir: ROOT, emulatorUrl: emulator.url, config: emulator.stackConfig, secretKeys: emulator.stackSecretKeys });
    const r = await reader.preview(() => { UserGroup.get("ghost", "g-doesnotexist00", { zoneId: SEED.cicZoneId }); });
    expect(r.ok).toBe(false);
    expect(r.errors.join("\n")).toContain("UserGroup ghost: reading g-doesnotexist00 failed: resource 'g-doesnotexist00' does not exist");
  }, 30_000);

  it.each([
    [{ create: "10 minutes" }, "timeouts.create"],
    [{ read: "-5s" }, "timeouts.read"],
    [{ update: 0 }, "timeouts.update"],
    [{ delete: true }, "timeouts.delete"],
  ])("refuses timeouts %o at preview, naming %s", async (timeouts, property) => {
    const r = await engine.preview(() => {
      new UserGroup("bad-deadline", { zoneId: SEED.cicZoneId, timeouts: timeouts as never });
    });
    expect(r.failures).toEqual([{
      urn: expect.stringContaining("UserGroup::bad-deadline"),
      property,
      reason: 'must be a number of seconds above 0 or a duration such as "90s", "10m" or "1h30m"',
    }]);
  }, 30_000);
});
