/**
 * `edgeconf preview [FILE | -] [--format text|markdown|json] [--fail-on replace,delete]`
 *
 * Reads what `pulumi preview --json` printed (a file, or stdin for `-` or no file) and writes the report
 * reviewers read in a pull request. Exit codes CI can trust:
 *   0  report written
 *   1  error: the input is not a preview digest (the message names it and what was expected), or the digest
 *      carries error diagnostics (pulumi preview failed; they are printed above the report)
 *   2  --fail-on matched a planned operation (the report is still written)
 */
import * as fs from "node:fs";
import { parseDigest } from "./previewDigest";
import { formatPreview, type FailOnResult, type PreviewFormat } from "./previewFormat";
import { OP_CATEGORIES, previewReport, type OpCategory, type PreviewReport } from "./previewReport";
import { defaultFitArgs, FIT_USAGE, takeFitOption, writeFullReport, type FitArgs } from "./reportFit";

export const PREVIEW_USAGE = `usage: edgeconf preview [FILE | -] [--format text|markdown|json] [--fail-on replace,delete]
                        [--max-length N] [--full-report MARKDOWN] [--write-full FILE]

Turns the output of \`pulumi preview --json\` (FILE, or stdin) into a report per resource: the operation
(replacements say whether the old resource is deleted first; a resource declared with adoptId is an adoption
of the existing id) and, for edgeconf resources, what changes in records, IP entries, expiry schedules and
names. Preview warnings are shown with their resource. With \`pulumi preview --refresh\`, what the refresh found
changed outside Pulumi is reported in a section of its own, apart from the program's change.
Secret values are never printed; in markdown, @mentions and #123 references in values are made inert.

  --format          text (default), markdown (a pull-request comment, first line ${"<!-- edgeconf-preview -->"}), json
  --fail-on OPS     exit 2 when any resource would be one of these: ${OP_CATEGORIES.join(", ")}
${FIT_USAGE}

exit: 0 report written, 2 --fail-on matched, 1 error (input not a preview digest, or pulumi preview failed)`;

interface PreviewArgs {
  file: string;
  format: PreviewFormat;
  failOn?: OpCategory[];
  fit: FitArgs;
  help?: boolean;
}

class UsageError extends Error {}

/** The shared report options, their errors as usage errors. */
function fitOption(flag: string, value: () => string, fit: FitArgs): boolean {
  try {
    return takeFitOption(flag, value, fit);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function parseArgs(argv: string[]): PreviewArgs {
  const args = argv[0] === "preview" ? argv.slice(1) : argv;
  const parsed: PreviewArgs = { file: "-", format: "text", fit: defaultFitArgs() };
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith("--") && args[i].includes("=") ? args[i].split(/=(.*)/s, 2) : [args[i], undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--help" || flag === "-h") parsed.help = true;
    else if (flag === "--format") {
      const f = value();
      if (f !== "text" && f !== "markdown" && f !== "json") throw new UsageError(`--format must be text, markdown or json, not ${JSON.stringify(f)}`);
      parsed.format = f;
    } else if (flag === "--fail-on") {
      const raw = value();
      const ops = raw.split(",").map((s) => s.trim()).filter(Boolean);
      const wrong = ops.filter((op) => !(OP_CATEGORIES as readonly string[]).includes(op));
      if (wrong.length || ops.length === 0) throw new UsageError(`--fail-on takes a comma-separated list of ${OP_CATEGORIES.join(", ")}; got ${JSON.stringify(raw)}`);
      parsed.failOn = ops as OpCategory[];
    } else if (fitOption(flag, value, parsed.fit)) continue;
    else if (flag.startsWith("-") && flag !== "-") throw new UsageError(`unknown option ${flag}`);
    else if (file === undefined) file = flag;
    else throw new UsageError(`unexpected argument ${flag} (one input file at most)`);
  }
  if (file !== undefined) parsed.file = file;
  return parsed;
}

function readInput(file: string): { text: string; source: string } {
  if (file === "-") return { text: fs.readFileSync(0, "utf8"), source: "(stdin)" };
  try {
    return { text: fs.readFileSync(file, "utf8"), source: file };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${file}: cannot read it (${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory" : (err as Error).message})`);
  }
}

function failOnResult(report: PreviewReport, ops: OpCategory[]): FailOnResult {
  return { ops, matched: report.resources.filter((r) => r.category !== undefined && ops.includes(r.category)) };
}

/**
 * The command. Errors (bad arguments, unreadable or wrong input) go to `err` — stderr by default — prefixed
 * with the command's name, and return 1; the report goes to `out`.
 */
export async function runPreview(
  argv: string[],
  out: (s: string) => void,
  err: (s: string) => void = (s) => process.stderr.write(`${s}\n`),
): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      out(PREVIEW_USAGE);
      return 0;
    }
    const { text, source } = readInput(args.file);
    const report = previewReport(parseDigest(text, source));
    const failOn = args.failOn ? failOnResult(report, args.failOn) : undefined;
    if (args.fit.writeFull) writeFullReport(args.fit.writeFull, (fit) => formatPreview(report, args.format, failOn, fit));
    out(formatPreview(report, args.format, failOn, args.fit));
    if (!report.ok) return 1;
    return failOn?.matched.length ? 2 : 0;
  } catch (e) {
    err(`edgeconf preview: ${(e as Error).message}${e instanceof UsageError ? `\n${PREVIEW_USAGE.split("\n")[0]}` : ""}`);
    return 1;
  }
}

if (require.main === module) {
  runPreview(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`)).then((code) => process.exit(code));
}
