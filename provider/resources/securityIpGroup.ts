/**
 * SecurityIPGroup: an EdgeOne (teo 2022-09-01) security IP group, an allow/deny list usable in security
 * rules. API facts: shared/reference/teo-security-ip-group.md.
 *
 * `content` is a set of canonical entries (`10.0.0.1` = `10.0.0.1/32`; IPv6 spellings compare equal; a CIDR
 * with host bits set is rejected rather than silently widened). Updates send deltas (append/remove), chunked
 * under the per-request entry limit; `update` mode is used only to rename.
 */
import { z } from "zod";
import { ApiError } from "../clients/errors";
import { snapshotReader, type SnapshotSource } from "./batch";
import type { OperationContext, ProviderContext } from "./context";
import { PartialCreateError, type ResourceDefinition } from "./lifecycle";
import { IpKeySet, KEY_INVALID, KEY_VALID, KEY_WORDS, ipEntryKey, isCanonicalIpv4Entry, scanIpEntry } from "./net";
import { deepEqual } from "./equality";
import { containsUnknown } from "./unknowns";
import type { SecurityIPGroupState } from "../classes/securityIpGroup";
import { ZoneId } from "./originGroup";

const TEO = { service: "teo", version: "2022-09-01" } as const;
/** DescribeSecurityIPGroup returns at most this many entries per group; the rest is paged (§3–4). */
const DESCRIBE_CONTENT_LIMIT = 2000;
const CONTENT_PAGE = 100_000;
const DESCRIBE_MAX_IDS = 100;

/**
 * Entries per Modify request. Undocumented upstream (the emulator enforces 2000 by default): configured with
 * EDGECONF_IP_ENTRIES_PER_REQUEST, or learned in this process from a refusal (see `sendInChunks`).
 */
export function entriesPerRequest(): number {
  const configured = Number(process.env.EDGECONF_IP_ENTRIES_PER_REQUEST);
  return Math.min(Number.isInteger(configured) && configured > 0 ? configured : 2000, learnedEntriesPerRequest);
}
/** The largest request size the cloud accepted after refusing a larger one, in this provider process. */
let learnedEntriesPerRequest = Infinity;

// ---------------------------------------------------------------- schema

const ExpireTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, "must be an RFC 3339 time with offset, e.g. 2026-03-24T16:03:00+08:00")
  .refine((t) => !Number.isNaN(Date.parse(t)), "is not a valid date");

const IpExpireInfo = z.strictObject({
  /** When the listed entries leave the group. */
  expireTime: ExpireTime,
  ipList: z.array(z.string()).min(1, "list at least one entry"),
});

/**
 * The last content list that passed contentRules, and its entries' keys (net.ts ipEntryKey). A preview validates
 * a list in `check`, `diff` parses the checked inputs again and then compares them with the state: the keys are
 * made once.
 */
let lastValid: { list: readonly unknown[]; keys: IpKeySet } | undefined;
const probe = new Int32Array(KEY_WORDS);

/** The keys of `content` when it is the list that passed contentRules last (the same strings in order). */
function validatedKeys(content: readonly unknown[]): IpKeySet | undefined {
  const last = lastValid;
  if (!last || content.length !== last.list.length || content.length === 0) return undefined;
  if (content !== last.list) {
    for (let i = 0; i < content.length; i++) if (content[i] !== last.list[i]) return undefined;
    last.list = content; // the next look at this list is one comparison
  }
  return last.keys;
}

/**
 * Entry syntax, canonical uniqueness and host bits, reported per entry in index order. Linear, in two passes (see
 * IpKeySet): every entry's key, then the set of them. Groups hold 100,000 entries.
 */
function contentRules(content: unknown, ctx: z.core.$RefinementCtx): void {
  if (!Array.isArray(content) || validatedKeys(content)) return;
  const keys = new Int32Array(content.length * KEY_WORDS);
  const issues: Array<[number, string]> = [];
  for (let i = 0; i < content.length; i++) {
    const entry: unknown = content[i];
    const found = typeof entry === "string" ? ipEntryKey(entry, keys, i * KEY_WORDS) : KEY_INVALID;
    if (found === KEY_VALID) continue;
    keys[i * KEY_WORDS + 4] = -1; // no entry's key: not a member
    if (typeof entry !== "string") issues.push([i, ""]); // zod reports the type
    else if (found === KEY_INVALID) issues.push([i, `"${entry}" is not an IPv4/IPv6 address or CIDR range`]);
    else issues.push([i, `"${entry}" has host bits set; write ${canonical(entry)}`]);
  }
  const set = new IpKeySet(keys);
  const refused = issues.length;
  for (let i = 0; i < content.length; i++) {
    if (keys[i * KEY_WORDS + 4] < 0) continue;
    const first = set.add(i);
    if (first >= 0) issues.push([i, `duplicates content[${first}] (${canonical(content[i])})`]);
  }
  if (issues.length === 0) {
    lastValid = { list: content, keys: set };
    return;
  }
  if (refused > 0 && issues.length > refused) issues.sort((x, y) => x[0] - y[0]);
  for (const [i, message] of issues) if (message) ctx.addIssue({ code: "custom", path: [i], message });
}

