/**
 * The CI templates in examples/ci, executed the way GitHub's runner executes them (test/ci/workflow.ts), with a
 * fake `pulumi`, a fake `gh` that keeps issues and comments, and the real `edgeconf` CLI reading the emulator.
 * They must fail when they should: drift fails the job and keeps ONE issue (created, updated, closed when
 * drift is gone); an edgeconf error fails it without touching the issue; a failed or unreadable preview fails
 * the pull-request check while its comment is updated in place.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SEED } from "../../emulator/core/defaults";
import { OriginGroup, UserGroup } from "../../provider";
import { Engine } from "../../engine/engine";
import { loadWorkflow } from "./workflow";
import { makeWorkspace, Runner, STACK, transcript } from "./runner";

const ROOT = path.resolve(__dirname, "..", "..");
const CI = path.join(ROOT, "examples/ci");
const FAKES = path.join(__dirname, "fakes");
const FIXTURES = path.join(__dirname, "fixtures");

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

const WORKFLOWS = ["drift-check.yml", "pr-preview.yml"];

describe("workflow templates, statically", () => {
  it.each(WORKFLOWS)("%s: gives pulumi/actions only inputs its action.yml documents, and installs only", (file) => {
    const wf = loadWorkflow(path.join(CI, file));
    const uses = Object.values(wf.jobs).flatMap((j) => j.steps).filter((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(uses.length).toBe(1);
    for (const s of uses) {
      for (const key of Object.keys(s.with ?? {})) expect(PULUMI_ACTION_INPUTS).toContain(key);
      if (s.with?.command !== undefined) expect(PULUMI_ACTION_COMMANDS).toContain(s.with.command);
      expect(s.uses).toMatch(/^pulumi\/actions@v[67]$/);
    }
  });

  it.each(WORKFLOWS)("%s: runs Node 22 and every piped command under pipefail", (file) => {
    const wf = loadWorkflow(path.join(CI, file));
    for (const job of Object.values(wf.jobs)) {
      const node = job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
      expect(String(node?.with?.["node-version"])).toBe("22");
      for (const s of job.steps.filter((x) => x.run?.includes("|"))) {
        expect(s.shell ?? job.defaults?.run?.shell ?? wf.defaults?.run?.shell, `step ${s.id ?? s.run}`).toBe("bash");
      }
    }
  });
});

describe("drift-check.yml, executed", () => {
  let emulator: RunningEmulator;
  let engine: Engine;
  let root: string;
  let runner: Runner;
  let exportFile: string;
  const workflow = loadWorkflow(path.join(CI, "drift-check.yml"));

  const setWeights = (a: number, b: number) =>
    emulator.services.teo.backend.admin("patchOriginGroup", {
      groupId: engine.outputs("web")!.groupId,
      patch: { Records: [{ Record: "203.0.113.10", Type: "IP_DOMAIN", Weight: a }, { Record: "origin.example.com", Type: "IP_DOMAIN", Weight: b }] },
    });
  const previewFinds = (drift: boolean) =>
    runner.pulumi({
      preview: drift
        ? { stdout: "Previewing update (org/edge/prod)\n ~ OriginGroup web refresh [diff: ~records]\n", stderr: "error: no changes were expected for preview but changes were proposed\n", exitCode: 7 }
        : { stdout: "Previewing update (org/edge/prod)\nResources:\n    3 unchanged\n", exitCode: 0 },
      export: { stdoutFile: exportFile },
    });
  const issueMutations = () => runner.calls("gh").filter((c) => c.args[0] === "issue" && c.args[1] !== "list");

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, credentialEnv: {} });
    root = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-ci-"));
    const c = emulator.credentials;
    const secrets = {
      PULUMI_ACCESS_TOKEN: "pul-fake",
      TENCENTCLOUD_SECRET_ID: c.tencentSecretId,
      TENCENTCLOUD_SECRET_KEY: c.tencentSecretKey,
      HW_ACCESS_KEY: c.huaweiAccessKey,
      HW_SECRET_KEY: c.huaweiSecretKey,
      HW_PROJECT_ID: c.huaweiProjectId,
    };
    engine = new Engine({ dir: ROOT, env: { ...process.env, ...secrets, EDGECONF_ENDPOINT: emulator.url } });
    const up = await engine.up(() => {
      new OriginGroup("web", { zoneId: SEED.teoZoneId, type: "HTTP", records: [{ record: "203.0.113.10", weight: 60 }, { record: "origin.example.com", weight: 40 }] });
      new UserGroup("ops", { zoneId: SEED.cicZoneId, description: "edge operators" });
    });
    expect(up.errors).toEqual([]);
    exportFile = path.join(root, "export.json");
    fs.writeFileSync(exportFile, JSON.stringify(engine.exportState(), null, 4));
    runner = new Runner(root, makeWorkspace(root), {
      PATH: [FAKES, path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
      HOME: process.env.HOME ?? root,
      EDGECONF_ENDPOINT: emulator.url, // the runner machine's environment: where "the cloud" is
    }, secrets);
  }, 90_000);

  afterAll(async () => {
    await engine?.close();
    await emulator?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it("fails on drift and opens one labelled issue holding the field-level report", async () => {
    await setWeights(99, 1);
    previewFinds(true);
    const r = await runner.run(workflow, "drift");
    expect(r.conclusion, transcript(r)).toBe("failure");
    expect(r.step("preview").outcome).toBe("failure"); // pipefail: `pulumi | tee` fails when pulumi does
    expect(r.step("report").outputs["exit-code"]).toBe("2");
    expect(r.step("issue").outcome).toBe("success");
    expect(r.step("verdict").outcome).toBe("failure");
    expect(r.step("verdict").stdout).toContain("::error::drift found in org/edge/prod");
    const gh = runner.gh();
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]).toMatchObject({ number: 1, state: "open", labels: ["edge-drift"], title: "Edge configuration drift: org/edge/prod" });
    expect(gh.issues[0].body).toContain("### Drift report: 1 of 2 resource(s) drifted");
    expect(gh.issues[0].body).toContain("| OriginGroup `web` | drifted | `records[record=203.0.113.10].weight` | `60` | `99` |");
    expect(gh.issues[0].body).toContain("no changes were expected for preview but changes were proposed");
    expect(gh.issues[0].body).toContain("https://github.com/acme/edge/actions/runs/4242");
  }, 120_000);

  it("updates the same issue on the next drifting run instead of opening another", async () => {
    runner.clearCalls();
    await emulator.services.organization.backend.admin("patchGroup", { groupId: engine.outputs("ops")!.groupId, Description: "changed in the console" });
    await setWeights(98, 2);
    previewFinds(true);
    const r = await runner.run(workflow, "drift");
    expect(r.conclusion, transcript(r)).toBe("failure");
    expect(issueMutations().map((c) => c.args.slice(0, 3))).toEqual([["issue", "edit", "1"]]);
    const gh = runner.gh();
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0].body).toContain("### Drift report: 2 of 2 resource(s) drifted");
    expect(gh.issues[0].body).toContain("| `60` | `98` |");
    expect(gh.issues[0].body).toContain("changed in the console");
  }, 120_000);

  it("closes the issue on the first clean run, and leaves it alone on the next", async () => {
    runner.clearCalls();
    await setWeights(60, 40);
    await emulator.services.organization.backend.admin("patchGroup", { groupId: engine.outputs("ops")!.groupId, Description: "edge operators" });
    previewFinds(false);
    const r = await runner.run(workflow, "drift");
    expect(r.conclusion, transcript(r)).toBe("success");
    expect(r.step("report").outputs["exit-code"]).toBe("0");
    expect(issueMutations().map((c) => c.args.slice(0, 3))).toEqual([["issue", "close", "1"]]);
    expect(runner.gh().issues[0].state).toBe("closed");

    runner.clearCalls();
    const again = await runner.run(workflow, "drift");
    expect(again.conclusion, transcript(again)).toBe("success");
    expect(issueMutations()).toEqual([]);
  }, 120_000);

  it("fails, with edgeconf's error in the log, when edgeconf cannot check, and touches no issue", async () => {
    runner.clearCalls();
    const notAnExport = path.join(root, "outputs.json");
    fs.writeFileSync(notAnExport, JSON.stringify({ groupId: "origin-1" }));
    runner.pulumi({ preview: { stdout: "Resources:\n    3 unchanged\n", exitCode: 0 }, export: { stdoutFile: notAnExport } });
    const r = await runner.run(workflow, "drift");
    expect(r.conclusion, transcript(r)).toBe("failure");
    expect(r.step("report").outputs["exit-code"]).toBe("1");
    expect(r.step("report").stderr).toMatch(/edgeconf drift: .*state\.json: an object with keys groupId is not a stack export/);
    expect(r.step("verdict").stdout).toContain("::error::edgeconf drift could not check every resource (exit 1)");
    expect(issueMutations()).toEqual([]);
  }, 120_000);

  it("would not see a failing preview under GitHub's default shell: the runner tells the two shells apart", async () => {
    const noPipefail = structuredClone(workflow);
    delete noPipefail.jobs.drift.defaults!.run!.shell;
    previewFinds(true);
    const r = await runner.run(noPipefail, "drift");
    expect(r.step("preview").shell).toEqual(["bash", "-e"]);
    expect(r.step("preview").outcome).toBe("success"); // the bug of the old template: `tee` succeeded
    const fixed = await runner.run(workflow, "drift");
    expect(fixed.step("preview").shell).toEqual(["bash", "--noprofile", "--norc", "-eo", "pipefail"]);
    expect(fixed.step("preview").outcome).toBe("failure");
  }, 120_000);
});

describe("pr-preview.yml, executed", () => {
  let root: string;
  let runner: Runner;
  const workflow = loadWorkflow(path.join(CI, "pr-preview.yml"));
  const pr = { event: { pull_request: { number: 17 } } };
  const marker = `<!-- edgeconf-preview stack=${STACK} -->`;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-ci-pr-"));
    runner = new Runner(root, makeWorkspace(root), {
      PATH: [FAKES, path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
      HOME: process.env.HOME ?? root,
    }, { PULUMI_ACCESS_TOKEN: "pul-fake" });
  });
  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it("posts one comment with the edgeconf report, then edits it in place on the next push", async () => {
    runner.pulumi({ previewJson: { stdoutFile: path.join(FIXTURES, "preview-update.json"), stderr: "warning: a plugin warning\n", exitCode: 0 } });
    const first = await runner.run(workflow, "preview", pr);
    expect(first.conclusion, transcript(first)).toBe("success");
    let comments = runner.gh().comments;
    expect(comments).toHaveLength(1);
    expect(comments[0].pr).toBe(17);
    expect(comments[0].body.split("\n")[0]).toBe(marker);
    expect(comments[0].body).toContain("web");
    expect(comments[0].body).toContain("192.0.2.44");
    expect(comments[0].body).toMatch(/<details><summary>pulumi preview messages<\/summary>[\s\S]*a plugin warning/);
    expect(comments[0].body).not.toContain("[!CAUTION]");

    runner.clearCalls();
    const second = await runner.run(workflow, "preview", pr);
    expect(second.conclusion, transcript(second)).toBe("success");
    comments = runner.gh().comments;
    expect(comments).toHaveLength(1);
    expect(runner.calls("gh").map((c) => c.args.slice(0, 3))).toEqual([
      ["api", "--paginate", "repos/acme/edge/issues/17/comments"],
      ["api", "--method", "PATCH"],
    ]);
  }, 120_000);

  it("fails the check when pulumi preview fails, and says so in the same comment", async () => {
    runner.pulumi({ previewJson: { stdoutFile: path.join(FIXTURES, "preview-failed.json"), stderr: "error: preview failed\n", exitCode: 255 } });
    const r = await runner.run(workflow, "preview", pr);
    expect(r.conclusion, transcript(r)).toBe("failure");
    expect(r.step("preview").outcome).toBe("failure");
    expect(r.step("report").outputs["exit-code"]).toBe("1");
    expect(r.step("verdict").outcome).toBe("failure");
    const comments = runner.gh().comments;
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain("[!CAUTION]");
    expect(comments[0].body).toContain("records[1].weight");
  }, 120_000);

  it("fails the check when the preview output is not a preview digest", async () => {
    runner.pulumi({ previewJson: { stdout: "Previewing update (org/edge/prod):\n", exitCode: 0 } });
    const r = await runner.run(workflow, "preview", pr);
    expect(r.conclusion, transcript(r)).toBe("failure");
    expect(r.step("preview").outcome).toBe("success");
    expect(r.step("report").outputs["exit-code"]).toBe("1");
    expect(r.step("verdict").stdout).toContain("::error::edgeconf preview could not read the preview (exit 1)");
  }, 120_000);
});
