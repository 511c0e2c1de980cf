/**
 * Runs interrupted where a user's would be, through the real CLI: the provider process killed mid-create (Pulumi
 * records a failed create and keeps no pending operation), and replacements interrupted between their halves,
 * delete-first (OriginGroup `type`) and create-first (EndpointGroup `regionId`). Each time: what `edgeconf drift`
 * and the next `up` say, then `edgeconf recover --run`, then exactly one object per declared resource and nothing
 * left to do.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { CliProject, pulumiToolchain } from "../support/pulumiCli";
import { fourResources } from "./programs";

const toolchain = pulumiToolchain();
const CREATES = ["CreateOriginGroup", "CreateSecurityIPGroup", "CreateGroup", "CreateEndpointGroup"];

describe.skipIf(!toolchain)("interrupted runs through the real pulumi CLI", () => {
  let emulator: RunningEmulator;
  let project: CliProject;
  const live = (service: "teo" | "organization" | "ga", op: string) => (emulator.services as any)[service].backend.admin(op, {}) as Promise<any[]>;
  const counts = async () => (await fetch(`${emulator.url}/_emulator/counts`)).json();
  /** After recovery: nothing to do, and a no-op up creates nothing. */
  async function settled() {
    const preview = await project.run(["preview", "--expect-no-changes"]);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    expect((await project.export()).deployment.pending_operations ?? []).toEqual([]);
  }

  beforeEach(async () => {
    emulator = await startEmulator({ quiet: true, credentialEnv: {}, settings: { gaPendingMs: 200 } });
    project = await CliProject.create(toolchain!, { emulator, files: fourResources() });
  }, 120_000);

  afterEach(async () => {
    await project?.destroy();
    await emulator?.close();
  }, 120_000);

  it("the provider killed mid-create: the next up names the recover command, which finds all four", async () => {
    const up = await project.interrupted(["up", "--yes", "--skip-preview"], CREATES, "provider");
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toMatch(/error reading from server|transport is closing|EOF/);
    // Pulumi counts these creates as failed: no pending operation, no resource, yet the cloud has all four
    expect((await project.export()).deployment.pending_operations ?? []).toEqual([]);
    expect(await project.resources()).toEqual([]);
    expect(await counts()).toEqual({ teo: 2, organization: 1, ga: 1 });

    const web = "urn:pulumi:dev::cli::pulumi-nodejs:dynamic/tencentcloud/teo:OriginGroup::web";
    const again = await project.run(["up", "--yes", "--skip-preview", "--target", web]);
    expect(again.code).not.toBe(0);
    expect(again.stdout).toMatch(/OriginNameExists[^\n]*`npx edgeconf recover --run` puts it back under the stack/);

    const r = await project.edgeconf(["recover", "--run"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/4 declared resource\(s\) that no state holds but the cloud has/);
    await settled();
    expect(await counts()).toEqual({ teo: 2, organization: 1, ga: 1 });
  }, 240_000);

  it.each(["cli", "provider"] as const)("a delete-first replacement with the %s killed between delete and create: drift raises no false alarm, recover completes it", async (victim) => {
    expect((await project.run(["up", "--yes", "--skip-preview"])).code).toBe(0);
    await project.must(["config", "set", "cli:originType", "GENERAL"]);
    const up = await project.interrupted(["up", "--yes", "--skip-preview"], ["CreateOriginGroup"], victim);
    expect(up.code).not.toBe(0);
    const exported = await project.export();
    const web = exported.deployment.resources!.find((r) => r.urn.endsWith("::web"))!;
    expect(web.pendingReplacement).toBe(true);

    const drift = await project.edgeconf(["drift", await exportTo(project)]);
    expect(drift.stdout).not.toMatch(/gone|deleted outside Pulumi/);
    expect(drift.stdout).toMatch(/^replacing +OriginGroup web .*deleted by Pulumi for a delete-first replacement/m);
    // a killed CLI leaves the create pending (a person must act); a killed provider, a failed create
    if (victim === "cli") expect(drift.stdout).toMatch(/^interrupted +OriginGroup web/m);
    expect(drift.code).toBe(victim === "cli" ? 2 : 0);

    const r = await project.edgeconf(["recover", "--run"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    await settled();
    const groups = await live("teo", "listOriginGroups");
    expect(groups.map((g) => [g.Name, g.Type])).toEqual([["web-origins", "GENERAL"]]);
    expect((await project.resources()).filter((x) => x.urn.endsWith("::web")).map((x) => x.id)).toEqual([groups[0].GroupId]);
  }, 240_000);

  it.each(["cli", "provider"] as const)("a create-first replacement with the %s killed after the create: recover keeps the new group, the next up deletes the old", async (victim) => {
    expect((await project.run(["up", "--yes", "--skip-preview"])).code).toBe(0);
    const [old] = await live("ga", "listEndpointGroups");
    await project.must(["config", "set", "cli:regionId", "ap-southeast-1"]);
    const up = await project.interrupted(["up", "--yes", "--skip-preview"], ["CreateEndpointGroup"], victim);
    expect(up.code).not.toBe(0);
    expect((await live("ga", "listEndpointGroups")).map((g) => g.regionId).sort()).toEqual(["ap-southeast-1", "eu-west-101"]);

    const r = await project.edgeconf(["recover", "--run"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const up2 = await project.run(["up", "--yes", "--skip-preview"]);
    expect(up2.code, up2.stdout + up2.stderr).toBe(0);
    await settled();
    const groups = (await live("ga", "listEndpointGroups")).filter((g) => g.status !== "DELETING");
    expect(groups.map((g) => g.regionId)).toEqual(["ap-southeast-1"]);
    expect(groups[0].id).not.toBe(old.id);
  }, 240_000);
});

async function exportTo(project: CliProject): Promise<string> {
  const file = `${project.dir}/../export-${Date.now()}.json`;
  await project.must(["stack", "export", "--file", file]);
  return file;
}
