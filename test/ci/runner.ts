/**
 * The runner the workflow tests share: a user's repository laid out as the templates expect, fake `gh` (and
 * `npm ci`) in a directory of their own, and runJob with the secrets, vars and github context GitHub would give.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";
import { writeEdgeconfBin } from "../support/pulumiCli";
import { runJob, type JobResult, type Workflow } from "./workflow";

export const STACK = "org/edge/prod";

export interface GhState {
  issues: { number: number; title: string; body: string; labels: string[]; state: string }[];
  labels: string[];
  comments: { id: number; pr: number; body: string }[];
}

/** A workspace like a user's repository: infra/ with pulumi-edgeconf installed (its bin is our built CLI). */
export function makeWorkspace(root: string): string {
  const ws = path.join(root, "repo");
  writeEdgeconfBin(path.join(ws, "infra/node_modules/.bin"));
  fs.writeFileSync(path.join(ws, "infra/package.json"), JSON.stringify({ name: "infra", private: true, dependencies: { "pulumi-edgeconf": "*" } }));
  return ws;
}

export class Runner {
  readonly fakeDir: string;
  readonly temp: string;
  constructor(readonly root: string, readonly workspace: string, readonly env: Record<string, string>, readonly secrets: Record<string, string>) {
    this.fakeDir = fs.mkdtempSync(path.join(root, "fake-"));
    this.temp = fs.mkdtempSync(path.join(root, "runner-temp-"));
  }

  pulumi(script: Record<string, unknown>) {
    fs.writeFileSync(path.join(this.fakeDir, "pulumi.json"), JSON.stringify({ stack: STACK, ...script }));
  }

  gh(): GhState {
    const file = path.join(this.fakeDir, "gh.json");
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : { issues: [], labels: [], comments: [] };
  }

  /** Calls of one tool since the last `clearCalls`. */
  calls(tool: string): { args: string[]; body?: string; failed?: string }[] {
    const file = path.join(this.fakeDir, "calls.jsonl");
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((c) => c.tool === tool);
  }

  clearCalls() {
    fs.rmSync(path.join(this.fakeDir, "calls.jsonl"), { force: true });
  }

  run(workflow: Workflow, job: string, github: Record<string, unknown> = {}): Promise<JobResult> {
    return runJob(workflow, job, {
      workspace: this.workspace,
      runnerTemp: this.temp,
      env: { ...this.env, FAKE_DIR: this.fakeDir },
      secrets: this.secrets,
      vars: { HW_PROJECT_ID: this.secrets.HW_PROJECT_ID ?? "" },
      github: { token: "ghs_faketoken", repository: "acme/edge", server_url: "https://github.com", run_id: "4242", ...github },
      uses: ({ uses, with: inputs }) => {
        if (uses.startsWith("pulumi/actions@")) expect(Object.keys(inputs)).toEqual([]); // install only; `pulumi` is the fake
        if (uses.startsWith("actions/upload-artifact@")) {
          for (const p of inputs.path.split("\n").filter(Boolean)) expect(fs.existsSync(p), `artifact path ${p}`).toBe(true);
        }
        return "success";
      },
    });
  }
}

/** Why a job went the way it did, for failure messages. */
export const transcript = (r: JobResult) =>
  r.steps.map((s) => `--- ${s.label}: ${s.outcome}\n${s.stdout}${s.stderr}`).join("\n");

