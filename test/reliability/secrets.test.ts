/**
 * Secrets stay secret: lifecycles through Pulumi's dynamic-provider process with real configured credentials
 * (stack config marked secret, then the provider process environment), forced failures (wrong keys, API errors,
 * transport errors), and a scan of everything produced: state exports, every `__provider`, provider output,
 * error and failure texts. Needs `npm run build` (the provider process loads dist/).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SEED } from "../../emulator/core/defaults";
import { EndpointGroup, OriginGroup, SecurityIPGroup, UserGroup } from "../../provider";
import { Engine, type OperationResult } from "../../engine/engine";
import { decryptSecret, isSecretEnvelope } from "../../engine/state";

const ROOT = path.resolve(__dirname, "..", "..");
const TENCENT_KEY = "tcSecretKeyReliability7f3c9a1b2d4e";
const HUAWEI_KEY = "hwSecretKeyReliabilityQ8r2m5n7p0s4u6w9y";
const WRONG_TENCENT_KEY = "tcWrongKeyReliability0000aaaabbbb";
const WRONG_HUAWEI_KEY = "hwWrongKeyReliability1111ccccdddd";
const COS_ACCESS = "AKIDcosBucketAccess99887766";
const COS_SECRET = "cosBucketSecretValue5544332211zz";
const SECRETS = [TENCENT_KEY, HUAWEI_KEY, WRONG_TENCENT_KEY, WRONG_HUAWEI_KEY, COS_ACCESS, COS_SECRET];
/** A TC3 or Huawei signature as it would appear in an Authorization header. */
const SIGNATURE = /Signature=[0-9a-f]{16,}|TC3-HMAC-SHA256 Credential|SDK-HMAC-SHA256 Access/;
const PASSPHRASE = "edgeconf-test";

function program(opts: { description?: string; badRegion?: boolean } = {}) {
  return () => {
    new OriginGroup("bucket", {
      zoneId: SEED.teoZoneId,
      name: "private-bucket",
      type: "HTTP",
      records: [{
        record: "assets-1250000000.cos.ap-guangzhou.myqcloud.com",
        type: "COS",
        private: true,
        privateParameters: [{ name: "AccessKeyId", value: COS_ACCESS }, { name: "SecretAccessKey", value: COS_SECRET }],
      }],
    });
    new SecurityIPGroup("office", { zoneId: SEED.teoZoneId, content: ["198.51.100.0/24"] });
    new UserGroup("ops", { zoneId: SEED.cicZoneId, description: opts.description ?? "operators" });
    new UserGroup("dev", { zoneId: SEED.cicZoneId, description: "developers" });
    new EndpointGroup("eu", { listenerId: SEED.gaListenerId, regionId: opts.badRegion ? "ap-nowhere-9" : "eu-west-101", trafficDialPercentage: 10 });
    return { ok: pulumi.output(1) };
  };
}

const withoutCredentialEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TENCENTCLOUD|HW)_/.test(k)));

