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

/** Where a setting's value came from, by name only (the value of a credential is never shown). */
export const settingSource = (cfg: ConfigSource, env: NodeJS.ProcessEnv, s: Setting): string | undefined => {
  if (cfg.get(s.key)?.trim()) return `stack config ${s.key}`;
  if (env[s.env]?.trim()) return `environment variable ${s.env}`;
  return undefined;
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

/** The endpoint settings each service's base URL may come from, most specific first. */
export const ENDPOINT_SETTINGS: Readonly<Record<"teo" | "organization" | "ga", readonly Setting[]>> = {
  teo: [SETTINGS.teoEndpoint, SETTINGS.endpoint],
  organization: [SETTINGS.organizationEndpoint, SETTINGS.endpoint],
  ga: [SETTINGS.gaEndpoint, SETTINGS.endpoint],
};

/**
 * Why a configured endpoint cannot be used, naming the key (or variable) that supplied it and its value
 * (endpoints are not secret), or undefined when it is a usable http(s) base URL. `127.0.0.1:8080` without
 * a scheme would otherwise fail every call with a bare "Invalid URL".
 */
export function endpointProblem(cfg: ConfigSource, env: NodeJS.ProcessEnv, s: Setting): string | undefined {
  const value = readSetting(cfg, env, s);
  if (value === undefined) return undefined;
  const from = cfg.get(s.key)?.trim() ? s.key : s.env;
  const fix = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? "" : `; write it with its scheme, e.g. http://${value}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${from}=${value} is not a URL${fix}`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `${from}=${value} is not an http:// or https:// URL${fix}`;
  if (url.search || url.hash) return `${from}=${value} must be a base URL without query or fragment`;
  return undefined;
}

/** Every endpoint problem of one service's settings (see endpointProblem). */
export const endpointProblems = (cfg: ConfigSource, env: NodeJS.ProcessEnv, service: keyof typeof ENDPOINT_SETTINGS): string[] =>
  ENDPOINT_SETTINGS[service].map((s) => endpointProblem(cfg, env, s)).filter((p): p is string => p !== undefined);

const requireEndpoints = (cfg: ConfigSource, env: NodeJS.ProcessEnv, ...services: (keyof typeof ENDPOINT_SETTINGS)[]): void => {
  const problems = [...new Set(services.flatMap((service) => endpointProblems(cfg, env, service)))];
  if (problems.length > 0) throw new ConfigError(problems.join("; "));
};

/**
 * The names (never the values) of the settings that supplied a cloud's credentials, for the message of an
 * authentication failure, plus a warning when stack config shadows a different environment variable: the
 * common trap of real-cloud config left in the stack while running against the emulator.
 */
export function credentialSources(cfg: ConfigSource, env: NodeJS.ProcessEnv, cloud: "tencent" | "huawei"): string {
  const settings = cloud === "tencent"
    ? [SETTINGS.tencentSecretId, SETTINGS.tencentSecretKey, SETTINGS.tencentSecurityToken]
    : [SETTINGS.huaweiAccessKey, SETTINGS.huaweiSecretKey, SETTINGS.huaweiSecurityToken, SETTINGS.huaweiAuthToken, SETTINGS.huaweiProjectId];
  const used = settings.flatMap((s) => settingSource(cfg, env, s) ?? []);
  const shadowed = settings.filter((s) => cfg.get(s.key)?.trim() && env[s.env]?.trim()).map((s) => s.env);
  return `credentials from ${used.length ? used.join(", ") : "no setting"}` +
    (shadowed.length ? ` (stack config wins over ${shadowed.join(", ")}, also set; remove the stack config to use the environment)` : "");
}

const definedEntries = (o: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));

const nameBoth = (s: Setting) => `${s.key} (or ${s.env})`;

/** What Tencent authentication needs when nothing is set: the pair, never one key alone. */
export const TENCENT_CREDENTIALS_NEEDED =
  "Tencent Cloud credentials are not configured. Set a SecretId/SecretKey pair: " +
  `${nameBoth(SETTINGS.tencentSecretId)} and ${nameBoth(SETTINGS.tencentSecretKey)} (secret), ` +
  `plus ${nameBoth(SETTINGS.tencentSecurityToken)} for temporary (STS) credentials. Set secrets with pulumi config set --secret.`;

