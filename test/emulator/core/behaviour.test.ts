import { afterEach, describe, expect, it } from "vitest";
import { EmulatorAdmin } from "../../../emulator/admin";
import { startFake, type Harness } from "./harness";
import { hwCall, tc3Call, type Tc3Request } from "./signing";

let h: Harness | undefined;
afterEach(async () => {
  await h?.emu.close();
  h = undefined;
});

/** A clock the test moves by hand, so "in one second" is a fact, not a race. */
function manualClock() {
  let now = Date.now();
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const tc = (hh: Harness, over: Partial<Tc3Request> = {}) =>
  tc3Call({
    url: hh.url + "/",
    action: "CreateThing",
    version: "2022-09-01",
    body: '{"Name":"a"}',
    secretId: hh.creds.tencentSecretId,
    secretKey: hh.creds.tencentSecretKey,
    timestamp: Math.floor(hh.emu.env.now() / 1000),
    ...over,
  });

const hw = (hh: Harness, method = "POST", path = "/v1/things", body = method === "POST" ? '{"thing":{"name":"a"}}' : undefined) =>
  hwCall({
    base: hh.url,
    method,
    path,
    body,
    ak: hh.creds.huaweiAccessKey,
    sk: hh.creds.huaweiSecretKey,
    projectId: hh.creds.huaweiProjectId,
    dateMs: hh.emu.env.now(),
  });

describe("rate limit per (account, action) per wall-clock second", () => {
  it("refuses the 21st call in a second with the exact RequestLimitExceeded message (default 20)", async () => {
    h = await startFake();
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 22; i++) codes.push((await tc(h, { action: "DescribeThings", body: "{}" })).json.Response.Error?.Code);
    expect(codes.slice(0, 20).every((c) => c === undefined)).toBe(true);
    expect(codes.slice(20)).toEqual(["RequestLimitExceeded", "RequestLimitExceeded"]);
    const r = await tc(h, { action: "DescribeThings", body: "{}" });
    expect(r.json.Response.Error.Message).toBe(
      "Your current request times equals to `23` in a second, which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls.",
    );
  });

  it("counts each action separately, starts again next second, and does not apply refused calls", async () => {
    const clock = manualClock();
    h = await startFake({ env: { now: clock.now } });
    h.emu.settings.rateLimit = 5;
    for (let i = 0; i < 5; i++) expect((await tc(h)).json.Response.ThingId).toBeDefined();
    const refused = await tc(h);
    expect(refused.json.Response.Error).toEqual({
      Code: "RequestLimitExceeded",
      Message: "Your current request times equals to `6` in a second, which exceeds the frequency limit `5` for a second. Please reduce the frequency of calls.",
    });
    expect(h.teo.backend.things.size).toBe(5);
    expect((await tc(h, { action: "DescribeThings", body: "{}" })).json.Response.TotalCount).toBe(5);
    clock.advance(1000 - (clock.now() % 1000));
    expect((await tc(h)).json.Response.ThingId).toBeDefined();
  });

  it("counts after authentication: refused signatures do not use up the budget", async () => {
    h = await startFake();
    h.emu.settings.rateLimit = 2;
    for (let i = 0; i < 5; i++) expect((await tc(h, { secretKey: "wrong" })).json.Response.Error.Code).toBe("AuthFailure.SignatureFailure");
    expect((await tc(h)).json.Response.ThingId).toBeDefined();
    expect((await tc(h)).json.Response.ThingId).toBeDefined();
    expect((await tc(h)).json.Response.Error.Code).toBe("RequestLimitExceeded");
  });

  it("answers Huawei 429 APIGW.0308 with the limit in the message; 0 disables the limit", async () => {
    h = await startFake();
    h.emu.settings.rateLimit = 3;
    for (let i = 0; i < 3; i++) expect((await hw(h, "GET")).status).toBe(200);
    const r = await hw(h, "GET");
    expect(r.status).toBe(429);
    expect(r.json).toMatchObject({
      error_code: "APIGW.0308",
      error_msg: "The throttling threshold has been reached: policy user over ratelimit,limit:3,time:1 second",
    });
    h.emu.settings.rateLimit = 0;
    for (let i = 0; i < 5; i++) expect((await hw(h, "GET")).status).toBe(200);
  });
});

