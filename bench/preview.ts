/**
 * Scenario 6: a no-change preview of a 1000-resource stack (500 OriginGroups, 500 SecurityIPGroups of 20
 * realistic-mix entries) whose state matches the program. Through the engine stand-in: every resource is one
 * Check and one Diff over gRPC, and must make 0 API calls. Provider-side time: the same 1000 check + diff run
 * in-process through the runtime (the provider's own work, without Pulumi's process and gRPC around it).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../emulator";
import { OriginGroup, SecurityIPGroup } from "../provider";
import * as rt from "../provider/runtime";
import type { StateResource } from "../engine/state";
import { emptyState, saveState } from "../engine/state";
import { realisticMix } from "./mix";
import { engineFor } from "./refresh";
import { serializedProvider } from "./serialized";
import { ZONE, now, progress, quiesce, seedOriginGroups, summarise, teoModels } from "./support";

export interface PreviewFigures {
  resources: number;
  mix: string;
  calls: number;
  changes: number;
  errors: string[];
  engineMs: number;
  providerMs: number;
}

const TYPES = {
  OriginGroup: "pulumi-nodejs:dynamic/tencentcloud/teo:OriginGroup",
  SecurityIPGroup: "pulumi-nodejs:dynamic/tencentcloud/teo:SecurityIPGroup",
} as const;

/** The preview scenario's stack, seeded: `perKind` OriginGroups (2 records) and SecurityIPGroups (20 entries), read back. */
export async function previewStack(emulator: RunningEmulator, perKind: number, prefix = "preview") {
  const account = emulator.credentials.tencentSecretId;
  const ogIds = seedOriginGroups(emulator, perKind, `${prefix}-og`);
  const ipIds = Array.from({ length: perKind }, (_, i) => String(teoModels(emulator).createSecurityIpGroup(account, ZONE, {
    groupId: 0, name: `${prefix}-ip-${i}`, content: realisticMix(20, 2000 + i),
  })));
  const reads = [
    ...(await Promise.all(ogIds.map((id) => rt.read("OriginGroup", id, { zoneId: ZONE })))).map((r) => ({ kind: "OriginGroup" as const, r })),
    ...(await Promise.all(ipIds.map((id) => rt.read("SecurityIPGroup", id, { zoneId: ZONE })))).map((r) => ({ kind: "SecurityIPGroup" as const, r })),
  ];
  return reads.map((x, i) => ({ ...x, name: `${x.kind === "OriginGroup" ? "og" : "ip"}-${i}` }));
}

export async function benchPreview(emulator: RunningEmulator, perKind = 500): Promise<PreviewFigures> {
  progress(`preview: seeding ${perKind} OriginGroups and ${perKind} SecurityIPGroups`);
  const reads = await previewStack(emulator, perKind);
  const names = reads.map((x) => x.name);

  // Provider-side: check + diff of each resource in-process, as the provider process runs them.
  let t = now();
  for (const [i, { kind, r }] of reads.entries()) {
    const news = { ...(r as any).inputs, logicalName: names[i] };
    const checked = await rt.check(kind, (r as any).inputs, news);
    const d = await rt.diff(kind, r.id, (r as any).props, checked.inputs);
    if (checked.failures.length || d.changes) throw new Error(`preview: ${kind} ${r.id} is not a no-op: ${JSON.stringify(d)}`);
  }
  const providerMs = now() - t;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-bench-"));
  const stateFile = path.join(dir, "dev.json");
  const state = emptyState();
  const providers = { OriginGroup: await serializedProvider("OriginGroup"), SecurityIPGroup: await serializedProvider("SecurityIPGroup") };
  state.deployment.resources = reads.map(({ kind, r }, i): StateResource => ({
    urn: `urn:pulumi:dev::edgeconf::${TYPES[kind]}::${names[i]}`,
    custom: true,
    id: r.id,
    type: TYPES[kind],
    inputs: { ...(r as any).inputs, logicalName: names[i], __provider: providers[kind] },
    outputs: { ...(r as any).props, __provider: providers[kind] },
  }));
  saveState(stateFile, state);
  const program = () => {
    reads.forEach(({ kind, r }, i) => {
      const { logicalName: _l, ...args } = (r as any).inputs;
      if (kind === "OriginGroup") new OriginGroup(names[i], args);
      else new SecurityIPGroup(names[i], args);
    });
  };
  const engine = engineFor(emulator, stateFile);
  await quiesce();
  t = now();
  const result = await engine.preview(program);
  const engineMs = now() - t;
  fs.rmSync(dir, { recursive: true, force: true });
  const calls = summarise(result.calls as any);
  progress(`preview: ${result.changes} changes, ${calls.total} API calls, engine ${engineMs.toFixed(0)} ms, provider-side ${providerMs.toFixed(0)} ms`);
  return {
    resources: reads.length,
    mix: `${perKind} OriginGroups (2 records) + ${perKind} SecurityIPGroups (20 realistic-mix entries)`,
    calls: calls.total, changes: result.changes, errors: result.errors, engineMs, providerMs,
  };
}
