/**
 * OriginGroup: an EdgeOne (teo 2022-09-01) origin group. API facts: shared/reference/teo-origin-group.md.
 */
import { createHmac } from "node:crypto";
import { z } from "zod";
import { ApiError, EdgeconfError } from "../clients/errors";
import { snapshotReader, type SnapshotSource } from "./batch";
import type { OperationContext, ProviderContext } from "./context";
import { deepEqual } from "./equality";
import { PartialCreateError, type CheckFailure, type ResourceDefinition } from "./lifecycle";
import { canonicalIpv6, isDomainName, isForbiddenOriginIp, isIpv4, isIpv6 } from "./net";
import type { OriginGroupReference, OriginGroupState, OriginRecordState } from "../classes/originGroup";
import { orderLike } from "./order";

const TEO = { service: "teo", version: "2022-09-01" } as const;
/** The Describe filter takes at most 20 ids (teo-origin-group.md §2). */
const DESCRIBE_MAX_IDS = 20;
/** DescribeOriginGroup `Limit` range is 1-1000 (§2): one list call answers 1000 groups of a zone. */
const LIST_PAGE = 1000;
/** Records per group: the docs say 20 in one place and 100 in another; we allow 100 (emulator README). */
export const MAX_RECORDS = 100;

// ---------------------------------------------------------------- schema

export const ZoneId = z.string().regex(/^zone-[0-9a-z]+$/, "must be an EdgeOne site id like zone-2kblak89bkx1");
const GroupName = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, "must be 1-200 characters of letters, digits, _ and -");

const PRIVATE_PARAMETER_NAMES = ["AccessKeyId", "SecretAccessKey", "SignatureVersion", "Region"] as const;
type PrivateParameterName = (typeof PRIVATE_PARAMETER_NAMES)[number];
const PrivateParameter = z.strictObject({
  name: z.enum(PRIVATE_PARAMETER_NAMES),
  value: z.string().min(1, "must not be empty"),
});

/** Where an origin record may point: a public IPv4/IPv6 address or a domain name, never with a port. */
function recordProblem(record: string): string | undefined {
  if (isIpv4(record) || isIpv6(record)) {
    return isForbiddenOriginIp(record) ? "must not be a private, loopback, link-local or reserved IP" : undefined;
  }
  if (/:\d+$/.test(record)) return "must not include a port";
  return isDomainName(record) ? undefined : "must be an IPv4 address, an IPv6 address or a domain name";
}

const OriginRecord = z.strictObject({
  /** IPv4, IPv6 or domain name, without a port. */
  record: z.string().superRefine((v, ctx) => {
    const problem = recordProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  type: z.enum(["IP_DOMAIN", "COS", "AWS_S3"]).default("IP_DOMAIN"),
  weight: z.number().int("must be an integer").min(0, "must be 0-100").max(100, "must be 0-100").optional(),
  private: z.boolean().default(false),
  privateParameters: z.array(PrivateParameter).optional(),
});

/** The API's cross-field rules, each reported at the property it concerns. Runs on partial data too. */
function crossRules(g: any, ctx: z.core.$RefinementCtx): void {
  const records: any[] = Array.isArray(g?.records) ? g.records : [];
  const weighted = records.filter((r) => typeof r?.weight === "number");
  if (weighted.length > 0 && weighted.length < records.length) {
    ctx.addIssue({ code: "custom", path: ["records"], message: "set a weight on every record or on none" });
  }
  if (weighted.length === records.length && records.length > 0 && weighted.every((r) => r.weight === 0)) {
    ctx.addIssue({ code: "custom", path: ["records"], message: "at least one record must have a weight above 0" });
  }
  const seen = new Map<string, number>();
  records.forEach((r, i) => {
    if (typeof r?.record === "string") {
      const key = canonicalRecord(r.record);
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["records", i, "record"], message: `duplicates records[${seen.get(key)}]` });
      else seen.set(key, i);
    }
    const objectStorage = r?.type === "COS" || r?.type === "AWS_S3";
    if (objectStorage && g?.type === "GENERAL") {
      ctx.addIssue({ code: "custom", path: ["records", i, "type"], message: `${r.type} records are only allowed in HTTP groups` });
    }
    if (objectStorage && typeof r?.record === "string" && (isIpv4(r.record) || isIpv6(r.record))) {
      ctx.addIssue({ code: "custom", path: ["records", i, "record"], message: `${r.type} records must be a bucket domain name, not an IP` });
    }
    // `private` on IP_DOMAIN records and parameters without `private` are accepted: see ineffectiveInputs.
    const params: any[] = Array.isArray(r?.privateParameters) ? r.privateParameters : [];
    const names = new Set<string>();
    params.forEach((p, j) => {
      if (names.has(p?.name)) ctx.addIssue({ code: "custom", path: ["records", i, "privateParameters", j, "name"], message: "is given twice" });
      names.add(p?.name);
      if (p?.name === "SignatureVersion" && typeof p?.value === "string" && !["v2", "v4"].includes(p.value)) {
        ctx.addIssue({ code: "custom", path: ["records", i, "privateParameters", j, "value"], message: "SignatureVersion must be v2 or v4" });
      }
      if (p?.name === "Region" && typeof p?.value === "string" && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(p.value)) {
        ctx.addIssue({ code: "custom", path: ["records", i, "privateParameters", j, "value"], message: "Region must be a region name like ap-guangzhou" });
      }
    });
  });
}

