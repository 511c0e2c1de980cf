/**
 * Scenario 1: refresh of 1000 OriginGroups, 1000 SecurityIPGroups, 1000 UserGroups and 200 EndpointGroups,
 * each kind in one zone / space / account, seeded straight into the emulator's models.
 *
 * Ours: `refresh --preview-only` through the engine stand-in (the real dynamic-provider process over gRPC) at
 * engine parallelism 1, 8 (Pulumi's default on a 2-core runner: CPU × 4), 16 and unlimited; each run is a fresh
 * provider process, as each `pulumi refresh` is. Baseline, measured in the same run: the official SDK, one
 * Describe (Show/Get) per resource, paced at the documented 20 requests/second, against the same emulator.
 *
 * Pulumi machinery floor, measured in the same run: the same refresh (same engine stand-in, same state shape and
 * size, same parallelism, a fresh provider process each time) through a provider that makes no API call
 * (bench/floorRuntime.ts): what the engine and Pulumi's dynamic-provider process cost whatever the provider does.
 * Ours and the floor alternate at each parallelism so that load on the shared machine hits both alike.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SEED, type RunningEmulator } from "../emulator";
import * as rt from "../provider/runtime";
import { Engine } from "../engine/engine";
import type { StateResource } from "../engine/state";
import { emptyState, saveState } from "../engine/state";
import { inputShape, project } from "./floorRuntime";
import { serializedFloorProvider, serializedProvider } from "./serialized";
import {
  Pacer, ROOT, ZONE, describeActions, now, progress, quiesce, sdkCicClient, sdkGaGet, sdkTeoClient, seedEndpointGroups,
  seedIpGroups, seedOriginGroups, seedUserGroups, sleep, summarise, type Limits,
} from "./support";

export type RefreshKind = "OriginGroup" | "SecurityIPGroup" | "UserGroup" | "EndpointGroup";

export interface EngineRun {
  parallel: number;
  calls: number;
  ms: number;
  /** operation start to the first API call (provider process start, configure) */
  startUpMs: number;
  /** operation start until the provider process answered Configure (spawn, Pulumi's code, Configure) */
  readyMs: number;
  /** CPU the provider process used, start-up included (Linux only) */
  providerCpuMs?: number;
  throttled: number;
  changes: number;
  errors: string[];
  actions: string;
}

export interface FloorRun {
  parallel: number;
  ms: number;
  readyMs: number;
  providerCpuMs?: number;
  calls: number;
  changes: number;
  errors: string[];
}

export interface RefreshFigures {
  kind: RefreshKind;
  count: number;
  mix: string;
  /** list calls a refresh needs at least: ⌈count / page⌉ (plus content pages for big IP groups) */
  callsNeeded: number;
  runs: EngineRun[];
  /** the same refreshes through the no-API provider, one per parallelism, in the order of `runs` */
  floorRuns: FloorRun[];
  baseline: { calls: number; ms: number; throttled: number; found: number };
}

const TYPE: Record<RefreshKind, string> = {
  OriginGroup: "pulumi-nodejs:dynamic/tencentcloud/teo:OriginGroup",
  SecurityIPGroup: "pulumi-nodejs:dynamic/tencentcloud/teo:SecurityIPGroup",
  UserGroup: "pulumi-nodejs:dynamic/tencentcloud/organization:UserGroup",
  EndpointGroup: "pulumi-nodejs:dynamic/huaweicloud/ga:EndpointGroup",
};
const SERVICE: Record<RefreshKind, string> = { OriginGroup: "teo", SecurityIPGroup: "teo", UserGroup: "organization", EndpointGroup: "ga" };
/** Items per list call: DescribeOriginGroup Limit 1000; DescribeSecurityIPGroup unpaged; ListGroups 100; GA 500. */
const PAGE: Record<RefreshKind, number> = { OriginGroup: 1000, SecurityIPGroup: Infinity, UserGroup: 100, EndpointGroup: 500 };
const MIX: Record<RefreshKind, string> = {
  OriginGroup: "GENERAL, 2 records (IPv4 60 + domain 40)",
  SecurityIPGroup: "5 IPv4 entries each",
  UserGroup: "Manual, no description",
  EndpointGroup: "40 listeners × 5 regions, ACTIVE",
};

