import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, HuaweiError, type EmulatorSettings } from "../../../emulator/core/contract";
import { SEED } from "../../../emulator/core/defaults";
import { createGaService } from "../../../emulator/ga";
import { fixedEnv } from "../../support/fixedEnv";

const L = SEED.gaListenerId;
const P = "/v1/endpoint-groups";
const PENDING_MS = 2000;

interface Res { status: number; body?: any }

function setup(overrides: Partial<EmulatorSettings> = {}) {
  const env = fixedEnv(Date.UTC(2019, 0, 8, 1, 21, 37, 151));
  const settings: EmulatorSettings = { ...DEFAULT_SETTINGS, gaPendingMs: PENDING_MS, ...overrides };
  const svc = createGaService(env, settings);
  /** Like the core gateway: thrown HuaweiErrors become the flat error body. */
  const req = (method: string, path: string, body?: unknown, query = ""): Res => {
    try {
      const r = svc.handle({ method, path, query: new URLSearchParams(query), body, projectId: "p", account: "ak", requestId: "rid-1" });
      if (!r) return { status: 404, body: { error_code: "APIGW.0101" } };
      return r;
    } catch (e) {
      if (e instanceof HuaweiError) return { status: e.status, body: { error_code: e.code, error_msg: e.message } };
      throw e;
    }
  };
  const admin = (op: string, args: Record<string, unknown> = {}): any => svc.backend.admin(op, args);
  const body = (o: Record<string, unknown> = {}) => ({
    endpoint_group: { name: "eg-web", description: "web origins", traffic_dial_percentage: 100, region_id: "ap-southeast-1", listeners: [{ id: L }], ...o },
  });
  const create = (o: Record<string, unknown> = {}) => {
    const r = req("POST", P, body(o));
    if (r.status !== 201) throw new Error(`create failed: ${JSON.stringify(r.body)}`);
    return r.body.endpoint_group;
  };
  const createActive = (o: Record<string, unknown> = {}) => {
    const g = create(o);
    env.advance(PENDING_MS);
    return g;
  };
  return { env, settings, svc, req, admin, body, create, createActive };
}

describe("routing", () => {
  it.each([
    ["POST", P, "CreateEndpointGroup"],
    ["GET", P, "ListEndpointGroups"],
    ["GET", `${P}/3a9f50bb-f041-4eac-a117-82472d8a0007`, "ShowEndpointGroup"],
    ["PUT", `${P}/3a9f50bb-f041-4eac-a117-82472d8a0007`, "UpdateEndpointGroup"],
    ["DELETE", `${P}/3a9f50bb-f041-4eac-a117-82472d8a0007`, "DeleteEndpointGroup"],
    ["PATCH", `${P}/x`, undefined],
    ["DELETE", P, undefined],
    ["GET", `${P}/x/endpoints`, undefined],
    ["GET", "/v1/listeners", undefined],
    ["GET", `${P}/`, undefined],
  ])("actionOf(%s %s) = %s", (method, path, action) => {
    const { svc } = setup();
    expect(svc.actionOf(method, path)).toBe(action);
    if (action === undefined) expect(svc.handle({ method, path, query: new URLSearchParams(), body: undefined, projectId: "p", account: "a", requestId: "r" })).toBeUndefined();
  });
});

