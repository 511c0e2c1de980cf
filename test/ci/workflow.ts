/**
 * Runs one job of a GitHub Actions workflow the way GitHub's runner does, as far as our templates need:
 * `run:` steps in the shell GitHub would pick (`bash -e {0}` when no shell is given, `bash --noprofile --norc
 * -eo pipefail {0}` for `shell: bash`, defaults included), `${{ }}` expressions, `if:` with the implicit
 * `success() &&`, `continue-on-error`, step outputs through $GITHUB_OUTPUT and env through $GITHUB_ENV.
 * `uses:` steps are not run; a handler given by the test decides their outcome. Anything this runner does not
 * understand (a context, a function, a shell) throws, so a template cannot pass by being misread.
 * Reference: docs.github.com "Workflow syntax" (jobs.<id>.steps[*].shell, if), "Expressions", "Contexts".
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export interface Step {
  id?: string;
  name?: string;
  if?: string | boolean;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  shell?: string;
  "working-directory"?: string;
  "continue-on-error"?: boolean;
}

export interface Job {
  "runs-on": string;
  env?: Record<string, unknown>;
  defaults?: { run?: { shell?: string; "working-directory"?: string } };
  steps: Step[];
}

export interface Workflow {
  name: string;
  on: unknown;
  env?: Record<string, unknown>;
  defaults?: { run?: { shell?: string; "working-directory"?: string } };
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

export type Outcome = "success" | "failure" | "skipped";

export interface StepResult {
  label: string;
  id?: string;
  uses?: string;
  with?: Record<string, string>;
  /** the shell command line GitHub would use, for `run:` steps */
  shell?: string[];
  outcome: Outcome;
  conclusion: Outcome;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

export interface JobResult {
  conclusion: "success" | "failure";
  steps: StepResult[];
  step(idOrLabel: string): StepResult;
}

export interface RunOptions {
  /** $GITHUB_WORKSPACE: the checked-out repository. */
  workspace: string;
  /** $RUNNER_TEMP */
  runnerTemp: string;
  /** The process environment of the runner (PATH with the fakes first, HOME...). */
  env: Record<string, string>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** The `github` context. */
  github: Record<string, unknown>;
  /** Outcome of a `uses:` step; default success. */
  uses?: (step: { uses: string; with: Record<string, string> }) => Outcome;
  stepTimeoutMs?: number;
}

export const loadWorkflow = (file: string): Workflow => parse(fs.readFileSync(file, "utf8")) as Workflow;

// ---------------------------------------------------------------- expressions

type Value = string | number | boolean | null | undefined | Record<string, unknown> | unknown[];
type Token = { t: "str" | "num" | "id" | "op"; v: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < src.length; ) {
    const c = src[i];
    if (/\s/.test(c)) i++;
    else if (c === "'") {
      let s = "";
      for (i++; ; i++) {
        if (i >= src.length) throw new Error(`unterminated string in ${src}`);
        if (src[i] === "'" && src[i + 1] === "'") { s += "'"; i++; continue; }
        if (src[i] === "'") { i++; break; }
        s += src[i];
      }
      tokens.push({ t: "str", v: s });
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9.]+/.exec(src.slice(i))![0];
      tokens.push({ t: "num", v: m });
      i += m.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(src.slice(i))![0];
      tokens.push({ t: "id", v: m });
      i += m.length;
    } else {
      const op = ["==", "!=", "&&", "||", "<=", ">="].find((o) => src.startsWith(o, i)) ?? (/[!(),<>]/.test(c) ? c : undefined);
      if (!op) throw new Error(`unsupported character ${c} in expression ${src}`);
      tokens.push({ t: "op", v: op });
      i += op.length;
    }
  }
  return tokens;
}

const truthy = (v: Value) => !(v === false || v === 0 || v === "" || v === null || v === undefined || Number.isNaN(v));

/** GitHub compares strings ignoring case, and coerces mismatched types to numbers. */
function looseEquals(a: Value, b: Value): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b) return a === b;
  const num = (v: Value) => (v === null || v === undefined ? 0 : v === true ? 1 : v === false ? 0 : v === "" ? 0 : Number(v));
  return num(a) === num(b);
}

interface Scope {
  lookup(path: string): Value;
  status: { failed: boolean; cancelled: boolean };
}

