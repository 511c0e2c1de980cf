/**
 * Scenario 1: refresh of 1000 OriginGroups and of 1000 SecurityIPGroups.
 *
 * Ours, two ways: through the mini engine (the real dynamic-provider process, all reads concurrently over
 * gRPC, as `pulumi refresh` does), and through the runtime in-process. Baseline: one Describe per resource
 * through the official tencentcloud-sdk-nodejs-teo client behind a 15/s pacer (what the Terraform provider does).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../emulator";
import * as rt from "../provider/runtime";
import type { ResourceKind } from "../provider/resources/lifecycle";
import { Engine } from "../engine/engine";
import type { StateResource } from "../engine/state";
import { emptyState, saveState } from "../engine/state";
import { serializedProvider } from "./serialized";
import {
  Pacer, ROOT, ZONE, describeActions, now, progress, quiesce, seedIpGroups, seedOriginGroups, sdkTeoClient, summarise,
  type Limits,
} from "./support";

export interface RefreshFigures {
  kind: ResourceKind;
  count: number;
  engine: { calls: number; ms: number; throttled: number; changes: number; errors: string[]; actions: string };
  inProcess: { calls: number; ms: number; throttled: number };
  baseline: { calls: number; ms: number; throttled: number; found: number };
}

const TYPE: Record<"OriginGroup" | "SecurityIPGroup", string> = {
  OriginGroup: "pulumi-nodejs:dynamic/tencentcloud/teo:OriginGroup",
  SecurityIPGroup: "pulumi-nodejs:dynamic/tencentcloud/teo:SecurityIPGroup",
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

export async function benchRefresh(emulator: RunningEmulator, limits: Limits, kind: "OriginGroup" | "SecurityIPGroup", count: number): Promise<RefreshFigures> {
  progress(`refresh ${kind}: seeding ${count}`);
  const ids = kind === "OriginGroup"
    ? seedOriginGroups(emulator, count, "refresh-og")
    : seedIpGroups(emulator, count, "refresh-ip").map(String);

  // Ours, in-process: every read at once, as the provider process receives them during a refresh.
  await quiesce();
  emulator.clearCalls();
  let t = now();
  const reads = await Promise.all(ids.map((id) => rt.read(kind, id, { zoneId: ZONE })));
  const inProcessMs = now() - t;
  const inProcessCalls = summarise(emulator.calls(), "teo");
  if (reads.some((r) => !r.id)) throw new Error(`${kind}: an in-process read found nothing`);
  progress(`refresh ${kind}: in-process ${inProcessCalls.total} calls (${describeActions(inProcessCalls.byAction)}) in ${inProcessMs.toFixed(0)} ms`);

  // Ours, through Pulumi's dynamic-provider process: a state holding exactly what those reads returned.
  const provider = await serializedProvider(kind);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-bench-"));
  const stateFile = path.join(dir, "dev.json");
  const state = emptyState();
  state.deployment.resources = reads.map((r, i): StateResource => ({
    urn: `urn:pulumi:dev::edgeconf::${TYPE[kind]}::${kind.toLowerCase()}-${i}`,
    custom: true,
    id: r.id,
    type: TYPE[kind],
    inputs: sortedKeys({ ...(r as any).inputs, __provider: provider }) as Record<string, unknown>,
    outputs: sortedKeys({ ...(r as any).props, __provider: provider }) as Record<string, unknown>,
  }));
  saveState(stateFile, state);
  const engine = engineFor(emulator, stateFile);
  await quiesce();
  const refreshed = await engine.refresh({ previewOnly: true });
  const engineCalls = summarise(refreshed.calls as any, "teo");
  fs.rmSync(dir, { recursive: true, force: true });
  progress(`refresh ${kind}: engine ${engineCalls.total} calls (${describeActions(engineCalls.byAction)}) in ${refreshed.durationMs} ms, ${refreshed.changes} changes, ${refreshed.errors.length} errors`);

  // Baseline: one Describe per resource through the official SDK at 15/s.
  const client = sdkTeoClient(emulator);
  const pacer = new Pacer(limits.baseline);
  await quiesce();
  emulator.clearCalls();
  t = now();
  const found = await Promise.all(ids.map(async (id) => {
    await pacer.turn();
    if (kind === "OriginGroup") {
      const r = await client.DescribeOriginGroup({ ZoneId: ZONE, Filters: [{ Name: "origin-group-id", Values: [id] }] });
      return r.OriginGroups.length;
    }
    const r = await client.DescribeSecurityIPGroup({ ZoneId: ZONE, GroupIds: [Number(id)] });
    return r.IPGroups.length;
  }));
  const baselineMs = now() - t;
  const baselineCalls = summarise(emulator.calls(), "teo");
  progress(`refresh ${kind}: baseline ${baselineCalls.total} calls in ${baselineMs.toFixed(0)} ms`);

  return {
    kind,
    count,
    engine: {
      calls: engineCalls.total, ms: refreshed.durationMs, throttled: engineCalls.throttled, changes: refreshed.changes,
      errors: refreshed.errors, actions: describeActions(engineCalls.byAction),
    },
    inProcess: { calls: inProcessCalls.total, ms: inProcessMs, throttled: inProcessCalls.throttled },
    baseline: { calls: baselineCalls.total, ms: baselineMs, throttled: baselineCalls.throttled, found: found.reduce((a, b) => a + b, 0) },
  };
}
