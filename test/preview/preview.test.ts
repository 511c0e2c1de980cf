/**
 * `edgeconf preview` on preview JSON in the CLI's exact shape: each digest comes from a real preview through the
 * engine stand-in (Pulumi's dynamic-provider process over gRPC, the emulator behind it), written by
 * engine/previewJson.ts and read back from a file, as CI reads what `pulumi preview --json` printed.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SEED } from "../../emulator/core/defaults";
import { Engine, type OperationResult } from "../../engine/engine";
import { previewDigest, type DigestOptions } from "../../engine/previewJson";
import { EndpointGroup, OriginGroup, SecurityIPGroup, UserGroup } from "../../provider";
import { runPreview } from "../../commands/preview";
import type { PreviewDigest } from "../../commands/previewDigest";

const ROOT = path.resolve(__dirname, "..", "..");
const FORMATS = ["text", "markdown", "json"] as const;

const ip = (n: number) => `10.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
const ips = (from: number, count: number) => Array.from({ length: count }, (_, i) => ip(from + i));

interface Run { code: number; out: string; err: string; ms: number }

describe("edgeconf preview", () => {
  let emulator: RunningEmulator;
  let dir: string;
  let files = 0;

  const engine = () => new Engine({
    dir: ROOT,
    emulatorUrl: emulator.url,
    config: emulator.stackConfig,
    secretKeys: emulator.stackSecretKeys,
    keepProvider: true,
  });
  const write = (content: string) => {
    const file = path.join(dir, `input-${++files}.json`);
    fs.writeFileSync(file, content);
    return file;
  };
  const digestOf = (r: OperationResult, opts: DigestOptions = {}): PreviewDigest =>
    previewDigest(r, { config: emulator.stackConfig, secretKeys: emulator.stackSecretKeys, ...opts });
  const run = async (args: string[]): Promise<Run> => {
    let out = "";
    let err = "";
    const started = performance.now();
    const code = await runPreview(args, (s) => { out += `${s}\n`; }, (s) => { err += `${s}\n`; });
    return { code, out, err, ms: performance.now() - started };
  };
  const report = (digest: PreviewDigest, ...args: string[]) => run([write(JSON.stringify(digest, null, 4)), ...args]);
  const reportJson = async (digest: PreviewDigest) => JSON.parse((await report(digest, "--format", "json")).out);

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, credentialEnv: {} });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-preview-"));
  }, 60_000);

  afterAll(async () => {
    await emulator?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe("a 50,000-entry allow-list", () => {
    const content = ips(0, 50_000);
    // inserted mid-list, two of them in other spellings of the same canonical entry forms
    const inserted = ["10.200.0.1/32", "2001:DB8:0:0::1", "10.201.0.0/16"];
    const canonicalInserted = ["10.200.0.1", "10.201.0.0/16", "2001:db8::1"];
    const removed = content[10_000];
    const next = [...content.slice(0, 25_000), ...inserted, ...content.slice(25_000)].filter((e) => e !== removed);
    let e: Engine;
    let digest: PreviewDigest;

    beforeAll(async () => {
      e = engine();
      const up = await e.up(() => { new SecurityIPGroup("allow", { zoneId: SEED.teoZoneId, name: "allow-list", content }); });
      expect(up.errors).toEqual([]);
      const r = await e.preview(() => { new SecurityIPGroup("allow", { zoneId: SEED.teoZoneId, name: "allow-list", content: next }); });
      expect(r.errors).toEqual([]);
      digest = digestOf(r);
    }, 120_000);
    afterAll(() => e?.close());

    it("is a CLI-shaped digest: one update step, secrets masked, no outputs in newState, duration in ns", () => {
      const steps = digest.steps!.filter((s) => s.op !== "same");
      expect(steps).toHaveLength(1);
      const [step] = steps;
      expect(step).toMatchObject({ op: "update", detailedDiff: null });
      expect(step.newState!.outputs).toBeUndefined();
      expect((step.newState!.inputs!.content as string[]).length).toBe(50_002);
      expect((step.oldState!.outputs!.content as string[]).length).toBe(50_000);
      expect(digest.changeSummary).toMatchObject({ update: 1 });
      expect(digest.duration).toBeGreaterThan(1_000_000);
      expect(digest.config!["tencentcloud:secretKey"]).toBe("[secret]");
      expect(JSON.stringify(digest)).not.toContain(emulator.stackConfig["tencentcloud:secretKey"]);
    });

    it("reports in at most 30 lines exactly the 3 added and the 1 removed entries, canonical", async () => {
      for (const format of ["text", "markdown"] as const) {
        const r = await report(digest, "--format", format);
        expect(r.code).toBe(0);
        const lines = r.out.trimEnd().split("\n");
        expect(lines.length).toBeLessThanOrEqual(30);
        for (const entry of canonicalInserted) expect(r.out).toContain(entry);
        expect(r.out).toContain(removed);
        expect(r.out).toMatch(/content: \+3 −1 \(50002 entries after\)/);
        // nothing else of the 50,000 entries is named
        const named = r.out.match(/\d+\.\d+\.\d+\.\d+(\/\d+)?|[0-9a-f]*:[0-9a-f:]+::?[0-9a-f]+/g) ?? [];
        expect(new Set(named)).toEqual(new Set([...canonicalInserted, removed]));
        console.info(`[preview] 50,000 entries, ${format}: ${lines.length} lines, ${r.ms.toFixed(0)} ms (read + parse + report + format)`);
      }
      const json = await reportJson(digest);
      expect(json.resources).toHaveLength(1);
      expect(json.resources[0].content).toEqual({ added: canonicalInserted, removed: [removed], total: 50_002 });
      expect(json.resources[0].fields).toEqual([]);
    });

    it("says a rename too large for one request replaces the group, creating the new one first", async () => {
      const r = await e.preview(() => { new SecurityIPGroup("allow", { zoneId: SEED.teoZoneId, name: "allow-list-2", content }); });
      for (const showReplacementSteps of [false, true]) {
        const json = await reportJson(digestOf(r, { showReplacementSteps }));
        expect(json.resources[0]).toMatchObject({ op: "replace", deleteFirst: false, replaceReasons: ["name"] });
        expect(json.resources[0].fields).toEqual([{ property: "name", old: "allow-list", new: "allow-list-2" }]);
        expect(json.resources[0].content).toBeUndefined();
      }
      expect((await report(digestOf(r))).out).toMatch(/SecurityIPGroup allow \(\d+\): replace, create first \(because of name\)/);
    });
  });

  describe("origin groups", () => {
    let e: Engine;
    const A = "203.0.113.10";
    const B = "origin.example.com";
    const web = (over: Record<string, unknown> = {}, records = [{ record: A, weight: 60 }, { record: B, weight: 40 }]) => () => {
      new OriginGroup("web", { zoneId: SEED.teoZoneId, name: "web-origins", type: "HTTP", hostHeader: "www.example.com", records, ...over } as any);
      new UserGroup("ops", { zoneId: SEED.cicZoneId, groupName: "ops", description: "edge operators" });
    };

    beforeAll(async () => {
      e = engine();
      const up = await e.up(web());
      expect(up.errors).toEqual([]);
    }, 60_000);
    afterAll(() => e?.close());

    it("reports no change for reordered records, and only the real change next to a reorder", async () => {
      const reordered = [{ record: B, weight: 40 }, { record: A, weight: 60 }];
      const same = await report(digestOf(await e.preview(web({}, reordered))));
      expect(same.code).toBe(0);
      expect(same.out).toMatch(/^edgeconf preview: no changes; \d+ unchanged$/m);
      expect(same.out).not.toMatch(/records/);

      const json = await reportJson(digestOf(await e.preview(web({ hostHeader: "static.example.com" }, reordered))));
      expect(json.resources).toHaveLength(1);
      expect(json.resources[0]).toMatchObject({ kind: "OriginGroup", name: "web", op: "update" });
      expect(json.resources[0].fields).toEqual([{ property: "hostHeader", old: "www.example.com", new: "static.example.com" }]);
      expect(json.resources[0].records).toBeUndefined();
    });

    it("names a weight change by record key", async () => {
      const digest = digestOf(await e.preview(web({}, [{ record: A, weight: 99 }, { record: B, weight: 1 }])));
      const json = await reportJson(digest);
      expect(json.resources[0].records).toEqual({
        added: [], removed: [],
        changed: [
          { record: A, fields: [{ property: "weight", old: 60, new: 99 }] },
          { record: B, fields: [{ property: "weight", old: 40, new: 1 }] },
        ],
      });
      const text = (await report(digest)).out;
      expect(text).toContain(`~ ${A}: weight: 60 → 99`);
      expect(text).toContain("records: +0 −0 ~2");
    });

    it("reports a description change of another kind old → new", async () => {
      const r = await e.preview(() => {
        new OriginGroup("web", { zoneId: SEED.teoZoneId, name: "web-origins", type: "HTTP", hostHeader: "www.example.com", records: [{ record: A, weight: 60 }, { record: B, weight: 40 }] });
        new UserGroup("ops", { zoneId: SEED.cicZoneId, groupName: "ops", description: "on-call <b>operators</b>" });
      });
      const json = await reportJson(digestOf(r));
      expect(json.resources.map((x: any) => [x.name, x.op])).toEqual([["ops", "update"]]);
      expect(json.resources[0].fields).toEqual([{ property: "description", old: "edge operators", new: "on-call <b>operators</b>" }]);
      const md = (await report(digestOf(r), "--format", "markdown")).out;
      expect(md).not.toContain("<b>");
      expect(md).toContain("&lt;b&gt;");
    });

    it("reports a type change as a replacement that deletes first, also from shown replacement steps", async () => {
      const r = await e.preview(web({ type: "GENERAL", hostHeader: undefined }));
      for (const showReplacementSteps of [false, true]) {
        const digest = digestOf(r, { showReplacementSteps });
        const json = await reportJson(digest);
        expect(json.resources).toHaveLength(1);
        expect(json.resources[0]).toMatchObject({ op: "replace", category: "replace", deleteFirst: true, replaceReasons: ["type"] });
        expect(json.resources[0].fields).toEqual(expect.arrayContaining([{ property: "type", old: "HTTP", new: "GENERAL" }]));
        if (showReplacementSteps) expect(json.resources[0].steps).toEqual(["delete-replaced", "replace", "create-replacement"]);
      }
      const text = (await report(digestOf(r))).out;
      expect(text).toMatch(/\+- OriginGroup web \(origin-[^)]+\): replace, delete first \(because of type\)/);
      expect(text).toMatch(/^edgeconf preview: 1 to replace \(1 delete first\)/m);
      expect((await report(digestOf(r), "--format", "markdown")).out).toMatch(/\*\*replace, delete first \(because of type\)\*\*/);
    });

    it("flags the replacement of a group that other services reference, and --fail-on replace,delete exits 2", async () => {
      const groupId = e.outputs("web")!.groupId;
      await emulator.services.teo.backend.admin("addOriginGroupReference", { groupId, InstanceType: "AccelerationDomain", InstanceId: "www.example.com", InstanceName: "www.example.com" });
      try {
        expect((await e.refresh()).errors).toEqual([]);
        const digest = digestOf(await e.preview(web({ type: "GENERAL", hostHeader: undefined })));
        const text = await report(digest, "--fail-on", "replace,delete");
        expect(text.code).toBe(2);
        expect(text.out).toMatch(/! referenced by AccelerationDomain www\.example\.com: the API refuses to delete a referenced group/);
        expect(text.out).toMatch(/--fail-on replace,delete: matched OriginGroup web \(replace\)/);
        expect(text.out).toMatch(/; 1 flagged/);
        const md = await report(digest, "--format", "markdown", "--fail-on", "replace,delete");
        expect(md.code).toBe(2);
        expect(md.out.split("\n")[0]).toBe("<!-- edgeconf-preview -->");
        expect(md.out).toMatch(/:warning: referenced by AccelerationDomain/);
        expect((await report(digest, "--fail-on", "delete")).code).toBe(0);
        expect((await reportJson(digest)).resources[0].warnings).toHaveLength(1);
      } finally {
        await emulator.services.teo.backend.admin("clearOriginGroupReferences", { groupId });
        await e.refresh();
      }
    });

    it("--fail-on delete exits 2 for a resource dropped from the program, 0 for an update", async () => {
      const dropped = digestOf(await e.preview(() => {
        new OriginGroup("web", { zoneId: SEED.teoZoneId, name: "web-origins", type: "HTTP", hostHeader: "www.example.com", records: [{ record: A, weight: 60 }, { record: B, weight: 40 }] });
      }));
      const r = await report(dropped, "--fail-on", "replace,delete");
      expect(r.code).toBe(2);
      expect(r.out).toMatch(/^-  UserGroup ops \([^)]+\): delete$/m);
      const update = digestOf(await e.preview(web({ hostHeader: "static.example.com" })));
      expect((await report(update, "--fail-on", "replace,delete")).code).toBe(0);
      expect((await report(update, "--fail-on", "update")).code).toBe(2);
    });

    it("shows a resource declared with adoptId as an adoption of the existing id, counted as such", async () => {
      const digest = digestOf(await e.preview(() => {
        web()();
        new OriginGroup("taken", { zoneId: SEED.teoZoneId, name: "taken", type: "GENERAL", records: [{ record: A }], adoptId: "origin-existing-1" });
      }));
      const step = digest.steps!.find((x) => x.urn.endsWith("::taken"))!;
      expect(step).toMatchObject({ op: "create", newState: { inputs: { adoptId: "origin-existing-1" } } });
      const json = await reportJson(digest);
      expect(json.resources).toHaveLength(1);
      expect(json.resources[0]).toMatchObject({ name: "taken", op: "adopt", category: "adopt", id: "origin-existing-1" });
      expect(json.counts).toMatchObject({ create: 0, adopt: 1 });
      expect(json.resources[0].fields.map((f: any) => f.property)).not.toContain("adoptId");
      const text = (await report(digest)).out;
      expect(text).toMatch(/^edgeconf preview: 1 to adopt; \d+ unchanged$/m);
      expect(text).toMatch(/^\+= OriginGroup taken: adopt existing origin-existing-1$/m);
      expect((await report(digest, "--format", "markdown")).out).toContain("| `+=` | OriginGroup `taken` | adopt existing origin-existing-1 |");
      expect((await report(digest, "--fail-on", "adopt")).code).toBe(2);
    });

    it("shows preview warnings with their resource (by urn, or by the kind and name our provider writes) and the rest apart", async () => {
      const digest = digestOf(await e.preview(web({ hostHeader: "static.example.com" })));
      const ops = "urn:pulumi:dev::edgeconf::pulumi-nodejs:dynamic/tencentcloud/cic:UserGroup::ops";
      digest.diagnostics = [
        // what the real CLI writes for our provider's Check warnings: severity info#err, no urn
        { message: "warning: [runtime] [edgeconf] OriginGroup web: hostHeader has no effect on GENERAL groups: the origin-pull Host header only works when type is HTTP; kept as written\n\n", severity: "info#err" },
        { urn: digest.steps!.find((x) => x.urn.endsWith("::web"))!.urn, message: "deprecated field", severity: "warning" },
        { urn: ops, message: "a warning about a resource with no change", severity: "warning" },
        { message: "info: just words", severity: "info" },
      ];
      const json = await reportJson(digest);
      expect(json.resources[0].warnings).toEqual([
        "hostHeader has no effect on GENERAL groups: the origin-pull Host header only works when type is HTTP; kept as written",
        "deprecated field",
      ]);
      expect(json.warnings).toEqual(["a warning about a resource with no change"]);
      const text = (await report(digest)).out;
      expect(text).toMatch(/; 1 flagged; 1 other warning\(s\)$/m);
      expect(text).toContain("     ! hostHeader has no effect on GENERAL groups");
      const md = (await report(digest, "--format", "markdown")).out;
      expect(md).toContain("- :warning: hostHeader has no effect on GENERAL groups");
      expect(md).toContain("- :warning: a warning about a resource with no change");
      expect(md).not.toContain("just words");
    });

    it("lists and counts an operation it does not know", async () => {
      const digest = digestOf(await e.preview(web({ hostHeader: "static.example.com" })));
      const urn = "urn:pulumi:dev::edgeconf::pulumi-nodejs:dynamic/tencentcloud/teo:OriginGroup::odd";
      digest.steps!.push({ op: "frobnicate", urn, detailedDiff: null, newState: { urn, custom: true, type: "pulumi-nodejs:dynamic/tencentcloud/teo:OriginGroup", inputs: {} } });
      const text = (await report(digest)).out;
      expect(text).toMatch(/^edgeconf preview: 1 to update, 1 other; /m);
      expect(text).toMatch(/^\? +OriginGroup odd: frobnicate \(an operation this report does not know\)$/m);
      expect((await reportJson(digest)).other).toBe(1);
      expect((await report(digest, "--format", "markdown")).out).toMatch(/^### edgeconf preview: 1 to update, 1 other;/m);
    });

    it("makes @mentions and #123 references in values inert in markdown", async () => {
      const digest = digestOf(await e.preview(() => {
        new OriginGroup("web", { zoneId: SEED.teoZoneId, name: "web-origins", type: "HTTP", hostHeader: "www.example.com", records: [{ record: A, weight: 60 }, { record: B, weight: 40 }] });
        new UserGroup("ops", { zoneId: SEED.cicZoneId, groupName: "ops", description: "ping @octocat about #123 and acme/web#45" });
      }));
      const md = (await report(digest, "--format", "markdown")).out;
      expect(md).toContain("description: \"edge operators\" → \"ping @&#8203;octocat about #&#8203;123 and acme/web#&#8203;45\"");
      expect(md).not.toMatch(/@octocat|#123|#45/);
    });

    it("fits 2,000 changed origin groups in a comment: replace and delete first, then the largest, then the left-out line", async () => {
      const digest = digestOf(await e.preview(web({}, [{ record: A, weight: 99 }, { record: B, weight: 1 }])));
      const [update] = digest.steps!.filter((x) => x.op === "update");
      const clone = (name: string, op: string, extra: number) => {
        const urn = update.urn.replace(/::web$/, `::${name}`);
        const records = [...(update.newState!.inputs!.records as object[]), ...Array.from({ length: extra }, (_, i) => ({ record: `198.51.100.${i + 1}`, weight: 0 }))];
        return {
          ...update, op, urn,
          oldState: { ...update.oldState!, urn },
          newState: op === "delete" ? undefined : { ...update.newState!, urn, inputs: { ...update.newState!.inputs, records, ...(op === "replace" ? { type: "GENERAL" } : {}) } },
          ...(op === "replace" ? { replaceReasons: ["type"] } : {}),
        };
      };
      const steps = [
        ...Array.from({ length: 2000 }, (_, i) => clone(`og-${i}`, "update", i % 5)),
        clone("og-biggest", "update", 30),
        clone("og-replaced", "replace", 0),
        clone("og-dropped", "delete", 0),
      ];
      digest.steps = [...digest.steps!.filter((x) => x.op !== "update"), ...steps] as typeof digest.steps;
      const full = "the `edgeconf-preview-prod` artifact of [this run](https://github.com/acme/edge/actions/runs/2)";
      const wholeFile = path.join(dir, "preview-full.md");
      const md = await report(digest, "--format", "markdown", "--full-report", full, "--write-full", wholeFile);
      expect(md.out.length).toBeLessThan(65_536);
      expect(md.out.length).toBeLessThanOrEqual(60_001); // the report, and the newline the test's writer adds
      const lines = md.out.split("\n");
      expect(lines[0]).toBe("<!-- edgeconf-preview -->");
      expect(lines[1]).toMatch(/^### edgeconf preview: 2001 to update, 1 to replace \(1 delete first\), 1 to delete; /);
      const rows = lines.filter((l) => /^\| `/.test(l));
      expect(rows[0]).toMatch(/OriginGroup `og-(replaced|dropped)`/);
      expect(rows[1]).toMatch(/OriginGroup `og-(replaced|dropped)`/);
      expect(rows[2]).toContain("OriginGroup `og-biggest`");
      expect(md.out).toContain(`**Left out:** ${2003 - rows.length} of 2003 resource(s), to fit in 60000 characters`);
      expect(md.out).toContain(`The full report: ${full}.`);
      const unlimited = await report(digest, "--format", "markdown", "--max-length", "0");
      expect(unlimited.out.length).toBeGreaterThan(65_536);
      expect(unlimited.out).not.toContain("**Left out:**");
      expect(fs.readFileSync(wholeFile, "utf8")).toBe(unlimited.out);
      const text = await report(digest);
      expect(text.out.split("\n").filter((l) => /^~ +OriginGroup og-/.test(l))).toHaveLength(2001);
      const json = await reportJson(digest);
      expect(json.resources).toHaveLength(2003);
      console.info(`[preview] 2,000 changed origin groups, markdown: ${md.out.length} characters (${unlimited.out.length} without --max-length)`);
    }, 60_000);

    it("shows other providers' resources by operation only", async () => {
      const digest = digestOf(await e.preview(web({ hostHeader: "static.example.com" })));
      const urn = "urn:pulumi:dev::edgeconf::aws:s3/bucket:Bucket::logs";
      digest.steps!.push({
        op: "replace", urn, replaceReasons: ["bucket"], detailedDiff: null,
        oldState: { urn, custom: true, id: "logs-1", type: "aws:s3/bucket:Bucket", inputs: { bucket: "logs-a", acl: "private" } },
        newState: { urn, custom: true, type: "aws:s3/bucket:Bucket", inputs: { bucket: "logs-b", acl: "private" } },
      });
      const json = await reportJson(digest);
      expect(json.resources[1]).toMatchObject({ type: "aws:s3/bucket:Bucket", name: "logs", op: "replace", fields: [], secrets: [] });
      expect(json.resources[1].kind).toBeUndefined();
      const text = (await report(digest)).out;
      expect(text).toMatch(/^\+- aws:s3\/bucket:Bucket logs \(logs-1\): replace \(because of bucket\)$/m);
      expect(text).not.toContain("logs-b");
    });
  });

  it("reports expiry schedules added, removed and changed per entry, with the times as declared", async () => {
    const e = engine();
    try {
      const T1 = "2031-01-01T00:00:00+08:00";
      const T2 = "2032-06-01T12:00:00+08:00";
      const T3 = "2033-03-01T08:30:00Z";
      const group = (ipExpireInfo: { expireTime: string; ipList: string[] }[]) => () => {
        new SecurityIPGroup("temp", { zoneId: SEED.teoZoneId, name: "temporary", content: ["192.0.2.1", "192.0.2.2", "192.0.2.3"], ipExpireInfo });
      };
      expect((await e.up(group([{ expireTime: T1, ipList: ["192.0.2.1"] }, { expireTime: T2, ipList: ["192.0.2.2"] }]))).errors).toEqual([]);
      const digest = digestOf(await e.preview(group([{ expireTime: T3, ipList: ["192.0.2.2"] }, { expireTime: T1, ipList: ["192.0.2.3"] }])));
      const json = await reportJson(digest);
      expect(json.resources[0].expiries).toEqual({
        added: [{ entry: "192.0.2.3", expireTime: T1 }],
        removed: [{ entry: "192.0.2.1", expireTime: T1 }],
        changed: [{ entry: "192.0.2.2", old: T2, new: T3 }],
      });
      expect(json.resources[0].content).toBeUndefined();
      const text = (await report(digest)).out;
      expect(text).toContain("ipExpireInfo: +1 −1 ~1 schedule(s)");
      expect(text).toContain(`~ 192.0.2.2 expires ${T3} (was ${T2})`);
    } finally {
      await e.close();
    }
  });

  it("reports an endpoint group's traffic dial and description old → new", async () => {
    const e = engine();
    try {
      const group = (trafficDialPercentage: number, description?: string) => () => {
        new EndpointGroup("eu", { listenerId: SEED.gaListenerId, regionId: "eu-west-101", name: "eu", trafficDialPercentage, description });
      };
      expect((await e.up(group(0, "standby"))).errors).toEqual([]);
      const digest = digestOf(await e.preview(group(100)));
      expect((await reportJson(digest)).resources[0].fields).toEqual([
        { property: "description", old: "standby", new: "" },
        { property: "trafficDialPercentage", old: 0, new: 100 },
      ]);
      const text = (await report(digest)).out;
      expect(text).toContain('description: "standby" → (none)');
      expect(text).toContain("trafficDialPercentage: 0 → 100");
    } finally {
      await e.close();
    }
  });

  it("shows values that depend on resources not created yet as (known after apply)", async () => {
    const e = engine();
    try {
      const r = await e.preview(() => {
        const web = new OriginGroup("web", { zoneId: SEED.teoZoneId, type: "HTTP", records: [{ record: "203.0.113.30" }] });
        new UserGroup("ops", { zoneId: SEED.cicZoneId, description: pulumi.interpolate`uses ${web.groupId}` });
        new SecurityIPGroup("later", { zoneId: SEED.teoZoneId, content: ["192.0.2.9", web.groupId.apply(() => "192.0.2.10")] });
      });
      expect(r.errors).toEqual([]);
      const json = await reportJson(digestOf(r));
      const byName = Object.fromEntries(json.resources.map((x: any) => [x.name, x]));
      expect(byName.ops.fields).toContainEqual({ property: "description", new: "(known after apply)" });
      expect(byName.later.content).toEqual({ added: ["(known after apply)", "192.0.2.9"], removed: [], total: 2 });
      expect((await report(digestOf(r))).out).not.toContain("04da6b54");
    } finally {
      await e.close();
    }
  });

  it("keeps delete-first for an autonamed group whose replacement shows a fresh autoname (the engine re-checks without olds)", async () => {
    const e = engine();
    try {
      const group = (type: "HTTP" | "GENERAL") => () => { new OriginGroup("auto", { zoneId: SEED.teoZoneId, type, records: [{ record: "203.0.113.20" }] }); };
      expect((await e.up(group("HTTP"))).errors).toEqual([]);
      const digest = digestOf(await e.preview(group("GENERAL")));
      const step = digest.steps!.find((s) => s.op === "replace")!;
      const kept = step.oldState!.inputs!.name as string;
      expect(kept).toMatch(/^auto-[0-9a-f]{7}$/);
      step.newState!.inputs!.name = "auto-abcdef0"; // what Check with empty olds answers on a real CLI
      let json = await reportJson(digest);
      expect(json.resources[0]).toMatchObject({ op: "replace", deleteFirst: true });
      expect(json.resources[0].fields).toEqual(expect.arrayContaining([{ property: "name", old: kept, new: "auto-abcdef0" }]));
      step.newState!.inputs!.name = "renamed-by-hand"; // a real rename: the new group can exist next to the old one
      json = await reportJson(digest);
      expect(json.resources[0]).toMatchObject({ op: "replace", deleteFirst: false });
    } finally {
      await e.close();
    }
  });

  describe("secrets", () => {
    const ACCESS = "AKIDPREVIEWACCESS0000000001";
    const OLD_SECRET = "previewOldSecret-7f3a9c1e5b";
    const NEW_SECRET = "previewNewSecret-2d8e4a6c0f";
    const bucket = (secret: string) => () => {
      new OriginGroup("bucket", {
        zoneId: SEED.teoZoneId, name: "private-bucket", type: "HTTP",
        records: [{
          record: "assets-1250000000.s3.ap-guangzhou.example.com", type: "AWS_S3", private: true,
          privateParameters: [{ name: "AccessKeyId", value: ACCESS }, { name: "SecretAccessKey", value: secret }],
        }],
      });
    };
    let e: Engine;
    let digest: PreviewDigest;

    beforeAll(async () => {
      e = engine();
      expect((await e.up(bucket(OLD_SECRET))).errors).toEqual([]);
      const r = await e.preview(bucket(NEW_SECRET));
      expect(r.errors).toEqual([]);
      digest = digestOf(r);
    }, 60_000);
    afterAll(() => e?.close());

    const leaks = (text: string) => [ACCESS, OLD_SECRET, NEW_SECRET, emulator.stackConfig["tencentcloud:secretKey"]].filter((s) => text.includes(s));

    it("reports a changed secret as changed, in every format, without its value", async () => {
      expect(leaks(JSON.stringify(digest))).toEqual([]); // the digest itself shows "[secret]"
      for (const format of FORMATS) {
        const r = await report(digest, "--format", format);
        expect(r.code).toBe(0);
        expect(leaks(r.out + r.err)).toEqual([]);
        expect(r.out).toMatch(/records/);
      }
      expect((await report(digest)).out).toContain("records: [secret] changed (values not shown)");
    });

    it("shows record changes around nested secrets when only the parameter values are \"[secret]\"", async () => {
      const nested = JSON.parse(JSON.stringify(digest)) as PreviewDigest;
      const step = nested.steps!.find((s) => s.op === "update")!;
      const bucketRecord = {
        record: "assets-1250000000.s3.ap-guangzhou.example.com", type: "AWS_S3", private: true,
        privateParameters: [{ name: "AccessKeyId", value: "[secret]" }, { name: "SecretAccessKey", value: "[secret]" }],
      };
      step.oldState!.inputs!.records = [bucketRecord]; // outputs.records stays "[secret]" as a whole
      step.newState!.inputs!.records = [bucketRecord, { record: "fallback.example.com", type: "IP_DOMAIN", private: false }];
      const json = await reportJson(nested);
      expect(json.resources[0].records).toEqual({
        added: [{ record: "fallback.example.com", type: "IP_DOMAIN", private: false, privateParameters: [] }], removed: [], changed: [],
      });
      expect(json.resources[0].secrets).toEqual([]);
    });

    it("never prints privateParameters values even when a digest carries them in clear", async () => {
      const clear = JSON.parse(JSON.stringify(digest)) as PreviewDigest;
      const step = clear.steps!.find((s) => s.op === "update")!;
      const records = (secret: string) => [{
        record: "assets-1250000000.s3.ap-guangzhou.example.com", type: "AWS_S3", private: true,
        privateParameters: [{ name: "AccessKeyId", value: ACCESS }, { name: "SecretAccessKey", value: secret }],
      }];
      step.oldState!.inputs!.records = records(OLD_SECRET);
      step.oldState!.outputs!.records = records(OLD_SECRET).map((r) => ({ ...r, weight: undefined, recordId: "r-1" }));
      step.newState!.inputs!.records = records(NEW_SECRET);
      for (const format of FORMATS) {
        const r = await report(clear, "--format", format);
        expect(leaks(r.out + r.err)).toEqual([]);
        expect(r.out).toContain("SecretAccessKey");
      }
      const json = await reportJson(clear);
      expect(json.resources[0].records.changed).toEqual([
        { record: "assets-1250000000.s3.ap-guangzhou.example.com", fields: [{ property: "privateParameters.SecretAccessKey", secret: true }] },
      ]);
    });
  });

  describe("input that is not a preview digest, and failed previews", () => {
    it.each([
      ["an object", `{"foo":1}`, /it is a JSON object with "foo"/],
      ["an array", "[1,2]", /it is a JSON array/],
      ["a stack export", JSON.stringify({ version: 3, deployment: { resources: [] } }), /`pulumi stack export`/],
      ["stack outputs", JSON.stringify({ url: "https://example.com" }), /JSON object with "url"/],
      ["not JSON", "Previewing update (dev)\n", /`pulumi preview` text output \(add --json\)/],
      ["engine events", `{"sequence":0,"timestamp":1,"preludeEvent":{}}\n{"sequence":1}\n`, /engine events/],
      ["empty", "", /it is empty/],
      ["a step without op", JSON.stringify({ steps: [{ urn: "u" }] }), /steps\[0\] has no "op"/],
    ])("refuses %s with exit 1, naming the file and what was expected", async (_what, content, why) => {
      const file = write(content);
      const r = await run([file, "--format", "markdown"]);
      expect(r.code).toBe(1);
      expect(r.out).toBe("");
      expect(r.err).toContain(`edgeconf preview: ${file}: not a preview digest: `);
      expect(r.err).toMatch(why);
      expect(r.err).toContain("expected the JSON document that `pulumi preview --json` prints");
    });

    it("reads the digest from stdin as a command (node dist/commands/preview.js -)", async () => {
      const e = engine();
      try {
        const digest = digestOf(await e.preview(() => { new UserGroup("solo", { zoneId: SEED.cicZoneId, groupName: "solo" }); }));
        const cli = path.join(ROOT, "dist/commands/preview.js");
        const result = spawnSync(process.execPath, [cli, "-", "--format", "markdown", "--fail-on", "create"], { input: JSON.stringify(digest), encoding: "utf8" });
        expect(result.status).toBe(2);
        expect(result.stdout.split("\n")[0]).toBe("<!-- edgeconf-preview -->");
        expect(result.stdout).toContain("| `+` | UserGroup `solo` | create | zoneId, groupName, groupType |");
        const bad = spawnSync(process.execPath, [cli], { input: "[1,2]", encoding: "utf8" });
        expect(bad.status).toBe(1);
        expect(bad.stderr).toMatch(/^edgeconf preview: \(stdin\): not a preview digest: it is a JSON array/);
      } finally {
        await e.close();
      }
    });

    it.each([
      ["content that is not a list", { content: 7 }],
      ["records that are a string", { records: "x" }],
      ["entries that are not strings", { content: [1, null, { a: 1 }] }],
      ["no inputs at all", undefined],
    ])("still writes a report (operation only) for a step of ours with %s", async (_what, inputs) => {
      const urn = "urn:pulumi:dev::edgeconf::pulumi-nodejs:dynamic/tencentcloud/teo:SecurityIPGroup::odd";
      const state = (props: unknown) => ({ urn, custom: true, id: "7", type: "pulumi-nodejs:dynamic/tencentcloud/teo:SecurityIPGroup", ...(props ? { inputs: props as Record<string, unknown>, outputs: props as Record<string, unknown> } : {}) });
      const digest: PreviewDigest = { steps: [{ op: "update", urn, oldState: state(inputs), newState: state(inputs), detailedDiff: null }] };
      for (const format of FORMATS) {
        const r = await report(digest, "--format", format);
        expect(r.err).toBe("");
        expect(r.code).toBe(0);
        expect(r.out).toMatch(/odd/);
      }
    });

    it("names a missing file, and refuses unknown options and --fail-on values", async () => {
      const missing = path.join(dir, "nope.json");
      expect(await run([missing])).toMatchObject({ code: 1, err: `edgeconf preview: ${missing}: cannot read it (no such file)\n` });
      expect((await run(["--fail-on", "replace,destroy", missing])).err).toMatch(/--fail-on takes a comma-separated list of create, adopt, update, replace, delete; got "replace,destroy"/);
      expect((await run(["--format", "html", missing])).code).toBe(1);
      expect((await run(["--max-length", "-5", missing])).err).toMatch(/--max-length must be a whole number of characters \(0 = no limit\)/);
      expect((await run(["--help"])).out).toMatch(/--max-length N[\s\S]*"\*\*Left out:\*\*"[\s\S]*--full-report MD[\s\S]*--write-full FILE/);
      expect((await run(["--frmat", "text"])).err).toMatch(/unknown option --frmat/);
      const help = await run(["--help"]);
      expect(help.code).toBe(0);
      expect(help.out).toMatch(/^usage: edgeconf preview \[FILE \| -\]/);
    });

    it("exits 1 and prints the errors when pulumi preview failed (error diagnostics)", async () => {
      const e = engine();
      try {
        const r = await e.preview(() => { new SecurityIPGroup("bad", { zoneId: SEED.teoZoneId, name: "bad", content: ["198.51.100.7/24"] }); });
        expect(r.failures.length).toBeGreaterThan(0);
        const digest = digestOf(r);
        expect(digest.diagnostics?.some((d) => d.severity === "error")).toBe(true);
        for (const format of FORMATS) {
          const out = await report(digest, "--format", format);
          expect(out.code).toBe(1);
          expect(out.out).toContain("has host bits set; write 198.51.100.0/24");
        }
        expect((await report(digest)).out).toMatch(/^pulumi preview failed with 1 error\(s\):/);
        // a warning is not a failure
        const warned = { ...digest, diagnostics: [{ message: "deprecated", severity: "warning" }] };
        expect((await report(warned)).code).toBe(0);
        // thousands of errors still fit a comment, cut between lines
        const flood = { ...digest, diagnostics: Array.from({ length: 3000 }, (_, i) => ({ message: `error ${i}: ${"x".repeat(60)}`, severity: "error" })) };
        const md = (await report(flood, "--format", "markdown")).out.trimEnd();
        expect(md.length).toBeLessThanOrEqual(60_000);
        // the code block the errors were in is closed, and the reader is told the rest exists
        expect(md).toMatch(/\nerror \d+: x{60}\n```\n… \(cut to 60000 characters\)\n\n\*\*Left out:\*\* the rest of the report( and its \d+ resource\(s\))?\. Run the command without `--max-length` for the full report\.$/);
      } finally {
        await e.close();
      }
    });
  });

  describe("the stand-in's preview --refresh and provider warnings, in the real CLI's shape", () => {
    const HOST_HEADER = "hostHeader has no effect on GENERAL groups: the origin-pull Host header only works when type is HTTP; kept as written";

    it("reports a console edit found by --refresh apart from the program's change, and writes no state", async () => {
      const e = engine();
      const program = (weight: number) => () => {
        new OriginGroup("drifted", { zoneId: SEED.teoZoneId, name: "drifted-origins", type: "HTTP", records: [{ record: "203.0.113.10", weight }, { record: "origin.example.com", weight: 40 }] });
      };
      try {
        expect((await e.up(program(60))).errors).toEqual([]);
        await emulator.services.teo.backend.admin("patchOriginGroup", {
          groupId: e.outputs("drifted")!.groupId,
          patch: { Records: [{ Record: "203.0.113.10", Type: "IP_DOMAIN", Weight: 60 }, { Record: "origin.example.com", Type: "IP_DOMAIN", Weight: 5 }] },
        });
        const r = await e.preview(program(70), { refresh: true });
        expect(r.errors).toEqual([]);
        expect(r.changes).toBe(1); // the read is not a logical step: only the program's update counts
        const digest = digestOf(r);
        expect(digest.steps!.map((s) => [s.op, s.urn.split("::").pop()])).toEqual([
          ["refresh", "edgeconf-dev"], ["refresh", "drifted"], ["same", "edgeconf-dev"], ["update", "drifted"],
        ]);
        const [, read, , update] = digest.steps!;
        expect(read.newState).toEqual(read.oldState);
        const weights = (state: any) => state.inputs.records.map((x: any) => x.weight);
        expect([weights(read.oldState), weights(update.oldState), weights(update.newState)]).toEqual([[60, 40], [60, 5], [70, 40]]);
        expect(digest.changeSummary).toEqual({ same: 1, update: 1 });

        const json = await reportJson(digest);
        expect(json.refreshed.map((x: any) => [x.name, x.records.changed])).toEqual([["drifted", [{ record: "origin.example.com", fields: [{ property: "weight", old: 40, new: 5 }] }]]]);
        expect(json.resources.map((x: any) => [x.name, x.records.changed])).toEqual([["drifted", [{ record: "203.0.113.10", fields: [{ property: "weight", old: 60, new: 70 }] }]]]);
        // nothing was written: without --refresh the edit is not seen
        expect((await reportJson(digestOf(await e.preview(program(70))))).refreshed).toEqual([]);
      } finally {
        await e.destroy();
        await e.close();
      }
    });

    it("carries the provider's check warnings as the CLI relays its stderr, and the report puts them with their resource", async () => {
      const e = engine();
      try {
        const r = await e.preview(() => {
          new OriginGroup("plain", { zoneId: SEED.teoZoneId, name: "plain-warned", type: "GENERAL", hostHeader: "www.example.com", records: [{ record: "203.0.113.20" }] });
        });
        const digest = digestOf(r);
        expect(digest.diagnostics).toEqual([{ message: `warning: [runtime] [edgeconf] OriginGroup plain: ${HOST_HEADER}\n\n`, severity: "info#err" }]);
        const json = await reportJson(digest);
        expect(json.resources.map((x: any) => [x.name, x.warnings])).toEqual([["plain", [HOST_HEADER]]]);
        expect(json.warnings).toEqual([]);
      } finally {
        await e.close();
      }
    });
  });
});
