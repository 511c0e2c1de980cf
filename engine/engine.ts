/**
 * A small stand-in for the Pulumi engine, for tests and for the `npm start` demo where no `pulumi` CLI exists.
 *
 * The program runs in this process under `pulumi.runtime.setMocks`, so our resource classes register and
 * serialize their providers exactly as in a real run. Each registration becomes a step that this engine
 * performs against the real dynamic-provider process over gRPC: Check, Diff, Create/Update/Delete (replacements
 * ordered by deleteBeforeReplace), and Read for refresh. State persists between operations in the shape of
 * `pulumi stack export`, so preview/up/refresh/destroy can be sequenced like CLI commands.
 *
 * Engine behaviour it reproduces: unknown values in preview (the sentinel string), secret inputs making the
 * same-named outputs secret (annotateSecrets), init errors forcing an update on the next `up`, deletes of
 * resources no longer declared (reverse order), and stopping new steps after the first failure.
 */
import * as pulumi from "@pulumi/pulumi";
import { ProviderProcess, type DiffResponse } from "./providerProcess";
import {
  emptyState, isSecretEnvelope, loadState, saveState, sealProps, unsealProps,
  SIG_KEY, SECRET_SIG, type StackExport, type StateResource,
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
}

export type StepOp = "create" | "update" | "replace" | "delete" | "same" | "read" | "refresh-update" | "refresh-delete" | "refresh-same";

export interface Step {
  op: StepOp;
  urn: string;
  type: string;
  name: string;
  id?: string;
  /** top-level properties that differ (display only: dynamic providers report no detailed diff) */
  keys?: string[];
  replaces?: string[];
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
  /** steps other than `same` / `read` / `refresh-same` (the engine's "has changes" ignores reads) */
  changes: number;
  /** check failures by resource, as `pulumi preview` prints them */
  failures: { urn: string; property: string; reason: string }[];
  errors: string[];
  ok: boolean;
  /** API calls the emulator saw during the operation */
  calls: EngineCall[];
  /** lines the provider process printed (logs) */
  providerOutput: string[];
  /**
   * the provider's warnings (`pulumi.log.warn` without an engine connection prints `warning: [runtime] …`), shown
   * as the CLI shows a dynamic provider's output: e.g. inputs the API accepts but ignores, reported by `check`
   */
  warnings: string[];
  durationMs: number;
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

/** `fn` over `items` with at most `limit` calls in flight (the engine's step executor with `--parallel`). */
async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
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

  constructor(private readonly opts: EngineOptions) {
    this.project = opts.project ?? "edgeconf";
    this.stack = opts.stack ?? "dev";
    this.passphrase = opts.passphrase ?? "edgeconf-test";
    this.state = loadState(opts.stateFile);
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
    const r = this.resources().find((x) => nameOf(x.urn) === name);
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
    if (this.opts.keepProvider) return (this.kept ??= this.freshConfigured());
    return this.freshConfigured();
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
    const result: OperationResult = { kind, steps: [], changes: 0, failures: [], errors: [], ok: true, calls: [], providerOutput: [], warnings: [], durationMs: 0 };
    const proc = await this.configured();
    const outputFrom = proc.output.length;
    try {
      await body(proc, result);
    } catch (err) {
      result.errors.push((err as Error).message);
    } finally {
      if (!this.opts.keepProvider) await proc.stop();
    }
    result.providerOutput = proc.output.slice(outputFrom);
    result.warnings = result.providerOutput.filter((l) => l.startsWith("warning: ")).map((l) => l.replace(/^warning: (\[runtime\] )?/, ""));
    for (const w of result.warnings) this.log(`  warning: ${w}`);
    result.calls = await this.calls();
    result.changes = result.steps.filter((s) => s.op !== "same" && s.op !== "read" && s.op !== "refresh-same").length;
    result.ok = result.errors.length === 0 && result.failures.length === 0;
    result.durationMs = Date.now() - started;
    return result;
  }

  private record(result: OperationResult, step: Step) {
    result.steps.push(step);
    const symbol = { create: "+", update: "~", replace: "+-", delete: "-", same: " ", read: ">", "refresh-update": "~", "refresh-delete": "-", "refresh-same": " " }[step.op];
    if (step.op !== "same" && step.op !== "refresh-same") {
      const detail = step.keys?.length ? ` [${step.keys.map((k) => (step.replaces?.includes(k) ? `${k} (replace)` : k)).join(", ")}]` : "";
      this.log(`  ${symbol.padEnd(2)} ${typeName(step.type).padEnd(16)} ${step.name.padEnd(14)} ${step.op}${detail}`);
    }
  }

  preview(program: Program) {
    return this.run("preview", program);
  }

  up(program: Program) {
    return this.run("up", program);
  }

