/**
 * A small stand-in for the Pulumi engine, for tests and for the `npm start` demo where no `pulumi` CLI exists.
 *
 * The program runs in this process under `pulumi.runtime.setMocks`, so our resource classes register and
 * serialize their providers exactly as in a real run. Each registration becomes a step that this engine
 * performs against the real dynamic-provider process over gRPC: Check, Diff, Create/Update/Delete (replacements
 * ordered by deleteBeforeReplace), and Read for refresh. State persists between operations in the shape of
 * `pulumi stack export`, so preview/up/refresh/destroy can be sequenced like CLI commands.
 *
 * Engine behaviour it reproduces (section numbers of shared/reference/pulumi-engine-semantics.md): unknown values
 * in preview (the sentinel string), secret inputs making the same-named outputs secret (annotateSecrets);
 * replacements that re-run Check with empty olds, create first or delete first, with the old half kept as
 * `delete: true` (or the deleted one as `pendingReplacement: true`) until it is gone, also across a failed run
 * (§3.1–3.3); state written step by step with `pending_operations` around creates, updates and deletes (§3.2);
 * partial creates and updates kept with `initErrors`, which force an update on the next `up` (§3.5); refresh
 * deciding same/update through the provider's Diff (§4.2); steps and reads bounded by `parallel`, CPU count × 4
 * by default (§4.1); deletes of resources no longer declared (newest first); no new step after the first failure.
 *
 * A provider process that dies mid-call (SIGKILL: an OOM kill, a cancelled CI job taking the process group) is
 * handled as the CLI dying with it: the operation fails at once, the calls in flight stay in
 * `pending_operations`, and the next operation starts a new provider process.
 */
import * as os from "node:os";
import * as pulumi from "@pulumi/pulumi";
import { Journal } from "./journal";
import { isProviderCrash, ProviderProcess } from "./providerProcess";
import {
  emptyState, isSecretEnvelope, loadState, saveState, sealProps, unsealProps,
  SIG_KEY, SECRET_SIG, type PendingOperationType, type StackExport, type StateResource,
} from "./state";
import type { StepStates } from "./previewJson";

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic";

export type Program = () => unknown | Promise<unknown>;

export interface EngineOptions {
  /** the program's directory: the provider process runs there and resolves pulumi-edgeconf from it */
  dir: string;
  project?: string;
  stack?: string;
  /** stack config with namespaced keys (`tencentcloud:secretId`); handed to Configure and to the program */
  config?: Record<string, string>;
  /** config keys set with `--secret` */
  secretKeys?: string[];
  /** persisted state file; in memory when absent */
  stateFile?: string;
  /** the provider process environment (default: this process's) */
  env?: NodeJS.ProcessEnv;
  /** control-plane base URL of the emulator, to record the API calls of each operation */
  emulatorUrl?: string;
  /** progress lines (the transcript) */
  log?: (line: string) => void;
  passphrase?: string;
  /**
   * Keep one configured provider process for every operation of this engine (a long-lived plugin). Faster for
   * campaigns of thousands of operations; the per-operation process of the CLI is the default. Call `close()`.
   * @default false
   */
  keepProvider?: boolean;
  /** steps (and refresh reads) in flight at once, like `--parallel`; default {@link defaultParallelism} */
  parallel?: number;
}

/** `pulumi --parallel` default (§4.1): `PULUMI_PARALLEL` when positive, else the CPU count × 4. */
export function defaultParallelism(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env.PULUMI_PARALLEL);
  if (Number.isInteger(configured) && configured > 0) return configured;
  return (os.availableParallelism?.() ?? os.cpus().length) * 4;
}

/** At most `n` tasks at once; a finished task hands its slot to the next waiting one. `peak` is the most seen. */
function limiter(n: number, seen: { peak: number }) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active < n) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    seen.peak = Math.max(seen.peak, active);
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

export interface RefreshOptions {
  previewOnly?: boolean;
  /** `--clear-pending-creates` */
  clearPendingCreates?: boolean;
  /**
   * `--import-pending-creates URN --import-pending-creates ID ...`, as pulumi v3.276.0 does it: the operation
   * becomes `importing` and the refresh's write drops it; no resource is added (see recoverPendingCreates)
   */
  importPendingCreates?: { urn: string; id: string }[];
  /** at most this many reads in flight, like `--parallel` (default: the engine's) */
  parallel?: number;
}

