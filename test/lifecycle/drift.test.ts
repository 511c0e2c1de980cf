/**
 * `edgeconf drift` on a state produced through Pulumi's dynamic-provider process: clean right after `up`,
 * exit 2 naming the exact field after an out-of-band change, gone resources reported, secrets never printed
 * (with and without `--show-secrets`), inputs that are not a stack export refused, errors never summarised as
 * "no drift", and a black-holed endpoint given up at the `--timeout` bound with progress on stderr.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SEED } from "../../emulator/core/defaults";
import { EndpointGroup, OriginGroup, SecurityIPGroup, UserGroup } from "../../provider";
import { Engine } from "../../engine/engine";
import { decryptSecret, isSecretEnvelope, SECRET_SIG, SIG_KEY, type StackExport } from "../../engine/state";

const ROOT = path.resolve(__dirname, "..", "..");
const CLI = path.join(ROOT, "dist/commands/main.js");
const PASSPHRASE = "edgeconf-test";
const S3_ACCESS = "AKIAdriftTestAccess4471";
const S3_SECRET = "s3DriftTestSecretKeyBefore8e21f0a9";
const S3_SECRET_NEW = "s3DriftTestSecretKeyConsole55b7c3d1";
const SECRETS = [S3_ACCESS, S3_SECRET, S3_SECRET_NEW];
const BUCKET = "assets.s3.eu-west-1.amazonaws.com";

const program = () => {
  new OriginGroup("web", {
    zoneId: SEED.teoZoneId,
    type: "HTTP",
    records: [{ record: "203.0.113.10", weight: 60 }, { record: "origin.example.com", weight: 40 }],
  });
  new OriginGroup("bucket", {
    zoneId: SEED.teoZoneId,
    type: "HTTP",
    hostHeader: BUCKET,
    records: [{
      record: BUCKET,
      type: "AWS_S3",
      private: true,
      privateParameters: [
        { name: "AccessKeyId", value: S3_ACCESS },
        { name: "SecretAccessKey", value: S3_SECRET },
        { name: "SignatureVersion", value: "v4" },
        { name: "Region", value: "eu-west-1" },
      ],
    }],
  });
  new SecurityIPGroup("office", { zoneId: SEED.teoZoneId, content: ["198.51.100.0/24", "203.0.113.7"] });
  new UserGroup("ops", { zoneId: SEED.cicZoneId, description: "edge operators" });
  new EndpointGroup("eu", { listenerId: SEED.gaListenerId, regionId: "eu-west-101", trafficDialPercentage: 0 });
};

/** What `pulumi stack export --show-secrets` prints: the same envelopes with `plaintext` instead of ciphertext. */
function showSecrets(state: StackExport): StackExport {
  const open = (v: unknown): unknown =>
    isSecretEnvelope(v) ? { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(decryptSecret(v, PASSPHRASE)) }
      : Array.isArray(v) ? v.map(open)
        : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, open(x)])) : v;
  return open(state) as StackExport;
}

interface Run { code: number; out: string; err: string; ms: number }

