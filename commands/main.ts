#!/usr/bin/env node
/**
 * `edgeconf <drift|preview> ...`: the command line for CI jobs. Exit codes are the contract CI relies on:
 * 0 clean / report written, 2 drift (or a dangerous operation with `--fail-on`), 1 error; 1 wins.
 * Credentials and endpoints come from the environment (TENCENTCLOUD_*, HW_*, EDGECONF_ENDPOINT), never from
 * stack config. No secret value is ever printed.
 */
import * as fs from "node:fs";
import { defaultFitArgs, FIT_USAGE, takeFitOption, writeFullReport, type FitArgs } from "./reportFit";

/** Bound of a whole drift run, seconds (`--timeout`): a black-holed endpoint gives up here. */
export const DEFAULT_DRIFT_TIMEOUT_S = 120;
const MAX_TIMEOUT_S = Math.floor((2 ** 31 - 1) / 1000);

const USAGE = `usage: edgeconf <command> [options]

commands:
  drift <stack-export.json | ->   read every edgeconf resource of a \`pulumi stack export\` live and report drift
  preview [<preview.json> | -]     turn \`pulumi preview --json\` output into a report reviewers can read
  recover [--run] [--stack NAME]   after an interrupted \`pulumi up\`: put each object its pending creates made
                                   back under the stack (or drop the pending create), then refresh

options:
  -h, --help      this help (\`edgeconf <command> --help\` for the command's options)
  --version       the version of pulumi-edgeconf`;

const DRIFT_USAGE = `usage: edgeconf drift <stack-export.json | -> [--format text|json|markdown] [--fail-on-empty] [--timeout SECONDS]
                      [--max-length N] [--full-report MARKDOWN] [--write-full FILE]

Reads each OriginGroup, SecurityIPGroup, UserGroup and EndpointGroup of a \`pulumi stack export\` (use
--show-secrets so secret properties are compared too; their values are never printed) and names every field
that differs from the live configuration. Set changes are written as \`edgeconf preview\` writes them (records
by value, IP entries as +N −M with the first few named). Markdown lists only the resources that are not clean
(the clean ones are counted) and makes @mentions and #123 references in values inert.

  --format FORMAT   text (default, every resource), json (complete) or markdown (for an issue body)
  --fail-on-empty   exit 1 when the export holds no edgeconf resource (a misconfigured job)
  --timeout S       give up after S seconds (above 0, at most ${MAX_TIMEOUT_S}; default ${DEFAULT_DRIFT_TIMEOUT_S}); progress
                    goes to stderr every 5 s
${FIT_USAGE}

Credentials come from the environment only: TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY,
TENCENTCLOUD_SECURITY_TOKEN (optional); HW_ACCESS_KEY, HW_SECRET_KEY, HW_PROJECT_ID or HW_AUTH_TOKEN;
EDGECONF_ENDPOINT to use the emulator.
Pending operations of an interrupted run are reported too, with the command that resolves them; a resource
Pulumi itself deleted for a delete-first replacement is not drift.
Exit codes: 0 no drift, 2 drift (a resource deleted outside Pulumi counts, and so does a pending operation),
1 error (also when any resource could not be checked; 1 wins over 2).`;

/** A usage or input error: printed with its command's name, exit 1. */
class CliError extends Error {}

type Out = (s: string) => void;

function readInput(file: string): string {
  try {
    return file === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new CliError(`cannot read ${file === "-" ? "standard input" : file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

const fail = (message: string): never => {
  throw new Error(message);
};

/** The shared report options; a missing or bad value is a usage error. */
function fitOption(flag: string, next: () => string | undefined, fit: FitArgs): boolean {
  try {
    return takeFitOption(flag, () => next() ?? fail(`${flag} needs a value`), fit);
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n${DRIFT_USAGE}`);
  }
}

