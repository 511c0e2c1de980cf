/** The one table the benchmark prints: a row per measured figure, ours next to the baseline of the same run. */
export interface Row {
  scenario: string;
  /** what the row's input holds */
  mix: string;
  ours: string;
  /** measured in the same run ("" when the row has none) */
  baseline: string;
  /** baseline / ours for "less is better" figures ("31.2×"), or "" */
  vsBaseline: string;
  /** the physical floor: calls needed ÷ the documented rate limit */
  floor: string;
  /** ours / floor ("1.04× floor"), or "" */
  vsFloor: string;
  /**
   * refresh rows: the same refresh through a provider that makes no API call (what the engine and Pulumi's
   * dynamic-provider process cost on their own), and ours minus that (what our provider adds)
   */
  machinery?: string;
  oursMinusMachinery?: string;
  target: string;
  /** undefined: informational row, no target */
  pass?: boolean;
}

export const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
export const fmtBytes = (b: number): string => (b >= 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(2)} MB` : b >= 1024 ? `${(b / 1024).toFixed(1)} KB` : `${b} B`);
export const fmtRatio = (baseline: number, ours: number): string => (ours > 0 ? `${(baseline / ours).toFixed(baseline / ours >= 100 ? 0 : 1)}×` : "∞");

export function renderTable(rows: Row[]): string {
  const header = ["#", "scenario", "input mix", "ours", "baseline (measured)", "vs baseline", "floor", "vs floor", "Pulumi machinery floor (no-API provider)", "ours − machinery floor", "target", "result"];
  const cells = rows.map((r, i) => [
    String(i + 1), r.scenario, r.mix, r.ours, r.baseline, r.vsBaseline, r.floor, r.vsFloor, r.machinery ?? "", r.oursMinusMachinery ?? "", r.target,
    r.pass === undefined ? "info" : r.pass ? "PASS" : "FAIL",
  ]);
  const lines = [header, ...cells].map((cols) => `| ${cols.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`);
  lines.splice(1, 0, `|${header.map(() => "---").join("|")}|`);
  return lines.join("\n");
}
