/**
 * Shared pieces of the benchmark: the emulator with its rate limit on, seeding straight into its models
 * (setup is not what we measure), the official SDK client, a client-side pacer like the Terraform
 * provider's, and small statistics helpers. Progress goes to stderr; only the table goes to stdout.
 */
import { performance } from "node:perf_hooks";
import { DEFAULT_CREDENTIALS, SEED, startEmulator, type CallRecord, type RunningEmulator } from "../emulator";
import type { TeoBackend } from "../emulator/teo/models";
import type { CicBackend } from "../emulator/cic/models";
import type { GaBackend } from "../emulator/ga/models";

export const ZONE = SEED.teoZoneId;
export const ROOT = process.cwd();

export const progress = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const now = () => performance.now();

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** The limits one run uses: the real ones times `scale`. */
export interface Limits {
  scale: number;
  /** emulator: requests per (account, action) per wall-clock second */
  server: number;
  /** our shared limiter: grants per action per 1050 ms (EDGECONF_RATE_LIMIT) */
  client: number;
  /** the baseline's pacer: requests per second, the documented 20/s (a naive client that obeys the docs) */
  baseline: number;
}

export const limitsFor = (scale: number): Limits => ({ scale, server: 20 * scale, client: 20 * scale, baseline: 20 * scale });

export async function startBenchEmulator(limits: Limits): Promise<RunningEmulator> {
  return startEmulator({
    quiet: true,
    credentialEnv: {},
    logBodies: true,
    settings: { rateLimit: limits.server, gaPendingMs: 50 },
  });
}

export const teoModels = (emulator: RunningEmulator): TeoBackend =>
  (emulator.services.teo.backend as unknown as { models: TeoBackend }).models;

/** Distinct public IPv4 addresses: 20.x.y.1 ... (65,536 of them per `first` octet). */
export const publicIp = (i: number, first = 20): string => `${first}.${(i >> 8) & 255}.${i & 255}.1`;

/** Origin groups created in the emulator's models directly: seeding is not measured and must not be throttled. */
export function seedOriginGroups(emulator: RunningEmulator, count: number, prefix: string): string[] {
  const models = teoModels(emulator);
  const account = emulator.credentials.tencentSecretId;
  return Array.from({ length: count }, (_, i) =>
    models.createOriginGroup(account, ZONE, {
      name: `${prefix}-${i}`,
      type: "GENERAL",
      records: [{ record: publicIp(i, 30), type: "IP_DOMAIN", weight: 60 }, { record: `o${i}.example.com`, type: "IP_DOMAIN", weight: 40 }],
    }));
}

export function seedIpGroups(emulator: RunningEmulator, count: number, prefix: string, entries = 5): number[] {
  const models = teoModels(emulator);
  const account = emulator.credentials.tencentSecretId;
  return Array.from({ length: count }, (_, i) =>
    models.createSecurityIpGroup(account, ZONE, {
      groupId: 0,
      name: `${prefix}-${i}`,
      content: Array.from({ length: entries }, (_, j) => publicIp(i * entries + j, 40)),
    }));
}

/** CIC user groups created in the emulator's models directly, in the seeded space. */
export function seedUserGroups(emulator: RunningEmulator, count: number, prefix: string): string[] {
  const cic = emulator.services.organization.backend as unknown as CicBackend;
  return Array.from({ length: count }, (_, i) => cic.createGroup(SEED.cicZoneId, { groupName: `${prefix}-${i}` }).groupId);
}

/** GA endpoint groups: one per region of each new listener (a listener holds one group per region). */
export async function seedEndpointGroups(emulator: RunningEmulator, count: number, prefix: string): Promise<string[]> {
  const ga = emulator.services.ga.backend as unknown as GaBackend;
  const ids: string[] = [];
  for (let l = 0; ids.length < count; l++) {
    const listener = ga.admin("addListener", {}) as { id: string };
    for (const regionId of SEED.gaRegions) {
      if (ids.length < count) ids.push(ga.createEndpointGroup({ name: `${prefix}-${l}-${regionId}`, regionId, listenerIds: [listener.id] }).id);
    }
  }
  await sleep(emulator.settings.gaPendingMs * 2 + 50); // past PENDING
  return ids;
}

