/**
 * The messages a user reads when configuration is wrong, as Pulumi's dynamic-provider process reports them:
 * each names the setting to fix (config key or environment variable) and never a credential's value.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { DEFAULT_CREDENTIALS, SEED } from "../../emulator/core/defaults";
import { Engine, type OperationResult } from "../../engine/engine";
import { EndpointGroup, UserGroup } from "../../provider";
import { HUAWEI_CREDENTIALS_NEEDED, resolveHuawei } from "../../provider/config";

const ROOT = path.resolve(__dirname, "..", "..");

/** The provider process environment without any of our settings (tests set exactly what they mean). */
const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TENCENTCLOUD_|HW_|EDGECONF_)/.test(k))),
  ...extra,
});

const userGroup = () => { new UserGroup("ops", { zoneId: SEED.cicZoneId, groupName: "edge-operators" }); };
const endpointGroup = () => { new EndpointGroup("eu", { listenerId: SEED.gaListenerId, regionId: "eu-west-101" }); };

/** Everything a user sees of one operation: errors, check failures and what the provider process printed. */
const shown = (r: OperationResult) => [...r.errors, ...r.failures.map((f) => f.reason), ...r.providerOutput].join("\n");
const secretValues = Object.values(DEFAULT_CREDENTIALS).filter((v) => v.length > 8);

