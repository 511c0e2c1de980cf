/**
 * `edgeconf recover`: back to exactly one cloud object per declared resource after an interrupted `pulumi up`.
 *
 * A run killed while creating leaves a `creating` pending operation holding the inputs the create sent (autoname
 * included); the cloud may or may not have applied it. Each is looked up by its natural key, as the provider's
 * own create recovery does. Found: the object goes back into the state under its URN, with those inputs, and the
 * refresh that follows reads its outputs, so the next `up` has nothing to create. Not found: the pending create
 * is dropped.
 *
 * A provider process killed mid-create leaves no pending operation: Pulumi records a failed create. Then the
 * declared resources that `pulumi preview` would create are looked up the same way, with the inputs the preview
 * checked: an object found under an explicit name is the lost create's (the next `up` would fail with "already
 * exists"). An autoname is drawn anew by that preview, so such an object is not found by it.
 *
 * A replacement interrupted between its halves is completed in the state as Pulumi would have: the object found
 * takes the place of a delete-first replacement's deleted entry (`pendingReplacement`), or, create-first, the old
 * entry is marked `delete` so the next `up` deletes it.
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
import { kindOf, nameOf, openSecrets, readStackExport, stackOf, type ExportedResource, type PendingOperation } from "./drift";
import { SECRET_MASK } from "./previewDigest";
import { findCreated } from "../provider/runtime";
import { redactSecrets } from "../provider/clients/redact";

export interface Recovery {
  urn: string;
  kind: string;
  name: string;
  /** a pending create of the state, or a create the program declares that no state holds */
  source: "pending" | "declared";
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

/** Inputs as the create sent them, secrets opened where the export carries them in plaintext. */
function sentInputs(op: PendingOperation): Record<string, unknown> {
  return Object.fromEntries(Object.entries(op.resource.inputs ?? {}).map(([k, v]) => [k, openSecrets(v).value]));
}

/** A create that `pulumi preview --json` plans for one of our resources: what it would send. */
export interface DeclaredCreate {
  resource: ExportedResource;
}

/** The creates (replacements included) a `pulumi preview --json` digest plans for our kinds. */
export function declaredCreates(previewText: string): DeclaredCreate[] {
  const digest = JSON.parse(previewText) as { steps?: { op: string; urn: string; newState?: ExportedResource }[] };
  return (digest.steps ?? [])
    .filter((s) => ["create", "create-replacement", "replace"].includes(s.op) && s.newState?.inputs && kindOf(s.newState.type))
    .map((s) => ({ resource: { ...s.newState!, urn: s.urn } }));
}

async function lookUp(resource: ExportedResource, inputs: Record<string, unknown>, source: Recovery["source"]): Promise<Recovery> {
  const kind = kindOf(resource.type)!;
  const base = { urn: resource.urn, kind, name: nameOf(resource.urn), source };
  try {
    const found = await findCreated(kind, inputs);
    return found ? { ...base, outcome: "found", id: found.id } : { ...base, outcome: "absent" };
  } catch (err) {
    const why = (err as Error).message ?? String(err);
    const sealed = (err as { code?: string }).code === "EDGECONF_INPUT" ? " (secret inputs are sealed: give an export made with --show-secrets)" : "";
    return { ...base, outcome: "error", note: `${why}${sealed}` };
  }
}

/**
 * The plan for one stack export. `lookupText` is the export the lookups read (with --show-secrets, so secret
 * inputs parse); `stateText` the one the repair is written into (plain, secrets stay ciphertext). Both may be
 * the same text. `declared` are the creates a preview plans; those already pending are not looked up twice.
 */
export async function recoveryPlan(stateText: string, lookupText: string = stateText, declared: DeclaredCreate[] = []): Promise<RecoveryPlan> {
  const state = readStackExport(stateText);
  const lookup = readStackExport(lookupText);
  const pending = lookup.pendingOperations.filter((o) => o.type === "creating" && kindOf(o.resource.type));
  const pendingUrns = new Set(pending.map((o) => o.resource.urn));
  const held = new Set(state.resources.filter((r) => !r.delete && !r.pendingReplacement).map((r) => r.id));
  const recoveries = await Promise.all([
    ...pending.map((op) => lookUp(op.resource, sentInputs(op), "pending")),
    ...declared.filter((d) => !pendingUrns.has(d.resource.urn)).map((d) => lookUp(d.resource, d.resource.inputs ?? {}, "declared")),
  ]);
  // A declared create found under an id the state already holds is that resource itself (a replacement's old
  // half), not a lost create.
  const plan = recoveries.filter((r) => r.source === "pending" || (r.outcome === "found" && !held.has(r.id)));
  const stack = stackOf((state.resources[0] ?? state.pendingOperations[0]?.resource)?.urn ?? "");
  const settled = plan.filter((r) => r.outcome !== "error");
  if (settled.length === 0) return { stack, recoveries: plan };

  const doc = JSON.parse(stateText);
  const deployment = doc.deployment;
  const bySettled = new Map(settled.map((r) => [r.urn, r]));
  deployment.pending_operations = ((deployment.pending_operations ?? []) as PendingOperation[]).filter(
    (op) => !(op.type === "creating" && bySettled.get(op.resource.urn)?.source === "pending"),
  );
  const entries = new Map<string, ExportedResource>([
    ...state.pendingOperations.filter((o) => o.type === "creating").map((o) => [o.resource.urn, o.resource] as const),
    ...declared.map((d) => [d.resource.urn, withoutMaskedSecrets(d.resource)] as const),
  ]);
  for (const r of settled) {
    if (r.outcome !== "found") continue;
    // Outputs start as the inputs (`__provider` included, which the dynamic provider's read needs); the refresh
    // that follows replaces them with what the cloud holds.
    const base = entries.get(r.urn)!;
    place(deployment.resources ?? (deployment.resources = []), { ...base, id: r.id, outputs: base.inputs ?? {} });
  }
  return { stack, recoveries: plan, repaired: doc };
}