/** Expiry entries must be in content, each scheduled once. Future times are checked in `check` (needs olds). */
function expiryRules(g: any, ctx: z.core.$RefinementCtx): void {
  if (!Array.isArray(g?.ipExpireInfo) || g.ipExpireInfo.length === 0) return; // nothing scheduled: no need to index content
  // While content (or one entry of it) is a preview unknown, membership cannot be judged.
  const contentKnown = Array.isArray(g?.content) && !containsUnknown(g.content);
  const content = new Set((Array.isArray(g?.content) ? g.content : []).map((e: unknown) => (typeof e === "string" ? canonical(e) : e)));
  const scheduled = new Set<string>();
  (Array.isArray(g?.ipExpireInfo) ? g.ipExpireInfo : []).forEach((info: any, i: number) => {
    (Array.isArray(info?.ipList) ? info.ipList : []).forEach((ip: unknown, j: number) => {
      if (typeof ip !== "string") return;
      const key = canonical(ip);
      const path = ["ipExpireInfo", i, "ipList", j];
      if (contentKnown && !content.has(key)) ctx.addIssue({ code: "custom", path, message: `"${ip}" is not in content` });
      else if (scheduled.has(key)) ctx.addIssue({ code: "custom", path, message: `"${ip}" has more than one expiry` });
      scheduled.add(key);
    });
  });
}

export const SecurityIPGroupInputs = z
  .strictObject({
    zoneId: ZoneId,
    name: z.string().regex(/^[\p{L}0-9_.-]{1,64}$/u, "must be 1-64 characters of letters, digits, _, . and -"),
    content: z.array(z.string()).min(1, "at least one entry is required").check(z.superRefine(contentRules)),
    ipExpireInfo: z.array(IpExpireInfo).optional(),
  })
  .check(z.superRefine(expiryRules, { when: () => true }));

export type SecurityIPGroupInputs = z.output<typeof SecurityIPGroupInputs>;

// ---------------------------------------------------------------- normalisation

/** Canonical text of an entry (the entry itself when it does not parse). */
function canonical(entry: string): string {
  return isCanonicalIpv4Entry(entry) ? entry : scanIpEntry(entry)?.canonical ?? entry;
}

/** Schedules as (entry → epoch ms), only those still ahead of `now`: fired schedules are history, not drift. */
function pendingExpiries(infos: { expireTime: string; ipList: string[] }[] | undefined, now: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const info of infos ?? []) {
    const at = Date.parse(info.expireTime);
    if (at > now) for (const ip of info.ipList) out.set(canonical(ip), at);
  }
  return out;
}

/** Entries whose declared expiry has passed are gone on the server too. */
function effectiveContent(i: SecurityIPGroupInputs, now: number): Set<string> {
  const fired = new Set<string>();
  for (const info of i.ipExpireInfo ?? []) if (Date.parse(info.expireTime) <= now) for (const ip of info.ipList) fired.add(canonical(ip));
  const out = new Set<string>();
  for (const e of i.content) {
    const c = canonical(e);
    if (!fired.has(c)) out.add(c);
  }
  return out;
}

/** effectiveContent sorted, so equal sets give equal arrays: what preview reports, drift and adoption compare. */
function effectiveContentSorted(i: SecurityIPGroupInputs, now: number): string[] {
  return [...effectiveContent(i, now)].sort();
}

function comparable(i: SecurityIPGroupInputs): Record<string, unknown> {
  const now = Date.now();
  return { ...comparableBesidesContent(i, now), content: effectiveContentSorted(i, now) };
}

function comparableBesidesContent(i: SecurityIPGroupInputs, now: number): Record<string, unknown> {
  return {
    zoneId: i.zoneId,
    name: i.name,
    ipExpireInfo: [...pendingExpiries(i.ipExpireInfo, now)].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
  };
}

/**
 * What comparing `comparable` values would find changed, without building the content sets: diff runs on every
 * preview, and ordering 100,000 canonical strings cost more than the rest of check + diff together (issue 14).
 */