describe("CreateEndpointGroup", () => {
  it("answers 201 with every detail field, status PENDING and the request id", () => {
    const { req, body } = setup();
    const r = req("POST", P, body());
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      endpoint_group: {
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        name: "eg-web", description: "web origins", status: "PENDING", traffic_dial_percentage: 100,
        region_id: "ap-southeast-1", listeners: [{ id: L }],
        created_at: "2019-01-08T01:21:37.151Z", updated_at: "2019-01-08T01:21:37.151Z",
        domain_id: SEED.gaDomainId, frozen_info: { status: 0, effect: 1, scene: [] },
      },
      request_id: "rid-1",
    });
  });

  it("defaults traffic_dial_percentage to 100 and description to empty", () => {
    const { create } = setup();
    const g = create({ traffic_dial_percentage: undefined, description: undefined, name: "a" });
    expect(g.traffic_dial_percentage).toBe(100);
    expect(g.description).toBe("");
  });

  it("keeps traffic_dial_percentage 0", () => {
    const { create } = setup();
    expect(create({ traffic_dial_percentage: 0 }).traffic_dial_percentage).toBe(0);
  });

  it("becomes ACTIVE once gaPendingMs has elapsed, reading the setting live", () => {
    const { create, req, env, settings } = setup();
    const g = create();
    env.advance(PENDING_MS - 1);
    expect(req("GET", `${P}/${g.id}`).body.endpoint_group.status).toBe("PENDING");
    env.advance(1);
    expect(req("GET", `${P}/${g.id}`).body.endpoint_group.status).toBe("ACTIVE");
    settings.gaPendingMs = 60_000;
    const g2 = create({ region_id: "cn-south-1" });
    env.advance(PENDING_MS);
    expect(req("GET", `${P}/${g2.id}`).body.endpoint_group.status).toBe("PENDING");
    settings.gaPendingMs = 0;
    expect(req("GET", `${P}/${g2.id}`).body.endpoint_group.status).toBe("ACTIVE");
  });

  it("is ACTIVE at once with gaPendingMs 0", () => {
    const { create } = setup({ gaPendingMs: 0 });
    expect(create().status).toBe("ACTIVE");
  });

  it("accepts a 64-character name and a 255-character description", () => {
    const { create } = setup();
    expect(create({ name: "n".repeat(64), description: "d".repeat(255) }).name).toHaveLength(64);
  });

  it.each([
    ["a missing name", { name: undefined }, 400, "GA.9001", "Invalid name: is required"],
    ["an empty name", { name: "" }, 400, "GA.9001", "Invalid name:"],
    ["a 65-character name", { name: "n".repeat(65) }, 400, "GA.9001", "Invalid name:"],
    ["an underscore in the name", { name: "eg_web" }, 400, "GA.9001", "Invalid name:"],
    ["a Chinese name", { name: "终端节点组" }, 400, "GA.9001", "Invalid name:"],
    ["a numeric name", { name: 5 }, 400, "GA.9001", "Invalid name: must be a string"],
    ["a 256-character description", { description: "d".repeat(256) }, 400, "GA.9001", "Invalid description:"],
    ["< in the description", { description: "a<b" }, 400, "GA.9001", "Invalid description: must not contain < or >"],
    ["> in the description", { description: "a>b" }, 400, "GA.9001", "Invalid description:"],
    ["a null description", { description: null }, 400, "GA.9001", "Invalid description:"],
    ["dial 101", { traffic_dial_percentage: 101 }, 400, "GA.9001", "Invalid traffic_dial_percentage:"],
    ["dial -1", { traffic_dial_percentage: -1 }, 400, "GA.9001", "Invalid traffic_dial_percentage:"],
    ["dial 50.5", { traffic_dial_percentage: 50.5 }, 400, "GA.9001", "Invalid traffic_dial_percentage:"],
    ["dial as a string", { traffic_dial_percentage: "50" }, 400, "GA.9001", "Invalid traffic_dial_percentage:"],
    ["a missing region_id", { region_id: undefined }, 400, "GA.9001", "Invalid region_id: is required"],
    ["a malformed region_id", { region_id: "ap southeast" }, 400, "GA.9001", "Invalid region_id:"],
    ["a region the accelerator does not serve", { region_id: "af-south-1" }, 400, "GA.9105",
      "The acceleration capability is not enabled for the selected region: af-south-1"],
    ["missing listeners", { listeners: undefined }, 400, "GA.9001", "Invalid listeners: is required"],
    ["no listener", { listeners: [] }, 400, "GA.9001", "Invalid listeners:"],
    ["two listeners", { listeners: [{ id: L }, { id: L }] }, 400, "GA.9001", "Invalid listeners:"],
    ["a listener as a string", { listeners: [L] }, 400, "GA.9001", "Invalid listeners[0]:"],
    ["an extra field in a listener", { listeners: [{ id: L, port: 80 }] }, 400, "GA.9001", "Invalid listeners[0].port: unknown field"],
    ["an unknown listener", { listeners: [{ id: "00000000-0000-4000-8000-00000000dead" }] }, 404, "GA.9002",
      "Not found: listener 00000000-0000-4000-8000-00000000dead"],
    ["an unknown field", { endpoints: [] }, 400, "GA.9001", "Invalid endpoints: unknown field"],
    ["a camelCase field", { trafficDialPercentage: 5 }, 400, "GA.9001", "Invalid trafficDialPercentage: unknown field"],
  ])("rejects %s", (_n, o, status, code, msg) => {
    const { req, body } = setup();
    const b = body(o);
    for (const [k, v] of Object.entries(b.endpoint_group)) if (v === undefined) delete (b.endpoint_group as any)[k];
    const r = req("POST", P, b);
    expect(r.status).toBe(status);
    expect(r.body.error_code).toBe(code);
    expect(r.body.error_msg).toContain(msg);
  });

  it.each([
    ["no body", undefined, "Invalid endpoint_group:"],
    ["an array body", [], "Invalid endpoint_group:"],
    ["an unwrapped body", { name: "x", region_id: "ap-southeast-1", listeners: [{ id: L }] }, "Invalid name: unknown field"],
    ["a field beside the envelope", { endpoint_group: {}, extra: 1 }, "Invalid extra: unknown field"],
    ["a non-object envelope", { endpoint_group: "x" }, "Invalid endpoint_group: must be an object"],
  ])("rejects %s with GA.9001", (_n, b, msg) => {
    const { req } = setup();
    const r = req("POST", P, b);
    expect(r).toMatchObject({ status: 400, body: { error_code: "GA.9001" } });
    expect(r.body.error_msg).toContain(msg);
  });

  it("refuses a query string on create", () => {
    const { req, body } = setup();
    expect(req("POST", P, body(), "dry_run=true").body.error_code).toBe("GA.9001");
  });

  it("allows one group per listener per region (GA.9104), also while the first is DELETING", () => {
    const { req, body, createActive, create } = setup();
    const g = createActive();
    const dup = req("POST", P, body({ name: "other" }));
    expect(dup).toMatchObject({ status: 400, body: { error_code: "GA.9104", error_msg: "Resource endpoint_group is already exists" } });
    expect(create({ region_id: "cn-south-1" }).status).toBe("PENDING");
    expect(req("DELETE", `${P}/${g.id}`).status).toBe(204);
    expect(req("POST", P, body()).body.error_code).toBe("GA.9104");
  });

  it("serves listeners and accelerators added through the control plane", () => {
    const { req, body, admin } = setup();
    admin("addAccelerator", { acceleratorId: "acc-2", regions: ["la-south-2"] });
    admin("addListener", { listenerId: "lst-2", acceleratorId: "acc-2" });
    expect(req("POST", P, body({ listeners: [{ id: "lst-2" }], region_id: "la-south-2" })).status).toBe(201);
    expect(req("POST", P, body({ listeners: [{ id: "lst-2" }], region_id: "ap-southeast-1" })).body.error_code).toBe("GA.9105");
    admin("addListener", { listenerId: "lst-3" });
    expect(req("POST", P, body({ listeners: [{ id: "lst-3" }] })).status).toBe(201);
  });
});

