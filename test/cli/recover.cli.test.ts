/**
 * An interrupted `pulumi up`, through the real CLI: the CLI killed while all four kinds are being created (the
 * emulator holds each create, then applies it, as a cloud does with a request already received). Pulumi keeps a
 * `creating` pending operation for each; `edgeconf drift` reports them; `edgeconf recover --run` puts every
 * object back under the stack; then exactly one object per declared resource, no orphan, and nothing to do.
 * Explicit names and autonames alike (the pending operation holds the autoname the create sent).
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { CliProject, pulumiToolchain } from "../support/pulumiCli";
import { fourResources } from "./programs";

const toolchain = pulumiToolchain();
const CREATES = ["CreateOriginGroup", "CreateSecurityIPGroup", "CreateGroup", "CreateEndpointGroup"];

describe.skipIf(!toolchain).each(["explicit", "auto"])("the CLI killed mid-create, %s names", (names) => {
  let emulator: RunningEmulator;
  let project: CliProject;
  const counts = async () => (await fetch(`${emulator.url}/_emulator/counts`)).json();

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, credentialEnv: {}, settings: { gaPendingMs: 200 } });
    project = await CliProject.create(toolchain!, { emulator, files: fourResources(), config: { "cli:names": names } });
    const up = await project.interrupted(["up", "--yes", "--skip-preview"], CREATES, "cli");
    expect(up.code).not.toBe(0);
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
    const r = await project.edgeconf(["drift", await exportFile(project)]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout.match(/^interrupted /gm)).toHaveLength(4);
    expect(r.stdout).toContain("npx edgeconf recover --run --stack dev");
    expect(r.stdout).toMatch(/4 operation\(s\) of an interrupted run pending/);
  });

  it("edgeconf recover --run puts every object back; then one object per resource and nothing to do", async () => {
    const r = await project.edgeconf(["recover", "--run"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    console.info(`[recover, ${names} names]\n${r.stdout}${r.stderr}`);
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
    const again = await project.edgeconf(["recover"]);
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
