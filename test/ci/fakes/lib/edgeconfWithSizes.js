// `edgeconf` as it will be once its reports take `--max-length N` and `--full-report TEXT` (the contract the
// templates are written against): records each call, lists the two options in `--help`, and runs this checkout's
// edgeconf without them, cutting its stdout to N characters and ending it with a note that names TEXT.
// Lets the tests check the templates' side of that contract before the real options land.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { record } = require("./calls");

const CLI = path.resolve(__dirname, "../../../../dist/commands/main.js");
const args = process.argv.slice(2);
record("edgeconf", args);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const maxLength = Number(option("--max-length") ?? 60000);
const fullReport = option("--full-report") ?? "the full report";
const rest = args.filter((a, i) => !["--max-length", "--full-report"].includes(a) && !["--max-length", "--full-report"].includes(args[i - 1]));
const run = spawnSync(process.execPath, [CLI, ...rest], { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["inherit", "pipe", "inherit"] });
let out = run.stdout;
if (args.includes("--help")) out += "  --max-length N  markdown characters at most (default 60000, 0 = unlimited)\n  --full-report TEXT  where the full report is\n";
else if (maxLength > 0 && out.length > maxLength) {
  const note = `\n_${out.length} characters left out; the full report is ${fullReport}._\n`;
  out = out.slice(0, maxLength - note.length) + note;
}
fs.writeSync(1, out);
process.exit(run.status ?? 1);