describe("ShowEndpointGroup", () => {
  it("answers 404 GA.9002 for an unknown id", () => {
    const { req } = setup();
    const r = req("GET", `${P}/3a9f50bb-f041-4eac-a117-82472d8a0007`);
    expect(r).toEqual({ status: 404, body: { error_code: "GA.9002", error_msg: "Not found: endpoint_group 3a9f50bb-f041-4eac-a117-82472d8a0007" } });
  });

  it("refuses query parameters", () => {
    const { req, create } = setup();
    const g = create();
    expect(req("GET", `${P}/${g.id}`, undefined, "fields=name").body.error_msg).toBe("Invalid fields: unsupported query parameter");
  });
});

describe("UpdateEndpointGroup", () => {
  it("round-trips the official example (seed 003): same request, same response shape", () => {
    const { req, createActive, env } = setup();
    const g = createActive({ name: "endpoint-group-name", description: "endpoint-group description" });
    env.advance(1000);
    const r = req("PUT", `${P}/${g.id}`, {
      endpoint_group: { name: "endpoint-group-name-new", description: "endpoint-group description new", traffic_dial_percentage: 5 },
    });
    const example = {
      endpoint_group: { id: "3a9f50bb-f041-4eac-a117-82472d8a0007", name: "endpoint-group-name-new", description: "endpoint-group description new",
        status: "ACTIVE", traffic_dial_percentage: 5, region_id: "ap-southeast-1", listeners: [{ id: "1b11747a-b139-492f-9692-2df0b1c87193" }],
        created_at: "2019-01-08T01:21:37.151Z", updated_at: "2019-01-08T01:21:37.151Z", domain_id: "99a3fff0d03c428eac3678da6a7d0f24",
        frozen_info: { status: 2, effect: 1, scene: ["ARREAR", "POLICE"] } },
      request_id: "915a14a6-867b-4af7-83d1-70efceb146f9",
    };
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(Object.keys(example).sort());
    expect(Object.keys(r.body.endpoint_group)).toEqual(Object.keys(example.endpoint_group));
    expect(Object.keys(r.body.endpoint_group.frozen_info)).toEqual(Object.keys(example.endpoint_group.frozen_info));
    for (const [k, v] of Object.entries(example.endpoint_group)) expect(typeof r.body.endpoint_group[k], k).toBe(typeof v);
    expect(r.body.endpoint_group).toMatchObject({
      name: "endpoint-group-name-new", description: "endpoint-group description new", traffic_dial_percentage: 5,
      region_id: "ap-southeast-1", listeners: [{ id: L }], domain_id: "99a3fff0d03c428eac3678da6a7d0f24",
      // the update moves the group back to PENDING (the doc example shows ACTIVE)
      status: "PENDING", created_at: "2019-01-08T01:21:37.151Z", updated_at: "2019-01-08T01:21:40.151Z",
    });
  });

  it("goes PENDING, then ACTIVE after the delay", () => {
    const { req, createActive, env } = setup();
    const g = createActive();
    expect(req("PUT", `${P}/${g.id}`, { endpoint_group: { traffic_dial_percentage: 0 } }).body.endpoint_group.status).toBe("PENDING");
    env.advance(PENDING_MS);
    expect(req("GET", `${P}/${g.id}`).body.endpoint_group).toMatchObject({ status: "ACTIVE", traffic_dial_percentage: 0 });
  });

  it("answers GA.9004 while the group is PENDING", () => {
    const { req, create } = setup();
    const g = create();
    const r = req("PUT", `${P}/${g.id}`, { endpoint_group: { name: "x" } });
    expect(r).toEqual({ status: 400, body: { error_code: "GA.9004", error_msg: `Resource endpoint_group ${g.id} is in PENDING status no operation allowed` } });
  });

  it("answers GA.9004 for an ERROR group", () => {
    const { req, createActive, admin } = setup();
    const g = createActive();
    admin("setStatus", { id: g.id, status: "ERROR" });
    expect(req("PUT", `${P}/${g.id}`, { endpoint_group: { name: "x" } }).body.error_msg).toContain("is in ERROR status");
  });

  it("clears the description with \"\" and keeps omitted fields", () => {
    const { req, createActive } = setup();
    const g = createActive({ description: "keep", traffic_dial_percentage: 40 });
    const r = req("PUT", `${P}/${g.id}`, { endpoint_group: { description: "" } });
    expect(r.body.endpoint_group).toMatchObject({ description: "", traffic_dial_percentage: 40, name: "eg-web" });
  });

  it.each([
    ["region_id", { region_id: "cn-south-1" }, "Invalid region_id: cannot be updated"],
    ["listeners", { listeners: [{ id: L }] }, "Invalid listeners: cannot be updated"],
    ["an unknown field", { status: "ACTIVE" }, "Invalid status: unknown field"],
    ["a bad name", { name: "a b" }, "Invalid name:"],
    ["a description with <", { description: "<b>" }, "Invalid description:"],
    ["dial 101", { traffic_dial_percentage: 101 }, "Invalid traffic_dial_percentage:"],
    ["a null name", { name: null }, "Invalid name: must be a string"],
  ])("rejects %s with 400 GA.9001", (_n, o, msg) => {
    const { req, createActive } = setup();
    const g = createActive();
    const r = req("PUT", `${P}/${g.id}`, { endpoint_group: o });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe("GA.9001");
    expect(r.body.error_msg).toContain(msg);
    expect(req("GET", `${P}/${g.id}`).body.endpoint_group.status).toBe("ACTIVE");
  });

  it("answers 404 GA.9002 for an unknown id", () => {
    const { req } = setup();
    expect(req("PUT", `${P}/nope`, { endpoint_group: { name: "x" } })).toMatchObject({ status: 404, body: { error_code: "GA.9002" } });
  });

  it("answers 400 GA.9006 for a frozen group, and accepts writes again once unfrozen", () => {
    const { req, createActive, admin } = setup();
    const g = createActive();
    admin("freeze", { id: g.id, status: 1, effect: 1, scene: ["ARREAR"] });
    expect(req("GET", `${P}/${g.id}`).body.endpoint_group.frozen_info).toEqual({ status: 1, effect: 1, scene: ["ARREAR"] });
    expect(req("PUT", `${P}/${g.id}`, { endpoint_group: { name: "x" } })).toEqual({ status: 400, body: { error_code: "GA.9006", error_msg: "Resource frozen" } });
    expect(req("DELETE", `${P}/${g.id}`).body.error_code).toBe("GA.9006");
    admin("freeze", { id: g.id, status: 0 });
    expect(req("PUT", `${P}/${g.id}`, { endpoint_group: { name: "x" } }).status).toBe(200);
  });
});

