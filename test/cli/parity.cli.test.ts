/**
 * One engine semantics: the same stack through the engine stand-in (engine/, which serves `npm start` without a
 * CLI, the fault campaigns and the bench) and through the real `pulumi` CLI, compared where the stand-in claims
 * to match: the preview digest (steps per resource in order, the replacement flags of their old states, replace
 * reasons, change summary), `preview --refresh` after a console edit (the refresh steps, which states they hold,
 * and what `edgeconf preview` reads from them), check failures' messages, the provider's warnings, and the state
 * `up` leaves (ids, input and output keys, which values are secret). What still differs, and why, is in
 * engine/README.md.
 */
import { isDeepStrictEqual } from "node:util";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SEED } from "../../emulator/core/defaults";
import { Engine } from "../../engine/engine";
import { previewDigest } from "../../engine/previewJson";
import { previewReport } from "../../commands/previewReport";
import { isSecretEnvelope } from "../../engine/state";
import { EndpointGroup, OriginGroup, SecurityIPGroup, UserGroup } from "../../provider";
import { CliProject, ROOT, pulumiToolchain } from "../support/pulumiCli";
import { BUCKET_SECRET, fourResources, reviewScenarios } from "./programs";

const toolchain = pulumiToolchain();

interface Knobs { originType?: string; regionId?: string; dial?: number }

/** test/cli/programs.ts fourResources (explicit names), for the stand-in, which runs programs in-process. */
function inProcess(k: Knobs) {
  return () => {
    new OriginGroup("web", {
      zoneId: SEED.teoZoneId, name: "web-origins", type: (k.originType ?? "HTTP") as "HTTP" | "GENERAL",
      records: [
        { record: "203.0.113.10", weight: 60 },
        { record: "origin.example.com", weight: 40 },
        ...(k.originType === "GENERAL" ? [] : [{
          record: "assets-1250000000.cos.ap-guangzhou.myqcloud.com", type: "COS" as const, weight: 0, private: true,
          privateParameters: [{ name: "SecretAccessKey", value: pulumi.secret(BUCKET_SECRET) }, { name: "AccessKeyId", value: "AKIDcosaccess" }],
        }]),
      ],
    });
    new SecurityIPGroup("office", { zoneId: SEED.teoZoneId, name: "office-allowlist", content: ["198.51.100.0/24", "203.0.113.7", "2001:db8::/48"] });
    new UserGroup("ops", { zoneId: SEED.cicZoneId, groupName: "edge-operators", description: "People who change edge configuration" });
    new EndpointGroup("eu", { listenerId: SEED.gaListenerId, regionId: k.regionId ?? "eu-west-101", name: "web-eu", trafficDialPercentage: k.dial ?? 0 });
  };
}

/** test/cli/programs.ts reviewScenarios with the variant `warn`: a GENERAL group with inputs that have no effect. */
function warnInProcess() {
  new OriginGroup("web", { zoneId: SEED.teoZoneId, name: "web-origins", type: "HTTP", records: [{ record: "203.0.113.10", weight: 60 }, { record: "origin.example.com", weight: 40 }] });
  new OriginGroup("plain", { zoneId: SEED.teoZoneId, name: "plain", type: "GENERAL", hostHeader: "www.example.com", records: [{ record: "203.0.113.20", private: true }] });
}

type Digest = { steps: any[]; changeSummary: Record<string, number>; diagnostics?: { message: string; severity: string; urn?: string }[] };

/** Per resource, its steps in order with what the comparison holds the stand-in to. */
function shape(d: Digest) {
  const out: Record<string, string[]> = {};
  for (const s of d.steps) {
    const name = s.urn.split("::").pop();
    const flags = [s.oldState?.pendingReplacement && "pendingReplacement", s.oldState?.delete && "delete", s.replaceReasons && `because ${s.replaceReasons}`].filter(Boolean);
    (out[name] ??= []).push([s.op, ...flags].join(" "));
  }
  return out;
}

/**
 * Per resource `--refresh` read: whether its `refresh` step holds one state on both sides, and which inputs differ
 * between that state and the oldState of the resource's next step (the read's result; "gone" when it has none).
 */
