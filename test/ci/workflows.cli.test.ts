/**
 * Both CI templates executed as GitHub's runner would, with the real `pulumi` CLI (a self-managed file backend
 * with passphrase secrets, as the templates' comments describe) against a stack of all four resources on the
 * emulator. Only `gh` and `npm ci` are fakes; a recording shim in front of the real `pulumi` notes which secrets
 * each call could see. The drift job stays green while nothing changed, fails and opens one issue naming the
 * console edit, and closes it once `up --refresh` converged; the preview job comments the pull request's change
 * as edgeconf reports it. The passphrase reaches pulumi as the templates' secret, not from the machine.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { CliProject, pulumiToolchain } from "../support/pulumiCli";
import { fourResources } from "../cli/programs";
import { Runner, transcript, withStacks, writeRecordingShim } from "./runner";

const toolchain = pulumiToolchain();
/** The secrets with a value here (PULUMI_ACCESS_TOKEN is empty: a file backend), all and only pulumi's. */
const SEEN_BY_PULUMI = ["HW_ACCESS_KEY", "HW_SECRET_KEY", "PULUMI_CONFIG_PASSPHRASE", "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"];

describe.skipIf(!toolchain)("the CI templates with the real pulumi CLI", () => {
  let emulator: RunningEmulator;
  let project: CliProject;
  let runner: Runner;

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, credentialEnv: {}, settings: { gaPendingMs: 200 } });
    project = await CliProject.create(toolchain!, { emulator, files: fourResources(), dirName: "infra", stack: "prod" });
    await project.up();
    const workspace = path.dirname(project.dir);
    // gh and npm are fakes; pulumi is the real one behind a recording shim
    const fakes = fs.mkdtempSync(path.join(workspace, "fakes-"));
    for (const tool of ["gh", "npm"]) fs.symlinkSync(path.join(__dirname, "fakes", tool), path.join(fakes, tool));
    writeRecordingShim(fakes, "pulumi", path.join(toolchain!.binDir, "pulumi"));
    const { PULUMI_CONFIG_PASSPHRASE, ...machine } = project.env as Record<string, string>;
    const c = emulator.credentials;
    runner = new Runner(workspace, workspace, {
      ...machine,
      PATH: [fakes, toolchain!.binDir, path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
      EDGECONF_ENDPOINT: emulator.url,
    }, {
      PULUMI_ACCESS_TOKEN: "",
      PULUMI_CONFIG_PASSPHRASE,
      TENCENTCLOUD_SECRET_ID: c.tencentSecretId, TENCENTCLOUD_SECRET_KEY: c.tencentSecretKey,
      HW_ACCESS_KEY: c.huaweiAccessKey, HW_SECRET_KEY: c.huaweiSecretKey,
    }, { HW_PROJECT_ID: c.huaweiProjectId });
  }, 180_000);

  afterAll(async () => {
    await project?.destroy();
    await emulator?.close();
  }, 120_000);

  it("drift-check: green while nothing changed, one issue for a console edit, closed once converged", async () => {
    const workflow = withStacks("drift-check.yml", ["prod"]);
    const clean = (await runner.run(workflow)).job("drift");
    expect(clean.conclusion, transcript(clean)).toBe("success");
    expect(runner.gh().issues).toEqual([]);

    const [group] = await (emulator.services.teo.backend.admin("listOriginGroups", {}) as Promise<any[]>);
    await emulator.services.teo.backend.admin("patchOriginGroup", {
      groupId: group.GroupId,
      patch: { Records: [{ Record: "203.0.113.10", Type: "IP_DOMAIN", Weight: 99 }, { Record: "origin.example.com", Type: "IP_DOMAIN", Weight: 40 }] },
    });
    const drift = (await runner.run(workflow)).job("drift");
    expect(drift.conclusion, transcript(drift)).toBe("failure");
    expect(drift.step("preview").outcome).toBe("failure"); // the real pulumi preview --expect-no-changes
    expect(drift.step("report").outputs["exit-code"]).toBe("2");
    const issues = runner.gh().issues;
    expect(issues).toHaveLength(1);
    expect(issues[0].body).toContain("| OriginGroup `web` | drifted | records +0 −0 ~1 |");
    expect(issues[0].body).toContain("  - ~ 203.0.113.10: weight: 60 → 99");
    expect(issues[0].body).toContain("error: no changes were expected for preview but changes were proposed"); // pulumi v3.276.0's own words

    await project.up("--refresh");
    const after = (await runner.run(workflow)).job("drift");
    expect(after.conclusion, transcript(after)).toBe("success");
    expect(runner.gh().issues[0].state).toBe("closed");
    const all = [clean, drift, after].map(transcript).join("\n") + JSON.stringify(runner.gh());
    for (const secret of [emulator.credentials.tencentSecretKey, emulator.credentials.huaweiSecretKey]) expect(all).not.toContain(secret);
    expect(runner.secretsSeenBy("npm")).toEqual([]);
    expect(runner.secretsSeenBy("pulumi")).toEqual(SEEN_BY_PULUMI);
    expect(runner.secretsSeenBy("gh")).toEqual(["GH_TOKEN"]);
  }, 300_000);

  it("pr-preview: one comment with the change the pull request brings, as edgeconf reports it", async () => {
    await project.must(["config", "set", "cli:weightA", "70"]);
    runner.clearCalls();
    const pr = { event: { pull_request: { number: 17, head: { repo: { full_name: "acme/edge" } } } } };
    const r = (await runner.run(withStacks("pr-preview.yml", ["prod"]), pr)).job("preview");
    expect(r.conclusion, transcript(r)).toBe("success");
    expect(r.step("preview").outcome).toBe("success");
    const comments = runner.gh().comments;
    expect(comments).toHaveLength(1);
    expect(comments[0].body.split("\n")[0]).toBe("<!-- edgeconf-preview stack=prod -->");
    expect(comments[0].body).toMatch(/203\.0\.113\.10[^\n]*weight: 60 → 70/);
    expect(comments[0].body).not.toContain("[!CAUTION]");
    expect(runner.secretsSeenBy("npm")).toEqual([]);
    expect(runner.calls("pulumi").map((c) => c.args[0])).toEqual(["preview"]);
    expect(runner.secretsSeenBy("pulumi")).toEqual(SEEN_BY_PULUMI);
    expect(runner.secretsSeenBy("gh")).toEqual(["GH_TOKEN"]);
  }, 180_000);
});
