/**
 * The CI templates in examples/ci, executed the way GitHub's runner executes them (test/ci/workflow.ts), with a
 * fake `pulumi`, a fake `gh` that keeps issues and comments, and the real `edgeconf` CLI reading the emulator.
 * They must fail when they should: drift fails the job and keeps ONE issue per stack (created, updated, closed
 * when drift is gone); an edgeconf error fails it without touching the issue; a failed or unreadable preview fails
 * the pull-request check while its comment is updated in place. Two stacks in one run never touch each other's
 * issue, comment or artifact; every body stays under GitHub's 65,536 characters; each secret reaches only the
 * tools that need it, and a fork's or Dependabot's pull request is skipped with a notice.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SEED } from "../../emulator/core/defaults";
import { OriginGroup, UserGroup } from "../../provider";
import { Engine } from "../../engine/engine";
import type { StackExport } from "../../engine/state";
import { loadWorkflow } from "./workflow";
import { expectPinned } from "./pins";
import { makeWorkspace, Runner, STACK, transcript, withStacks } from "./runner";

const ROOT = path.resolve(__dirname, "..", "..");
const CI = path.join(ROOT, "examples/ci");
const FAKES = path.join(__dirname, "fakes");
const FIXTURES = path.join(__dirname, "fixtures");
const STAGING = "org/edge/staging";
/** GitHub refuses an issue or comment body of this many characters or more. */
const GITHUB_BODY_LIMIT = 65_536;

/**
 * Inputs of pulumi/actions, from its action.yml at v7.0.0 (commit 8e5e406f4007fca908480587cb9893c07090f58d,
 * 2026-05-04; v6.6.1 has the same list). `command` left out installs the CLI only (README "Installation Only").
 */
const PULUMI_ACTION_INPUTS = [
  "command", "stack-name", "pulumi-version", "pulumi-version-file", "work-dir", "comment-on-pr", "comment-on-pr-number",
  "comment-on-summary", "github-token", "cloud-url", "secrets-provider", "parallel", "message", "config-map",
  "expect-no-changes", "diff", "replace", "exclude", "exclude-dependents", "target", "target-dependents", "policyPacks",
  "policyPackConfigs", "refresh", "upsert", "remove", "edit-pr-comment", "color", "exclude-protected", "plan",
  "suppress-outputs", "suppress-progress", "always-include-summary", "continue-on-error", "log-verbosity", "log-flow", "debug",
];
/** The commands the action accepts (its `command` input). */
const PULUMI_ACTION_COMMANDS = ["up", "update", "refresh", "destroy", "preview", "output"];

const CLOUD_KEYS = ["HW_ACCESS_KEY", "HW_SECRET_KEY", "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"];
const PULUMI_SECRETS = ["PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE"];

const WORKFLOWS = ["drift-check.yml", "pr-preview.yml"];