/**
 * Inputs the API documents as ignored rather than refused, so they are accepted, stored as sent (a refresh shows
 * no diff) and reported as preview warnings. The API's words (SDK-TS `teo_models.ts`, OriginRecord; the
 * ModifyOriginGroup page): `Private` "takes effect when the origin type RecordType=COS/AWS_S3" (当源站类型
 * RecordType=COS/AWS_S3 时生效); `PrivateParameters` are "valid when Private=true" (当…Private=true时有效);
 * `HostHeader` "only works when Type=HTTP". The peers' documented example relies on this: an IP_DOMAIN record with
 * `private: true` and a SecretAccessKey (tencentcloud_teo_origin_group, pulumi-tencentcloud teo.OriginGroup).
 */
function ineffectiveInputs(g: OriginGroupInputs): CheckFailure[] {
  const warnings: CheckFailure[] = [];
  const warn = (property: string, reason: string) => warnings.push({ property, reason: `${reason}; kept as written` });
  g.records.forEach((r, i) => {
    const objectStorage = r.type === "COS" || r.type === "AWS_S3";
    const params = r.privateParameters ?? [];
    if (r.private && !objectStorage) {
      warn(`records[${i}].private`, `has no effect on ${r.type} records: private access takes effect only for COS and AWS_S3 records`);
    }
    if (params.length > 0 && !(r.private && objectStorage)) {
      warn(`records[${i}].privateParameters`, r.private
        ? `have no effect on ${r.type} records: private access takes effect only for COS and AWS_S3 records`
        : "have no effect without private: true (the API reads them only when Private=true)");
    }
    // An S3 private bucket is signed with a key pair (COS private buckets use the service role instead).
    const names = new Set(params.map((p) => p.name));
    if (r.private && r.type === "AWS_S3" && !(names.has("AccessKeyId") && names.has("SecretAccessKey"))) {
      warn(`records[${i}].privateParameters`, "lack AccessKeyId or SecretAccessKey: a private AWS_S3 bucket is signed with both, so origin pulls will not authenticate");
    }
  });
  if (g.hostHeader && g.type === "GENERAL") warn("hostHeader", "has no effect on GENERAL groups: the origin-pull Host header only works when type is HTTP");
  return warnings;
}

export const OriginGroupInputs = z
  .strictObject({
    zoneId: ZoneId,
    name: GroupName,
    type: z.enum(["GENERAL", "HTTP"]),
    records: z.array(OriginRecord).min(1, "at least one record is required").max(MAX_RECORDS, `at most ${MAX_RECORDS} records`),
    hostHeader: z
      .string()
      .refine((h) => h === "" || isDomainName(h), "must be a domain name (no scheme, path or port)")
      .optional(),
  })
  .check(z.superRefine(crossRules, { when: () => true }));

export type OriginGroupInputs = z.output<typeof OriginGroupInputs>;
export type OriginRecordInputs = OriginGroupInputs["records"][number];

// ---------------------------------------------------------------- wire mapping

interface ApiOriginRecord {
  Record: string;
  Type?: string;
  Weight?: number | null;
  Private?: boolean;
  PrivateParameters?: { Name: string; Value: string }[];
  RecordId?: string;
}

interface ApiOriginGroup {
  GroupId: string;
  Name: string;
  Type: "GENERAL" | "HTTP";
  Records: ApiOriginRecord[];
  References?: Array<Record<string, string>>;
  HostHeader?: string;
  CreateTime: string;
  UpdateTime: string;
}

