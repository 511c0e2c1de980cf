/**
 * Scenario 2: `up` creating 200 OriginGroups concurrently, through the mini engine and the real
 * dynamic-provider process. The floor is what the server's rate limit allows: 200 creates / limit per second.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../emulator";
import { OriginGroup } from "../provider";
import { engineFor } from "./refresh";
import { ZONE, describeActions, progress, publicIp, quiesce, summarise, type Limits } from "./support";

export interface CreateFigures {
  count: number;
  ms: number;
  /** first to last CreateOriginGroup arrival at the emulator */
  createSpanMs: number;
  /** first CreateOriginGroup arrival to the last API call's answer: the part the rate limit bounds */
  apiPhaseMs: number;
  floorMs: number;
  throttled: number;
  created: number;
  errors: string[];
  actions: string;
}

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
  const r = await engine.up(program);
  fs.rmSync(dir, { recursive: true, force: true });
  const calls = summarise(r.calls as any, "teo");
  const creates = (r.calls as any[]).filter((c) => c.action === "CreateOriginGroup").map((c) => Date.parse(c.time));
  const figures: CreateFigures = {
    count,
    ms: r.durationMs,
    createSpanMs: creates.length ? Math.max(...creates) - Math.min(...creates) : 0,
    apiPhaseMs: creates.length ? Math.max(...(r.calls as any[]).map((c) => Date.parse(c.time) + c.durationMs)) - Math.min(...creates) : 0,
    floorMs: (count / limits.server) * 1000,
    throttled: calls.throttled,
    created: r.steps.filter((s) => s.op === "create").length,
    errors: r.errors,
    actions: describeActions(calls.byAction),
  };
  progress(`up: ${figures.created} creates in ${r.durationMs} ms (${figures.actions}); throttled ${calls.throttled}; errors ${r.errors.length}`);
  return figures;
}
