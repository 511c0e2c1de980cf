/**
 * EndpointGroup: a Huawei Cloud Global Accelerator (GA v1) endpoint group. API facts:
 * shared/reference/huawei-ga-endpoint-group.md. Groups are asynchronous: PENDING after every write,
 * DELETING after a delete; writes to a group that is not ACTIVE are refused with GA.9004.
 */
import { z } from "zod";
import { ApiError, EdgeconfError } from "../clients/errors";
import { snapshotReader, type SnapshotSource } from "./batch";
import type { OperationContext, ProviderContext } from "./context";
import { PartialCreateError, type ResourceDefinition } from "./lifecycle";
import type { EndpointGroupState } from "../classes/endpointGroup";
import { waitUntil } from "./wait";

const BASE = "/v1/endpoint-groups";
const LIST_LIMIT = 500;

// ---------------------------------------------------------------- schema

export const EndpointGroupInputs = z.strictObject({
  // The form Huawei documents for region_id (huawei-ga-endpoint-group.md §3.1): 1-36 letters, digits, hyphens.
  // Compared exactly: how the API treats case is unconfirmed, so nothing is folded.
  regionId: z.string().regex(/^[A-Za-z0-9-]{1,36}$/, "must be 1-36 letters, digits or hyphens, a region id like ap-southeast-1"),
  listenerId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "must be a listener UUID"),
  name: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "must be 1-64 characters of letters, digits and -"),
  description: z.string().max(255, "must be at most 255 characters").refine((d) => !/[<>]/.test(d), "must not contain < or >").optional(),
  trafficDialPercentage: z.number().int("must be an integer").min(0, "must be 0-100").max(100, "must be 0-100").default(100),
});
export type EndpointGroupInputs = z.output<typeof EndpointGroupInputs>;

// ---------------------------------------------------------------- wire mapping and normalisation

interface ApiEndpointGroup {
  id: string;
  name: string;
  description?: string;
  status: "ACTIVE" | "PENDING" | "ERROR" | "DELETING";
  traffic_dial_percentage: number;
  region_id: string;
  listeners: { id: string }[];
  created_at: string;
  updated_at: string;
  domain_id: string;
  frozen_info?: { status?: number; effect?: number; scene?: string[] };
}

const fromApi = (g: ApiEndpointGroup): EndpointGroupState => ({
  regionId: g.region_id,
  listenerId: g.listeners?.[0]?.id ?? "",
  name: g.name,
  description: g.description ?? "",
  trafficDialPercentage: g.traffic_dial_percentage,
  endpointGroupId: g.id,
  status: g.status,
  createdAt: g.created_at,
  updatedAt: g.updated_at,
  domainId: g.domain_id,
  frozenInfo: { status: g.frozen_info?.status ?? 0, effect: g.frozen_info?.effect ?? 0, scene: g.frozen_info?.scene ?? [] },
});

const comparable = (i: EndpointGroupInputs) => ({
  regionId: i.regionId,
  listenerId: i.listenerId,
  name: i.name,
  description: i.description ?? "",
  trafficDialPercentage: i.trafficDialPercentage,
});

const inputsOf = (s: EndpointGroupState): EndpointGroupInputs => ({
  regionId: s.regionId,
  listenerId: s.listenerId,
  name: s.name,
  ...(s.description ? { description: s.description } : {}),
  trafficDialPercentage: s.trafficDialPercentage,
});

// ---------------------------------------------------------------- calls

type Ctx = ProviderContext;
type Method = "GET" | "POST" | "PUT" | "DELETE";
const request = <T>(ctx: Ctx, method: Method, path: string, action: string, op: OperationContext, extra: { body?: unknown; query?: Record<string, string | number | undefined> } = {}) =>
  ctx.huawei().request<T>("ga", method, path, { ...extra, action, deadline: op.deadline });

const isNotFound = (err: unknown) => err instanceof ApiError && (err.httpStatus === 404 || err.apiCode === "GA.9002");
const isBusy = (err: unknown) => err instanceof ApiError && err.apiCode === "GA.9004";