describe("messages for misconfiguration, through Pulumi's dynamic-provider process", () => {
  let emulator: RunningEmulator;
  const engine = (config: Record<string, string>, env: Record<string, string> = {}) =>
    new Engine({ dir: ROOT, config, secretKeys: ["tencentcloud:secretKey", "huaweicloud:secretKey"], env: cleanEnv(env) });

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, credentialEnv: {}, settings: { gaPendingMs: 50 } });
  });
  afterAll(async () => emulator?.close());

  it("fails the preview on an endpoint without a scheme, naming the config key and its value", async () => {
    const r = await engine({ ...emulator.stackConfig, "edgeconf:endpoint": "127.0.0.1:8080" }).preview(userGroup);
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => f.reason)).toEqual([
      "edgeconf:endpoint=127.0.0.1:8080 is not a URL; write it with its scheme, e.g. http://127.0.0.1:8080",
    ]);
    expect(r.calls).toEqual([]);
  }, 30_000);

  it("names the environment variable when the bad endpoint came from the environment", async () => {
    const { "edgeconf:endpoint": _, ...config } = emulator.stackConfig;
    const r = await engine(config, { EDGECONF_ENDPOINT: "ftp://127.0.0.1:8080" }).preview(endpointGroup);
    expect(r.failures.map((f) => f.reason)).toEqual(["EDGECONF_ENDPOINT=ftp://127.0.0.1:8080 is not an http:// or https:// URL"]);
  }, 30_000);

  it("says exactly what Huawei authentication needs when nothing is set", async () => {
    const config = { "edgeconf:endpoint": emulator.url };
    const r = await engine(config).up(endpointGroup);
    expect(r.ok).toBe(false);
    expect(shown(r)).toContain(HUAWEI_CREDENTIALS_NEEDED);
    expect(HUAWEI_CREDENTIALS_NEEDED).toContain(
      "Set either an AK/SK pair with its project: huaweicloud:accessKey (or HW_ACCESS_KEY), huaweicloud:secretKey (or HW_SECRET_KEY) (secret) " +
        "and huaweicloud:projectId (or HW_PROJECT_ID)",
    );
    expect(HUAWEI_CREDENTIALS_NEEDED).toContain("or a project-scoped IAM token: huaweicloud:authToken (or HW_AUTH_TOKEN)");
  }, 30_000);

  it("says exactly what Tencent authentication needs when nothing is set", async () => {
    const r = await engine({ "edgeconf:endpoint": emulator.url }).up(userGroup);
    expect(r.ok).toBe(false);
    expect(shown(r)).toContain(
      "Tencent Cloud credentials are not configured. Set a SecretId/SecretKey pair: tencentcloud:secretId (or TENCENTCLOUD_SECRET_ID) " +
        "and tencentcloud:secretKey (or TENCENTCLOUD_SECRET_KEY) (secret), plus tencentcloud:securityToken (or TENCENTCLOUD_SECURITY_TOKEN) " +
        "for temporary (STS) credentials.",
    );
  }, 30_000);

  it.each([
    [{ HW_ACCESS_KEY: "ak" }, "Huawei Cloud secret key (AK/SK authentication needs both keys; the access key is set) is not configured; set pulumi config set --secret huaweicloud:secretKey <value>, or environment variable HW_SECRET_KEY"],
    [{ HW_SECRET_KEY: "sk" }, "Huawei Cloud access key (AK/SK authentication needs both keys; the secret key is set) is not configured; set pulumi config set huaweicloud:accessKey <value>, or environment variable HW_ACCESS_KEY"],
  ])("names the missing half of an AK/SK pair (env %o)", (env, message) => {
    expect(() => resolveHuawei({ get: () => undefined }, env).auth()).toThrow(message);
  });

  it("names the stack config keys that supplied rejected Tencent credentials, and that they shadow the environment", async () => {
    const config = { ...emulator.stackConfig, "tencentcloud:secretId": "AKIDREALCLOUDKEY000000000000000000000" };
    const r = await engine(config, { TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIALS.tencentSecretId }).up(userGroup);
    expect(r.ok).toBe(false);
    const text = shown(r);
    expect(text).toContain("AuthFailure.SecretIdNotFound");
    expect(text).toContain(
      "[credentials from stack config tencentcloud:secretId, stack config tencentcloud:secretKey " +
        "(stack config wins over TENCENTCLOUD_SECRET_ID, also set; remove the stack config to use the environment)]",
    );
    expect(text).not.toContain("AKIDREALCLOUDKEY");
    for (const v of secretValues) expect(text).not.toContain(v);
  }, 30_000);

  it("names the environment variables that supplied a wrong Tencent secret key (AuthFailure.SignatureFailure)", async () => {
    const r = await engine({ "edgeconf:endpoint": emulator.url }, {
      TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIALS.tencentSecretId, TENCENTCLOUD_SECRET_KEY: "wrongSecretKey000000000000000000",
    }).up(userGroup);
    const text = shown(r);
    expect(text).toContain("AuthFailure.SignatureFailure");
    expect(text).toContain("[credentials from environment variable TENCENTCLOUD_SECRET_ID, environment variable TENCENTCLOUD_SECRET_KEY]");
    expect(text).not.toContain("wrongSecretKey");
  }, 30_000);

  it("names the settings that supplied rejected Huawei credentials (APIGW.0301)", async () => {
    const config = { ...emulator.stackConfig, "huaweicloud:secretKey": "wrongHuaweiSecretKey0000000000000000000000" };
    const r = await engine(config).up(endpointGroup);
    const text = shown(r);
    expect(text).toMatch(/APIGW?\.0301/);
    expect(text).toContain(
      "[credentials from stack config huaweicloud:accessKey, stack config huaweicloud:secretKey, stack config huaweicloud:projectId]",
    );
    expect(text).not.toContain("wrongHuaweiSecretKey");
  }, 30_000);

  it("prints no stack trace of our internals for an authentication failure during refresh", async () => {
    const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-messages-")), "dev.json");
    const stack = (config: Record<string, string>) =>
      new Engine({ dir: ROOT, stateFile, config, secretKeys: ["tencentcloud:secretKey"], env: cleanEnv() });
    const good = stack(emulator.stackConfig);
    expect((await good.up(userGroup)).errors).toEqual([]);
    const r = await stack({ ...emulator.stackConfig, "tencentcloud:secretId": "AKIDREALCLOUDKEY000000000000000000000" }).refresh();
    expect(r.errors.join("\n")).toContain("AuthFailure.SecretIdNotFound");
    expect(r.providerOutput.join("\n")).toContain("[EDGECONF_API]");
    expect(r.providerOutput.join("\n")).not.toMatch(/^\s+at /m);
    expect((await good.destroy()).errors).toEqual([]);
  }, 60_000);
});