/** A preview shows secrets as "[secret]": such inputs are left for the refresh and the next `up` to write. */
function withoutMaskedSecrets(r: ExportedResource): ExportedResource {
  const inputs = Object.fromEntries(Object.entries(r.inputs ?? {}).filter(([, v]) => !JSON.stringify(v).includes(JSON.stringify(SECRET_MASK))));
  const { urn, type, parent, provider } = r as ExportedResource & { parent?: string; provider?: string };
  return { urn, type, custom: true, inputs, ...(parent ? { parent } : {}), ...(provider ? { provider } : {}) } as ExportedResource;
}

/**
 * Puts a found object into the resource list as the interrupted step would have: in place of the entry a
 * delete-first replacement already deleted, after a create-first replacement's old half (then marked `delete`),
 * or at the end.
 */
function place(resources: ExportedResource[], entry: ExportedResource): void {
  const at = resources.findIndex((x) => x.urn === entry.urn && !x.delete);
  if (at < 0) resources.push(entry);
  else if (resources[at].pendingReplacement) resources[at] = entry;
  else resources.splice(at, 1, { ...resources[at], delete: true }, entry);
}

export function formatPlan(plan: RecoveryPlan): string {
  if (plan.recoveries.length === 0) return `stack ${plan.stack || "(empty)"}: no pending create of an edgeconf resource, no declared one the cloud already has; nothing to recover`;
  const pending = plan.recoveries.filter((r) => r.source === "pending").length;
  const declared = plan.recoveries.length - pending;
  const lines = [`stack ${plan.stack}: ${[
    pending ? `${pending} pending create(s) left by an interrupted run` : "",
    declared ? `${declared} declared resource(s) that no state holds but the cloud has (a create whose answer was lost)` : "",
  ].filter(Boolean).join("; ")}`];
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

  (no file)     run \`pulumi stack export\` (and --show-secrets, for matching; never printed or written) and
                \`pulumi preview --json\`: a declared resource that no state holds but whose explicit name the
                cloud has is a create whose answer was lost (the provider process died), and goes back too
  --run         apply it: \`pulumi stack import\` of the repaired state, then \`pulumi refresh --yes\`; a lock left
                by a killed run on this machine is removed first (\`pulumi cancel\`), never a live one
  --stack NAME  the stack (default: the current one)
  --cwd DIR     the Pulumi project directory (default: here)
  --out FILE    write the repaired state, for \`pulumi stack import --file FILE\`

Credentials come from the environment only, as for edgeconf drift.
Exit codes: 0 nothing left to recover (or recovered with --run), 2 a plan to apply, 1 error.`;

/** A usage or input error: printed with the command's name, exit 1. */
export class RecoverError extends Error {}

/** Every string inside the secrets a `--show-secrets` export opened (`plaintext` holds the value as JSON text). */
function plaintextStrings(exportText: string): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string") found.push(v);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
  };
  for (const m of exportText.matchAll(/"plaintext":\s*("(?:[^"\\]|\\.)*")/g)) walk(JSON.parse(JSON.parse(m[1]) as string));
  return found;
}

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
  let declared: DeclaredCreate[] = [];
  if (file === undefined) {
    stateText = pulumi(["stack", "export"]).stdout;
    lookupText = pulumi(["stack", "export", "--show-secrets"]).stdout;
    const preview = pulumi(["preview", "--json"], { allowFail: true });
    try {
      declared = declaredCreates(preview.stdout);
    } catch {
      err(`edgeconf recover: pulumi preview --json failed (exit ${preview.status}); only pending creates are looked up`);
    }
  } else {
    try {
      stateText = lookupText = fs.readFileSync(file === "-" ? 0 : file, "utf8");
    } catch (e) {
      throw new RecoverError(`cannot read ${file === "-" ? "standard input" : file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  const plan = await recoveryPlan(stateText, lookupText, declared);
  // The lookups' error texts may quote inputs: keep every secret string of the opened export out of them.
  out(redactSecrets(formatPlan(plan), plaintextStrings(lookupText)));
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
