/**
 * Markdown reports that fit where they are posted: a GitHub comment or issue body holds at most 65,536
 * characters, and a change of thousands of resources would be refused whole. Past the limit a report keeps
 * its head (the summary line), then the dangerous entries, then the largest changes, and ends with one line
 * counting what was left out and saying where the full report is.
 */
import * as fs from "node:fs";

/** The markdown default of `--max-length`: under GitHub's 65,536 with room for the workflow's own wrapper. */
export const DEFAULT_MAX_LENGTH = 60_000;

/** One resource of a report: a table row and the detail block under the table. */
export interface FitEntry {
  /** kept first when the report is cut (a replace or delete; deleted outside Pulumi, an error) */
  dangerous: boolean;
  /** how much changed: the larger is kept first */
  size: number;
  row: string;
  details: string[];
}

/** A titled table of entries; a section without entries is not written. */
export interface FitSection {
  title: string[];
  tableHead: string[];
  entries: FitEntry[];
}

export interface FitOptions {
  /** characters; 0 = no limit */
  maxLength: number;
  /** markdown saying where the full report is (`--full-report`) */
  fullReport?: string;
}

const joined = (lines: string[]) => lines.join("\n");

function render(head: string[], sections: FitSection[], tail: string[], withDetails: (e: FitEntry) => boolean): string {
  const lines = [...head];
  for (const s of sections.filter((x) => x.entries.length > 0)) {
    lines.push(...s.title, ...s.tableHead, ...s.entries.map((e) => e.row), "");
    for (const e of s.entries.filter((x) => withDetails(x) && x.details.length > 0)) lines.push(...e.details, "");
  }
  while (lines[lines.length - 1] === "") lines.pop();
  if (tail.length) lines.push("", ...tail);
  return joined(lines);
}

/** The left-out line; the templates find it by its start, `**Left out:**`. */
export function leftOutLine(leftOut: number, total: number, withoutDetails: number, opts: FitOptions): string {
  const bare = withoutDetails ? `; ${withoutDetails} more listed without details` : "";
  return `**Left out:** ${leftOut} of ${total} resource(s), to fit in ${opts.maxLength} characters${bare}. ${whereWords(opts)}`;
}

const whereWords = (opts: FitOptions) =>
  opts.fullReport ? `The full report: ${opts.fullReport}.` : "Run the command without `--max-length` for the full report.";

/**
 * The last resort for a head longer than the limit (thousands of error lines): the head cut between lines, a
 * code block it was in closed, then the left-out line, so the reader still learns where the rest is.
 */
function cutHead(head: string[], total: number, opts: FitOptions): string {
  const rest = total ? ` and its ${total} resource(s)` : "";
  const ending = `\n… (cut to ${opts.maxLength} characters)\n\n**Left out:** the rest of the report${rest}. ${whereWords(opts)}`;
  const fence = "\n```";
  const room = joined(head).slice(0, Math.max(0, opts.maxLength - ending.length - fence.length));
  let text = room.slice(0, Math.max(0, room.lastIndexOf("\n")));
  // inside a code block: close it, or drop its opening fence if the cut left nothing after it
  if ((text.match(/^```/gm) ?? []).length % 2 === 1) text = text.endsWith(fence) ? text.slice(0, -fence.length) : text + fence;
  return `${text}${ending}`;
}

/** The report whole if it fits, else cut as the module comment says. */
export function fitMarkdown(head: string[], sections: FitSection[], tail: string[], opts: FitOptions): string {
  const whole = render(head, sections, tail, () => true);
  if (opts.maxLength <= 0 || whole.length <= opts.maxLength) return whole;
  const all = sections.flatMap((s) => s.entries);
  const order = [...all].sort((a, b) => Number(b.dangerous) - Number(a.dangerous) || b.size - a.size);
  // The line's own length depends on the counts: reserve for the longest it can be.
  const reserve = leftOutLine(all.length, all.length, all.length, opts).length + 2;
  const fixed = render(head, sections.map((s) => ({ ...s, entries: [] })), tail, () => false).length;
  const titles = sections.reduce((n, s) => n + joined([...s.title, ...s.tableHead]).length + 3, 0);
  let budget = opts.maxLength - fixed - titles - reserve;
  const rows = new Set<FitEntry>();
  const details = new Set<FitEntry>();
  for (const e of order) {
    const row = e.row.length + 1;
    const block = e.details.length ? joined(e.details).length + 2 : 0;
    if (row + block <= budget) {
      rows.add(e);
      details.add(e);
      budget -= row + block;
    } else if (row <= budget) {
      rows.add(e);
      budget -= row;
    }
  }
  const kept = sections.map((s) => ({ ...s, entries: order.filter((e) => rows.has(e) && s.entries.includes(e)) }));
  const line = leftOutLine(all.length - rows.size, all.length, rows.size - details.size, opts);
  const text = render(head, kept, [line, ...(tail.length ? ["", ...tail] : [])], (e) => details.has(e));
  return text.length <= opts.maxLength ? text : cutHead(head, all.length, opts);
}

/** `--max-length N`: a whole number of characters, 0 for no limit. */
export function parseMaxLength(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new RangeError(`--max-length must be a whole number of characters (0 = no limit), not ${JSON.stringify(value)}`);
  return n;
}

/** The options both commands take for where their report goes. */
export interface FitArgs extends FitOptions {
  /** `--write-full FILE`: the same report, never cut, for a CI artifact */
  writeFull?: string;
}

export const defaultFitArgs = (): FitArgs => ({ maxLength: DEFAULT_MAX_LENGTH });

/** Reads `--max-length`, `--full-report` or `--write-full` into `fit`; false when `flag` is none of them. */
export function takeFitOption(flag: string, value: () => string, fit: FitArgs): boolean {
  if (flag === "--max-length") fit.maxLength = parseMaxLength(value());
  else if (flag === "--full-report") fit.fullReport = value();
  else if (flag === "--write-full") fit.writeFull = value();
  else return false;
  return true;
}

/**
 * The whole report to `--write-full`'s file, beside the cut one on stdout: one run of the command (one read of
 * every resource, for drift) gives both the comment and the artifact.
 */
export function writeFullReport(file: string, render: (fit: FitOptions) => string): void {
  try {
    fs.writeFileSync(file, `${render({ maxLength: 0 })}\n`);
  } catch (e) {
    throw new Error(`--write-full ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The words of both commands' --help for the three options. */
export const FIT_USAGE = `  --max-length N    markdown only: cut the report to N characters (default ${DEFAULT_MAX_LENGTH}, under GitHub's
                    65,536 for a comment or issue body; 0 = no limit). Past it the report keeps the summary,
                    the dangerous operations, then the largest changes, and ends with a line starting
                    "**Left out:**" that counts the resources left out
  --full-report MD  markdown saying where the full report is (e.g. a CI artifact's link), written in that line
  --write-full FILE also write the report, never cut, to FILE (the artifact the line points at)`;