/** Keys sorted at every level, as a protobuf Struct round trip leaves them (the engine compares JSON text). */
const sortedKeys = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sortedKeys)
    : v !== null && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys((v as any)[k])]))
    : v;

/** Engine options for a program in this repository talking to `emulator` (credentials via Configure only). */
export function engineFor(emulator: RunningEmulator, stateFile: string): Engine {
  return new Engine({
    dir: ROOT,
    stateFile,
    emulatorUrl: emulator.url,
    config: emulator.stackConfig,
    secretKeys: ["tencentcloud:secretKey", "huaweicloud:secretKey"],
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TENCENTCLOUD|HW)_/.test(k))),
  });
}

type Read = Awaited<ReturnType<typeof rt.read>>;

/** The state a previous `up` would have left: the reads' outputs and inputs, each with `provider` as `__provider`. */
function writeState(file: string, kind: RefreshKind, reads: Read[], provider: string) {
  const state = emptyState();
  state.deployment.resources = reads.map((r, i): StateResource => ({
    urn: `urn:pulumi:dev::edgeconf::${TYPE[kind]}::${kind.toLowerCase()}-${i}`,
    custom: true,
    id: r.id,
    type: TYPE[kind],
    inputs: sortedKeys({ ...(r as any).inputs, __provider: provider }) as Record<string, unknown>,
    outputs: sortedKeys({ ...(r as any).props, __provider: provider }) as Record<string, unknown>,
  }));
  saveState(file, state);
}

/**
 * What the floor's read projects from the outputs to report our read's inputs; checked on every resource, so the
 * floor returns exactly the outputs and inputs ours returns.
 */
function floorShape(kind: RefreshKind, reads: Read[]) {
  const shape = inputShape((reads[0] as any).inputs);
  const text = (v: unknown) => JSON.stringify(sortedKeys(v));
  const off = reads.findIndex((r) => text(project((r as any).props, shape)) !== text((r as any).inputs));
  if (off >= 0) throw new Error(`${kind}: the floor's inputs differ from our read's for ${reads[off].id}`);
  return shape;
}

async function seed(emulator: RunningEmulator, kind: RefreshKind, count: number): Promise<{ ids: string[]; where: Record<string, unknown> }> {
  switch (kind) {
    case "OriginGroup": return { ids: seedOriginGroups(emulator, count, "refresh-og"), where: { zoneId: ZONE } };
    case "SecurityIPGroup": return { ids: seedIpGroups(emulator, count, "refresh-ip").map(String), where: { zoneId: ZONE } };
    case "UserGroup": return { ids: seedUserGroups(emulator, count, "refresh-ug"), where: { zoneId: SEED.cicZoneId } };
    case "EndpointGroup": return { ids: await seedEndpointGroups(emulator, count, "refresh-eg"), where: {} };
  }
}

/** One Describe per resource with the official SDK, at the documented rate; throttled calls wait and retry. */
async function baselineRead(emulator: RunningEmulator, kind: RefreshKind, id: string): Promise<number> {
  switch (kind) {
    case "OriginGroup":
      return (await sdkTeoClient(emulator).DescribeOriginGroup({ ZoneId: ZONE, Filters: [{ Name: "origin-group-id", Values: [id] }] })).OriginGroups.length;
    case "SecurityIPGroup":
      return (await sdkTeoClient(emulator).DescribeSecurityIPGroup({ ZoneId: ZONE, GroupIds: [Number(id)] })).IPGroups.length;
    case "UserGroup":
      return (await sdkCicClient(emulator).request("GetGroup", { ZoneId: SEED.cicZoneId, GroupId: id })).GroupInfo ? 1 : 0;
    case "EndpointGroup": {
      const status = await sdkGaGet(emulator, `/v1/endpoint-groups/${id}`);
      if (status === 429) throw Object.assign(new Error("throttled"), { code: "RequestLimitExceeded" });
      return status === 200 ? 1 : 0;
    }
  }
}

