/**
 * Runs one job of a GitHub Actions workflow the way GitHub's runner does, as far as our templates need:
 * `run:` steps in the shell GitHub would pick (`bash -e {0}` when no shell is given, `bash --noprofile --norc
 * -eo pipefail {0}` for `shell: bash`, defaults included), `${{ }}` expressions, `if:` with the implicit
 * `success() &&`, `continue-on-error`, step outputs through $GITHUB_OUTPUT and env through $GITHUB_ENV, step
 * summaries through $GITHUB_STEP_SUMMARY. Jobs run in `needs:` order, with a job-level `if:` and `outputs:`; a
 * `strategy.matrix` of lists runs one leg per combination, each with its own $RUNNER_TEMP (a runner of its own
 * on GitHub) and its `matrix`, `strategy` and `concurrency` group. Legs run one after another, so the runner
 * refuses `fail-fast: true` (GitHub cancels legs in flight) instead of pretending.
 * `uses:` steps are not run; a handler given by the test decides their outcome. Anything this runner does not
 * understand (a key, a context, a function, a shell) throws, so a template cannot pass by being misread.
 * Reference: docs.github.com "Workflow syntax" (jobs.<id>.needs, if, strategy, concurrency, steps[*].shell),
 * "Expressions", "Contexts" (context availability).
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
  needs?: string | string[];
  if?: string | boolean;
  permissions?: Record<string, string>;
  strategy?: { matrix: Record<string, unknown>; "fail-fast"?: boolean };
  concurrency?: string | { group: string; "cancel-in-progress"?: boolean | string };
  outputs?: Record<string, string>;
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
  concurrency?: Job["concurrency"];
  jobs: Record<string, Job>;
}

/** The keys this runner implements (or, like `permissions`, may ignore without changing what runs). */
const WORKFLOW_KEYS = ["name", "on", "permissions", "concurrency", "env", "defaults", "jobs"];
const JOB_KEYS = ["name", "runs-on", "needs", "if", "permissions", "strategy", "concurrency", "outputs", "env", "defaults", "steps", "timeout-minutes"];
const STEP_KEYS = ["id", "name", "if", "run", "uses", "with", "env", "shell", "working-directory", "continue-on-error", "timeout-minutes"];

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
  job: string;
  /** This leg's `matrix` context; empty for a job without a matrix. */
  matrix: Record<string, string>;
  conclusion: "success" | "failure" | "skipped";
  /** The job's concurrency group, interpolated for this leg. */
  concurrency?: string;
  outputs: Record<string, string>;
  /** What the steps wrote to $GITHUB_STEP_SUMMARY, in order. */
  summary: string;
  steps: StepResult[];
  step(idOrLabel: string): StepResult;
}

export interface WorkflowResult {
  conclusion: "success" | "failure";
  /** The workflow's concurrency group, if it has one. */
  concurrency?: string;
  /** Every leg of every job, in the order they ran. */
  jobs: JobResult[];
  /** The one leg of `jobId` whose matrix has these values; throws when none or several match. */
  job(jobId: string, matrix?: Record<string, string>): JobResult;
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

/** A scope over fixed contexts: a name outside them (say `steps` in a job's `if:`) throws, as GitHub refuses it. */
function scopeOf(contexts: () => Record<string, unknown>, status: Scope["status"]): Scope {
  return {
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
}

function refuseUnknownKeys(what: string, o: object, known: string[]) {
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`${what}: ${unknown.join(", ")} not supported by this runner`);
}

/** One `matrix` per leg: the product of the axes, in the order GitHub lists them. */
function matrixLegs(jobId: string, job: Job): Record<string, string>[] {
  const matrix = job.strategy?.matrix;
  if (!matrix) return [{}];
  if (typeof matrix !== "object") throw new Error(`${jobId}: a matrix from an expression is not supported by this runner`);
  let legs: Record<string, string>[] = [{}];
  for (const [axis, values] of Object.entries(matrix)) {
    if (!Array.isArray(values) || values.some((v) => typeof v === "object")) {
      throw new Error(`${jobId}: matrix ${axis} must be a list of values (include/exclude are not supported by this runner)`);
    }
    legs = legs.flatMap((leg) => values.map((v) => ({ ...leg, [axis]: String(v) })));
  }
  if (legs.length > 1 && job.strategy!["fail-fast"] !== false) {
    throw new Error(`${jobId}: fail-fast cancels legs in flight, which this sequential runner cannot model; set fail-fast: false`);
  }
  return legs;
}

const needsOf = (job: Job) => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);