interface RunStatus {
  failed: boolean;
  /** the provider died mid-call: no further step, no final write */
  crashed: boolean;
}

export type StepOp = "create" | "update" | "replace" | "delete" | "same" | "read" | "refresh-update" | "refresh-delete" | "refresh-same"
  | "delete-replaced" | "remove-pending-replace";

export interface Step {
  op: StepOp;
  urn: string;
  type: string;
  name: string;
  id?: string;
  /** top-level properties that differ (display only: dynamic providers report no detailed diff) */
  keys?: string[];
  replaces?: string[];
  /** replace: the old resource is deleted before the new one is created */
  deleteBeforeReplace?: boolean;
  /** the states `pulumi preview --json` shows for this step (see previewJson.ts) */
  states?: StepStates;
}

export interface EngineCall {
  seq: number;
  service: string;
  action: string;
  httpStatus: number;
  errorCode?: string;
  requestBytes: number;
  [k: string]: unknown;
}

export interface OperationResult {
  kind: "preview" | "up" | "refresh" | "destroy";
  steps: Step[];
  /** steps other than `same` / `read` / `refresh-same`, and a preview's refresh reads (the engine's "has changes" ignores reads) */
  changes: number;
  /** check failures by resource, as `pulumi preview` prints them */
  failures: { urn: string; property: string; reason: string }[];
  errors: string[];
  ok: boolean;
  /** API calls the emulator saw during the operation */
  calls: EngineCall[];
  /** the most steps (or refresh reads) that were in flight at once */
  peak: number;
  /** lines the provider process printed (logs) */
  providerOutput: string[];
  /**
   * the provider's warnings (`pulumi.log.warn` without an engine connection prints `warning: [runtime] …`), shown
   * as the CLI shows a dynamic provider's output: e.g. inputs the API accepts but ignores, reported by `check`;
   * and the engine's own (pending operations left by a previous run, §3.3)
   */
  warnings: string[];
  durationMs: number;
  /** operation start until the provider process answered Configure (spawn, loading Pulumi's code, the port, Configure) */
  providerReadyMs: number;
  /** CPU the provider process used, start-up included, when the platform tells (Linux) */
  providerCpuMs?: number;
}

const typeName = (type: string) => type.split(":").pop() ?? type;
const nameOf = (urn: string) => urn.split("::").pop() ?? urn;

function withoutProvider(props: Record<string, unknown>) {
  const { __provider, ...rest } = props;
  return rest;
}

/** Keys whose values differ, ignoring the provider text (the engine's display diff, top level only). */
function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const a = withoutProvider(before);
  const b = withoutProvider(after);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}

/** Mocks hand us `pulumi.Unknown` objects and secret envelopes; the engine speaks sentinel strings and plaintext. */
function fromProgramValue(value: unknown, secret: { found: boolean }): unknown {
  if (value === undefined) return undefined;
  if (value !== null && typeof value === "object") {
    if ((pulumi as any).runtime?.isUnknown?.(value) || value.constructor?.name === "Unknown") return UNKNOWN;
    if (isSecretEnvelope(value)) {
      secret.found = true;
      return fromProgramValue((value as any).value, secret);
    }
    if (Array.isArray(value)) return value.map((v) => fromProgramValue(v, secret) ?? null);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const converted = fromProgramValue(v, secret);
      if (converted !== undefined) out[k] = converted;
    }
    return out;
  }
  return value;
}

function programInputs(inputs: Record<string, unknown>): { plain: Record<string, unknown>; secretKeys: Set<string> } {
  const plain: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const [k, v] of Object.entries(inputs ?? {})) {
    const secret = { found: false };
    const converted = fromProgramValue(v, secret);
    if (converted !== undefined) plain[k] = converted;
    if (secret.found) secretKeys.add(k);
  }
  return { plain, secretKeys };
}

async function waitForRpcs(): Promise<void> {
  const settings = require("@pulumi/pulumi/runtime/settings");
  await settings.waitForRPCs?.();
}

export class Engine {
  private state: StackExport;
  private readonly project: string;
  private readonly stack: string;
  private readonly passphrase: string;
  private lastCallSeq = 0;
  private readonly parallel: number;
  /** the provider process of the operation under way (or the kept one) */
  private current?: ProviderProcess;

