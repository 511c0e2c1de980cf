/**
 * Partial creates, refresh and parallelism (shared/reference/pulumi-engine-semantics.md §3.5, §4.1, §4.2): a
 * create that left a resource behind is kept with its id and `initErrors`, which force an update on the next
 * `up`; refresh decides same/update with the provider's Diff of what it read against the stored inputs, while
 * saving every output it read; steps are bounded by `parallel`, CPU count × 4 unless PULUMI_PARALLEL says otherwise.
 */
import * as os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED } from "../../emulator/core/defaults";
import { defaultParallelism } from "../../engine/engine";
import { EndpointGroup, UserGroup } from "../../provider";
import { opsOf, startRig, writesOf, type EngineRig } from "./setup";

const edge = (timeouts?: { create: number }) => () => {
  new EndpointGroup("eg", { listenerId: SEED.gaListenerId, regionId: "cn-north-4", name: "slow", trafficDialPercentage: 5, ...(timeouts ? { timeouts } : {}) });
};
const teams = (n: number) => () => {
  for (let i = 0; i < n; i++) new UserGroup(`team${i}`, { zoneId: SEED.cicZoneId, groupName: `team-${i}` });
};

describe("partial creates and refresh (reference §3.5, §4.2)", () => {
  let rig: EngineRig;
  beforeAll(async () => {
    rig = await startRig();
  }, 60_000);
  afterAll(async () => rig?.close());
  const ga = (op: string, args: Record<string, unknown>) => (rig.emulator.services as any).ga.backend.admin(op, args);

  it("§3.5: keeps a partial create with its id and initErrors, and updates it on the next up although nothing changed", async () => {
    rig.emulator.settings.gaPendingMs = 4000; // PENDING outlasts the 1 s create deadline
    const failed = await rig.engine.up(edge({ create: 1 }));
    expect(failed.ok).toBe(false);
    expect(failed.errors.join("\n")).toMatch(/EndpointGroup eg: created with initialization errors: .*did not become ACTIVE/);
    const [entry] = rig.engine.resources();
    expect(entry.id).toMatch(/\S/);
    expect(entry.initErrors?.[0]).toMatch(/did not become ACTIVE/);
    expect(rig.engine.outputs("eg")?.status).toBe("PENDING");

    rig.emulator.settings.gaPendingMs = 20;
    const next = await rig.engine.up(edge({ create: 1 }));
    expect(next.errors).toEqual([]);
    expect(opsOf(next)).toEqual(["update eg"]);
    expect(writesOf(next)).toEqual([]); // the live group already matches: the update only finishes the wait
    expect(rig.engine.resources()[0].initErrors).toBeUndefined();
    expect(rig.engine.outputs("eg")?.status).toBe("ACTIVE");
  }, 60_000);

  it("§4.2: refresh saves an output-only change but reports it as same, because Diff finds no change to the inputs", async () => {
    const id = rig.engine.resources()[0].id;
    ga("freeze", { id, status: 1 });
    const r = await rig.engine.refresh();
    expect(r.errors).toEqual([]);
    expect(r.steps.map((s) => [s.op, s.keys])).toEqual([["refresh-same", expect.arrayContaining(["frozenInfo"])]]);
    expect(rig.engine.outputs("eg")?.frozenInfo).toMatchObject({ status: 1 });
    ga("freeze", { id, status: 0 });
  }, 60_000);

  it("§4.2: refresh reports an update when what it read differs from the stored inputs", async () => {
    ga("patchEndpointGroup", { id: rig.engine.resources()[0].id, traffic_dial_percentage: 50 });
    const r = await rig.engine.refresh();
    expect(r.steps.map((s) => s.op)).toEqual(["refresh-update"]);
    expect(rig.engine.outputs("eg")?.trafficDialPercentage).toBe(50);
    expect((await rig.engine.up(edge({ create: 1 }))).steps.map((s) => s.op)).toEqual(["update"]);
    expect((await rig.engine.destroy()).errors).toEqual([]);
  }, 60_000);
});

describe("parallelism (reference §4.1)", () => {
  it("defaults to the CPU count × 4, or PULUMI_PARALLEL when it is positive", () => {
    const cpus = os.availableParallelism?.() ?? os.cpus().length;
    expect(defaultParallelism({})).toBe(cpus * 4);
    expect(defaultParallelism({ PULUMI_PARALLEL: "3" })).toBe(3);
    expect(defaultParallelism({ PULUMI_PARALLEL: "0" })).toBe(cpus * 4);
  });

  it("never runs more steps or refresh reads at once than `parallel`", async () => {
    const rig = await startRig({ parallel: 2 });
    try {
      const up = await rig.engine.up(teams(6));
      expect(up.errors).toEqual([]);
      expect(up.peak).toBe(2);
      const refreshed = await rig.engine.refresh();
      expect(refreshed.peak).toBe(2);
      expect((await rig.engine.destroy()).errors).toEqual([]);
    } finally {
      await rig.close();
    }
    const wide = await startRig({ parallel: 16 });
    try {
      const up = await wide.engine.up(teams(6));
      expect(up.peak).toBeGreaterThan(2); // six independent registrations overlap when allowed
      expect((await wide.engine.destroy()).errors).toEqual([]);
    } finally {
      await wide.close();
    }
  }, 120_000);
});
