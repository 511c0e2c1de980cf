/**
 * The fault kinds that strike after the handler applied the call (malformed and truncated answers) and the
 * `Retry-After` of an injected refusal, over real HTTP against the emulator core.
 */
import { afterEach, describe, expect, it } from "vitest";
import { validateFaultSpec } from "../../../emulator/core/faults";
import { startFake, type Harness } from "./harness";
import { hwCall, tc3Call } from "./signing";

let h: Harness | undefined;
afterEach(async () => {
  await h?.emu.close();
  h = undefined;
});

const tc = (hh: Harness) => tc3Call({
  url: hh.url + "/", action: "CreateThing", version: "2022-09-01", body: '{"Name":"a"}',
  secretId: hh.creds.tencentSecretId, secretKey: hh.creds.tencentSecretKey, timestamp: Math.floor(hh.emu.env.now() / 1000),
});
const hw = (hh: Harness) => hwCall({
  base: hh.url, method: "POST", path: "/v1/things", body: '{"thing":{"name":"a"}}',
  ak: hh.creds.huaweiAccessKey, sk: hh.creds.huaweiSecretKey, projectId: hh.creds.huaweiProjectId, dateMs: hh.emu.env.now(),
});

describe("faults after the handler", () => {
  it("malformed: applies the call, then answers its status with a body that is not JSON", async () => {
    h = await startFake();
    h.emu.inject({ action: "CreateThing", kind: "malformed", count: 2 });
    const t = await tc(h);
    expect(t.status).toBe(200);
    expect(typeof t.json).toBe("string"); // not parseable
    expect(() => JSON.parse(t.json)).toThrow();
    expect(h.teo.backend.things.size).toBe(1);
    const r = await hw(h);
    expect(r.status).toBe(201);
    expect(typeof r.json).toBe("string");
    expect(h.ga.backend.things.size).toBe(1);
    expect(h.emu.calls().map((c) => c.fault)).toEqual(["malformed", "malformed"]);
  });

  it("truncated: applies the call, announces the whole body, sends half and closes the connection", async () => {
    h = await startFake();
    h.emu.inject({ action: "CreateThing", kind: "truncated", count: 2 });
    await expect(tc(h)).rejects.toThrow();
    expect(h.teo.backend.things.size).toBe(1);
    await expect(hw(h)).rejects.toThrow();
    expect(h.ga.backend.things.size).toBe(1);
    expect(h.emu.calls().map((c) => c.fault)).toEqual(["truncated", "truncated"]);
  });

  it("retryAfter: a Huawei 429 refusal carries Retry-After and applies nothing", async () => {
    h = await startFake();
    h.emu.inject({ service: "ga", action: "CreateThing", kind: "error", code: "APIGW.0308", status: 429, retryAfter: 2 });
    const r = await hw(h);
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("2");
    expect(r.json.error_code).toBe("APIGW.0308");
    expect(h.ga.backend.things.size).toBe(0);
    h.emu.inject({ action: "CreateThing", kind: "http", status: 503, retryAfter: 1 });
    expect((await tc(h)).headers.get("retry-after")).toBe("1");
  });

  it("refuses a retryAfter that is negative or on a kind without an answer", () => {
    expect(validateFaultSpec({ action: "*", kind: "error", retryAfter: -1 })).toMatch(/retryAfter/);
    expect(validateFaultSpec({ action: "*", kind: "drop-after", retryAfter: 1 })).toMatch(/retryAfter/);
    expect(validateFaultSpec({ action: "*", kind: "malformed" })).toBeUndefined();
  });
});