  constructor(private readonly opts: EngineOptions) {
    this.project = opts.project ?? "edgeconf";
    this.stack = opts.stack ?? "dev";
    this.passphrase = opts.passphrase ?? "edgeconf-test";
    this.state = loadState(opts.stateFile);
    this.parallel = opts.parallel ?? defaultParallelism(opts.env ?? process.env);
  }

  /** Kills the provider process with SIGKILL (fault campaigns); false when none is running. */
  killProvider(): boolean {
    const proc = this.current;
    if (!proc || proc.exited) return false;
    proc.kill();
    return true;
  }

  /** The state as `pulumi stack export` would print it. */
  exportState(): StackExport {
    return JSON.parse(JSON.stringify(this.state));
  }

  resources(): StateResource[] {
    return this.state.deployment.resources.filter((r) => r.type.startsWith(DYNAMIC_PREFIX));
  }

  /** Outputs of a resource by its logical name, secrets decrypted (what the program would see). */
  outputs(name: string): Record<string, any> | undefined {
    // the live entry, not the old half of a replacement still waiting for its delete
    const r = this.resources().find((x) => nameOf(x.urn) === name && !x.delete && !x.pendingReplacement);
    return r ? unsealProps(r.outputs, this.passphrase).plain : undefined;
  }

  private urn(type: string, name: string) {
    return `urn:pulumi:${this.stack}::${this.project}::${type}::${name}`;
  }

  private log(line: string) {
    this.opts.log?.(line);
  }

  private startProcess(): Promise<ProviderProcess> {
    return ProviderProcess.start(this.opts.dir, this.opts.env ?? process.env, this.project);
  }

  private kept?: Promise<ProviderProcess>;

  /** Stops the kept provider process, if any. */
  async close(): Promise<void> {
    const kept = this.kept;
    this.kept = undefined;
    await (await kept?.catch(() => undefined))?.stop();
  }

  private async configured(): Promise<ProviderProcess> {
    if (!this.opts.keepProvider) return this.freshConfigured();
    // A kept process that died (killed between operations or mid-call) is replaced, as a new CLI run would.
    const kept = await this.kept?.catch(() => undefined);
    if (!kept || kept.exited) this.kept = this.freshConfigured();
    return this.kept!;
  }

