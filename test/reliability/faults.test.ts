/**
 * The bounded fault campaign (`npm run faults` runs 500): a few fixed seeds of randomized lifecycles through
 * Pulumi's dynamic-provider process while the emulator injects every fault kind. Needs `npm run build` (the
 * provider process loads dist/), which `npm test` does first.
 */
import { describe, expect, it } from "vitest";
import { FAULT_CATEGORIES, formatReport, runFaultCampaign } from "./faultCampaign";

describe("fault campaign (bounded)", () => {
  it("leaves no duplicate, no orphan and no state mismatch over 6 faulted lifecycles (seeds 9001-9006)", async () => {
    const lines: string[] = [];
    const report = await runFaultCampaign({ runs: 6, seed: 9001, log: (l) => lines.push(l) });
    const summary = formatReport(report);
    expect(report.violations, `${summary}\n${lines.join("\n")}`).toEqual([]);
    expect(report.runs).toBe(6);
    // every run arms 4-12 faults; over six runs most kinds fire
    const fired = FAULT_CATEGORIES.filter((c) => report.fired[c] > 0);
    expect(fired.length).toBeGreaterThanOrEqual(3);
  }, 300_000);
});