function toApiRecords(records: OriginRecordInputs[]): ApiOriginRecord[] {
  return records.map((r) => ({
    Record: r.record,
    Type: r.type,
    ...(r.weight !== undefined ? { Weight: r.weight } : {}),
    Private: r.private,
    ...(r.privateParameters?.length ? { PrivateParameters: r.privateParameters.map((p) => ({ Name: p.name, Value: p.value })) } : {}),
  }));
}

/**
 * Live group → state. `known` holds, per record, the fingerprints of the keys last written or read (see
 * `liveKeys`): what stands in for a key the cloud masks or leaves out.
 */
function fromApi(zoneId: string, g: ApiOriginGroup, known: KnownKeys = new Map()): OriginGroupState {
  return {
    zoneId,
    name: g.Name,
    type: g.Type,
    records: (g.Records ?? []).map((r) => ({
      record: r.Record,
      type: (r.Type ?? "IP_DOMAIN") as OriginRecordState["type"],
      ...(typeof r.Weight === "number" ? { weight: r.Weight } : {}),
      private: r.Private ?? false,
      privateParameters: liveKeys(
        (r.PrivateParameters ?? []).map((p) => ({ name: p.Name as PrivateParameterName, value: p.Value })),
        known.get(canonicalRecord(r.Record)),
      ),
      recordId: r.RecordId ?? "",
    })),
    hostHeader: g.HostHeader ?? "",
    groupId: g.GroupId,
    references: (g.References ?? []).map((ref) => ({
      instanceType: ref.InstanceType,
      instanceId: ref.InstanceId,
      instanceName: ref.InstanceName,
      ...(ref.ZoneId !== undefined ? { zoneId: ref.ZoneId } : {}),
      ...(ref.ZoneName !== undefined ? { zoneName: ref.ZoneName } : {}),
      ...(ref.AliasZoneName !== undefined ? { aliasZoneName: ref.AliasZoneName } : {}),
    })),
    createTime: g.CreateTime,
    updateTime: g.UpdateTime,
  };
}

// ---------------------------------------------------------------- private-origin keys

/**
 * Private-origin keys never reach state: state keeps an HMAC-SHA256 fingerprint of each (keyed by the parameter
 * name, so equal keys of different kinds differ), and comparisons go through fingerprints. The cloud may answer a
 * key in clear, masked (`********`) or not at all (the docs do not say; emulator `secretsOnRead`). In clear, its
 * fingerprint is compared, so a key changed in the console is found. Masked or left out, the fingerprint of what
 * was last written stands in for it: refresh shows no change, and every visible field is still compared.
 */
const SECRET_PARAMETERS: ReadonlySet<string> = new Set(["AccessKeyId", "SecretAccessKey"]);
const FINGERPRINT = "hmac-sha256:";
/** How a masked value looks: a run of asterisks (`********`, `AKID********`). */
const isMasked = (value: string) => /\*{3,}/.test(value);
const isFingerprint = (value: string) => value.startsWith(FINGERPRINT);

/** The fingerprint of a key (a fingerprint stays as it is). Other parameters are returned unchanged. */
export function keyFingerprint(name: string, value: string): string {
  if (!SECRET_PARAMETERS.has(name) || isFingerprint(value)) return value;
  return FINGERPRINT + createHmac("sha256", `pulumi-edgeconf/OriginGroup/${name}`).update(value).digest("base64url");
}

type Parameter = { name: PrivateParameterName; value: string };
/** record (canonical) → parameter name → fingerprint */
type KnownKeys = Map<string, Map<string, string>>;

const fingerprinted = (params: Parameter[]): Parameter[] => params.map((p) => ({ name: p.name, value: keyFingerprint(p.name, p.value) }));

/**
 * The keys we may stand behind for each record. `written` = true after our own write of these records (declared
 * values: fingerprint them); otherwise only fingerprints already in state count: a clear value there comes from
 * declared inputs (adoption) or an older state, and must not hide a key the cloud masks.
 */
function knownKeys(records: { record: string; privateParameters?: Parameter[] }[] | undefined, written: boolean): KnownKeys {
  const known: KnownKeys = new Map();
  for (const r of records ?? []) {
    const keys = new Map<string, string>();
    for (const p of r.privateParameters ?? []) {
      if (SECRET_PARAMETERS.has(p.name) && (written || isFingerprint(p.value))) keys.set(p.name, keyFingerprint(p.name, p.value));
    }
    if (typeof r.record === "string") known.set(canonicalRecord(r.record), keys);
  }
  return known;
}

