/**
 * EdgeOne (teo 2022-09-01) state and rules: origin groups and security IP groups.
 * No HTTP here: inputs are already-decoded keyword objects (camelCase), failures are the classes of
 * exceptions.ts. Facts come from shared/reference/teo-origin-group.md and teo-security-ip-group.md;
 * where those are unclear the stricter behaviour is chosen and listed in the README (### teo).
 *
 * State is per account (the caller's SecretId) and, inside an account, per zone. Zones themselves are
 * global to the emulator (seeded + added through the control plane). Ids and the clock come only from `env`.
 * Expiries of IP-group entries are evaluated lazily from `env.now()` whenever a group is touched.
 */
import type { Backend, EmulatorSettings, Env } from "../core/contract";
import { SEED } from "../core/defaults";
import { forbiddenOriginIp, isDomainName, parseIpAddress, parseIpEntry } from "./addresses";
import {
  HostHeaderInvalid,
  InvalidAwsRegion,
  InvalidOriginGroupType,
  InvalidOriginIp,
  InvalidParameter,
  LimitExceeded,
  OperationDenied,
  OriginGroupAccelerationDomainUsed,
  OriginGroupL4Used,
  OriginGroupLBUsed,
  OriginGroupRuleEngineUsed,
  OriginL4RecordIPV4MixDomain,
  OriginL4RecordMultiDomain,
  OriginNameExists,
  OriginRecordFormatError,
  OriginRecordWeightValue,
  OriginThirdPartyParamFormatError,
  ResourceNotFound,
  SecurityInvalidParameter,
  SecurityLimitExceeded,
  TeoError,
  ZoneNotFound,
} from "./exceptions";

// ------------------------------------------------------------------------------------------------
// Limits and enums (reference §7 / §8)

export const ORIGIN_GROUP_TYPES = ["GENERAL", "HTTP"] as const;
export const ORIGIN_RECORD_TYPES = ["IP_DOMAIN", "COS", "AWS_S3"] as const;
export const PRIVATE_PARAMETER_NAMES = ["AccessKeyId", "SecretAccessKey", "SignatureVersion", "Region"] as const;
export const SIGNATURE_VERSIONS = ["v2", "v4"] as const;
export const ORIGIN_GROUP_NAME = /^[A-Za-z0-9_-]{1,200}$/;
export const DESCRIBE_ORIGIN_GROUP_LIMIT = { default: 20, min: 1, max: 1000 };
export const MAX_FILTER_VALUES = 20;
/** Not documented: letters (any script), digits, `_`, `-`, `.`, 1-64 characters, unique per zone. */
export const IP_GROUP_NAME = /^[\p{L}\p{N}_.-]{1,64}$/u;
/** DescribeSecurityIPGroup returns at most this many Content entries per group (IPTotalCount stays full). */
export const DESCRIBE_IP_GROUP_CONTENT_MAX = 2000;
export const IP_GROUP_CONTENT_LIMIT = { default: 2000, min: 1, max: 100_000 };
/** Fired expiries stay visible in output IPExpireInfo for one week. */
export const FIRED_RETENTION_MS = 7 * 24 * 3600 * 1000;
/** First server-assigned IP group id. */
export const FIRST_IP_GROUP_ID = 100;

/** Reference InstanceType spellings (SDK comment, SPEC example, Terraform docs) → the delete refusal they cause. */
const REFERENCE_KINDS: Record<string, "domain" | "rule" | "lb" | "l4"> = {
  "acceleration-domain": "domain",
  AccelerationDomain: "domain",
  "rule-engine": "rule",
  RuleEngine: "rule",
  "load-balancer": "lb",
  LoadBalancer: "lb",
  Loadbalance: "lb",
  "application-proxy": "l4",
  ApplicationProxy: "l4",
};

// ------------------------------------------------------------------------------------------------
// Types

export type OriginGroupType = (typeof ORIGIN_GROUP_TYPES)[number];
export type OriginRecordType = (typeof ORIGIN_RECORD_TYPES)[number];

export interface PrivateParameterInput { name: string; value: string }
export interface OriginRecordInput {
  record: string;
  type?: string;
  /** undefined/null = no weight */
  weight?: number | null;
  private?: boolean;
  privateParameters?: PrivateParameterInput[];
  /** accepted on input and ignored: the server assigns record ids */
  recordId?: string;
}
export interface OriginGroupFields {
  name?: string;
  type?: string;
  hostHeader?: string;
  records?: OriginRecordInput[];
}

export interface OriginRecord {
  recordId: string;
  record: string;
  type: OriginRecordType;
  weight: number | null;
  private: boolean;
  privateParameters: PrivateParameterInput[];
}
export interface OriginGroupReference {
  instanceType: string;
  instanceId: string;
  instanceName: string;
  zoneId: string;
  zoneName: string;
  aliasZoneName: string;
}
export interface OriginGroup {
  groupId: string;
  zoneId: string;
  name: string;
  type: OriginGroupType;
  hostHeader: string;
  records: OriginRecord[];
  references: OriginGroupReference[];
  /** epoch ms */
  createTime: number;
  updateTime: number;
}

export interface FilterInput { name: string; values: string[]; fuzzy?: boolean }

export interface IpExpireInput { expireTime?: string; ipList: string[] }
export interface IpGroupInput { groupId: number; name: string; content: string[]; ipExpireInfo?: IpExpireInput[] }
export type ModifyMode = "append" | "remove" | "update";

interface Schedule { expireTime: string; at: number }
interface Fired { entry: string; expireTime: string; at: number }
export interface IpGroupReference {
  entityType: string;
  entityId: string;
  entityName: string;
  subEntityType: string;
  subEntityId: string;
  subEntityName: string;
}
interface IpGroupState {
  groupId: number;
  zoneId: string;
  name: string;
  /** canonical entries in insertion order */
  content: Set<string>;
  /** unexpired schedules */
  expiry: Map<string, Schedule>;
  /** schedules that fired, kept FIRED_RETENTION_MS after firing */
  fired: Fired[];
  references: IpGroupReference[];
  /** earliest pending `at` (Infinity when none); lets a touch skip the scan */
  nextDue: number;
  /** page cache for DescribeSecurityIPGroupContent; dropped on every content change */
  contentArray?: string[];
  /** the `ipContentOrder` reading the cache was built for (the setting may change live) */
  contentArrayOrder?: string;
}

