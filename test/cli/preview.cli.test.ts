/**
 * `edgeconf preview` on what the real `pulumi preview --json` prints, for the changes a pull request brings: a
 * 50,000-entry allow-list with 3 entries inserted and 1 removed, reordered records, a weight change, a delete-first
 * type change (also with --show-replacement-steps and --refresh), a changed secret, and a Check that fails.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runPreview } from "../../commands/preview";
import { CliProject, pulumiToolchain } from "../support/pulumiCli";
import { pullRequestScenarios } from "./programs";

const toolchain = pulumiToolchain();
const KEY = "cos-bucket-key-0a1b2c3d4e5f";
const ROTATED = "cos-bucket-key-rotated-9z8y";

describe.skipIf(!toolchain)("edgeconf preview on the real pulumi preview --json", () => {
  let emulator: RunningEmulator;
  let project: CliProject;
  let n = 0;

  /** `pulumi preview --json` with the given variant, written to a file as a CI step does, then the report. */
  async function previewOf(variant: string, ...flags: string[]) {
    await project.must(["config", "set", "cli:variant", variant || "none"]);
    const preview = await project.run(["preview", "--json", ...flags]);
    const file = path.join(project.dir, "..", `preview-${++n}.json`);
    fs.writeFileSync(file, preview.stdout);
    const report = async (...args: string[]) => {
      let out = "";
      let err = "";
      const code = await runPreview([file, ...args], (s) => { out += `${s}\n`; }, (s) => { err += `${s}\n`; });
      return { code, out, err };
    };
    return { preview, raw: preview.stdout, report, json: async () => JSON.parse((await report("--format", "json")).out) };
  }

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, credentialEnv: {} });
    project = await CliProject.create(toolchain!, { emulator, files: pullRequestScenarios() });
    await project.must(["config", "set", "--secret", "cli:cosKey", KEY]);
    await project.up();
  }, 240_000);

  afterAll(async () => {
    await project?.destroy();
    await emulator?.close();
  }, 240_000);

  it("names exactly the 3 inserted and the 1 removed of 50,000 entries, canonical", async () => {
    const p = await previewOf("ips");
    expect(p.preview.code, p.preview.stderr).toBe(0);
    const json = await p.json();
    expect(json.resources.map((r: any) => [r.name, r.op])).toEqual([["allow", "update"]]);
    expect(json.resources[0].content).toEqual({ added: ["198.51.100.7", "2001:db8::/48", "203.0.113.0/25"], removed: ["10.0.156.64"], total: 50_002 });
    const text = (await p.report()).out;
    expect(text).toMatch(/content: \+3 −1 \(50002 entries after\)/);
    expect(text.split("\n").length).toBeLessThan(30);
  }, 120_000);

  it("finds no change in reordered records, and names a weight change by record", async () => {
    const reordered = await previewOf("reorder");
    expect((await reordered.json()).resources).toEqual([]);
    const weight = await previewOf("weight");
    const json = await weight.json();
    expect(json.resources.map((r: any) => [r.name, r.op])).toEqual([["web", "update"]]);
    expect(json.resources[0].records.changed).toEqual([{ record: "203.0.113.10", fields: [{ property: "weight", old: 60, new: 70 }] }]);
  }, 120_000);

  it("reports a type change as a delete-first replacement, with and without replacement steps and --refresh", async () => {
    for (const flags of [[], ["--show-replacement-steps"], ["--refresh"]]) {
      const p = await previewOf("type", ...flags);
      expect(p.preview.code, p.preview.stderr).toBe(0);
      const json = await p.json();
      expect(json.resources.map((r: any) => [r.name, r.op, r.deleteFirst]), flags.join(" ")).toEqual([["web", "replace", true]]);
      expect(json.resources[0].replaceReasons).toEqual(["type"]);
      expect((await p.report()).out).toMatch(/replace, delete first \(because of type\)/);
    }
  }, 180_000);

  it("reports a changed secret as changed, and its value appears nowhere", async () => {
    await project.must(["config", "set", "--secret", "cli:cosKey", ROTATED]);
    try {
      const p = await previewOf("");
      const json = await p.json();
      expect(json.resources.map((r: any) => [r.name, r.op])).toEqual([["assets", "update"]]);
      const all = p.raw + JSON.stringify(json) + (await p.report()).out + (await p.report("--format", "markdown")).out;
      for (const secret of [KEY, ROTATED]) expect(all).not.toContain(secret);
      expect(JSON.stringify(json.resources[0])).toMatch(/changed/);
    } finally {
      await project.must(["config", "set", "--secret", "cli:cosKey", KEY]);
    }
  }, 120_000);

  it("exits 1 with the property and the rule when the Check fails", async () => {
    const p = await previewOf("bad");
    expect(p.preview.code).not.toBe(0);
    const r = await p.report();
    expect(r.code).toBe(1);
    expect(r.out + r.err).toMatch(/records\[2\]\.record/);
    expect(r.out + r.err).toMatch(/loopback|127\.0\.0\.1/);
  }, 120_000);
});