function changedProperties(olds: SecurityIPGroupInputs, news: SecurityIPGroupInputs): string[] {
  const now = Date.now();
  const before = comparableBesidesContent(olds, now);
  const after = comparableBesidesContent(news, now);
  const changed = Object.keys(before).filter((k) => !deepEqual(before[k], after[k]));
  return sameEffectiveContent(olds, news, now) ? changed : [...changed, "content"];
}

/**
 * Whether both sides hold the same entries once fired schedules are taken out. The common case (no schedule has
 * fired, news validated just before): each old entry's key is looked up among the new list's keys, first at its
 * own position (state lists entries in the order they were sent, and reads keep that order), and an entry
 * written there in the same text needs no parse at all.
 */
function sameEffectiveContent(olds: SecurityIPGroupInputs, news: SecurityIPGroupInputs, now: number): boolean {
  const fired = (i: SecurityIPGroupInputs) => (i.ipExpireInfo ?? []).some((info) => Date.parse(info.expireTime) <= now);
  const keys = fired(olds) || fired(news) ? undefined : validatedKeys(news.content);
  if (!keys) return deepEqual(effectiveContentSorted(olds, now), effectiveContentSorted(news, now));
  const written = news.content;
  const seen = new Uint8Array(written.length); // by member: members are entry indices of the new list
  let distinct = 0;
  for (let i = 0; i < olds.content.length; i++) {
    const entry: unknown = olds.content[i];
    // The same text at the same place is member i (every entry of a valid list is a member): no parse.
    let member = entry === written[i] ? i : -1;
    if (member < 0) {
      // A state entry written with host bits stands for its network, as `canonical` has it.
      if (typeof entry !== "string" || ipEntryKey(entry, probe, 0) === KEY_INVALID) return false;
      member = keys.indexOf(probe, 0, i);
    }
    if (member < 0) return false;
    if (seen[member] === 0) { seen[member] = 1; distinct++; }
  }
  return distinct === keys.size;
}

/**
 * The inputs that produce this state: content and pending schedules, plus each schedule that fired with
 * its entry (the entry left the group because of it). That is what the program declares, so a fired
 * schedule is neither drift nor a "must be in the future" failure in `check`, before or after a refresh.
 * A state written before the schedule fired still lists the entry in `content`; it counts as gone all the
 * same (`comparable` drops it). Fresh reads never pair a fired schedule with a live entry (see fromApi).
 */
function inputsOf(s: SecurityIPGroupState): SecurityIPGroupInputs {
  if (!s.ipExpireInfo?.length) return { zoneId: s.zoneId, name: s.name, content: s.content.slice() };
  const now = Date.now();
  const live = new Set(s.content);
  const content = [...s.content];
  const ipExpireInfo: SecurityIPGroupState["ipExpireInfo"] = [];
  for (const info of s.ipExpireInfo) {
    const pending = Date.parse(info.expireTime) > now;
    const ipList = pending ? info.ipList.filter((ip) => live.has(ip)) : info.ipList;
    if (!pending) for (const ip of ipList) if (!live.has(ip)) { live.add(ip); content.push(ip); }
    if (ipList.length) ipExpireInfo.push({ expireTime: info.expireTime, ipList });
  }
  return { zoneId: s.zoneId, name: s.name, content, ...(ipExpireInfo.length ? { ipExpireInfo } : {}) };
}

// ---------------------------------------------------------------- wire mapping

interface ApiIpGroup {
  GroupId: number;
  Name: string;
  Content: string[];
  IPTotalCount: number;
  IPExpireInfo?: { ExpireTime: string; IPList: string[] }[];
}

const toApiExpiry = (byTime: Map<string, string[]>) => [...byTime].map(([ExpireTime, IPList]) => ({ ExpireTime, IPList }));

/**
 * Live state. Output IPExpireInfo also lists schedules that fired in the past week; an entry that is in the
 * group again after its schedule fired was re-added (a console edit), so that schedule no longer concerns it.
 */
function fromApi(zoneId: string, g: ApiIpGroup, content: string[]): SecurityIPGroupState {
  const now = Date.now();
  const canonicalContent = content.map(canonical);
  const live = new Set(canonicalContent);
  return {
    zoneId,
    name: g.Name,
    content: canonicalContent,
    ipExpireInfo: (g.IPExpireInfo ?? [])
      .map((e) => {
        const fired = Date.parse(e.ExpireTime) <= now;
        return { expireTime: e.ExpireTime, ipList: e.IPList.map(canonical).filter((ip) => !(fired && live.has(ip))) };
      })
      .filter((e) => e.ipList.length > 0),
    groupId: g.GroupId,
    ipTotalCount: g.IPTotalCount,
  };
}

