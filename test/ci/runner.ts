/**
 * The runner the workflow tests share: a user's repository laid out as the templates expect, fake `gh` (and
 * `npm ci`) in a directory of their own, and runWorkflow with the secrets, vars and github context GitHub would
 * give. The fakes record, per call, which secrets were visible in their environment (fakes/lib/calls.js).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";
import { writeEdgeconfBin } from "../support/pulumiCli";
import { loadWorkflow, runWorkflow, type JobResult, type Outcome, type Workflow, type WorkflowResult } from "./workflow";

export const STACK = "org/edge/prod";
/** What the `github.token` expression gives a job; the fakes look for it as the secret `GH_TOKEN`. */
export const GITHUB_TOKEN = "ghs_faketoken";

export interface GhState {
  issues: { number: number; title: string; body: string; labels: string[]; state: string }[];
  labels: string[];
  comments: { id: number; pr: number; body: string }[];
}

export interface Call {
  args: string[];
  cwd: string;
  /** Names of the secrets whose value was somewhere in the tool's environment. */
  secrets: string[];
  body?: string;
  failed?: string;
}

/** Uploaded artifacts of one run: name → file name → content. */
export type Artifacts = Record<string, Record<string, string>>;

/** A workspace like a user's repository: infra/ with pulumi-edgeconf installed (its bin is our built CLI). */
export function makeWorkspace(root: string): string {
  const ws = path.join(root, "repo");
  writeEdgeconfBin(path.join(ws, "infra/node_modules/.bin"));
  fs.writeFileSync(path.join(ws, "infra/package.json"), JSON.stringify({ name: "infra", private: true, dependencies: { "pulumi-edgeconf": "*" } }));
  return ws;
}

const CI = path.resolve(__dirname, "..", "..", "examples/ci");

/** A template of examples/ci with the stacks a user lists in its matrix (the one line a user must edit). */
export function withStacks(file: string, stacks: string[]): Workflow {
  const wf = loadWorkflow(path.join(CI, file));
  for (const job of Object.values(wf.jobs)) if (job.strategy) job.strategy.matrix = { stack: stacks };
  return wf;
}

/** `tool` on PATH in `dir`: records each call as the fakes do, then runs the real one. */
export function writeRecordingShim(dir: string, tool: string, real: string): void {
  const calls = path.join(__dirname, "fakes/lib/calls.js");
  const file = path.join(dir, tool);
  fs.writeFileSync(file, `#!/bin/sh\n"${process.execPath}" "${calls}" ${tool} "$@"\nexec "${real}" "$@"\n`);
  fs.chmodSync(file, 0o755);
}

