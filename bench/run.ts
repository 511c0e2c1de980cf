/**
 * `npm run bench [-- --scale N] [-- --only 1,3]`: the benchmark of issue 7 against the emulator with its rate
 * limit on. Prints progress to stderr and ONE table to stdout (see bench/README.md).
 *
 * --scale N multiplies every rate limit (the emulator's 20/s, our client's 20 per 1050 ms via
 * EDGECONF_RATE_LIMIT, the baseline's 15/s) and so divides the floor; the table says what was used.
 */
import type { RunningEmulator } from "../emulator";
import { benchCheckDiff, serializedSizes } from "./checkDiff";
import { benchCreates } from "./creates";
import { benchIpDelta } from "./ipDelta";
import { benchOverhead } from "./overhead";
import { benchRefresh, type RefreshFigures } from "./refresh";
import { fmtBytes, fmtMs, fmtRatio, renderTable, type Row } from "./table";
import { limitsFor, now, progress, startBenchEmulator, type Limits } from "./support";

function parseArgs(argv: string[]): { scale: number; only?: Set<number>; count: number } {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  };
  const scale = Number(get("scale") ?? process.env.BENCH_SCALE ?? 1);
  if (!Number.isInteger(scale) || scale < 1) throw new Error("--scale must be a positive integer");
  const only = get("only");
  const count = Number(get("count") ?? 1000);
  return { scale, only: only ? new Set(only.split(",").map(Number)) : undefined, count };
}

