/**
 * `edgeconf recover`: back to exactly one cloud object per declared resource after an interrupted `pulumi up`.
 *
 * A run killed while creating leaves a `creating` pending operation holding the inputs the create sent (autoname
 * included); the cloud may or may not have applied it. Each is looked up by its natural key, as the provider's
 * own create recovery does. Found: the object goes back into the state under its URN, with those inputs, and the
 * refresh that follows reads its outputs, so the next `up` has nothing to create. Not found: the pending create
 * is dropped.
 *
 * Pulumi's own `pulumi refresh --import-pending-creates URN --import-pending-creates ID` cannot do this: in
 * v3.276.0 it turns the operation into an `importing` one that the refresh then drops without adding a resource,
 * so the next `up` still meets "already exists" (or, autonamed, makes a duplicate). Hence a state edit through
 * `pulumi stack export` / `pulumi stack import`, which keeps every secret encrypted as the CLI wrote it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { kindOf, openSecrets, readStackExport, stackOf, type PendingOperation } from "./drift";
import { findCreated } from "../runtime";
import { redactSecrets } from "../clients/redact";

export interface Recovery {
  urn: string;
  kind: string;
  name: string;
  /** found: the id it goes back under; absent: the pending create is dropped; error: left as it is */
  outcome: "found" | "absent" | "error";
  id?: string;
  note?: string;
}

export interface RecoveryPlan {
  stack: string;
  recoveries: Recovery[];
  /** The export with the plan applied, for `pulumi stack import` (undefined when there is nothing to do). */
  repaired?: unknown;
}

const nameOf = (urn: string) => urn.split("::").pop() ?? urn;

/** Inputs as the create sent them, secrets opened where the export carries them in plaintext. */
function sentInputs(op: PendingOperation): Record<string, unknown> {
  return Object.fromEntries(Object.entries(op.resource.inputs ?? {}).map(([k, v]) => [k, openSecrets(v).value]));
}

async function lookUp(op: PendingOperation): Promise<Recovery> {
  const kind = kindOf(op.resource.type)!;
  const base = { urn: op.resource.urn, kind, name: nameOf(op.resource.urn) };
  try {
    const found = await findCreated(kind, sentInputs(op));
    return found ? { ...base, outcome: "found", id: found.id } : { ...base, outcome: "absent" };
  } catch (err) {
    const why = (err as Error).message ?? String(err);
    return { ...base, outcome: "error", note: `${why} (an export without --show-secrets cannot be matched when the inputs hold secrets)` };
  }
}

/**
 * The plan for one stack export. `lookupText` is the export the lookups read (with --show-secrets, so secret
 * inputs parse); `stateText` the one the repair is written into (plain, secrets stay ciphertext). Both may be
 * the same text.
 */
export async function recoveryPlan(stateText: string, lookupText: string = stateText): Promise<RecoveryPlan> {
  const state = readStackExport(stateText);
  const lookup = readStackExport(lookupText);
  const ours = (ops: PendingOperation[]) => ops.filter((o) => o.type === "creating" && kindOf(o.resource.type));
  const recoveries = await Promise.all(ours(lookup.pendingOperations).map(lookUp));
  const stack = stackOf((state.resources[0] ?? state.pendingOperations[0]?.resource)?.urn ?? "");
  const settled = new Map(recoveries.filter((r) => r.outcome !== "error").map((r) => [r.urn, r]));
  if (settled.size === 0) return { stack, recoveries };

  const doc = JSON.parse(stateText);
  const deployment = doc.deployment;
  const resources: unknown[] = deployment.resources ?? [];
  deployment.pending_operations = (deployment.pending_operations as PendingOperation[]).filter((op) => {
    const r = op.type === "creating" ? settled.get(op.resource.urn) : undefined;
    if (!r) return true;
    // Outputs start as the inputs (`__provider` included, which the dynamic provider's read needs); the refresh
    // that follows replaces them with what the cloud holds.
    if (r.outcome === "found") resources.push({ ...op.resource, id: r.id, outputs: op.resource.inputs ?? {} });
    return false;
  });
  deployment.resources = resources;
  return { stack, recoveries, repaired: doc };
}