describe("DeleteEndpointGroup", () => {
  it("answers 204 without a body, shows DELETING, then 404 after the delay", () => {
    const { req, createActive, env, svc } = setup();
    const g = createActive();
    expect(req("DELETE", `${P}/${g.id}`)).toEqual({ status: 204 });
    expect(req("GET", `${P}/${g.id}`).body.endpoint_group.status).toBe("DELETING");
    expect(req("DELETE", `${P}/${g.id}`).body.error_msg).toContain("is in DELETING status");
    env.advance(PENDING_MS);
    expect(req("GET", `${P}/${g.id}`)).toMatchObject({ status: 404, body: { error_code: "GA.9002", error_msg: `Not found: endpoint_group ${g.id}` } });
    expect(svc.backend.resourceCount()).toBe(0);
  });

  it("answers GA.9004 while PENDING", () => {
    const { req, create } = setup();
    const g = create();
    expect(req("DELETE", `${P}/${g.id}`)).toMatchObject({ status: 400, body: { error_code: "GA.9004" } });
  });

  it("deletes an ERROR group (cleanup of a failed create)", () => {
    const { req, create, admin } = setup();
    const g = create();
    admin("setStatus", { id: g.id, status: "ERROR" });
    expect(req("GET", `${P}/${g.id}`).body.endpoint_group.status).toBe("ERROR");
    expect(req("DELETE", `${P}/${g.id}`).status).toBe(204);
  });

  it.each([
    ["endpoints", "addEndpoint", "clearEndpoints", "endpoint"],
    ["health checks", "addHealthCheck", "clearHealthChecks", "health_check"],
  ])("answers 409 GA.9005 while %s exist", (_n, addOp, clearOp, by) => {
    const { req, createActive, admin } = setup();
    const g = createActive();
    admin(addOp, { id: g.id });
    expect(req("DELETE", `${P}/${g.id}`)).toEqual({ status: 409, body: { error_code: "GA.9005", error_msg: `Found endpoint_group ${g.id} is associated by ${by}` } });
    admin(clearOp, { id: g.id });
    expect(req("DELETE", `${P}/${g.id}`).status).toBe(204);
  });

  it("answers 404 for an unknown id", () => {
    const { req } = setup();
    expect(req("DELETE", `${P}/nope`).status).toBe(404);
  });
});

