/**
 * `edgeconf preview` output: text for a terminal or a CI log, markdown for a pull-request comment, json for
 * tools. Text and markdown list the first few entries of each set change and count the rest, so a 50,000-entry
 * allow-list with three entries added stays a few lines; json lists them all.
 */
import type { EntriesDelta, ExpiryDelta, FieldChange, OpCategory, PreviewReport, RecordsDelta, RecordSummary, ResourceReport } from "./previewReport";
import { KNOWN_AFTER_APPLY } from "./previewReport";

export type PreviewFormat = "text" | "markdown" | "json";

/** Hidden first line of the markdown: the workflow finds its own comment by it and edits it in place. */
export const MARKDOWN_MARKER = "<!-- edgeconf-preview -->";
/** Entries listed per added/removed side before "and N more". */
export const LIST_LIMIT = 5;

export interface FailOnResult {
  ops: OpCategory[];
  matched: ResourceReport[];
}

const SYMBOL: Record<string, string> = { create: "+", update: "~", replace: "+-", delete: "-" };
const symbolOf = (r: ResourceReport) => SYMBOL[r.category ?? ""] ?? "?";
const kindOf = (r: ResourceReport) => r.kind ?? r.type;

function show(v: unknown): string {
  if (v === KNOWN_AFTER_APPLY) return v;
  if (v === undefined || v === null || v === "") return "(none)";
  const text = JSON.stringify(v);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

function listed(items: string[], limit = LIST_LIMIT): string {
  const more = items.length - limit;
  return items.slice(0, limit).join(", ") + (more > 0 ? `, and ${more} more` : "");
}

// ---------------------------------------------------------------- words shared by text and markdown

export function summaryLine(report: PreviewReport): string {
  const parts = (["create", "update", "replace", "delete"] as const)
    .filter((c) => report.counts[c] > 0)
    .map((c) => {
      const first = c === "replace" ? report.resources.filter((r) => r.category === "replace" && r.deleteFirst).length : 0;
      return `${report.counts[c]} to ${c}${first ? ` (${first} delete first)` : ""}`;
    });
  const flagged = report.resources.filter((r) => r.warnings.length > 0).length;
  const changes = parts.length ? parts.join(", ") : "no changes";
  return `${changes}${report.same ? `; ${report.same} unchanged` : ""}${flagged ? `; ${flagged} flagged` : ""}`;
}

function operationWords(r: ResourceReport): string {
  const op = r.category === "replace" ? `replace${r.deleteFirst ? ", delete first" : r.deleteFirst === false ? ", create first" : ""}` : r.op;
  const steps = r.steps ? ` [${r.steps.join(" → ")}]` : "";
  const reasons = r.replaceReasons?.length ? ` (because of ${r.replaceReasons.join(", ")})` : "";
  return `${op}${reasons}${steps}`;
}

function fieldWords(f: FieldChange): string {
  if (f.secret) return `${f.property} ${f.old === "(absent)" ? "added" : f.new === "(absent)" ? "removed" : "changed"} (secret, not shown)`;
  return "old" in f ? `${f.property}: ${show(f.old)} → ${show(f.new)}` : `${f.property}: ${show(f.new)}`;
}

function recordWords(r: RecordSummary): string {
  const traits = [r.type, ...(r.weight !== undefined ? [`weight ${r.weight}`] : []), ...(r.private ? ["private"] : [])];
  if (r.privateParameters.length) traits.push(`privateParameters: ${r.privateParameters.join(", ")}`);
  return `${r.record} (${traits.join(", ")})`;
}

/** Detail lines of one resource, without indentation or markup: [text, nested lines]. */
function detailLines(r: ResourceReport): [string, string[]][] {
  const out: [string, string[]][] = [];
  for (const f of r.fields) out.push([fieldWords(f), []]);
  if (r.records) out.push(...recordLines(r.records));
  if (r.content) out.push(contentLine(r.content));
  if (r.expiries) out.push(...expiryLines(r.expiries));
  for (const s of r.secrets) out.push([`${s.property}: [secret] ${s.status === "changed" ? "changed" : "not compared"} (values not shown)`, []]);
  return out;
}

function recordLines(d: RecordsDelta): [string, string[]][] {
  const head = `records: +${d.added.length} −${d.removed.length} ~${d.changed.length}`;
  const lines = [
    ...d.added.map((r) => `+ ${recordWords(r)}`),
    ...d.removed.map((r) => `− ${recordWords(r)}`),
    ...d.changed.map((c) => `~ ${c.record}: ${c.fields.map(fieldWords).join(", ")}`),
  ];
  const limit = 10;
  return [[head, lines.length > limit ? [...lines.slice(0, limit), `and ${lines.length - limit} more`] : lines]];
}

function contentLine(d: EntriesDelta): [string, string[]] {
  const nested = [...(d.added.length ? [`added: ${listed(d.added)}`] : []), ...(d.removed.length ? [`removed: ${listed(d.removed)}`] : [])];
  return [`content: +${d.added.length} −${d.removed.length} (${d.total} entries after)`, nested];
}

function expiryLines(d: ExpiryDelta): [string, string[]][] {
  const nested = [
    ...d.added.map((e) => `+ ${e.entry} expires ${e.expireTime}`),
    ...d.removed.map((e) => `− ${e.entry} no longer expires (was ${e.expireTime})`),
    ...d.changed.map((e) => `~ ${e.entry} expires ${e.new} (was ${e.old})`),
  ];
  const head = `ipExpireInfo: +${d.added.length} −${d.removed.length} ~${d.changed.length} schedule(s)`;
  return [[head, nested.length > LIST_LIMIT * 2 ? [...nested.slice(0, LIST_LIMIT * 2), `and ${nested.length - LIST_LIMIT * 2} more`] : nested]];
}

function failOnWords(f: FailOnResult): string {
  const names = f.matched.map((r) => `${kindOf(r)} ${r.name} (${r.category})`);
  return `--fail-on ${f.ops.join(",")}: ${f.matched.length ? `matched ${listed(names, 10)}` : "nothing matched"}`;
}

// ---------------------------------------------------------------- text

function text(report: PreviewReport, failOn?: FailOnResult): string {
  const lines: string[] = [];
  if (!report.ok) {
    lines.push(`pulumi preview failed with ${report.errors.length} error(s):`);
    for (const e of report.errors) lines.push(...e.message.trimEnd().split("\n").map((l) => `  ${l}`));
    lines.push("");
  }
  lines.push(`edgeconf preview: ${summaryLine(report)}`);
  for (const r of report.resources) {
    lines.push(`${symbolOf(r).padEnd(2)} ${kindOf(r)} ${r.name}${r.id ? ` (${r.id})` : ""}: ${operationWords(r)}`);
    for (const [line, nested] of detailLines(r)) {
      lines.push(`     ${line}`);
      for (const n of nested) lines.push(`       ${n}`);
    }
    for (const w of r.warnings) lines.push(`     ! ${w}`);
  }
  if (failOn) lines.push(failOnWords(failOn));
  return lines.join("\n");
}

// ---------------------------------------------------------------- markdown

/** A code span that survives backticks in the value. */
const code = (s: string) => (s.includes("`") ? `\`\` ${s} \`\`` : `\`${s}\``);
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
/** Values (descriptions...) are user text: no HTML in a PR comment. */
const inert = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function changeCell(r: ResourceReport): string {
  const parts = r.fields.map((f) => f.property);
  if (r.records) parts.push(`records +${r.records.added.length} −${r.records.removed.length} ~${r.records.changed.length}`);
  if (r.content) parts.push(`content +${r.content.added.length} −${r.content.removed.length}`);
  if (r.expiries) parts.push(`ipExpireInfo +${r.expiries.added.length} −${r.expiries.removed.length} ~${r.expiries.changed.length}`);
  for (const s of r.secrets) parts.push(`${s.property} (secret)`);
  return parts.join(", ");
}

function markdown(report: PreviewReport, failOn?: FailOnResult): string {
  const lines = [MARKDOWN_MARKER];
  if (!report.ok) {
    lines.push(`### edgeconf preview: pulumi preview failed (${report.errors.length} error(s))`, "");
    for (const e of report.errors) lines.push("```", e.message.trimEnd().replace(/```/g, "'''"), "```");
    lines.push("");
  }
  lines.push(`${report.ok ? "### edgeconf preview: " : "**Steps before the failure:** "}${summaryLine(report)}`, "");
  if (report.resources.length) {
    lines.push("| | Resource | Operation | Changes |", "|---|---|---|---|");
    for (const r of report.resources) {
      const op = operationWords(r);
      const strong = r.category === "replace" || r.category === "delete" ? `**${op}**` : op;
      lines.push(`| ${code(symbolOf(r))} | ${cell(`${kindOf(r)} ${code(r.name)}`)} | ${cell(strong)}${r.warnings.length ? " :warning:" : ""} | ${cell(inert(changeCell(r)))} |`);
    }
    lines.push("");
  }
  for (const r of report.resources) {
    const details = detailLines(r);
    if (!details.length && !r.warnings.length) continue;
    lines.push(`**${symbolOf(r)} ${kindOf(r)} ${code(r.name)}**: ${operationWords(r)}`);
    for (const w of r.warnings) lines.push(`- :warning: ${inert(w)}`);
    for (const [line, nested] of details) {
      lines.push(`- ${inert(line)}`);
      for (const n of nested) lines.push(`  - ${inert(n)}`);
    }
    lines.push("");
  }
  if (failOn) lines.push(`${failOn.matched.length ? ":x:" : ":white_check_mark:"} ${failOnWords(failOn)}`);
  while (lines[lines.length - 1] === "") lines.pop();
  return lines.join("\n");
}

export function formatPreview(report: PreviewReport, format: PreviewFormat, failOn?: FailOnResult): string {
  if (format === "json") {
    const fail = failOn ? { failOn: { ops: failOn.ops, matched: failOn.matched.map((r) => r.urn) } } : {};
    return JSON.stringify({ ...report, ...fail }, null, 2);
  }
  return format === "markdown" ? markdown(report, failOn) : text(report, failOn);
}
