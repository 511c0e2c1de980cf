/**
 * Shared pieces of the benchmark: the emulator with its rate limit on, seeding straight into its models
 * (setup is not what we measure), the official SDK client, a client-side pacer like the Terraform
 * provider's, and small statistics helpers. Progress goes to stderr; only the table goes to stdout.
 */
import { performance } from "node:perf_hooks";
import { DEFAULT_CREDENTIALS, SEED, startEmulator, type CallRecord, type RunningEmulator } from "../emulator";
import type { TeoBackend } from "../emulator/teo/models";

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
  /** the baseline's pacer: requests per second (Terraform's DefaultLimit = 15) */
  baseline: number;
}

export const limitsFor = (scale: number): Limits => ({ scale, server: 20 * scale, client: 20 * scale, baseline: 15 * scale });

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

/**
 * What the Terraform provider puts in front of every call: a client-side limit of `perSecond` requests per
 * second (ratelimit/config.go, DefaultLimit = 15). Turns are handed out evenly spaced, first come first
 * served; calls may overlap in flight, as with Terraform's parallel refresh.
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
  const byAction = new Map<string, number>();
  for (const c of mine) byAction.set(c.action, (byAction.get(c.action) ?? 0) + 1);
  return {
    total: mine.length,
    byAction,
    throttled: mine.filter((c) => c.errorCode?.startsWith("RequestLimitExceeded")).length,
    errors: mine.filter((c) => c.errorCode !== undefined || c.httpStatus !== 200).length,
    requestBytes: mine.reduce((n, c) => n + c.requestBytes, 0),
  };
}

export const describeActions = (byAction: Map<string, number>) => [...byAction].map(([a, n]) => `${a}×${n}`).join(", ");

/**
 * The emulator counts per wall-clock second: let the current second and our limiter's window run out so
 * one scenario's calls never share a second with the next one's.
 */
export const quiesce = () => sleep(1_200);
