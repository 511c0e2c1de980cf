import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../provider/clients/errors";
import { getHuaweiBaseUrl } from "../../../provider/clients/huawei";
import { getTencentBaseUrl } from "../../../provider/clients/tencent";
import { resolveHuawei, resolveTencent, type ConfigSource } from "../../../provider/config";

const config = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });

const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
};

describe("resolveTencent", () => {
  it("prefers stack config over the environment, key by key", async () => {
    const o = resolveTencent(
      config({ "tencentcloud:secretId": "cfg-id", "tencentcloud:region": "ap-guangzhou" }),
      { TENCENTCLOUD_SECRET_ID: "env-id", TENCENTCLOUD_SECRET_KEY: "env-key", TENCENTCLOUD_REGION: "ap-beijing", TENCENTCLOUD_SECURITY_TOKEN: "env-token" },
    );
    expect(await o.credentials()).toEqual({ secretId: "cfg-id", secretKey: "env-key", token: "env-token" });
    expect(o.region).toBe("ap-guangzhou");
  });

  it("treats an empty environment variable as unset", async () => {
    const o = resolveTencent(config({ "tencentcloud:secretId": "id", "tencentcloud:secretKey": "key" }), { TENCENTCLOUD_SECURITY_TOKEN: "" });
    expect(await o.credentials()).toEqual({ secretId: "id", secretKey: "key" });
  });

  it("fails lazily with a ConfigError naming the config key and the environment variable", () => {
    const o = resolveTencent(config({ "tencentcloud:secretId": "id" }), {});
    const err = thrown(() => o.credentials());
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain("pulumi config set --secret tencentcloud:secretKey");
    expect(err.message).toContain("TENCENTCLOUD_SECRET_KEY");
  });

  it("uses the international root domain when configured", () => {
    const o = resolveTencent(config({}), { TENCENTCLOUD_DOMAIN: "intl.tencentcloudapi.com" });
    expect(getTencentBaseUrl(o, "teo")).toBe("https://teo.intl.tencentcloudapi.com");
    expect(getTencentBaseUrl(resolveTencent(config({}), {}), "organization")).toBe("https://organization.tencentcloudapi.com");
  });

  it("sends every service to EDGECONF_ENDPOINT, with per-service overrides winning", () => {
    const o = resolveTencent(config({ "edgeconf:organizationEndpoint": "http://127.0.0.1:9" }), { EDGECONF_ENDPOINT: "http://127.0.0.1:8080" });
    expect(getTencentBaseUrl(o, "teo")).toBe("http://127.0.0.1:8080");
    expect(getTencentBaseUrl(o, "organization")).toBe("http://127.0.0.1:9");
    const fromConfig = resolveTencent(config({ "edgeconf:endpoint": "http://127.0.0.1:1" }), { EDGECONF_ENDPOINT: "http://127.0.0.1:2", EDGECONF_TEO_ENDPOINT: "http://127.0.0.1:3" });
    expect(getTencentBaseUrl(fromConfig, "organization")).toBe("http://127.0.0.1:1");
    expect(getTencentBaseUrl(fromConfig, "teo")).toBe("http://127.0.0.1:3");
  });
});

describe("resolveHuawei", () => {
  it("resolves AK/SK with project and security token, config before env", async () => {
    const o = resolveHuawei(config({ "huaweicloud:accessKey": "cfg-ak", "huaweicloud:projectId": "p1" }), {
      HW_ACCESS_KEY: "env-ak", HW_SECRET_KEY: "env-sk", HW_SECURITY_TOKEN: "sts", HW_PROJECT_ID: "p2",
    });
    expect(await o.auth()).toEqual({ kind: "aksk", accessKey: "cfg-ak", secretKey: "env-sk", projectId: "p1", securityToken: "sts" });
  });

  it("uses token auth when only an auth token is set", async () => {
    const o = resolveHuawei(config({}), { HW_AUTH_TOKEN: "tok", HW_PROJECT_ID: "p" });
    expect(await o.auth()).toEqual({ kind: "token", token: "tok", projectId: "p" });
  });

  it("prefers AK/SK when both AK/SK and a token are set", async () => {
    const o = resolveHuawei(config({ "huaweicloud:authToken": "tok" }), { HW_ACCESS_KEY: "ak", HW_SECRET_KEY: "sk", HW_PROJECT_ID: "p" });
    expect((await o.auth()).kind).toBe("aksk");
  });

  it.each([
    [{}, ["huaweicloud:accessKey", "HW_ACCESS_KEY", "huaweicloud:authToken", "HW_AUTH_TOKEN"]],
    [{ HW_ACCESS_KEY: "ak" }, ["pulumi config set --secret huaweicloud:secretKey", "HW_SECRET_KEY"]],
    [{ HW_ACCESS_KEY: "ak", HW_SECRET_KEY: "sk" }, ["huaweicloud:projectId", "HW_PROJECT_ID"]],
  ])("names the missing setting (env %o)", (env, names) => {
    const err = thrown(() => resolveHuawei(config({}), env as NodeJS.ProcessEnv).auth());
    expect(err).toBeInstanceOf(ConfigError);
    for (const n of names) expect(err.message).toContain(n);
  });

  it("defaults to the GA endpoint and follows EDGECONF_ENDPOINT and EDGECONF_GA_ENDPOINT", () => {
    expect(getHuaweiBaseUrl(resolveHuawei(config({}), {}), "ga")).toBe("https://ga.myhuaweicloud.com");
    expect(getHuaweiBaseUrl(resolveHuawei(config({}), { EDGECONF_ENDPOINT: "http://127.0.0.1:8080" }), "ga")).toBe("http://127.0.0.1:8080");
    expect(getHuaweiBaseUrl(resolveHuawei(config({ "edgeconf:gaEndpoint": "http://127.0.0.1:7" }), { EDGECONF_ENDPOINT: "http://127.0.0.1:8080" }), "ga"))
      .toBe("http://127.0.0.1:7");
  });
});
