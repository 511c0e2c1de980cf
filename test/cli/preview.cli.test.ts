/**
 * `edgeconf preview` on what the real `pulumi preview --json` prints, for the changes a pull request brings: a
 * 50,000-entry allow-list with 3 entries inserted and 1 removed, reordered records, a weight change, a delete-first
 * type change (also with --show-replacement-steps and --refresh), a changed secret, and a Check that fails. Then
 * what reviewers must read right: console drift found by `--refresh` apart from the pull request's change, an
 * adoption, and our provider's preview warnings as the real CLI carries them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SEED } from "../../emulator/core/defaults";
import { runPreview } from "../../commands/preview";
import { REFRESH_TITLE } from "../../commands/previewFormat";
import { CliProject, pulumiToolchain } from "../support/pulumiCli";
import { pullRequestScenarios, reviewScenarios } from "./programs";

const toolchain = pulumiToolchain();
const KEY = "cos-bucket-key-0a1b2c3d4e5f";
const ROTATED = "cos-bucket-key-rotated-9z8y";

let previews = 0;

/** `pulumi preview --json` with the given variant, written to a file as a CI step does, then the report. */
async function previewIn(project: CliProject, variant: string, ...flags: string[]) {
  await project.must(["config", "set", "cli:variant", variant || "none"]);
  const preview = await project.run(["preview", "--json", ...flags]);
  const file = path.join(project.dir, "..", `preview-${++previews}.json`);
  fs.writeFileSync(file, preview.stdout);
  const report = async (...args: string[]) => {
    let out = "";
    let err = "";
    const code = await runPreview([file, ...args], (s) => { out += `${s}\n`; }, (s) => { err += `${s}\n`; });
    return { code, out, err };
  };
  return { preview, raw: preview.stdout, report, json: async () => JSON.parse((await report("--format", "json")).out) };
}

