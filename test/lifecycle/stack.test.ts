/**
 * The lifecycle suite: a stack of all four resources driven through Pulumi's own dynamic-provider process
 * (the test engine), against the emulator. What users run, step by step, in the order they run it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SEED } from "../../emulator/core/defaults";
import { EndpointGroup, OriginGroup, SecurityIPGroup, UserGroup } from "../../provider";
import { Engine, type OperationResult } from "../../engine/engine";

const ROOT = path.resolve(__dirname, "..", "..");
const MUTATING = /^(Create|Modify|Update|Delete)/;

interface Params {
  originType?: "HTTP" | "GENERAL";
  weights?: [number, number];
  ipContent?: string[];
  description?: string;
  dial?: number;
  /** the user group's description follows the origin group id: unknown while that group is being replaced */
  dependent?: boolean;
}

function stack(p: Params = {}) {
  return () => {
    const web = new OriginGroup("web", {
      zoneId: SEED.teoZoneId,
      name: "web-origins",
      type: p.originType ?? "HTTP",
      records: [
        { record: "203.0.113.10", weight: p.weights?.[0] ?? 60 },
        { record: "origin.example.com", weight: p.weights?.[1] ?? 40 },
      ],
      ...(p.originType === "GENERAL" ? {} : { hostHeader: "www.example.com" }),
    });
    new SecurityIPGroup("office", {
      zoneId: SEED.teoZoneId,
      content: p.ipContent ?? ["198.51.100.0/24", "203.0.113.7", "2001:db8::/48"],
    });
    new UserGroup("ops", {
      zoneId: SEED.cicZoneId,
      groupName: "edge-operators",
      description: p.dependent ? web.groupId.apply((id) => `owners of ${id}`) : p.description ?? "People who change edge configuration",
    });
    new EndpointGroup("eu", {
      listenerId: SEED.gaListenerId,
      regionId: "eu-west-101",
      trafficDialPercentage: p.dial ?? 0,
    });
  };
}

const mutating = (r: OperationResult) => r.calls.filter((c) => MUTATING.test(c.action));
const stepOf = (r: OperationResult, name: string) => r.steps.find((s) => s.name === name);