// ---------------------------------------------------------------- reads

type Ctx = ProviderContext;
const call = <T extends object>(ctx: Ctx, action: string, params: object, deadline: number, idempotent?: boolean) =>
  ctx.tencent().call<T>(TEO.service, TEO.version, action, params, { deadline, idempotent });

/** Describe truncates Content at 2000 entries; page the content call for the rest. */
async function fullContent(ctx: Ctx, zoneId: string, g: ApiIpGroup, deadline: number): Promise<string[]> {
  if (g.IPTotalCount <= g.Content.length && g.Content.length < DESCRIBE_CONTENT_LIMIT) return g.Content;
  const all: string[] = [];
  while (all.length < g.IPTotalCount) {
    const page = await call<{ IPTotalCount: number; IPList: string[] }>(ctx, "DescribeSecurityIPGroupContent",
      { ZoneId: zoneId, GroupId: g.GroupId, Limit: CONTENT_PAGE, Offset: all.length }, deadline);
    if (page.IPList.length === 0) break;
    all.push(...page.IPList);
  }
  return all;
}

/**
 * Reads of one zone share one DescribeSecurityIPGroup without GroupIds (every group of the zone, Content cut at
 * 2000 each; §3 has no paging); a lone read names its id. Groups over 2000 entries then page their content.
 */
function securityIpGroupSource(ctx: Ctx): SnapshotSource<ApiIpGroup> {
  const describe = async (params: object) =>
    (await call<{ IPGroups: ApiIpGroup[] }>(ctx, "DescribeSecurityIPGroup", params, Date.now() + 120_000)).IPGroups;
  const byId = (groups: ApiIpGroup[]) => new Map(groups.map((g) => [String(g.GroupId), g]));
  return {
    list: async (zoneId) => ({ items: byId(await describe({ ZoneId: zoneId })), complete: true }),
    get: async (zoneId, ids) => {
      const chunks = Array.from({ length: Math.ceil(ids.length / DESCRIBE_MAX_IDS) }, (_, i) => ids.slice(i * DESCRIBE_MAX_IDS, (i + 1) * DESCRIBE_MAX_IDS));
      return new Map((await Promise.all(chunks.map((c) => describeIds(ctx, zoneId, c)))).flatMap((found) => [...found]));
    },
    listCalls: () => 1,
    getCalls: (n) => Math.ceil(n / DESCRIBE_MAX_IDS),
  };
}

/**
 * Groups by id. Unknown ids may be left out of the answer (the emulator's default) or refuse the whole call with
 * ResourceNotFound (the docs do not say; emulator `unknownIpGroupIds`): then each id is asked alone, and the one
 * refused is gone, so one group deleted in the console neither fails the refresh of the others nor its own.
 */
async function describeIds(ctx: Ctx, zoneId: string, ids: string[]): Promise<Map<string, ApiIpGroup>> {
  try {
    const { IPGroups } = await call<{ IPGroups: ApiIpGroup[] }>(ctx, "DescribeSecurityIPGroup",
      { ZoneId: zoneId, GroupIds: ids.map(Number) }, Date.now() + 120_000);
    return new Map(IPGroups.map((g) => [String(g.GroupId), g]));
  } catch (err) {
    if (!(err instanceof ApiError && err.apiCode === "ResourceNotFound")) throw err;
    if (ids.length === 1) return new Map();
    const found = new Map<string, ApiIpGroup>();
    for (const id of ids) for (const [k, g] of await describeIds(ctx, zoneId, [id])) found.set(k, g);
    return found;
  }
}

async function read(ctx: Ctx, id: string, where: { zoneId: string; content?: unknown; ipExpireInfo?: SecurityIPGroupState["ipExpireInfo"] }, op: OperationContext) {
  const group = await snapshotReader(ctx, "SecurityIPGroup", () => securityIpGroupSource(ctx)).read(where.zoneId, id);
  if (!group) return undefined;
  const state = keepFiredSchedules(fromApi(where.zoneId, group, await fullContent(ctx, where.zoneId, group, op.deadline)), where.ipExpireInfo);
  return { ...state, content: inStateOrder(state.content, where.content) };
}

/**
 * Live content in the order state already has it, new entries last. The API's order is not documented (insertion
 * or sorted: emulator `ipContentOrder`), and an update's state lists entries in the order it changed them: a refresh
 * must not show a reordering as a change. Linear: groups hold 100,000 entries.
 */
function inStateOrder(live: string[], state: unknown): string[] {
  if (!Array.isArray(state) || state.length === 0) return live;
  const liveSet = new Set(live);
  const kept = (state as unknown[]).filter((e): e is string => typeof e === "string" && liveSet.has(e));
  if (kept.length === live.length) return kept;
  const keptSet = new Set(kept);
  return [...kept, ...live.filter((e) => !keptSet.has(e))];
}

