/**
 * Scenario 3: changes to a 50,000-entry SecurityIPGroup holding the realistic mix (bench/mix.ts): 10 entries
 * replaced (10 removed, 10 added), then 3 entries appended. Ours: the provider's update (append/remove deltas,
 * then the read-back rule of securityIpGroup.ts `confirmDelta`), every call counted, bytes sent and received.
 * Baseline: the Terraform provider's way, one ModifySecurityIPGroup in `update` mode with the whole list, sent
 * with the official SDK (the emulator's 2000-entries-per-request limit is lifted for that call only, or it
 * would be refused).
 */
import type { RunningEmulator } from "../emulator";
import * as rt from "../provider/runtime";
import { MIX_DESCRIPTION, realisticMix } from "./mix";
import { ZONE, describeActions, progress, quiesce, sdkTeoClient, summarise } from "./support";

export interface DeltaCase {
  what: string;
  ours: { calls: number; writes: number; sent: number; received: number; actions: string };
  baseline: { requests: number; sent: number; received: number };
  /** the live group equals the declared list afterwards */
  converged: boolean;
}

export interface DeltaFigures {
  entries: number;
  mix: string;
  cases: DeltaCase[];
}

const KIND = "SecurityIPGroup" as const;

export async function benchIpDelta(emulator: RunningEmulator, entries: number): Promise<DeltaFigures> {
  progress(`ip delta: creating a ${entries}-entry group through the provider`);
  const content = realisticMix(entries, 11);
  const first = await rt.check(KIND, undefined, { zoneId: ZONE, name: "bench-50k", content, logicalName: "big" });
  if (first.failures.length) throw new Error(`check: ${JSON.stringify(first.failures.slice(0, 3))}`);
  let { id, outs } = await rt.create(KIND, first.inputs);
  let inputs = first.inputs;

  const extra = realisticMix(13, 12);
  const steps = [
    { what: "10 entries replaced (10 removed, 10 added)", content: [...content.slice(10), ...extra.slice(0, 10)] },
    { what: "3 entries appended", content: [...content.slice(10), ...extra] },
  ];
  const cases: DeltaCase[] = [];
  for (const step of steps) {
    const checked = await rt.check(KIND, inputs, { ...inputs, content: step.content });
    const diff = await rt.diff(KIND, id, outs, checked.inputs);
    if (!diff.changes || diff.replaces.length) throw new Error(`unexpected diff ${JSON.stringify(diff)}`);
    await quiesce();
    emulator.clearCalls();
    ({ outs } = await rt.update(KIND, id, outs, checked.inputs));
    inputs = checked.inputs;
    const calls = summarise(emulator.calls(), "teo");
    const writes = summarise(emulator.calls().filter((c) => c.action.startsWith("Modify")), "teo");
    const live = emulator.services.teo.backend.admin("getSecurityIPGroup", { groupId: Number(id) }) as { IPTotalCount?: number };

    // Baseline: the whole list in one `update` request, as Terraform sends it.
    const client = sdkTeoClient(emulator);
    const saved = emulator.settings.ipEntriesPerRequest;
    await quiesce();
    emulator.clearCalls();
    emulator.settings.ipEntriesPerRequest = 1_000_000;
    try {
      await client.ModifySecurityIPGroup({ ZoneId: ZONE, Mode: "update", IPGroup: { GroupId: Number(id), Name: "bench-50k", Content: step.content } });
    } finally {
      emulator.settings.ipEntriesPerRequest = saved;
    }
    const baseline = summarise(emulator.calls(), "teo");
    cases.push({
      what: step.what,
      ours: { calls: calls.total, writes: writes.total, sent: calls.requestBytes, received: calls.responseBytes, actions: describeActions(calls.byAction) },
      baseline: { requests: baseline.total, sent: baseline.requestBytes, received: baseline.responseBytes },
      converged: live.IPTotalCount === step.content.length && (outs as any).ipTotalCount === step.content.length,
    });
    progress(`ip delta, ${step.what}: ours ${describeActions(calls.byAction)}, ${calls.requestBytes} B sent, ${calls.responseBytes} B received; baseline ${baseline.requestBytes} B sent`);
  }
  return { entries, mix: MIX_DESCRIPTION, cases };
}