/** Live parameters as state holds them: keys in clear fingerprinted; masked or left-out keys from `known`. */
function liveKeys(live: Parameter[], known: Map<string, string> | undefined): Parameter[] {
  const out = live.map((p): Parameter => {
    if (!SECRET_PARAMETERS.has(p.name)) return p;
    const standIn = known?.get(p.name);
    return isMasked(p.value) && standIn ? { name: p.name, value: standIn } : { name: p.name, value: keyFingerprint(p.name, p.value) };
  });
  for (const [name, fingerprint] of known ?? []) {
    if (!out.some((p) => p.name === name)) out.push({ name: name as PrivateParameterName, value: fingerprint });
  }
  return out;
}

// ---------------------------------------------------------------- normalisation

/** Domains are case-insensitive and IPv6 has many spellings: one key per origin. */
function canonicalRecord(record: string): string {
  return isIpv6(record) ? canonicalIpv6(record) : record.toLowerCase();
}

/** Records as the API treats them: a set keyed by the record, server ids ignored, parameters unordered. */
function normaliseRecords(records: OriginRecordInputs[]) {
  return records
    .map((r) => ({
      record: canonicalRecord(r.record),
      type: r.type,
      weight: r.weight ?? null,
      private: r.private,
      privateParameters: fingerprinted(r.privateParameters ?? []).sort((a, b) => a.name.localeCompare(b.name)),
    }))
    .sort((a, b) => a.record.localeCompare(b.record));
}

function comparable(i: OriginGroupInputs): Record<string, unknown> {
  return {
    zoneId: i.zoneId,
    name: i.name,
    type: i.type,
    records: normaliseRecords(i.records),
    hostHeader: (i.hostHeader ?? "").toLowerCase(),
  };
}

function inputsOf(s: OriginGroupState): OriginGroupInputs {
  return {
    zoneId: s.zoneId,
    name: s.name,
    type: s.type,
    records: s.records.map((r) => ({
      record: r.record,
      type: r.type,
      ...(r.weight !== undefined ? { weight: r.weight } : {}),
      private: r.private,
      ...(r.privateParameters?.length ? { privateParameters: r.privateParameters } : {}),
    })),
    ...(s.hostHeader ? { hostHeader: s.hostHeader } : {}),
  };
}

// ---------------------------------------------------------------- CRUD

type Ctx = ProviderContext;

/** Every page of a DescribeOriginGroup query; `keepPaging(TotalCount)` may stop after the first page. */
async function describe(ctx: Ctx, zoneId: string, filters: object[], deadline: number, keepPaging = (_total: number) => true) {
  const groups: ApiOriginGroup[] = [];
  for (let offset = 0; ; ) {
    const page = await ctx.tencent().call<{ TotalCount: number; OriginGroups: ApiOriginGroup[] }>(
      TEO.service, TEO.version, "DescribeOriginGroup",
      { ZoneId: zoneId, Filters: filters, Offset: offset, Limit: LIST_PAGE }, { deadline },
    );
    groups.push(...page.OriginGroups);
    offset += page.OriginGroups.length;
    const complete = page.OriginGroups.length === 0 || offset >= page.TotalCount;
    if (complete || !keepPaging(page.TotalCount)) return { groups, complete };
  }
}

/** Reads of one zone share its list (1000 groups a call); a lone read filters by id (20 ids a call). */
function originGroupSource(ctx: Ctx): SnapshotSource<ApiOriginGroup> {
  const deadline = () => Date.now() + 120_000;
  const byId = (groups: ApiOriginGroup[]) => new Map(groups.map((g) => [g.GroupId, g]));
  return {
    list: async (zoneId, keepPaging) => {
      const { groups, complete } = await describe(ctx, zoneId, [], deadline(), keepPaging);
      return { items: byId(groups), complete };
    },
    get: async (zoneId, ids) => {
      const chunks = Array.from({ length: Math.ceil(ids.length / DESCRIBE_MAX_IDS) }, (_, i) => ids.slice(i * DESCRIBE_MAX_IDS, (i + 1) * DESCRIBE_MAX_IDS));
      const pages = await Promise.all(chunks.map((c) => describe(ctx, zoneId, [{ Name: "origin-group-id", Values: c }], deadline())));
      return byId(pages.flatMap((p) => p.groups));
    },
    listCalls: (total) => Math.max(1, Math.ceil(total / LIST_PAGE)),
    getCalls: (n) => Math.ceil(n / DESCRIBE_MAX_IDS),
  };
}

