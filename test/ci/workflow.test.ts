/**
 * The workflow runner itself, on small inline jobs: GitHub's shells, `if:` with status functions and the
 * implicit `success() &&`, `continue-on-error`, outputs and env between steps, expressions.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { interpolate, runJob, type Workflow } from "./workflow";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-runner-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const job = (yaml: string) => runJob(parse(yaml) as Workflow, "j", {
  workspace: root,
  runnerTemp: fs.mkdtempSync(path.join(root, "temp-")),
  env: { PATH: process.env.PATH ?? "" },
  secrets: { TOKEN: "s3cr3t" },
  github: { repository: "acme/edge", event: { pull_request: { number: 5 } } },
});

describe("workflow runner", () => {
  it("runs `run:` under bash -e by default, and under pipefail with shell: bash", async () => {
    const r = await job(`
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: plain
        continue-on-error: true
        run: false | cat
      - id: piped
        continue-on-error: true
        shell: bash
        run: false | cat
      - id: errexit
        continue-on-error: true
        run: |
          false
          echo not reached
`);
    expect(r.step("plain")).toMatchObject({ shell: ["bash", "-e"], outcome: "success" });
    expect(r.step("piped")).toMatchObject({ shell: ["bash", "--noprofile", "--norc", "-eo", "pipefail"], outcome: "failure", conclusion: "success" });
    expect(r.step("errexit").outcome).toBe("failure");
    expect(r.step("errexit").stdout).toBe("");
    expect(r.conclusion).toBe("success");
  });

  it("skips steps after a failure unless their if: asks for failure() or always()", async () => {
    const r = await job(`
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - { id: fails, run: exit 3 }
      - { id: next, run: echo next }
      - { id: onfailure, if: failure(), run: echo failure }
      - { id: always, if: "\${{ always() }}", run: echo always }
      - { id: onsuccess, if: success(), run: echo success }
      - { id: implicit, if: "github.repository == 'ACME/edge'", run: echo implicit }
      - { id: notcancelled, if: "\${{ !cancelled() && steps.fails.outcome == 'failure' }}", run: echo notcancelled }
`);
    expect(r.conclusion).toBe("failure");
    expect(r.steps.map((s) => [s.id, s.outcome])).toEqual([
      ["fails", "failure"], ["next", "skipped"], ["onfailure", "success"], ["always", "success"],
      ["onsuccess", "skipped"], ["implicit", "skipped"], ["notcancelled", "success"],
    ]);
  });

  it("passes outputs and env between steps, and interpolates contexts", async () => {
    const r = await job(`
env: { WHO: workflow }
jobs:
  j:
    runs-on: ubuntu-latest
    env: { PR: "\${{ github.event.pull_request.number }}", TOKEN: "\${{ secrets.TOKEN }}" }
    steps:
      - id: a
        run: |
          echo "code=2" >> "$GITHUB_OUTPUT"
          printf 'body<<EOF\\nline 1\\nline 2\\nEOF\\n' >> "$GITHUB_OUTPUT"
          echo "LATER=yes" >> "$GITHUB_ENV"
      - id: b
        if: steps.a.outputs.code == 2
        env: { CODE: "\${{ steps.a.outputs.code }}" }
        run: echo "$WHO $PR $CODE $LATER \${{ steps.a.outputs.body }}" | tr '\\n' ' '
`);
    expect(r.step("a").outputs).toEqual({ code: "2", body: "line 1\nline 2" });
    expect(r.step("b").stdout).toBe("workflow 5 2 yes line 1 line 2 ");
  });

  it("refuses what it does not understand instead of guessing", async () => {
    const scope = { status: { failed: false, cancelled: false }, lookup: () => undefined };
    expect(() => interpolate("${{ hashFiles('x') }}", scope)).toThrow(/unsupported function hashFiles/);
    await expect(job(`
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - { if: "\${{ nosuch.context }}", run: "true" }
`)).rejects.toThrow(/unknown context nosuch/);
  });
});
