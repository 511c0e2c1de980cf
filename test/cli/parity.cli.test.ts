/**
 * One engine semantics: the same stack through the engine stand-in (engine/, which serves `npm start` without a
 * CLI, the fault campaigns and the bench) and through the real `pulumi` CLI, compared where the stand-in claims
 * to match: the preview digest (steps per resource in order, the replacement flags of their old states, replace
 * reasons, change summary), check failures' messages, and the state `up` leaves (ids, input and output keys,
 * which values are secret). What still differs, and why, is in engine/README.md.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SEED } from "../../emulator/core/defaults";
import { Engine } from "../../engine/engine";
import { previewDigest } from "../../engine/previewJson";
import { isSecretEnvelope } from "../../engine/state";
import { EndpointGroup, OriginGroup, SecurityIPGroup, UserGroup } from "../../provider";
import { CliProject, ROOT, pulumiToolchain } from "../support/pulumiCli";
import { BUCKET_SECRET, fourResources } from "./programs";

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

type Digest = { steps: any[]; changeSummary: Record<string, number>; diagnostics?: { message: string }[] };

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
    const r = await engine.preview(inProcess(k));
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
});