function evaluate(src: string, scope: Scope): Value {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (v?: string) => {
    const t = tokens[pos++];
    if (!t || (v !== undefined && t.v !== v)) throw new Error(`expected ${v ?? "a value"} in expression ${src}`);
    return t;
  };
  const call = (name: string, args: Value[]): Value => {
    switch (name) {
      case "success": return !scope.status.failed && !scope.status.cancelled;
      case "failure": return scope.status.failed;
      case "always": return true;
      case "cancelled": return scope.status.cancelled;
      case "contains": return String(args[0] ?? "").toLowerCase().includes(String(args[1] ?? "").toLowerCase());
      case "startsWith": return String(args[0] ?? "").toLowerCase().startsWith(String(args[1] ?? "").toLowerCase());
      default: throw new Error(`unsupported function ${name}() in expression ${src}`);
    }
  };
  const primary = (): Value => {
    const t = take();
    if (t.t === "str") return t.v;
    if (t.t === "num") return Number(t.v);
    if (t.t === "op" && t.v === "(") { const v = or(); take(")"); return v; }
    if (t.t === "op" && t.v === "!") return !truthy(primary());
    if (t.t === "id") {
      if (t.v === "true") return true;
      if (t.v === "false") return false;
      if (t.v === "null") return null;
      if (peek()?.v === "(") {
        take("(");
        const args: Value[] = [];
        while (peek()?.v !== ")") { args.push(or()); if (peek()?.v === ",") take(","); }
        take(")");
        return call(t.v, args);
      }
      return scope.lookup(t.v);
    }
    throw new Error(`unexpected ${t.v} in expression ${src}`);
  };
  const comparison = (): Value => {
    let left = primary();
    while (["==", "!=", "<", ">", "<=", ">="].includes(peek()?.v ?? "")) {
      const op = take().v;
      const right = primary();
      if (op === "==") left = looseEquals(left, right);
      else if (op === "!=") left = !looseEquals(left, right);
      else {
        const [a, b] = [Number(left), Number(right)];
        left = op === "<" ? a < b : op === ">" ? a > b : op === "<=" ? a <= b : a >= b;
      }
    }
    return left;
  };
  const and = (): Value => { let v = comparison(); while (peek()?.v === "&&") { take(); const r = comparison(); v = truthy(v) ? r : v; } return v; };
  const or = (): Value => { let v = and(); while (peek()?.v === "||") { take(); const r = and(); v = truthy(v) ? v : r; } return v; };
  const value = or();
  if (pos !== tokens.length) throw new Error(`trailing ${tokens[pos].v} in expression ${src}`);
  return value;
}

const asText = (v: Value) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

/** `${{ expr }}` replaced in a string, as GitHub does before a step runs. */
export const interpolate = (text: string, scope: Scope) => text.replace(/\$\{\{(.*?)\}\}/gs, (_, expr) => asText(evaluate(expr, scope)));

/** A step's `if:`: the `${{ }}` is optional, and without a status function GitHub adds `success() &&`. */
function shouldRun(cond: string | boolean | undefined, scope: Scope): boolean {
  if (cond === undefined) return !scope.status.failed && !scope.status.cancelled;
  let expr = String(cond).trim();
  const whole = /^\$\{\{(.*)\}\}$/s.exec(expr);
  if (whole) expr = whole[1];
  if (!/\b(success|failure|always|cancelled)\(\)/.test(expr)) expr = `success() && (${expr})`;
  return truthy(evaluate(expr, scope));
}

// ---------------------------------------------------------------- running

/** The shell GitHub runs a `run:` step with on Linux (docs: jobs.<job_id>.steps[*].shell). */
export function shellCommand(shell: string | undefined, file: string): string[] {
  if (shell === undefined) return ["bash", "-e", file];
  if (shell === "bash") return ["bash", "--noprofile", "--norc", "-eo", "pipefail", file];
  if (shell === "sh") return ["sh", "-e", file];
  throw new Error(`shell ${shell} is not supported by this runner`);
}

/** `name=value` lines and `name<<DELIM` blocks, as the runner reads $GITHUB_OUTPUT and $GITHUB_ENV. */
function readKeyValueFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(file)) return out;
  const lines = fs.readFileSync(file, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i]);
      out[heredoc[1]] = body.join("\n");
    } else if (lines[i].includes("=")) {
      const at = lines[i].indexOf("=");
      out[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return out;
}

function exec(cmd: string[], opts: { cwd: string; env: Record<string, string>; timeoutMs: number }) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(cmd[0], cmd.slice(1), { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

const stringValues = (o: Record<string, unknown> | undefined, scope: Scope) =>
  Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, interpolate(asText(v as Value), scope)]));

