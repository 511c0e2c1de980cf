/**
 * `edgeconf preview` output: text for a terminal or a CI log, markdown for a pull-request comment, json for
 * tools. Changes are written by the shared change formatter (changes.ts), which lists the first few entries
 * of each set change and counts the rest; markdown is also cut to `--max-length` (reportFit.ts); json lists
 * everything.
 */
import { changeCell, changeLines, changeMarkdown, changeSize, code, cell, inert, listed } from "./changes";
import type { OpCategory, PreviewReport, RefreshDrift, ResourceReport } from "./previewReport";
import { fitMarkdown, type FitEntry, type FitOptions } from "./reportFit";

export type PreviewFormat = "text" | "markdown" | "json";

/** Hidden first line of the markdown: the workflow finds its own comment by it and edits it in place. */
export const MARKDOWN_MARKER = "<!-- edgeconf-preview -->";
/** Title of the markdown section of what `--refresh` found; the templates rely on its words. */
export const REFRESH_TITLE = "#### Changed outside Pulumi, found by refresh; not this pull request's change";

export interface FailOnResult {
  ops: OpCategory[];
  matched: ResourceReport[];
}

const SYMBOL: Record<string, string> = { create: "+", adopt: "+=", update: "~", replace: "+-", delete: "-" };
const symbolOf = (r: ResourceReport) => SYMBOL[r.category ?? ""] ?? "?";
const kindOf = (r: { kind?: string; type: string }) => r.kind ?? r.type;
const isDangerous = (r: ResourceReport) => r.category === "replace" || r.category === "delete";

// ---------------------------------------------------------------- words shared by text and markdown

export function summaryLine(report: PreviewReport): string {
  const parts = (["create", "adopt", "update", "replace", "delete"] as const)
    .filter((c) => report.counts[c] > 0)
    .map((c) => {
      const first = c === "replace" ? report.resources.filter((r) => r.category === "replace" && r.deleteFirst).length : 0;
      return `${report.counts[c]} to ${c}${first ? ` (${first} delete first)` : ""}`;
    });
  if (report.other) parts.push(`${report.other} other`);
  const flagged = report.resources.filter((r) => r.warnings.length > 0).length;
  const notes = [
    ...(report.same ? [`${report.same} unchanged`] : []),
    ...(flagged ? [`${flagged} flagged`] : []),
    ...(report.warnings.length ? [`${report.warnings.length} other warning(s)`] : []),
    ...(report.refreshed.length ? [`${report.refreshed.length} changed outside Pulumi (found by refresh)`] : []),
  ];
  return [parts.length ? parts.join(", ") : "no changes", ...notes].join("; ");
}

function operationWords(r: ResourceReport): string {
  const op = r.category === "replace" ? `replace${r.deleteFirst ? ", delete first" : r.deleteFirst === false ? ", create first" : ""}`
    : r.category === "adopt" ? `adopt existing ${r.id}` : r.category === undefined ? `${r.op} (an operation this report does not know)` : r.op;
  const steps = r.steps ? ` [${r.steps.join(" → ")}]` : "";
  const reasons = r.replaceReasons?.length ? ` (because of ${r.replaceReasons.join(", ")})` : "";
  const restores = r.restoresDrift ? " (puts back what was changed outside Pulumi)" : "";
  return `${op}${reasons}${steps}${restores}`;
}

/** The id, unless the operation words already name it. */
const idWords = (r: ResourceReport) => (r.id && r.category !== "adopt" ? ` (${r.id})` : "");

function driftWords(d: RefreshDrift): string {
  return d.gone ? "deleted outside Pulumi; the program creates it again" : "changed outside Pulumi";
}

function failOnWords(f: FailOnResult): string {
  const names = f.matched.map((r) => `${kindOf(r)} ${r.name} (${r.category})`);
  return `--fail-on ${f.ops.join(",")}: ${f.matched.length ? `matched ${listed(names, 10)}` : "nothing matched"}`;
}

// ---------------------------------------------------------------- text

function textLines(head: string, changes: [string, string[]][], warnings: string[]): string[] {
  return [head, ...changes.flatMap(([line, nested]) => [`     ${line}`, ...nested.map((n) => `       ${n}`)]), ...warnings.map((w) => `     ! ${w}`)];
}