function refreshShape(d: Digest) {
  return Object.fromEntries(d.steps.filter((s) => s.op === "refresh").map((r) => {
    const next = d.steps.find((s) => s.urn === r.urn && s.op !== "refresh");
    const before: Record<string, unknown> = r.oldState?.inputs ?? {};
    const after: Record<string, unknown> | undefined = next?.oldState?.inputs;
    const read = after ? [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !isDeepStrictEqual(before[k], after[k])).sort() : "gone";
    return [r.urn.split("::").pop(), { oneState: r.oldState !== undefined && isDeepStrictEqual(r.oldState, r.newState), read }];
  }));
}

/** What `edgeconf preview` makes of a digest, without the ids (each side has its own cloud), by name (steps run in parallel). */
function reportShape(d: Digest) {
  const report = previewReport(d as any);
  const byName = <T extends { id?: string; urn: string; name: string }>(rs: T[]) =>
    rs.map(({ id, urn, ...rest }) => rest).sort((a, b) => a.name.localeCompare(b.name));
  return { resources: byName(report.resources), refreshed: byName(report.refreshed), warnings: report.warnings, counts: report.counts };
}

/** Each resource's state as far as the two must agree: id present, keys, and where secrets are. */
function stateShape(resources: any[]) {
  const secretPaths = (v: unknown, p = ""): string[] =>
    isSecretEnvelope(v) ? [p] : Array.isArray(v) ? v.flatMap((x, i) => secretPaths(x, `${p}[${i}]`))
      : v && typeof v === "object" ? Object.entries(v).flatMap(([k, x]) => secretPaths(x, p ? `${p}.${k}` : k)) : [];
  return Object.fromEntries(resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).map((r) => [r.urn.split("::").pop(), {
    id: typeof r.id === "string" && r.id !== "",
    inputs: Object.keys(r.inputs ?? {}).sort(),
    outputs: Object.keys(r.outputs ?? {}).sort(),
    secrets: [...secretPaths(r.inputs).map((p) => `inputs.${p}`), ...secretPaths(r.outputs).map((p) => `outputs.${p}`)].sort(),
  }]));
}