describe("ListEndpointGroups", () => {
  function withGroups(n: number) {
    const s = setup();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      s.admin("addListener", { listenerId: `lst-${i}` });
      ids.push(s.create({ name: `eg-${i}`, listeners: [{ id: `lst-${i}` }] }).id);
    }
    return { ...s, ids };
  }

  it("lists in creation order with page_info and the request id; no next_marker on the last page", () => {
    const { req, ids } = withGroups(3);
    const r = req("GET", P);
    expect(r.status).toBe(200);
    expect(r.body.endpoint_groups.map((g: any) => g.id)).toEqual(ids);
    expect(r.body.page_info).toEqual({ current_count: 3 });
    expect(r.body.request_id).toBe("rid-1");
  });

  it("pages forwards with limit/marker and backwards with page_reverse", () => {
    const { req, ids } = withGroups(5);
    const p1 = req("GET", P, undefined, "limit=2").body;
    expect(p1.endpoint_groups.map((g: any) => g.id)).toEqual(ids.slice(0, 2));
    expect(p1.page_info).toEqual({ next_marker: ids[1], current_count: 2 });
    const p2 = req("GET", P, undefined, `limit=2&marker=${ids[1]}`).body;
    expect(p2.endpoint_groups.map((g: any) => g.id)).toEqual(ids.slice(2, 4));
    const p3 = req("GET", P, undefined, `limit=2&marker=${ids[3]}`).body;
    expect(p3.endpoint_groups.map((g: any) => g.id)).toEqual([ids[4]]);
    expect(p3.page_info).toEqual({ current_count: 1 });
    const back = req("GET", P, undefined, `limit=2&marker=${ids[4]}&page_reverse=true`).body;
    expect(back.endpoint_groups.map((g: any) => g.id)).toEqual(ids.slice(2, 4));
    expect(back.page_info).toEqual({ next_marker: ids[2], current_count: 2 });
    const last = req("GET", P, undefined, "limit=2&page_reverse=true").body;
    expect(last.endpoint_groups.map((g: any) => g.id)).toEqual(ids.slice(3));
  });

  it("keeps paging from a marker that no longer matches the filter", () => {
    const { req, ids } = withGroups(4);
    const r = req("GET", P, undefined, `limit=10&marker=${ids[1]}&name=eg-3`).body;
    expect(r.endpoint_groups.map((g: any) => g.id)).toEqual([ids[3]]);
  });

  it("filters by id, name, status and listener_id", () => {
    const { req, ids, env, create, admin } = withGroups(3);
    env.advance(PENDING_MS);
    admin("addListener", { listenerId: "lst-x" });
    const pending = create({ name: "fresh", listeners: [{ id: "lst-x" }] });
    const names = (q: string) => req("GET", P, undefined, q).body.endpoint_groups.map((g: any) => g.name);
    expect(names(`id=${ids[1]}`)).toEqual(["eg-1"]);
    expect(names("name=eg-2")).toEqual(["eg-2"]);
    expect(names("status=PENDING")).toEqual(["fresh"]);
    expect(names("status=ACTIVE")).toEqual(["eg-0", "eg-1", "eg-2"]);
    expect(names("listener_id=lst-x")).toEqual(["fresh"]);
    expect(names(`listener_id=lst-x&id=${pending.id}&name=other`)).toEqual([]);
  });

  it("defaults limit to 500 and accepts 500", () => {
    const { req } = withGroups(1);
    expect(req("GET", P, undefined, "limit=500").status).toBe(200);
  });

  it.each([
    ["limit=0", "Invalid limit:"],
    ["limit=501", "Invalid limit:"],
    ["limit=abc", "Invalid limit:"],
    ["limit=-1", "Invalid limit:"],
    ["marker=00000000-0000-4000-8000-000000000001", "Invalid marker: must be used with limit"],
    ["limit=10&marker=gone", "Invalid marker:"],
    ["page_reverse=yes", "Invalid page_reverse:"],
    ["status=active", "Invalid status:"],
    [`name=${"n".repeat(65)}`, "Invalid name:"],
    ["region_id=ap-southeast-1", "Invalid region_id: unsupported query parameter"],
    ["offset=1", "Invalid offset: unsupported query parameter"],
    ["id=a&id=b", "Invalid id: must be given at most once"],
  ])("rejects %s with 400 GA.9001", (q, msg) => {
    const { req } = setup();
    const r = req("GET", P, undefined, q);
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe("GA.9001");
    expect(r.body.error_msg).toContain(msg);
  });
});

