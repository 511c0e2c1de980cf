/**
 * Every example program runs against the emulator through Pulumi's dynamic-provider process: up, a no-op up
 * with no API call, a clean refresh, destroy leaving nothing. Without its required ids, the preview fails
 * before any API call. (test/package/ type-checks the examples against the packed package.)
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SEED } from "../../emulator/core/defaults";
import { Engine } from "../../engine/engine";
import { program as tencentEdgeone } from "../../examples/tencent-edgeone/program";
import { program as huaweiGa } from "../../examples/huawei-ga/program";

const ROOT = path.resolve(__dirname, "..", "..");

describe.each([
  {
    example: "tencent-edgeone", program: tencentEdgeone, resources: 3,
    project: "edgeconf-tencent-edgeone", settings: { zoneId: SEED.teoZoneId, cicZoneId: SEED.cicZoneId },
  },
  {
    example: "huawei-ga", program: huaweiGa, resources: 2,
    project: "edgeconf-huawei-ga", settings: { listenerId: SEED.gaListenerId },
  },
])("example $example", ({ program, resources, project, settings }) => {
  let emulator: RunningEmulator;
  let engine: Engine;
  const projectConfig = Object.fromEntries(Object.entries(settings).map(([k, v]) => [`${project}:${k}`, v]));

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, credentialEnv: {}, settings: { gaPendingMs: 100 } });
    // The provider process runs in the repository root so it resolves pulumi-edgeconf/runtime from this checkout;
    // a user's copy resolves it from its own node_modules.
    engine = new Engine({
      dir: ROOT,
      project,
      emulatorUrl: emulator.url,
      config: { ...emulator.stackConfig, ...projectConfig },
      secretKeys: emulator.stackSecretKeys,
    });
  });

  afterAll(async () => emulator?.close());

  it("fails the preview, before any API call, when a required id is not configured", async () => {
    const [first] = Object.keys(settings);
    const { [`${project}:${first}`]: _, ...rest } = projectConfig;
    const r = await new Engine({ dir: ROOT, project, emulatorUrl: emulator.url, config: { ...emulator.stackConfig, ...rest } }).preview(program);
    expect(r.ok).toBe(false);
    expect(r.errors.join("\n")).toContain(`Missing required configuration variable '${project}:${first}'`);
    expect(r.calls).toEqual([]);
  }, 30_000);

  it("goes through up, a no-op up, a clean refresh and destroy", async () => {
    const up = await engine.up(program);
    expect(up.errors).toEqual([]);
    expect(up.steps.filter((s) => s.op === "create")).toHaveLength(resources);

    const again = await engine.up(program);
    expect(again.changes).toBe(0);
    expect(again.calls).toEqual([]);

    const refresh = await engine.refresh();
    expect(refresh.errors).toEqual([]);
    expect(refresh.changes).toBe(0);

    const destroy = await engine.destroy();
    expect(destroy.errors).toEqual([]);
    expect(await (await fetch(`${emulator.url}/_emulator/counts`)).json()).toEqual({ teo: 0, organization: 0, ga: 0 });
  }, 90_000);
});
