/**
 * GA endpoint groups over real HTTP, signed by the official Huawei Node SDK signer (AKSKSigner), as the SDK would.
 * Authentication is the core's; this proves the GA module works behind it unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// Deep imports: the SDK's public entry does not re-export the signer or the request builder.
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials";
import { HttpRequestBuilder } from "@huaweicloud/huaweicloud-sdk-core/http/IHttpRequestBuilder";
import { DEFAULT_CREDENTIALS, SEED } from "../../../emulator/core/defaults";
import { startEmulator, type RunningEmulator } from "../../../emulator";

let emu: RunningEmulator;
const cred = new BasicCredentials()
  .withAk(DEFAULT_CREDENTIALS.huaweiAccessKey)
  .withSk(DEFAULT_CREDENTIALS.huaweiSecretKey)
  .withProjectId(DEFAULT_CREDENTIALS.huaweiProjectId);

async function call(method: string, path: string, data?: unknown, query: Record<string, string> = {}) {
  const req = new HttpRequestBuilder()
    .withEndpoint(emu.url + path)
    .withMethod(method)
    .withHeaders({ "Content-Type": "application/json", "X-Project-Id": DEFAULT_CREDENTIALS.huaweiProjectId })
    .withQueryParams(query)
    .withData(data)
    .build();
  const headers = AKSKSigner.sign(req, cred) as Record<string, string>;
  delete headers.host; // fetch sets Host itself (same value)
  const qs = new URLSearchParams(query).toString();
  const res = await fetch(`${emu.url}${path}${qs ? `?${qs}` : ""}`, {
    method, headers, body: data === undefined ? undefined : JSON.stringify(data),
  });
  const text = await res.text();
  return { status: res.status, requestId: res.headers.get("x-request-id"), json: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  emu = await startEmulator({ quiet: true, credentialEnv: {}, settings: { gaPendingMs: 1000 } });
});
afterAll(() => emu?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until the group's GET answers `status` (a status code or a group status): the emulator's clock, not ours. */
async function settle(id: string, until: (r: Awaited<ReturnType<typeof call>>) => boolean) {
  for (let i = 0; i < 100; i++) {
    const r = await call("GET", `/v1/endpoint-groups/${id}`);
    if (until(r)) return r;
    await sleep(50);
  }
  throw new Error(`endpoint group ${id} did not settle`);
}

describe("GA over HTTP with the @huaweicloud/huaweicloud-sdk-core signer", () => {
  it("creates (201 PENDING), waits for ACTIVE, updates, refuses, deletes (204) and then 404s", async () => {
    const created = await call("POST", "/v1/endpoint-groups", {
      endpoint_group: { name: "sdk-eg", region_id: "cn-north-4", listeners: [{ id: SEED.gaListenerId }], traffic_dial_percentage: 0 },
    });
    expect(created.status).toBe(201);
    expect(created.json.endpoint_group).toMatchObject({ status: "PENDING", traffic_dial_percentage: 0 });
    expect(created.json.request_id).toBe(created.requestId);
    const id = created.json.endpoint_group.id;

    const early = await call("PUT", `/v1/endpoint-groups/${id}`, { endpoint_group: { name: "x" } });
    expect(early).toMatchObject({ status: 400, json: { error_code: "GA.9004" } });

    await settle(id, (r) => r.json.endpoint_group?.status === "ACTIVE");
    const listed = await call("GET", "/v1/endpoint-groups", undefined, { listener_id: SEED.gaListenerId, limit: "10" });
    expect(listed.json.endpoint_groups).toEqual([expect.objectContaining({ id, status: "ACTIVE" })]);

    const updated = await call("PUT", `/v1/endpoint-groups/${id}`, { endpoint_group: { description: "new", traffic_dial_percentage: 5 } });
    expect(updated).toMatchObject({ status: 200, json: { endpoint_group: { status: "PENDING", traffic_dial_percentage: 5 } } });

    await settle(id, (r) => r.json.endpoint_group?.status === "ACTIVE");
    const deleted = await call("DELETE", `/v1/endpoint-groups/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.json).toBeUndefined();
    const gone = await settle(id, (r) => r.status === 404);
    expect(gone).toMatchObject({ status: 404, json: { error_code: "GA.9002", error_msg: `Not found: endpoint_group ${id}` } });
  });

  it("returns GA.9001 for an unknown body field through the gateway", async () => {
    const r = await call("POST", "/v1/endpoint-groups", {
      endpoint_group: { name: "sdk-eg2", region_id: "cn-north-4", listeners: [{ id: SEED.gaListenerId }], ip_version: "IPv4" },
    });
    expect(r).toMatchObject({ status: 400, json: { error_code: "GA.9001", error_msg: "Invalid ip_version: unknown field" } });
  });
});
