/**
 * The workflow runner itself, on small inline jobs: GitHub's shells, `if:` with status functions and the
 * implicit `success() &&`, `continue-on-error`, outputs and env between steps, expressions, matrix legs,
 * `needs:` with a job's `if:` and outputs, and the step summary.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { interpolate, runWorkflow, type Workflow } from "./workflow";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-runner-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const workflow = (yaml: string, github: Record<string, unknown> = {}) => runWorkflow(parse(yaml) as Workflow, {
  workspace: root,
  runnerTemp: fs.mkdtempSync(path.join(root, "temp-")),
  env: { PATH: process.env.PATH ?? "" },
  secrets: { TOKEN: "s3cr3t" },
  github: { repository: "acme/edge", event: { pull_request: { number: 5 } }, ...github },
});
const job = async (yaml: string) => (await workflow(yaml)).job("j");

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

  it("runs one leg per matrix value, each with its matrix, strategy, concurrency group, temp dir and summary", async () => {
    const r = await workflow(`
jobs:
  j:
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        stack: [org/a, org/b]
    concurrency:
      group: check-\${{ github.event.pull_request.number }}-\${{ matrix.stack }}
    env: { STACK: "\${{ matrix.stack }}" }
    steps:
      - id: s
        run: |
          echo "$STACK \${{ strategy.job-index }}/\${{ strategy.job-total }} \${{ strategy.fail-fast }}"
          ls "$RUNNER_TEMP" | grep -c . || true
          touch "$RUNNER_TEMP/mine"
          echo "stack $STACK checked" >> "$GITHUB_STEP_SUMMARY"
          [ "$STACK" = org/a ]
`);
    expect(r.jobs.map((j) => [j.matrix.stack, j.conclusion, j.concurrency])).toEqual([
      ["org/a", "success", "check-5-org/a"],
      ["org/b", "failure", "check-5-org/b"],
    ]);
    expect(r.conclusion).toBe("failure");
    const a = r.job("j", { stack: "org/a" });
    expect(a.step("s").stdout).toBe("org/a 0/2 false\n1\n"); // only its own step directory in its temp
    expect(r.job("j", { stack: "org/b" }).step("s").stdout).toBe("org/b 1/2 false\n1\n");
    expect(a.summary).toBe("stack org/a checked\n");
    expect(() => r.job("j")).toThrow(/more than one leg/);
  });

  it("runs a job after the jobs it needs, with their outputs, and skips it when its if: is false", async () => {
    const yaml = `
jobs:
  gate:
    runs-on: ubuntu-latest
    outputs: { trusted: "\${{ steps.t.outputs.trusted }}" }
    steps:
      - id: t
        run: |
          [ "\${{ github.actor }}" = "dependabot[bot]" ] && echo "::notice::no secrets" && exit 0
          echo "trusted=true" >> "$GITHUB_OUTPUT"
  j:
    needs: gate
    if: needs.gate.outputs.trusted == 'true'
    runs-on: ubuntu-latest
    steps:
      - { id: s, run: "echo \${{ needs.gate.result }}" }
  after:
    needs: [j]
    if: always()
    runs-on: ubuntu-latest
    steps:
      - { id: s, run: "echo \${{ needs.j.result }}" }
`;
    const trusted = await workflow(yaml);
    expect(trusted.jobs.map((j) => j.job)).toEqual(["gate", "j", "after"]);
    expect(trusted.job("j").step("s").stdout).toBe("success\n");
    const bot = await workflow(yaml, { actor: "dependabot[bot]" });
    expect(bot.job("gate").step("t").stdout).toBe("::notice::no secrets\n");
    expect(bot.job("j")).toMatchObject({ conclusion: "skipped", steps: [] });
    expect(bot.job("after").step("s").stdout).toBe("skipped\n");
    expect(bot.conclusion).toBe("success");
  });

  it("refuses a matrix it would run differently from GitHub, and keys it does not know", async () => {
    const matrix = (strategy: string) => workflow(`
jobs:
  j:
    runs-on: ubuntu-latest
    strategy: ${strategy}
    steps: [{ run: "true" }]
`);
    await expect(matrix("{ matrix: { stack: [a, b] } }")).rejects.toThrow(/fail-fast cancels legs in flight/);
    await expect(matrix("{ fail-fast: false, matrix: { include: [{ stack: a }] } }")).rejects.toThrow(/include\/exclude are not supported/);
    await expect(matrix("{ fail-fast: false, max-parallel: 1, matrix: { stack: [a] } }")).rejects.toThrow(/max-parallel not supported/);
    await expect(workflow(`
jobs:
  j:
    runs-on: ubuntu-latest
    container: node:22
    steps: [{ run: "true" }]
`)).rejects.toThrow(/job j: container not supported/);
    await expect(workflow(`
concurrency: { group: "x-\${{ matrix.stack }}" }
jobs:
  j:
    runs-on: ubuntu-latest
    steps: [{ run: "true" }]
`)).rejects.toThrow(/unknown context matrix/);
    await expect(workflow(`
run-name: x
jobs:
  j:
    runs-on: ubuntu-latest
    steps: [{ run: "true" }]
`)).rejects.toThrow(/workflow: run-name not supported/);
    await expect(workflow(`
jobs:
  j:
    runs-on: ubuntu-latest
    if: steps.x.outputs.y
    steps: [{ run: "true" }]
`)).rejects.toThrow(/unknown context steps/);
  });
});
