/**
 * `edgeconf drift` on a state produced through Pulumi's dynamic-provider process: clean right after `up`,
 * exit 2 naming the exact field after an out-of-band change, and gone resources reported.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SEED } from "../../emulator/core/defaults";
import { EndpointGroup, OriginGroup, SecurityIPGroup, UserGroup } from "../../provider";
import { Engine } from "../../engine/engine";

const ROOT = path.resolve(__dirname, "..", "..");
const CLI = path.join(ROOT, "dist/provider/drift/cli.js");

const program = () => {
  new OriginGroup("web", {
    zoneId: SEED.teoZoneId,
    type: "HTTP",
    records: [{ record: "203.0.113.10", weight: 60 }, { record: "origin.example.com", weight: 40 }],
  });
  new SecurityIPGroup("office", { zoneId: SEED.teoZoneId, content: ["198.51.100.0/24", "203.0.113.7"] });
  new UserGroup("ops", { zoneId: SEED.cicZoneId, description: "edge operators" });
  new EndpointGroup("eu", { listenerId: SEED.gaListenerId, regionId: "eu-west-101", trafficDialPercentage: 0 });
};

describe("edgeconf drift", () => {
  let emulator: RunningEmulator;
  let engine: Engine;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  // Asynchronous on purpose: the emulator lives in this process's event loop.
  const run = (args: string[], runEnv: NodeJS.ProcessEnv) =>
    new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(process.execPath, [CLI, ...args], { env: runEnv, encoding: "utf8" }, (error, out, err) =>
        resolve({ code: error ? Number(error.code) : 0, out, err }));
    });
  const drift = (format = "text") => {
    const file = path.join(dir, "export.json");
    fs.writeFileSync(file, JSON.stringify(engine.exportState()));
    return run(["drift", file, "--format", format], env);
  };

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, credentialEnv: {}, settings: { gaPendingMs: 100 } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-drift-"));
    const c = emulator.credentials;
    env = {
      PATH: process.env.PATH,
      EDGECONF_ENDPOINT: emulator.url,
      TENCENTCLOUD_SECRET_ID: c.tencentSecretId,
      TENCENTCLOUD_SECRET_KEY: c.tencentSecretKey,
      HW_ACCESS_KEY: c.huaweiAccessKey,
      HW_SECRET_KEY: c.huaweiSecretKey,
      HW_PROJECT_ID: c.huaweiProjectId,
    };
    engine = new Engine({ dir: ROOT, env: { ...process.env, ...env } });
    const r = await engine.up(program);
    expect(r.errors).toEqual([]);
  }, 60_000);

  afterAll(async () => {
    await emulator?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is clean right after up (exit 0)", async () => {
    const r = await drift();
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/no drift in 4 resource\(s\)/);
  });

  it("names the exact field changed out of band (exit 2), in text, json and markdown", async () => {
    await emulator.services.teo.backend.admin("patchOriginGroup", {
      groupId: engine.outputs("web")!.groupId,
      patch: { Records: [{ Record: "203.0.113.10", Type: "IP_DOMAIN", Weight: 99 }, { Record: "origin.example.com", Type: "IP_DOMAIN", Weight: 1 }] },
    });
    await emulator.services.ga.backend.admin("patchEndpointGroup", { id: engine.outputs("eu")!.endpointGroupId, traffic_dial_percentage: 50 });
    const text = await drift();
    expect(text.code).toBe(2);
    expect(text.out).toContain("records[record=203.0.113.10].weight: 60 → 99");
    expect(text.out).toContain("trafficDialPercentage: 0 → 50");
    expect(text.out).toMatch(/2 of 4 resource\(s\) drifted/);

    const json = JSON.parse((await drift("json")).out);
    const web = json.resources.find((r: any) => r.name === "web");
    expect(web.status).toBe("drifted");
    expect(web.fields).toContainEqual({ path: "records[record=origin.example.com].weight", state: 40, live: 1 });
    expect(json.resources.find((r: any) => r.name === "ops").status).toBe("clean");

    expect((await drift("markdown")).out).toContain("| OriginGroup `web` | drifted | `records[record=203.0.113.10].weight` | `60` | `99` |");
  });

  it("reports a resource deleted outside Pulumi as drift", async () => {
    await emulator.services.organization.backend.admin("deleteGroup", { groupId: engine.outputs("ops")!.groupId });
    const r = await drift();
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/gone\s+UserGroup ops/);
  });

  it("exits 1 with a clear message when credentials are missing, never printing secrets", async () => {
    const file = path.join(dir, "export.json");
    const r = await run(["drift", file], { PATH: process.env.PATH, EDGECONF_ENDPOINT: emulator.url });
    expect(r.code).toBe(1);
    expect(r.out + r.err).toMatch(/TENCENTCLOUD_SECRET_ID|tencentcloud:secretId/);
  });
});