describe.skipIf(!toolchain)("edgeconf preview on the real pulumi preview --json", () => {
  let emulator: RunningEmulator;
  let project: CliProject;

  const previewOf = (variant: string, ...flags: string[]) => previewIn(project, variant, ...flags);

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

describe.skipIf(!toolchain)("edgeconf preview: what reviewers must read right, on the real CLI", () => {
  let emulator: RunningEmulator;
  let project: CliProject;
  let existing: string;

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, credentialEnv: {} });
    project = await CliProject.create(toolchain!, { emulator, files: reviewScenarios() });
    await project.up();
    const teo = (emulator.services.teo.backend as unknown as { models: { createOriginGroup: Function } }).models;
    existing = teo.createOriginGroup(emulator.credentials.tencentSecretId, SEED.teoZoneId, { name: "taken", type: "HTTP", records: [{ record: "203.0.113.30", type: "IP_DOMAIN" }] });
  }, 240_000);

  afterAll(async () => {
    await project?.destroy();
    await emulator?.close();
  }, 240_000);

  it("reports what --refresh found changed in the console apart from the pull request's change", async () => {
    const web = (await project.resources()).find((r) => r.urn.endsWith("::web"))!;
    await emulator.services.teo.backend.admin("patchOriginGroup", {
      groupId: web.outputs!.groupId,
      patch: { Records: [{ Record: "203.0.113.10", Type: "IP_DOMAIN", Weight: 60 }, { Record: "origin.example.com", Type: "IP_DOMAIN", Weight: 5 }] },
    });
    const p = await previewIn(project, "weight", "--refresh");
    expect(p.preview.code, p.preview.stderr).toBe(0);
    // What pulumi v3.276.0 writes: a `refresh` step per resource holding the state before the refresh on both
    // sides, then the resource's own step, whose oldState is the refreshed (live) state.
    const digest = JSON.parse(p.raw);
    const steps = digest.steps.filter((s: any) => s.urn.endsWith("::web"));
    expect(steps.map((s: any) => s.op)).toEqual(["refresh", "update"]);
    expect(steps[0].newState).toEqual(steps[0].oldState);
    const weights = (state: any) => state.inputs.records.map((r: any) => r.weight);
    expect(weights(steps[0].oldState)).toEqual([60, 40]);
    expect(weights(steps[1].oldState)).toEqual([60, 5]);

    const json = await p.json();
    expect(json.refreshed).toHaveLength(1);
    expect(json.refreshed[0]).toMatchObject({ name: "web", kind: "OriginGroup" });
    expect(json.refreshed[0].records.changed).toEqual([{ record: "origin.example.com", fields: [{ property: "weight", old: 40, new: 5 }] }]);
    // the pull request's change is measured against the state before the refresh: only its own weight
    expect(json.resources.map((r: any) => [r.name, r.op])).toEqual([["web", "update"]]);
    expect(json.resources[0].records.changed).toEqual([{ record: "203.0.113.10", fields: [{ property: "weight", old: 60, new: 70 }] }]);
    const md = (await p.report("--format", "markdown")).out;
    expect(md).toMatch(/^### edgeconf preview: 1 to update; \d+ unchanged; 1 changed outside Pulumi \(found by refresh\)$/m);
    const [change, drift] = md.split(REFRESH_TITLE);
    expect(change).toContain("~ 203.0.113.10: weight: 60 → 70");
    expect(change).not.toContain("origin.example.com: weight");
    expect(drift).toContain("| OriginGroup `web` | changed outside Pulumi | records +0 −0 ~1 |");
    expect(drift).toContain("~ origin.example.com: weight: 40 → 5");

    // no change in the program: the update only puts the console edit back, and says so
    const restore = await previewIn(project, "", "--refresh");
    const restoring = await restore.json();
    expect(restoring.resources.map((r: any) => [r.name, r.op, r.restoresDrift])).toEqual([["web", "update", true]]);
    expect((await restore.report()).out).toMatch(/^~  OriginGroup web \(origin-[^)]+\): update \(puts back what was changed outside Pulumi\)$/m);

    // without --refresh the console edit is not seen at all
    const plain = await (await previewIn(project, "weight")).json();
    expect(plain.refreshed).toEqual([]);
    expect(plain.resources[0].records.changed).toEqual([{ record: "203.0.113.10", fields: [{ property: "weight", old: 60, new: 70 }] }]);
  }, 180_000);

  it("shows an adoption of the existing id and the provider's warnings with their resource", async () => {
    await project.must(["config", "set", "cli:adopt", existing]);
    try {
      const p = await previewIn(project, "warn");
      expect(p.preview.code, p.preview.stderr).toBe(0);
      // Our Check's warnings reach the digest as the CLI carries a provider's log: severity info#err, no urn.
      const diagnostics = JSON.parse(p.raw).diagnostics.filter((d: any) => /hostHeader|private/.test(d.message));
      expect(diagnostics.map((d: any) => [d.severity, d.urn])).toEqual([["info#err", undefined], ["info#err", undefined]]);
      const json = await p.json();
      const byName = Object.fromEntries(json.resources.map((r: any) => [r.name, r]));
      expect(byName.taken).toMatchObject({ op: "adopt", id: existing });
      expect(json.counts).toMatchObject({ create: 0, adopt: 1, update: 1 });
      expect(byName.plain.warnings).toEqual(expect.arrayContaining([
        expect.stringMatching(/^hostHeader has no effect on GENERAL groups/),
        expect.stringMatching(/^records\[0\]\.private has no effect on IP_DOMAIN records/),
      ]));
      const text = (await p.report()).out;
      expect(text).toMatch(/^edgeconf preview: 1 to adopt, 1 to update; \d+ unchanged; 1 flagged$/m);
      expect(text).toContain(`+= OriginGroup taken: adopt existing ${existing}`);
    } finally {
      await project.must(["config", "rm", "cli:adopt"]);
    }
  }, 180_000);
});