/**
 * The API shows fired schedules for one week only. Carry the ones the previous state knew (past time, entry
 * no longer in the group) so a refresh later than that still reports the declared schedule (see inputsOf).
 */
function keepFiredSchedules(s: SecurityIPGroupState, previous: SecurityIPGroupState["ipExpireInfo"] | undefined): SecurityIPGroupState {
  if (!Array.isArray(previous) || previous.length === 0) return s;
  const now = Date.now();
  const live = new Set(s.content);
  const listed = new Set(s.ipExpireInfo.flatMap((info) => info.ipList));
  const carried = previous
    .filter((info) => typeof info?.expireTime === "string" && Date.parse(info.expireTime) <= now && Array.isArray(info.ipList))
    .map((info) => ({ expireTime: info.expireTime, ipList: info.ipList.map(canonical).filter((ip) => !live.has(ip) && !listed.has(ip)) }))
    .filter((info) => info.ipList.length > 0);
  return carried.length ? { ...s, ipExpireInfo: [...carried, ...s.ipExpireInfo] } : s;
}

async function readBack(ctx: Ctx, zoneId: string, groupId: number, op: OperationContext): Promise<SecurityIPGroupState> {
  const { IPGroups } = await call<{ IPGroups: ApiIpGroup[] }>(ctx, "DescribeSecurityIPGroup", { ZoneId: zoneId, GroupIds: [groupId] }, op.deadline);
  const group = IPGroups.find((g) => g.GroupId === groupId);
  if (!group) throw new ApiError("ResourceNotFound", `security IP group ${groupId} not found right after writing it`, { service: "teo", action: "DescribeSecurityIPGroup" });
  return fromApi(zoneId, group, await fullContent(ctx, zoneId, group, op.deadline));
}

// ---------------------------------------------------------------- writes

/** A Modify payload: entries plus schedules, kept together when an appended entry is also scheduled. */
interface Change {
  content: string[];
  /** append: time → entries; remove: entries whose schedule is dropped (key "") */
  expiry: Map<string, string[]>;
}

/**
 * Split a change into requests of at most `limit` entries (Content + every IPList). An appended entry and its
 * schedule travel in the same request: the API requires a new entry's expiry to come with it.
 */
function chunk(content: string[], schedules: Map<string, string>, limit: number): Change[] {
  const out: Change[] = [];
  let current: Change = { content: [], expiry: new Map() };
  let size = 0;
  const push = (entry: string | undefined, scheduleFor: string | undefined) => {
    const cost = (entry ? 1 : 0) + (scheduleFor ? 1 : 0);
    if (size > 0 && size + cost > limit) { out.push(current); current = { content: [], expiry: new Map() }; size = 0; }
    if (entry) current.content.push(entry);
    if (scheduleFor) {
      const time = schedules.get(scheduleFor)!;
      current.expiry.set(time, [...(current.expiry.get(time) ?? []), scheduleFor]);
    }
    size += cost;
  };
  const inContent = new Set(content);
  for (const entry of content) push(entry, schedules.has(entry) ? entry : undefined);
  for (const ip of schedules.keys()) if (!inContent.has(ip)) push(undefined, ip);
  if (size > 0) out.push(current);
  return out;
}

const entriesIn = (c: Change) => c.content.length + [...c.expiry.values()].reduce((n, ips) => n + ips.length, 0);
const isTooMany = (err: unknown): err is ApiError => err instanceof ApiError && err.apiCode === "LimitExceeded.Security";

/** The changes still to send, as one change list and its schedules (entry → time), to be chunked again. */
function unsent(changes: Change[]): { content: string[]; schedules: Map<string, string> } {
  const schedules = new Map<string, string>();
  for (const c of changes) for (const [time, ips] of c.expiry) for (const ip of ips) schedules.set(ip, time);
  return { content: changes.flatMap((c) => c.content), schedules };
}

/**
 * Send a change in requests under the per-request limit. Nobody documents the limit, so a request refused with
 * LimitExceeded.Security is sent again in halves, down to what the cloud takes, and that size is kept for this
 * process. A refused request changes nothing, so sending its entries again is safe. A refusal of one entry, or of
 * no more entries than an accepted request carried, is not the request size: the group is at its quota.
 * Returns the number of requests that succeeded.
 */