describe("secrets never reach state, the provider text, logs or errors", () => {
  let emulator: RunningEmulator;
  const produced: { where: string; text: string }[] = [];
  const states: { where: string; state: any }[] = [];

  const record = (where: string, r: OperationResult, engine: Engine) => {
    produced.push({ where: `${where}: errors`, text: JSON.stringify(r.errors) });
    produced.push({ where: `${where}: failures`, text: JSON.stringify(r.failures) });
    produced.push({ where: `${where}: provider output`, text: r.providerOutput.join("\n") });
    const state = engine.exportState();
    states.push({ where, state });
    produced.push({ where: `${where}: state export`, text: JSON.stringify(state) });
    return r;
  };

  const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-secrets-")), "dev.json");
  const configEngine = (keys: { tencent: string; huawei: string }) => {
    const creds = emulator.credentials;
    return new Engine({
      dir: ROOT,
      stateFile,
      config: {
        "edgeconf:endpoint": emulator.url,
        "tencentcloud:secretId": creds.tencentSecretId,
        "tencentcloud:secretKey": keys.tencent,
        "huaweicloud:accessKey": creds.huaweiAccessKey,
        "huaweicloud:secretKey": keys.huawei,
        "huaweicloud:projectId": creds.huaweiProjectId,
      },
      secretKeys: ["tencentcloud:secretKey", "huaweicloud:secretKey"],
      env: { ...withoutCredentialEnv(), EDGECONF_TIMEOUT_MS: "500" },
    });
  };

  beforeAll(async () => {
    emulator = await startEmulator({
      quiet: true,
      credentialEnv: {},
      credentials: { tencentSecretId: "AKIDRELIABILITY0000000000000000000000", tencentSecretKey: TENCENT_KEY, huaweiAccessKey: "RELIABILITYAK0000000", huaweiSecretKey: HUAWEI_KEY },
      settings: { gaPendingMs: 20 },
    });
  }, 60_000);

  afterAll(async () => {
    await emulator?.close();
    fs.rmSync(path.dirname(stateFile), { recursive: true, force: true });
  });

  it("runs a lifecycle with credentials from stack config (marked secret), with API and transport errors forced", async () => {
    const engine = configEngine({ tencent: TENCENT_KEY, huawei: HUAWEI_KEY });
    expect(record("up", await engine.up(program()), engine).ok).toBe(true);
    expect(record("refresh", await engine.refresh(), engine).ok).toBe(true);
    // API errors: a region the listener does not serve (GA.9105), an injected InternalError echoed back
    expect(record("up bad region", await engine.up(program({ badRegion: true })), engine).ok).toBe(false);
    emulator.inject({ service: "organization", action: "UpdateGroup", kind: "error", code: "InternalError", message: `boom ${TENCENT_KEY.slice(0, 4)}`, count: 10 });
    expect(record("up internal error", await engine.up(program({ description: "changed" })), engine).ok).toBe(false);
    emulator.clearFaults();
    // transport errors: connections dropped on every read, a bare 503
    emulator.inject({ action: "*", kind: "drop-before", count: 40 });
    record("refresh dropped", await engine.refresh(), engine);
    emulator.clearFaults();
    emulator.inject({ action: "*", kind: "http", status: 503, count: 40 });
    record("refresh 503", await engine.refresh(), engine);
    emulator.clearFaults();
    expect(record("up", await engine.up(program({ description: "changed" })), engine).ok).toBe(true);
    expect(produced.some((p) => /InternalError|GA\.9105/.test(p.text))).toBe(true);
    expect(produced.some((p) => /not sent|503|connection/i.test(p.text))).toBe(true);

    // wrong keys: every call is refused; the refusal text must not carry the key or the signature
    const wrong = configEngine({ tencent: WRONG_TENCENT_KEY, huawei: WRONG_HUAWEI_KEY });
    const refused = record("refresh wrong keys", await wrong.refresh(), wrong);
    expect(refused.ok).toBe(false);
    expect(refused.errors.join("\n")).toMatch(/AuthFailure|APIGW\.0301/);

    expect(record("destroy", await engine.destroy(), engine).ok).toBe(true);
  }, 240_000);

  it("runs a lifecycle with credentials from the provider process environment", async () => {
    const creds = emulator.credentials;
    const engine = new Engine({
      dir: ROOT,
      config: { "edgeconf:endpoint": emulator.url },
      env: {
        ...withoutCredentialEnv(),
        TENCENTCLOUD_SECRET_ID: creds.tencentSecretId,
        TENCENTCLOUD_SECRET_KEY: TENCENT_KEY,
        HW_ACCESS_KEY: creds.huaweiAccessKey,
        HW_SECRET_KEY: HUAWEI_KEY,
        HW_PROJECT_ID: creds.huaweiProjectId,
      },
    });
    expect(record("env up", await engine.up(program()), engine).ok).toBe(true);
    expect(record("env refresh", await engine.refresh(), engine).ok).toBe(true);
    expect(record("env destroy", await engine.destroy(), engine).ok).toBe(true);
  }, 240_000);

  it("finds no credential, signature or bucket key in anything produced", () => {
    expect(produced.length).toBeGreaterThan(20);
    for (const { where, text } of produced) {
      for (const secret of SECRETS) expect(text.includes(secret), `${where} contains a secret`).toBe(false);
      expect(SIGNATURE.test(text), `${where} contains a signature`).toBe(false);
    }
  });

  it("keeps bucket keys only inside secret envelopes in state inputs, and only their fingerprints in outputs", () => {
    let checked = 0;
    for (const { where, state } of states) {
      for (const r of state.deployment.resources.filter((x: any) => x.type.endsWith(":OriginGroup"))) {
        for (const side of ["inputs", "outputs"] as const) {
          const records = r[side]?.records;
          if (records === undefined) continue;
          expect(isSecretEnvelope(records), `${where}: ${side}.records is not secret`).toBe(true);
          // Outputs keep a fingerprint of bucket keys, never the key (issue 15); inputs keep what the program
          // declared, or, after a refresh, what the read reported: the fingerprint.
          const text = JSON.stringify(decryptSecret(records, PASSPHRASE));
          if (side === "outputs") expect(text).not.toContain(COS_SECRET);
          expect(text).toMatch(side === "outputs" ? /hmac-sha256:/ : new RegExp(`${COS_SECRET}|hmac-sha256:`));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(4);
  });

  it("keeps every __provider small, free of secrets and identical for all resources of a kind", () => {
    const byKind = new Map<string, Set<string>>();
    let count = 0;
    for (const { state } of states) {
      for (const r of state.deployment.resources.filter((x: any) => x.type.includes("dynamic"))) {
        for (const text of [r.inputs?.__provider, r.outputs?.__provider]) {
          if (text === undefined) continue;
          count++;
          expect(typeof text).toBe("string");
          expect(Buffer.byteLength(text)).toBeLessThan(4096);
          for (const secret of SECRETS) expect(text.includes(secret)).toBe(false);
          const kind = r.type.split(":").pop();
          byKind.set(kind, (byKind.get(kind) ?? new Set()).add(text));
        }
      }
    }
    expect(count).toBeGreaterThan(10);
    expect([...byKind.keys()].sort()).toEqual(["EndpointGroup", "OriginGroup", "SecurityIPGroup", "UserGroup"]);
    for (const [kind, texts] of byKind) expect(texts.size, `${kind} has ${texts.size} provider texts`).toBe(1);
  });
});