// @actions/artifact (the upload-artifact action's library) refuses these in a name.
const ARTIFACT_NAME_REFUSES = /[":<>|*?\r\n\\/]/;

export class Runner {
  readonly fakeDir: string;
  readonly temp: string;
  constructor(
    readonly root: string, readonly workspace: string, readonly env: Record<string, string>,
    readonly secrets: Record<string, string>, readonly vars: Record<string, string> = {},
  ) {
    this.fakeDir = fs.mkdtempSync(path.join(root, "fake-"));
    this.temp = fs.mkdtempSync(path.join(root, "runner-temp-"));
    fs.writeFileSync(path.join(this.fakeDir, "secrets.json"), JSON.stringify({ ...secrets, GH_TOKEN: GITHUB_TOKEN }));
  }

  /** What the fake `pulumi` answers for `stack`; other stacks keep their script. */
  pulumi(script: Record<string, unknown>, stack = STACK) {
    const file = path.join(this.fakeDir, "pulumi.json");
    const stacks = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")).stacks : {};
    fs.writeFileSync(file, JSON.stringify({ stacks: { ...stacks, [stack]: script } }));
  }

  gh(): GhState {
    const file = path.join(this.fakeDir, "gh.json");
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : { issues: [], labels: [], comments: [] };
  }

  /** Calls of one tool since the last `clearCalls`. */
  calls(tool: string): Call[] {
    const file = path.join(this.fakeDir, "calls.jsonl");
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((c) => c.tool === tool);
  }

  /** Every secret any call of `tool` could see, sorted. */
  secretsSeenBy(tool: string): string[] {
    return [...new Set(this.calls(tool).flatMap((c) => c.secrets))].sort();
  }

  clearCalls() {
    fs.rmSync(path.join(this.fakeDir, "calls.jsonl"), { force: true });
  }

  /** `artifacts`: those of an earlier attempt of the same run, for a re-run (GitHub keeps them). */
  async run(workflow: Workflow, github: Record<string, unknown> = {}, artifacts: Artifacts = {}): Promise<WorkflowResult & { artifacts: Artifacts }> {
    const result = await runWorkflow(workflow, {
      workspace: this.workspace,
      runnerTemp: this.temp,
      env: { ...this.env, FAKE_DIR: this.fakeDir },
      secrets: this.secrets,
      vars: this.vars,
      github: {
        token: GITHUB_TOKEN, repository: "acme/edge", server_url: "https://github.com", run_id: "4242", actor: "octocat",
        ...github,
      },
      uses: ({ uses, with: inputs }) => {
        if (uses.startsWith("pulumi/actions@")) expect(Object.keys(inputs)).toEqual([]); // install only; `pulumi` is the fake
        if (uses.startsWith("actions/upload-artifact@")) return upload(inputs, artifacts);
        if (uses.startsWith("actions/download-artifact@")) return download(inputs, artifacts);
        return "success";
      },
    });
    return { ...result, artifacts };
  }
}

/**
 * actions/upload-artifact as far as the templates rely on it: a name unique in the run (its README: "Artifact
 * names must be unique"; a second upload is a conflict error unless `overwrite: true`, which replaces it) and free
 * of the characters it refuses; files, or the files of a directory, at the artifact's root; no file found, no
 * artifact.
 */
function upload(inputs: Record<string, string>, artifacts: Artifacts): Outcome {
  const name = inputs.name || "artifact";
  if (ARTIFACT_NAME_REFUSES.test(name) || (name in artifacts && inputs.overwrite !== "true")) return "failure";
  const files = inputs.path.split("\n").filter((p) => p && fs.existsSync(p))
    .flatMap((p) => (fs.statSync(p).isDirectory() ? fs.readdirSync(p).map((f) => path.join(p, f)) : [p]));
  if (files.length) artifacts[name] = Object.fromEntries(files.map((p) => [path.basename(p), fs.readFileSync(p, "utf8")]));
  return "success";
}

/**
 * actions/download-artifact as the templates call it: the run's artifacts whose name matches `pattern` (a glob of
 * `*`), their files merged into `path` (`merge-multiple: true`). No match downloads nothing and succeeds, as the
 * action does. Any other use throws: it is not modelled.
 */
function download(inputs: Record<string, string>, artifacts: Artifacts): Outcome {
  if (!inputs.pattern || inputs["merge-multiple"] !== "true" || !inputs.path) {
    throw new Error(`download-artifact: only pattern + merge-multiple: true + path is modelled, not ${JSON.stringify(inputs)}`);
  }
  const glob = new RegExp(`^${inputs.pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  fs.mkdirSync(inputs.path, { recursive: true });
  for (const [name, files] of Object.entries(artifacts)) {
    if (glob.test(name)) for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(inputs.path, file), content);
  }
  return "success";
}

/** Why a job went the way it did, for failure messages. */
export const transcript = (r: JobResult | WorkflowResult) =>
  ("steps" in r ? [r] : r.jobs)
    .flatMap((j) => [`=== ${j.job} ${JSON.stringify(j.matrix)}: ${j.conclusion}`, ...j.steps.map((s) => `--- ${s.label}: ${s.outcome}\n${s.stdout}${s.stderr}`)])
    .join("\n");