async function sendInChunks(content: string[], schedules: Map<string, string>, send: (c: Change) => Promise<void>): Promise<number> {
  let queue = chunk(content, schedules, entriesPerRequest());
  const learnedBefore = learnedEntriesPerRequest;
  let accepted = 0;
  let requests = 0;
  let lowered = false;
  while (queue.length > 0) {
    const c = queue[0];
    const size = entriesIn(c);
    try {
      await send(c);
    } catch (err) {
      if (!isTooMany(err) || size <= 1 || size <= accepted) {
        // A quota, not the request size, refused the halves: what they taught about request sizes is void.
        if (isTooMany(err)) learnedEntriesPerRequest = learnedBefore;
        throw quotaReached(err, size, accepted);
      }
      const { content: rest, schedules: restSchedules } = unsent(queue);
      queue = chunk(rest, restSchedules, Math.ceil(size / 2));
      lowered = true;
      continue;
    }
    queue.shift();
    requests++;
    accepted = Math.max(accepted, size);
    if (lowered) learnedEntriesPerRequest = Math.min(learnedEntriesPerRequest, accepted);
  }
  return requests;
}

function quotaReached(err: unknown, size: number, accepted: number): unknown {
  if (!isTooMany(err)) return err;
  return new ApiError(err.apiCode, `${err.apiMessage} The cloud refused a request of ${size} entries` +
    (accepted ? ` after accepting one of ${accepted}` : "") + ": the group is at the entry quota of the plan " +
    "(2,000 per group on the console's page; larger plans allow more); declare fewer entries.", {
    service: err.service, action: err.action, requestId: err.requestId, httpStatus: err.httpStatus,
  });
}

function declaredSchedules(i: SecurityIPGroupInputs, now: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const info of i.ipExpireInfo ?? []) if (Date.parse(info.expireTime) > now) for (const ip of info.ipList) out.set(canonical(ip), info.expireTime);
  return out;
}

async function modify(ctx: Ctx, id: number, zoneId: string, name: string, mode: "append" | "remove", change: Change, op: OperationContext) {
  const IPExpireInfo = mode === "append"
    ? toApiExpiry(change.expiry)
    : [...change.expiry.values()].flat().length ? [{ IPList: [...change.expiry.values()].flat() }] : [];
  await call(ctx, "ModifySecurityIPGroup", {
    ZoneId: zoneId,
    Mode: mode,
    IPGroup: { GroupId: id, Name: name, Content: change.content, ...(IPExpireInfo.length ? { IPExpireInfo } : {}) },
  }, op.deadline);
}

/** Converge live → declared with append/remove deltas (renames use `update`, which needs the whole list). */
/** What applyDelta sent, and the content it left if the group was what the state said (server order: appends last). */
interface Delta {
  requests: number;
  expected: string[];
}

async function applyDelta(ctx: Ctx, live: SecurityIPGroupState, news: SecurityIPGroupInputs, op: OperationContext): Promise<Delta> {
  const now = Date.now();
  const want = effectiveContent(news, now);
  // Entries whose schedule has fired are gone on the server even when the state still lists them.
  const fired = new Set(live.ipExpireInfo.filter((info) => Date.parse(info.expireTime) <= now).flatMap((info) => info.ipList));
  const have = new Set(live.content.filter((e) => !fired.has(e)));
  const wantSchedules = declaredSchedules(news, now);
  const haveSchedules = pendingExpiries(live.ipExpireInfo, now);
  let requests = 0;

  const removed = [...have].filter((e) => !want.has(e));
  const unscheduled = [...haveSchedules.keys()].filter((ip) => want.has(ip) && !wantSchedules.has(ip));
  requests += await sendInChunks(removed, new Map(unscheduled.map((ip) => [ip, ""])), (c) =>
    modify(ctx, live.groupId, news.zoneId, live.name, "remove", c, op));
  const added = [...want].filter((e) => !have.has(e));
  const rescheduled = new Map([...wantSchedules].filter(([ip, t]) => haveSchedules.get(ip) !== Date.parse(t)));
  requests += await sendInChunks(added, rescheduled, (c) => modify(ctx, live.groupId, news.zoneId, live.name, "append", c, op));
  const gone = new Set(removed);
  return { requests, expected: [...[...have].filter((e) => !gone.has(e)), ...added] };
}