describe("a stack of all four resources through Pulumi's dynamic-provider process", () => {
  let emulator: RunningEmulator;
  let engine: Engine;
  let stateDir: string;
  const secretKey = "lifecycleSecretKey-1234567890abcd";

  beforeAll(async () => {
    emulator = await startEmulator({
      quiet: true,
      credentialEnv: {},
      credentials: { tencentSecretId: "AKIDLIFECYCLE000000000000000000000000", tencentSecretKey: secretKey },
      settings: { gaPendingMs: 200 },
    });
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-lifecycle-"));
    engine = new Engine({
      dir: ROOT,
      stateFile: path.join(stateDir, "dev.json"),
      emulatorUrl: emulator.url,
      config: emulator.stackConfig,
      secretKeys: emulator.stackSecretKeys,
      // credentials reach the provider through Configure only, never through its environment
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TENCENTCLOUD|HW)_/.test(k))),
    });
  }, 60_000);

  afterAll(async () => {
    await emulator?.close();
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it("previews a new stack as four creates without calling any mutating API", async () => {
    const r = await engine.preview(stack());
    expect(r.errors).toEqual([]);
    expect(r.steps.map((s) => s.op).sort()).toEqual(["create", "create", "create", "create"]);
    expect(mutating(r)).toEqual([]);
    expect(engine.resources()).toEqual([]);
  }, 60_000);

  it("previews with an unknown input (an id not created yet) without judging it", async () => {
    const r = await engine.preview(stack({ dependent: true }));
    expect(r.failures).toEqual([]);
    expect(stepOf(r, "ops")?.op).toBe("create");
  }, 60_000);

  it("fails preview on bad input, naming the property, before any API call", async () => {
    const r = await engine.preview(stack({ weights: [0, 0] }));
    expect(r.ok).toBe(false);
    expect(r.failures).toContainEqual(expect.objectContaining({ property: "records", reason: expect.stringMatching(/above 0/) }));
    expect(r.calls).toEqual([]);
  }, 60_000);

  it("creates everything with up", async () => {
    const r = await engine.up(stack());
    expect(r.errors).toEqual([]);
    expect(r.steps.filter((s) => s.op === "create")).toHaveLength(4);
    const counts = await (await fetch(`${emulator.url}/_emulator/counts`)).json();
    expect(counts).toEqual({ teo: 2, organization: 1, ga: 1 });
    expect(engine.outputs("eu")).toMatchObject({ status: "ACTIVE", trafficDialPercentage: 0 });
    expect(engine.outputs("office")!.name).toMatch(/^office-[0-9a-f]{7}$/);
  }, 60_000);

  it("makes no API call on a second up with no change", async () => {
    const r = await engine.up(stack());
    expect(r.errors).toEqual([]);
    expect(r.changes).toBe(0);
    expect(r.calls).toEqual([]);
  }, 60_000);

  it("shows no change on refresh right after up", async () => {
    const r = await engine.refresh();
    expect(r.errors).toEqual([]);
    expect(r.changes).toBe(0);
    expect(mutating(r)).toEqual([]);
    const again = await engine.preview(stack());
    expect(again.changes).toBe(0);
  }, 60_000);

  it("updates in place", async () => {
    const before = engine.outputs("web")!.groupId;
    const r = await engine.up(stack({ weights: [30, 70], ipContent: ["198.51.100.0/24", "2001:db8::/48", "192.0.2.1"], description: "", dial: 25 }));
    expect(r.errors).toEqual([]);
    expect(r.steps.filter((s) => s.op === "update").map((s) => s.name).sort()).toEqual(["eu", "office", "ops", "web"]);
    expect(engine.outputs("web")!.groupId).toBe(before);
    expect(engine.outputs("ops")!.description).toBe("");
    expect(engine.outputs("eu")!.trafficDialPercentage).toBe(25);
    // IP groups change by delta: one append and one remove, never the whole list
    const modes = r.calls.filter((c) => c.action === "ModifySecurityIPGroup");
    expect(modes).toHaveLength(2);
  }, 60_000);

  it("replaces when a property the API cannot change changes, and the dependent sees an unknown in preview", async () => {
    const preview = await engine.preview(stack({ originType: "GENERAL", weights: [30, 70], ipContent: ["198.51.100.0/24", "2001:db8::/48", "192.0.2.1"], dial: 25, dependent: true }));
    expect(stepOf(preview, "web")).toMatchObject({ op: "replace", replaces: ["type"] });
    expect(stepOf(preview, "ops")?.op).toBe("update");
    const before = engine.outputs("web")!.groupId;
    const r = await engine.up(stack({ originType: "GENERAL", weights: [30, 70], ipContent: ["198.51.100.0/24", "2001:db8::/48", "192.0.2.1"], dial: 25, dependent: true }));
    expect(r.errors).toEqual([]);
    const after = engine.outputs("web")!;
    expect(after.groupId).not.toBe(before);
    expect(after.type).toBe("GENERAL");
    expect(engine.outputs("ops")!.description).toBe(`owners of ${after.groupId}`);
    const groups = (await emulator.services.teo.backend.admin("listOriginGroups", {})) as unknown[];
    expect(groups).toHaveLength(1); // the old group is gone (deleted first: the name is unique)
  }, 60_000);

  const current = stack({ originType: "GENERAL", weights: [30, 70], ipContent: ["198.51.100.0/24", "2001:db8::/48", "192.0.2.1"], dial: 25, dependent: true });

  it("finds an out-of-band change with refresh and reverts it with up", async () => {
    const web = engine.outputs("web")!;
    await emulator.services.teo.backend.admin("patchOriginGroup", {
      groupId: web.groupId,
      patch: { Records: [{ Record: "203.0.113.10", Type: "IP_DOMAIN", Weight: 99 }, { Record: "origin.example.com", Type: "IP_DOMAIN", Weight: 1 }] },
    });
    await emulator.services.ga.backend.admin("patchEndpointGroup", { id: engine.outputs("eu")!.endpointGroupId, traffic_dial_percentage: 80 });
    const drift = await engine.refresh({ previewOnly: true });
    expect(drift.steps.filter((s) => s.op === "refresh-update").map((s) => s.name).sort()).toEqual(["eu", "web"]);
    expect(stepOf(drift, "web")!.keys).toContain("records");
    expect(stepOf(drift, "eu")!.keys).toContain("trafficDialPercentage");

    await engine.refresh();
    const plan = await engine.preview(current);
    expect(plan.steps.filter((s) => s.op === "update").map((s) => s.name).sort()).toEqual(["eu", "web"]);
    const r = await engine.up(current);
    expect(r.errors).toEqual([]);
    const live = (await emulator.services.teo.backend.admin("getOriginGroup", { groupId: web.groupId })) as any;
    expect(JSON.stringify(live)).toMatch(/"Weight":30|"weight":30/);
    expect((await engine.refresh()).changes).toBe(0);
  }, 90_000);

  it("recreates a resource deleted out of band", async () => {
    const ops = engine.outputs("ops")!;
    await emulator.services.organization.backend.admin("deleteGroup", { groupId: ops.groupId });
    const refreshed = await engine.refresh();
    expect(stepOf(refreshed, "ops")?.op).toBe("refresh-delete");
    const r = await engine.up(current);
    expect(r.errors).toEqual([]);
    expect(stepOf(r, "ops")?.op).toBe("create");
    expect(engine.outputs("ops")!.groupId).not.toBe(ops.groupId);
  }, 60_000);

  it("keeps secrets and credentials out of state, and the serialized provider small and identical per kind", () => {
    const text = JSON.stringify(engine.exportState());
    for (const secret of [secretKey, emulator.credentials.huaweiSecretKey]) expect(text).not.toContain(secret);
    const providers = new Map<string, Set<string>>();
    for (const r of engine.resources()) {
      const p = r.outputs.__provider as string;
      expect(Buffer.byteLength(p)).toBeLessThan(4096);
      providers.set(r.type, (providers.get(r.type) ?? new Set()).add(p));
    }
    expect(providers.size).toBe(4);
    for (const texts of providers.values()) expect(texts.size).toBe(1);
  });

  it("leaves the emulator empty after destroy", async () => {
    const r = await engine.destroy();
    expect(r.errors).toEqual([]);
    expect(engine.resources()).toEqual([]);
    const counts = await (await fetch(`${emulator.url}/_emulator/counts`)).json();
    expect(counts).toEqual({ teo: 0, organization: 0, ga: 0 });
  }, 60_000);

  it("registers the documented type tokens", async () => {
    const types: string[] = [];
    await pulumi.runtime.setMocks({ newResource: (a) => { types.push(a.type); return { id: "x", state: a.inputs }; }, call: () => ({}) }, "p", "s", false);
    stack()();
    await new Promise((r) => setTimeout(r, 200));
    expect(types.sort()).toEqual([
      "pulumi-nodejs:dynamic/huaweicloud/ga:EndpointGroup",
      "pulumi-nodejs:dynamic/tencentcloud/organization:UserGroup",
      "pulumi-nodejs:dynamic/tencentcloud/teo:OriginGroup",
      "pulumi-nodejs:dynamic/tencentcloud/teo:SecurityIPGroup",
    ]);
  });
});
