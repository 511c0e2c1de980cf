/**
 * Scenario 4: per-call client overhead (sign, send, parse) of our TencentClient against the official SDK:
 * the same action with the same parameters, many sequential calls, the emulator's rate limit off. Rounds
 * alternate the two clients so drift (GC, JIT, the emulator's own warm-up) hits both alike. Besides the
 * wall time per call, the emulator's own handling time (its call log's durationMs) is subtracted to give
 * the client-side cost alone.
 */
import type { RunningEmulator } from "../emulator";
import { TencentClient } from "../provider/clients/tencent";
import { RateLimiterRegistry } from "../provider/clients/rateLimiter";
import { ZONE, median, now, progress, sdkTeoClient, seedOriginGroups } from "./support";

export interface OverheadFigures {
  calls: number;
  ours: { wallUs: number; clientUs: number };
  sdk: { wallUs: number; clientUs: number };
}

export async function benchOverhead(emulator: RunningEmulator, perRound = 400, rounds = 5): Promise<OverheadFigures> {
  const [id] = seedOriginGroups(emulator, 1, "overhead");
  const params = { ZoneId: ZONE, Filters: [{ Name: "origin-group-id", Values: [id] }] };
  const creds = emulator.credentials;
  const ours = new TencentClient({
    credentials: () => ({ secretId: creds.tencentSecretId, secretKey: creds.tencentSecretKey }),
    endpoint: emulator.url,
    // Same limiter code as in production, with a window no sequential caller can fill (the limit is "off").
    rateLimiters: new RateLimiterRegistry({ limit: 20, intervalMs: 1 }),
  });
  const sdk = sdkTeoClient(emulator);
  const run = {
    ours: () => ours.call("teo", "2022-09-01", "DescribeOriginGroup", params),
    sdk: () => sdk.DescribeOriginGroup(params),
  };
  const saved = emulator.settings.rateLimit;
  emulator.settings.rateLimit = 0;
  const samples = { ours: [] as number[], sdk: [] as number[], oursServer: [] as number[], sdkServer: [] as number[] };
  try {
    for (const which of ["ours", "sdk"] as const) for (let i = 0; i < 100; i++) await run[which](); // warm-up
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? (["sdk", "ours"] as const) : (["ours", "sdk"] as const);
      for (const which of order) {
        emulator.clearCalls();
        const t = now();
        for (let i = 0; i < perRound; i++) await run[which]();
        samples[which].push(((now() - t) * 1000) / perRound);
        const server = emulator.calls().reduce((n, c) => n + c.durationMs, 0);
        samples[which === "ours" ? "oursServer" : "sdkServer"].push((server * 1000) / perRound);
      }
    }
  } finally {
    emulator.settings.rateLimit = saved;
  }
  const figures: OverheadFigures = {
    calls: perRound * rounds,
    ours: { wallUs: median(samples.ours), clientUs: median(samples.ours.map((w, i) => w - samples.oursServer[i])) },
    sdk: { wallUs: median(samples.sdk), clientUs: median(samples.sdk.map((w, i) => w - samples.sdkServer[i])) },
  };
  progress(`overhead: ours ${figures.ours.wallUs.toFixed(0)} µs/call (client ${figures.ours.clientUs.toFixed(0)}), sdk ${figures.sdk.wallUs.toFixed(0)} µs/call (client ${figures.sdk.clientUs.toFixed(0)})`);
  return figures;
}
