/**
 * The bounded fault campaign (`npm run faults` runs 500): one fixed seed of randomized lifecycles of the
 * eight-resource stack through Pulumi's dynamic-provider process while the emulator injects faults, some beyond
 * the retries. Needs `npm run build` (the provider process loads dist/), which `npm test` does first.
 */
import { describe, expect, it } from "vitest";
import { FAULT_CATEGORIES, formatReport, runFaultCampaign } from "./faultCampaign";

describe("fault campaign (bounded)", () => {
  it("repairs every failed operation with one clean up: no duplicate, no orphan, no state mismatch (seed 3)", async () => {
    const lines: string[] = [];
    const report = await runFaultCampaign({ runs: 1, seed: 3, log: (l) => lines.push(l) });
    const summary = formatReport(report);
    expect(report.violations, `${summary}\n${lines.join("\n")}`).toEqual([]);
    expect(report.runs).toBe(1);
    // these seeds include operations that fail (faults beyond the retries) and are repaired by the next clean up
    expect(report.runsRepaired, summary).toBeGreaterThanOrEqual(1);
    expect(FAULT_CATEGORIES.filter((c) => report.fired[c] > 0).length, summary).toBeGreaterThanOrEqual(3);
  }, 180_000);
});
