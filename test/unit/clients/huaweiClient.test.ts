import { afterEach, describe, expect, it } from "vitest";
import { ApiError, TransportError } from "../../../provider/clients/errors";
import { HuaweiClient, parseHuaweiErrorBody, type HuaweiAuth, type HuaweiClientOptions } from "../../../provider/clients/huawei";
import { RateLimiterRegistry } from "../../../provider/clients/rateLimiter";
import { Transport } from "../../../provider/clients/transport";
import { recordingSleep, rejection, sendJson, startServer, type Received, type ScriptedServer } from "./httpServer";
import { referenceHuaweiAuthorization } from "./tc3Reference";
import { HUAWEI_ERROR_BODIES } from "./huaweiErrors.vectors";

const AKSK: HuaweiAuth = {
  kind: "aksk", accessKey: "HWACCESSKEY0001", secretKey: "huaweiSecretKeyValue789", projectId: "proj0001", securityToken: "stsTokenValue0123456",
};
const TOKEN = "iamTokenValueABCDEFGH";

type Outcome = { status: number; body?: unknown; headers?: Record<string, string> } | { hold: true };

const servers: ScriptedServer[] = [];
const transports: Transport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const parseSdkDate = (d: string): number =>
  Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +d.slice(9, 11), +d.slice(11, 13), +d.slice(13, 15));

/**
 * A GA stand-in: verifies AK/SK with the reference signer over the headers listed in SignedHeaders (as the
 * gateway does) and X-Sdk-Date within 15 minutes of its clock (`skewMs` ahead of ours), or the token.
 */
const gaServer = async (script: (r: Received) => Outcome, skewMs = 0): Promise<ScriptedServer> => {
  const s = await startServer((r, res) => {
    const serverNow = Date.now() + skewMs;
    const date = { Date: new Date(serverNow).toUTCString(), "X-Request-Id": `hw-${r.n}` };
    const deny = (msg: string) => sendJson(res, 401, { error_code: "APIGW.0301", error_msg: `Incorrect IAM authentication information: ${msg}`, request_id: `hw-${r.n}` }, date);
    if (r.headers["x-auth-token"] !== undefined) {
      if (r.headers["x-auth-token"] !== TOKEN) return deny("decrypt token fail");
    } else {
      if (AKSK.kind !== "aksk") throw new Error("unreachable");
      const auth = String(r.headers["authorization"] ?? "");
      const names = /SignedHeaders=([^,]+)/.exec(auth)?.[1].split(";") ?? [];
      const signedHeaders = Object.fromEntries(names.map((n) => [n, String(r.headers[n] ?? "")]));
      const url = new URL(r.url, "http://x");
      const query: Record<string, string[]> = {};
      url.searchParams.forEach((v, k) => (query[k] ??= []).push(v));
      const expected = referenceHuaweiAuthorization({
        ak: AKSK.accessKey, sk: AKSK.secretKey, method: r.method, path: decodeURIComponent(url.pathname), query, headers: signedHeaders, body: r.body,
      });
      if (auth !== expected) return deny("verify aksk signature fail");
      if (Math.abs(parseSdkDate(String(r.headers["x-sdk-date"])) - serverNow) > 15 * 60_000) return deny("verify aksk signature fail");
    }
    const o = script(r);
    if ("hold" in o) return;
    if (o.body === undefined) {
      res.writeHead(o.status, { ...date, ...o.headers });
      return res.end();
    }
    if (typeof o.body === "string") {
      res.writeHead(o.status, { ...date, ...o.headers });
      return res.end(o.body);
    }
    sendJson(res, o.status, o.body, { ...date, ...o.headers });
  });
  servers.push(s);
  return s;
};

const client = (url: string, extra: Partial<HuaweiClientOptions> = {}) => {
  const transport = new Transport();
  transports.push(transport);
  return new HuaweiClient({ auth: () => AKSK, endpoint: url, transport, rateLimiters: new RateLimiterRegistry(), ...extra });
};

const GROUP = { endpoint_group: { id: "eg-1", status: "ACTIVE" }, request_id: "body-rid" };