function text(report: PreviewReport, failOn?: FailOnResult): string {
  const lines: string[] = [];
  if (!report.ok) {
    lines.push(`pulumi preview failed with ${report.errors.length} error(s):`);
    for (const e of report.errors) lines.push(...e.message.trimEnd().split("\n").map((l) => `  ${l}`));
    lines.push("");
  }
  lines.push(`edgeconf preview: ${summaryLine(report)}`);
  for (const w of report.warnings) lines.push(`!  ${w}`);
  for (const r of report.resources) {
    lines.push(...textLines(`${symbolOf(r).padEnd(2)} ${kindOf(r)} ${r.name}${idWords(r)}: ${operationWords(r)}`, changeLines(r), r.warnings));
  }
  if (report.refreshed.length) {
    lines.push("Changed outside Pulumi, found by refresh (not this pull request's change):");
    for (const d of report.refreshed) lines.push(...textLines(`!= ${d.kind} ${d.name}${d.id ? ` (${d.id})` : ""}: ${driftWords(d)}`, changeLines(d), []));
  }
  if (failOn) lines.push(failOnWords(failOn));
  return lines.join("\n");
}

// ---------------------------------------------------------------- markdown

function resourceEntry(r: ResourceReport): FitEntry {
  const op = operationWords(r);
  const strong = isDangerous(r) ? `**${op}**` : op;
  const row = `| ${code(symbolOf(r))} | ${cell(`${kindOf(r)} ${code(r.name)}`)} | ${cell(inert(strong))}${r.warnings.length ? " :warning:" : ""} | ${cell(inert(changeCell(r)))} |`;
  const lines = changeMarkdown(r);
  const details = lines.length || r.warnings.length
    ? [`**${symbolOf(r)} ${kindOf(r)} ${code(r.name)}**: ${inert(op)}`, ...r.warnings.map((w) => `- :warning: ${inert(w)}`), ...lines]
    : [];
  return { dangerous: isDangerous(r), size: changeSize(r), row, details };
}

function refreshEntry(d: RefreshDrift): FitEntry {
  const label = `${d.kind} ${code(d.name)}`;
  return {
    dangerous: d.gone === true,
    size: changeSize(d),
    row: `| ${cell(label)} | ${cell(driftWords(d))} | ${cell(inert(changeCell(d)))} |`,
    details: d.gone ? [] : [`**${label}**: ${driftWords(d)}`, ...changeMarkdown(d)],
  };
}

function markdown(report: PreviewReport, fit: FitOptions, failOn?: FailOnResult): string {
  const head = [MARKDOWN_MARKER];
  if (!report.ok) {
    head.push(`### edgeconf preview: pulumi preview failed (${report.errors.length} error(s))`, "");
    for (const e of report.errors) head.push("```", e.message.trimEnd().replace(/```/g, "'''"), "```");
    head.push("");
  }
  head.push(`${report.ok ? "### edgeconf preview: " : "**Steps before the failure:** "}${summaryLine(report)}`, "");
  if (report.warnings.length) head.push(...report.warnings.map((w) => `- :warning: ${inert(w)}`), "");
  const sections = [
    { title: [], tableHead: ["| | Resource | Operation | Changes |", "|---|---|---|---|"], entries: report.resources.map(resourceEntry) },
    { title: [REFRESH_TITLE, ""], tableHead: ["| Resource | Found | Changes |", "|---|---|---|"], entries: report.refreshed.map(refreshEntry) },
  ];
  const tail = failOn ? [`${failOn.matched.length ? ":x:" : ":white_check_mark:"} ${failOnWords(failOn)}`] : [];
  return fitMarkdown(head, sections, tail, fit);
}

export function formatPreview(report: PreviewReport, format: PreviewFormat, failOn?: FailOnResult, fit: FitOptions = { maxLength: 0 }): string {
  if (format === "json") {
    const fail = failOn ? { failOn: { ops: failOn.ops, matched: failOn.matched.map((r) => r.urn) } } : {};
    return JSON.stringify({ ...report, ...fail }, null, 2);
  }
  return format === "markdown" ? markdown(report, fit, failOn) : text(report, failOn);
}