describe("edgeconf drift", { timeout: 60_000 }, () => {
  let emulator: RunningEmulator;
  let engine: Engine;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  // Asynchronous on purpose: the emulator lives in this process's event loop.
  const run = (args: string[], runEnv: NodeJS.ProcessEnv = env) =>
    new Promise<Run>((resolve) => {
      const started = Date.now();
      execFile(process.execPath, [CLI, ...args], { env: runEnv, encoding: "utf8", maxBuffer: 64 << 20 }, (error, out, err) =>
        resolve({ code: error ? Number(error.code) : 0, out, err, ms: Date.now() - started }));
    });
  const writeJson = (name: string, value: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
    return file;
  };
  const drift = (format = "text", state: unknown = engine.exportState()) => run(["drift", writeJson("export.json", state), "--format", format]);
  const expectNoSecret = (r: Run) => {
    for (const s of SECRETS) expect(r.out + r.err).not.toContain(s);
  };

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, credentialEnv: {}, settings: { gaPendingMs: 100 } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-drift-"));
    const c = emulator.credentials;
    env = {
      PATH: process.env.PATH,
      EDGECONF_ENDPOINT: emulator.url,
      TENCENTCLOUD_SECRET_ID: c.tencentSecretId,
      TENCENTCLOUD_SECRET_KEY: c.tencentSecretKey,
      HW_ACCESS_KEY: c.huaweiAccessKey,
      HW_SECRET_KEY: c.huaweiSecretKey,
      HW_PROJECT_ID: c.huaweiProjectId,
    };
    engine = new Engine({ dir: ROOT, env: { ...process.env, ...env }, passphrase: PASSPHRASE });
    const r = await engine.up(program);
    expect(r.errors).toEqual([]);
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    await emulator?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is clean right after up (exit 0), with and without --show-secrets", async () => {
    const r = await drift();
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/no drift in 5 resource\(s\)/);
    expect(r.out).toMatch(/clean\s+OriginGroup bucket .*: secret records not compared \(export with --show-secrets to compare\)/);
    const shown = await drift("text", showSecrets(engine.exportState()));
    expect(shown.code).toBe(0);
    expect(shown.out).not.toContain("not compared");
    expectNoSecret(r);
    expectNoSecret(shown);
  });

  it("names the exact field changed out of band (exit 2), in text, json and markdown", async () => {
    await emulator.services.teo.backend.admin("patchOriginGroup", {
      groupId: engine.outputs("web")!.groupId,
      patch: { Records: [{ Record: "203.0.113.10", Type: "IP_DOMAIN", Weight: 99 }, { Record: "origin.example.com", Type: "IP_DOMAIN", Weight: 1 }] },
    });
    await emulator.services.ga.backend.admin("patchEndpointGroup", { id: engine.outputs("eu")!.endpointGroupId, traffic_dial_percentage: 50 });
    const text = await drift();
    expect(text.code).toBe(2);
    // written by the change formatter edgeconf preview uses: records keyed by value
    expect(text.out).toMatch(/^ +records: \+0 −0 ~2\n +~ 203\.0\.113\.10: weight: 60 → 99\n +~ origin\.example\.com: weight: 40 → 1$/m);
    expect(text.out).toContain("trafficDialPercentage: 0 → 50");
    expect(text.out).toMatch(/2 of 5 resource\(s\) drifted/);

    const json = JSON.parse((await drift("json")).out);
    const web = json.resources.find((r: any) => r.name === "web");
    expect(web.status).toBe("drifted");
    expect(web.fields).toContainEqual({ path: "records[record=origin.example.com].weight", state: 40, live: 1 });
    // and as preview's json has them: state → live in the change formatter's terms
    expect(web.changes.records.changed).toContainEqual({ record: "203.0.113.10", fields: [{ property: "weight", old: 60, new: 99 }] });
    expect(json.resources.find((r: any) => r.name === "ops").status).toBe("clean");
    expect(json.summary).toBe("2 of 5 resource(s) drifted");

    const md = (await drift("markdown")).out;
    expect(md.split("\n")[0]).toBe("### Drift report: 2 of 5 resource(s) drifted");
    expect(md).toContain("| OriginGroup `web` | drifted | records +0 −0 ~2 |");
    expect(md).toContain("- records: +0 −0 ~2\n  - ~ 203.0.113.10: weight: 60 → 99\n  - ~ origin.example.com: weight: 40 → 1");
    // clean resources are counted, not tabled
    expect(md).toContain("3 clean resource(s) not listed.");
    expect(md).not.toContain("UserGroup `ops`");
  });

  it("reports a secret changed in the console as changed, masked, in every format and either export", async () => {
    const bucket = engine.outputs("bucket")!;
    await emulator.services.teo.backend.admin("patchOriginGroup", {
      groupId: bucket.groupId,
      patch: {
        HostHeader: "cdn-assets.example.com",
        Records: [{
          Record: BUCKET, Type: "AWS_S3", Private: true,
          PrivateParameters: [
            { Name: "AccessKeyId", Value: S3_ACCESS }, { Name: "SecretAccessKey", Value: S3_SECRET_NEW },
            { Name: "SignatureVersion", Value: "v4" }, { Name: "Region", Value: "eu-west-1" },
          ],
        }],
      },
    });
    const secretPath = `records[record=${BUCKET}].privateParameters[name=SecretAccessKey].value`;
    const formats = ["text", "json", "markdown"];
    const shownExport = writeJson("shown.json", showSecrets(engine.exportState()));
    const sealedExport = writeJson("sealed.json", engine.exportState());
    const runs = await Promise.all(formats.flatMap((f) => [run(["drift", shownExport, "--format", f]), run(["drift", sealedExport, "--format", f])]));
    for (let i = 0; i < formats.length; i++) {
      const [shown, sealed] = [runs[2 * i], runs[2 * i + 1]];
      expectNoSecret(shown);
      expect(shown.code).toBe(2);
      expect(shown.out).toContain(formats[i] === "json" ? secretPath : `~ ${BUCKET}: privateParameters.SecretAccessKey changed (secret, not shown)`);
      expect(shown.out).toContain("cdn-assets.example.com");
      // Without --show-secrets: records cannot be compared, everything else still is, and nothing crashes.
      expectNoSecret(sealed);
      expect(sealed.code).toBe(2);
      expect(sealed.out).not.toContain("privateParameters");
      expect(sealed.out).toContain("secret records not compared");
      expect(sealed.out).toContain("cdn-assets.example.com");
      expect(sealed.out).not.toMatch(/Cannot read properties/);
    }
    const text = runs[0];
    expect(text.out).not.toContain("[secret] → [secret]");
    const json = JSON.parse(runs[2].out);
    expect(json.resources.find((r: any) => r.name === "bucket").fields).toContainEqual({ path: secretPath, state: "[secret]", live: "[secret]", secret: true });
  }, 120_000);

  it("reports a resource deleted outside Pulumi as drift", async () => {
    await emulator.services.organization.backend.admin("deleteGroup", { groupId: engine.outputs("ops")!.groupId });
    const r = await drift();
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/gone\s+UserGroup ops/);
  });

  it("says when resources could not be checked, in the summary and the markdown heading, and exits 1 over 2", async () => {
    const { HW_ACCESS_KEY, HW_SECRET_KEY, HW_PROJECT_ID, ...tencentOnly } = env;
    const file = writeJson("export.json", engine.exportState());
    const text = await run(["drift", file], tencentOnly);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/^error\s+EndpointGroup eu .*HW_ACCESS_KEY/m);
    expect(text.out.trim().split("\n").pop()).toBe("1 of 5 resource(s) could not be checked; 3 of 5 resource(s) drifted");
    const md = await run(["drift", file, "--format", "markdown"], tencentOnly);
    expect(md.code).toBe(1);
    expect(md.out.split("\n")[0]).toBe("### Drift report: 1 of 5 resource(s) could not be checked; 3 of 5 resource(s) drifted");
  });

  it("names the environment variables it reads when credentials are missing, never stack config", async () => {
    const file = writeJson("export.json", engine.exportState());
    const r = await run(["drift", file], { PATH: process.env.PATH, EDGECONF_ENDPOINT: emulator.url });
    expect(r.code).toBe(1);
    expect(r.out).toContain("TENCENTCLOUD_SECRET_ID");
    expect(r.out).toContain("set HW_ACCESS_KEY, HW_SECRET_KEY and HW_PROJECT_ID (plus HW_SECURITY_TOKEN for temporary keys), or HW_AUTH_TOKEN");
    expect(r.out).not.toContain("pulumi config");
    expect(r.out.trim().split("\n").pop()).toBe("5 of 5 resource(s) could not be checked; no drift in the 0 checked");
  });

  it.each([
    ["an object that is not an export", { foo: 1 }, /an object with keys foo is not a stack export/],
    ["an array", [1, 2], /an array is not a stack export/],
    ["`pulumi stack output --json`", { groupId: "origin-1", url: "https://example.com" }, /an object with keys groupId, url is not a stack export/],
    ["a deployment of an unknown version", { version: 9, deployment: { resources: [] } }, /deployment version 9 is not supported/],
    ["a file that is not JSON", "{\"version\": 3, \"deployment\": {", /not JSON \(ends early\)/],
  ])("refuses %s: exit 1, naming the file and what was expected", async (_, value, why) => {
    const file = writeJson("not-an-export.json", value);
    const r = await run(["drift", file]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toMatch(why);
    expect(r.err).toContain(`edgeconf drift: ${file}: `);
    expect(r.err).toContain("expected a `pulumi stack export` deployment");
  });

  it("reads standard input for `-`, and names it when it is not an export", async () => {
    const viaStdin = (text: string) =>
      new Promise<Run>((resolve) => {
        const child = execFile(process.execPath, [CLI, "drift", "-"], { env, encoding: "utf8" }, (error, out, err) =>
          resolve({ code: error ? Number(error.code) : 0, out, err, ms: 0 }));
        child.stdin!.end(text);
      });
    const bad = await viaStdin("[1,2]");
    expect(bad).toMatchObject({ code: 1, out: "" });
    expect(bad.err).toMatch(/^edgeconf drift: standard input: an array is not a stack export; expected a `pulumi stack export` deployment/);
    const good = await viaStdin(JSON.stringify(engine.exportState()));
    expect([0, 2]).toContain(good.code); // clean or drifted, depending on which edits ran before
    expect(good.out).toMatch(/^(clean|drifted)\s+OriginGroup web \(origin-/m);
    expect(good.out).toMatch(/5 resource\(s\)/);
  });

  it("words an export without edgeconf resources apart from clean, and --fail-on-empty fails it", async () => {
    const state = engine.exportState();
    state.deployment.resources = state.deployment.resources.filter((r) => !r.type.startsWith("pulumi-nodejs:dynamic/"));
    const file = writeJson("empty.json", state);
    const r = await run(["drift", file]);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^no edgeconf resources in this export \(\d+ other resource\(s\)\); nothing was checked$/);
    expect(r.out).not.toMatch(/no drift/);
    const strict = await run(["drift", file, "--fail-on-empty", "--format", "markdown"]);
    expect(strict.code).toBe(1);
    expect(strict.out).toMatch(/^### Drift report: no edgeconf resources/);
    expect(strict.err).toContain(`${file} holds no edgeconf resources (--fail-on-empty)`);
  });

  it("prints usage for --help and -h, the version for --version, and never reads them as files", async () => {
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
    expect(await run(["--version"])).toMatchObject({ code: 0, out: `${version}\n` });
    for (const args of [["--help"], ["-h"], ["drift", "--help"], ["drift", "-h"]]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^usage: edgeconf /);
      expect(r.err).toBe("");
    }
    const none = await run([]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/^usage: edgeconf <command>/);
    expect(await run(["preview", "--help"])).toMatchObject({ code: 0, out: expect.stringMatching(/^usage: edgeconf preview /) });
    const missing = await run(["drift", path.join(dir, "no-such-file.json")]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(`cannot read ${path.join(dir, "no-such-file.json")}: ENOENT`);
    // a timer holds at most 2^31 - 1 ms: a longer --timeout would fire at once and fail every resource
    for (const bad of ["2147484", "0", "soon"]) {
      const r = await run(["drift", path.join(dir, "no-such-file.json"), "--timeout", bad]);
      expect(r.code, bad).toBe(1);
      expect(r.err).toMatch(/^edgeconf drift: --timeout must be a number of seconds above 0 and at most 2147483 \(24 days\)/);
    }
  }, 60_000);

  describe("reports reviewers read", () => {
    const ip = (n: number) => `10.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
    const content = Array.from({ length: 3000 }, (_, i) => ip(i + 1));
    let second: Engine;

    beforeAll(async () => {
      // A stack of its own, so the five resources above keep their counts.
      second = new Engine({ dir: ROOT, env: { ...process.env, ...env }, passphrase: PASSPHRASE, stack: "reports" });
      const r = await second.up(() => {
        new SecurityIPGroup("big", { zoneId: SEED.teoZoneId, name: "big-allowlist", content });
        new OriginGroup("seed", { zoneId: SEED.teoZoneId, name: "seed-origins", type: "HTTP", records: [{ record: "203.0.113.10", weight: 60 }, { record: "origin.example.com", weight: 40 }] });
        new UserGroup("oncall", { zoneId: SEED.cicZoneId, groupName: "oncall", description: "on-call" });
      });
      expect(r.errors).toEqual([]);
    }, 120_000);
    afterAll(() => second?.close());

    /** Every address-like token of `text`: none may be a cut piece of an address. */
    const addresses = (text: string) => text.match(/\b\d+\.\d+\.\d+\.\d+\b|\b\d+\.\d+\.\d*(?=\.\.\.)/g) ?? [];

    it("writes one replaced entry of a 3,000-entry group as preview does: +1 −1, both named", async () => {
      const groupId = second.outputs("big")!.groupId;
      await emulator.services.teo.backend.admin("patchSecurityIPGroup", { groupId, Content: ["198.51.100.77", ...content.slice(1)] });
      const text = await drift("text", second.exportState());
      expect(text.code).toBe(2);
      expect(text.out).toMatch(/^ +content: \+1 −1 \(3000 entries after\)\n +added: 198\.51\.100\.77\n +removed: 10\.0\.0\.1$/m);
      const md = (await drift("markdown", second.exportState())).out;
      expect(md).toContain("| SecurityIPGroup `big` | drifted | content +1 −1 |");
      expect(md).toContain("- content: +1 −1 (3000 entries after)\n  - added: 198.51.100.77\n  - removed: 10.0.0.1");
    });

    it("lists the first few of 40 replaced entries and counts the rest, never cutting an address", async () => {
      const groupId = second.outputs("big")!.groupId;
      const replacements = Array.from({ length: 40 }, (_, i) => `198.51.100.${i + 1}`);
      await emulator.services.teo.backend.admin("patchSecurityIPGroup", { groupId, Content: [...replacements, ...content.slice(40)] });
      for (const format of ["text", "markdown"]) {
        const r = await drift(format, second.exportState());
        expect(r.out).toMatch(/content: \+40 −40 \(3000 entries after\)/);
        expect(r.out).toMatch(/added: 198\.51\.100\.1, 198\.51\.100\.10, 198\.51\.100\.11, 198\.51\.100\.12, 198\.51\.100\.13, and 35 more/);
        expect(r.out).toMatch(/removed: 10\.0\.0\.1, 10\.0\.0\.10, 10\.0\.0\.11, 10\.0\.0\.12, 10\.0\.0\.13, and 35 more/);
        const whole = new Set([...content, ...replacements]);
        for (const a of addresses(r.out)) expect(whole.has(a), a).toBe(true);
      }
      await emulator.services.teo.backend.admin("patchSecurityIPGroup", { groupId, Content: content });
    });

    it("makes @mentions and #123 references in values inert in markdown, not in text", async () => {
      const groupId = second.outputs("oncall")!.groupId;
      await emulator.services.organization.backend.admin("patchGroup", { groupId, Description: "ping @octocat about #123 and acme/web#45" });
      try {
        const md = (await drift("markdown", second.exportState())).out;
        expect(md).toContain("description: \"on-call\" → \"ping @&#8203;octocat about #&#8203;123 and acme/web#&#8203;45\"");
        expect(md).not.toMatch(/@octocat|#123|#45/);
        expect((await drift("text", second.exportState())).out).toContain("ping @octocat about #123 and acme/web#45");
      } finally {
        await emulator.services.organization.backend.admin("patchGroup", { groupId, Description: "on-call" });
      }
    });

    describe("1,500 origin groups", () => {
      const N = 1500;
      let bulk: StackExport;
      const names = (from: number, count: number) => Array.from({ length: count }, (_, i) => `bulk-${from + i}`);

      beforeAll(() => {
        // Seeded in the emulator's store and cloned from a real export entry: 1,500 `pulumi up`s would cost minutes.
        const teo = (emulator.services.teo.backend as unknown as { models: { createOriginGroup: Function } }).models;
        const state = second.exportState();
        const seed = state.deployment.resources.find((r) => r.urn.endsWith("::seed"))!;
        const clones = names(0, N).map((name) => {
          const id = teo.createOriginGroup(emulator.credentials.tencentSecretId, SEED.teoZoneId, {
            name, type: "HTTP",
            records: [{ record: "203.0.113.10", type: "IP_DOMAIN", weight: 60 }, { record: "origin.example.com", type: "IP_DOMAIN", weight: 40 }],
          });
          return { ...seed, urn: seed.urn.replace(/::seed$/, `::${name}`), id, inputs: { ...seed.inputs, name }, outputs: { ...seed.outputs, groupId: id, name } };
        });
        bulk = { ...state, deployment: { ...state.deployment, resources: [...state.deployment.resources.filter((r) => !r.type.startsWith("pulumi-nodejs:")), ...clones] } };
      });

      const idOf = (name: string) => bulk.deployment.resources.find((r) => r.urn.endsWith(`::${name}`))!.id!;

      it("counts clean resources instead of tabling them", async () => {
        const md = await drift("markdown", bulk);
        expect(md.code).toBe(0);
        expect(md.out.trimEnd()).toBe(`### Drift report: no drift in ${N} resource(s)`);
        console.info(`[drift] ${N} clean resources, markdown: ${md.out.length} characters`);
      }, 60_000);

      it("fits a GitHub issue body with 1,000 drifted and 5 deleted: the deleted first, the left-out count and where the full report is", async () => {
        const teo = emulator.services.teo.backend;
        for (const name of names(0, 1000)) {
          await teo.admin("patchOriginGroup", { groupId: idOf(name), patch: { Records: [{ Record: "203.0.113.10", Type: "IP_DOMAIN", Weight: 1 }, { Record: "origin.example.com", Type: "IP_DOMAIN", Weight: 99 }, { Record: "203.0.113.99", Type: "IP_DOMAIN", Weight: 0 }] } });
        }
        const gone = names(N - 5, 5);
        for (const name of gone) await teo.admin("deleteOriginGroup", { groupId: idOf(name) });
        const file = writeJson("bulk.json", bulk);
        const full = "the `edgeconf-drift-prod` artifact of [this run](https://github.com/acme/edge/actions/runs/1)";
        const wholeFile = path.join(dir, "drift-full.md");
        const md = await run(["drift", file, "--format", "markdown", "--full-report", full, "--write-full", wholeFile]);
        expect(md.code).toBe(2);
        expect(md.out.length).toBeLessThanOrEqual(60_000);
        expect(md.out.split("\n")[0]).toBe(`### Drift report: 1005 of ${N} resource(s) drifted`);
        expect(md.out).toContain(`${N - 1005} clean resource(s) not listed.`);
        for (const name of gone) expect(md.out).toContain(`| OriginGroup \`${name}\` | gone | deleted outside Pulumi |`);
        const rows = md.out.split("\n").filter((l) => /^\| OriginGroup /.test(l)).length;
        expect(md.out).toContain(`**Left out:** ${1005 - rows} of 1005 resource(s), to fit in 60000 characters`);
        expect(md.out).toContain(`The full report: ${full}.`);
        const unlimited = await run(["drift", file, "--format", "markdown", "--max-length", "0"]);
        expect(unlimited.out.length).toBeGreaterThan(65_536);
        expect(unlimited.out).not.toContain("**Left out:**");
        // the artifact's copy comes from the same run, not a second read of 1,500 groups
        expect(fs.readFileSync(wholeFile, "utf8")).toBe(unlimited.out);
        const small = await run(["drift", file, "--format", "markdown", "--max-length", "5000"]);
        expect(small.out.length).toBeLessThanOrEqual(5000);
        for (const name of gone) expect(small.out).toContain(`OriginGroup \`${name}\``);
        expect(small.out).toContain("Run the command without `--max-length` for the full report.");
        expect(JSON.parse((await drift("json", bulk)).out).resources).toHaveLength(N);
        console.info(`[drift] ${N} resources, 1005 not clean, markdown: ${md.out.length} characters (${unlimited.out.length} without --max-length)`);
      }, 120_000);
    });
  });

  it("refuses a --max-length that is not a whole number", async () => {
    for (const bad of ["-1", "lots", "1.5"]) {
      const r = await run(["drift", path.join(dir, "no-such-file.json"), "--max-length", bad]);
      expect(r.code, bad).toBe(1);
      expect(r.err).toMatch(/^edgeconf drift: --max-length must be a whole number of characters \(0 = no limit\)/);
    }
    expect((await run(["drift", "--help"])).out).toMatch(/--max-length N[\s\S]*--full-report MD/);
  });

  it("gives up on a black-holed endpoint at --timeout, showing progress on stderr", async () => {
    const held: net.Socket[] = [];
    const hole = net.createServer((socket) => held.push(socket)); // accepts, never answers
    await new Promise<void>((resolve) => hole.listen(0, "127.0.0.1", resolve));
    try {
      const port = (hole.address() as net.AddressInfo).port;
      const file = writeJson("export.json", engine.exportState());
      const r = await run(["drift", file, "--timeout", "3"], { ...env, EDGECONF_ENDPOINT: `http://127.0.0.1:${port}` });
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/edgeconf drift: still waiting for \d+ resource\(s\) after \d+ s \(.*\); giving up at 3 s/);
      expect(r.out).toMatch(/no answer within 3 s \(--timeout\)/);
      expect(r.out).toMatch(/could not be checked/);
      expect(r.ms).toBeLessThan(20_000);
    } finally {
      for (const s of held) s.destroy();
      await new Promise((resolve) => hole.close(resolve));
    }
  }, 30_000);
});