export async function runJob(workflow: Workflow, jobId: string, opts: RunOptions): Promise<JobResult> {
  const job = workflow.jobs[jobId];
  if (!job) throw new Error(`no job ${jobId}`);
  const steps: StepResult[] = [];
  const status = { failed: false, cancelled: false };
  const stepContext: Record<string, { outcome: Outcome; conclusion: Outcome; outputs: Record<string, string> }> = {};
  let env: Record<string, string> = {};
  const contexts = (): Record<string, unknown> => ({
    github: opts.github,
    secrets: opts.secrets ?? {},
    vars: opts.vars ?? {},
    env,
    steps: stepContext,
    runner: { temp: opts.runnerTemp, os: "Linux", arch: "X64" },
    job: { status: status.failed ? "failure" : "success" },
  });
  const scope: Scope = {
    status,
    lookup(dotted) {
      const [root, ...rest] = dotted.split(".");
      const ctx = contexts();
      if (!(root in ctx)) throw new Error(`unknown context ${root} in ${dotted}`);
      let v: unknown = ctx[root];
      for (const key of rest) v = v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
      return v as Value;
    },
  };
  env = { ...stringValues(workflow.env, scope) };
  env = { ...env, ...stringValues(job.env, scope) };
  const defaults = { ...workflow.defaults?.run, ...job.defaults?.run };

  for (const [index, step] of job.steps.entries()) {
    const label = step.id ?? step.name ?? step.uses ?? `step ${index + 1}`;
    const base = { label, ...(step.id ? { id: step.id } : {}), ...(step.uses ? { uses: step.uses } : {}) };
    if (!shouldRun(step.if, scope)) {
      const skipped: StepResult = { ...base, outcome: "skipped", conclusion: "skipped", stdout: "", stderr: "", outputs: {} };
      steps.push(skipped);
      if (step.id) stepContext[step.id] = { outcome: "skipped", conclusion: "skipped", outputs: {} };
      continue;
    }
    const stepEnv = { ...env, ...stringValues(step.env, scope) };
    let result: StepResult;
    if (step.uses) {
      const withInputs = stringValues(step.with, scope);
      const outcome = opts.uses?.({ uses: step.uses, with: withInputs }) ?? "success";
      result = { ...base, with: withInputs, outcome, conclusion: outcome, stdout: "", stderr: "", outputs: {} };
    } else if (step.run !== undefined) {
      const stepDir = fs.mkdtempSync(path.join(opts.runnerTemp, "_step-"));
      const script = path.join(stepDir, "script.sh");
      fs.writeFileSync(script, interpolate(step.run, { ...scope, lookup: (p) => (p.startsWith("env.") ? stepEnv[p.slice(4)] : scope.lookup(p)) }));
      const outputFile = path.join(stepDir, "output");
      const envFile = path.join(stepDir, "env");
      for (const f of [outputFile, envFile]) fs.writeFileSync(f, "");
      const shell = shellCommand(step.shell ?? defaults.shell, script);
      const wd = step["working-directory"] ?? defaults["working-directory"];
      const r = await exec(shell, {
        cwd: wd ? path.resolve(opts.workspace, wd) : opts.workspace,
        env: {
          ...opts.env,
          CI: "true",
          GITHUB_ACTIONS: "true",
          GITHUB_WORKSPACE: opts.workspace,
          GITHUB_OUTPUT: outputFile,
          GITHUB_ENV: envFile,
          GITHUB_STEP_SUMMARY: path.join(stepDir, "summary"),
          RUNNER_TEMP: opts.runnerTemp,
          ...stepEnv,
        },
        timeoutMs: opts.stepTimeoutMs ?? 120_000,
      });
      env = { ...env, ...readKeyValueFile(envFile) };
      const outcome: Outcome = r.code === 0 ? "success" : "failure";
      result = { ...base, shell: shell.slice(0, -1), outcome, conclusion: outcome, stdout: r.stdout, stderr: r.stderr, outputs: readKeyValueFile(outputFile) };
    } else throw new Error(`step ${label} has neither run nor uses`);
    if (result.outcome === "failure" && step["continue-on-error"]) result.conclusion = "success";
    if (result.conclusion === "failure") status.failed = true;
    steps.push(result);
    if (step.id) stepContext[step.id] = { outcome: result.outcome, conclusion: result.conclusion, outputs: result.outputs };
  }
  return {
    conclusion: status.failed ? "failure" : "success",
    steps,
    step(idOrLabel) {
      const s = steps.find((x) => x.id === idOrLabel || x.label === idOrLabel);
      if (!s) throw new Error(`no step ${idOrLabel}`);
      return s;
    },
  };
}