async function read(ctx: Ctx, id: string, where: { zoneId: string; records?: { record: string; privateParameters?: Parameter[] }[] }): Promise<OriginGroupState | undefined> {
  const group = await snapshotReader(ctx, "OriginGroup", () => originGroupSource(ctx)).read(where.zoneId, id);
  if (!group) return undefined;
  const state = fromApi(where.zoneId, group, knownKeys(where.records, false));
  return { ...state, records: orderLike(state.records, where.records ?? [], (r) => canonicalRecord(r.record)) };
}

async function readBack(ctx: Ctx, id: string, inputs: OriginGroupInputs, op: OperationContext): Promise<OriginGroupState> {
  const { groups } = await describe(ctx, inputs.zoneId, [{ Name: "origin-group-id", Values: [id] }], op.deadline);
  const group = groups.find((g) => g.GroupId === id);
  if (!group) throw new ApiError("ResourceNotFound", `origin group ${id} not found right after writing it`, { service: "teo", action: "DescribeOriginGroup" });
  // We have just written the declared keys (or, after an ambiguous create, found the group they created).
  const state = fromApi(inputs.zoneId, group, knownKeys(inputs.records, true));
  return { ...state, records: orderLike(state.records, inputs.records, (r) => canonicalRecord(r.record)) };
}

async function create(ctx: Ctx, i: OriginGroupInputs, op: OperationContext): Promise<OriginGroupState> {
  const { OriginGroupId } = await ctx.tencent().call<{ OriginGroupId: string }>(TEO.service, TEO.version, "CreateOriginGroup", {
    ZoneId: i.zoneId,
    Name: i.name,
    Type: i.type,
    Records: toApiRecords(i.records),
    ...(i.hostHeader ? { HostHeader: i.hostHeader } : {}),
  }, { deadline: op.deadline, idempotent: false }).catch((err) => {
    throw explained(err, i);
  });
  return readBackOrPartial(ctx, OriginGroupId, i, op);
}

/** The group exists once Create answered: if reading it back fails, Pulumi must still keep its id. */
async function readBackOrPartial(ctx: Ctx, id: string, i: OriginGroupInputs, op: OperationContext) {
  try {
    return await readBack(ctx, id, i, op);
  } catch (err) {
    throw new PartialCreateError(`origin group ${id} was created but could not be read back: ${(err as Error).message}`, id, partialState(id, i));
  }
}

/**
 * The state Pulumi keeps for a group whose create was not confirmed: the declared values in the state's shape
 * (diff, update and delete read it like any state), server fields empty so the next update reads them.
 */
function partialState(id: string, i: OriginGroupInputs): OriginGroupState {
  return {
    zoneId: i.zoneId,
    name: i.name,
    type: i.type,
    records: i.records.map((r) => ({ ...r, privateParameters: fingerprinted(r.privateParameters ?? []), recordId: "" })),
    hostHeader: i.hostHeader ?? "",
    groupId: id,
    references: [],
    createTime: "",
    updateTime: "",
  };
}

/**
 * Modify sends only what changed, except HostHeader. The zh doc says omitting it clears it; the other reading
 * (emulator `hostHeaderOnOmit: keeps`) keeps it. Both read `""` as "no Host header", so every Modify sends the
 * declared header, `""` to clear: right under either reading.
 */
function modifyParams(id: string, olds: OriginGroupState, news: OriginGroupInputs): Record<string, unknown> | undefined {
  const before = comparable(inputsOf(olds));
  const after = comparable(news);
  const params: Record<string, unknown> = {};
  if (before.name !== after.name) params.Name = news.name;
  if (before.type !== after.type) params.Type = news.type;
  if (!deepEqual(before.records, after.records)) params.Records = toApiRecords(news.records);
  const hostHeaderChanged = before.hostHeader !== after.hostHeader;
  if (Object.keys(params).length === 0 && !hostHeaderChanged) return undefined;
  // Resent whatever the type: a GENERAL group keeps a host header it was given (stored, without effect).
  params.HostHeader = news.hostHeader ?? "";
  return { ZoneId: news.zoneId, GroupId: id, ...params };
}

