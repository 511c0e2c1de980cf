/**
 * Which credentials the emulator accepts: exactly one configured set (stricter than accepting the defaults too).
 * Resolution per value: explicit option, then the provider's own environment variable names (so one set of
 * variables serves both the emulator and a program), then DEFAULT_CREDENTIALS.
 */
import { DEFAULT_CREDENTIALS } from "./defaults";

export interface EmulatorCredentials {
  tencentSecretId: string;
  tencentSecretKey: string;
  /** When set, the Tencent pair is temporary: every request must carry this `X-TC-Token`. */
  tencentToken?: string;
  huaweiAccessKey: string;
  huaweiSecretKey: string;
  huaweiProjectId: string;
  /** accepted as `X-Auth-Token` */
  huaweiAuthToken: string;
}

/** `Partial<typeof DEFAULT_CREDENTIALS>` widened to strings (the defaults are `as const` literals). */
export type CredentialOptions = Partial<Record<keyof typeof DEFAULT_CREDENTIALS, string>> & { tencentToken?: string };

export type CredentialSource = "option" | "env" | "default";

export interface ResolvedCredentials {
  credentials: EmulatorCredentials;
  /** where each value came from, for the start banner (which never prints a non-default secret) */
  sources: Record<keyof EmulatorCredentials, CredentialSource | undefined>;
}

const ENV_NAMES: Record<keyof EmulatorCredentials, string> = {
  tencentSecretId: "TENCENTCLOUD_SECRET_ID",
  tencentSecretKey: "TENCENTCLOUD_SECRET_KEY",
  tencentToken: "TENCENTCLOUD_SECURITY_TOKEN",
  huaweiAccessKey: "HW_ACCESS_KEY",
  huaweiSecretKey: "HW_SECRET_KEY",
  huaweiProjectId: "HW_PROJECT_ID",
  huaweiAuthToken: "HW_AUTH_TOKEN",
};

export const credentialEnvName = (key: keyof EmulatorCredentials): string => ENV_NAMES[key];

/**
 * @param processEnv usually `process.env`; pass `{}` to ignore the environment.
 * @throws Error when only one half of a key pair is configured (naming the variables, never their values).
 */
export function resolveCredentials(opts: CredentialOptions = {}, processEnv: NodeJS.ProcessEnv = process.env): ResolvedCredentials {
  const sources = {} as ResolvedCredentials["sources"];
  const pick = (key: keyof EmulatorCredentials): string | undefined => {
    const fromOpt = opts[key];
    if (fromOpt !== undefined && fromOpt !== "") {
      sources[key] = "option";
      return fromOpt;
    }
    const fromEnv = processEnv[ENV_NAMES[key]];
    if (fromEnv !== undefined && fromEnv !== "") {
      sources[key] = "env";
      return fromEnv;
    }
    if (key in DEFAULT_CREDENTIALS) {
      sources[key] = "default";
      return DEFAULT_CREDENTIALS[key as keyof typeof DEFAULT_CREDENTIALS];
    }
    sources[key] = undefined;
    return undefined;
  };
  const credentials: EmulatorCredentials = {
    tencentSecretId: pick("tencentSecretId")!,
    tencentSecretKey: pick("tencentSecretKey")!,
    tencentToken: pick("tencentToken"),
    huaweiAccessKey: pick("huaweiAccessKey")!,
    huaweiSecretKey: pick("huaweiSecretKey")!,
    huaweiProjectId: pick("huaweiProjectId")!,
    huaweiAuthToken: pick("huaweiAuthToken")!,
  };
  // A configured id with the default key (or the reverse) is almost certainly a mistake: refuse to start.
  const pairs: [keyof EmulatorCredentials, keyof EmulatorCredentials][] = [
    ["tencentSecretId", "tencentSecretKey"],
    ["huaweiAccessKey", "huaweiSecretKey"],
  ];
  for (const [a, b] of pairs) {
    if ((sources[a] === "default") !== (sources[b] === "default")) {
      throw new Error(`emulator credentials: set both ${ENV_NAMES[a]} and ${ENV_NAMES[b]} (or neither)`);
    }
  }
  if (credentials.tencentToken !== undefined && sources.tencentSecretId === "default") {
    throw new Error(`emulator credentials: ${ENV_NAMES.tencentToken} needs ${ENV_NAMES.tencentSecretId}/${ENV_NAMES.tencentSecretKey}`);
  }
  return { credentials, sources };
}

/** Start-banner lines: ids in clear; a secret only when it is the documented default, else where it came from. */
export function describeCredentials({ credentials: c, sources: s }: ResolvedCredentials): string[] {
  const secret = (key: keyof EmulatorCredentials, value: string | undefined): string =>
    s[key] === "default" ? String(value) : s[key] === "env" ? `from ${ENV_NAMES[key]}` : "from startEmulator options";
  const lines = [
    `tencent SecretId: ${c.tencentSecretId}  secret key: ${secret("tencentSecretKey", c.tencentSecretKey)}` +
      (c.tencentToken !== undefined ? `  token: ${secret("tencentToken", c.tencentToken)} (temporary credentials)` : ""),
    `huawei AK: ${c.huaweiAccessKey}  SK: ${secret("huaweiSecretKey", c.huaweiSecretKey)}  project id: ${c.huaweiProjectId}`,
    `huawei X-Auth-Token: ${secret("huaweiAuthToken", c.huaweiAuthToken)}`,
  ];
  return lines;
}
