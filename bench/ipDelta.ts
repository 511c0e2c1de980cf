/**
 * Scenario 3: change 10 entries (10 removed, 10 added) of a 50,000-entry SecurityIPGroup. Ours: the
 * provider's update (append/remove deltas). Baseline: the Terraform provider's way, one ModifySecurityIPGroup
 * in `update` mode with the whole list, sent with the official SDK. The emulator's per-request entry limit
 * (2000) would refuse that request, so it is lifted for the baseline call only.
 */
import type { RunningEmulator } from "../emulator";
import * as rt from "../provider/runtime";
import { ZONE, describeActions, progress, publicIp, quiesce, sdkTeoClient, summarise } from "./support";

export interface DeltaFigures {
  entries: number;
  changed: number;
  ours: { writes: number; writeBytes: number; reads: number; readBytes: number; actions: string };
  baseline: { requests: number; bytes: number };
  /** the live group equals the declared list afterwards */
  converged: boolean;
}

const KIND = "SecurityIPGroup" as const;

export async function benchIpDelta(emulator: RunningEmulator, entries: number, changed: number): Promise<DeltaFigures> {
  progress(`ip delta: creating a ${entries}-entry group through the provider`);
  const content = Array.from({ length: entries }, (_, i) => publicIp(i, 60));
  const first = await rt.check(KIND, undefined, { zoneId: ZONE, name: "bench-50k", content, logicalName: "big" });
  if (first.failures.length) throw new Error(`check: ${JSON.stringify(first.failures.slice(0, 3))}`);
  const { id, outs } = await rt.create(KIND, first.inputs);

  const next = [...content.slice(changed), ...Array.from({ length: changed }, (_, i) => publicIp(i, 61))];
  const second = await rt.check(KIND, first.inputs, { ...first.inputs, content: next });
  const diff = await rt.diff(KIND, id, outs, second.inputs);
  if (!diff.changes || diff.replaces.length) throw new Error(`unexpected diff ${JSON.stringify(diff)}`);

  await quiesce();
  emulator.clearCalls();
  await rt.update(KIND, id, outs, second.inputs);
  const calls = emulator.calls();
  const writes = summarise(calls.filter((c) => c.action.startsWith("Modify")), "teo");
  const reads = summarise(calls.filter((c) => c.action.startsWith("Describe")), "teo");
  const live = emulator.services.teo.backend.admin("getSecurityIPGroup", { groupId: Number(id) }) as { Content?: string[]; IPTotalCount?: number };
  const liveCount = live.IPTotalCount ?? live.Content?.length;
  progress(`ip delta: ours ${describeActions(summarise(calls, "teo").byAction)}; live group has ${liveCount} entries`);

  // Baseline: the whole list in one `update` request, as Terraform sends it.
  const client = sdkTeoClient(emulator);
  const saved = emulator.settings.ipEntriesPerRequest;
  await quiesce();
  emulator.clearCalls();
  emulator.settings.ipEntriesPerRequest = 1_000_000;
  try {
    await client.ModifySecurityIPGroup({ ZoneId: ZONE, Mode: "update", IPGroup: { GroupId: Number(id), Name: "bench-50k", Content: next } });
  } finally {
    emulator.settings.ipEntriesPerRequest = saved;
  }
  const baseline = summarise(emulator.calls(), "teo");
  progress(`ip delta: baseline ${baseline.total} request(s), ${baseline.requestBytes} bytes`);

  return {
    entries,
    changed,
    ours: {
      writes: writes.total, writeBytes: writes.requestBytes, reads: reads.total, readBytes: reads.requestBytes,
      actions: describeActions(summarise(calls, "teo").byAction),
    },
    baseline: { requests: baseline.total, bytes: baseline.requestBytes },
    converged: liveCount === entries,
  };
}