async function update(ctx: Ctx, id: string, olds: OriginGroupState, news: OriginGroupInputs, op: OperationContext) {
  const params = modifyParams(id, olds, news);
  // Nothing to send. A state left by a partial create has no server fields yet: read them.
  if (!params) return olds.createTime ? olds : readBack(ctx, id, news, op);
  await ctx.tencent().call(TEO.service, TEO.version, "ModifyOriginGroup", params, { deadline: op.deadline }).catch((err) => {
    throw explained(err, news);
  });
  return notApplied(id, await readBack(ctx, id, news, op), news);
}

/**
 * LimitExceeded on an origin group write: records per group (the docs say 100 on one page and 20 on another) or,
 * for a create, groups per zone (undocumented). The code does not say which; the message gives both remedies.
 */
function explained(err: unknown, i: OriginGroupInputs): unknown {
  if (!(err instanceof ApiError && err.apiCode === "LimitExceeded")) return err;
  return new ApiError(err.apiCode, `${err.apiMessage} Origin group "${i.name}": the cloud refused ${i.records.length} records, ` +
    `so this account allows fewer records per origin group than the ${MAX_RECORDS} documented (one page says 20): ` +
    "declare fewer records, or split the origins over several groups. If the group already had that many records, " +
    "the site is at its origin-group quota instead: delete unused groups.", {
    service: err.service, action: err.action, requestId: err.requestId, httpStatus: err.httpStatus,
  });
}

/**
 * The read after the write must show what was declared: a Modify the cloud accepted but did not apply (a Host
 * header it keeps...) would otherwise come back as the same diff on every run. Say what the cloud did instead.
 */
function notApplied(id: string, state: OriginGroupState, news: OriginGroupInputs): OriginGroupState {
  const have = comparable(inputsOf(state));
  const want = comparable(news);
  const ignored = Object.keys(want).filter((k) => !deepEqual(have[k], want[k]));
  if (ignored.length === 0) return state;
  throw new EdgeconfError(`ModifyOriginGroup succeeded, but origin group ${id} reads back with a different ${ignored.join(", ")} ` +
    `(${ignored.map((k) => `${k}: ${JSON.stringify(have[k])}`).join("; ")}): the cloud did not apply the change; ` +
    "change it in the EdgeOne console, or declare the value the cloud keeps.");
}

const IN_USE = /^OperationDenied\.OriginGroup.*Used$/;

async function remove(ctx: Ctx, id: string, olds: OriginGroupState, op: OperationContext) {
  try {
    await ctx.tencent().call(TEO.service, TEO.version, "DeleteOriginGroup", { ZoneId: olds.zoneId, GroupId: id }, { deadline: op.deadline });
  } catch (err) {
    if (err instanceof ApiError && IN_USE.test(err.apiCode)) {
      const live = await readBack(ctx, id, inputsOf(olds), op).catch(() => undefined);
      const users = (live?.references ?? []).map((r) => `${r.instanceType} ${r.instanceName || r.instanceId}`);
      throw new ApiError(err.apiCode, `${err.apiMessage} The origin group is still used by ${users.length ? users.join(", ") : "another service"}; remove those references first.`, {
        service: err.service, action: err.action, requestId: err.requestId, httpStatus: err.httpStatus,
      });
    }
    throw err;
  }
}

async function findExisting(ctx: Ctx, i: OriginGroupInputs, op: OperationContext) {
  const { groups } = await describe(ctx, i.zoneId, [{ Name: "origin-group-name", Values: [i.name], Fuzzy: false }], op.deadline);
  const group = groups.find((g) => g.Name === i.name);
  return group ? readBack(ctx, group.GroupId, i, op) : undefined;
}

export const originGroup: ResourceDefinition<OriginGroupInputs, OriginGroupState> = {
  kind: "OriginGroup",
  schema: OriginGroupInputs,
  replaceOnChange: ["zoneId", "type"],
  warnings: ineffectiveInputs,
  autoName: { property: "name", maxLength: 200, sanitize: (s) => s.replace(/[^A-Za-z0-9_-]/g, "-") || "origin-group" },
  naturalKey: (i) => `${i.zoneId}/${i.name}`,
  comparable,
  inputsOf,
  idOf: (s) => s.groupId,
  isNotFound: (err) => err instanceof ApiError && err.apiCode === "ResourceNotFound",
  create,
  scopeOf: (where) => where.zoneId,
  read: (ctx, id, where) => read(ctx, id, where as OriginGroupState),
  update,
  delete: remove,
  findExisting,
};