  private async freshConfigured(): Promise<ProviderProcess> {
    const proc = await this.startProcess();
    const config: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.opts.config ?? {})) {
      // The engine hands Configure the stack config with secrets marked; the provider answers acceptSecrets=false.
      config[k] = this.opts.secretKeys?.includes(k) ? { [SIG_KEY]: SECRET_SIG, value: v } : v;
    }
    await proc.configure(config);
    return proc;
  }

  private async calls(): Promise<EngineCall[]> {
    if (!this.opts.emulatorUrl) return [];
    const res = await fetch(`${this.opts.emulatorUrl}/_emulator/calls`);
    const all = (await res.json()) as EngineCall[];
    const fresh = all.filter((c) => c.seq > this.lastCallSeq);
    if (all.length) this.lastCallSeq = Math.max(this.lastCallSeq, ...all.map((c) => c.seq));
    return fresh;
  }

  private async operation(kind: OperationResult["kind"], body: (proc: ProviderProcess, result: OperationResult) => Promise<void>): Promise<OperationResult> {
    const started = Date.now();
    await this.calls(); // mark: only this operation's calls are reported
    const result: OperationResult = { kind, steps: [], changes: 0, failures: [], errors: [], warnings: [], ok: true, peak: 0, calls: [], providerOutput: [], durationMs: 0, providerReadyMs: 0 };
    const proc = await this.configured();
    result.providerReadyMs = Date.now() - started;
    this.current = proc;
    const outputFrom = proc.output.length;
    try {
      await body(proc, result);
    } catch (err) {
      result.errors.push((err as Error).message);
    } finally {
      result.providerCpuMs = proc.cpuMs();
      if (!this.opts.keepProvider) await proc.stop();
    }
    result.providerOutput = proc.output.slice(outputFrom);
    const providerWarnings = result.providerOutput.filter((l) => l.startsWith("warning: ")).map((l) => l.replace(/^warning: (\[runtime\] )?/, ""));
    for (const w of providerWarnings) this.log(`  warning: ${w}`);
    result.warnings.push(...providerWarnings);
    result.calls = await this.calls();
    // A preview's refresh reads are not logical steps (§4.3): only the program's steps count there.
    const counted = (op: StepOp) => op !== "same" && op !== "read" && op !== "refresh-same" && (kind === "refresh" || !op.startsWith("refresh-"));
    result.changes = result.steps.filter((s) => counted(s.op)).length;
    result.ok = result.errors.length === 0 && result.failures.length === 0;
    result.durationMs = Date.now() - started;
    return result;
  }

  private record(result: OperationResult, step: Step) {
    result.steps.push(step);
    const symbol = {
      create: "+", update: "~", replace: "+-", delete: "-", same: " ", read: ">", "refresh-update": "~", "refresh-delete": "-", "refresh-same": " ",
      "delete-replaced": "-", "remove-pending-replace": "-",
    }[step.op];
    if (step.op !== "same" && step.op !== "refresh-same") {
      const detail = step.keys?.length ? ` [${step.keys.map((k) => (step.replaces?.includes(k) ? `${k} (replace)` : k)).join(", ")}]` : "";
      this.log(`  ${symbol.padEnd(2)} ${typeName(step.type).padEnd(16)} ${step.name.padEnd(14)} ${step.op}${detail}`);
    }
  }

  /**
   * `pulumi preview`; with `refresh`, `pulumi preview --refresh` (§4.3): every resource is read first, as
   * {@link refresh} reads them, and the program is diffed against what was read; nothing is written. The reads
   * are `refresh-*` steps that carry the state before them, for the digest (engine/previewJson.ts).
   */
  preview(program: Program, opts: { refresh?: boolean } = {}) {
    return this.run("preview", program, opts.refresh === true);
  }

  up(program: Program) {
    return this.run("up", program);
  }

  /** The state as it will be written step by step; a dry run's journal writes nothing. */
  private journal(dryRun: boolean): Journal {
    return new Journal(this.resources(), this.state.deployment.pending_operations ?? [], dryRun ? () => {} : (j) => this.commit(j));
  }

  /**
   * A provider call that changes the world, with its pending operation written before it and removed when it
   * returns, even with an error (§3.2). A crashed provider is the engine stopping mid-call: the operation stays.
   */
  private async mutate<T>(journal: Journal, run: RunStatus, type: PendingOperationType, resource: StateResource, call: () => Promise<T>): Promise<T> {
    const op = journal.begin(type, resource);
    try {
      const value = await call();
      journal.end(op);
      return value;
    } catch (err) {
      if (isProviderCrash(err)) run.crashed = true;
      else journal.end(op);
      throw err;
    }
  }

  /** §3.3: a non-preview update warns about the operations a previous one left, and goes on. */
  private warnPending(result: OperationResult) {
    const pending = this.state.deployment.pending_operations ?? [];
    if (pending.length === 0) return;
    const warning = `Attempting to deploy or update resources with ${pending.length} pending operations from previous deployment.\n` +
      pending.map((p) => `  * ${p.resource.urn}, interrupted while ${p.type}`).join("\n");
    result.warnings.push(warning);
    this.log(`warning: ${warning}`);
  }

  private entry(urn: string, type: string, inputs: Record<string, unknown>, inSecret: Set<string>, id: string | undefined,
    outputs: Record<string, unknown>, initErrors?: string[]): StateResource {
    const outSecret = new Set([...inSecret].filter((k) => k in outputs));
    return {
      urn, custom: true, ...(id !== undefined ? { id } : {}), type,
      inputs: sealProps(inputs, inSecret, this.passphrase),
      outputs: sealProps(outputs, outSecret, this.passphrase),
      parent: this.urn("pulumi:pulumi:Stack", `${this.project}-${this.stack}`),
      provider: `urn:pulumi:${this.stack}::${this.project}::pulumi:providers:pulumi-nodejs::default::default`,
      ...(initErrors?.length ? { initErrors } : {}),
    };
  }

  private plain(r: StateResource) {
    const inputs = unsealProps(r.inputs, this.passphrase);
    const outputs = unsealProps(r.outputs, this.passphrase);
    return { inputs: inputs.plain, inSecret: inputs.secretKeys, outputs: outputs.plain, outSecret: outputs.secretKeys };
  }

  /** Runs the program; every dynamic resource registration becomes a step (§3.1 for replacements). */
  private run(kind: "preview" | "up", program: Program, refresh = false): Promise<OperationResult> {
    const dryRun = kind === "preview";
    return this.operation(kind, async (proc, result) => {
      const journal = this.journal(dryRun);
      if (!dryRun) this.warnPending(result);
      const status: RunStatus = { failed: false, crashed: false };
      const limit = limiter(this.parallel, result);
      // The refreshed state is the base the program is diffed against; a read that failed fails the run.
      if (refresh) await this.readAll(proc, result, journal, status, limit);
      const base = [...journal.resources];
      // Entries marked for deletion are not matched with registrations (§3.3).
      const olds = new Map(base.filter((r) => !r.delete).map((r) => [r.urn, r]));
      const registered = new Set<string>();
      /** old halves of this run's create-before-delete replacements: deleted after the program, shown once */
      const replacedOld: StateResource[] = [];
      const fail = (message: string, err?: unknown) => {
        status.failed = true;
        if (isProviderCrash(err)) status.crashed = true;
        result.errors.push(err ? `${message}: ${(err as Error).message}` : message);
      };

      const step = async (type: string, name: string, rawInputs: Record<string, unknown>): Promise<Record<string, unknown>> => {
        const urn = this.urn(type, name);
        registered.add(urn);
        const prior = olds.get(urn);
        const { plain: news, secretKeys } = programInputs(rawInputs);
        const prev = prior ? this.plain(prior) : undefined;
        const keep = () => prev?.outputs ?? news;
        const label = `${typeName(type)} ${name}`;
        if (status.failed) return keep();
        return limit(async () => {
          if (status.failed) return keep();
          try {
            return await apply(urn, type, name, label, prior, prev, news, secretKeys);
          } catch (err) {
            fail(`${label}: ${stage.get(urn) ?? "step"} failed`, err);
            return keep();
          }
        });
      };
      /** what a step was doing when it threw, for the error line */
      const stage = new Map<string, string>();

      const apply = async (urn: string, type: string, name: string, label: string, prior: StateResource | undefined,
        prev: ReturnType<Engine["plain"]> | undefined, news: Record<string, unknown>, secretKeys: Set<string>): Promise<Record<string, unknown>> => {
        const keep = () => prev?.outputs ?? news;
        const checkOk = async (olds: Record<string, unknown>) => {
          stage.set(urn, "check");
          const checked = await proc.check(urn, olds, news);
          if (checked.failures.length === 0) return checked.inputs;
          for (const f of checked.failures) result.failures.push({ urn, ...f });
          fail(`${label}: invalid inputs: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
          return undefined;
        };
        const entry = (ins: Record<string, unknown>, id: string | undefined, outputs: Record<string, unknown>, initErrors?: string[]) =>
          this.entry(urn, type, ins, secretKeys, id, outputs, initErrors);
        /** create; `done` writes the new entry (and whatever the replacement changes) once the resource exists */
        const create = async (ins: Record<string, unknown>, done: (made: StateResource) => void) => {
          stage.set(urn, "create");
          try {
            const { id, outputs } = await this.mutate(journal, status, "creating", entry(ins, undefined, {}), () => proc.create(urn, ins));
            done(entry(ins, id, outputs));
            return outputs;
          } catch (err: any) {
            if (!err.partial) throw err;
            // §3.5: a partial create is kept with its id, outputs and initErrors; the step still fails.
            done(entry(ins, err.partial.id, err.partial.properties, err.partial.reasons));
            fail(`${label}: created with initialization errors: ${err.partial.reasons.join("; ")}`);
            return err.partial.properties;
          }
        };

        const inputs = await checkOk(prev?.inputs ?? {});
        if (!inputs) return keep();
        if (!prior || !prev) {
          this.record(result, { op: "create", urn, type, name, states: { inputs, secretKeys } });
          return dryRun ? inputs : create(inputs, (made) => journal.add(made));
        }
        if (prior.pendingReplacement) {
          // §3.3: deleted by an interrupted delete-before-replace: replaced without a second delete.
          this.record(result, { op: "replace", urn, type, name, id: prior.id, deleteBeforeReplace: true, states: { old: prior, inputs, secretKeys, deleteBeforeReplace: true } });
          if (dryRun) return inputs;
          const fresh = await checkOk({});
          return fresh ? create(fresh, (made) => journal.replace(prior, made)) : keep();
        }
        stage.set(urn, "diff");
        const diff = await proc.diff(urn, prior.id!, prev.outputs, prev.inputs, inputs);
        const initErrors = (prior.initErrors?.length ?? 0) > 0;
        if (diff.changes === "none" && !initErrors) {
          this.record(result, { op: "same", urn, type, name, id: prior.id });
          if (!dryRun) journal.replace(prior, { ...prior, inputs: sealProps(inputs, secretKeys, this.passphrase) });
          return prev.outputs;
        }
        const keys = changedKeys(prev.inputs, inputs);
        if (diff.replaces.length > 0) {
          this.record(result, {
            op: "replace", urn, type, name, id: prior.id, keys, replaces: diff.replaces, deleteBeforeReplace: diff.deleteBeforeReplace,
            states: { old: prior, inputs, secretKeys, deleteBeforeReplace: diff.deleteBeforeReplace },
          });
          if (dryRun) return inputs;
          // §3.1: the replacement's inputs come from a second Check with empty olds.
          const fresh = await checkOk({});
          if (!fresh) return keep();
          if (diff.deleteBeforeReplace) {
            stage.set(urn, "delete before replace");
            await this.mutate(journal, status, "deleting", prior, () => proc.delete(urn, prior.id!, prev.outputs, prev.inputs));
            journal.mark(prior, { pendingReplacement: true });
            return create(fresh, (made) => journal.replace(prior, made));
          }
          return create(fresh, (made) => {
            journal.mark(prior, { delete: true });
            journal.add(made);
            replacedOld.push(prior);
          });
        }
        this.record(result, { op: "update", urn, type, name, id: prior.id, keys, states: { old: prior, inputs, secretKeys } });
        if (dryRun) return { ...prev.outputs, ...inputs };
        stage.set(urn, "update");
        try {
          const outputs = await this.mutate(journal, status, "updating", entry(inputs, prior.id, prev.outputs),
            () => proc.update(urn, prior.id!, prev.outputs, prev.inputs, inputs));
          journal.replace(prior, entry(inputs, prior.id, outputs));
          return outputs;
        } catch (err: any) {
          if (!err.partial) throw err;
          // §3.5: an update's partial failure keeps the old inputs with the new outputs.
          journal.replace(prior, this.entry(urn, type, prev.inputs, prev.inSecret, prior.id, err.partial.properties, err.partial.reasons));
          fail(`${label}: update failed: ${err.message}`);
          return err.partial.properties;
        }
      };

      /**
       * `Resource.get()` (a registration with an `id` option): the engine's ReadStep, on preview and up alike. The
       * provider's Read gets the given props as state and inputs; the result is kept as an external resource,
       * never updated or deleted.
       */
      const read = async (type: string, name: string, id: string, rawInputs: Record<string, unknown>) => {
        const urn = this.urn(type, name);
        registered.add(urn);
        if (status.failed) return {};
        const { plain } = programInputs(rawInputs);
        try {
          const found = await proc.read(urn, id, plain, plain);
          if (!found.id) throw new Error(`resource '${id}' does not exist`);
          this.record(result, { op: "read", urn, type, name, id: found.id });
          const entry: StateResource = { urn, custom: true, external: true, id: found.id, type, inputs: sealProps(plain, new Set(), this.passphrase), outputs: sealProps(found.outputs, new Set(), this.passphrase) };
          const prior = journal.resources.find((r) => r.urn === urn && !r.delete);
          if (!dryRun) prior ? journal.replace(prior, entry) : journal.add(entry);
          return found.outputs;
        } catch (err) {
          fail(`${typeName(type)} ${name}: reading ${id} failed: ${(err as Error).message}`);
          return {};
        }
      };

      await pulumi.runtime.setMocks({
        newResource: async (args) => {
          if (!args.custom || !args.type.startsWith(DYNAMIC_PREFIX)) return { id: undefined, state: args.inputs };
          if (args.id) {
            const { __provider, ...state } = await read(args.type, args.name, args.id, args.inputs);
            return { id: args.id, state };
          }
          const outputs = await step(args.type, args.name, args.inputs);
          const { __provider, ...state } = outputs;
          const urn = this.urn(args.type, args.name);
          const current = journal.resources.find((r) => r.urn === urn && !r.delete && !r.pendingReplacement);
          // In preview, what is not known yet stays unknown for dependents (undefined under mocks).
          const visible = Object.fromEntries(Object.entries(state).filter(([, v]) => v !== UNKNOWN));
          return { id: current?.id ?? (dryRun ? undefined : ""), state: visible };
        },
        call: () => ({}),
      }, this.project, this.stack, dryRun);
      (pulumi.runtime as any).setAllConfig?.(this.opts.config ?? {}, this.opts.secretKeys ?? []);

      try {
        await program();
        await waitForRpcs();
      } catch (err) {
        fail("program failed", err);
      }

      // §3.1/§3.3: after the program, newest first: resources no longer declared, entries marked for deletion (this
      // run's old halves and those a failed run left), and pending replacements no longer declared (no call).
      for (const r of [...journal.resources].reverse()) {
        const marked = r.delete === true;
        if (!marked && (registered.has(r.urn) || r.external)) continue; // read with get(): never deleted
        if (status.failed) break;
        const name = nameOf(r.urn);
        if (r.pendingReplacement) {
          this.record(result, { op: "remove-pending-replace", urn: r.urn, type: r.type, name, id: r.id });
          if (!dryRun) journal.remove(r);
          continue;
        }
        if (!replacedOld.includes(r)) this.record(result, { op: marked ? "delete-replaced" : "delete", urn: r.urn, type: r.type, name, id: r.id, states: { old: r } });
        if (dryRun) continue;
        const { inputs, outputs } = this.plain(r);
        try {
          await this.mutate(journal, status, "deleting", r, () => proc.delete(r.urn, r.id!, outputs, inputs));
          journal.remove(r);
        } catch (err) {
          // The entry stays, still marked `delete: true` when it was: the next `up` deletes it (§3.3).
          fail(`${typeName(r.type)} ${name}: delete failed`, err);
        }
      }
      if (!dryRun && !status.crashed) this.commit(journal);
    });
  }

  /**
   * `pulumi refresh`: read every resource (not pending replacements), in parallel up to the engine's limit; gone
   * ones leave the state; same or update is the provider's Diff of what was read against the stored inputs (§4.2).
   * `previewOnly` changes nothing. Pending creates stay unless cleared or "imported" (both drop them, §3.4).
   */
  refresh(opts: RefreshOptions = {}): Promise<OperationResult> {
    return this.operation("refresh", async (proc, result) => {
      const dry = opts.previewOnly === true;
      const journal = this.journal(dry);
      if (!dry) this.resolvePendingCreates(journal, opts, result);
      const status: RunStatus = { failed: false, crashed: false };
      await this.readAll(proc, result, journal, status, limiter(opts.parallel ?? this.parallel, result));
      if (!dry && !status.crashed) this.commit(journal);
    });
  }

  /**
   * Reads every resource but pending replacements into `journal` (a dry run's journal keeps them in memory only),
   * one `refresh-*` step each, holding the state before the read; a failed read fails the run (§4.2).
   */
  private async readAll(proc: ProviderProcess, result: OperationResult, journal: Journal, status: RunStatus,
    limit: ReturnType<typeof limiter>): Promise<void> {
    await Promise.all(journal.resources.filter((r) => !r.pendingReplacement).map((r) => limit(async () => {
      if (status.crashed) return;
      const name = nameOf(r.urn);
      const { outputs, inputs, inSecret, outSecret } = this.plain(r);
      try {
        const read = await proc.read(r.urn, r.id!, outputs, inputs);
        if (!read.id) {
          this.record(result, { op: "refresh-delete", urn: r.urn, type: r.type, name, id: r.id, states: { old: r } });
          journal.remove(r);
          return;
        }
        const readInputs = read.inputs ?? inputs;
        const diff = await proc.diff(r.urn, read.id, read.outputs, readInputs, inputs);
        const same = diff.changes === "none" || (diff.changes === "unknown" && changedKeys(readInputs, inputs).length === 0);
        const keys = changedKeys(outputs, read.outputs);
        this.record(result, { op: same ? "refresh-same" : "refresh-update", urn: r.urn, type: r.type, name, id: read.id, keys, states: { old: r } });
        journal.replace(r, {
          ...r, id: read.id,
          outputs: sealProps(read.outputs, outSecret, this.passphrase),
          inputs: sealProps(readInputs, inSecret, this.passphrase),
        });
      } catch (err) {
        status.failed = true;
        if (isProviderCrash(err)) status.crashed = true;
        result.errors.push(`${typeName(r.type)} ${name}: read failed: ${(err as Error).message}`);
      }
    })));
  }

  /**
   * `--import-pending-creates` and `--clear-pending-creates` (§3.4), as the real CLI does them: an imported
   * operation is dropped without adding a resource (pulumi v3.276.0; test/cli/recover.cli.test.ts), a cleared
   * one too.
   */
  private resolvePendingCreates(journal: Journal, opts: RefreshOptions, result: OperationResult) {
    for (const { urn } of opts.importPendingCreates ?? []) {
      const op = journal.pending.find((p) => p.type === "creating" && p.resource.urn === urn);
      if (op) journal.pending = journal.pending.filter((p) => p !== op);
      else result.warnings.push(`${urn} did not correspond to a pending create`);
    }
    if (opts.clearPendingCreates) journal.pending = journal.pending.filter((p) => p.type !== "creating");
  }

  /**
   * What `edgeconf recover` writes through `pulumi stack import`: each interrupted create whose object was found
   * becomes that resource (outputs = inputs until the next refresh reads them), taking the place of a delete-first
   * replacement's deleted entry or, create-first, marking the old half `delete`; every pending create is dropped.
   */
  recoverPendingCreates(found: { urn: string; id: string }[]): void {
    const journal = this.journal(false);
    for (const { urn, id } of found) {
      const op = journal.pending.find((p) => p.type === "creating" && p.resource.urn === urn);
      if (!op) throw new Error(`${urn} is not a pending create`);
      const recovered: StateResource = { ...op.resource, id, outputs: op.resource.inputs };
      const current = journal.resources.find((r) => r.urn === urn && !r.delete);
      if (current?.pendingReplacement) journal.replace(current, recovered);
      else {
        if (current) journal.mark(current, { delete: true });
        journal.add(recovered);
      }
    }
    journal.pending = journal.pending.filter((p) => p.type !== "creating");
    this.commit(journal);
  }

  /** `pulumi destroy`: delete everything, newest first; stops at the first failure. */
  destroy(): Promise<OperationResult> {
    return this.operation("destroy", async (proc, result) => {
      const journal = this.journal(false);
      const status: RunStatus = { failed: false, crashed: false };
      for (const r of [...journal.resources].reverse()) {
        const name = nameOf(r.urn);
        if (r.pendingReplacement || r.external) {
          journal.remove(r); // already deleted by its delete-before-replace; or read with get(): never deleted
          continue;
        }
        this.record(result, { op: "delete", urn: r.urn, type: r.type, name, id: r.id });
        const { inputs, outputs } = this.plain(r);
        try {
          await this.mutate(journal, status, "deleting", r, () => proc.delete(r.urn, r.id!, outputs, inputs));
          journal.remove(r);
        } catch (err) {
          result.errors.push(`${typeName(r.type)} ${name}: delete failed: ${(err as Error).message}`);
          break;
        }
      }
      if (!status.crashed) this.commit(journal);
    });
  }

  /** Writes the journal as the stack's state (`pulumi stack export` shape), pending operations included. */
  private commit(journal: Journal) {
    const stackUrn = this.urn("pulumi:pulumi:Stack", `${this.project}-${this.stack}`);
    const providerUrn = `urn:pulumi:${this.stack}::${this.project}::pulumi:providers:pulumi-nodejs::default`;
    const base = emptyState();
    const empty = journal.resources.length === 0 && journal.pending.length === 0;
    base.deployment.resources = empty ? [] : [
      { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", inputs: {}, outputs: {} },
      { urn: providerUrn, custom: true, id: "default", type: "pulumi:providers:pulumi-nodejs", inputs: {}, outputs: {} },
      ...journal.resources,
    ];
    if (journal.pending.length > 0) base.deployment.pending_operations = [...journal.pending];
    this.state = base;
    saveState(this.opts.stateFile, this.state);
  }
}
