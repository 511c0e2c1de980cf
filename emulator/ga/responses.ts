/**
 * Wire layer of the GA module: routes, the `{"endpoint_group": ...}` envelope in and out, JSON types,
 * unknown body fields and query parameters (400 GA.9001), rendering of EndpointGroupDetail
 * (reference §3–4). No business rules here; errors are thrown and rendered by the core's Huawei gateway.
 */
import type { HuaweiRequest, HuaweiResponse } from "../core/contract";
import { InvalidField } from "./exceptions";
import {
  LIST_LIMIT_MAX,
  STATUSES,
  type EndpointGroup,
  type EndpointGroupPatch,
  type GaBackend,
  type ListQuery,
  type NewEndpointGroup,
} from "./models";

export const GA_ACTIONS = {
  create: "CreateEndpointGroup",
  list: "ListEndpointGroups",
  show: "ShowEndpointGroup",
  update: "UpdateEndpointGroup",
  delete: "DeleteEndpointGroup",
} as const;

const COLLECTION = /^\/v1\/endpoint-groups$/;
const ITEM = /^\/v1\/endpoint-groups\/([^/]+)$/;

/** Route table (the moto `urls.py`): method + path → action and path id. */
export function routeOf(method: string, path: string): { action: string; id?: string } | undefined {
  const m = method.toUpperCase();
  if (COLLECTION.test(path)) {
    if (m === "POST") return { action: GA_ACTIONS.create };
    if (m === "GET") return { action: GA_ACTIONS.list };
    return undefined;
  }
  const item = ITEM.exec(path);
  if (!item) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(item[1]!);
  } catch {
    return undefined;
  }
  if (m === "GET") return { action: GA_ACTIONS.show, id };
  if (m === "PUT") return { action: GA_ACTIONS.update, id };
  if (m === "DELETE") return { action: GA_ACTIONS.delete, id };
  return undefined;
}

/** EndpointGroupDetail (reference §4): every field, always; times ISO 8601 UTC with milliseconds. */
export function toDetail(g: EndpointGroup) {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    status: g.status,
    traffic_dial_percentage: g.trafficDialPercentage,
    region_id: g.regionId,
    listeners: [{ id: g.listenerId }],
    created_at: new Date(g.createdAt).toISOString(),
    updated_at: new Date(g.updatedAt).toISOString(),
    domain_id: g.domainId,
    frozen_info: { status: g.frozen.status, effect: g.frozen.effect, scene: [...g.frozen.scene] },
  };
}

// ---------------------------------------------------------------- body decoding

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const CREATE_FIELDS = ["name", "description", "traffic_dial_percentage", "region_id", "listeners"] as const;
const UPDATE_FIELDS = ["name", "description", "traffic_dial_percentage"] as const;

/** `{"endpoint_group": {...}}` with nothing else beside it; returns the inner object with only `allowed` keys. */
function unwrap(body: unknown, allowed: readonly string[]): Obj {
  if (!isObject(body)) throw new InvalidField("endpoint_group", "request body must be a JSON object");
  for (const k of Object.keys(body)) if (k !== "endpoint_group") throw new InvalidField(k, "unknown field");
  const inner = body.endpoint_group;
  if (inner === undefined) throw new InvalidField("endpoint_group", "is required");
  if (!isObject(inner)) throw new InvalidField("endpoint_group", "must be an object");
  for (const k of Object.keys(inner)) {
    if (!allowed.includes(k)) throw new InvalidField(k, allowed === UPDATE_FIELDS && CREATE_FIELDS.includes(k as any)
      ? "cannot be updated" : "unknown field");
  }
  return inner;
}

/** `null` is a type error, not "absent" (stricter). */
function optString(o: Obj, k: string): string | undefined {
  const v = o[k];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new InvalidField(k, "must be a string");
  return v;
}

function reqString(o: Obj, k: string): string {
  if (o[k] === undefined) throw new InvalidField(k, "is required");
  return optString(o, k)!;
}

function optNumber(o: Obj, k: string): number | undefined {
  const v = o[k];
  if (v === undefined) return undefined;
  if (typeof v !== "number") throw new InvalidField(k, "must be an integer");
  return v;
}

function listenerIds(o: Obj): string[] {
  const v = o.listeners;
  if (v === undefined) throw new InvalidField("listeners", "is required");
  if (!Array.isArray(v)) throw new InvalidField("listeners", "must be an array of {\"id\": string}");
  return v.map((item, i) => {
    if (!isObject(item)) throw new InvalidField(`listeners[${i}]`, "must be an object {\"id\": string}");
    for (const k of Object.keys(item)) if (k !== "id") throw new InvalidField(`listeners[${i}].${k}`, "unknown field");
    if (typeof item.id !== "string" || item.id === "") throw new InvalidField(`listeners[${i}].id`, "must be a non-empty string");
    return item.id;
  });
}