describe.skipIf(!toolchain)("the engine stand-in agrees with the real CLI", () => {
  // one emulator each (same seeded zone, space and listener), so both hold the same stack at once
  let cloud: RunningEmulator;
  let standInCloud: RunningEmulator;
  let project: CliProject;
  let engine: Engine;

  async function both(k: Knobs, cliFlags: string[] = []): Promise<{ cli: Digest; standIn: Digest }> {
    for (const [key, value] of Object.entries({ originType: k.originType, regionId: k.regionId, dial: k.dial })) {
      if (value === undefined) await project.must(["config", "rm", `cli:${key}`]);
      else await project.must(["config", "set", `cli:${key}`, String(value)]);
    }
    const cli = JSON.parse((await project.run(["preview", "--json", ...cliFlags])).stdout);
    const r = await engine.preview(inProcess(k), { refresh: cliFlags.includes("--refresh") });
    const standIn = previewDigest(r, {
      showReplacementSteps: cliFlags.includes("--show-replacement-steps"), config: standInCloud.stackConfig, secretKeys: standInCloud.stackSecretKeys,
    });
    return { cli, standIn: JSON.parse(JSON.stringify(standIn)) };
  }

  beforeAll(async () => {
    cloud = await startEmulator({ quiet: true, credentialEnv: {}, settings: { gaPendingMs: 100 } });
    standInCloud = await startEmulator({ quiet: true, credentialEnv: {}, settings: { gaPendingMs: 100 } });
    project = await CliProject.create(toolchain!, { emulator: cloud, files: fourResources() });
    await project.must(["config", "set", "--secret", "cli:cosSecretKey", BUCKET_SECRET]);
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-parity-"));
    engine = new Engine({
      dir: ROOT, project: "cli", stack: "dev", stateFile: path.join(stateDir, "dev.json"),
      emulatorUrl: standInCloud.url, config: standInCloud.stackConfig, secretKeys: standInCloud.stackSecretKeys,
    });
  }, 180_000);

  afterAll(async () => {
    await engine?.destroy();
    await engine?.close();
    await project?.destroy();
    await cloud?.close();
    await standInCloud?.close();
  }, 180_000);

  it("previews a new stack alike: the same creates, the default provider neither a step nor counted", async () => {
    const { cli, standIn } = await both({});
    expect(shape(standIn)).toEqual(shape(cli));
    expect(standIn.changeSummary).toEqual(cli.changeSummary);
  }, 120_000);

  it("leaves the same state after up: ids, input and output keys, secrets in the same places", async () => {
    expect((await project.run(["up", "--yes", "--skip-preview"])).code).toBe(0);
    const up = await engine.up(inProcess({}));
    expect(up.errors).toEqual([]);
    expect(stateShape(engine.exportState().deployment.resources)).toEqual(stateShape((await project.export()).deployment.resources!));
  }, 180_000);

  it.each([[["--show-replacement-steps"]], [[]]])("previews replacements both ways alike, step by step (%j)", async (flags) => {
    const { cli, standIn } = await both({ originType: "GENERAL", regionId: "ap-southeast-1" }, flags);
    expect(shape(standIn)).toEqual(shape(cli));
    expect(standIn.changeSummary).toEqual(cli.changeSummary);
  }, 120_000);

  it("reports a failed check alike, but for the value the CLI quotes", async () => {
    const { cli, standIn } = await both({ dial: 150 });
    const unquoted = (d: Digest) => (d.diagnostics ?? []).map((x) => x.message.replace(/ value \{[^}]*\}/, ""));
    expect(unquoted(standIn)).toEqual(unquoted(cli));
    expect(unquoted(cli)).toEqual(["error: pulumi-nodejs:dynamic/huaweicloud/ga:EndpointGroup resource 'eu': property trafficDialPercentage has a problem: must be 0-100\n"]);
  }, 120_000);

  it("previews --refresh after console edits alike: the reads as refresh steps, the drift apart from the program's change", async () => {
    // the same console edits on each side's cloud: the user group's description changed, the IP group deleted
    const cliIds = Object.fromEntries((await project.resources()).map((r) => [r.urn.split("::").pop(), r.outputs!.groupId]));
    for (const [where, id] of [[cloud, (name: string) => cliIds[name]], [standInCloud, (name: string) => engine.outputs(name)!.groupId]] as const) {
      await where.services.organization.backend.admin("patchGroup", { groupId: id("ops"), Description: "edited in the console" });
      await where.services.teo.backend.admin("deleteSecurityIPGroup", { groupId: id("office") });
    }
    const { cli, standIn } = await both({ dial: 10 }, ["--refresh"]);
    expect(shape(standIn)).toEqual(shape(cli));
    expect(shape(cli)).toMatchObject({
      "cli-dev": ["refresh", "same"], ops: ["refresh", "update"], office: ["refresh", "create"], eu: ["refresh", "update"], web: ["refresh"],
    });
    expect(standIn.changeSummary).toEqual(cli.changeSummary);
    expect(refreshShape(standIn)).toEqual(refreshShape(cli));
    expect(refreshShape(cli)).toMatchObject({ ops: { oneState: true, read: ["description"] }, office: { oneState: true, read: "gone" } });
    expect(reportShape(standIn)).toEqual(reportShape(cli));
    const report = reportShape(cli);
    expect(report.refreshed).toMatchObject([
      { name: "office", gone: true },
      { name: "ops", fields: [{ property: "description", old: "People who change edge configuration", new: "edited in the console" }] },
    ]);
    expect(report.resources.map((r) => [r.name, r.op, r.restoresDrift ?? false])).toEqual([["eu", "update", false], ["office", "create", false], ["ops", "update", true]]);
  }, 120_000);

  it("carries the provider's check warnings alike: info#err, no urn, the line the provider printed", async () => {
    const warnProject = await CliProject.create(toolchain!, { emulator: cloud, files: reviewScenarios() });
    const fresh = new Engine({ dir: ROOT, project: "cli", stack: "dev", emulatorUrl: standInCloud.url, config: standInCloud.stackConfig, secretKeys: standInCloud.stackSecretKeys });
    try {
      await warnProject.must(["config", "set", "cli:variant", "warn"]);
      const cli = JSON.parse((await warnProject.must(["preview", "--json"])).stdout) as Digest;
      const standIn = JSON.parse(JSON.stringify(previewDigest(await fresh.preview(warnInProcess)))) as Digest;
      expect(standIn.diagnostics).toEqual(cli.diagnostics);
      expect(cli.diagnostics).toContainEqual({
        message: "warning: [runtime] [edgeconf] OriginGroup plain: hostHeader has no effect on GENERAL groups: the origin-pull Host header only works when type is HTTP; kept as written\n\n",
        severity: "info#err",
      });
      expect(reportShape(standIn).resources.map((r) => [r.name, r.warnings])).toEqual(reportShape(cli).resources.map((r) => [r.name, r.warnings]));
    } finally {
      await fresh.close();
      await warnProject.destroy();
    }
  }, 120_000);
});