/** Runner for a test file: fakes first on PATH, the secrets a repository would hold (distinct fake values). */
function fakeRunner(root: string, machineEnv: Record<string, string>, secrets: Record<string, string>, vars: Record<string, string>): Runner {
  return new Runner(root, makeWorkspace(root), {
    PATH: [FAKES, path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
    HOME: process.env.HOME ?? root,
    ...machineEnv,
  }, { PULUMI_ACCESS_TOKEN: "pul-fake-token", PULUMI_CONFIG_PASSPHRASE: "fake-passphrase", ...secrets }, vars);
}

/** Where the templates say the full report is. */
const fullReportIn = (artifact: string) => `the \`${artifact}\` artifact of [this run](https://github.com/acme/edge/actions/runs/4242)`;

describe("workflow templates, statically", () => {
  it.each(WORKFLOWS)("%s: gives pulumi/actions only inputs its action.yml documents, and installs only", (file) => {
    const wf = loadWorkflow(path.join(CI, file));
    const uses = Object.values(wf.jobs).flatMap((j) => j.steps).filter((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(uses.length).toBe(1);
    for (const s of uses) {
      for (const key of Object.keys(s.with ?? {})) expect(PULUMI_ACTION_INPUTS).toContain(key);
      if (s.with?.command !== undefined) expect(PULUMI_ACTION_COMMANDS).toContain(s.with.command);
    }
  });

  it.each(WORKFLOWS)("%s: pins every action to its latest release's commit, the version in a comment", (file) => {
    expectPinned(path.join(CI, file));
  });

  it.each(WORKFLOWS)("%s: runs Node 22 and every piped command under pipefail", (file) => {
    const wf = loadWorkflow(path.join(CI, file));
    for (const job of Object.values(wf.jobs)) {
      const node = job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
      if (node) expect(String(node.with?.["node-version"])).toBe("22");
      for (const s of job.steps.filter((x) => x.run?.includes("|"))) {
        expect(s.shell ?? job.defaults?.run?.shell ?? wf.defaults?.run?.shell, `step ${s.id ?? s.run}`).toBe("bash");
      }
    }
  });

  it.each(WORKFLOWS)("%s: keeps secrets and the GitHub token out of workflow and job env, and grants no permission at the top", (file) => {
    const wf = loadWorkflow(path.join(CI, file));
    expect(wf.permissions).toEqual({});
    for (const env of [wf.env, ...Object.values(wf.jobs).map((j) => j.env)]) {
      expect(JSON.stringify(env ?? {})).not.toMatch(/secrets\.|github\.token/);
    }
  });

  it.each([
    ["pr-preview.yml", { trust: undefined, preview: { contents: "read" }, comment: { "pull-requests": "write" } }, "comment"],
    ["drift-check.yml", { drift: { contents: "read" }, issue: { issues: "write" } }, "issue"],
  ])("%s: runs the repository's code in jobs that can only read, and writes from one that runs none of it", (file, permissions, writer) => {
    const { jobs } = loadWorkflow(path.join(CI, file));
    expect(Object.fromEntries(Object.entries(jobs).map(([id, j]) => [id, j.permissions]))).toEqual(permissions);
    expect(jobs[writer].steps.map((s) => s.uses?.replace(/@.*/, "") ?? "run")).toEqual(["actions/download-artifact", "run"]);
    expect(jobs[writer].steps.map((s) => s.run ?? "").join("\n")).not.toMatch(/\b(npm|npx|pulumi|node)\b|edgeconf (preview|drift)/);
  });
});

describe("drift-check.yml, executed", () => {
  let emulator: RunningEmulator;
  let engine: Engine;
  let root: string;
  let runner: Runner;
  const exports: Record<string, string> = {};
  const workflow = loadWorkflow(path.join(CI, "drift-check.yml"));
  /** The origin group each stack holds (the stacks' programs, as a user with two environments has). */
  const groupOf: Record<string, string> = { [STACK]: "web", [STAGING]: "stage-web" };

  const setWeights = (a: number, b: number, stack = STACK) =>
    emulator.services.teo.backend.admin("patchOriginGroup", {
      groupId: engine.outputs(groupOf[stack])!.groupId,
      patch: { Records: [{ Record: "203.0.113.10", Type: "IP_DOMAIN", Weight: a }, { Record: "origin.example.com", Type: "IP_DOMAIN", Weight: b }] },
    });
  const previewFinds = (drift: boolean, stack = STACK, extra: Record<string, unknown> = {}) =>
    runner.pulumi({
      preview: drift
        ? { stdout: `Previewing update (${stack})\n ~ OriginGroup web refresh [diff: ~records]\n`, stderr: "error: no changes were expected for preview but changes were proposed\n", exitCode: 7, ...extra }
        : { stdout: `Previewing update (${stack})\nResources:\n    3 unchanged\n`, exitCode: 0, ...extra },
      export: { stdoutFile: exports[stack] },
    }, stack);
  const issueMutations = () => runner.calls("gh").filter((c) => c.args[0] === "issue" && c.args[1] !== "list");
  const issueOf = (stack: string) => runner.gh().issues.filter((i) => i.body.startsWith(`<!-- edgeconf-drift stack=${stack} -->\n`));

  /** The stack export of one stack: the engine's state without the other stack's origin group. */
  const exportOf = (state: StackExport, stack: string): StackExport => {
    const others = Object.entries(groupOf).filter(([s]) => s !== stack).map(([, name]) => `::${name}`);
    const resources = state.deployment.resources.filter((r) => !others.some((o) => r.urn.endsWith(o)));
    return { ...state, deployment: { ...state.deployment, resources } };
  };

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, credentialEnv: {} });
    root = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-ci-"));
    const c = emulator.credentials;
    const secrets = {
      TENCENTCLOUD_SECRET_ID: c.tencentSecretId,
      TENCENTCLOUD_SECRET_KEY: c.tencentSecretKey,
      HW_ACCESS_KEY: c.huaweiAccessKey,
      HW_SECRET_KEY: c.huaweiSecretKey,
    };
    const vars = { HW_PROJECT_ID: c.huaweiProjectId };
    engine = new Engine({ dir: ROOT, env: { ...process.env, ...secrets, ...vars, EDGECONF_ENDPOINT: emulator.url } });
    const records = [{ record: "203.0.113.10", weight: 60 }, { record: "origin.example.com", weight: 40 }];
    const up = await engine.up(() => {
      new OriginGroup("web", { zoneId: SEED.teoZoneId, type: "HTTP", records });
      new UserGroup("ops", { zoneId: SEED.cicZoneId, description: "edge operators" });
      new OriginGroup("stage-web", { zoneId: SEED.teoZoneId, type: "HTTP", records });
    });
    expect(up.errors).toEqual([]);
    for (const stack of [STACK, STAGING]) {
      exports[stack] = path.join(root, `export-${stack.replaceAll("/", "-")}.json`);
      fs.writeFileSync(exports[stack], JSON.stringify(exportOf(engine.exportState(), stack), null, 4));
    }
    // EDGECONF_ENDPOINT is the runner machine's environment: where "the cloud" is
    runner = fakeRunner(root, { EDGECONF_ENDPOINT: emulator.url }, secrets, vars);
  }, 90_000);

  afterAll(async () => {
    await engine?.close();
    await emulator?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it("fails on drift and opens one labelled issue holding the field-level report", async () => {
    await setWeights(99, 1);
    previewFinds(true);
    const run = await runner.run(workflow);
    const r = run.job("drift");
    expect(r.conclusion, transcript(r)).toBe("failure");
    expect(r.step("preview").outcome).toBe("failure"); // pipefail: `pulumi | tee` fails when pulumi does
    expect(r.step("report").outputs["exit-code"]).toBe("2");
    expect(run.job("issue").step("post").outcome).toBe("success");
    expect(r.step("verdict").outcome).toBe("failure");
    expect(r.step("verdict").stdout).toContain("::error::drift found in org/edge/prod");
    const gh = runner.gh();
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]).toMatchObject({ number: 1, state: "open", labels: ["edge-drift"], title: "Edge configuration drift: org/edge/prod" });
    expect(gh.issues[0].body.split("\n")[0]).toBe("<!-- edgeconf-drift stack=org/edge/prod -->");
    expect(gh.issues[0].body).toContain("### Drift report: 1 of 2 resource(s) drifted");
    expect(gh.issues[0].body).toContain("| OriginGroup `web` | drifted | records +0 −0 ~2 |");
    expect(gh.issues[0].body).toContain("  - ~ 203.0.113.10: weight: 60 → 99");
    expect(gh.issues[0].body).toContain("no changes were expected for preview but changes were proposed");
    expect(gh.issues[0].body).toContain("https://github.com/acme/edge/actions/runs/4242");
  }, 120_000);

  it("updates the same issue on the next drifting run instead of opening another", async () => {
    runner.clearCalls();
    await emulator.services.organization.backend.admin("patchGroup", { groupId: engine.outputs("ops")!.groupId, Description: "changed in the console" });
    await setWeights(98, 2);
    previewFinds(true);
    const r = (await runner.run(workflow)).job("drift");
    expect(r.conclusion, transcript(r)).toBe("failure");
    expect(issueMutations().map((c) => c.args.slice(0, 3))).toEqual([["issue", "edit", "1"]]);
    const gh = runner.gh();
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0].body).toContain("### Drift report: 2 of 2 resource(s) drifted");
    expect(gh.issues[0].body).toContain("~ 203.0.113.10: weight: 60 → 98");
    expect(gh.issues[0].body).toContain("changed in the console");
  }, 120_000);

  it("re-run in the same run (GitHub keeps its artifacts), uploads over them instead of failing on the name", async () => {
    previewFinds(true);
    const first = await runner.run(workflow);
    const again = await runner.run(workflow, {}, first.artifacts);
    const uploads = again.job("drift").steps.filter((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(uploads.map((s) => s.outcome), transcript(again)).toEqual(["success", "success"]);
    expect(again.job("issue").step("post").outcome).toBe("success");
    // without `overwrite` the name is taken: the run's own artifacts make the upload fail, as the action does
    const strict = structuredClone(workflow);
    for (const s of strict.jobs.drift.steps) delete s.with?.overwrite;
    const refused = await runner.run(strict, {}, first.artifacts);
    expect(refused.job("drift").steps.filter((s) => s.uses?.startsWith("actions/upload-artifact@")).map((s) => s.outcome)).toEqual(["failure", "failure"]);
  }, 120_000);

  it("gives each secret only to the tools that need it: cloud and Pulumi to pulumi, the token to gh, none to npm ci", async () => {
    runner.clearCalls();
    previewFinds(true);
    const r = await runner.run(workflow);
    expect(r.job("issue").step("post").outcome, transcript(r)).toBe("success");
    expect(runner.calls("npm").map((c) => c.args)).toEqual([["ci"]]);
    expect(runner.secretsSeenBy("npm")).toEqual([]);
    expect(runner.calls("pulumi").map((c) => c.args.slice(0, 2))).toEqual([["preview", "--stack"], ["stack", "export"]]);
    expect(runner.secretsSeenBy("pulumi")).toEqual([...CLOUD_KEYS, ...PULUMI_SECRETS].sort());
    expect(runner.secretsSeenBy("gh")).toEqual(["GH_TOKEN"]);
  }, 120_000);

  it("closes the issue on the first clean run, and leaves it alone on the next", async () => {
    runner.clearCalls();
    await setWeights(60, 40);
    await emulator.services.organization.backend.admin("patchGroup", { groupId: engine.outputs("ops")!.groupId, Description: "edge operators" });
    previewFinds(false);
    const r = (await runner.run(workflow)).job("drift");
    expect(r.conclusion, transcript(r)).toBe("success");
    expect(r.step("report").outputs["exit-code"]).toBe("0");
    expect(issueMutations().map((c) => c.args.slice(0, 3))).toEqual([["issue", "close", "1"]]);
    expect(runner.gh().issues[0].state).toBe("closed");
    expect(r.summary).toBe("- `org/edge/prod`: no drift (Drift report: no drift in 2 resource(s))\n");

    runner.clearCalls();
    const again = (await runner.run(workflow)).job("drift");
    expect(again.conclusion, transcript(again)).toBe("success");
    expect(issueMutations()).toEqual([]);
  }, 120_000);

  it("keeps one issue per stack: A clean never touches B's issue, A's drift never edits it, B's closing never closes A's", async () => {
    const both = withStacks("drift-check.yml", [STACK, STAGING]);
    const byStack = () => Object.fromEntries([STACK, STAGING].map((s) => [s, issueOf(s).filter((i) => i.state === "open").map((i) => i.number)]));
    const mutated = () => issueMutations().map((c) => (c.args[1] === "create" ? "create" : c.args.slice(1, 3).join(" ")));

    // B drifts, A is clean: B gets an issue
    runner.clearCalls();
    await setWeights(99, 1, STAGING);
    previewFinds(false);
    previewFinds(true, STAGING);
    let r = await runner.run(both);
    expect(r.jobs.map((j) => [j.job, j.matrix.stack, j.conclusion, j.concurrency]), transcript(r)).toEqual([
      ["drift", STACK, "success", `edge-drift-check-${STACK}`],
      ["drift", STAGING, "failure", `edge-drift-check-${STAGING}`],
      ["issue", undefined, "success", "edge-drift-check-issues"],
    ]);
    const [stagingIssue] = byStack()[STAGING];
    expect(issueOf(STAGING)[0]).toMatchObject({ title: `Edge configuration drift: ${STAGING}`, labels: ["edge-drift"] });
    expect(issueOf(STAGING)[0].body).toContain("OriginGroup `stage-web`");
    expect(mutated()).toEqual(["create"]);
    expect(Object.keys(r.artifacts)).toEqual([
      "edgeconf-drift-org-edge-prod", "edgeconf-issue-org-edge-prod", "edgeconf-drift-org-edge-staging", "edgeconf-issue-org-edge-staging",
    ]);
    expect(r.job("drift", { stack: STAGING }).summary).toMatch(/^- `org\/edge\/staging`: drift found/);

    // A drifts while B's issue is open: A gets its own issue, B's is edited for B only
    runner.clearCalls();
    await setWeights(97, 3);
    previewFinds(true);
    r = await runner.run(both);
    const [prodIssue] = byStack()[STACK];
    expect(prodIssue).not.toBe(stagingIssue);
    expect(mutated()).toEqual(["create", `edit ${stagingIssue}`]);
    expect(issueOf(STACK)[0].body).toContain("OriginGroup `web`");
    expect(issueOf(STACK)[0].body).not.toContain("stage-web");

    // A clean: closes A's issue only
    runner.clearCalls();
    await setWeights(60, 40);
    previewFinds(false);
    r = await runner.run(both);
    expect(mutated()).toEqual([`close ${prodIssue}`, `edit ${stagingIssue}`]);
    expect(byStack()).toEqual({ [STACK]: [], [STAGING]: [stagingIssue] });

    // A drifts again, B clean: B's closing leaves A's new issue open
    runner.clearCalls();
    await setWeights(96, 4);
    await setWeights(60, 40, STAGING);
    previewFinds(true);
    previewFinds(false, STAGING);
    r = await runner.run(both);
    const [prodAgain] = byStack()[STACK];
    expect(mutated()).toEqual(["create", `close ${stagingIssue}`]);
    expect(byStack()).toEqual({ [STACK]: [prodAgain], [STAGING]: [] });
    await setWeights(60, 40);
  }, 240_000);

  it("keeps the issue body under GitHub's limit however long pulumi's output is, the whole of it in the artifact", async () => {
    runner.clearCalls();
    await setWeights(95, 5);
    const log = path.join(root, "long-preview.txt");
    fs.writeFileSync(log, Array.from({ length: 20_000 }, (_, i) => ` ~ OriginGroup web-${i} refresh [diff: ~records] → ${"x".repeat(40)}`).join("\n") + "\nthe last line\n");
    previewFinds(true, STACK, { stdoutFile: log });
    const r = await runner.run(workflow);
    expect(r.job("issue").step("post").outcome, transcript(r)).toBe("success");
    const [body] = runner.calls("gh").filter((c) => c.body !== undefined).map((c) => c.body!);
    expect(body.length).toBeLessThan(GITHUB_BODY_LIMIT);
    expect(body).toContain("the last line");
    expect(body).toContain("| OriginGroup `web` | drifted |");
    expect(body).toContain(fullReportIn("edgeconf-drift-org-edge-prod"));
    const artifact = r.artifacts["edgeconf-drift-org-edge-prod"];
    expect(artifact["preview.txt"].length).toBeGreaterThan(1_000_000);
    expect(artifact["drift-full.md"]).toContain("| OriginGroup `web` | drifted |");
    await setWeights(60, 40);
  }, 120_000);

  it("fails, with edgeconf's error in the log, when edgeconf cannot check, and touches no issue", async () => {
    runner.clearCalls();
    const notAnExport = path.join(root, "outputs.json");
    fs.writeFileSync(notAnExport, JSON.stringify({ groupId: "origin-1" }));
    runner.pulumi({ preview: { stdout: "Resources:\n    3 unchanged\n", exitCode: 0 }, export: { stdoutFile: notAnExport } });
    const r = (await runner.run(workflow)).job("drift");
    expect(r.conclusion, transcript(r)).toBe("failure");
    expect(r.step("report").outputs["exit-code"]).toBe("1");
    expect(r.step("report").stderr).toMatch(/edgeconf drift: .*state\.json: an object with keys groupId is not a stack export/);
    expect(r.step("verdict").stdout).toContain("::error::edgeconf drift could not check every resource of org/edge/prod (exit 1)");
    expect(issueMutations()).toEqual([]);
  }, 120_000);

  it("would not see a failing preview under GitHub's default shell: the runner tells the two shells apart", async () => {
    const noPipefail = structuredClone(workflow);
    delete noPipefail.jobs.drift.defaults!.run!.shell;
    previewFinds(true);
    const r = (await runner.run(noPipefail)).job("drift");
    expect(r.step("preview").shell).toEqual(["bash", "-e"]);
    expect(r.step("preview").outcome).toBe("success"); // the bug of the old template: `tee` succeeded
    const fixed = (await runner.run(workflow)).job("drift");
    expect(fixed.step("preview").shell).toEqual(["bash", "--noprofile", "--norc", "-eo", "pipefail"]);
    expect(fixed.step("preview").outcome).toBe("failure");
  }, 120_000);
});

