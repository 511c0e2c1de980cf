/**
 * Scenario 5: `check` + `diff` of a 50,000-entry SecurityIPGroup with 10 entries changed, through the
 * runtime in-process (what the provider process runs for each resource during a preview; the engine's gRPC
 * framing is not ours to measure). Each run uses fresh address strings, so the memoised canonicaliser starts
 * cold as in a new preview process; `diff` runs after `check` in the same process, as in a preview.
 * Also: the bytes of the serialized provider (`__provider`) per resource, for each kind.
 */
import * as rt from "../provider/runtime";
import type { ResourceKind } from "../provider/resources/lifecycle";
import { serializedProvider } from "./serialized";
import { ZONE, median, now, progress, publicIp } from "./support";

export interface CheckDiffFigures {
  entries: number;
  runs: number;
  checkMs: number;
  diffMs: number;
  totalMs: number;
  /** the same inputs again (canonicaliser warm) */
  warmTotalMs: number;
}

const KIND = "SecurityIPGroup" as const;

async function once(entries: number, firstOctet: number) {
  const content = Array.from({ length: entries }, (_, i) => publicIp(i, firstOctet));
  const oldInputs = { zoneId: ZONE, name: "bench-check", content, logicalName: "big" };
  const outs = { ...oldInputs, ipExpireInfo: [], groupId: 7, ipTotalCount: entries };
  const next = [...content.slice(10), ...Array.from({ length: 10 }, (_, i) => publicIp(i, firstOctet + 100))];
  const news = { ...oldInputs, content: next };
  const t0 = now();
  const checked = await rt.check(KIND, oldInputs, news);
  const t1 = now();
  const diff = await rt.diff(KIND, "7", outs, checked.inputs);
  const t2 = now();
  if (checked.failures.length || !diff.changes || diff.replaces.length) throw new Error(`check/diff: ${JSON.stringify({ f: checked.failures.slice(0, 2), diff })}`);
  return { check: t1 - t0, diff: t2 - t1, total: t2 - t0 };
}

export async function benchCheckDiff(entries = 50_000, runs = 7): Promise<CheckDiffFigures> {
  await once(entries, 2); // JIT warm-up on other strings
  const cold = [];
  for (let r = 0; r < runs; r++) cold.push(await once(entries, 3 + r));
  const warm = [];
  for (let r = 0; r < runs; r++) warm.push(await once(entries, 3));
  const figures = {
    entries, runs,
    checkMs: median(cold.map((x) => x.check)),
    diffMs: median(cold.map((x) => x.diff)),
    totalMs: median(cold.map((x) => x.total)),
    warmTotalMs: median(warm.map((x) => x.total)),
  };
  progress(`check+diff ${entries}: check ${figures.checkMs.toFixed(1)} ms, diff ${figures.diffMs.toFixed(1)} ms (median of ${runs}); warm ${figures.warmTotalMs.toFixed(1)} ms`);
  return figures;
}

export async function serializedSizes(): Promise<Record<ResourceKind, number>> {
  const out = {} as Record<ResourceKind, number>;
  for (const kind of ["OriginGroup", "SecurityIPGroup", "UserGroup", "EndpointGroup"] as const) {
    out[kind] = Buffer.byteLength(await serializedProvider(kind), "utf8");
  }
  progress(`serialized provider: ${JSON.stringify(out)}`);
  return out;
}
