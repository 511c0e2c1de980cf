import { afterEach, describe, expect, it } from "vitest";
import { ApiError, TransportError } from "../../../provider/clients/errors";
import { RateLimiterRegistry } from "../../../provider/clients/rateLimiter";
import { TencentClient, type TencentClientOptions } from "../../../provider/clients/tencent";
import { Transport } from "../../../provider/clients/transport";
import { getClosedPort, recordingSleep, rejection, sendJson, startServer, type Received, type ScriptedServer } from "./httpServer";
import { referenceTc3Authorization } from "./tc3Reference";

const CREDS = { secretId: "AKIDtestSecretId00001", secretKey: "tencentSecretKeyValue123", token: "temporaryTokenValue456789" };
const SECRETS = [CREDS.secretKey, CREDS.token];

type Outcome =
  | { ok: Record<string, unknown> }
  | { error: string; message?: string }
  | { status: number; text?: string }
  | { hold: true }
  | { destroy: true };

const servers: ScriptedServer[] = [];
const transports: Transport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/**
 * A Tencent API 3.0 stand-in: verifies the TC3 signature with the doc's reference implementation and the
 * 5-minute window against its own clock (`skewMs` ahead of ours), then answers as `script` says.
 */
const tencentServer = async (script: (r: Received) => Outcome, skewMs = 0): Promise<ScriptedServer> => {
  const s = await startServer((r, res) => {
    const serverNow = Date.now() + skewMs;
    const date = { Date: new Date(serverNow).toUTCString() };
    const reply = (response: Record<string, unknown>) =>
      sendJson(res, 200, { Response: { ...response, RequestId: `req-${r.n}` } }, date);
    const ts = Number(r.headers["x-tc-timestamp"]);
    const auth = String(r.headers["authorization"] ?? "");
    const service = /Credential=[^/]+\/[^/]+\/([^/]+)\//.exec(auth)?.[1] ?? "";
    const expected = referenceTc3Authorization({
      ...CREDS, service, host: String(r.headers["host"]), timestamp: ts, body: r.body,
      contentType: String(r.headers["content-type"]),
    });
    if (auth !== expected) return reply({ Error: { Code: "AuthFailure.SignatureFailure", Message: "bad signature" } });
    if (Math.abs(serverNow / 1000 - ts) > 300) {
      return reply({ Error: { Code: "AuthFailure.SignatureExpire", Message: "The signature is expired, please request again." } });
    }
    const o = script(r);
    if ("hold" in o) return; // never answers
    if ("destroy" in o) return res.socket?.destroy();
    if ("status" in o) {
      res.writeHead(o.status, date);
      return res.end(o.text ?? "<html>bad gateway</html>");
    }
    if ("error" in o) return reply({ Error: { Code: o.error, Message: o.message ?? "" } });
    return reply(o.ok);
  });
  servers.push(s);
  return s;
};

const client = (url: string, extra: Partial<TencentClientOptions> = {}) => {
  const transport = new Transport();
  transports.push(transport);
  return new TencentClient({
    credentials: () => CREDS, endpoint: url, transport, rateLimiters: new RateLimiterRegistry(), ...extra,
  });
};