describe("fault injection", () => {
  it("error: answers the API error without applying (Tencent envelope; Huawei status and code)", async () => {
    h = await startFake();
    h.emu.inject({ action: "CreateThing", kind: "error", code: "ResourceUnavailable", message: "try later" });
    const r = await tc(h);
    expect(r.status).toBe(200);
    expect(r.json.Response.Error).toEqual({ Code: "ResourceUnavailable", Message: "try later" });
    expect(h.teo.backend.things.size).toBe(0);
    expect((await tc(h)).json.Response.ThingId).toBeDefined(); // count defaults to 1

    h.emu.inject({ service: "ga", action: "CreateThing", kind: "error", code: "GA.9004", status: 400 });
    const hr = await hw(h);
    expect(hr.status).toBe(400);
    expect(hr.json.error_code).toBe("GA.9004");
    expect(h.ga.backend.things.size).toBe(0);
  });

  it("http: answers a bare status with a non-API body, without applying", async () => {
    h = await startFake();
    h.emu.inject({ action: "*", kind: "http", count: 2 });
    const res = await fetch(h.url + "/", { method: "POST" });
    expect(res.status).toBe(200); // unsigned: refused by auth, so the fault does not fire
    const t = await tc(h);
    expect(t.status).toBe(503);
    const hr = await fetch(`${h.url}/v1/things`, { method: "POST", headers: { "X-Auth-Token": h.creds.huaweiAuthToken }, body: "{}" });
    expect(hr.status).toBe(503);
    expect(hr.headers.get("content-type")).toBe("text/html");
    expect(h.teo.backend.things.size + h.ga.backend.things.size).toBe(0);
    expect(h.emu.faults()).toEqual([]);
  });

  it("drop-before: closes the connection and nothing is applied", async () => {
    h = await startFake();
    h.emu.inject({ action: "CreateThing", kind: "drop-before" });
    await expect(tc(h)).rejects.toThrow();
    expect(h.teo.backend.things.size).toBe(0);
    expect(h.emu.calls().at(-1)).toMatchObject({ action: "CreateThing", httpStatus: 0, fault: "drop-before" });
  });

  it("drop-after: the backend applies the call, then the connection closes without an answer", async () => {
    h = await startFake();
    h.emu.inject({ action: "CreateThing", kind: "drop-after" });
    await expect(tc(h)).rejects.toThrow();
    expect([...h.teo.backend.things.values()].map((t) => t.name)).toEqual(["a"]);
    h.emu.inject({ service: "ga", action: "CreateThing", kind: "drop-after" });
    await expect(hw(h)).rejects.toThrow();
    expect(h.ga.backend.things.size).toBe(1);
    expect(h.emu.calls().map((c) => c.fault)).toEqual(["drop-after", "drop-after"]);
  });

  it("latency: delays, then applies normally", async () => {
    h = await startFake();
    h.emu.inject({ action: "CreateThing", kind: "latency", latencyMs: 60 });
    const r = await tc(h);
    expect(r.json.Response.ThingId).toBe("thing-1");
    const rec = h.emu.calls().at(-1)!;
    expect(rec.fault).toBe("latency");
    expect(rec.durationMs).toBeGreaterThanOrEqual(50); // a lower bound only: cannot flake on a slow machine
  });

  it("matches service and action, fires for `count` calls, then is gone", async () => {
    h = await startFake();
    h.emu.inject({ service: "organization", action: "*", kind: "error", code: "InternalError", count: 2 });
    expect((await tc(h)).json.Response.Error).toBeUndefined(); // teo is not matched
    const list = () => tc(h!, { action: "ListGroups", version: "2021-03-31", body: "{}", service: "organization" });
    expect((await list()).json.Response.Error.Code).toBe("InternalError");
    expect((await list()).json.Response.Error.Code).toBe("InternalError");
    expect((await list()).json.Response.Error).toBeUndefined();
  });

  it("probability: reproducible with a seed; 0 never fires, 1 always", async () => {
    const pattern = async (seed: number) => {
      const hh = await startFake({ seed });
      hh.emu.inject({ action: "DescribeThings", kind: "error", probability: 0.5 });
      const out: boolean[] = [];
      for (let i = 0; i < 16; i++) out.push((await tc(hh, { action: "DescribeThings", body: "{}" })).json.Response.Error !== undefined);
      await hh.emu.close();
      return out;
    };
    const a = await pattern(42);
    expect(await pattern(42)).toEqual(a);
    expect(a.some((x) => x)).toBe(true);
    expect(a.some((x) => !x)).toBe(true);

    h = await startFake();
    h.emu.inject({ action: "DescribeThings", kind: "error", probability: 0 });
    h.emu.inject({ action: "CreateThing", kind: "error", probability: 1 });
    for (let i = 0; i < 3; i++) {
      expect((await tc(h, { action: "DescribeThings", body: "{}" })).json.Response.Error).toBeUndefined();
      expect((await tc(h)).json.Response.Error.Code).toBe("InternalError");
    }
  });

  it("does not fire on a request refused by authentication", async () => {
    h = await startFake();
    h.emu.inject({ action: "*", kind: "drop-before" });
    expect((await tc(h, { secretKey: "wrong" })).json.Response.Error.Code).toBe("AuthFailure.SignatureFailure");
    expect(h.emu.faults()).toHaveLength(1);
  });
});

