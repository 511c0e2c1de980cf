#!/usr/bin/env node
/**
 * `edgeconf drift <stack-export.json | -> [--format text|json|markdown]`
 * Exit 0 when clean, 2 on drift (or a resource deleted outside Pulumi), 1 on error.
 * Credentials and endpoints come from the environment (TENCENTCLOUD_*, HW_*, EDGECONF_ENDPOINT), as in the provider.
 */
import * as fs from "node:fs";
import { driftReport, formatReport } from "./drift";

const USAGE = "usage: edgeconf drift <stack-export.json | -> [--format text|json|markdown]";

export async function runDrift(argv: string[], out: (s: string) => void): Promise<number> {
  const args = argv[0] === "drift" ? argv.slice(1) : argv;
  let file: string | undefined;
  let format: "text" | "json" | "markdown" = "text";
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--format") {
      const f = args[++i];
      if (f !== "text" && f !== "json" && f !== "markdown") throw new Error(`--format must be text, json or markdown\n${USAGE}`);
      format = f;
    } else if (!file) file = args[i];
    else throw new Error(`unexpected argument ${args[i]}\n${USAGE}`);
  }
  if (!file) throw new Error(USAGE);
  const text = file === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(file, "utf8");
  const report = await driftReport(JSON.parse(text));
  out(formatReport(report, format));
  return report.errors ? 1 : report.drifted ? 2 : 0;
}

if (require.main === module) {
  runDrift(process.argv.slice(2), (s) => process.stdout.write(s + "\n")).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`edgeconf drift: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