/** What Describe shows of an IP group. */
export interface IpGroupView {
  groupId: number;
  name: string;
  content: string[];
  ipTotalCount: number;
  ipExpireInfo: { expireTime: string; ipList: string[] }[];
  refCount: number;
}

interface AccountState {
  originGroups: Map<string, OriginGroup>;
  ipGroups: Map<number, IpGroupState>;
}

interface Zone { zoneId: string; name: string }

// ------------------------------------------------------------------------------------------------
// Small rule helpers

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;

/** RFC 3339 date-time with an explicit offset (`Z` or ±hh:mm); epoch ms, or undefined if malformed. */
export function parseRfc3339(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (mo! < 1 || mo! > 12 || d! < 1 || h! > 23 || mi! > 59 || se! > 59) return undefined;
  const day = new Date(Date.UTC(y!, mo! - 1, d!));
  if (day.getUTCDate() !== d) return undefined;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** Private parameters whose values are credentials (reference §5.3). */
const SECRET_PARAMETER_NAMES = ["AccessKeyId", "SecretAccessKey"] as const;
/** A key id keeps its first 4 characters (as consoles show ids); a secret key shows none. */
const maskedSecret = (name: string, value: string) => (name === "AccessKeyId" ? `${value.slice(0, 4)}********` : "********");

const isObjectStorage = (t: OriginRecordType) => t === "COS" || t === "AWS_S3";

/** The first `max` entries of a set, without copying the rest (groups hold 100,000). */
function firstEntries(set: Set<string>, max: number): string[] {
  if (max >= set.size) return [...set];
  const out: string[] = [];
  for (const e of set) { if (out.length >= max) break; out.push(e); }
  return out;
}

function canonicalOrigin(record: string): string {
  return parseIpAddress(record)?.canonical ?? record.toLowerCase();
}

// ------------------------------------------------------------------------------------------------

/** The `Backend` of the contract minus `admin`, which admin.ts adds (it decodes wire-format arguments). */
export class TeoBackend implements Omit<Backend, "admin"> {
  private zones = new Map<string, Zone>();
  private accounts = new Map<string, AccountState>();
  private nextIpGroupId = FIRST_IP_GROUP_ID;

  constructor(
    private readonly env: Env,
    /** read live on every call: the control plane may change it */
    private readonly settings: EmulatorSettings,
  ) {
    this.reset();
  }

  // ---- Backend contract ----

  reset(): void {
    this.zones = new Map([[SEED.teoZoneId, { zoneId: SEED.teoZoneId, name: SEED.teoZoneName }]]);
    this.accounts = new Map();
    this.nextIpGroupId = FIRST_IP_GROUP_ID;
  }

  resourceCount(): number {
    let n = 0;
    for (const a of this.accounts.values()) n += a.originGroups.size + a.ipGroups.size;
    return n;
  }

  snapshot(): TeoSnapshot {
    const accounts: TeoSnapshot["accounts"] = {};
    for (const [id, a] of this.accounts) {
      accounts[id] = {
        originGroups: [...a.originGroups.values()].map((g) => structuredClone(g)),
        ipGroups: [...a.ipGroups.values()].map((g) => ({
          groupId: g.groupId,
          zoneId: g.zoneId,
          name: g.name,
          content: [...g.content],
          expiry: [...g.expiry].map(([entry, s]) => ({ entry, expireTime: s.expireTime, at: s.at })),
          fired: g.fired.map((f) => ({ ...f })),
          references: g.references.map((r) => ({ ...r })),
        })),
      };
    }
    return { version: 1, zones: [...this.zones.values()].map((z) => ({ ...z })), nextIpGroupId: this.nextIpGroupId, accounts };
  }

  restore(data: unknown): void {
    const s = data as TeoSnapshot;
    if (!s || typeof s !== "object" || s.version !== 1) throw new Error("teo: unsupported snapshot");
    this.zones = new Map(s.zones.map((z) => [z.zoneId, { ...z }]));
    this.nextIpGroupId = s.nextIpGroupId;
    this.accounts = new Map();
    for (const [id, a] of Object.entries(s.accounts)) {
      const st: AccountState = { originGroups: new Map(), ipGroups: new Map() };
      for (const g of a.originGroups) st.originGroups.set(g.groupId, structuredClone(g));
      for (const g of a.ipGroups) {
        const ig: IpGroupState = {
          groupId: g.groupId,
          zoneId: g.zoneId,
          name: g.name,
          content: new Set(g.content),
          expiry: new Map(g.expiry.map((e) => [e.entry, { expireTime: e.expireTime, at: e.at }])),
          fired: g.fired.map((f) => ({ ...f })),
          references: g.references.map((r) => ({ ...r })),
          nextDue: -Infinity,
        };
        st.ipGroups.set(g.groupId, ig);
      }
      this.accounts.set(id, st);
    }
  }

  // ---- zones ----

  addZone(zoneId: string, name?: string): Zone {
    if (!/^zone-[0-9a-z]+$/.test(zoneId)) throw new Error(`teo: invalid zone id ${JSON.stringify(zoneId)}`);
    const z = { zoneId, name: name ?? `${zoneId}.example` };
    this.zones.set(zoneId, z);
    return { ...z };
  }

  listZones(): Zone[] {
    return [...this.zones.values()].map((z) => ({ ...z }));
  }

  private zone(zoneId: string): Zone {
    const z = this.zones.get(zoneId);
    if (!z) throw new ZoneNotFound(`ZoneId \`${zoneId}\` does not exist.`);
    return z;
  }

  private account(account: string): AccountState {
    let a = this.accounts.get(account);
    if (!a) {
      a = { originGroups: new Map(), ipGroups: new Map() };
      this.accounts.set(account, a);
    }
    return a;
  }

  // =================================================================================================
  // Origin groups

  createOriginGroup(account: string, zoneId: string, fields: OriginGroupFields): string {
    this.zone(zoneId);
    const a = this.account(account);
    // Name and Type are optional in SPEC; Type's own text says "(Required)". Both are required here (stricter).
    if (fields.name === undefined) throw new InvalidParameter("The parameter `Name` is required when creating an origin group.");
    if (fields.type === undefined) throw new InvalidOriginGroupType("`Type` is required: GENERAL or HTTP.");
    if (fields.records === undefined) throw new OriginRecordFormatError("`Records` is required.");
    const checked = this.checkOriginGroup(a, zoneId, {
      name: fields.name,
      type: fields.type,
      hostHeader: fields.hostHeader ?? "",
      records: fields.records,
    }, undefined);
    const now = this.env.now();
    const groupId = `origin-${this.env.uuid()}`;
    a.originGroups.set(groupId, {
      groupId,
      zoneId,
      name: checked.name,
      type: checked.type,
      hostHeader: checked.hostHeader,
      records: this.assignRecordIds(checked.records),
      references: [],
      createTime: now,
      updateTime: now,
    });
    return groupId;
  }

  /**
   * ModifyOriginGroup: omitted Name/Type/Records keep their value; Records replaces all records (new
   * RecordIds); HostHeader omitted or "" clears it (reference §3). `keepHostHeader` is for console-like
   * patches from the control plane, where an omitted field is left alone.
   */
  modifyOriginGroup(
    account: string,
    zoneId: string,
    groupId: string,
    fields: OriginGroupFields,
    opts: { keepHostHeader?: boolean } = {},
  ): void {
    this.zone(zoneId);
    const a = this.account(account);
    const g = this.originGroup(a, zoneId, groupId);
    // The console guide: "the origin group type cannot be modified". The API accepts the field, so resending
    // the same type is fine; a different one is refused (stricter choice: the provider replaces instead).
    if (fields.type !== undefined && fields.type !== g.type && (ORIGIN_GROUP_TYPES as readonly string[]).includes(fields.type)) {
      throw new InvalidOriginGroupType(`The type of origin group \`${groupId}\` cannot be changed from ${g.type} to ${fields.type}.`);
    }
    // `settings.hostHeaderOnOmit`: the zh doc says an omitted HostHeader clears it; the other reading keeps it.
    const keep = opts.keepHostHeader || this.settings.hostHeaderOnOmit === "keeps";
    const hostHeader = fields.hostHeader ?? (keep ? g.hostHeader : "");
    const checked = this.checkOriginGroup(a, zoneId, {
      name: fields.name ?? g.name,
      type: fields.type ?? g.type,
      hostHeader,
      records: fields.records ?? g.records,
    }, groupId);
    this.checkL4Rules(g, checked.records);
    g.name = checked.name;
    g.type = checked.type;
    g.hostHeader = checked.hostHeader;
    if (fields.records !== undefined) g.records = this.assignRecordIds(checked.records, this.settings.recordIdsOnModify === "kept" ? g.records : []);
    g.updateTime = this.env.now();
  }

  deleteOriginGroup(account: string, zoneId: string, groupId: string): void {
    this.zone(zoneId);
    const a = this.account(account);
    const g = this.originGroup(a, zoneId, groupId);
    if (g.references.length > 0) throw originGroupInUse(g);
    a.originGroups.delete(groupId);
  }

  describeOriginGroups(
    account: string,
    q: { zoneId: string; offset?: number; limit?: number; filters?: FilterInput[] },
  ): { totalCount: number; originGroups: OriginGroup[] } {
    this.zone(q.zoneId);
    const offset = q.offset ?? 0;
    const limit = q.limit ?? DESCRIBE_ORIGIN_GROUP_LIMIT.default;
    if (!Number.isInteger(offset) || offset < 0) throw new InvalidParameter("The parameter `Offset` must be an integer >= 0.");
    if (!Number.isInteger(limit) || limit < DESCRIBE_ORIGIN_GROUP_LIMIT.min || limit > DESCRIBE_ORIGIN_GROUP_LIMIT.max) {
      throw new InvalidParameter("The parameter `Limit` must be an integer from 1 to 1000.");
    }
    const preds = (q.filters ?? []).map((f, i) => originGroupFilter(f, i));
    const a = this.account(account);
    const matches = [...a.originGroups.values()].filter((g) => g.zoneId === q.zoneId && preds.every((p) => p(g)));
    return {
      totalCount: matches.length,
      originGroups: matches.slice(offset, offset + limit).map((g) => this.asDescribed(structuredClone(g))),
    };
  }

  /**
   * What Describe shows of private-origin keys (`settings.secretsOnRead`): in clear, masked, or left out. The docs
   * do not say; the control plane always sees the stored values.
   */
  private asDescribed(g: OriginGroup): OriginGroup {
    const mode = this.settings.secretsOnRead;
    if (mode === "clear") return g;
    for (const r of g.records) {
      r.privateParameters = r.privateParameters.flatMap((p) => {
        if (!(SECRET_PARAMETER_NAMES as readonly string[]).includes(p.name)) return [p];
        return mode === "omitted" ? [] : [{ ...p, value: maskedSecret(p.name, p.value) }];
      });
    }
    return g;
  }

  /** Find an origin group of the account in any zone (control plane). */
  findOriginGroup(groupId: string, account?: string): { account: string; group: OriginGroup } {
    for (const [id, a] of this.accounts) {
      if (account !== undefined && id !== account) continue;
      const g = a.originGroups.get(groupId);
      if (g) return { account: id, group: g };
    }
    throw new Error(`teo: no origin group ${groupId}`);
  }

  listOriginGroups(): { account: string; group: OriginGroup }[] {
    const out: { account: string; group: OriginGroup }[] = [];
    for (const [id, a] of this.accounts) for (const g of a.originGroups.values()) out.push({ account: id, group: structuredClone(g) });
    return out;
  }

  addOriginGroupReference(groupId: string, ref: Partial<OriginGroupReference> & { instanceType: string }, account?: string): void {
    const { group } = this.findOriginGroup(groupId, account);
    const kind = REFERENCE_KINDS[ref.instanceType];
    if (kind === "l4" && group.type === "HTTP") throw new Error("teo: an HTTP origin group cannot be referenced by an L4 proxy");
    const zone = this.zones.get(group.zoneId);
    group.references.push({
      instanceType: ref.instanceType,
      instanceId: ref.instanceId ?? `${ref.instanceType}-${this.env.alnum(8)}`,
      instanceName: ref.instanceName ?? "",
      zoneId: ref.zoneId ?? group.zoneId,
      zoneName: ref.zoneName ?? zone?.name ?? "",
      aliasZoneName: ref.aliasZoneName ?? "",
    });
  }

  clearOriginGroupReferences(groupId: string, account?: string): void {
    this.findOriginGroup(groupId, account).group.references = [];
  }

  private originGroup(a: AccountState, zoneId: string, groupId: string): OriginGroup {
    const g = a.originGroups.get(groupId);
    // a group of another zone is invisible through this zone
    if (!g || g.zoneId !== zoneId) throw new ResourceNotFound(`Origin group \`${groupId}\` was not found in zone \`${zoneId}\`.`);
    return g;
  }

  /** New RecordIds, except for records also in `keepFrom` (same origin) under `recordIdsOnModify: kept`. */
  private assignRecordIds(records: Omit<OriginRecord, "recordId">[], keepFrom: OriginRecord[] = []): OriginRecord[] {
    const kept = new Map(keepFrom.map((r) => [canonicalOrigin(r.record), r.recordId]));
    return records.map((r) => ({
      ...r,
      recordId: kept.get(canonicalOrigin(r.record)) ?? `record-${this.env.uuid()}`,
      privateParameters: r.privateParameters.map((p) => ({ ...p })),
    }));
  }

  /** Every group-level and record-level rule of reference §5-§7; returns the normalised group. */
  private checkOriginGroup(
    a: AccountState,
    zoneId: string,
    g: { name: string; type: string; hostHeader: string; records: OriginRecordInput[] },
    selfId: string | undefined,
  ): { name: string; type: OriginGroupType; hostHeader: string; records: Omit<OriginRecord, "recordId">[] } {
    if (!ORIGIN_GROUP_NAME.test(g.name)) {
      throw new InvalidParameter(`The parameter \`Name\` must be 1-200 characters of [A-Za-z0-9_-]; got ${JSON.stringify(g.name)}.`);
    }
    if (!(ORIGIN_GROUP_TYPES as readonly string[]).includes(g.type)) {
      throw new InvalidOriginGroupType(`\`Type\` must be GENERAL or HTTP; got ${JSON.stringify(g.type)}.`);
    }
    const type = g.type as OriginGroupType;
    // "It only works when Type=HTTP" (ModifyOriginGroup): on a GENERAL group it is stored as sent, without effect.
    if (g.hostHeader !== "" && !isDomainName(g.hostHeader)) {
      throw new HostHeaderInvalid(`\`HostHeader\` must be a domain name without port; got ${JSON.stringify(g.hostHeader)}.`);
    }
    const records = this.checkRecords(type, g.records);
    for (const other of a.originGroups.values()) {
      if (other.zoneId === zoneId && other.groupId !== selfId && other.name === g.name) {
        throw new OriginNameExists(`Name \`${g.name}\` is used by \`${other.groupId}\` in zone \`${zoneId}\`.`);
      }
    }
    return { name: g.name, type, hostHeader: g.hostHeader, records };
  }

  private checkRecords(groupType: OriginGroupType, input: OriginRecordInput[]): Omit<OriginRecord, "recordId">[] {
    if (input.length === 0) throw new OriginRecordFormatError("`Records` must contain at least one origin record.");
    const max = this.settings.recordsPerGroup;
    if (input.length > max) {
      throw new LimitExceeded(`An origin group holds at most ${max} records; got ${input.length}.`);
    }
    const seen = new Map<string, number>();
    const out = input.map((r, i): Omit<OriginRecord, "recordId"> => {
      const at = `Records.${i}`;
      const rtype = (r.type ?? "IP_DOMAIN") as OriginRecordType;
      if (!(ORIGIN_RECORD_TYPES as readonly string[]).includes(rtype)) {
        throw new OriginRecordFormatError(`\`${at}.Type\` must be IP_DOMAIN, COS or AWS_S3; got ${JSON.stringify(r.type)}.`);
      }
      if (isObjectStorage(rtype) && groupType !== "HTTP") {
        throw new OriginRecordFormatError(`\`${at}.Type\` ${rtype} is only allowed in HTTP origin groups.`);
      }
      this.checkRecordValue(at, rtype, r.record);
      const key = canonicalOrigin(r.record);
      const dup = seen.get(key);
      if (dup !== undefined) throw new OriginRecordFormatError(`\`${at}.Record\` duplicates \`Records.${dup}.Record\` (${r.record}).`);
      seen.set(key, i);
      const weight = r.weight ?? null;
      if (weight !== null && (!Number.isInteger(weight) || weight < 0 || weight > 100)) {
        throw new OriginRecordWeightValue(`\`${at}.Weight\` must be an integer from 0 to 100; got ${weight}.`);
      }
      const isPrivate = r.private ?? false;
      const params = r.privateParameters ?? [];
      this.checkPrivate(at, params);
      return { record: r.record, type: rtype, weight, private: isPrivate, privateParameters: params.map((p) => ({ name: p.name, value: p.value })) };
    });
    // Weights: all or none, and at least one above 0 (reference §6.1; code not documented).
    const weighted = out.filter((r) => r.weight !== null).length;
    if (weighted !== 0 && weighted !== out.length) {
      throw new OriginRecordWeightValue("Set `Weight` on every record or on none.");
    }
    if (weighted > 0 && out.every((r) => r.weight === 0)) {
      throw new OriginRecordWeightValue("At least one record must have a `Weight` greater than 0.");
    }
    return out;
  }

  private checkRecordValue(at: string, rtype: OriginRecordType, record: string): void {
    if (record === "") throw new OriginRecordFormatError(`\`${at}.Record\` is empty.`);
    const ip = parseIpAddress(record);
    if (ip) {
      // object storage is addressed by bucket domain (stricter: no bare-IP buckets)
      if (isObjectStorage(rtype)) throw new OriginRecordFormatError(`\`${at}.Record\` of type ${rtype} must be a bucket domain name; got ${record}.`);
      const why = forbiddenOriginIp(record);
      if (why) throw new InvalidOriginIp(`\`${at}.Record\` ${record} is ${why}.`);
      return;
    }
    if (/:\d+$/.test(record) || /^\[.*\](:\d+)?$/.test(record)) {
      throw new OriginRecordFormatError(`\`${at}.Record\` must not include a port; got ${record}.`);
    }
    if (!isDomainName(record)) {
      throw new OriginRecordFormatError(`\`${at}.Record\` must be an IPv4/IPv6 address or a domain name; got ${JSON.stringify(record)}.`);
    }
  }

  /**
   * The parameters' own format. `Private` "takes effect when RecordType=COS/AWS_S3" and `PrivateParameters` are
   * "valid when Private=true" (SDK-TS OriginRecord): outside those conditions both are stored as sent, not refused.
   * Nor is a private AWS_S3 record without a key pair: no documented rule or error code refuses it.
   */
  private checkPrivate(at: string, params: PrivateParameterInput[]): void {
    const names = new Set<string>();
    params.forEach((p, j) => {
      const pat = `${at}.PrivateParameters.${j}`;
      if (!(PRIVATE_PARAMETER_NAMES as readonly string[]).includes(p.name)) {
        throw new OriginThirdPartyParamFormatError(`\`${pat}.Name\` must be one of ${PRIVATE_PARAMETER_NAMES.join(", ")}; got ${JSON.stringify(p.name)}.`);
      }
      if (names.has(p.name)) throw new OriginThirdPartyParamFormatError(`\`${pat}.Name\` ${p.name} is given twice.`);
      names.add(p.name);
      if (p.value === "") throw new OriginThirdPartyParamFormatError(`\`${pat}.Value\` is empty.`);
      if (p.name === "SignatureVersion" && !(SIGNATURE_VERSIONS as readonly string[]).includes(p.value)) {
        throw new OriginThirdPartyParamFormatError(`\`${pat}.Value\` of SignatureVersion must be v2 or v4; got ${JSON.stringify(p.value)}.`);
      }
      if (p.name === "Region" && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(p.value)) {
        throw new InvalidAwsRegion(`\`${pat}.Value\` ${JSON.stringify(p.value)} is not a region name.`);
      }
    });
  }

  /** A group used by an L4 proxy: no IP/domain mix, at most one domain (reference §6.3). */
  private checkL4Rules(g: OriginGroup, records: Omit<OriginRecord, "recordId">[]): void {
    if (!g.references.some((r) => REFERENCE_KINDS[r.instanceType] === "l4")) return;
    const domains = records.filter((r) => !parseIpAddress(r.record)).length;
    if (domains > 0 && domains < records.length) throw new OriginL4RecordIPV4MixDomain(`Origin group \`${g.groupId}\` is used by an L4 proxy.`);
    if (domains > 1) throw new OriginL4RecordMultiDomain(`Origin group \`${g.groupId}\` is used by an L4 proxy.`);
  }

  // =================================================================================================
  // Security IP groups

  createSecurityIpGroup(account: string, zoneId: string, input: IpGroupInput): number {
    this.zone(zoneId);
    const a = this.account(account);
    // "创建时填 0 即可": the server assigns the id
    if (input.groupId !== 0) throw new SecurityInvalidParameter(`\`IPGroup.GroupId\` must be 0 on create; got ${input.groupId}.`);
    this.checkIpGroupName(a, zoneId, input.name, undefined);
    this.checkRequestSize(input);
    const content = this.parseEntries(input.content, "IPGroup.Content");
    // an IP group with nothing in it cannot be created (stricter; the console requires at least one entry)
    if (content.length === 0) throw new SecurityInvalidParameter("`IPGroup.Content` must not be empty.");
    this.checkGroupSize(content.length);
    const now = this.env.now();
    const schedules = this.parseSchedules(input.ipExpireInfo, now, "required");
    const contentSet = new Set(content);
    for (const [entry] of schedules) {
      if (!contentSet.has(entry)) throw new SecurityInvalidParameter(`\`IPGroup.IPExpireInfo\` entry ${entry} is not in \`IPGroup.Content\`.`);
    }
    const groupId = this.nextIpGroupId++;
    a.ipGroups.set(groupId, {
      groupId,
      zoneId,
      name: input.name,
      content: contentSet,
      expiry: new Map(schedules),
      fired: [],
      references: [],
      nextDue: -Infinity,
    });
    return groupId;
  }

  modifySecurityIpGroup(account: string, zoneId: string, mode: string, input: IpGroupInput): void {
    this.zone(zoneId);
    const a = this.account(account);
    if (mode !== "append" && mode !== "remove" && mode !== "update") {
      throw new SecurityInvalidParameter(`\`Mode\` must be append, remove or update; got ${JSON.stringify(mode)}.`);
    }
    const g = this.ipGroup(a, zoneId, input.groupId);
    const now = this.env.now();
    this.settle(g, now);
    this.checkRequestSize(input);
    if (mode === "update") {
      this.checkIpGroupName(a, zoneId, input.name, g.groupId);
    } else if (input.name !== g.name) {
      // The docs only rename in `update`; a different Name elsewhere is refused rather than ignored (stricter).
      throw new SecurityInvalidParameter(`\`IPGroup.Name\` can only be changed with Mode update (current name ${JSON.stringify(g.name)}).`);
    }
    const content = this.parseEntries(input.content, "IPGroup.Content");
    if (mode === "append") {
      const schedules = this.parseSchedules(input.ipExpireInfo, now, "required");
      const added = content.filter((e) => !g.content.has(e));
      this.checkGroupSize(g.content.size + added.length);
      const incoming = new Set(content);
      for (const [entry] of schedules) {
        if (!g.content.has(entry) && !incoming.has(entry)) {
          throw new SecurityInvalidParameter(`\`IPGroup.IPExpireInfo\` entry ${entry} is neither in the group nor in \`IPGroup.Content\`.`);
        }
      }
      for (const e of added) g.content.add(e);
      for (const [entry, s] of schedules) {
        // a new time overwrites the old one; the entry moves to the end of its new ExpireTime's IPList
        g.expiry.delete(entry);
        g.expiry.set(entry, s);
      }
    } else if (mode === "remove") {
      const schedules = this.parseSchedules(input.ipExpireInfo, now, "forbidden");
      for (const e of content) {
        // removing what is not there is refused (stricter): the caller's view of the group is stale
        if (!g.content.has(e)) throw new SecurityInvalidParameter(`\`IPGroup.Content\` entry ${e} is not in group ${g.groupId}.`);
      }
      for (const [entry] of schedules) {
        if (!g.expiry.has(entry)) throw new SecurityInvalidParameter(`\`IPGroup.IPExpireInfo\` entry ${entry} has no unexpired expiry to remove.`);
      }
      for (const [entry] of schedules) g.expiry.delete(entry);
      for (const e of content) {
        g.content.delete(e);
        g.expiry.delete(e);
      }
    } else {
      // update: an empty Content is ambiguous in the docs ("empty the group" vs "leave it") and is refused
      if (content.length === 0) throw new SecurityInvalidParameter("`IPGroup.Content` must not be empty with Mode update.");
      this.checkGroupSize(content.length);
      const schedules = input.ipExpireInfo === undefined ? undefined : this.parseSchedules(input.ipExpireInfo, now, "required");
      const next = new Set(content);
      if (schedules) {
        for (const [entry] of schedules) {
          // stricter than "in Content or already in the group": an expiry for an entry leaving the group is meaningless
          if (!next.has(entry)) throw new SecurityInvalidParameter(`\`IPGroup.IPExpireInfo\` entry ${entry} is not in \`IPGroup.Content\`.`);
        }
        g.expiry = new Map(schedules);
      } else {
        for (const entry of [...g.expiry.keys()]) if (!next.has(entry)) g.expiry.delete(entry);
      }
      g.content = next;
      g.name = input.name;
    }
    g.contentArray = undefined;
    g.nextDue = -Infinity;
  }

  deleteSecurityIpGroup(account: string, zoneId: string, groupId: number): void {
    this.zone(zoneId);
    const a = this.account(account);
    const g = this.ipGroup(a, zoneId, groupId);
    if (g.references.length > 0) {
      throw new OperationDenied(`IP group ${groupId} is referenced by ${g.references.length} rule(s) and cannot be deleted.`);
    }
    a.ipGroups.delete(groupId);
  }

  /** DescribeSecurityIPGroup: every group of the zone, or those of `groupIds` (unknown ids are simply absent). */
  describeSecurityIpGroups(account: string, zoneId: string, groupIds?: number[]): IpGroupView[] {
    this.zone(zoneId);
    const a = this.account(account);
    const now = this.env.now();
    let groups: IpGroupState[];
    if (groupIds === undefined) {
      groups = [...a.ipGroups.values()].filter((g) => g.zoneId === zoneId);
    } else {
      const seen = new Set<number>();
      groups = [];
      for (const id of groupIds) {
        const g = a.ipGroups.get(id);
        if (g && g.zoneId === zoneId && !seen.has(id)) {
          seen.add(id);
          groups.push(g);
        } else if (!g || g.zoneId !== zoneId) {
          // `settings.unknownIpGroupIds: error`: the reading where an unknown id fails the whole call.
          if (this.settings.unknownIpGroupIds === "error") throw new ResourceNotFound(`IP group ${id} was not found in zone \`${zoneId}\`.`);
        }
      }
    }
    return groups.map((g) => this.view(g, now, DESCRIBE_IP_GROUP_CONTENT_MAX));
  }

  describeSecurityIpGroupContent(
    account: string,
    q: { zoneId: string; groupId: number; offset?: number; limit?: number },
  ): { ipTotalCount: number; ipList: string[] } {
    this.zone(q.zoneId);
    const offset = q.offset ?? 0;
    const limit = q.limit ?? IP_GROUP_CONTENT_LIMIT.default;
    if (!Number.isInteger(offset) || offset < 0) throw new InvalidParameter("The parameter `Offset` must be an integer >= 0.");
    if (!Number.isInteger(limit) || limit < IP_GROUP_CONTENT_LIMIT.min || limit > IP_GROUP_CONTENT_LIMIT.max) {
      throw new InvalidParameter("The parameter `Limit` must be an integer from 1 to 100000.");
    }
    const g = this.ipGroup(this.account(account), q.zoneId, q.groupId);
    this.settle(g, this.env.now());
    return { ipTotalCount: g.content.size, ipList: this.contentList(g).slice(offset, offset + limit) };
  }

  /** Control plane: find an IP group in any account/zone. */
  findIpGroup(groupId: number, account?: string): { account: string; group: IpGroupView } {
    const { id, g } = this.ipGroupAnywhere(groupId, account);
    return { account: id, group: this.view(g, this.env.now(), Infinity) };
  }

  listIpGroups(): { account: string; zoneId: string; group: IpGroupView }[] {
    const now = this.env.now();
    const out: { account: string; zoneId: string; group: IpGroupView }[] = [];
    for (const [id, a] of this.accounts) for (const g of a.ipGroups.values()) out.push({ account: id, zoneId: g.zoneId, group: this.view(g, now, Infinity) });
    return out;
  }

  /**
   * Console-like edit: rename and/or replace the content (same syntax, size and name rules as the API;
   * expiries of entries that leave the group are dropped).
   */
  patchSecurityIpGroup(groupId: number, patch: { name?: string; content?: string[] }, account?: string): void {
    const { id, g } = this.ipGroupAnywhere(groupId, account);
    const a = this.account(id);
    this.settle(g, this.env.now());
    if (patch.name !== undefined) this.checkIpGroupName(a, g.zoneId, patch.name, g.groupId);
    let next: Set<string> | undefined;
    if (patch.content !== undefined) {
      const content = this.parseEntries(patch.content, "Content");
      this.checkGroupSize(content.length);
      next = new Set(content);
    }
    if (patch.name !== undefined) g.name = patch.name;
    if (next) {
      for (const entry of [...g.expiry.keys()]) if (!next.has(entry)) g.expiry.delete(entry);
      g.content = next;
      g.contentArray = undefined;
      g.nextDue = -Infinity;
    }
  }

  deleteIpGroupOutOfBand(groupId: number, account?: string): void {
    const { id, g } = this.ipGroupAnywhere(groupId, account);
    this.accounts.get(id)!.ipGroups.delete(g.groupId);
  }

  deleteOriginGroupOutOfBand(groupId: string, account?: string): void {
    const { account: id } = this.findOriginGroup(groupId, account);
    this.accounts.get(id)!.originGroups.delete(groupId);
  }

  addIpGroupReference(groupId: number, ref: Partial<IpGroupReference>, account?: string): void {
    const { g } = this.ipGroupAnywhere(groupId, account);
    g.references.push({
      entityType: ref.entityType ?? "SecurityPolicy",
      entityId: ref.entityId ?? `policy-${this.env.alnum(8)}`,
      entityName: ref.entityName ?? "",
      subEntityType: ref.subEntityType ?? "CustomRule",
      subEntityId: ref.subEntityId ?? `${this.env.alnum(10)}`,
      subEntityName: ref.subEntityName ?? "",
    });
  }

  clearIpGroupReferences(groupId: number, account?: string): void {
    this.ipGroupAnywhere(groupId, account).g.references = [];
  }

  /** DescribeIPGroupReferences (Limit 1-200, default 20). */
  describeIpGroupReferences(
    account: string,
    q: { zoneId: string; groupId: number; offset?: number; limit?: number },
  ): { totalCount: number; references: (IpGroupReference & { zoneId: string })[] } {
    this.zone(q.zoneId);
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 20;
    if (!Number.isInteger(offset) || offset < 0) throw new InvalidParameter("The parameter `Offset` must be an integer >= 0.");
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new InvalidParameter("The parameter `Limit` must be an integer from 1 to 200.");
    const g = this.ipGroup(this.account(account), q.zoneId, q.groupId);
    return {
      totalCount: g.references.length,
      references: g.references.slice(offset, offset + limit).map((r) => ({ ...r, zoneId: g.zoneId })),
    };
  }

  // ---- IP group helpers ----

  private ipGroupAnywhere(groupId: number, account?: string): { id: string; g: IpGroupState } {
    for (const [id, a] of this.accounts) {
      if (account !== undefined && id !== account) continue;
      const g = a.ipGroups.get(groupId);
      if (g) return { id, g };
    }
    throw new Error(`teo: no security IP group ${groupId}`);
  }

  private ipGroup(a: AccountState, zoneId: string, groupId: number): IpGroupState {
    const g = a.ipGroups.get(groupId);
    // a group is reached through the zone it was created in (stricter than "account-wide")
    if (!g || g.zoneId !== zoneId) throw new ResourceNotFound(`IP group ${groupId} was not found in zone \`${zoneId}\`.`);
    return g;
  }

  private checkIpGroupName(a: AccountState, zoneId: string, name: string, selfId: number | undefined): void {
    if (!IP_GROUP_NAME.test(name)) {
      throw new SecurityInvalidParameter(`\`IPGroup.Name\` must be 1-64 letters, digits, \`_\`, \`-\` or \`.\`; got ${JSON.stringify(name)}.`);
    }
    for (const g of a.ipGroups.values()) {
      if (g.zoneId === zoneId && g.groupId !== selfId && g.name === name) {
        throw new SecurityInvalidParameter(`\`IPGroup.Name\` ${JSON.stringify(name)} is used by IP group ${g.groupId}.`);
      }
    }
  }

  /** Entries in one request = Content + every IPExpireInfo IPList, against the live setting. */
  private checkRequestSize(input: IpGroupInput): void {
    const n = input.content.length + (input.ipExpireInfo ?? []).reduce((s, e) => s + e.ipList.length, 0);
    const max = this.settings.ipEntriesPerRequest;
    if (n > max) throw new SecurityLimitExceeded(`A request may carry at most ${max} entries (Content + IPExpireInfo); got ${n}.`);
  }

  private checkGroupSize(n: number): void {
    const max = this.settings.ipEntriesPerGroup;
    if (n > max) throw new SecurityLimitExceeded(`An IP group may hold at most ${max} entries; it would hold ${n}.`);
  }

  /** Canonical entries, refusing bad syntax, host bits set and duplicates (compared canonically). */
  private parseEntries(list: string[], field: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < list.length; i++) {
      const raw = list[i]!;
      const p = parseIpEntry(raw);
      if (p === "syntax") throw new SecurityInvalidParameter(`\`${field}.${i}\` ${JSON.stringify(raw)} is not an IPv4/IPv6 address or CIDR block.`);
      if (p === "host-bits") throw new SecurityInvalidParameter(`\`${field}.${i}\` ${JSON.stringify(raw)} has host bits set; use the network address.`);
      if (seen.has(p.canonical)) throw new SecurityInvalidParameter(`\`${field}.${i}\` ${JSON.stringify(raw)} is a duplicate (${p.canonical}).`);
      seen.add(p.canonical);
      out.push(p.canonical);
    }
    return out;
  }

  /**
   * IPExpireInfo → [entry, schedule] pairs. `required`: ExpireTime must be RFC 3339 with offset and later than
   * now; `forbidden` (remove mode): ExpireTime must be absent. An entry may appear once across all lists.
   */
  private parseSchedules(info: IpExpireInput[] | undefined, now: number, time: "required" | "forbidden"): [string, Schedule][] {
    const out: [string, Schedule][] = [];
    const seen = new Set<string>();
    (info ?? []).forEach((e, i) => {
      const at = `IPGroup.IPExpireInfo.${i}`;
      let when = 0;
      if (time === "forbidden") {
        if (e.expireTime !== undefined) throw new SecurityInvalidParameter(`\`${at}.ExpireTime\` must be omitted with Mode remove.`);
      } else {
        if (e.expireTime === undefined) throw new SecurityInvalidParameter(`\`${at}.ExpireTime\` is required.`);
        const t = parseRfc3339(e.expireTime);
        if (t === undefined) throw new SecurityInvalidParameter(`\`${at}.ExpireTime\` ${JSON.stringify(e.expireTime)} is not an RFC 3339 time with offset (2026-03-24T16:03:00+08:00).`);
        if (t <= now) throw new SecurityInvalidParameter(`\`${at}.ExpireTime\` ${e.expireTime} is not in the future.`);
        when = t;
      }
      if (e.ipList.length === 0) throw new SecurityInvalidParameter(`\`${at}.IPList\` must not be empty.`);
      for (const entry of this.parseEntries(e.ipList, `${at}.IPList`)) {
        if (seen.has(entry)) throw new SecurityInvalidParameter(`\`${at}.IPList\` entry ${entry} appears in more than one IPExpireInfo item.`);
        seen.add(entry);
        out.push([entry, { expireTime: e.expireTime ?? "", at: when }]);
      }
    });
    return out;
  }

  /** Fire due expiries (entry leaves Content, schedule moves to `fired`) and forget fired ones older than a week. */
  private settle(g: IpGroupState, now: number): void {
    if (g.fired.length > 0 && g.fired[0]!.at + FIRED_RETENTION_MS <= now) {
      g.fired = g.fired.filter((f) => f.at + FIRED_RETENTION_MS > now);
    }
    if (now < g.nextDue) return;
    let next = Infinity;
    const due: [string, Schedule][] = [];
    for (const [entry, s] of g.expiry) {
      if (s.at <= now) due.push([entry, s]);
      else if (s.at < next) next = s.at;
    }
    if (due.length > 0) {
      due.sort((x, y) => x[1].at - y[1].at);
      for (const [entry, s] of due) {
        g.expiry.delete(entry);
        g.content.delete(entry);
        g.fired.push({ entry, expireTime: s.expireTime, at: s.at });
      }
      g.fired.sort((x, y) => x.at - y.at);
      g.fired = g.fired.filter((f) => f.at + FIRED_RETENTION_MS > now);
      g.contentArray = undefined;
    }
    g.nextDue = next;
  }

  /**
   * Content in the order answers list it: insertion order, or sorted (`settings.ipContentOrder`; the doc's example
   * looks sorted, no page says so). Cached until the content or the setting changes.
   */
  private contentList(g: IpGroupState): string[] {
    const order = this.settings.ipContentOrder;
    if (g.contentArray === undefined || g.contentArrayOrder !== order) {
      g.contentArray = order === "sorted" ? [...g.content].sort() : [...g.content];
      g.contentArrayOrder = order;
    }
    return g.contentArray;
  }

  private view(g: IpGroupState, now: number, maxContent: number): IpGroupView {
    this.settle(g, now);
    const content = this.settings.ipContentOrder === "insertion" ? firstEntries(g.content, maxContent) : this.contentList(g).slice(0, maxContent);
    // output IPExpireInfo: pending schedules and schedules fired within the last week, grouped by ExpireTime
    const byTime = new Map<string, { at: number; ipList: string[] }>();
    const add = (entry: string, expireTime: string, at: number) => {
      let b = byTime.get(expireTime);
      if (!b) byTime.set(expireTime, (b = { at, ipList: [] }));
      b.ipList.push(entry);
    };
    for (const f of g.fired) add(f.entry, f.expireTime, f.at);
    for (const [entry, s] of g.expiry) add(entry, s.expireTime, s.at);
    const ipExpireInfo = [...byTime]
      .sort((x, y) => x[1].at - y[1].at)
      .map(([expireTime, b]) => ({ expireTime, ipList: b.ipList }));
    return { groupId: g.groupId, name: g.name, content, ipTotalCount: g.content.size, ipExpireInfo, refCount: g.references.length };
  }
}