/** Jobs in an order where each comes after what it needs. */
function jobOrder(workflow: Workflow): string[] {
  const order: string[] = [];
  const visit = (id: string, path: string[]) => {
    if (order.includes(id)) return;
    if (path.includes(id)) throw new Error(`needs: cycle ${[...path, id].join(" → ")}`);
    if (!workflow.jobs[id]) throw new Error(`needs: no job ${id}`);
    for (const n of needsOf(workflow.jobs[id])) visit(n, [...path, id]);
    order.push(id);
  };
  for (const id of Object.keys(workflow.jobs)) visit(id, []);
  return order;
}

type NeedsContext = Record<string, { result: string; outputs: Record<string, string> }>;

/** A needed matrix job fails if any leg failed; its outputs are those of the legs merged (GitHub: the last wins). */
function needsContext(workflow: Workflow, jobId: string, done: JobResult[]): NeedsContext {
  return Object.fromEntries(needsOf(workflow.jobs[jobId]).map((n) => {
    const legs = done.filter((j) => j.job === n);
    const result = legs.some((l) => l.conclusion === "failure") ? "failure" : legs.every((l) => l.conclusion === "skipped") ? "skipped" : "success";
    return [n, { result, outputs: Object.assign({}, ...legs.map((l) => l.outputs)) }];
  }));
}

interface Leg {
  jobId: string;
  matrix: Record<string, string>;
  strategy: Record<string, unknown>;
  needs: NeedsContext;
}

async function runLeg(workflow: Workflow, leg: Leg, opts: RunOptions): Promise<JobResult> {
  const job = workflow.jobs[leg.jobId];
  const runnerTemp = fs.mkdtempSync(path.join(opts.runnerTemp, "leg-"));
  const steps: StepResult[] = [];
  let summary = "";
  const status = { failed: false, cancelled: false };
  const stepContext: Record<string, { outcome: Outcome; conclusion: Outcome; outputs: Record<string, string> }> = {};
  let env: Record<string, string> = {};
  const jobContexts = () => ({ github: opts.github, secrets: opts.secrets ?? {}, vars: opts.vars ?? {}, needs: leg.needs, matrix: leg.matrix, strategy: leg.strategy });
  const scope = scopeOf(() => ({
    ...jobContexts(),
    env,
    steps: stepContext,
    runner: { temp: runnerTemp, os: "Linux", arch: "X64" },
    job: { status: status.failed ? "failure" : "success" },
  }), status);
  const concurrency = concurrencyGroup(job.concurrency, scopeOf(jobContexts, status));
  env = { ...stringValues(workflow.env, scope) };
  env = { ...env, ...stringValues(job.env, scope) };
  const defaults = { ...workflow.defaults?.run, ...job.defaults?.run };

  for (const [index, step] of job.steps.entries()) {
    refuseUnknownKeys(`${leg.jobId} step ${index + 1}`, step, STEP_KEYS);
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
      const stepDir = fs.mkdtempSync(path.join(runnerTemp, "_step-"));
      const script = path.join(stepDir, "script.sh");
      fs.writeFileSync(script, interpolate(step.run, { ...scope, lookup: (p) => (p.startsWith("env.") ? stepEnv[p.slice(4)] : scope.lookup(p)) }));
      const outputFile = path.join(stepDir, "output");
      const envFile = path.join(stepDir, "env");
      const summaryFile = path.join(stepDir, "summary");
      for (const f of [outputFile, envFile, summaryFile]) fs.writeFileSync(f, "");
      const shell = shellCommand(step.shell ?? defaults.shell, script);
      const wd = step["working-directory"] ?? defaults["working-directory"];
      const r = await exec(shell, {
        cwd: wd ? path.resolve(opts.workspace, wd) : opts.workspace,
        env: {
          ...opts.env,
          CI: "true",
          GITHUB_ACTIONS: "true",
          GITHUB_REPOSITORY: String(opts.github.repository ?? ""),
          GITHUB_WORKSPACE: opts.workspace,
          GITHUB_OUTPUT: outputFile,
          GITHUB_ENV: envFile,
          GITHUB_STEP_SUMMARY: summaryFile,
          RUNNER_TEMP: runnerTemp,
          ...stepEnv,
        },
        timeoutMs: opts.stepTimeoutMs ?? 120_000,
      });
      env = { ...env, ...readKeyValueFile(envFile) };
      summary += fs.readFileSync(summaryFile, "utf8");
      const outcome: Outcome = r.code === 0 ? "success" : "failure";
      result = { ...base, shell: shell.slice(0, -1), outcome, conclusion: outcome, stdout: r.stdout, stderr: r.stderr, outputs: readKeyValueFile(outputFile) };
    } else throw new Error(`step ${label} has neither run nor uses`);
    if (result.outcome === "failure" && step["continue-on-error"]) result.conclusion = "success";
    if (result.conclusion === "failure") status.failed = true;
    steps.push(result);
    if (step.id) stepContext[step.id] = { outcome: result.outcome, conclusion: result.conclusion, outputs: result.outputs };
  }
  return {
    job: leg.jobId,
    matrix: leg.matrix,
    conclusion: status.failed ? "failure" : "success",
    ...(concurrency !== undefined ? { concurrency } : {}),
    outputs: stringValues(job.outputs, scope),
    summary,
    steps,
    step: (idOrLabel) => found(steps.filter((x) => x.id === idOrLabel || x.label === idOrLabel), `step ${idOrLabel}`),
  };
}