describe("HuaweiClient over HTTP", () => {
  it("signs host, x-project-id, x-sdk-date and x-security-token, verified by the reference signer", async () => {
    const s = await gaServer(() => ({ status: 200, body: GROUP }));
    const out = await client(s.url).request("ga", "GET", "/v1/endpoint-groups", {
      action: "ListEndpointGroups", query: { name: "a b", limit: 10, marker: undefined },
    });
    expect(out).toEqual({ status: 200, body: GROUP, requestId: "hw-1" });
    const r = s.requests[0];
    expect(r.url).toBe("/v1/endpoint-groups?limit=10&name=a%20b");
    expect(r.headers["authorization"]).toMatch(/SignedHeaders=host;x-project-id;x-sdk-date;x-security-token,/);
    expect(r.headers["x-project-id"]).toBe("proj0001");
    expect(r.headers["content-type"]).toBeUndefined();
  });

  it("sends a JSON body on POST and returns 201 with the body's request_id when no header has one", async () => {
    const s = await gaServer(() => ({ status: 201, body: GROUP, headers: { "X-Request-Id": "" } }));
    const out = await client(s.url).request("ga", "POST", "/v1/endpoint-groups", {
      action: "CreateEndpointGroup", body: { endpoint_group: { name: "eg", traffic_dial_percentage: 0 } },
    });
    expect(out.status).toBe(201);
    expect(out.requestId).toBe("body-rid");
    expect(s.requests[0].body).toBe('{"endpoint_group":{"name":"eg","traffic_dial_percentage":0}}');
    expect(s.requests[0].headers["content-type"]).toBe("application/json");
  });

  it("returns an empty body for 204", async () => {
    const s = await gaServer(() => ({ status: 204 }));
    const out = await client(s.url).request("ga", "DELETE", "/v1/endpoint-groups/eg-1", { action: "DeleteEndpointGroup" });
    expect(out).toEqual({ status: 204, body: undefined, requestId: "hw-1" });
  });

  it("uses X-Auth-Token (and X-Project-Id when known) for token auth", async () => {
    const s = await gaServer(() => ({ status: 200, body: GROUP }));
    await client(s.url, { auth: () => ({ kind: "token", token: TOKEN, projectId: "proj0001" }) })
      .request("ga", "GET", "/v1/endpoint-groups/eg-1", { action: "ShowEndpointGroup" });
    const h = s.requests[0].headers;
    expect(h["x-auth-token"]).toBe(TOKEN);
    expect(h["x-project-id"]).toBe("proj0001");
    expect(h["authorization"]).toBeUndefined();
  });

  it.each(HUAWEI_ERROR_BODIES)("parses the $name error body", async (v) => {
    const s = await gaServer(() => ({ status: v.status, body: v.body, headers: v.header ? { "X-Request-Id": v.header } : { "X-Request-Id": "" } }));
    const err = await rejection(client(s.url, { retry: recordingSleep() })
      .request("ga", "GET", "/v1/endpoint-groups/x", { action: "ShowEndpointGroup" }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ apiCode: v.code, apiMessage: v.message, requestId: v.requestId, httpStatus: v.status, service: "ga", action: "ShowEndpointGroup" });
  });

  it("retries 429 even for a POST: the gateway refused it", async () => {
    const s = await gaServer((r) => (r.n === 1 ? { status: 429, body: "slow down" } : { status: 201, body: GROUP }));
    const out = await client(s.url, { retry: recordingSleep() }).request("ga", "POST", "/v1/endpoint-groups", { action: "CreateEndpointGroup", body: {} });
    expect(out.status).toBe(201);
    expect(s.requests).toHaveLength(2);
  });

  it("retries 5xx on PUT but not on POST, which may have applied", async () => {
    const put = await gaServer((r) => (r.n === 1 ? { status: 500, body: { error_code: "GA.9201", error_msg: "internal" } } : { status: 200, body: GROUP }));
    await client(put.url, { retry: recordingSleep() }).request("ga", "PUT", "/v1/endpoint-groups/eg-1", { action: "UpdateEndpointGroup", body: {} });
    expect(put.requests).toHaveLength(2);
    const post = await gaServer(() => ({ status: 502, body: "<html>bad gateway</html>" }));
    const err = await rejection(client(post.url, { retry: recordingSleep() })
      .request("ga", "POST", "/v1/endpoint-groups", { action: "CreateEndpointGroup", body: {} }));
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).meta).toMatchObject({ mayHaveApplied: true, httpStatus: 502 });
    expect(post.requests).toHaveLength(1);
  });

  it("retries GA.9004 (group not ACTIVE yet) and not GA.9001", async () => {
    const busy = await gaServer((r) => (r.n < 3 ? { status: 400, body: { error_code: "GA.9004", error_msg: "PENDING" } } : { status: 200, body: GROUP }));
    await client(busy.url, { retry: recordingSleep() }).request("ga", "PUT", "/v1/endpoint-groups/eg-1", { action: "UpdateEndpointGroup", body: {} });
    expect(busy.requests).toHaveLength(3);
    const bad = await gaServer(() => ({ status: 400, body: { error_code: "GA.9001", error_msg: "Invalid name" } }));
    await rejection(client(bad.url, { retry: recordingSleep() }).request("ga", "PUT", "/v1/endpoint-groups/eg-1", { action: "UpdateEndpointGroup", body: {} }));
    expect(bad.requests).toHaveLength(1);
  });

  it("recovers from a server clock one hour ahead once, then signs with the corrected clock", async () => {
    const s = await gaServer(() => ({ status: 200, body: GROUP }), 3_600_000);
    const logs: string[] = [];
    const c = client(s.url, { log: (m) => logs.push(m) });
    await c.request("ga", "GET", "/v1/endpoint-groups/eg-1", { action: "ShowEndpointGroup" });
    expect(s.requests).toHaveLength(2);
    expect(logs.join("\n")).toMatch(/APIGW\.0301; local clock is/);
    await c.request("ga", "POST", "/v1/endpoint-groups", { action: "CreateEndpointGroup", body: {} });
    expect(s.requests).toHaveLength(3);
  });

  it("does not retry an auth failure when the clocks agree", async () => {
    const s = await gaServer(() => ({ status: 200, body: GROUP }));
    const err = await rejection(client(s.url, { auth: () => ({ ...AKSK, secretKey: "wrongSecretKeyValue" } as HuaweiAuth), retry: recordingSleep() })
      .request("ga", "GET", "/v1/endpoint-groups/eg-1", { action: "ShowEndpointGroup" }));
    expect((err as ApiError).apiCode).toBe("APIGW.0301");
    expect(s.requests).toHaveLength(1);
  });

  it("keeps secrets out of errors and logs, even when the server echoes the request", async () => {
    const echo = (r: Received): Outcome => ({
      status: r.n === 1 ? 503 : 400,
      body: { error_code: r.n === 1 ? "GA.9207" : "GA.9001", error_msg: `echo ${JSON.stringify(r.headers)} sk=${AKSK.kind === "aksk" ? AKSK.secretKey : ""}` },
    });
    const s = await gaServer(echo);
    const logs: string[] = [];
    const err = await rejection(client(s.url, { retry: recordingSleep(), log: (m) => logs.push(m) })
      .request("ga", "GET", "/v1/endpoint-groups/eg-1", { action: "ShowEndpointGroup" }));
    const signatures = s.requests.map((r) => /Signature=([0-9a-f]{64})/.exec(String(r.headers["authorization"]))![1]);
    const secrets = AKSK.kind === "aksk" ? [AKSK.secretKey, AKSK.securityToken!] : [];
    expect(err.message).toContain("GA.9001");
    for (const text of [err.message, (err as ApiError).apiMessage, ...logs]) {
      for (const secret of [...secrets, ...signatures]) expect(text).not.toContain(secret);
    }
  });

  it("keeps the token out of a timeout error", async () => {
    const s = await gaServer(() => ({ hold: true }));
    const err = await rejection(client(s.url, { auth: () => ({ kind: "token", token: TOKEN }) })
      .request("ga", "POST", "/v1/endpoint-groups", { action: "CreateEndpointGroup", body: { t: TOKEN }, timeoutMs: 200 }));
    expect((err as TransportError).meta.mayHaveApplied).toBe(true);
    expect(err.message).not.toContain(TOKEN);
  });
});

describe("parseHuaweiErrorBody", () => {
  it("finds nothing in a body without a code", () => {
    expect(parseHuaweiErrorBody({ endpoint_group: { id: "x" } })).toBeUndefined();
    expect(parseHuaweiErrorBody("text")).toBeUndefined();
  });
});
