/**
 * All four resources through the real `pulumi` CLI against the emulator, in the order a user meets them:
 * up, no-change preview and refresh, a console edit found by `preview --refresh`, converge, replacements both
 * ways, get() and adoption, destroy. Credentials are `pulumi config set --secret`, as the README says.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { CliProject, pulumiToolchain, type CliResult } from "../support/pulumiCli";
import { BUCKET_SECRET, fourResources } from "./programs";

const toolchain = pulumiToolchain();
const MUTATING = /^(Create|Modify|Update|Delete|Bind|Unbind|Add|Remove)/;

describe.skipIf(!toolchain)("four resources through the real pulumi CLI", () => {
  let emulator: RunningEmulator;
  let project: CliProject;
  const transcript: CliResult[] = [];
  const run = async (args: string[]) => {
    const r = await project.run(args);
    transcript.push(r);
    return r;
  };
  const counts = async () => (await fetch(`${emulator.url}/_emulator/counts`)).json();
  const live = (service: "teo" | "organization" | "ga", op: string) => (emulator.services as any)[service].backend.admin(op, {}) as Promise<any[]>;

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, credentialEnv: {}, settings: { gaPendingMs: 300 } });
    project = await CliProject.create(toolchain!, { emulator, files: fourResources(), config: { "cli:cosSecretKey": BUCKET_SECRET } });
    // the bucket key is a secret like the credentials
    await project.must(["config", "set", "--secret", "cli:cosSecretKey", BUCKET_SECRET]);
  }, 120_000);

  afterAll(async () => {
    await project?.destroy();
    await emulator?.close();
  }, 120_000);

  it("up creates all four; a second preview and a refresh find nothing to do and make no write", async () => {
    const up = await run(["up", "--yes"]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toMatch(/\+ 5 created/);
    expect(await counts()).toEqual({ teo: 2, organization: 1, ga: 1 });

    emulator.clearCalls();
    const preview = await run(["preview", "--expect-no-changes"]);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    const refresh = await run(["refresh", "--yes", "--expect-no-changes"]);
    expect(refresh.code, refresh.stdout + refresh.stderr).toBe(0);
    expect(emulator.calls().filter((c) => MUTATING.test(c.action))).toEqual([]);
    const noop = await run(["up", "--yes", "--expect-no-changes"]);
    expect(noop.code, noop.stdout + noop.stderr).toBe(0);
    expect(emulator.calls().filter((c) => MUTATING.test(c.action))).toEqual([]);
  }, 180_000);

  it("a console edit shows in preview --refresh as exactly that resource, and up --refresh converges", async () => {
    const [ipGroup] = await live("teo", "listSecurityIPGroups");
    await emulator.services.teo.backend.admin("patchSecurityIPGroup", { groupId: ipGroup.GroupId, Content: [...ipGroup.Content, "192.0.2.99"] });

    const drift = await run(["preview", "--refresh", "--expect-no-changes", "--json"]);
    expect(drift.code).not.toBe(0);
    const digest = JSON.parse(drift.stdout);
    const changed = digest.steps.filter((s: any) => s.op !== "same" && s.op !== "refresh");
    expect(changed.map((s: any) => [s.op, s.urn.split("::").pop()])).toEqual([["update", "office"]]);
    // the CLI names no changed property for a dynamic resource (the provider reports none): the inputs tell
    expect(changed[0].oldState.outputs.content).toContain("192.0.2.99");
    expect(changed[0].newState.inputs.content).not.toContain("192.0.2.99");

    // edgeconf drift names the same change, from an export with and without --show-secrets, printing no secret
    for (const show of [[], ["--show-secrets"]]) {
      const file = `${project.dir}/../export${show.length}.json`;
      await project.must(["stack", "export", "--file", file, ...show]);
      const drift = await project.edgeconf(["drift", file]);
      transcript.push(drift);
      expect(drift.code, drift.stdout + drift.stderr).toBe(2);
      expect(drift.stdout).toMatch(/^drifted +SecurityIPGroup office \(\d+\)\n +content: \+1 −0 \(4 entries after\)\n +added: 192\.0\.2\.99$/m);
      expect(drift.stdout.match(/^drifted/gm)).toHaveLength(1);
      expect(drift.stdout).toMatch(/1 of 4 resource\(s\) drifted/);
    }

    const converge = await run(["up", "--refresh", "--yes"]);
    expect(converge.code, converge.stdout + converge.stderr).toBe(0);
    const [after] = await live("teo", "listSecurityIPGroups");
    expect([...after.Content].sort()).toEqual([...ipGroup.Content].sort());
    const clean = await run(["preview", "--refresh", "--expect-no-changes"]);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
  }, 180_000);

  it("no credential and no bucket key appears in clear in the CLI's output or in stack export", async () => {
    const secrets = [emulator.credentials.tencentSecretKey, emulator.credentials.huaweiSecretKey, BUCKET_SECRET];
    const exported = JSON.stringify(await project.export());
    const text = [...transcript.map((r) => r.stdout + r.stderr), exported].join("\n");
    for (const s of secrets) expect(text.includes(s), `secret ${s.slice(0, 4)}… in clear`).toBe(false);
    // and the bucket key is really there, encrypted: --show-secrets reveals it
    expect(JSON.stringify(await project.export(true))).toContain(BUCKET_SECRET);
  }, 60_000);

  it("a type change replaces the origin group delete-first; a region change replaces the endpoint group create-first", async () => {
    const [before] = await live("teo", "listOriginGroups");
    const [euBefore] = await live("ga", "listEndpointGroups");
    await project.must(["config", "set", "cli:originType", "GENERAL"]);
    await project.must(["config", "set", "cli:regionId", "ap-southeast-1"]);

    const preview = await run(["preview", "--json"]);
    expect(preview.code, preview.stderr).toBe(0);
    const steps = JSON.parse(preview.stdout).steps.filter((s: any) => s.op === "replace");
    const byName = Object.fromEntries(steps.map((s: any) => [s.urn.split("::").pop(), s]));
    expect(Object.keys(byName).sort()).toEqual(["eu", "web"]);
    // how the CLI's JSON tells the two orders apart
    expect(byName.web.oldState.pendingReplacement).toBe(true);
    expect(byName.eu.oldState.delete).toBe(true);
    expect(byName.web.replaceReasons).toEqual(["type"]);
    expect(byName.eu.replaceReasons).toEqual(["regionId"]);

    const up = await run(["up", "--yes", "--show-replacement-steps"]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    // delete-first: the old group is gone before the new one exists (names are unique in a zone)
    expect(up.stdout).toMatch(/--\s+pulumi-nodejs:dynamic\/tencentcloud\/teo:OriginGroup web deleted original/);
    const groups = await live("teo", "listOriginGroups");
    expect(groups.map((g) => [g.Name, g.Type])).toEqual([["web-origins", "GENERAL"]]);
    expect(groups[0].GroupId).not.toBe(before.GroupId);
    const eus = (await live("ga", "listEndpointGroups")).filter((g) => g.status !== "DELETING");
    expect(eus.map((g) => g.regionId)).toEqual(["ap-southeast-1"]);
    expect(eus[0].id).not.toBe(euBefore.id);
    expect((await run(["preview", "--expect-no-changes"])).code).toBe(0);
  }, 240_000);

  it("get() reads an existing group through the CLI", async () => {
    const [group] = await live("teo", "listOriginGroups");
    await project.must(["config", "set", "cli:getOrigin", group.GroupId]);
    const up = await run(["up", "--yes"]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    const outputs = JSON.parse((await project.must(["stack", "output", "--json"])).stdout);
    expect(outputs.seenRecords).toEqual(group.Records.map((r: any) => r.Record));
    const seen = (await project.export()).deployment.resources!.find((r) => r.urn.endsWith("::seen"));
    expect(seen?.external).toBe(true);
    await project.must(["config", "rm", "cli:getOrigin"]);
    expect((await run(["up", "--yes"])).code).toBe(0);
    expect((await live("teo", "listOriginGroups")).map((g) => g.GroupId)).toEqual([group.GroupId]); // get() never deletes
  }, 180_000);

  it("adoptId takes over a live group that no state holds: no create, same id, then nothing to do", async () => {
    const [group] = await live("teo", "listOriginGroups");
    const web = (await project.resources()).find((r) => r.urn.endsWith("::web"))!;
    await project.must(["state", "delete", web.urn, "--yes"]);
    await project.must(["config", "set", "cli:adoptOrigin", group.GroupId]);
    emulator.clearCalls();
    const up = await run(["up", "--yes"]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(emulator.calls().map((c) => c.action)).not.toContain("CreateOriginGroup");
    expect((await project.resources()).find((r) => r.urn.endsWith("::web"))?.id).toBe(group.GroupId);
    expect((await live("teo", "listOriginGroups")).map((g) => g.GroupId)).toEqual([group.GroupId]);
    expect((await run(["preview", "--expect-no-changes"])).code).toBe(0);
  }, 180_000);

  it("destroy leaves the emulator empty", async () => {
    const r = await run(["destroy", "--yes"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await counts()).toEqual({ teo: 0, organization: 0, ga: 0 });
  }, 120_000);
});