function toNewGroup(body: unknown): NewEndpointGroup {
  const o = unwrap(body, CREATE_FIELDS);
  return {
    name: reqString(o, "name"),
    description: optString(o, "description"),
    trafficDialPercentage: optNumber(o, "traffic_dial_percentage"),
    regionId: reqString(o, "region_id"),
    listenerIds: listenerIds(o),
  };
}

function toPatch(body: unknown): EndpointGroupPatch {
  const o = unwrap(body, UPDATE_FIELDS);
  return { name: optString(o, "name"), description: optString(o, "description"), trafficDialPercentage: optNumber(o, "traffic_dial_percentage") };
}

// ---------------------------------------------------------------- query decoding

const LIST_PARAMS = ["limit", "marker", "page_reverse", "id", "name", "status", "listener_id"] as const;

/** Unknown (e.g. `region_id`) or repeated parameters are refused; show/update/delete/create take none. */
function checkQuery(q: URLSearchParams, allowed: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of q) {
    if (!allowed.includes(k)) throw new InvalidField(k, "unsupported query parameter");
    if (out.has(k)) throw new InvalidField(k, "must be given at most once");
    out.set(k, v);
  }
  return out;
}

function toListQuery(query: URLSearchParams): ListQuery {
  const q = checkQuery(query, LIST_PARAMS);
  const out: ListQuery = {};
  const limit = q.get("limit");
  if (limit !== undefined) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > LIST_LIMIT_MAX) {
      throw new InvalidField("limit", `must be an integer from 1 to ${LIST_LIMIT_MAX}`);
    }
    out.limit = Number(limit);
  }
  const marker = q.get("marker");
  if (marker !== undefined) {
    if (limit === undefined) throw new InvalidField("marker", "must be used with limit");
    out.marker = marker;
  }
  const reverse = q.get("page_reverse");
  if (reverse !== undefined) {
    if (reverse !== "true" && reverse !== "false") throw new InvalidField("page_reverse", "must be true or false");
    out.pageReverse = reverse === "true";
  }
  const status = q.get("status");
  if (status !== undefined) {
    if (!(STATUSES as readonly string[]).includes(status)) throw new InvalidField("status", `must be one of ${STATUSES.join(", ")}`);
    out.status = status;
  }
  const name = q.get("name");
  if (name !== undefined) {
    if ([...name].length > 64) throw new InvalidField("name", "must be at most 64 characters");
    out.name = name;
  }
  if (q.has("id")) out.id = q.get("id");
  if (q.has("listener_id")) out.listenerId = q.get("listener_id");
  return out;
}

// ---------------------------------------------------------------- handler

export function createGaHandler(b: GaBackend): (req: HuaweiRequest) => HuaweiResponse | undefined {
  return (req) => {
    const route = routeOf(req.method, req.path);
    if (!route) return undefined;
    const rid = req.requestId;
    switch (route.action) {
      case GA_ACTIONS.create: {
        checkQuery(req.query, []);
        const g = b.createEndpointGroup(toNewGroup(req.body));
        return { status: 201, body: { endpoint_group: toDetail(g), request_id: rid } };
      }
      case GA_ACTIONS.list: {
        const page = b.listEndpointGroups(toListQuery(req.query));
        return {
          status: 200,
          body: {
            endpoint_groups: page.groups.map(toDetail),
            // next_marker only when another page exists (reference §3.4).
            page_info: { ...(page.nextMarker ? { next_marker: page.nextMarker } : {}), current_count: page.currentCount },
            request_id: rid,
          },
        };
      }
      case GA_ACTIONS.show:
        checkQuery(req.query, []);
        return { status: 200, body: { endpoint_group: toDetail(b.showEndpointGroup(route.id!)), request_id: rid } };
      case GA_ACTIONS.update: {
        checkQuery(req.query, []);
        const g = b.updateEndpointGroup(route.id!, toPatch(req.body));
        return { status: 200, body: { endpoint_group: toDetail(g), request_id: rid } };
      }
      case GA_ACTIONS.delete:
        checkQuery(req.query, []);
        b.deleteEndpointGroup(route.id!);
        return { status: 204 };
      default:
        return undefined;
    }
  };
}
