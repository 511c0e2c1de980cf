/**
 * Answers that arrive broken or with a `Retry-After`, against a real loopback server: an idempotent call whose
 * success answer is not JSON, or is cut short, is asked again; a create is never resent blindly (its lookup
 * decides, in the resource lifecycle); `Retry-After` replaces the backoff, and one that ends past the deadline
 * ends the retries at once.
 */
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, TransportError } from "../../../provider/clients/errors";
import { HuaweiClient } from "../../../provider/clients/huawei";
import { RateLimiterRegistry } from "../../../provider/clients/rateLimiter";
import { TencentClient } from "../../../provider/clients/tencent";
import { getRetryAfterMs, Transport } from "../../../provider/clients/transport";
import { recordingSleep, rejection, sendJson, startServer, type Received, type ScriptedServer } from "./httpServer";

const servers: ScriptedServer[] = [];
const transports: Transport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const serve = async (script: (r: Received, res: ServerResponse) => unknown) => {
  const s = await startServer(script);
  servers.push(s);
  return s;
};
const transport = () => {
  const t = new Transport();
  transports.push(t);
  return t;
};
const huawei = (url: string, retry = recordingSleep()) =>
  new HuaweiClient({ auth: () => ({ kind: "token", token: "t0ken-value-123", projectId: "p1" }), endpoint: url, transport: transport(), rateLimiters: new RateLimiterRegistry(), retry });
const tencent = (url: string, retry = recordingSleep()) =>
  new TencentClient({ credentials: () => ({ secretId: "AKIDANSWERS", secretKey: "answersSecretKey0123" }), endpoint: url, transport: transport(), rateLimiters: new RateLimiterRegistry(), retry });

/** Declares the whole body's length, sends half of it and closes the connection. */
const truncate = (res: ServerResponse, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.write(text.slice(0, text.length >> 1));
  setTimeout(() => res.socket?.destroy(), 5);
};
const garbage = (res: ServerResponse, status = 200) => {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end('{"endpoint_group": {"id": "eg-1", "sta');
};
const GROUP = { endpoint_group: { id: "eg-1", status: "ACTIVE" } };
const TC_OK = { Response: { OriginGroups: [], RequestId: "r-2" } };

describe("broken answers", () => {
  it("retries a read whose 200 answer is not JSON", async () => {
    const s = await serve((r, res) => (r.n === 1 ? garbage(res) : sendJson(res, 200, GROUP)));
    const out = await huawei(s.url).request("ga", "GET", "/v1/endpoint-groups/eg-1", { action: "ShowEndpointGroup" });
    expect(out.body).toEqual(GROUP);
    expect(s.requests).toHaveLength(2);
  });

  it("retries a read whose answer is cut short", async () => {
    const s = await serve((r, res) => (r.n === 1 ? truncate(res, GROUP) : sendJson(res, 200, GROUP)));
    const out = await huawei(s.url).request("ga", "GET", "/v1/endpoint-groups/eg-1", { action: "ShowEndpointGroup" });
    expect(out.body).toEqual(GROUP);
    expect(s.requests).toHaveLength(2);
  });

  it("retries an idempotent write (PUT) whose answer is not JSON", async () => {
    const s = await serve((r, res) => (r.n === 1 ? garbage(res) : sendJson(res, 200, GROUP)));
    await huawei(s.url).request("ga", "PUT", "/v1/endpoint-groups/eg-1", { action: "UpdateEndpointGroup", body: {} });
    expect(s.requests).toHaveLength(2);
  });

  it.each([["not JSON", garbage], ["cut short", (res: ServerResponse) => truncate(res, GROUP)]] as const)(
    "never resends a create whose answer is %s: it may have applied", async (_what, broken) => {
      const s = await serve((_r, res) => broken(res, 201));
      const err = await rejection(huawei(s.url).request("ga", "POST", "/v1/endpoint-groups", { action: "CreateEndpointGroup", body: {} }));
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).meta.mayHaveApplied).toBe(true);
      expect(s.requests).toHaveLength(1);
    });

  it("retries a Tencent Describe whose 200 answer is not an envelope, never a Create", async () => {
    const s = await serve((r, res) => (r.n === 1 || r.headers["x-tc-action"] === "CreateOriginGroup" ? garbage(res) : sendJson(res, 200, TC_OK)));
    const c = tencent(s.url);
    await c.call("teo", "2022-09-01", "DescribeOriginGroup", { ZoneId: "zone-1" });
    expect(s.requests).toHaveLength(2);
    const err = await rejection(c.call("teo", "2022-09-01", "CreateOriginGroup", { ZoneId: "zone-1" }));
    expect((err as TransportError).meta.mayHaveApplied).toBe(true);
    expect(s.requests).toHaveLength(3);
  });
});

describe("Retry-After", () => {
  const throttled = (res: ServerResponse, retryAfter: string, date?: string) =>
    sendJson(res, 429, { error_code: "APIGW.0308", error_msg: "The throttling threshold has been reached" }, { "Retry-After": retryAfter, ...(date ? { Date: date } : {}) });

  it("waits what Retry-After says instead of the backoff, for a refused create too", async () => {
    const s = await serve((r, res) => (r.n === 1 ? throttled(res, "3") : sendJson(res, 201, GROUP)));
    const sleep = recordingSleep();
    const out = await huawei(s.url, sleep).request("ga", "POST", "/v1/endpoint-groups", { action: "CreateEndpointGroup", body: {} });
    expect(out.status).toBe(201);
    expect(sleep.delays).toEqual([3000]);
  });

  it("reads an HTTP-date against the server's own Date (its clock an hour ahead)", async () => {
    const serverNow = Math.floor(Date.now() / 1000) * 1000 + 3_600_000;
    const s = await serve((r, res) => (r.n === 1
      ? throttled(res, new Date(serverNow + 30_000).toUTCString(), new Date(serverNow).toUTCString())
      : sendJson(res, 200, GROUP)));
    const sleep = recordingSleep();
    await huawei(s.url, sleep).request("ga", "GET", "/v1/endpoint-groups/eg-1", { action: "ShowEndpointGroup" });
    expect(sleep.delays).toEqual([30_000]);
  });

  it("gives up at once when Retry-After ends past the deadline", async () => {
    const s = await serve((_r, res) => throttled(res, "120"));
    const sleep = recordingSleep();
    const err = await rejection(huawei(s.url, sleep).request("ga", "GET", "/v1/endpoint-groups/eg-1", {
      action: "ShowEndpointGroup", deadline: Date.now() + 10_000,
    }));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).retryAfterMs).toBe(120_000);
    expect(sleep.delays).toEqual([]);
    expect(s.requests).toHaveLength(1);
  });

  it("parses delay-seconds and HTTP-dates, and ignores what it cannot read", () => {
    expect(getRetryAfterMs({ "retry-after": "7" })).toBe(7000);
    expect(getRetryAfterMs({ "retry-after": "Tue, 01 Dec 2026 10:00:30 GMT", date: "Tue, 01 Dec 2026 10:00:00 GMT" })).toBe(30_000);
    expect(getRetryAfterMs({ "retry-after": "Tue, 01 Dec 2026 09:59:00 GMT", date: "Tue, 01 Dec 2026 10:00:00 GMT" })).toBe(0);
    expect(getRetryAfterMs({ "retry-after": "soon" })).toBeUndefined();
    expect(getRetryAfterMs({})).toBeUndefined();
  });
});