export async function runDrift(argv: string[], out: Out, err: Out = (s) => process.stderr.write(s + "\n")): Promise<number> {
  let file: string | undefined;
  let format: "text" | "json" | "markdown" = "text";
  let failOnEmpty = false;
  let timeoutSeconds = DEFAULT_DRIFT_TIMEOUT_S;
  const fit = defaultFitArgs();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") {
      out(DRIFT_USAGE);
      return 0;
    } else if (arg === "--format") {
      const f = argv[++i];
      if (f !== "text" && f !== "json" && f !== "markdown") throw new CliError(`--format must be text, json or markdown\n${DRIFT_USAGE}`);
      format = f;
    } else if (arg === "--fail-on-empty") failOnEmpty = true;
    else if (arg === "--timeout") {
      timeoutSeconds = Number(argv[++i]);
      // Node's timers hold at most 2^31 - 1 ms; a longer one fires at once and would fail every resource.
      if (!(timeoutSeconds > 0 && timeoutSeconds <= MAX_TIMEOUT_S)) {
        throw new CliError(`--timeout must be a number of seconds above 0 and at most ${MAX_TIMEOUT_S} (24 days)\n${DRIFT_USAGE}`);
      }
    } else if (fitOption(arg, () => argv[++i], fit)) continue;
    else if (arg.startsWith("-") && arg !== "-") throw new CliError(`unknown option ${arg}\n${DRIFT_USAGE}`);
    else if (file === undefined) file = arg;
    else throw new CliError(`unexpected argument ${arg}\n${DRIFT_USAGE}`);
  }
  if (file === undefined) throw new CliError(`no stack export given\n${DRIFT_USAGE}`);
  // Loaded here, not at the top: --help and --version must not pay for the provider runtime.
  const { StackExportError, driftReport, formatReport, readStackExport }: typeof import("./drift") = require("./drift");
  const source = file === "-" ? "standard input" : file;
  let exported;
  try {
    exported = readStackExport(readInput(file));
  } catch (e) {
    if (e instanceof StackExportError) throw new CliError(`${source}: ${e.message}`);
    throw e;
  }
  const report = await driftReport(exported, {
    timeoutSeconds,
    progress: (pending, elapsed) =>
      err(`edgeconf drift: still waiting for ${pending.length} resource(s) after ${Math.round(elapsed / 1000)} s (${pending.slice(0, 3).join(", ")}${pending.length > 3 ? ", …" : ""}); giving up at ${timeoutSeconds} s`),
    progressEveryMs: Math.min(5000, (timeoutSeconds * 1000) / 2),
  });
  try {
    if (fit.writeFull) writeFullReport(fit.writeFull, (whole) => formatReport(report, format, whole));
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  out(formatReport(report, format, fit));
  if (report.errors) return 1;
  if (report.resources.length === 0 && failOnEmpty) {
    err(`edgeconf drift: ${source} holds no edgeconf resources (--fail-on-empty)`);
    return 1;
  }
  return report.drifted || report.interrupted ? 2 : 0;
}

/** Loaded on use, like drift: a report needs no provider runtime, but --help must not pay for the formatter. */
async function runPreview(argv: string[], out: Out): Promise<number> {
  const { runPreview }: typeof import("./preview") = require("./preview");
  return runPreview(argv, out);
}

/** Loaded on use, like drift: it brings the provider runtime. Its usage errors are ours. */
async function runRecoverCommand(argv: string[], out: Out, err: Out): Promise<number> {
  const { RecoverError, runRecover }: typeof import("./recover") = require("./recover");
  try {
    return await runRecover(argv, out, err);
  } catch (e) {
    if (e instanceof RecoverError) throw new CliError(e.message);
    throw e;
  }
}

export async function runCli(argv: string[], out: Out, err: Out = (s) => process.stderr.write(s + "\n")): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    err(USAGE);
    return 1;
  }
  if (command === "-h" || command === "--help" || command === "help") {
    out(USAGE);
    return 0;
  }
  if (command === "--version" || command === "-v") {
    const { packageVersion }: typeof import("../provider/packageVersion") = require("../provider/packageVersion");
    out(packageVersion());
    return 0;
  }
  try {
    if (command === "drift") return await runDrift(rest, out, err);
    if (command === "preview") return await runPreview(rest, out);
    if (command === "recover") return await runRecoverCommand(rest, out, err);
    throw new CliError(`unknown command ${command}\n${USAGE}`);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    err(`${["drift", "preview", "recover"].includes(command) ? `edgeconf ${command}` : "edgeconf"}: ${e.message}`);
    return 1;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), (s) => process.stdout.write(s + "\n")).then(
    (code) => {
      // Reads still in flight after a --timeout must not keep the process alive.
      process.exitCode = code;
      process.stdout.write("", () => process.exit(code));
    },
    (e) => {
      process.stderr.write(`edgeconf: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
