/**
 * `npm run bench`: the benchmark against the emulator with its rate limit on. Progress goes to stderr and ONE
 * table to stdout (bench/README.md explains every row). Options: see USAGE.
 */
import * as os from "node:os";
import type { RunningEmulator } from "../emulator";
import { benchCli, type CliFigures } from "./cli";
import { benchCheckDiff, firstInFreshProcess, serializedSizes, type CheckDiffFigures } from "./checkDiff";
import { benchCreates } from "./creates";
import { benchIpDelta } from "./ipDelta";
import { benchOverhead } from "./overhead";
import { benchPreview } from "./preview";
import { benchRefresh, type RefreshFigures, type RefreshKind } from "./refresh";
import { measureRuntimeLoad } from "./startUp";
import { fmtBytes, fmtMs, fmtRatio, renderTable, type Row } from "./table";
import { limitsFor, now, progress, startBenchEmulator, type Limits } from "./support";

const KINDS: readonly RefreshKind[] = ["OriginGroup", "SecurityIPGroup", "UserGroup", "EndpointGroup"];
const SCENARIOS = [1, 2, 3, 4, 5, 6, 7];

export const USAGE = `usage: npm run bench [-- options]

Runs the scenarios against an in-process emulator with the documented rate limits (20 requests per second per
action), each beside a baseline measured in the same run, and prints one markdown table to stdout (progress goes
to stderr). A full run takes 5 to 10 minutes on a 2-core machine. A missed target shows as FAIL in the table; the
run still exits 0 (it exits 2 when the bench itself fails, 1 on a usage error).

scenarios:
  1  refresh of 1000 resources of each kind (200 EndpointGroups) through Pulumi's provider process
  2  up: 200 OriginGroups created concurrently
  3  10 entries replaced / 3 appended in a 50,000-entry SecurityIPGroup: calls and bytes
  4  client overhead per call (signing, sending, parsing)
  5  check + diff of a 50,000- and a 200,000-entry SecurityIPGroup
  6  no-change preview of a 1000-resource stack: API calls
  7  the real pulumi CLI: refresh and no-change preview (skipped when toolchain/build.sh has not built it)

options:
  --only 1,3        run these scenarios only
  --count N         resources per refresh (default 1000; EndpointGroups get N/5)
  --kinds K,K       the refresh scenario for these kinds only (${KINDS.join(", ")})
  --scale N         multiply every rate limit by N (emulator, our client, the baseline's pacer); the floor ÷ N
                    (also BENCH_SCALE)
  -h, --help        this help`;

export class UsageError extends Error {}

export interface BenchArgs {
  scale: number;
  only?: Set<number>;
  count: number;
  kinds: RefreshKind[];
  help: boolean;
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchArgs {
  const values = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === "-h" || flag === "--help") help = true;
    else if (["--only", "--count", "--kinds", "--scale"].includes(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      values.set(flag.slice(2), value);
    } else throw new UsageError(`unknown argument ${argv[i]}`);
  }
  const scale = Number(values.get("scale") ?? env.BENCH_SCALE ?? 1);
  if (!Number.isInteger(scale) || scale < 1) throw new UsageError("--scale must be a positive integer");
  const count = Number(values.get("count") ?? 1000);
  if (!Number.isInteger(count) || count < 5) throw new UsageError("--count must be an integer of at least 5");
  const only = values.get("only")?.split(",").map(Number);
  const badScenario = only?.find((n) => !SCENARIOS.includes(n));
  if (badScenario !== undefined) throw new UsageError(`--only: no scenario ${badScenario} (they are ${SCENARIOS.join(", ")})`);
  const kinds = (values.get("kinds")?.split(",") ?? KINDS) as RefreshKind[];
  const unknown = kinds.filter((k) => !KINDS.includes(k));
  if (unknown.length) throw new UsageError(`--kinds: unknown ${unknown.join(", ")} (one of ${KINDS.join(", ")})`);
  return { scale, only: only ? new Set(only) : undefined, count, kinds, help };
}

/** Pulumi's default --parallel on this machine (GOMAXPROCS × 4), 8 on a 2-core runner. */
const PARALLELISMS = [1, 8, 16, Infinity];
const TARGET_CALLS: Record<RefreshKind, (f: RefreshFigures) => { text: string; max: number }> = {
  OriginGroup: () => ({ text: "≤ 3 calls, ≥ 20× baseline", max: 3 }),
  SecurityIPGroup: () => ({ text: "≤ 3 calls (+ content pages > 2000)", max: 3 }),
  UserGroup: () => ({ text: "≤ 12 calls", max: 12 }),
  EndpointGroup: () => ({ text: "≤ 5 calls", max: 5 }),
};

