// Records one call of a fake, or of the recording shim in front of a real tool, in $FAKE_DIR/calls.jsonl, with
// the names of the secrets ($FAKE_DIR/secrets.json) whose value is anywhere in its environment: the workflow
// tests assert where each secret is visible, whatever variable carries it.
// As a command, `node calls.js TOOL ARGS...` records a call of TOOL (the shim's way).
const fs = require("node:fs");
const path = require("node:path");

function secretsSeen(env) {
  const file = path.join(process.env.FAKE_DIR, "secrets.json");
  const secrets = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
  const values = Object.values(env);
  return Object.keys(secrets).filter((name) => secrets[name] && values.some((v) => v?.includes(secrets[name])));
}

function record(tool, args, extra = {}) {
  const call = { tool, args, cwd: process.cwd(), secrets: secretsSeen(process.env), ...extra };
  fs.appendFileSync(path.join(process.env.FAKE_DIR, "calls.jsonl"), JSON.stringify(call) + "\n");
}

module.exports = { record };
if (require.main === module) record(process.argv[2], process.argv.slice(3));