async function measureBaseline(emulator: RunningEmulator, kind: RefreshKind, ids: string[], limits: Limits) {
  const pacer = new Pacer(limits.baseline);
  await quiesce();
  emulator.clearCalls();
  const t = now();
  const found = await Promise.all(ids.map(async (id) => {
    for (;;) {
      await pacer.turn();
      try {
        return await baselineRead(emulator, kind, id);
      } catch (err: any) {
        if (!String(err?.code ?? "").startsWith("RequestLimitExceeded")) throw err;
        await sleep(1000);
      }
    }
  }));
  const ms = now() - t;
  const calls = summarise(emulator.calls(), SERVICE[kind]);
  return { calls: calls.total, ms, throttled: calls.throttled, found: found.reduce((a, b) => a + b, 0) };
}

export async function benchRefresh(emulator: RunningEmulator, limits: Limits, kind: RefreshKind, count: number, parallelisms: number[]): Promise<RefreshFigures> {
  progress(`refresh ${kind}: seeding ${count}`);
  const { ids, where } = await seed(emulator, kind, count);

  // The state a previous `up` would have left: what reads return now (through the runtime, in-process).
  const reads = await Promise.all(ids.map((id) => rt.read(kind, id, where)));
  if (reads.some((r) => !r.id)) throw new Error(`${kind}: a seeded resource was not found`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-bench-"));
  const stateFile = path.join(dir, "dev.json");
  const floorStateFile = path.join(dir, "floor.json");
  writeState(stateFile, kind, reads, await serializedProvider(kind));
  writeState(floorStateFile, kind, reads, await serializedFloorProvider(floorShape(kind, reads)));

  const runs: EngineRun[] = [];
  const floorRuns: FloorRun[] = [];
  for (const parallel of parallelisms) {
    await quiesce();
    const startedAt = Date.now();
    const refreshed = await engineFor(emulator, stateFile).refresh({ previewOnly: true, parallel });
    const firstCall = Math.min(...(refreshed.calls as any[]).map((c) => Date.parse(c.time)));
    const calls = summarise(refreshed.calls as any, SERVICE[kind]);
    runs.push({
      parallel, calls: calls.total, ms: refreshed.durationMs, startUpMs: firstCall - startedAt, readyMs: refreshed.providerReadyMs,
      providerCpuMs: refreshed.providerCpuMs, throttled: calls.throttled, changes: refreshed.changes, errors: refreshed.errors,
      actions: describeActions(calls.byAction),
    });
    progress(`refresh ${kind} at parallelism ${parallel}: ${calls.total} calls (${describeActions(calls.byAction)}) in ${refreshed.durationMs} ms (provider ready ${refreshed.providerReadyMs} ms, first call ${firstCall - startedAt} ms, provider CPU ${refreshed.providerCpuMs} ms), ${refreshed.changes} changes, ${refreshed.errors.length} errors`);

    const floor = await engineFor(emulator, floorStateFile).refresh({ previewOnly: true, parallel });
    floorRuns.push({ parallel, ms: floor.durationMs, readyMs: floor.providerReadyMs, providerCpuMs: floor.providerCpuMs, calls: floor.calls.length, changes: floor.changes, errors: floor.errors });
    progress(`refresh ${kind} machinery floor at parallelism ${parallel}: ${floor.calls.length} calls in ${floor.durationMs} ms (provider ready ${floor.providerReadyMs} ms, provider CPU ${floor.providerCpuMs} ms), ${floor.changes} changes, ${floor.errors.length} errors`);
  }
  fs.rmSync(dir, { recursive: true, force: true });

  const baseline = await measureBaseline(emulator, kind, ids, limits);
  progress(`refresh ${kind}: baseline ${baseline.calls} calls in ${baseline.ms.toFixed(0)} ms (${baseline.throttled} throttled)`);
  return { kind, count, mix: MIX[kind], callsNeeded: Math.max(1, Math.ceil(count / PAGE[kind])), runs, floorRuns, baseline };
}