/** A `concurrency:` (a group, or `{ group, cancel-in-progress }`) interpolated in the contexts it may use. */
function concurrencyGroup(concurrency: Job["concurrency"], scope: Scope): string | undefined {
  const group = typeof concurrency === "object" ? concurrency.group : concurrency;
  return group === undefined ? undefined : interpolate(group, scope);
}

function found<T>(matches: T[], what: string): T {
  if (matches.length !== 1) throw new Error(`${matches.length === 0 ? "no" : "more than one"} ${what}`);
  return matches[0];
}

/**
 * A job's `if:` sees github, needs, vars and inputs only, and its implicit status check is "every needed job
 * succeeded" (docs: jobs.<job_id>.if, and "Contexts" for what is available where).
 */
function jobShouldRun(workflow: Workflow, jobId: string, needs: NeedsContext, opts: RunOptions): boolean {
  const failed = Object.values(needs).some((n) => n.result !== "success");
  const scope = scopeOf(() => ({ github: opts.github, vars: opts.vars ?? {}, needs, inputs: {} }), { failed, cancelled: false });
  return shouldRun(workflow.jobs[jobId].if, scope);
}

/** Every job of the workflow, each after the jobs it needs, each matrix leg on its own. */
export async function runWorkflow(workflow: Workflow, opts: RunOptions): Promise<WorkflowResult> {
  refuseUnknownKeys("workflow", workflow, WORKFLOW_KEYS);
  // at the top only github, inputs and vars exist: a `matrix.*` here throws
  const concurrency = concurrencyGroup(workflow.concurrency, scopeOf(() => ({ github: opts.github, vars: opts.vars ?? {}, inputs: {} }), { failed: false, cancelled: false }));
  const done: JobResult[] = [];
  for (const jobId of jobOrder(workflow)) {
    const job = workflow.jobs[jobId];
    refuseUnknownKeys(`job ${jobId}`, job, JOB_KEYS);
    refuseUnknownKeys(`job ${jobId} strategy`, job.strategy ?? {}, ["matrix", "fail-fast"]);
    const legs = matrixLegs(jobId, job);
    const needs = needsContext(workflow, jobId, done);
    if (!jobShouldRun(workflow, jobId, needs, opts)) {
      done.push({ job: jobId, matrix: {}, conclusion: "skipped", outputs: {}, summary: "", steps: [], step: (s) => found([], `step ${s} (job ${jobId} was skipped)`) });
      continue;
    }
    for (const [index, matrix] of legs.entries()) {
      const strategy = { "fail-fast": job.strategy?.["fail-fast"] ?? true, "job-index": index, "job-total": legs.length };
      done.push(await runLeg(workflow, { jobId, matrix, strategy, needs }, opts));
    }
  }
  return {
    conclusion: done.some((j) => j.conclusion === "failure") ? "failure" : "success",
    ...(concurrency !== undefined ? { concurrency } : {}),
    jobs: done,
    job: (jobId, matrix = {}) =>
      found(done.filter((j) => j.job === jobId && Object.entries(matrix).every(([k, v]) => j.matrix[k] === v)), `leg of job ${jobId} ${JSON.stringify(matrix)}`),
  };
}