export function formatPlan(plan: RecoveryPlan): string {
  if (plan.recoveries.length === 0) return `stack ${plan.stack || "(empty)"}: no pending create of an edgeconf resource; nothing to recover`;
  const lines = [`stack ${plan.stack}: ${plan.recoveries.length} pending create(s) left by an interrupted run`];
  for (const r of plan.recoveries) {
    const what = r.outcome === "found" ? `exists as ${r.id}: goes back into the state`
      : r.outcome === "absent" ? "not in the cloud: the pending create is dropped"
        : `not resolved: ${r.note}`;
    lines.push(`  ${r.kind} ${r.name}: ${what}`);
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------- the command

const USAGE = `usage: edgeconf recover [<stack-export.json | ->] [--run] [--stack NAME] [--cwd DIR] [--out FILE]

After an interrupted \`pulumi up\` (a cancelled CI job, a killed process), finds each create it left pending in
the cloud by its natural key (zone and name, space and group name, listener and region): an object found goes
back into the state under its URN, one not found has its pending create dropped. Then \`pulumi refresh\` reads
every resource, and the next \`pulumi up\` creates nothing twice.

  (no file)     run \`pulumi stack export\` (and --show-secrets, for matching; never printed or written)
  --run         apply it: \`pulumi stack import\` of the repaired state, then \`pulumi refresh --yes\`; a lock left
                by a killed run on this machine is removed first (\`pulumi cancel\`), never a live one
  --stack NAME  the stack (default: the current one)
  --cwd DIR     the Pulumi project directory (default: here)
  --out FILE    write the repaired state, for \`pulumi stack import --file FILE\`

Credentials come from the environment only, as for edgeconf drift.
Exit codes: 0 nothing left to recover (or recovered with --run), 2 a plan to apply, 1 error.`;

/** A usage or input error: printed with the command's name, exit 1. */
export class RecoverError extends Error {}

type Out = (s: string) => void;

interface Pulumi {
  (args: string[], opts?: { allowFail?: boolean }): { status: number; stdout: string; stderr: string };
}

function pulumiRunner(stack: string | undefined, cwd: string | undefined): Pulumi {
  const scope = [...(stack ? ["--stack", stack] : []), ...(cwd ? ["--cwd", cwd] : []), "--non-interactive"];
  return (args, opts = {}) => {
    const r = spawnSync("pulumi", [...args, ...scope], { encoding: "utf8", maxBuffer: 1 << 30 });
    if (r.error) throw new RecoverError(`cannot run pulumi: ${r.error.message}`);
    const result = { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
    if (result.status !== 0 && !opts.allowFail) throw new RecoverError(`pulumi ${args.join(" ")} failed:\n${result.stderr.trim() || result.stdout.trim()}`);
    return result;
  };
}

/**
 * A killed run on this machine leaves its lock behind (file backends: `…created by user@host (pid N)`); a lock
 * whose process is gone is safe to cancel. Any other lock is a run in progress, and stays.
 */
function staleLock(stderr: string): boolean {
  const holders = [...stderr.matchAll(/created by \S+@(\S+) \(pid (\d+)\)/g)];
  if (holders.length === 0) return false;
  return holders.every(([, host, pid]) => host === os.hostname() && !alive(Number(pid)));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function importState(pulumi: Pulumi, doc: unknown, err: Out): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-recover-"));
  const file = path.join(dir, "state.json");
  try {
    fs.writeFileSync(file, JSON.stringify(doc), { mode: 0o600 });
    let r = pulumi(["stack", "import", "--file", file], { allowFail: true });
    if (r.status !== 0 && /currently locked/.test(r.stderr) && staleLock(r.stderr)) {
      err("edgeconf recover: the stack is locked by a run that no longer exists on this machine; pulumi cancel");
      pulumi(["cancel", "--yes"]);
      r = pulumi(["stack", "import", "--file", file], { allowFail: true });
    }
    if (r.status !== 0) throw new RecoverError(`pulumi stack import failed:\n${r.stderr.trim() || r.stdout.trim()}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function runRecover(argv: string[], out: Out, err: Out): Promise<number> {
  let file: string | undefined;
  let run = false;
  let stack: string | undefined;
  let cwd: string | undefined;
  let outFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new RecoverError(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === "-h" || arg === "--help") {
      out(USAGE);
      return 0;
    } else if (arg === "--run") run = true;
    else if (arg === "--stack") stack = value();
    else if (arg === "--cwd") cwd = value();
    else if (arg === "--out") outFile = value();
    else if (arg.startsWith("-") && arg !== "-") throw new RecoverError(`unknown option ${arg}\n${USAGE}`);
    else if (file === undefined) file = arg;
    else throw new RecoverError(`unexpected argument ${arg}\n${USAGE}`);
  }
  if (run && file !== undefined) throw new RecoverError(`--run reads the stack itself; give no export file\n${USAGE}`);
  const pulumi = pulumiRunner(stack, cwd);
  let stateText: string;
  let lookupText: string;
  if (file === undefined) {
    stateText = pulumi(["stack", "export"]).stdout;
    lookupText = pulumi(["stack", "export", "--show-secrets"]).stdout;
  } else {
    try {
      stateText = lookupText = fs.readFileSync(file === "-" ? 0 : file, "utf8");
    } catch (e) {
      throw new RecoverError(`cannot read ${file === "-" ? "standard input" : file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  const plan = await recoveryPlan(stateText, lookupText);
  // The lookups' error texts may quote inputs: keep every secret string of the opened export out of them.
  const secrets = [...lookupText.matchAll(/"plaintext":\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
  out(redactSecrets(formatPlan(plan), secrets));
  const unresolved = plan.recoveries.some((r) => r.outcome === "error");
  if (!plan.repaired) return unresolved ? 1 : 0;
  if (outFile) fs.writeFileSync(outFile, JSON.stringify(plan.repaired, null, 2), { mode: 0o600 });
  const scope = `${plan.stack ? ` --stack ${plan.stack}` : ""}${cwd ? ` --cwd ${cwd}` : ""}`;
  if (!run) {
    out(outFile
      ? `to apply: pulumi stack import${scope} --file ${outFile} && pulumi refresh${scope} --yes`
      : `to apply: npx edgeconf recover --run${scope}`);
    return unresolved ? 1 : 2;
  }
  importState(pulumi, plan.repaired, err);
  out(`imported the repaired state; pulumi refresh${scope} --yes`);
  pulumi(["refresh", "--yes", "--skip-preview"]);
  out("refreshed: every recovered resource now holds what the cloud has");
  return unresolved ? 1 : 0;
}