describe("pr-preview.yml, executed", () => {
  let root: string;
  let runner: Runner;
  const workflow = loadWorkflow(path.join(CI, "pr-preview.yml"));
  const pr = { event: { pull_request: { number: 17, head: { repo: { full_name: "acme/edge" } } } } };
  const marker = (stack: string) => `<!-- edgeconf-preview stack=${stack} -->`;
  const previewGives = (answer: Record<string, unknown>, stack = STACK) => runner.pulumi({ previewJson: answer }, stack);
  const update = { stdoutFile: path.join(FIXTURES, "preview-update.json"), stderr: "warning: a plugin warning\n", exitCode: 0 };
  /** A preview digest of 2,000 changed origin groups, `web-0` to `web-1999`: about 480 KB of report. */
  const bigPreview = () => {
    const file = path.join(root, "preview-2000.json");
    const digest = JSON.parse(fs.readFileSync(path.join(FIXTURES, "preview-update.json"), "utf8"));
    const web = digest.steps.find((s: { urn: string }) => s.urn.endsWith("::web"));
    const rename = (v: unknown, i: number) => JSON.parse(JSON.stringify(v).replaceAll("::web\"", `::web-${i}"`).replaceAll("\"web\"", `"web-${i}"`));
    digest.steps = [digest.steps[0], ...Array.from({ length: 2000 }, (_, i) => rename(web, i))];
    digest.changeSummary = { update: 2000, same: 1 };
    fs.writeFileSync(file, JSON.stringify(digest));
    return file;
  };

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-ci-pr-"));
    runner = fakeRunner(root, {}, {
      TENCENTCLOUD_SECRET_ID: "AKIDfakeid", TENCENTCLOUD_SECRET_KEY: "fake-tencent-key",
      HW_ACCESS_KEY: "fake-hw-ak", HW_SECRET_KEY: "fake-hw-sk",
    }, { HW_PROJECT_ID: "fake-project" });
  });
  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it("posts one comment with the edgeconf report, then edits it in place on the next push", async () => {
    previewGives(update);
    const first = (await runner.run(workflow, pr)).job("preview");
    expect(first.conclusion, transcript(first)).toBe("success");
    let comments = runner.gh().comments;
    expect(comments).toHaveLength(1);
    expect(comments[0].pr).toBe(17);
    expect(comments[0].body.split("\n")[0]).toBe(marker(STACK));
    expect(comments[0].body).toContain("web");
    expect(comments[0].body).toContain("192.0.2.44");
    expect(comments[0].body).toMatch(/<details><summary>pulumi preview messages \(the end\)<\/summary>[\s\S]*a plugin warning/);
    expect(comments[0].body).not.toContain("[!CAUTION]");
    expect(first.summary).toBe("- `org/edge/prod`: previewed, see the pull request's comment (edgeconf preview: 2 to update; 3 unchanged)\n");

    runner.clearCalls();
    const second = (await runner.run(workflow, pr)).job("preview");
    expect(second.conclusion, transcript(second)).toBe("success");
    comments = runner.gh().comments;
    expect(comments).toHaveLength(1);
    expect(runner.calls("gh").map((c) => c.args.slice(0, 3))).toEqual([
      ["api", "--paginate", "repos/acme/edge/issues/17/comments"],
      ["api", "--method", "PATCH"],
    ]);
  }, 120_000);

  it("gives the pull request's code no GitHub token: npm ci sees no secret, pulumi preview no token, gh no cloud key", async () => {
    runner.clearCalls();
    previewGives(update);
    const r = await runner.run(workflow, pr);
    expect(r.conclusion, transcript(r)).toBe("success");
    expect(runner.calls("npm").map((c) => c.args)).toEqual([["ci"]]);
    expect(runner.secretsSeenBy("npm")).toEqual([]);
    expect(runner.calls("pulumi").map((c) => c.args[0])).toEqual(["preview"]);
    expect(runner.secretsSeenBy("pulumi")).toEqual([...CLOUD_KEYS, ...PULUMI_SECRETS].sort());
    expect(runner.secretsSeenBy("gh")).toEqual(["GH_TOKEN"]);
  }, 120_000);

  it.each([
    ["a fork", { event: { pull_request: { number: 18, head: { repo: { full_name: "mallory/edge" } } } } }, /comes from a fork \(mallory\/edge\)/],
    ["Dependabot", { ...pr, actor: "dependabot[bot]" }, /Dependabot's pull requests get no repository secrets/],
  ])("skips a pull request from %s with a notice saying why, running nothing that needs a secret", async (_, github, why) => {
    runner.clearCalls();
    const r = await runner.run(workflow, github);
    expect(r.conclusion, transcript(r)).toBe("success");
    const notice = r.job("trust").step("check").stdout;
    expect(notice).toMatch(/^::notice title=edge config preview skipped::/);
    expect(notice).toMatch(why);
    expect(notice).toContain("The change itself was not checked");
    expect(r.job("preview")).toMatchObject({ conclusion: "skipped", steps: [] });
    expect(r.job("comment")).toMatchObject({ conclusion: "skipped", steps: [] });
    expect([...runner.calls("npm"), ...runner.calls("pulumi"), ...runner.calls("gh")]).toEqual([]);
  }, 120_000);

  it("comments each stack once, with its own artifact and concurrency group", async () => {
    runner.clearCalls();
    previewGives(update);
    previewGives({ stdoutFile: path.join(FIXTURES, "preview-failed.json"), stderr: "error: preview failed\n", exitCode: 255 }, STAGING);
    const r = await runner.run(withStacks("pr-preview.yml", [STACK, STAGING]), { ...pr, event: { pull_request: { ...pr.event.pull_request, number: 21 } } });
    expect(r.jobs.map((j) => [j.job, j.matrix.stack, j.conclusion, j.concurrency]), transcript(r)).toEqual([
      ["trust", undefined, "success", undefined],
      ["preview", STACK, "success", `edge-preview-21-${STACK}`],
      ["preview", STAGING, "failure", `edge-preview-21-${STAGING}`],
      ["comment", undefined, "success", "edge-preview-comment-21"],
    ]);
    const comments = runner.gh().comments.filter((c) => c.pr === 21);
    expect(comments.map((c) => c.body.split("\n")[0])).toEqual([marker(STACK), marker(STAGING)]);
    expect(comments[0].body).not.toContain("[!CAUTION]");
    expect(comments[1].body).toContain("`pulumi preview` failed for `org/edge/staging`");
    expect(Object.keys(r.artifacts)).toEqual([
      "edgeconf-preview-org-edge-prod", "edgeconf-comment-org-edge-prod", "edgeconf-preview-org-edge-staging", "edgeconf-comment-org-edge-staging",
    ]);
    expect(comments[1].body).toContain("the `edgeconf-preview-org-edge-staging` artifact of [this run]");

    runner.clearCalls();
    await runner.run(withStacks("pr-preview.yml", [STACK, STAGING]), { ...pr, event: { pull_request: { ...pr.event.pull_request, number: 21 } } });
    expect(runner.gh().comments.filter((c) => c.pr === 21)).toHaveLength(2);
    expect(runner.calls("gh").filter((c) => c.args[1] === "--method").map((c) => c.args[3])).toEqual(
      comments.map((c) => `repos/acme/edge/issues/comments/${c.id}`));
  }, 120_000);

  it("keeps the comment under GitHub's limit for 2,000 changed resources and a long log, the whole report in the artifact", async () => {
    runner.clearCalls();
    const big = bigPreview();
    const log = path.join(root, "preview-2000.log");
    fs.writeFileSync(log, "warning: something noisy\n".repeat(50_000) + "the last message\n");
    previewGives({ stdoutFile: big, stderrFile: log, exitCode: 0 });
    const r = await runner.run(workflow, pr);
    expect(r.conclusion, transcript(r)).toBe("success");
    const [patch] = runner.calls("gh").filter((c) => c.body !== undefined);
    expect(patch.body!.length).toBeLessThan(GITHUB_BODY_LIMIT);
    expect(patch.body!.length).toBeGreaterThan(50_000); // cut to fit, not dropped
    expect(patch.body).toContain("the last message");
    // edgeconf cut its report (the template passes --max-length and names the artifact) and wrote it whole beside
    expect(patch.body).toMatch(/\*\*Left out:\*\* \d+ of 2000 resource\(s\), to fit in 60000 characters/);
    expect(patch.body).toContain(`The full report: ${fullReportIn("edgeconf-preview-org-edge-prod")}.`);
    const full = r.artifacts["edgeconf-preview-org-edge-prod"]["report-full.md"];
    expect(full).not.toContain("**Left out:**");
    expect(full.length).toBeGreaterThan(GITHUB_BODY_LIMIT);
    expect(full).toContain("`web-1999`");
  }, 120_000);

  it("fails the check when pulumi preview fails, and says so in the same comment", async () => {
    previewGives({ stdoutFile: path.join(FIXTURES, "preview-failed.json"), stderr: "error: preview failed\n", exitCode: 255 });
    const r = (await runner.run(workflow, pr)).job("preview");
    expect(r.conclusion, transcript(r)).toBe("failure");
    expect(r.step("preview").outcome).toBe("failure");
    expect(r.step("report").outputs["exit-code"]).toBe("1");
    expect(r.step("verdict").outcome).toBe("failure");
    const comments = runner.gh().comments.filter((c) => c.pr === 17);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain("[!CAUTION]");
    expect(comments[0].body).toContain("records[1].weight");
  }, 120_000);

  it("fails the check when the preview output is not a preview digest", async () => {
    previewGives({ stdout: "Previewing update (org/edge/prod):\n", exitCode: 0 });
    const r = (await runner.run(workflow, pr)).job("preview");
    expect(r.conclusion, transcript(r)).toBe("failure");
    expect(r.step("preview").outcome).toBe("success");
    expect(r.step("report").outputs["exit-code"]).toBe("1");
    expect(r.step("verdict").stdout).toContain("::error::edgeconf preview could not read the preview of org/edge/prod (exit 1)");
  }, 120_000);
});
