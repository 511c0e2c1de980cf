/**
 * The bounded input fuzz (`npm run fuzz` runs 10,000 per resource): generated inputs through check and diff
 * in process, passing ones created in the emulator. No escaped exception, every failure named, no disagreement.
 */
import { describe, expect, it } from "vitest";
import { formatFuzzReport, KINDS, runFuzzCampaign } from "./fuzzCampaign";

describe("input fuzz (bounded)", () => {
  it("handles 600 generated inputs per resource without an escaped exception or a check/emulator disagreement (seed 7)", async () => {
    const report = await runFuzzCampaign({ inputs: 600, seed: 7, create: 12 });
    const summary = `${formatFuzzReport(report)}\n${report.problems.slice(0, 10).map((p) => `${p.kind} ${p.what}: ${p.detail} ${p.input}`).join("\n")}`;
    expect(report.problems, summary).toEqual([]);
    for (const kind of KINDS) {
      expect(report.perKind[kind].inputs).toBe(600);
      expect(report.perKind[kind].passedCheck).toBeGreaterThan(50);
      expect(report.perKind[kind].created).toBeGreaterThan(5);
    }
  }, 120_000);
});