const cpu = (ms: number | undefined) => (ms === undefined ? "n/a" : fmtMs(ms));

function refreshRows(f: RefreshFigures, limits: Limits): Row[] {
  const floorMs = (f.callsNeeded / limits.server) * 1000;
  return f.runs.map((run, i) => {
    const target = TARGET_CALLS[f.kind](f);
    const machine = f.floorRuns[i];
    const machineSane = machine.errors.length === 0 && machine.changes === 0 && machine.calls === 0;
    const sane = run.errors.length === 0 && run.changes === 0 && f.baseline.found === f.count;
    const fastEnough = f.kind !== "OriginGroup" || f.baseline.ms / run.ms >= 20;
    return {
      scenario: `refresh ${f.count} ${f.kind}s, engine parallelism ${run.parallel === Infinity ? "unlimited" : run.parallel}: calls (${run.actions}), wall incl. start-up ${fmtMs(run.startUpMs)} to the first API call, of which provider process ready ${fmtMs(run.readyMs)}; provider process CPU ${cpu(run.providerCpuMs)} (${run.changes} changes, ${run.throttled} throttled)`,
      mix: f.mix,
      ours: `${run.calls} calls, ${fmtMs(run.ms)}`,
      baseline: `${f.baseline.calls} calls, ${fmtMs(f.baseline.ms)}`,
      vsBaseline: fmtRatio(f.baseline.ms, run.ms),
      floor: `${f.callsNeeded} call${f.callsNeeded > 1 ? "s" : ""} = ${fmtMs(floorMs)}`,
      vsFloor: `${(run.ms / floorMs).toFixed(0)}× floor (${run.calls}/${f.callsNeeded} calls)`,
      machinery: machineSane
        ? `${fmtMs(machine.ms)} (provider ready ${fmtMs(machine.readyMs)}, provider process CPU ${cpu(machine.providerCpuMs)}); ${fmtRatio(f.baseline.ms, machine.ms)} baseline`
        : `invalid: ${machine.calls} calls, ${machine.changes} changes, ${machine.errors.length} errors`,
      oursMinusMachinery: `${fmtMs(run.ms - machine.ms)} (${((100 * (run.ms - machine.ms)) / run.ms).toFixed(0)}% of ours)`,
      target: target.text,
      pass: sane && run.calls <= target.max && fastEnough,
    };
  });
}

/** Scenario 7: the real CLI's refresh beside its machinery floor, and its no-change preview. */
function cliRows(f: CliFigures | string): Row[] {
  const blank = { baseline: "", vsBaseline: "", floor: "", vsFloor: "" };
  if (typeof f === "string") return [{ scenario: `real pulumi CLI: skipped (${f})`, mix: "", ours: "", ...blank, target: "" }];
  const rows: Row[] = f.refresh.runs.map((run, i) => {
    const floor = f.refresh.floorRuns[i];
    const p = run.parallel === Infinity ? "unlimited" : run.parallel;
    return {
      scenario: `real pulumi CLI ${f.version}: refresh --preview-only of ${f.refresh.count} OriginGroups, --parallel ${p}, a CLI process each (calls: ${run.actions || "none"})`,
      mix: "GENERAL, 2 records", ours: fmtMs(run.ms), ...blank,
      machinery: `${fmtMs(floor.ms)} (${floor.calls} API calls)`,
      oursMinusMachinery: `${fmtMs(run.ms - floor.ms)} (${(run.ms / floor.ms).toFixed(2)}× floor)`,
      target: "≤ 1.1× machinery floor",
      pass: run.ok && floor.ok && floor.calls === 0 && run.ms <= 1.1 * floor.ms,
    };
  });
  rows.push({
    scenario: `real pulumi CLI ${f.version}: no-change preview (--expect-no-changes) of a ${f.preview.resources}-resource stack, a CLI process, program included`,
    mix: "500 OriginGroups + 500 SecurityIPGroups (20 entries)", ours: `${fmtMs(f.preview.ms)}, ${f.preview.calls} calls`, ...blank,
    target: "0 calls, no change", pass: f.preview.ok && f.preview.calls === 0,
  });
  return rows;
}