function refreshRows(f: RefreshFigures, limits: Limits): Row[] {
  const rows: Row[] = [];
  const isOrigin = f.kind === "OriginGroup";
  const sane = f.engine.errors.length === 0 && f.engine.changes === 0 && f.baseline.found === f.count;
  rows.push({
    scenario: `refresh ${f.count} ${f.kind}s: API calls (engine; ${f.engine.actions})`,
    ours: String(f.engine.calls),
    baseline: String(f.baseline.calls),
    ratio: fmtRatio(f.baseline.calls, f.engine.calls),
    target: isOrigin ? "≤ 60 calls" : "",
    pass: isOrigin ? sane && f.engine.calls <= 60 : undefined,
  });
  rows.push({
    scenario: `refresh ${f.count} ${f.kind}s: wall time (engine, incl. provider start; ${f.engine.changes} changes, ${f.engine.throttled} throttled)`,
    ours: fmtMs(f.engine.ms),
    baseline: fmtMs(f.baseline.ms),
    ratio: fmtRatio(f.baseline.ms, f.engine.ms),
    target: isOrigin ? "≥ 10× faster" : "",
    pass: isOrigin ? sane && f.baseline.ms / f.engine.ms >= 10 : undefined,
  });
  rows.push({
    scenario: `refresh ${f.count} ${f.kind}s: in-process runtime (calls, wall)`,
    ours: `${f.inProcess.calls} calls, ${fmtMs(f.inProcess.ms)}`,
    baseline: `${f.baseline.calls} calls, ${fmtMs(f.baseline.ms)}`,
    ratio: fmtRatio(f.baseline.ms, f.inProcess.ms),
    target: "",
  });
  void limits;
  return rows;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const limits = limitsFor(args.scale);
  // Read by the shared limiter on first use, here and in the engine's provider process (it inherits our env).
  process.env.EDGECONF_RATE_LIMIT = String(limits.client);
  const wants = (n: number) => !args.only || args.only.has(n);
  const started = now();
  progress(`limits: emulator ${limits.server}/s per action, client ${limits.client} per 1050 ms per action, baseline ${limits.baseline}/s (scale ${limits.scale})`);

  const emulator: RunningEmulator = await startBenchEmulator(limits);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const rt = require("../provider/runtime") as typeof import("../provider/runtime");
  const config = emulator.stackConfig;
  await rt.configure({ config: { get: (k: string) => config[k] } });
  const rows: Row[] = [];
  try {
    if (wants(1)) {
      rows.push(...refreshRows(await benchRefresh(emulator, limits, "OriginGroup", args.count), limits));
      rows.push(...refreshRows(await benchRefresh(emulator, limits, "SecurityIPGroup", args.count), limits));
    }
    if (wants(2)) {
      const f = await benchCreates(emulator, limits, 200);
      const ok = f.errors.length === 0 && f.created === f.count;
      rows.push({
        scenario: `up: ${f.count} OriginGroups concurrently, wall of the whole \`up\` (engine, incl. provider start: ${fmtMs(f.ms - f.apiPhaseMs)} outside the API phase; API phase ${fmtMs(f.apiPhaseMs)} = ${(f.apiPhaseMs / f.floorMs).toFixed(2)}× floor)`,
        ours: fmtMs(f.ms),
        baseline: `floor ${fmtMs(f.floorMs)}`,
        ratio: `${(f.ms / f.floorMs).toFixed(2)}× floor`,
        target: "≤ 1.2× floor",
        pass: ok && f.ms <= 1.2 * f.floorMs,
      });
      rows.push({
        scenario: `up: ${f.count} OriginGroups, RequestLimitExceeded in the emulator log (${f.actions})`,
        ours: String(f.throttled),
        baseline: "",
        ratio: "",
        target: "0",
        pass: ok && f.throttled === 0,
      });
    }
    if (wants(3)) {
      const f = await benchIpDelta(emulator, 50_000, 10);
      rows.push({
        scenario: `${f.changed} entries replaced in a ${f.entries}-entry SecurityIPGroup: write requests (ours: append/remove; baseline: update mode)`,
        ours: String(f.ours.writes),
        baseline: String(f.baseline.requests),
        ratio: "",
        target: "≤ 2",
        pass: f.converged && f.ours.writes <= 2,
      });
      rows.push({
        scenario: `${f.changed} entries replaced in a ${f.entries}-entry SecurityIPGroup: request bodies of the writes`,
        ours: fmtBytes(f.ours.writeBytes),
        baseline: fmtBytes(f.baseline.bytes),
        ratio: fmtRatio(f.baseline.bytes, f.ours.writeBytes),
        target: "< 4 KB",
        pass: f.converged && f.ours.writeBytes < 4096,
      });
      rows.push({
        scenario: `… the same update's read-back (${f.ours.actions})`,
        ours: `${f.ours.reads} reads, ${fmtBytes(f.ours.readBytes)}`,
        baseline: "",
        ratio: "",
        target: "",
      });
    }
    if (wants(4)) {
      const f = await benchOverhead(emulator);
      rows.push({
        scenario: `client overhead per call, DescribeOriginGroup × ${f.calls} sequential, rate limit off: wall µs/call`,
        ours: `${f.ours.wallUs.toFixed(0)} µs`,
        baseline: `${f.sdk.wallUs.toFixed(0)} µs (SDK)`,
        ratio: fmtRatio(f.sdk.wallUs, f.ours.wallUs),
        target: "≤ SDK",
        pass: f.ours.wallUs <= f.sdk.wallUs,
      });
      rows.push({
        scenario: "client overhead per call, emulator handling time subtracted (sign + send + parse)",
        ours: `${f.ours.clientUs.toFixed(0)} µs`,
        baseline: `${f.sdk.clientUs.toFixed(0)} µs (SDK)`,
        ratio: fmtRatio(f.sdk.clientUs, f.ours.clientUs),
        target: "≤ SDK",
        pass: f.ours.clientUs <= f.sdk.clientUs,
      });
    }
    if (wants(5)) {
      const f = await benchCheckDiff();
      rows.push({
        scenario: `check + diff, ${f.entries}-entry SecurityIPGroup, 10 changed (median of ${f.runs}, cold; check ${fmtMs(f.checkMs)} + diff ${fmtMs(f.diffMs)}; warm ${fmtMs(f.warmTotalMs)})`,
        ours: fmtMs(f.totalMs),
        baseline: "",
        ratio: "",
        target: "< 50 ms",
        pass: f.totalMs < 50,
      });
      const sizes = await serializedSizes();
      const largest = Math.max(...Object.values(sizes));
      rows.push({
        scenario: `serialized provider per resource (${Object.entries(sizes).map(([k, v]) => `${k} ${v}`).join(", ")} bytes)`,
        ours: fmtBytes(largest),
        baseline: "",
        ratio: "",
        target: "< 2 KB",
        pass: largest < 2048,
      });
    }
  } finally {
    await emulator.close();
  }
  progress(`done in ${fmtMs(now() - started)}`);
  const header = `Limits: emulator ${limits.server} req/s per action (per wall-clock second), our client ${limits.client} per 1050 ms per action ` +
    `(EDGECONF_RATE_LIMIT), baseline pacer ${limits.baseline}/s${limits.scale > 1 ? ` (real limits × ${limits.scale})` : " (the real limits)"}.`;
  process.stdout.write(`${header}\n\n${renderTable(rows)}\n`);
  // Undici keeps idle sockets; the Pulumi runtime may hold handles too.
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exit(2);
});