// ------------------------------------------------------------------------------------------------

function originGroupInUse(g: OriginGroup): TeoError {
  const r = g.references[0]!;
  const what = `Origin group \`${g.groupId}\` is referenced by ${r.instanceType} \`${r.instanceId}\`.`;
  switch (REFERENCE_KINDS[r.instanceType]) {
    case "domain": return new OriginGroupAccelerationDomainUsed(what);
    case "rule": return new OriginGroupRuleEngineUsed(what);
    case "lb": return new OriginGroupLBUsed(what);
    case "l4": return new OriginGroupL4Used(what);
    default: return new OperationDenied(what);
  }
}

/** DescribeOriginGroup filters (reference §2): ANDed across filters, ORed across values. */
function originGroupFilter(f: FilterInput, i: number): (g: OriginGroup) => boolean {
  const at = `Filters.${i}`;
  if (f.values.length === 0) throw new InvalidParameter(`The parameter \`${at}.Values\` must not be empty.`);
  if (f.values.length > MAX_FILTER_VALUES) throw new InvalidParameter(`The parameter \`${at}.Values\` accepts at most ${MAX_FILTER_VALUES} values.`);
  switch (f.name) {
    case "origin-group-id": {
      if (f.fuzzy) throw new InvalidParameter(`The filter \`origin-group-id\` (\`${at}\`) does not support fuzzy search.`);
      const ids = new Set(f.values);
      return (g) => ids.has(g.groupId);
    }
    case "origin-group-name": {
      if (f.fuzzy) {
        if (f.values.length !== 1) throw new InvalidParameter(`Fuzzy search on \`origin-group-name\` (\`${at}\`) takes exactly one value.`);
        // fuzzy = case-insensitive substring
        const needle = f.values[0]!.toLowerCase();
        return (g) => g.name.toLowerCase().includes(needle);
      }
      const names = new Set(f.values);
      return (g) => names.has(g.name);
    }
    default:
      throw new InvalidParameter(`The parameter \`${at}.Name\` must be origin-group-id or origin-group-name; got ${JSON.stringify(f.name)}.`);
  }
}

export interface TeoSnapshot {
  version: 1;
  zones: Zone[];
  nextIpGroupId: number;
  accounts: Record<
    string,
    {
      originGroups: OriginGroup[];
      ipGroups: {
        groupId: number;
        zoneId: string;
        name: string;
        content: string[];
        expiry: { entry: string; expireTime: string; at: number }[];
        fired: Fired[];
        references: IpGroupReference[];
      }[];
    }
  >;
}