async function show(ctx: Ctx, id: string, op: OperationContext): Promise<ApiEndpointGroup | undefined> {
  try {
    return (await request<{ endpoint_group: ApiEndpointGroup }>(ctx, "GET", `${BASE}/${id}`, "ShowEndpointGroup", op)).body.endpoint_group;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Every page of a ListEndpointGroups query; `keepPaging(lower bound of the total)` may stop early. */
async function list(ctx: Ctx, query: Record<string, string | number | undefined>, op: OperationContext, keepPaging = (_atLeast: number) => true) {
  const all: ApiEndpointGroup[] = [];
  for (let marker: string | undefined; ; ) {
    const { body } = await request<{ endpoint_groups: ApiEndpointGroup[]; page_info?: { next_marker?: string } }>(
      ctx, "GET", BASE, "ListEndpointGroups", op, { query: { ...query, limit: LIST_LIMIT, marker } });
    all.push(...body.endpoint_groups);
    marker = body.page_info?.next_marker || undefined;
    if (!marker || body.endpoint_groups.length === 0) return { groups: all, complete: true };
    if (!keepPaging(all.length + LIST_LIMIT)) return { groups: all, complete: false };
  }
}

/**
 * Reads share the account's list (500 groups a call; the list API is account-wide and has no total). The scope
 * is the account, not the listener: a listener holds at most one group per region, so one list per listener
 * would cost a call per few groups. A lone read is a Show.
 */
const ACCOUNT_SCOPE = "account";
function endpointGroupSource(ctx: Ctx): SnapshotSource<ApiEndpointGroup> {
  const op = (): OperationContext => ({ deadline: Date.now() + 120_000, description: "reading EndpointGroup", timeoutSeconds: 120 });
  return {
    list: async (_scope, keepPaging) => {
      const { groups, complete } = await list(ctx, {}, op(), keepPaging);
      return { items: new Map(groups.map((g) => [g.id, g])), complete };
    },
    get: async (_scope, ids) => {
      const found = await Promise.all(ids.map((id) => show(ctx, id, op())));
      return new Map(found.filter((g): g is ApiEndpointGroup => g !== undefined).map((g) => [g.id, g]));
    },
    listCalls: (total) => Math.max(1, Math.ceil(total / LIST_LIMIT)),
    getCalls: (n) => n,
  };
}

// ---------------------------------------------------------------- waiting

function frozenError(g: ApiEndpointGroup): EdgeconfError | undefined {
  const f = g.frozen_info;
  if (!f?.status) return undefined;
  const what = f.status === 2 ? "deleted by the cloud (frozen status 2)" : "frozen";
  return new EdgeconfError(
    `endpoint group ${g.id} is ${what}${f.scene?.length ? ` (${f.scene.join(", ")})` : ""}; ` +
      `writes are refused until it is released in the Huawei Cloud console (not retried)`,
  );
}

/** Wait until the group is ACTIVE. ERROR fails with the reason; frozen groups fail at once, never retried. */
async function waitActive(ctx: Ctx, id: string, op: OperationContext): Promise<ApiEndpointGroup> {
  return waitUntil(op, async () => {
    const g = await show(ctx, id, op);
    if (!g) throw new ApiError("GA.9002", `Not found: endpoint_group ${id}`, { service: "ga", action: "ShowEndpointGroup", httpStatus: 404 });
    const frozen = frozenError(g);
    if (frozen) throw frozen;
    if (g.status === "ERROR") throw new EdgeconfError(`endpoint group ${id} is in status ERROR: the cloud failed to provision it; delete it or contact support`);
    return g.status === "ACTIVE" ? { done: true, value: g } : { done: false, status: g.status };
  }, { what: `endpoint group ${id} to become ACTIVE`, log: ctx.log });
}

/**
 * A write refused with GA.9004 (not ACTIVE yet) waits for ACTIVE and tries again, within the deadline.
 * A write refused with GA.9006 (frozen) fails at once with what the freeze is, never retried.
 */
async function whenActive<T>(ctx: Ctx, id: string, op: OperationContext, write: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await write();
    } catch (err) {
      if (isFrozenRefusal(err)) throw await frozenRefusal(ctx, id, op, err);
      if (!isBusy(err) || Date.now() >= op.deadline) throw err;
      await waitActive(ctx, id, op);
    }
  }
}

const isFrozenRefusal = (err: unknown): err is ApiError => err instanceof ApiError && err.apiCode === "GA.9006";

/** "Resource frozen" says nothing about why or what to do: read the freeze and say that instead. */
async function frozenRefusal(ctx: Ctx, id: string, op: OperationContext, err: ApiError): Promise<Error> {
  const g = await show(ctx, id, op).catch(() => undefined);
  const frozen = g ? frozenError(g) : undefined;
  return new EdgeconfError(
    `${err.message}: ${frozen?.message ?? `endpoint group ${id} is frozen; writes are refused until it is released in the Huawei Cloud console (not retried)`}`,
    { cause: err },
  );
}

// ---------------------------------------------------------------- CRUD

async function settle(ctx: Ctx, g: ApiEndpointGroup, op: OperationContext, verb: string): Promise<EndpointGroupState> {
  try {
    return fromApi(await waitActive(ctx, g.id, op));
  } catch (err) {
    if (verb !== "created") throw err;
    // It exists: Pulumi must keep tracking it. The next `up` (an update) resumes the wait.
    throw new PartialCreateError(`endpoint group ${g.id} was created but did not become ACTIVE: ${(err as Error).message}`, g.id, fromApi(g));
  }
}

