/**
 * Scenario 5: `check` + `diff` of a SecurityIPGroup holding the realistic mix (bench/mix.ts: 50% IPv6 in five
 * spellings, 25% CIDR, 25% IPv4) at 50,000 and 200,000 entries, through the runtime in-process (what the
 * provider process runs for each resource during a preview; the engine's gRPC framing is not ours to measure).
 * Two cases, each its own row: no change (every entry compared) and the last 10 entries replaced (diff meets the
 * first difference only after the whole list: a change near the start would let it stop early and flatter us).
 * Each run uses fresh strings, flat as decoding a gRPC message leaves them, so nothing memoised helps; `diff`
 * runs after `check` in the same process, as in a preview. Wall and CPU time are both reported: the machine is
 * shared.
 * Also: the bytes of the serialized provider (`__provider`) per resource, for each kind.
 */
import { execFileSync } from "node:child_process";
import * as rt from "../provider/runtime";
import type { ResourceKind } from "../provider/resources/lifecycle";
import { parseIpEntry } from "../provider/resources/net";
import { MIX_DESCRIPTION, realisticMix } from "./mix";
import { serializedProvider } from "./serialized";
import { ZONE, median, now, progress } from "./support";

/** "none": the program declares what the state holds; "last10": its last 10 entries replaced by others. */
export type Change = "none" | "last10";

export interface CheckDiffFigures {
  entries: number;
  change: Change;
  mix: string;
  runs: number;
  checkMs: number;
  diffMs: number;
  totalMs: number;
  /** process CPU time of check + diff (user + system), median */
  cpuMs: number;
  /** the fastest run: the least disturbed by other processes on a shared machine */
  bestMs: number;
}

const KIND = "SecurityIPGroup" as const;

/** Strings as a decoded message holds them: flat copies, not the ropes and slices that building them left. */
const asDecoded = (list: string[]): string[] => JSON.parse(JSON.stringify(list));

async function once(entries: number, change: Change, run: number) {
  const content = asDecoded(realisticMix(entries, run));
  const oldInputs = { zoneId: ZONE, name: "bench-check", content, logicalName: "big" };
  // The state holds canonical entries, as reads return them.
  const state = { ...oldInputs, content: asDecoded(content.map(canonicalOf)), ipExpireInfo: [], groupId: 7, ipTotalCount: entries };
  // Entries past the end of the same mix: distinct from every entry of the group.
  const next = asDecoded(change === "none" ? content : [...content.slice(0, -10), ...realisticMix(entries + 10, run).slice(entries)]);
  const news = { ...oldInputs, content: next };
  const cpu0 = process.cpuUsage();
  const t0 = now();
  const checked = await rt.check(KIND, oldInputs, news);
  const t1 = now();
  const diff = await rt.diff(KIND, "7", state, checked.inputs);
  const t2 = now();
  const cpu = process.cpuUsage(cpu0);
  if (checked.failures.length || diff.changes !== (change !== "none") || diff.replaces.length) throw new Error(`check/diff: ${JSON.stringify({ f: checked.failures.slice(0, 2), diff })}`);
  return { check: t1 - t0, diff: t2 - t1, total: t2 - t0, cpu: (cpu.user + cpu.system) / 1000 };
}

const canonicalOf = (e: string): string => parseIpEntry(e)!.canonical;

/** Median of `runs` runs in this process after a warm-up run on other strings (V8 has optimized the scanner). */
export async function benchCheckDiff(entries: number, change: Change, runs = 7): Promise<CheckDiffFigures> {
  await once(entries, change, 900);
  const measured = [];
  for (let r = 0; r < runs; r++) measured.push(await once(entries, change, 901 + r));
  const figures = {
    entries, change, runs, mix: MIX_DESCRIPTION,
    checkMs: median(measured.map((x) => x.check)),
    diffMs: median(measured.map((x) => x.diff)),
    totalMs: median(measured.map((x) => x.total)),
    cpuMs: median(measured.map((x) => x.cpu)),
    bestMs: Math.min(...measured.map((x) => x.total)),
  };
  progress(`check+diff ${entries} (${change === "none" ? "no change" : "last 10 replaced"}): check ${figures.checkMs.toFixed(1)} ms, diff ${figures.diffMs.toFixed(1)} ms, total ${figures.totalMs.toFixed(1)} ms, CPU ${figures.cpuMs.toFixed(1)} ms (median of ${runs}); best ${figures.bestMs.toFixed(1)} ms`);
  return figures;
}

/**
 * The first check + diff of a fresh process (a preview's provider process meets its first big group with V8's
 * optimizing compiler not yet run on the scanner): one run in each of `processes` new Node processes, median.
 */
export async function firstInFreshProcess(entries: number, processes = 3): Promise<{ totalMs: number; checkMs: number; diffMs: number }> {
  const runs = [];
  for (let p = 0; p < processes; p++) {
    const out = execFileSync(process.execPath, [__filename, FIRST_RUN_FLAG, String(entries), String(950 + p)], { encoding: "utf8" });
    runs.push(JSON.parse(out) as { check: number; diff: number; total: number });
  }
  const figures = { totalMs: median(runs.map((r) => r.total)), checkMs: median(runs.map((r) => r.check)), diffMs: median(runs.map((r) => r.diff)) };
  progress(`check+diff ${entries}, first in a fresh process: ${figures.totalMs.toFixed(1)} ms (median of ${processes} processes)`);
  return figures;
}

const FIRST_RUN_FLAG = "--first-check-diff";
if (require.main === module && process.argv[2] === FIRST_RUN_FLAG) {
  once(Number(process.argv[3]), "none", Number(process.argv[4])).then((r) => process.stdout.write(JSON.stringify(r)));
}

export async function serializedSizes(): Promise<Record<ResourceKind, number>> {
  const out = {} as Record<ResourceKind, number>;
  for (const kind of ["OriginGroup", "SecurityIPGroup", "UserGroup", "EndpointGroup"] as const) {
    out[kind] = Buffer.byteLength(await serializedProvider(kind), "utf8");
  }
  progress(`serialized provider: ${JSON.stringify(out)}`);
  return out;
}