async function rename(ctx: Ctx, live: SecurityIPGroupState, news: SecurityIPGroupInputs, op: OperationContext) {
  const now = Date.now();
  const schedules = declaredSchedules(news, now);
  const byTime = new Map<string, string[]>();
  for (const [ip, t] of schedules) byTime.set(t, [...(byTime.get(t) ?? []), ip]);
  await call(ctx, "ModifySecurityIPGroup", {
    ZoneId: news.zoneId,
    Mode: "update",
    IPGroup: { GroupId: live.groupId, Name: news.name, Content: [...effectiveContent(news, now)], ...(byTime.size ? { IPExpireInfo: toApiExpiry(byTime) } : {}) },
  }, op.deadline).catch((err) => {
    if (!isTooMany(err)) throw err;
    throw new ApiError(err.apiCode, `${err.apiMessage} Renaming security IP group ${live.groupId} sends its whole list ` +
      `(${news.content.length} entries) in one request, and the cloud takes fewer: set EDGECONF_IP_ENTRIES_PER_REQUEST ` +
      "to the size it accepts, so preview plans a replacement for this rename instead.", {
      service: err.service, action: err.action, requestId: err.requestId, httpStatus: err.httpStatus,
    });
  });
}

/** A rename sends the whole list in one `update` request; beyond the per-request limit, replace instead. */
function renameFitsOneRequest(news: SecurityIPGroupInputs): boolean {
  return news.content.length + (news.ipExpireInfo ?? []).reduce((n, e) => n + e.ipList.length, 0) <= entriesPerRequest();
}

/** CreateSecurityIPGroup carries the first chunk, appends carry the rest (all sized by `sendInChunks`). */
async function create(ctx: Ctx, i: SecurityIPGroupInputs, op: OperationContext): Promise<SecurityIPGroupState> {
  const now = Date.now();
  let groupId: number | undefined;
  const sent: string[] = [];
  const send = async (c: Change) => {
    if (groupId === undefined) {
      ({ GroupId: groupId } = await call<{ GroupId: number }>(ctx, "CreateSecurityIPGroup", {
        ZoneId: i.zoneId,
        IPGroup: { GroupId: 0, Name: i.name, Content: c.content, ...(c.expiry.size ? { IPExpireInfo: toApiExpiry(c.expiry) } : {}) },
      }, op.deadline, false));
    } else await modify(ctx, groupId, i.zoneId, i.name, "append", c, op);
    sent.push(...c.content);
  };
  try {
    await sendInChunks([...effectiveContent(i, now)], declaredSchedules(i, now), send);
    // Nothing was left to send (every entry expired): Create with an empty list, and let the API answer that.
    if (groupId === undefined) await send({ content: [], expiry: new Map() });
    return await readBack(ctx, i.zoneId, groupId!, op);
  } catch (err) {
    if (groupId === undefined) throw err;
    // The group exists: Pulumi must keep its id; the next `up` appends what is missing.
    throw new PartialCreateError(`security IP group ${groupId} was created but not completed: ${(err as Error).message}`, String(groupId), {
      zoneId: i.zoneId, name: i.name, content: sent, ipExpireInfo: [], groupId, ipTotalCount: sent.length,
    });
  }
}

/**
 * Rename first when needed (`update` mode carries the whole list), then append/remove what still differs.
 * Deltas are computed from the state Pulumi holds; if the group changed under us (an entry removed out of
 * band, an expiry that just fired) the API refuses the stale remove, so read the live group once and retry.
 */
async function update(ctx: Ctx, id: string, olds: SecurityIPGroupState, news: SecurityIPGroupInputs, op: OperationContext) {
  let live = olds;
  let delta: Delta;
  if (live.name !== news.name) {
    await rename(ctx, live, news, op);
    live = await readBack(ctx, news.zoneId, live.groupId, op);
  }
  try {
    delta = await applyDelta(ctx, live, news, op);
  } catch (err) {
    if (!(err instanceof ApiError && err.apiCode === "InvalidParameter.Security")) throw err;
    ctx.log.info(`security IP group ${id}: the live group differs from the state; re-reading it and converging`);
    live = await readBack(ctx, news.zoneId, Number(id), op);
    delta = await applyDelta(ctx, live, news, op);
  }
  if (delta.requests > 0) return confirmDelta(ctx, live, news, delta.expected, op);
  return live.ipTotalCount !== undefined ? live : readBack(ctx, news.zoneId, Number(id), op);
}

/**
 * The state after append/remove deltas, without downloading the group: every Modify was answered with success,
 * so the group is the state's content minus what we removed plus what we appended. The server's own count
 * confirms it: DescribeSecurityIPGroupContent with Limit 1 (IPTotalCount and one entry, ~200 bytes), or, when
 * schedules are involved, DescribeSecurityIPGroup by id (its IPExpireInfo and IPTotalCount; Content cut at 2000
 * entries). A different count means the group held something the state did not know (an out-of-band edit, an
 * expiry that fired): then it is read whole, as before. What a count cannot see is an out-of-band swap, before
 * this update, of entries the update did not touch: that is drift, which the next refresh reports (reads are
 * always whole); downloading 50,000 entries after every 3-entry append to catch it is what issue 14 measured
 * at 709 KB per update.
 */