describe("control plane over HTTP (EmulatorAdmin)", () => {
  it("serves health, state, counts, settings, admin ops, faults, calls and reset", async () => {
    h = await startFake({ logBodies: true });
    const admin = new EmulatorAdmin(h.url);
    expect(await admin.health()).toEqual({ ok: true });
    await tc(h);
    await hw(h);
    expect(await admin.counts()).toEqual({ teo: 1, organization: 0, ga: 1 });
    const state = await admin.state();
    expect(Object.keys(state.services).sort()).toEqual(["ga", "organization", "teo"]);
    expect(state.settings.rateLimit).toBe(20);
    expect(JSON.stringify(state)).not.toContain(h.creds.tencentSecretKey);

    expect(await admin.settings({ rateLimit: 7 })).toMatchObject({ rateLimit: 7, gaPendingMs: 2000 });
    expect(h.emu.settings.rateLimit).toBe(7); // the live object the modules hold
    await expect(admin.settings({ nope: 1 } as any)).rejects.toThrow(/HTTP 400: unknown setting nope/);
    await expect(admin.settings({ rateLimit: -1 })).rejects.toThrow(/HTTP 400/);

    expect(await admin.admin("teo", "rename", { id: "thing-1", name: "console-edit" })).toEqual({ id: "thing-1", name: "console-edit" });
    expect(h.teo.backend.things.get("thing-1")?.name).toBe("console-edit");
    await expect(admin.admin("teo", "explode")).rejects.toThrow(/HTTP 400: unknown admin op explode/);
    await expect(admin.admin("nosuch", "x")).rejects.toThrow(/HTTP 404/);

    const id = await admin.inject({ action: "CreateThing", kind: "error", code: "LimitExceeded" });
    expect((await admin.faults()).map((f) => f.id)).toEqual([id]);
    await expect(admin.inject({ action: "x", kind: "explode" } as any)).rejects.toThrow(/HTTP 400: kind must be one of/);
    await admin.clearFaults();
    expect(await admin.faults()).toEqual([]);

    const calls = await admin.calls();
    expect(calls.map((c) => [c.seq, c.service, c.action, c.httpStatus])).toEqual([
      [1, "teo", "CreateThing", 200],
      [2, "ga", "CreateThing", 201],
    ]);
    expect(calls[0].requestBody).toBe('{"Name":"a"}');
    expect(calls[0].requestBytes).toBe(12);
    expect(calls[0].responseBytes).toBeGreaterThan(0);
    await admin.clearCalls();
    expect(await admin.calls()).toEqual([]);

    await admin.inject({ action: "*", kind: "drop-before" });
    await admin.reset();
    expect(await admin.counts()).toEqual({ teo: 0, organization: 0, ga: 0 });
    expect(await admin.faults()).toEqual([]);
    expect(await admin.calls()).toEqual([]);
  });

  it("logs auth failures with their code and keeps no body unless logBodies", async () => {
    h = await startFake();
    await tc(h, { secretKey: "wrong" });
    await hw(h, "GET", "/v1/nowhere");
    const calls = h.emu.calls();
    expect(calls[0]).toMatchObject({ service: "tencent", action: "CreateThing", httpStatus: 200, errorCode: "AuthFailure.SignatureFailure" });
    expect(calls[0].requestBody).toBeUndefined();
    expect(calls[1]).toMatchObject({ service: "huawei", httpStatus: 404, errorCode: "APIGW.0101" });
  });

  it("answers 404 for unknown control routes and 405 for a wrong method", async () => {
    h = await startFake();
    expect((await fetch(`${h.url}/_emulator/nothing`)).status).toBe(404);
    expect((await fetch(`${h.url}/_emulator/reset`)).status).toBe(405);
    expect(h.emu.calls()).toEqual([]); // control-plane requests are not API calls
  });
});
