import { describe, expect, it } from "vitest";
import { ApiError, TransportError } from "../../../provider/clients/errors";
import {
  DEFAULT_RETRY_POLICY,
  findCodeRule,
  getBackoffCeiling,
  isRetryAllowed,
  resolveRetryPolicy,
  runWithRetry,
  TENCENT_CODE_RULES,
} from "../../../provider/clients/retry";
import { getTencentVerdict } from "../../../provider/clients/tencent";
import { recordingSleep } from "./httpServer";
import { TENCENT_RETRY_VECTORS } from "./retry.vectors";

describe("retry policy", () => {
  it("defaults to 6 attempts, 200 ms base, 5 s cap, 60 s elapsed", () => {
    expect(DEFAULT_RETRY_POLICY).toMatchObject({ maxAttempts: 6, minDelayMs: 200, maxDelayMs: 5_000, maxElapsedMs: 60_000 });
    expect(resolveRetryPolicy({ maxAttempts: 2, minDelayMs: undefined }).minDelayMs).toBe(200);
  });

  it("doubles the backoff ceiling up to the cap", () => {
    const p = resolveRetryPolicy();
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => getBackoffCeiling(n, p))).toEqual([200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  it.each(TENCENT_RETRY_VECTORS)("classifies $service $code as $retry", ({ service, code, retry }) => {
    expect(findCodeRule(TENCENT_CODE_RULES, service, code)?.retry ?? "never").toBe(retry);
  });

  it("retries refused writes but not possibly-applied ones", () => {
    expect(isRetryAllowed("always", false)).toBe(true);
    expect(isRetryAllowed("idempotent", false)).toBe(false);
    expect(isRetryAllowed("idempotent", true)).toBe(true);
    expect(isRetryAllowed("never", true)).toBe(false);
  });

  it("stops when the next backoff would end past maxElapsed", async () => {
    let clock = 0;
    let calls = 0;
    const policy = resolveRetryPolicy({ now: () => clock, random: () => 0.99, maxElapsedMs: 1_000, maxAttempts: 50,
      sleep: async (ms) => void (clock += ms) });
    const err = new ApiError("RequestLimitExceeded", "slow", { service: "teo", action: "X" });
    await expect(runWithRetry(async () => { calls++; throw err; }, policy, {
      service: "teo", action: "X", idempotent: true, classify: (e) => getTencentVerdict(e, "teo"),
    })).rejects.toBe(err);
    expect(clock).toBeLessThan(1_000);
    expect(calls).toBe(3); // waits of 198 and 396 ms; the next, 792 ms, would end past 1 000 ms
  });

  it("reports a later not-sent failure as possibly applied when an earlier attempt may have reached the server", async () => {
    let n = 0;
    const meta = { service: "teo", action: "ModifyX" };
    const err = await runWithRetry(async () => {
      n++;
      throw new TransportError(n === 1 ? "reset" : "refused", { ...meta, mayHaveApplied: n === 1 });
    }, resolveRetryPolicy({ ...recordingSleep(), maxAttempts: 2 }), { ...meta, idempotent: true, classify: (e) => getTencentVerdict(e, "teo") })
      .catch((e: TransportError) => e);
    expect(err.meta.mayHaveApplied).toBe(true);
    expect(err.message).toMatch(/earlier attempt/);
  });
});
