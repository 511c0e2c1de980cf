import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import { ClientBuilder } from "@huaweicloud/huaweicloud-sdk-core/ClientBuilder";
import type { HcClient } from "@huaweicloud/huaweicloud-sdk-core/HcClient";
import { startFake, type Harness } from "./harness";
import { hwCall, type HwRequest } from "./signing";

let h: Harness;
beforeEach(async () => {
  h = await startFake();
});
afterEach(async () => {
  await h.emu.close();
});

/** The official Node SDK client (AKSKSigner via BasicCredentials), pointed at the emulator. */
function sdk(over: { ak?: string; sk?: string; projectId?: string } = {}): HcClient {
  const cred = new BasicCredentials()
    .withAk(over.ak ?? h.creds.huaweiAccessKey)
    .withSk(over.sk ?? h.creds.huaweiSecretKey)
    .withProjectId(over.projectId ?? h.creds.huaweiProjectId);
  const client = new ClientBuilder<HcClient>((c) => c).withCredential(cred).withEndpoint(h.url).build();
  // The SDK's HTTP client logs every failed request in full (Authorization header included) at ERROR level;
  // silence it so expected refusals do not flood the test output. Signing and sending are untouched.
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  (client as any).httpClient._logger = quiet;
  return client;
}

const send = (client: HcClient, method: string, url: string, data?: unknown, queryParams: Record<string, unknown> = {}) =>
  client.sendRequest({ method, url, contentType: "application/json", pathParams: {}, queryParams, headers: {}, data } as any) as Promise<any>;