async function confirmDelta(ctx: Ctx, live: SecurityIPGroupState, news: SecurityIPGroupInputs, expected: string[], op: OperationContext) {
  const zoneId = news.zoneId;
  const scheduled = live.ipExpireInfo.length > 0 || (news.ipExpireInfo?.length ?? 0) > 0;
  if (scheduled) {
    const { IPGroups } = await call<{ IPGroups: ApiIpGroup[] }>(ctx, "DescribeSecurityIPGroup", { ZoneId: zoneId, GroupIds: [live.groupId] }, op.deadline);
    const group = IPGroups.find((g) => g.GroupId === live.groupId);
    if (group && group.IPTotalCount === expected.length) return fromApi(zoneId, group, expected);
  } else {
    const page = await call<{ IPTotalCount: number; IPList: string[] }>(ctx, "DescribeSecurityIPGroupContent",
      { ZoneId: zoneId, GroupId: live.groupId, Limit: 1, Offset: 0 }, op.deadline);
    if (page.IPTotalCount === expected.length) {
      return { zoneId, name: live.name, content: expected, ipExpireInfo: [], groupId: live.groupId, ipTotalCount: page.IPTotalCount };
    }
  }
  ctx.log.info(`security IP group ${live.groupId}: the group holds a different number of entries than the update left; reading it whole`);
  return readBack(ctx, zoneId, live.groupId, op);
}

async function remove(ctx: Ctx, id: string, olds: SecurityIPGroupState, op: OperationContext) {
  try {
    await call(ctx, "DeleteSecurityIPGroup", { ZoneId: olds.zoneId, GroupId: Number(id) }, op.deadline);
  } catch (err) {
    if (err instanceof ApiError && err.apiCode === "OperationDenied") {
      throw new ApiError(err.apiCode, `${err.apiMessage} Security IP group ${id} is still referenced by a security rule; remove the rule's reference first.`, {
        service: err.service, action: err.action, requestId: err.requestId, httpStatus: err.httpStatus,
      });
    }
    throw err;
  }
}

async function findExisting(ctx: Ctx, i: SecurityIPGroupInputs, op: OperationContext) {
  const { IPGroups } = await call<{ IPGroups: ApiIpGroup[] }>(ctx, "DescribeSecurityIPGroup", { ZoneId: i.zoneId }, op.deadline);
  const group = IPGroups.find((g) => g.Name === i.name);
  return group ? fromApi(i.zoneId, group, await fullContent(ctx, i.zoneId, group, op.deadline)) : undefined;
}

export const securityIpGroup: ResourceDefinition<SecurityIPGroupInputs, SecurityIPGroupState> = {
  kind: "SecurityIPGroup",
  schema: SecurityIPGroupInputs,
  replaceOnChange: ["zoneId"],
  replacesFor: (olds, news) => (olds.name !== news.name && !renameFitsOneRequest(news) ? ["name"] : []),
  autoName: { property: "name", maxLength: 64, sanitize: (s) => s.replace(/[^\p{L}0-9_.-]/gu, "-") || "ip-group" },
  naturalKey: (i) => `${i.zoneId}/${i.name}`,
  comparable,
  changedProperties,
  inputsOf,
  idOf: (s) => String(s.groupId),
  isNotFound: (err) => err instanceof ApiError && err.apiCode === "ResourceNotFound",
  newFailures: (olds, news) => futureExpiryFailures(olds as SecurityIPGroupInputs | undefined, news),
  create,
  scopeOf: (where) => where.zoneId,
  read: (ctx, id, where, op) => read(ctx, id, where as SecurityIPGroupState, op),
  update,
  delete: remove,
  findExisting,
};

/** A schedule must be in the future when first declared; once declared, it may pass (it fired, not drift). */
function futureExpiryFailures(olds: SecurityIPGroupInputs | undefined, news: SecurityIPGroupInputs) {
  const known = new Set<string>();
  for (const info of olds?.ipExpireInfo ?? []) for (const ip of info.ipList ?? []) known.add(`${canonical(ip)}@${Date.parse(info.expireTime)}`);
  const now = Date.now();
  const failures: { property: string; reason: string }[] = [];
  (news.ipExpireInfo ?? []).forEach((info, i) => {
    const at = Date.parse(info.expireTime);
    if (at > now) return;
    if (info.ipList.every((ip) => known.has(`${canonical(ip)}@${at}`))) return;
    failures.push({ property: `ipExpireInfo[${i}].expireTime`, reason: "must be in the future" });
  });
  return failures;
}