  /** Runs the program; every dynamic resource registration becomes a step. */
  private run(kind: "preview" | "up", program: Program): Promise<OperationResult> {
    const dryRun = kind === "preview";
    return this.operation(kind, async (proc, result) => {
      const old = new Map(this.resources().map((r) => [r.urn, r]));
      const next: StateResource[] = [];
      const registered = new Set<string>();
      const deleteAfter: StateResource[] = [];
      let failed = false;
      const fail = (message: string) => {
        failed = true;
        result.errors.push(message);
      };

      const step = async (type: string, name: string, rawInputs: Record<string, unknown>): Promise<Record<string, unknown>> => {
        const urn = this.urn(type, name);
        registered.add(urn);
        const prior = old.get(urn);
        const { plain: news, secretKeys } = programInputs(rawInputs);
        const priorInputs = prior ? unsealProps(prior.inputs, this.passphrase).plain : undefined;
        const priorOutputs = prior ? unsealProps(prior.outputs, this.passphrase).plain : undefined;
        const keep = () => { if (prior) next.push(prior); return priorOutputs ?? news; };
        if (failed) return keep();

        const checked = await proc.check(urn, priorInputs ?? {}, news);
        if (checked.failures.length) {
          for (const f of checked.failures) result.failures.push({ urn, ...f });
          fail(`${typeName(type)} ${name}: invalid inputs: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
          return keep();
        }
        const inputs = checked.inputs;
        const save = (id: string, outputs: Record<string, unknown>, initErrors?: string[]) => {
          const outSecret = new Set([...secretKeys].filter((k) => k in outputs));
          next.push({
            urn, custom: true, id, type,
            inputs: sealProps(inputs, secretKeys, this.passphrase),
            outputs: sealProps(outputs, outSecret, this.passphrase),
            parent: this.urn("pulumi:pulumi:Stack", `${this.project}-${this.stack}`),
            provider: `urn:pulumi:${this.stack}::${this.project}::pulumi:providers:pulumi-nodejs::default::default`,
            ...(initErrors?.length ? { initErrors } : {}),
          });
        };
        const create = async (): Promise<Record<string, unknown>> => {
          try {
            const { id, outputs } = await proc.create(urn, inputs);
            save(id, outputs);
            return outputs;
          } catch (err: any) {
            if (err.partial) {
              save(err.partial.id, err.partial.properties, err.partial.reasons);
              fail(`${typeName(type)} ${name}: created with initialization errors: ${err.partial.reasons.join("; ")}`);
              return err.partial.properties;
            }
            fail(`${typeName(type)} ${name}: create failed: ${err.message}`);
            return inputs;
          }
        };

        if (!prior) {
          this.record(result, { op: "create", urn, type, name, states: { inputs, secretKeys } });
          return dryRun ? inputs : create();
        }
        let diff: DiffResponse;
        try {
          diff = await proc.diff(urn, prior.id!, priorOutputs!, priorInputs!, inputs);
        } catch (err) {
          fail(`${typeName(type)} ${name}: diff failed: ${(err as Error).message}`);
          return keep();
        }
        const initErrors = (prior.initErrors?.length ?? 0) > 0;
        if (diff.changes === "none" && !initErrors) {
          this.record(result, { op: "same", urn, type, name, id: prior.id });
          next.push({ ...prior, inputs: sealProps(inputs, secretKeys, this.passphrase) });
          return priorOutputs!;
        }
        const keys = changedKeys(priorInputs!, inputs);
        if (diff.replaces.length > 0) {
          this.record(result, { op: "replace", urn, type, name, id: prior.id, keys, replaces: diff.replaces, states: { old: prior, inputs, secretKeys, deleteBeforeReplace: diff.deleteBeforeReplace } });
          if (dryRun) return inputs;
          if (diff.deleteBeforeReplace) {
            try {
              await proc.delete(urn, prior.id!, priorOutputs!, priorInputs!);
            } catch (err) {
              fail(`${typeName(type)} ${name}: delete before replace failed: ${(err as Error).message}`);
              return keep();
            }
          } else deleteAfter.push(prior);
          return create();
        }
        this.record(result, { op: "update", urn, type, name, id: prior.id, keys, states: { old: prior, inputs, secretKeys } });
        if (dryRun) return { ...priorOutputs, ...inputs };
        try {
          const outputs = await proc.update(urn, prior.id!, priorOutputs!, priorInputs!, inputs);
          save(prior.id!, outputs);
          return outputs;
        } catch (err: any) {
          if (err.partial) {
            save(prior.id!, err.partial.properties, err.partial.reasons);
          } else {
            next.push(prior);
          }
          fail(`${typeName(type)} ${name}: update failed: ${err.message}`);
          return priorOutputs!;
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
        if (failed) return {};
        const { plain } = programInputs(rawInputs);
        try {
          const found = await proc.read(urn, id, plain, plain);
          if (!found.id) throw new Error(`resource '${id}' does not exist`);
          this.record(result, { op: "read", urn, type, name, id: found.id });
          next.push({ urn, custom: true, external: true, id: found.id, type, inputs: sealProps(plain, new Set(), this.passphrase), outputs: sealProps(found.outputs, new Set(), this.passphrase) });
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
          const created = next.find((r) => r.urn === this.urn(args.type, args.name));
          // In preview, what is not known yet stays unknown for dependents (undefined under mocks).
          const visible = Object.fromEntries(Object.entries(state).filter(([, v]) => v !== UNKNOWN));
          return { id: created?.id ?? (dryRun ? undefined : ""), state: visible };
        },
        call: () => ({}),
      }, this.project, this.stack, dryRun);
      (pulumi.runtime as any).setAllConfig?.(this.opts.config ?? {}, this.opts.secretKeys ?? []);

      try {
        await program();
        await waitForRpcs();
      } catch (err) {
        fail(`program failed: ${(err as Error).message}`);
      }

      // Resources no longer declared are deleted, newest first; so are the old halves of create-first replacements.
      const gone = this.resources().filter((r) => !registered.has(r.urn) && !r.external).reverse();
      for (const r of [...deleteAfter, ...gone]) {
        const isReplacement = deleteAfter.includes(r);
        if (!isReplacement) this.record(result, { op: "delete", urn: r.urn, type: r.type, name: nameOf(r.urn), id: r.id, states: { old: r } });
        if (dryRun) continue;
        // A replacement whose create failed keeps the old resource (it still exists), as the CLI does.
        if (failed) { if (!isReplacement || !next.some((x) => x.urn === r.urn)) next.push(r); continue; }
        const { plain: outputs } = unsealProps(r.outputs, this.passphrase);
        const { plain: inputs } = unsealProps(r.inputs, this.passphrase);
        try {
          await proc.delete(r.urn, r.id!, outputs, inputs);
        } catch (err) {
          fail(`${typeName(r.type)} ${nameOf(r.urn)}: delete failed: ${(err as Error).message}`);
          if (!isReplacement) next.push(r);
        }
      }
      if (!dryRun) this.commit(next);
    });
  }

  /**
   * `pulumi refresh`: read every resource; gone ones leave the state; `previewOnly` changes nothing.
   * `parallel`: at most this many reads in flight, like `--parallel` (default: all at once).
   */
  refresh(opts: { previewOnly?: boolean; parallel?: number } = {}): Promise<OperationResult> {
    return this.operation("refresh", async (proc, result) => {
      const next: StateResource[] = [];
      await inParallel(this.resources(), opts.parallel ?? Infinity, async (r) => {
        const name = nameOf(r.urn);
        const { plain: outputs, secretKeys: outSecret } = unsealProps(r.outputs, this.passphrase);
        const { plain: inputs, secretKeys: inSecret } = unsealProps(r.inputs, this.passphrase);
        let read;
        try {
          read = await proc.read(r.urn, r.id!, outputs, inputs);
        } catch (err) {
          result.errors.push(`${typeName(r.type)} ${name}: read failed: ${(err as Error).message}`);
          next.push(r);
          return;
        }
        if (!read.id) {
          this.record(result, { op: "refresh-delete", urn: r.urn, type: r.type, name, id: r.id });
          return;
        }
        const keys = changedKeys(outputs, read.outputs);
        this.record(result, { op: keys.length ? "refresh-update" : "refresh-same", urn: r.urn, type: r.type, name, id: read.id, keys });
        next.push({
          ...r,
          id: read.id,
          outputs: sealProps(read.outputs, outSecret, this.passphrase),
          inputs: read.inputs ? sealProps(read.inputs, inSecret, this.passphrase) : r.inputs,
        });
      });
      const order = new Map(this.resources().map((r, i) => [r.urn, i]));
      next.sort((a, b) => order.get(a.urn)! - order.get(b.urn)!);
      if (!opts.previewOnly) this.commit(next);
    });
  }

  /** `pulumi destroy`: delete everything, newest first. */
  destroy(): Promise<OperationResult> {
    return this.operation("destroy", async (proc, result) => {
      const remaining = [...this.resources()];
      for (const r of [...remaining].reverse()) {
        if (r.external) { remaining.splice(remaining.indexOf(r), 1); continue; } // read with get(): never deleted
        this.record(result, { op: "delete", urn: r.urn, type: r.type, name: nameOf(r.urn), id: r.id });
        try {
          await proc.delete(r.urn, r.id!, unsealProps(r.outputs, this.passphrase).plain, unsealProps(r.inputs, this.passphrase).plain);
          remaining.splice(remaining.indexOf(r), 1);
        } catch (err) {
          result.errors.push(`${typeName(r.type)} ${nameOf(r.urn)}: delete failed: ${(err as Error).message}`);
          break;
        }
      }
      this.commit(remaining);
    });
  }

  private commit(resources: StateResource[]) {
    const stackUrn = this.urn("pulumi:pulumi:Stack", `${this.project}-${this.stack}`);
    const providerUrn = `urn:pulumi:${this.stack}::${this.project}::pulumi:providers:pulumi-nodejs::default`;
    const base = emptyState();
    base.deployment.resources = resources.length === 0 ? [] : [
      { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", inputs: {}, outputs: {} },
      { urn: providerUrn, custom: true, id: "default", type: "pulumi:providers:pulumi-nodejs", inputs: {}, outputs: {} },
      ...resources,
    ];
    this.state = base;
    saveState(this.opts.stateFile, this.state);
  }
}