async function main(args: BenchArgs) {
  const limits = limitsFor(args.scale);
  // Read by the shared limiter on first use, here and in the engine's provider process (it inherits our env).
  process.env.EDGECONF_RATE_LIMIT = String(limits.client);
  const wants = (n: number) => !args.only || args.only.has(n);
  const started = now();
  const loadBefore = os.loadavg()[0];
  progress(`limits: emulator ${limits.server}/s per action, client ${limits.client} per 1050 ms per action, baseline ${limits.baseline}/s (scale ${limits.scale}); load ${loadBefore.toFixed(1)}`);

  const emulator: RunningEmulator = await startBenchEmulator(limits);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const rt = require("../provider/runtime") as typeof import("../provider/runtime");
  const config = emulator.stackConfig;
  await rt.configure({ config: { get: (k: string) => config[k] } });
  const rows: Row[] = [];
  const loads: number[] = [loadBefore];
  const sample = setInterval(() => loads.push(os.loadavg()[0]), 5000);
  try {
    if (wants(1)) {
      for (const kind of args.kinds) {
        const count = kind === "EndpointGroup" ? Math.round(args.count / 5) : args.count;
        rows.push(...refreshRows(await benchRefresh(emulator, limits, kind, count, PARALLELISMS), limits));
      }
      const load = measureRuntimeLoad();
      rows.push({
        scenario: `start-up: loading pulumi-edgeconf/runtime in a fresh process after @pulumi/pulumi (${fmtMs(load.pulumiMs)}), median of ${load.runs}; loaded with it: ${load.eager.join(", ") || "none of undici, zod"}`,
        mix: "", ours: fmtMs(load.runtimeMs), baseline: "", vsBaseline: "", floor: "", vsFloor: "", target: "",
      });
    }
    if (wants(2)) {
      const f = await benchCreates(emulator, limits, 200);
      const ok = f.errors.length === 0 && f.created === f.count;
      rows.push({
        scenario: `up: ${f.count} OriginGroups concurrently: start-up (operation start → first API call: provider process, configure, program)`,
        mix: f.mix, ours: fmtMs(f.startUpMs), baseline: "", vsBaseline: "", floor: "", vsFloor: "", target: "",
      });
      rows.push({
        scenario: `up: ${f.count} OriginGroups: API phase (first Create → last answer; ${f.actions}); whole \`up\` ${fmtMs(f.ms)}`,
        mix: f.mix,
        ours: fmtMs(f.apiPhaseMs),
        baseline: `${fmtMs(f.baseline.ms)} (SDK at 20/s, ${f.baseline.throttled} throttled)`,
        vsBaseline: fmtRatio(f.baseline.ms, f.apiPhaseMs),
        floor: `${f.count} calls = ${fmtMs(f.floorMs)}`,
        vsFloor: `${(f.apiPhaseMs / f.floorMs).toFixed(2)}× floor`,
        target: "≤ 1.1× floor",
        pass: ok && f.apiPhaseMs <= 1.1 * f.floorMs,
      });
      rows.push({
        scenario: `up: ${f.count} OriginGroups: RequestLimitExceeded in the emulator log`,
        mix: f.mix, ours: String(f.throttled), baseline: "", vsBaseline: "", floor: "", vsFloor: "", target: "0", pass: ok && f.throttled === 0,
      });
    }
    if (wants(3)) {
      const f = await benchIpDelta(emulator, 50_000);
      for (const c of f.cases) {
        rows.push({
          scenario: `${c.what} in a ${f.entries}-entry SecurityIPGroup: every call of the update (${c.ours.actions}); bytes sent / received (baseline: one Mode=update with the whole list)`,
          mix: f.mix,
          ours: `${c.ours.calls} calls, ${fmtBytes(c.ours.sent)} sent / ${fmtBytes(c.ours.received)} received`,
          baseline: `${c.baseline.requests} call, ${fmtBytes(c.baseline.sent)} sent / ${fmtBytes(c.baseline.received)} received`,
          vsBaseline: fmtRatio(c.baseline.sent + c.baseline.received, c.ours.sent + c.ours.received),
          floor: "", vsFloor: "",
          target: "≤ 2 writes, < 4 KB each way",
          pass: c.converged && c.ours.writes <= 2 && c.ours.sent < 4096 && c.ours.received < 4096,
        });
      }
    }
    if (wants(4)) {
      const f = await benchOverhead(emulator);
      rows.push({
        scenario: `client overhead per call, DescribeOriginGroup × ${f.calls} sequential, rate limit off: wall µs/call`,
        mix: "1 id", ours: `${f.ours.wallUs.toFixed(0)} µs`, baseline: `${f.sdk.wallUs.toFixed(0)} µs (SDK)`,
        vsBaseline: fmtRatio(f.sdk.wallUs, f.ours.wallUs), floor: "", vsFloor: "", target: "≤ SDK", pass: f.ours.wallUs <= f.sdk.wallUs,
      });
      rows.push({
        scenario: "client overhead per call, emulator handling time subtracted (sign + send + parse)",
        mix: "1 id", ours: `${f.ours.clientUs.toFixed(0)} µs`, baseline: `${f.sdk.clientUs.toFixed(0)} µs (SDK)`,
        vsBaseline: fmtRatio(f.sdk.clientUs, f.ours.clientUs), floor: "", vsFloor: "", target: "≤ SDK", pass: f.ours.clientUs <= f.sdk.clientUs,
      });
    }
    if (wants(5)) {
      const figures: CheckDiffFigures[] = [];
      for (const entries of [50_000, 200_000]) for (const change of ["none", "last10"] as const) figures.push(await benchCheckDiff(entries, change));
      for (const f of figures) {
        const limit = f.entries === 50_000 ? 50 : 250;
        const what = f.change === "none" ? "no change" : "last 10 replaced";
        rows.push({
          scenario: `check + diff, ${f.entries}-entry SecurityIPGroup, ${what}: wall, median of ${f.runs} runs on fresh strings after a warm-up (check ${fmtMs(f.checkMs)} + diff ${fmtMs(f.diffMs)}; CPU ${fmtMs(f.cpuMs)}; best run ${fmtMs(f.bestMs)}; ${(f.totalMs * 1000 / f.entries).toFixed(2)} µs/entry)`,
          mix: f.mix, ours: fmtMs(f.totalMs), baseline: "", vsBaseline: "", floor: "", vsFloor: "", target: `< ${limit} ms`, pass: f.totalMs < limit,
        });
      }
      const worst = (entries: number) => Math.max(...figures.filter((f) => f.entries === entries).map((f) => f.totalMs / entries));
      rows.push({
        scenario: "check + diff cost per entry, 200,000 ÷ 50,000, the slower case of each (1.00 = linear)",
        mix: figures[0].mix, ours: `${(worst(200_000) / worst(50_000)).toFixed(2)}`,
        baseline: "", vsBaseline: "", floor: "", vsFloor: "", target: "",
      });
      const first = await firstInFreshProcess(50_000);
      rows.push({
        scenario: `check + diff, 50000-entry SecurityIPGroup, no change, the first in a fresh process (V8 not yet warm, one-time initialisation included): wall, median of 3 processes (check ${fmtMs(first.checkMs)} + diff ${fmtMs(first.diffMs)})`,
        mix: figures[0].mix, ours: fmtMs(first.totalMs), baseline: "", vsBaseline: "", floor: "", vsFloor: "", target: "",
      });
      const sizes = await serializedSizes();
      const largest = Math.max(...Object.values(sizes));
      rows.push({
        scenario: `serialized provider per resource (${Object.entries(sizes).map(([k, v]) => `${k} ${v}`).join(", ")} bytes)`,
        mix: "", ours: fmtBytes(largest), baseline: "", vsBaseline: "", floor: "", vsFloor: "", target: "< 2 KB", pass: largest < 2048,
      });
    }
    if (wants(6)) {
      const f = await benchPreview(emulator);
      rows.push({
        scenario: `no-change preview of a ${f.resources}-resource stack through the engine: API calls (${f.changes} changes); engine wall ${fmtMs(f.engineMs)}, provider-side check + diff ${fmtMs(f.providerMs)}`,
        mix: f.mix, ours: `${f.calls} calls, provider ${fmtMs(f.providerMs)}`, baseline: "", vsBaseline: "", floor: "0 calls", vsFloor: "",
        target: "0 calls", pass: f.errors.length === 0 && f.changes === 0 && f.calls === 0,
      });
    }
    if (wants(7)) rows.push(...cliRows(await benchCli(emulator, args.count, PARALLELISMS)));
  } finally {
    clearInterval(sample);
    await emulator.close();
  }
  progress(`done in ${fmtMs(now() - started)}`);
  const header = `Limits: emulator ${limits.server} req/s per action (per wall-clock second), our client ${limits.client} per 1050 ms per action ` +
    `(EDGECONF_RATE_LIMIT), baseline paced at ${limits.baseline}/s${limits.scale > 1 ? ` (real limits × ${limits.scale})` : " (the documented limits)"}. ` +
    `Machine: ${os.cpus().length} CPUs, 1-min load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} during the run.`;
  process.stdout.write(`${header}\n\n${renderTable(rows)}\n`);
  // Undici keeps idle sockets; the Pulumi runtime may hold handles too.
  process.exit(0);
}

if (require.main === module) {
  let args: BenchArgs | undefined;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`bench: ${err.message}\n${USAGE}\n`);
    process.exitCode = 1;
  }
  if (args?.help) process.stdout.write(`${USAGE}\n`);
  else if (args) {
    main(args).catch((err) => {
      process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
      process.exit(2);
    });
  }
}
