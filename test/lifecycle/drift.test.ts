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
      execFile(process.execPath, [CLI, ...args], { env: runEnv, encoding: "utf8" }, (error, out, err) =>
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