/** The same, for tools that read only the environment (`edgeconf drift`). */
const TENCENT_CREDENTIALS_MISSING = {
  what: "Tencent Cloud credentials",
  settings: [SETTINGS.tencentSecretId, SETTINGS.tencentSecretKey],
  envHint: "set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (plus TENCENTCLOUD_SECURITY_TOKEN for temporary credentials)",
};

/**
 * Endpoints and region are read now (they are not secret); credentials are read on every call, so a
 * missing one fails the first API call with a ConfigError rather than the program's start, and rotated
 * values are picked up. A per-service endpoint wins over `edgeconf:endpoint`.
 */
export function resolveTencent(cfg: ConfigSource, env: NodeJS.ProcessEnv = process.env): TencentClientOptions {
  requireEndpoints(cfg, env, "teo", "organization");
  const credentials = (): TencentCredentials => {
    if (readSetting(cfg, env, SETTINGS.tencentSecretId) === undefined && readSetting(cfg, env, SETTINGS.tencentSecretKey) === undefined) {
      throw new ConfigError(TENCENT_CREDENTIALS_NEEDED, TENCENT_CREDENTIALS_MISSING);
    }
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

/** What Huawei authentication needs, all of it: one of the two complete ways, never any single key. */
export const HUAWEI_CREDENTIALS_NEEDED =
  "Huawei Cloud credentials are not configured. Set either an AK/SK pair with its project: " +
  `${nameBoth(SETTINGS.huaweiAccessKey)}, ${nameBoth(SETTINGS.huaweiSecretKey)} (secret) and ${nameBoth(SETTINGS.huaweiProjectId)}, ` +
  `plus ${nameBoth(SETTINGS.huaweiSecurityToken)} for temporary keys; ` +
  `or a project-scoped IAM token: ${nameBoth(SETTINGS.huaweiAuthToken)} (secret; the project ID is optional then). ` +
  "Set secrets with pulumi config set --secret.";

/** The same, for tools that read only the environment (`edgeconf drift`). */
const HUAWEI_CREDENTIALS_MISSING = {
  what: "Huawei Cloud credentials",
  settings: [SETTINGS.huaweiAccessKey, SETTINGS.huaweiSecretKey, SETTINGS.huaweiProjectId, SETTINGS.huaweiAuthToken],
  envHint: "set HW_ACCESS_KEY, HW_SECRET_KEY and HW_PROJECT_ID (plus HW_SECURITY_TOKEN for temporary keys), or HW_AUTH_TOKEN",
};

/**
 * AK/SK when both keys are set (then a project ID is required: GA uses project-scoped credentials and
 * the X-Project-Id header); token auth when only `authToken` is set.
 */
export function resolveHuawei(cfg: ConfigSource, env: NodeJS.ProcessEnv = process.env): HuaweiClientOptions {
  requireEndpoints(cfg, env, "ga");
  const auth = (): HuaweiAuth => {
    const accessKey = readSetting(cfg, env, SETTINGS.huaweiAccessKey);
    const secretKey = readSetting(cfg, env, SETTINGS.huaweiSecretKey);
    const projectId = readSetting(cfg, env, SETTINGS.huaweiProjectId);
    const authToken = readSetting(cfg, env, SETTINGS.huaweiAuthToken);
    if (accessKey === undefined && secretKey === undefined && authToken !== undefined) {
      return projectId ? { kind: "token", token: authToken, projectId } : { kind: "token", token: authToken };
    }
    if (accessKey === undefined && secretKey === undefined) throw new ConfigError(HUAWEI_CREDENTIALS_NEEDED, HUAWEI_CREDENTIALS_MISSING);
    if (accessKey === undefined) throw missingSetting("Huawei Cloud access key (AK/SK authentication needs both keys; the secret key is set)", SETTINGS.huaweiAccessKey);
    if (secretKey === undefined) throw missingSetting("Huawei Cloud secret key (AK/SK authentication needs both keys; the access key is set)", SETTINGS.huaweiSecretKey);
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
