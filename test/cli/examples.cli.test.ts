/**
 * The two example programs as users run them (TypeScript, `pulumi-edgeconf` by name) and the root program through
 * `npm start`'s real-CLI path, all through the real `pulumi` CLI: up, preview and refresh with
 * --expect-no-changes, destroy leaving the emulator empty.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SEED } from "../../emulator/core/defaults";
import { CliProject, ROOT, pulumiToolchain } from "../support/pulumiCli";

const toolchain = pulumiToolchain();

/** An example's own files (not its lock file or node_modules), by relative path. */
function exampleFiles(example: string): Record<string, string> {
  const dir = path.join(ROOT, "examples", example);
  const files = fs.readdirSync(dir).filter((f) => /\.(ts|json|yaml)$/.test(f) && f !== "package-lock.json");
  return Object.fromEntries(files.map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
}

describe.skipIf(!toolchain).each([
  { example: "tencent-edgeone", settings: { zoneId: SEED.teoZoneId, cicZoneId: SEED.cicZoneId }, counts: { teo: 2, organization: 1, ga: 0 } },
  { example: "huawei-ga", settings: { listenerId: SEED.gaListenerId }, counts: { teo: 0, organization: 0, ga: 2 } },
])("example $example through the real pulumi CLI", ({ example, settings, counts }) => {
  let emulator: RunningEmulator;
  let project: CliProject;
  const live = async () => (await fetch(`${emulator.url}/_emulator/counts`)).json();

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, credentialEnv: {}, settings: { gaPendingMs: 200 } });
    const files = exampleFiles(example);
    const projectName = /^name:\s*(\S+)/m.exec(files["Pulumi.yaml"])![1];
    const config = Object.fromEntries(Object.entries(settings).map(([k, v]) => [`${projectName}:${k}`, v]));
    project = await CliProject.create(toolchain!, { emulator, files, config });
  }, 120_000);

  afterAll(async () => {
    await project?.destroy();
    await emulator?.close();
  }, 120_000);

  it("up, then preview and refresh with --expect-no-changes, then destroy leaves nothing", async () => {
    const up = await project.run(["up", "--yes"]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(await live()).toEqual(counts);
    for (const args of [["preview", "--expect-no-changes"], ["refresh", "--yes", "--expect-no-changes"]]) {
      const r = await project.run(args);
      expect(r.code, `${args.join(" ")}\n${r.stdout}${r.stderr}`).toBe(0);
    }
    const destroy = await project.run(["destroy", "--yes"]);
    expect(destroy.code, destroy.stdout + destroy.stderr).toBe(0);
    expect(await live()).toEqual({ teo: 0, organization: 0, ga: 0 });
  }, 240_000);
});

describe.skipIf(!toolchain)("npm start through the real pulumi CLI", () => {
  it("runs the root program: preview, up, the console edit found as drift, converge, destroy, nothing left", async () => {
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(process.execPath, [path.join(ROOT, "dist/demo/start.js")], { cwd: ROOT, maxBuffer: 16 << 20 }, (error, stdout) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout })));
    expect(code, stdout).toBe(0);
    expect(stdout).toContain(`Using the Pulumi CLI in ${toolchain!.binDir}`);
    expect(stdout).toMatch(/drift found: exit code [1-9]/);
    expect(stdout).toContain('Emulator resources left: {"teo":0,"organization":0,"ga":0}');
  }, 240_000);
});
