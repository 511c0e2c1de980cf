/**
 * An interrupted `pulumi up`, through the real CLI: the CLI killed while all four kinds are being created (the
 * emulator holds each create, then applies it, as a cloud does with a request already received). Pulumi keeps a
 * `creating` pending operation for each; `edgeconf drift` reports them; `edgeconf recover --run` puts every
 * object back under the stack; then exactly one object per declared resource, no orphan, and nothing to do.
 * Explicit names and autonames alike (the pending operation holds the autoname the create sent).
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { CliProject, ROOT, pulumiToolchain } from "../support/pulumiCli";
import { fourResources } from "./programs";

const toolchain = pulumiToolchain();
const CREATES = ["CreateOriginGroup", "CreateSecurityIPGroup", "CreateGroup", "CreateEndpointGroup"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `edgeconf <args>` as a user runs it in the project: pulumi on PATH, credentials in the environment. */
function edgeconf(project: CliProject, emulator: RunningEmulator, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const c = emulator.credentials;
  const env = {
    ...project.env,
    EDGECONF_ENDPOINT: emulator.url,
    TENCENTCLOUD_SECRET_ID: c.tencentSecretId, TENCENTCLOUD_SECRET_KEY: c.tencentSecretKey,
    HW_ACCESS_KEY: c.huaweiAccessKey, HW_SECRET_KEY: c.huaweiSecretKey, HW_PROJECT_ID: c.huaweiProjectId,
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, "dist/provider/drift/cli.js"), ...args], { cwd: project.dir, env, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }));
  });
}

/** Kills the CLI once every create reached the emulator (each is held there for `holdMs`, then applied). */
async function upKilledMidCreate(project: CliProject, emulator: RunningEmulator, holdMs: number): Promise<void> {
  for (const action of CREATES) emulator.inject({ action, kind: "latency", latencyMs: holdMs });
  const up = project.run(["up", "--yes", "--skip-preview"]);
  for (let i = 0; i < 500 && emulator.faults().length > 0; i++) await sleep(20);
  expect(emulator.faults()).toEqual([]); // every create arrived
  const cli = project.processes("").filter((pid) => project.isPulumi(pid));
  expect(cli.length).toBeGreaterThan(0);
  for (const pid of cli) process.kill(pid, "SIGKILL");
  expect((await up).code).not.toBe(0);
  await sleep(holdMs + 500); // the cloud finishes what it received
}

describe.skipIf(!toolchain).each(["explicit", "auto"])("the CLI killed mid-create, %s names", (names) => {
  let emulator: RunningEmulator;
  let project: CliProject;
  const counts = async () => (await fetch(`${emulator.url}/_emulator/counts`)).json();

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, credentialEnv: {}, settings: { gaPendingMs: 200 } });
    project = await CliProject.create(toolchain!, { emulator, files: fourResources(), config: { "cli:names": names } });
    await upKilledMidCreate(project, emulator, 2500);
  }, 120_000);

  afterAll(async () => {
    await project?.destroy();
    await emulator?.close();
  }, 120_000);

  it("leaves four pending creates in the state and four objects in the cloud", async () => {
    const exported = await project.export();
    expect(exported.deployment.pending_operations?.map((o) => o.type)).toEqual(["creating", "creating", "creating", "creating"]);
    expect(await project.resources()).toEqual([]);
    expect(await counts()).toEqual({ teo: 2, organization: 1, ga: 1 });
  });

  it("edgeconf drift reports each pending create with the command that resolves it, exit 2", async () => {
    const r = await edgeconf(project, emulator, ["drift", await exportFile(project)]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout.match(/^interrupted /gm)).toHaveLength(4);
    expect(r.stdout).toContain("npx edgeconf recover --run --stack dev");
    expect(r.stdout).toMatch(/4 operation\(s\) of an interrupted run pending/);
  });

  it("edgeconf recover --run puts every object back; then one object per resource and nothing to do", async () => {
    const r = await edgeconf(project, emulator, ["recover", "--run"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.match(/exists as \S+: goes back into the state/g)).toHaveLength(4);
    const exported = await project.export();
    expect(exported.deployment.pending_operations ?? []).toEqual([]);
    expect((await project.resources()).map((x) => x.urn.split("::").pop()).sort()).toEqual(["eu", "office", "ops", "web"]);

    emulator.clearCalls();
    const preview = await project.run(["preview", "--expect-no-changes"]);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    const up = await project.run(["up", "--yes", "--expect-no-changes"]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(emulator.calls().filter((c) => CREATES.includes(c.action))).toEqual([]);
    expect(await counts()).toEqual({ teo: 2, organization: 1, ga: 1 });
    // and a second recover finds nothing left
    const again = await edgeconf(project, emulator, ["recover"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/nothing to recover/);
  }, 180_000);
});

/** `pulumi stack export --file`, as a drift job writes it. */
async function exportFile(project: CliProject): Promise<string> {
  const file = path.join(project.dir, "..", "export.json");
  await project.must(["stack", "export", "--file", file]);
  return file;
}