describe("control plane and persistence", () => {
  it("patchEndpointGroup is a console edit: applied at once, status unchanged, updated_at bumped", () => {
    const { req, createActive, admin, env } = setup();
    const g = createActive();
    env.advance(10_000);
    admin("patchEndpointGroup", { id: g.id, traffic_dial_percentage: 7, description: "console" });
    expect(req("GET", `${P}/${g.id}`).body.endpoint_group).toMatchObject({
      status: "ACTIVE", traffic_dial_percentage: 7, description: "console", updated_at: "2019-01-08T01:21:49.151Z",
    });
    expect(() => admin("patchEndpointGroup", { id: g.id, name: "bad name" })).toThrow(HuaweiError);
  });

  it("deleteEndpointGroup removes a group at once", () => {
    const { req, create, admin } = setup();
    const g = create();
    admin("deleteEndpointGroup", { id: g.id });
    expect(req("GET", `${P}/${g.id}`).status).toBe(404);
  });

  it("setStatus PENDING is sticky unless transient", () => {
    const { req, createActive, admin, env } = setup();
    const g = createActive();
    admin("setStatus", { id: g.id, status: "PENDING" });
    env.advance(PENDING_MS * 10);
    expect(req("GET", `${P}/${g.id}`).body.endpoint_group.status).toBe("PENDING");
    admin("setStatus", { id: g.id, status: "PENDING", transient: true });
    env.advance(PENDING_MS);
    expect(req("GET", `${P}/${g.id}`).body.endpoint_group.status).toBe("ACTIVE");
  });

  it("listEndpointGroups shows hidden state; unknown ops and ids throw", () => {
    const { createActive, admin } = setup();
    const g = createActive();
    admin("addEndpoint", { id: g.id });
    expect(admin("listEndpointGroups")).toEqual([expect.objectContaining({ id: g.id, endpoints: 1, healthChecks: 0, status: "ACTIVE" })]);
    expect(() => admin("nope")).toThrow(/unknown admin op/);
    expect(() => admin("addEndpoint", { id: "none" })).toThrow(/no GA endpoint group/);
  });

  it("snapshot → reset → restore keeps groups, listeners and an in-flight PENDING (through JSON)", () => {
    const { req, create, createActive, admin, env, svc, body } = setup();
    const a = createActive();
    admin("addListener", { listenerId: "lst-9" });
    const b = create({ listeners: [{ id: "lst-9" }] });
    const snap = JSON.parse(JSON.stringify(svc.backend.snapshot()));
    svc.backend.reset();
    expect(svc.backend.resourceCount()).toBe(0);
    expect(req("POST", P, body({ listeners: [{ id: "lst-9" }] })).status).toBe(404);
    svc.backend.restore(snap);
    expect(svc.backend.resourceCount()).toBe(2);
    expect(req("GET", `${P}/${a.id}`).body.endpoint_group).toEqual({ ...a, status: "ACTIVE" });
    expect(req("GET", `${P}/${b.id}`).body.endpoint_group.status).toBe("PENDING");
    env.advance(PENDING_MS);
    expect(req("GET", `${P}/${b.id}`).body.endpoint_group.status).toBe("ACTIVE");
  });
});