/** The official EdgeOne client, configured as a user would point it at the emulator. */
export function sdkTeoClient(emulator: RunningEmulator): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const TeoClient = require("tencentcloud-sdk-nodejs-teo").teo.v20220901.Client;
  return new TeoClient({
    credential: { secretId: DEFAULT_CREDENTIALS.tencentSecretId, secretKey: DEFAULT_CREDENTIALS.tencentSecretKey },
    region: "",
    profile: { httpProfile: { protocol: "http://", endpoint: new URL(emulator.url).host } },
  });
}

/** The official Tencent common client for CIC (`organization`), as a user would point it at the emulator. */
export function sdkCicClient(emulator: RunningEmulator): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CommonClient } = require("tencentcloud-sdk-nodejs-common");
  return new CommonClient("organization.tencentcloudapi.com", "2021-03-31", {
    credential: { secretId: DEFAULT_CREDENTIALS.tencentSecretId, secretKey: DEFAULT_CREDENTIALS.tencentSecretKey },
    region: "",
    profile: { httpProfile: { protocol: "http://", endpoint: new URL(emulator.url).host } },
  });
}

/**
 * A GA GET signed by the official Huawei SDK core (AKSKSigner; no GA service package is published for Node), sent
 * with fetch. Returns the HTTP status.
 */
export async function sdkGaGet(emulator: RunningEmulator, path: string): Promise<number> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner");
  const { BasicCredentials } = require("@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials");
  const { HttpRequestBuilder } = require("@huaweicloud/huaweicloud-sdk-core/http/IHttpRequestBuilder");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const cred = new BasicCredentials().withAk(DEFAULT_CREDENTIALS.huaweiAccessKey).withSk(DEFAULT_CREDENTIALS.huaweiSecretKey)
    .withProjectId(DEFAULT_CREDENTIALS.huaweiProjectId);
  const req = new HttpRequestBuilder().withEndpoint(emulator.url + path).withMethod("GET")
    .withHeaders({ "Content-Type": "application/json", "X-Project-Id": DEFAULT_CREDENTIALS.huaweiProjectId }).build();
  const headers = AKSKSigner.sign(req, cred) as Record<string, string>;
  delete headers.host;
  const res = await fetch(emulator.url + path, { headers });
  await res.arrayBuffer();
  return res.status;
}

/**
 * A client that obeys the documented limit and nothing more: turns handed out evenly spaced at `perSecond`,
 * first come first served; calls may overlap in flight, as with Terraform's parallel refresh.
 */
export class Pacer {
  private next = now();
  constructor(private readonly perSecond: number) {}
  async turn(): Promise<void> {
    const at = Math.max(this.next, now());
    this.next = at + 1000 / this.perSecond;
    const wait = at - now();
    if (wait > 0) await sleep(wait);
  }
}

/** Calls the emulator logged, by action, with throttling refusals counted apart. */
export function summarise(calls: readonly CallRecord[], service?: string) {
  const mine = calls.filter((c) => !service || c.service === service);
  const throttled = (c: CallRecord) => c.errorCode?.startsWith("RequestLimitExceeded") || c.httpStatus === 429;
  const byAction = new Map<string, number>();
  for (const c of mine) byAction.set(c.action, (byAction.get(c.action) ?? 0) + 1);
  return {
    total: mine.length,
    byAction,
    throttled: mine.filter(throttled).length,
    errors: mine.filter((c) => c.errorCode !== undefined || c.httpStatus !== 200).length,
    requestBytes: mine.reduce((n, c) => n + c.requestBytes, 0),
    responseBytes: mine.reduce((n, c) => n + c.responseBytes, 0),
  };
}

export const describeActions = (byAction: Map<string, number>) => [...byAction].map(([a, n]) => `${a}×${n}`).join(", ");

/**
 * The emulator counts per wall-clock second: let the current second and our limiter's window run out so
 * one scenario's calls never share a second with the next one's.
 */
export const quiesce = () => sleep(1_200);