async function create(ctx: Ctx, i: EndpointGroupInputs, op: OperationContext) {
  const post = async () => (await ctx.huawei().request<{ endpoint_group: ApiEndpointGroup }>("ga", "POST", BASE, {
    action: "CreateEndpointGroup",
    deadline: op.deadline,
    idempotent: false,
    body: {
      endpoint_group: {
        name: i.name,
        ...(i.description ? { description: i.description } : {}),
        traffic_dial_percentage: i.trafficDialPercentage, // 0 included: the Terraform provider drops it
        region_id: i.regionId,
        listeners: [{ id: i.listenerId }],
      },
    },
  })).body.endpoint_group;
  let created: ApiEndpointGroup;
  try {
    created = await post();
  } catch (err) {
    // GA.9104 is a definite refusal (nothing was created), so posting again after the slot frees is safe.
    if (!(err instanceof ApiError && err.apiCode === "GA.9104")) throw err;
    const holder = (await list(ctx, { listener_id: i.listenerId }, op)).groups.find((g) => g.region_id === i.regionId);
    if (holder && holder.status !== "DELETING") {
      throw new ApiError(err.apiCode, `${err.apiMessage}: listener ${i.listenerId} already has endpoint group ${holder.id} ` +
        `("${holder.name}") in region ${i.regionId}, and a listener has one group per region`, {
        service: err.service, action: err.action, requestId: err.requestId, httpStatus: err.httpStatus,
      });
    }
    // A group being deleted (out of band, or by a replace) still holds the slot until it is gone.
    if (holder) await waitGone(ctx, holder.id, op, `endpoint group ${holder.id} (being deleted) to free region ${i.regionId} of listener ${i.listenerId}`);
    created = await post();
  }
  return settle(ctx, created, op, "created");
}

async function update(ctx: Ctx, id: string, olds: EndpointGroupState, news: EndpointGroupInputs, op: OperationContext) {
  // A previous create may have timed out while PENDING: finish that wait before judging what to send.
  const live = fromApi(await waitActive(ctx, id, op));
  const before = comparable(inputsOf(live));
  const after = comparable(news);
  const patch: Record<string, unknown> = {};
  if (before.name !== after.name) patch.name = after.name;
  if (before.description !== after.description) patch.description = after.description; // "" clears it
  if (before.trafficDialPercentage !== after.trafficDialPercentage) patch.traffic_dial_percentage = after.trafficDialPercentage;
  if (Object.keys(patch).length === 0) return live;
  const { body } = await whenActive(ctx, id, op, () =>
    request<{ endpoint_group: ApiEndpointGroup }>(ctx, "PUT", `${BASE}/${id}`, "UpdateEndpointGroup", op, { body: { endpoint_group: patch } }));
  return settle(ctx, body.endpoint_group, op, "updated");
}

async function remove(ctx: Ctx, id: string, _olds: EndpointGroupState, op: OperationContext) {
  await whenActive(ctx, id, op, () => request(ctx, "DELETE", `${BASE}/${id}`, "DeleteEndpointGroup", op));
  await waitGone(ctx, id, op, `endpoint group ${id} to be deleted`);
}

/** Deletion is asynchronous: DELETING (Show still answers), then 404. */
async function waitGone(ctx: Ctx, id: string, op: OperationContext, what: string): Promise<void> {
  await waitUntil(op, async () => {
    const g = await show(ctx, id, op);
    return g ? { done: false, status: g.status } : { done: true, value: undefined };
  }, { what, log: ctx.log });
}

/** One endpoint group per listener per region: that pair finds a group whose create answer was lost. */
async function findExisting(ctx: Ctx, i: EndpointGroupInputs, op: OperationContext) {
  const match = (await list(ctx, { listener_id: i.listenerId }, op)).groups.find((g) => g.region_id === i.regionId && g.status !== "DELETING");
  return match ? settle(ctx, match, op, "created") : undefined;
}

/** An adopted (or found) group may still be PENDING from a write of its own: wait for it as a create does. */
async function settled(ctx: Ctx, s: EndpointGroupState, op: OperationContext): Promise<EndpointGroupState> {
  if (s.status === "ACTIVE") return s;
  try {
    return fromApi(await waitActive(ctx, s.endpointGroupId, op));
  } catch (err) {
    // Adopted, so it is Pulumi's now: kept with its id, and the next `up` (an update) resumes the wait.
    throw new PartialCreateError(`endpoint group ${s.endpointGroupId} was adopted but did not become ACTIVE: ${(err as Error).message}`, s.endpointGroupId, s);
  }
}

export const endpointGroup: ResourceDefinition<EndpointGroupInputs, EndpointGroupState> = {
  kind: "EndpointGroup",
  schema: EndpointGroupInputs,
  replaceOnChange: ["regionId", "listenerId"],
  autoName: { property: "name", maxLength: 64, sanitize: (s) => s.replace(/[^A-Za-z0-9-]/g, "-") || "endpoint-group" },
  naturalKey: (i) => `${i.listenerId}/${i.regionId}`,
  comparable,
  inputsOf,
  idOf: (s) => s.endpointGroupId,
  isNotFound,
  create,
  scopeOf: () => ACCOUNT_SCOPE,
  read: async (ctx, id) => {
    const g = await snapshotReader(ctx, "EndpointGroup", () => endpointGroupSource(ctx)).read(ACCOUNT_SCOPE, id);
    return g && g.status !== "DELETING" ? fromApi(g) : undefined;
  },
  update,
  delete: remove,
  findExisting,
  settled,
};
