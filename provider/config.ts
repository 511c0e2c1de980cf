import { ConfigError } from "./clients/errors";
import type { HuaweiAuth, HuaweiClientOptions } from "./clients/huawei";
import type { TencentClientOptions, TencentCredentials } from "./clients/tencent";

/** Fully namespaced keys: `get("tencentcloud:secretId")`. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** A setting read from stack config first, then from the environment (DESIGN.md "Contracts"). */
export interface Setting {
  key: string;
  env: string;
}

/** The names the official Terraform/Pulumi providers use, so existing setups work unchanged. */
export const SETTINGS = {
  tencentSecretId: { key: "tencentcloud:secretId", env: "TENCENTCLOUD_SECRET_ID" },
  tencentSecretKey: { key: "tencentcloud:secretKey", env: "TENCENTCLOUD_SECRET_KEY" },
  tencentSecurityToken: { key: "tencentcloud:securityToken", env: "TENCENTCLOUD_SECURITY_TOKEN" },
  tencentRegion: { key: "tencentcloud:region", env: "TENCENTCLOUD_REGION" },
  tencentDomain: { key: "tencentcloud:domain", env: "TENCENTCLOUD_DOMAIN" },
  huaweiAccessKey: { key: "huaweicloud:accessKey", env: "HW_ACCESS_KEY" },
  huaweiSecretKey: { key: "huaweicloud:secretKey", env: "HW_SECRET_KEY" },
  huaweiSecurityToken: { key: "huaweicloud:securityToken", env: "HW_SECURITY_TOKEN" },
  huaweiProjectId: { key: "huaweicloud:projectId", env: "HW_PROJECT_ID" },
  huaweiAuthToken: { key: "huaweicloud:authToken", env: "HW_AUTH_TOKEN" },
  endpoint: { key: "edgeconf:endpoint", env: "EDGECONF_ENDPOINT" },
  teoEndpoint: { key: "edgeconf:teoEndpoint", env: "EDGECONF_TEO_ENDPOINT" },
  organizationEndpoint: { key: "edgeconf:organizationEndpoint", env: "EDGECONF_ORGANIZATION_ENDPOINT" },
  gaEndpoint: { key: "edgeconf:gaEndpoint", env: "EDGECONF_GA_ENDPOINT" },
} as const satisfies Record<string, Setting>;

/** Secrets are set with `--secret`; the hint says so. */
const SECRET_SETTINGS: readonly Setting[] = [
  SETTINGS.tencentSecretKey, SETTINGS.tencentSecurityToken, SETTINGS.huaweiSecretKey,
  SETTINGS.huaweiSecurityToken, SETTINGS.huaweiAuthToken,
];

/** Empty and blank values count as unset: `export FOO=` must not shadow stack config. */
export const readSetting = (cfg: ConfigSource, env: NodeJS.ProcessEnv, s: Setting): string | undefined => {
  const fromConfig = cfg.get(s.key)?.trim();
  if (fromConfig) return fromConfig;
  const fromEnv = env[s.env]?.trim();
  return fromEnv || undefined;
};

export const getSettingHint = (s: Setting): string =>
  `pulumi config set${SECRET_SETTINGS.includes(s) ? " --secret" : ""} ${s.key} <value>, or environment variable ${s.env}`;

export const missingSetting = (what: string, ...settings: Setting[]): ConfigError =>
  new ConfigError(`${what} is not configured; set ${settings.map(getSettingHint).join("; or ")}`, { what, settings });

const requireSetting = (cfg: ConfigSource, env: NodeJS.ProcessEnv, what: string, s: Setting): string => {
  const value = readSetting(cfg, env, s);
  if (value === undefined) throw missingSetting(what, s);
  return value;
};

const definedEntries = (o: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));

/**
 * Endpoints and region are read now (they are not secret); credentials are read on every call, so a
 * missing one fails the first API call with a ConfigError rather than the program's start, and rotated
 * values are picked up. A per-service endpoint wins over `edgeconf:endpoint`.
 */
export function resolveTencent(cfg: ConfigSource, env: NodeJS.ProcessEnv = process.env): TencentClientOptions {
  const credentials = (): TencentCredentials => {
    const secretId = requireSetting(cfg, env, "Tencent Cloud SecretId", SETTINGS.tencentSecretId);
    const secretKey = requireSetting(cfg, env, "Tencent Cloud SecretKey", SETTINGS.tencentSecretKey);
    const token = readSetting(cfg, env, SETTINGS.tencentSecurityToken);
    return token ? { secretId, secretKey, token } : { secretId, secretKey };
  };
  const opts: TencentClientOptions = { credentials };
  const domain = readSetting(cfg, env, SETTINGS.tencentDomain);
  const region = readSetting(cfg, env, SETTINGS.tencentRegion);
  const endpoint = readSetting(cfg, env, SETTINGS.endpoint);
  const endpoints = definedEntries({
    teo: readSetting(cfg, env, SETTINGS.teoEndpoint),
    organization: readSetting(cfg, env, SETTINGS.organizationEndpoint),
  });
  if (domain) opts.domain = domain;
  if (region) opts.region = region;
  if (endpoint) opts.endpoint = endpoint;
  if (Object.keys(endpoints).length > 0) opts.endpoints = endpoints;
  return opts;
}

/**
 * AK/SK when both keys are set (then a project ID is required: GA uses project-scoped credentials and
 * the X-Project-Id header); token auth when only `authToken` is set.
 */
export function resolveHuawei(cfg: ConfigSource, env: NodeJS.ProcessEnv = process.env): HuaweiClientOptions {
  const auth = (): HuaweiAuth => {
    const accessKey = readSetting(cfg, env, SETTINGS.huaweiAccessKey);
    const secretKey = readSetting(cfg, env, SETTINGS.huaweiSecretKey);
    const projectId = readSetting(cfg, env, SETTINGS.huaweiProjectId);
    const authToken = readSetting(cfg, env, SETTINGS.huaweiAuthToken);
    if (accessKey === undefined && secretKey === undefined && authToken !== undefined) {
      return projectId ? { kind: "token", token: authToken, projectId } : { kind: "token", token: authToken };
    }
    if (accessKey === undefined && secretKey === undefined) {
      throw missingSetting("Huawei Cloud credentials", SETTINGS.huaweiAccessKey, SETTINGS.huaweiSecretKey, SETTINGS.huaweiAuthToken);
    }
    if (accessKey === undefined) throw missingSetting("Huawei Cloud access key", SETTINGS.huaweiAccessKey);
    if (secretKey === undefined) throw missingSetting("Huawei Cloud secret key", SETTINGS.huaweiSecretKey);
    if (projectId === undefined) throw missingSetting("Huawei Cloud project ID (required with AK/SK)", SETTINGS.huaweiProjectId);
    const securityToken = readSetting(cfg, env, SETTINGS.huaweiSecurityToken);
    return { kind: "aksk", accessKey, secretKey, projectId, ...(securityToken ? { securityToken } : {}) };
  };
  const opts: HuaweiClientOptions = { auth };
  const endpoint = readSetting(cfg, env, SETTINGS.endpoint);
  const ga = readSetting(cfg, env, SETTINGS.gaEndpoint);
  if (endpoint) opts.endpoint = endpoint;
  if (ga) opts.endpoints = { ga };
  return opts;
}
