/**
 * Scenario 2: `up` creating 200 OriginGroups concurrently, through the engine stand-in and the real
 * dynamic-provider process. Reported apart: start-up (operation start to the first API call: provider process,
 * configure, program) and the API phase (first CreateOriginGroup arrival to the last answer), which the rate
 * limit bounds. Floor = 200 creates ÷ 20/s. Baseline, measured: 200 CreateOriginGroup with the official SDK paced
 * at the documented 20/s.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../emulator";
import { OriginGroup } from "../provider";
import { engineFor } from "./refresh";
import { Pacer, ZONE, describeActions, now, progress, publicIp, quiesce, sdkTeoClient, sleep, summarise, type Limits } from "./support";

export interface CreateFigures {
  count: number;
  mix: string;
  ms: number;
  /** operation start to the first API call */
  startUpMs: number;
  /** first CreateOriginGroup arrival to the last API call's answer */
  apiPhaseMs: number;
  floorMs: number;
  throttled: number;
  created: number;
  errors: string[];
  actions: string;
  baseline: { ms: number; throttled: number };
}

const MIX = "GENERAL, 1 IPv4 record, autonamed";

export async function benchCreates(emulator: RunningEmulator, limits: Limits, count: number): Promise<CreateFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-bench-"));
  const engine = engineFor(emulator, path.join(dir, "dev.json"));
  const program = () => {
    for (let i = 0; i < count; i++) {
      new OriginGroup(`up-${i}`, { zoneId: ZONE, type: "GENERAL", records: [{ record: publicIp(i, 50) }] });
    }
  };
  progress(`up: creating ${count} OriginGroups through the engine`);
  await quiesce();
  const startedAt = Date.now();
  const r = await engine.up(program);
  fs.rmSync(dir, { recursive: true, force: true });
  const calls = summarise(r.calls as any, "teo");
  const arrivals = (r.calls as any[]).map((c) => Date.parse(c.time));
  const creates = (r.calls as any[]).filter((c) => c.action === "CreateOriginGroup").map((c) => Date.parse(c.time));
  const lastAnswer = Math.max(...(r.calls as any[]).map((c) => Date.parse(c.time) + c.durationMs));

  // Baseline: the same creates with the official SDK, paced at the documented 20/s.
  const client = sdkTeoClient(emulator);
  const pacer = new Pacer(limits.baseline);
  await quiesce();
  emulator.clearCalls();
  const t = now();
  await Promise.all(Array.from({ length: count }, async (_, i) => {
    for (;;) {
      await pacer.turn();
      try {
        return await client.CreateOriginGroup({ ZoneId: ZONE, Name: `sdk-up-${i}`, Type: "GENERAL", Records: [{ Record: publicIp(i, 51), Type: "IP_DOMAIN" }] });
      } catch (err: any) {
        if (!String(err?.code ?? "").startsWith("RequestLimitExceeded")) throw err;
        await sleep(1000);
      }
    }
  }));
  const baseline = { ms: now() - t, throttled: summarise(emulator.calls(), "teo").throttled };

  const figures: CreateFigures = {
    count,
    mix: MIX,
    ms: r.durationMs,
    startUpMs: arrivals.length ? Math.min(...arrivals) - startedAt : r.durationMs,
    apiPhaseMs: creates.length ? lastAnswer - Math.min(...creates) : 0,
    floorMs: (count / limits.server) * 1000,
    throttled: calls.throttled,
    created: r.steps.filter((s) => s.op === "create").length,
    errors: r.errors,
    actions: describeActions(calls.byAction),
    baseline,
  };
  progress(`up: ${figures.created} creates in ${r.durationMs} ms (start-up ${figures.startUpMs} ms, API phase ${figures.apiPhaseMs} ms; ${figures.actions}); throttled ${calls.throttled}; errors ${r.errors.length}; baseline ${baseline.ms.toFixed(0)} ms`);
  return figures;
}