describe("TencentClient over HTTP", () => {
  it("sends a request the reference TC3 implementation verifies, with the Host port signed and the token header", async () => {
    const s = await tencentServer(() => ({ ok: { ZoneId: "zone-1" } }));
    const out = await client(s.url, { region: "ap-guangzhou" }).call("teo", "2022-09-01", "DescribeZones", { Limit: 1 });
    expect(out).toEqual({ ZoneId: "zone-1", RequestId: "req-1" });
    const h = s.requests[0].headers;
    expect(h["host"]).toBe(new URL(s.url).host);
    expect(h["content-type"]).toBe("application/json");
    expect(h["x-tc-action"]).toBe("DescribeZones");
    expect(h["x-tc-version"]).toBe("2022-09-01");
    expect(h["x-tc-token"]).toBe(CREDS.token);
    expect(h["x-tc-region"]).toBe("ap-guangzhou");
    expect(h["authorization"]).toContain("/teo/tc3_request");
    expect(s.requests[0].body).toBe('{"Limit":1}');
  });

  it("omits X-TC-Region when no region is set", async () => {
    const s = await tencentServer(() => ({ ok: {} }));
    await client(s.url).call("organization", "2021-03-31", "ListGroups", {});
    expect(s.requests[0].headers["x-tc-region"]).toBeUndefined();
    expect(s.requests[0].headers["authorization"]).toContain("/organization/tc3_request");
  });

  it("backs off with full jitter and retries throttling and 5xx answers until success", async () => {
    const s = await tencentServer((r) =>
      r.n === 1 ? { error: "RequestLimitExceeded", message: "Your current request times equals to `21` in a second" }
        : r.n === 2 ? { status: 502 }
        : r.n === 3 ? { error: "ResourceInUse.Zone" }
        : { ok: { Done: true } });
    const { delays, sleep } = recordingSleep();
    const logs: string[] = [];
    const out = await client(s.url, { retry: { sleep, random: () => 0.5 }, log: (m) => logs.push(m) })
      .call("teo", "2022-09-01", "ModifyOriginGroup", {});
    expect(out.Done).toBe(true);
    expect(s.requests).toHaveLength(4);
    expect(delays).toEqual([100, 200, 400]); // 0.5 × 200·2^(n-1)
    expect(logs).toHaveLength(3);
    expect(logs[0]).toMatch(/ModifyOriginGroup: RequestLimitExceeded; retry 2\/6 in 100 ms/);
  });

  it("caps the backoff at maxDelay and stops after maxAttempts", async () => {
    const s = await tencentServer(() => ({ error: "RequestLimitExceeded.UinLimitExceeded" }));
    const { delays, sleep } = recordingSleep();
    const err = await rejection(client(s.url, { retry: { sleep, random: () => 0.999, maxAttempts: 8 } })
      .call("teo", "2022-09-01", "DescribeOriginGroup", {}));
    expect((err as ApiError).apiCode).toBe("RequestLimitExceeded.UinLimitExceeded");
    expect(s.requests).toHaveLength(8);
    expect(Math.max(...delays)).toBeLessThan(5_000);
    expect(delays[6]).toBeGreaterThan(4_900);
  });

  it("retries a throttled Create: the server refused it", async () => {
    const s = await tencentServer((r) => (r.n === 1 ? { error: "RequestLimitExceeded" } : { ok: { OriginGroupId: "og-1" } }));
    const out = await client(s.url, { retry: recordingSleep() }).call("teo", "2022-09-01", "CreateOriginGroup", {});
    expect(out.OriginGroupId).toBe("og-1");
    expect(s.requests).toHaveLength(2);
  });

  it("does not retry a Create after a 5xx, and says it may have applied", async () => {
    const s = await tencentServer(() => ({ status: 503 }));
    const err = await rejection(client(s.url, { retry: recordingSleep() }).call("teo", "2022-09-01", "CreateOriginGroup", {}));
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).meta).toMatchObject({ mayHaveApplied: true, httpStatus: 503, action: "CreateOriginGroup" });
    expect(s.requests).toHaveLength(1);
  });

  it("does not retry a Create whose connection dropped after the server received it", async () => {
    const s = await tencentServer(() => ({ destroy: true }));
    const err = await rejection(client(s.url, { retry: recordingSleep() }).call("teo", "2022-09-01", "CreateOriginGroup", {}));
    expect((err as TransportError).meta.mayHaveApplied).toBe(true);
    expect(err.message).toMatch(/after the request was sent/);
    expect(s.requests).toHaveLength(1);
  });

  it("retries an idempotent call whose connection dropped", async () => {
    const s = await tencentServer((r) => (r.n === 1 ? { destroy: true } : { ok: {} }));
    await client(s.url, { retry: recordingSleep() }).call("teo", "2022-09-01", "ModifyOriginGroup", {});
    expect(s.requests).toHaveLength(2);
  });

  it("retries a Create refused at connect and reports that it was certainly not sent", async () => {
    const port = await getClosedPort();
    const logs: string[] = [];
    const err = await rejection(client(`http://127.0.0.1:${port}`, { retry: { ...recordingSleep(), maxAttempts: 3 }, log: (m) => logs.push(m) })
      .call("teo", "2022-09-01", "CreateOriginGroup", {}));
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).meta.mayHaveApplied).toBe(false);
    expect(err.message).toMatch(/not sent.*ECONNREFUSED/);
    expect(logs.filter((l) => l.includes("retry"))).toHaveLength(2);
  });

  it("retries InternalError on a read, never on a create", async () => {
    const read = await tencentServer((r) => (r.n === 1 ? { error: "InternalError" } : { ok: {} }));
    await client(read.url, { retry: recordingSleep() }).call("teo", "2022-09-01", "DescribeOriginGroup", {});
    expect(read.requests).toHaveLength(2);
    const create = await tencentServer(() => ({ error: "InternalError" }));
    const err = await rejection(client(create.url, { retry: recordingSleep() }).call("teo", "2022-09-01", "CreateOriginGroup", {}));
    expect(err).toMatchObject({ apiCode: "InternalError" });
    expect(create.requests).toHaveLength(1);
  });

  it.each([
    ["AuthFailure.UnauthorizedOperation"],
    ["InvalidParameter.OriginNameExists"],
    ["LimitExceeded"],
    ["MissingParameter"],
  ])("does not retry %s", async (code) => {
    const s = await tencentServer(() => ({ error: code, message: "nope" }));
    const err = await rejection(client(s.url, { retry: recordingSleep() }).call("teo", "2022-09-01", "DescribeOriginGroup", {}));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ apiCode: code, apiMessage: "nope", requestId: "req-1", service: "teo", action: "DescribeOriginGroup", httpStatus: 200 });
    expect(s.requests).toHaveLength(1);
  });

  it("retries teo InvalidParameter.ActionInProgress but not the same code for organization", async () => {
    const teo = await tencentServer((r) => (r.n === 1 ? { error: "InvalidParameter.ActionInProgress" } : { ok: {} }));
    await client(teo.url, { retry: recordingSleep() }).call("teo", "2022-09-01", "ModifyOriginGroup", {});
    expect(teo.requests).toHaveLength(2);
    const org = await tencentServer(() => ({ error: "InvalidParameter.ActionInProgress" }));
    await rejection(client(org.url, { retry: recordingSleep() }).call("organization", "2021-03-31", "UpdateGroup", {}));
    expect(org.requests).toHaveLength(1);
  });

  it("honours the per-attempt timeout and retries an idempotent read", async () => {
    const s = await tencentServer((r) => (r.n === 1 ? { hold: true } : { ok: { Fine: 1 } }));
    const t0 = Date.now();
    const out = await client(s.url, { retry: recordingSleep() }).call("teo", "2022-09-01", "DescribeOriginGroup", {}, { timeoutMs: 300 });
    expect(out.Fine).toBe(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(s.requests).toHaveLength(2);
  });

  it("times out a Create without retrying it, flagged as possibly applied", async () => {
    const s = await tencentServer(() => ({ hold: true }));
    const err = await rejection(client(s.url, { retry: recordingSleep() })
      .call("teo", "2022-09-01", "CreateOriginGroup", {}, { timeoutMs: 300 }));
    expect(err.message).toMatch(/no answer within 300 ms/);
    expect((err as TransportError).meta.mayHaveApplied).toBe(true);
    expect(s.requests).toHaveLength(1);
  });

  it("starts no attempt and no backoff past the deadline", async () => {
    const s = await tencentServer(() => ({ error: "RequestLimitExceeded" }));
    const deadline = Date.now() + 1_200;
    const err = await rejection(client(s.url, { retry: { maxAttempts: 100, minDelayMs: 100, maxDelayMs: 300 } })
      .call("teo", "2022-09-01", "DescribeOriginGroup", {}, { deadline }));
    expect((err as ApiError).apiCode).toBe("RequestLimitExceeded");
    expect(Date.now()).toBeLessThan(deadline + 1_000);
    expect(s.requests.length).toBeGreaterThan(1);
    for (const r of s.requests) expect(r.at).toBeLessThanOrEqual(deadline + 50);
  });

  it("reports the server's last answer, not the deadline, when the deadline cuts the retry after it short", async () => {
    let n = 0;
    const s = await tencentServer(() => (++n === 1 ? { error: "RequestLimitExceeded" } : { hold: true }));
    const deadline = Date.now() + 600;
    const err = await rejection(client(s.url, { retry: { maxAttempts: 5, minDelayMs: 50, maxDelayMs: 50 } })
      .call("teo", "2022-09-01", "DescribeOriginGroup", {}, { deadline }));
    expect(s.requests).toHaveLength(2);
    expect((err as ApiError).apiCode).toBe("RequestLimitExceeded");
  });

  it("cuts a hanging attempt short at the deadline", async () => {
    const s = await tencentServer(() => ({ hold: true }));
    const t0 = Date.now();
    const err = await rejection(client(s.url).call("teo", "2022-09-01", "DescribeOriginGroup", {}, { deadline: t0 + 400 }));
    expect(err.message).toMatch(/deadline/);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(s.requests).toHaveLength(1);
  });

  it("sends nothing when the deadline has already passed", async () => {
    const s = await tencentServer(() => ({ ok: {} }));
    const err = await rejection(client(s.url).call("teo", "2022-09-01", "CreateOriginGroup", {}, { deadline: Date.now() - 1 }));
    expect((err as TransportError).meta.mayHaveApplied).toBe(false);
    expect(s.requests).toHaveLength(0);
  });

  it("cancels an in-flight call through its AbortSignal", async () => {
    const s = await tencentServer(() => ({ hold: true }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("user pressed ^C")), 200);
    const err = await rejection(client(s.url).call("teo", "2022-09-01", "CreateOriginGroup", {}, { signal: ac.signal }));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toMatch(/cancelled/);
    expect((err as TransportError).meta.mayHaveApplied).toBe(true);
  });

  it("does not send when the signal is already aborted", async () => {
    const s = await tencentServer(() => ({ ok: {} }));
    const err = await rejection(client(s.url).call("teo", "2022-09-01", "CreateOriginGroup", {}, { signal: AbortSignal.abort() }));
    expect((err as TransportError).meta.mayHaveApplied).toBe(false);
    expect(s.requests).toHaveLength(0);
  });

  it("recovers from a server clock one hour ahead and keeps the correction for later calls", async () => {
    const s = await tencentServer(() => ({ ok: {} }), 3_600_000);
    const logs: string[] = [];
    const c = client(s.url, { log: (m) => logs.push(m) });
    await c.call("teo", "2022-09-01", "CreateOriginGroup", {});
    expect(s.requests).toHaveLength(2);
    expect(logs.join("\n")).toMatch(/SignatureExpire; local clock is -?\d+ s off/);
    await c.call("teo", "2022-09-01", "DescribeOriginGroup", {});
    expect(s.requests).toHaveLength(3);
  });

  it("holds each action to 20 requests per server-side second under 200 concurrent calls", async () => {
    const s = await tencentServer(() => ({ ok: {} }));
    const c = client(s.url);
    await Promise.all(Array.from({ length: 200 }, () => c.call("teo", "2022-09-01", "DescribeOriginGroup", {})));
    expect(s.requests).toHaveLength(200);
    const perSecond = new Map<number, number>();
    for (const r of s.requests) perSecond.set(Math.floor(r.at / 1000), (perSecond.get(Math.floor(r.at / 1000)) ?? 0) + 1);
    const [, ...fullWindows] = [...perSecond.entries()].sort(([a], [b]) => a - b).map(([, n]) => n);
    for (const n of fullWindows) expect(n).toBeLessThanOrEqual(20);
    expect(s.requests[199].at - s.requests[0].at).toBeGreaterThanOrEqual(9_000);
  }, 40_000);

  it("keeps secrets out of errors and logs, even when the server echoes the request", async () => {
    const echo = (r: Received): Outcome => ({
      error: r.n <= 2 ? "RequestLimitExceeded" : "InvalidParameter",
      message: `got ${JSON.stringify(r.headers)} key=${CREDS.secretKey}`,
    });
    const s = await tencentServer(echo);
    const logs: string[] = [];
    const err = await rejection(client(s.url, { retry: recordingSleep(), log: (m) => logs.push(m) })
      .call("teo", "2022-09-01", "DescribeOriginGroup", {}));
    const signatures = s.requests.map((r) => /Signature=([0-9a-f]{64})/.exec(String(r.headers["authorization"]))![1]);
    expect(err.message).toContain("InvalidParameter");
    for (const text of [err.message, (err as ApiError).apiMessage, ...logs]) {
      for (const secret of [...SECRETS, ...signatures]) expect(text).not.toContain(secret);
    }
    expect((err as ApiError).apiMessage).toContain("[redacted]");
  });

  it("keeps secrets out of transport errors that quote the body", async () => {
    const s = await tencentServer((r) => ({ status: 400, text: `rejected ${r.headers["authorization"]} token ${r.headers["x-tc-token"]}` }));
    const err = await rejection(client(s.url).call("teo", "2022-09-01", "DescribeOriginGroup", {}));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toContain("HTTP 400");
    const signature = /Signature=([0-9a-f]{64})/.exec(String(s.requests[0].headers["authorization"]))![1];
    for (const secret of [...SECRETS, signature]) expect(err.message).not.toContain(secret);
  });
});