async function sdkError(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

const raw = (over: Partial<HwRequest> = {}) =>
  hwCall({
    base: h.url,
    method: "POST",
    path: "/v1/things",
    body: '{"thing":{"name":"a"}}',
    ak: h.creds.huaweiAccessKey,
    sk: h.creds.huaweiSecretKey,
    projectId: h.creds.huaweiProjectId,
    dateMs: h.fixedNow,
    ...over,
  });

describe("Huawei REST through the official Node SDK signer (@huaweicloud/huaweicloud-sdk-core)", () => {
  it("creates, shows with a query string, lists and deletes", async () => {
    const client = sdk();
    const created = await send(client, "POST", "/v1/things", { thing: { name: "edge" } });
    expect(created.httpStatusCode).toBe(201);
    expect(created.thing).toEqual({ id: "t1", name: "edge" });
    const shown = await send(client, "GET", "/v1/things/t1", undefined, { fields: "a b", limit: 2 });
    expect(shown.thing.name).toBe("edge");
    expect(h.ga.seen.at(-1)).toEqual({ projectId: h.creds.huaweiProjectId, account: h.creds.huaweiAccessKey, query: "fields=a+b&limit=2" });
    const listed = await send(client, "GET", "/v1/things");
    expect(listed.things).toHaveLength(1);
    const deleted = await send(client, "DELETE", "/v1/things/t1");
    expect(deleted.httpStatusCode).toBe(204);
    expect(h.ga.backend.things.size).toBe(0);
  });

  it("surfaces a module's HuaweiError with its status, flat body and X-Request-Id", async () => {
    const err = await sdkError(send(sdk(), "GET", "/v1/things/nope"));
    expect(err.httpStatusCode).toBe(404);
    expect(err.errorCode).toBe("GA.9002");
    expect(err.errorMsg).toBe("Not found: nope");
    const r = await raw({ method: "GET", path: "/v1/things/nope", body: undefined });
    expect(r.json).toEqual({ error_code: "GA.9002", error_msg: "Not found: nope", request_id: r.headers.get("x-request-id") });
    expect(r.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
  });

  it("refuses a wrong SK with 401 APIGW.0301 'verify aksk signature fail'", async () => {
    const err = await sdkError(send(sdk({ sk: "wrong-secret" }), "GET", "/v1/things"));
    expect(err.httpStatusCode).toBe(401);
    expect(err.errorCode).toBe("APIGW.0301");
    expect(err.errorMsg).toMatch(/^Incorrect IAM authentication information: verify aksk signature fail, /);
  });

  it("refuses an unknown AK with 'ak not exist', without echoing the AK", async () => {
    const err = await sdkError(send(sdk({ ak: "NOSUCHAK" }), "GET", "/v1/things"));
    expect(err.httpStatusCode).toBe(401);
    expect(err.errorMsg).toBe("Incorrect IAM authentication information: Get secretKey failed,ak:******,err:ak not exist");
  });
});

describe("SDK-HMAC-SHA256 verification of hand-signed requests", () => {
  it("accepts a correct request and passes the project id and account to the module", async () => {
    const r = await raw();
    expect(r.status).toBe(201);
    expect(r.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
  });

  it("refuses a body tampered after signing and does not apply it", async () => {
    const r = await raw({ sendBody: '{"thing":{"name":"b"}}' });
    expect(r.status).toBe(401);
    expect(r.json.error_code).toBe("APIGW.0301");
    expect(r.json.error_msg).toMatch(/verify aksk signature fail/);
    expect(r.json.request_id).toBe(r.headers.get("x-request-id"));
    expect(h.ga.backend.things.size).toBe(0);
  });

  it.each([
    { name: "16 min old", offset: -16 * 60_000, status: 401 },
    { name: "16 min ahead", offset: 16 * 60_000, status: 401 },
    { name: "14 min old", offset: -14 * 60_000, status: 201 },
  ])("X-Sdk-Date $name → $status", async ({ offset, status }) => {
    const r = await raw({ dateMs: h.fixedNow + offset });
    expect(r.status).toBe(status);
    if (status === 401) expect(r.json.error_msg).toMatch(/verify aksk signature fail/);
  });

  it("requires X-Project-Id with AK/SK and refuses another project", async () => {
    const missing = await raw({ projectId: undefined });
    expect(missing.status).toBe(401);
    expect(missing.json.error_code).toBe("APIGW.0301");
    expect((await raw({ projectId: "ffffffffffffffffffffffffffffffff" })).status).toBe(401);
    expect(h.ga.backend.things.size).toBe(0);
  });

  it("accepts the configured X-Auth-Token and refuses another with 'decrypt token fail'", async () => {
    const ok = await fetch(`${h.url}/v1/things`, { headers: { "X-Auth-Token": h.creds.huaweiAuthToken } });
    expect(ok.status).toBe(200);
    expect(h.ga.seen.at(-1)?.projectId).toBe(h.creds.huaweiProjectId);
    const bad = await fetch(`${h.url}/v1/things`, { headers: { "X-Auth-Token": "not-the-token" } });
    expect(bad.status).toBe(401);
    const body = await bad.json();
    expect(body).toMatchObject({ error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information: decrypt token fail" });
    expect(JSON.stringify(body)).not.toContain("not-the-token");
  });

  it("refuses a request with no credentials at all", async () => {
    const r = await fetch(`${h.url}/v1/things`);
    expect(r.status).toBe(401);
    expect(((await r.json()) as any).error_code).toBe("APIGW.0301");
  });

  it("answers 404 APIGW.0101 for an unmatched route, before authentication", async () => {
    for (const path of ["/v1/unknown", "/v2/things", "/nothing"]) {
      const r = await fetch(h.url + path);
      expect(r.status).toBe(404);
      expect(r.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
      expect(await r.json()).toMatchObject({
        error_code: "APIGW.0101",
        error_msg: "The API does not exist or has not been published in the environment",
      });
    }
  });

  it("answers 400 GA.9001 for a body that is not JSON (after authentication)", async () => {
    const r = await raw({ body: "{oops" });
    expect(r.status).toBe(400);
    expect(r.json.error_code).toBe("GA.9001");
  });
});
