/**
 * CIC (Tencent Cloud Organization 2021-03-31) user groups: state and every API rule.
 * No HTTP here: rules throw the classes of ./exceptions; ./responses decodes and renders the wire format.
 * Facts: shared/reference/cic-user-group.md. Where the reference is unclear the stricter choice is taken
 * and listed in emulator/README.md ("### organization (CIC)").
 *
 * One state for the whole emulator (not per account): the emulator serves one tenant; the admin
 * control plane has no account parameter either.
 */
import { createHash } from "node:crypto";
import type { Backend, EmulatorSettings, Env } from "../core/contract";
import { SEED } from "../core/defaults";
import {
  DeleteGroupNotAllowExistUser,
  GroupNameAlreadyExists,
  GroupNameFormatError,
  GroupNotExist,
  GroupOverUpperLimit,
  IdentityCenterNotOpen,
  ManualGroupNotDelete,
  ManualGroupNotUpdate,
  NextTokenInvalid,
  ParamError,
  RoleConfigurationAuthorizationExist,
  SynchronizedGroupNotDelete,
  SynchronizedGroupNotUpdate,
  UserProvisioningExists,
  ZoneIdNotExist,
} from "./exceptions";

/** `^[A-Za-z0-9-]{1,128}$` (reference §2: letters, digits, `-`, max 128). */
export const GROUP_NAME_PATTERN = /^[A-Za-z0-9-]{1,128}$/;
export const DESCRIPTION_MAX = 1024;
/** Groups per space; the real number is unpublished (reference §7). Changeable with admin `setGroupQuota`. */
export const DEFAULT_GROUP_QUOTA = 1000;
export const MAX_RESULTS_DEFAULT = 10;
export const MAX_RESULTS_MIN = 1;
export const MAX_RESULTS_MAX = 100;
export const GROUP_TYPES = ["Manual", "Synchronized"] as const;
export type GroupType = (typeof GROUP_TYPES)[number];
export const SORT_TYPES = ["Asc", "Desc"] as const;
export type SortType = (typeof SORT_TYPES)[number];
/** Default order of ListGroups when SortType is not given: newest first (undocumented; chosen). */
export const DEFAULT_SORT_TYPE: SortType = "Desc";
/**
 * ListGroups `Filter`, as the API page documents it: `<Attribute> <Operator> <Value>`, case-insensitive, attribute
 * `GroupName`, operators `eq` (equals) and `sw` (starts with). Single spaces; the value unquoted, in the name charset.
 */
const FILTER_PATTERN = /^(GroupName) (eq|sw) ([A-Za-z0-9-]{1,128})$/i;

export interface CicZone {
  zoneId: string;
  /** false → every call on the space answers FailedOperation.IdentityCenterNotOpen */
  open: boolean;
  /**
   * Speculative (reference §5/§6 [UNCONFIRMED]): when the space synchronises from an external identity source,
   * Manual groups can be neither updated (ManualGroupNotUpdate) nor deleted (ManualGroupNotDelete). Off by default.
   */
  scimSync: boolean;
}

export interface CicGroup {
  groupId: string;
  zoneId: string;
  groupName: string;
  description: string;
  groupType: GroupType;
  /** epoch ms */
  createTime: number;
  /** epoch ms */
  updateTime: number;
  /** creation order: breaks CreateTime ties (the wire shows seconds only) */
  seq: number;
  /** user ids (`u-...`) */
  members: string[];
  roleAssignments: number;
  userProvisionings: number;
}

export interface NewGroup {
  groupName: string;
  description?: string;
  groupType?: string;
}

export interface GroupPatch {
  groupName?: string;
  description?: string;
}

export interface ListQuery {
  maxResults?: number;
  nextToken?: string;
  filter?: string;
  groupType?: string;
  filterUsers?: string[];
  sortField?: string;
  sortType?: string;
  offset?: number;
}

export interface ListPage {
  groups: CicGroup[];
  /** user ids of FilterUsers, for IsSelected */
  selectedBy: string[];
  nextToken?: string;
  maxResults: number;
  totalCounts: number;
  isTruncated: boolean;
}

interface State {
  zones: Record<string, CicZone>;
  groups: Record<string, CicGroup>;
  seq: number;
  groupQuota: number;
}

const freshState = (): State => ({
  zones: { [SEED.cicZoneId]: { zoneId: SEED.cicZoneId, open: true, scimSync: false } },
  groups: {},
  seq: 0,
  groupQuota: DEFAULT_GROUP_QUOTA,
});

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The predicate of a ListGroups `Filter` (empty = every group); both operators compare ignoring case. */
function nameFilter(filter: string | undefined): (groupName: string) => boolean {
  if (filter === undefined || filter === "") return () => true;
  const m = FILTER_PATTERN.exec(filter);
  if (!m) throw new ParamError("Filter must be of the form `GroupName eq <name>` or `GroupName sw <prefix>`.");
  const value = m[3].toLowerCase();
  return m[2].toLowerCase() === "eq" ? (name) => name.toLowerCase() === value : (name) => name.toLowerCase().startsWith(value);
}

export class CicBackend implements Backend {
  private state: State = freshState();

  constructor(
    private readonly env: Env,
    /** read live: `emptyDescription` */
    readonly settings: EmulatorSettings,
  ) {}

  // ---------------------------------------------------------------- API operations

  createGroup(zoneId: string, input: NewGroup): CicGroup {
    this.openZone(zoneId);
    const groupType = this.checkGroupType(input.groupType ?? "Manual");
    this.checkName(input.groupName);
    const description = this.checkDescription(input.description ?? "");
    const inZone = this.groupsIn(zoneId);
    if (inZone.length >= this.state.groupQuota) throw new GroupOverUpperLimit();
    if (inZone.some((g) => sameName(g.groupName, input.groupName))) throw new GroupNameAlreadyExists();
    return this.insert(zoneId, input.groupName, description, groupType);
  }

  getGroup(zoneId: string, groupId: string): CicGroup {
    this.openZone(zoneId);
    return this.groupIn(zoneId, groupId);
  }

  updateGroup(zoneId: string, groupId: string, patch: GroupPatch): CicGroup {
    const zone = this.openZone(zoneId);
    const group = this.groupIn(zoneId, groupId);
    if (group.groupType === "Synchronized") throw new SynchronizedGroupNotUpdate();
    if (zone.scimSync) throw new ManualGroupNotUpdate();
    // `settings.emptyDescription: ignored`: the reading where `NewDescription: ""` means "no change".
    const ignored = patch.description === "" && this.settings.emptyDescription === "ignored";
    this.applyPatch(group, ignored ? { ...patch, description: undefined } : patch);
    return group;
  }

  deleteGroup(zoneId: string, groupId: string): void {
    const zone = this.openZone(zoneId);
    const group = this.groupIn(zoneId, groupId);
    // Order of refusals is not documented: the group's type first (permanent), then what must be removed.
    if (group.groupType === "Synchronized") throw new SynchronizedGroupNotDelete();
    if (zone.scimSync) throw new ManualGroupNotDelete();
    if (group.members.length > 0) throw new DeleteGroupNotAllowExistUser();
    if (group.roleAssignments > 0) throw new RoleConfigurationAuthorizationExist();
    if (group.userProvisionings > 0) throw new UserProvisioningExists();
    delete this.state.groups[groupId];
  }

  listGroups(zoneId: string, q: ListQuery): ListPage {
    this.openZone(zoneId);
    const maxResults = q.maxResults ?? MAX_RESULTS_DEFAULT;
    if (!Number.isInteger(maxResults) || maxResults < MAX_RESULTS_MIN || maxResults > MAX_RESULTS_MAX) {
      throw new ParamError(`MaxResults must be between ${MAX_RESULTS_MIN} and ${MAX_RESULTS_MAX}.`);
    }
    if (q.sortField !== undefined && q.sortField !== "CreateTime") throw new ParamError("SortField must be CreateTime.");
    if (q.sortType !== undefined && !(SORT_TYPES as readonly string[]).includes(q.sortType)) {
      throw new ParamError("SortType must be Asc or Desc.");
    }
    if (q.sortType !== undefined && q.sortField === undefined) {
      throw new ParamError("SortType must be set together with SortField.");
    }
    if (q.groupType !== undefined) this.checkGroupType(q.groupType);
    const nameMatches = nameFilter(q.filter);
    if (q.offset !== undefined && (!Number.isInteger(q.offset) || q.offset < 0)) {
      throw new ParamError("Offset must be a non-negative integer.");
    }
    const desc = (q.sortType ?? DEFAULT_SORT_TYPE) === "Desc";
    const fingerprint = queryFingerprint(zoneId, q, maxResults);

    const all = this.groupsIn(zoneId)
      .filter((g) => nameMatches(g.groupName))
      .filter((g) => q.groupType === undefined || g.groupType === q.groupType)
      .sort((a, b) => compareKey(keyOf(a), keyOf(b)) * (desc ? -1 : 1));

    let start: number;
    if (q.nextToken !== undefined) {
      // NextToken wins over Offset (reference §4). The token is a keyset cursor, so a group deleted between
      // two pages does not shift the next page.
      const cursor = decodeToken(q.nextToken, fingerprint);
      start = all.findIndex((g) => compareKey(keyOf(g), cursor) * (desc ? -1 : 1) > 0);
      if (start < 0) start = all.length;
    } else {
      start = Math.min(q.offset ?? 0, all.length);
    }
    const groups = all.slice(start, start + maxResults);
    const isTruncated = start + groups.length < all.length;
    const last = groups[groups.length - 1];
    return {
      groups,
      selectedBy: q.filterUsers ?? [],
      nextToken: isTruncated && last ? encodeToken(keyOf(last), fingerprint) : undefined,
      maxResults,
      totalCounts: all.length,
      isTruncated,
    };
  }

  // ---------------------------------------------------------------- rules shared by API and console

  private openZone(zoneId: string): CicZone {
    const zone = this.state.zones[zoneId];
    if (!zone) throw new ZoneIdNotExist();
    if (!zone.open) throw new IdentityCenterNotOpen();
    return zone;
  }

  private groupIn(zoneId: string, groupId: string): CicGroup {
    const g = this.state.groups[groupId];
    if (!g || g.zoneId !== zoneId) throw new GroupNotExist();
    return g;
  }

  private groupsIn(zoneId: string): CicGroup[] {
    return Object.values(this.state.groups).filter((g) => g.zoneId === zoneId);
  }

  private checkName(name: string): void {
    if (!GROUP_NAME_PATTERN.test(name)) throw new GroupNameFormatError();
  }

  private checkDescription(description: string): string {
    // Characters = Unicode code points.
    if ([...description].length > DESCRIPTION_MAX) {
      throw new ParamError(`Description must be at most ${DESCRIPTION_MAX} characters.`);
    }
    return description;
  }

  private checkGroupType(t: string): GroupType {
    if (!(GROUP_TYPES as readonly string[]).includes(t)) throw new ParamError("GroupType must be Manual or Synchronized.");
    return t as GroupType;
  }

  /** Name rules are enforced on update too, and uniqueness is case-insensitive (both stricter choices). */
  private applyPatch(group: CicGroup, patch: GroupPatch): void {
    if (patch.groupName !== undefined) {
      this.checkName(patch.groupName);
      const taken = this.groupsIn(group.zoneId).some(
        (g) => g.groupId !== group.groupId && sameName(g.groupName, patch.groupName!),
      );
      if (taken) throw new GroupNameAlreadyExists();
    }
    if (patch.description !== undefined) this.checkDescription(patch.description);
    if (patch.groupName !== undefined) group.groupName = patch.groupName;
    // "" clears the description (the API has no other way to clear it).
    if (patch.description !== undefined) group.description = patch.description;
    group.updateTime = this.env.now();
  }

  private insert(zoneId: string, groupName: string, description: string, groupType: GroupType): CicGroup {
    let groupId: string;
    do groupId = `g-${this.env.alnum(12)}`;
    while (this.state.groups[groupId]);
    const now = this.env.now();
    const group: CicGroup = {
      groupId, zoneId, groupName, description, groupType,
      createTime: now, updateTime: now, seq: ++this.state.seq,
      members: [], roleAssignments: 0, userProvisionings: 0,
    };
    this.state.groups[groupId] = group;
    return group;
  }

  private anyGroup(groupId: unknown): CicGroup {
    const g = typeof groupId === "string" ? this.state.groups[groupId] : undefined;
    if (!g) throw new Error(`admin: no CIC group ${String(groupId)}`);
    return g;
  }

  // ---------------------------------------------------------------- Backend

  snapshot(): unknown {
    return structuredClone(this.state);
  }

  restore(data: unknown): void {
    const d = data as Partial<State> | undefined;
    if (!d || typeof d !== "object" || typeof d.zones !== "object" || typeof d.groups !== "object") {
      throw new Error("CIC restore: not a CIC snapshot");
    }
    this.state = {
      zones: structuredClone(d.zones!),
      groups: structuredClone(d.groups!),
      seq: typeof d.seq === "number" ? d.seq : Object.keys(d.groups!).length,
      groupQuota: typeof d.groupQuota === "number" ? d.groupQuota : DEFAULT_GROUP_QUOTA,
    };
  }

  reset(): void {
    this.state = freshState();
  }

  resourceCount(): number {
    return Object.keys(this.state.groups).length;
  }

  /** Control plane: what a console, a SCIM sync or another team would do out of band. */
  admin(op: string, args: Record<string, any>): unknown {
    switch (op) {
      case "addZone": {
        const zoneId = String(args.zoneId ?? "");
        // Any `z-` id is accepted, so the masked ids of the doc examples (`z-s8shs8bd***`) can be seeded verbatim.
        if (!/^z-\S+$/.test(zoneId)) throw new Error("admin addZone: zoneId must start with z-");
        const existing = this.state.zones[zoneId];
        this.state.zones[zoneId] = { zoneId, open: args.open ?? existing?.open ?? true, scimSync: existing?.scimSync ?? false };
        return { ...this.state.zones[zoneId] };
      }
      case "setIdentityCenterOpen":
      case "setScimSync": {
        const zone = this.state.zones[String(args.zoneId)];
        if (!zone) throw new Error(`admin ${op}: no CIC zone ${String(args.zoneId)}`);
        if (op === "setIdentityCenterOpen") zone.open = Boolean(args.open);
        else zone.scimSync = Boolean(args.enabled);
        return { ...zone };
      }
      case "setGroupQuota": {
        const quota = Number(args.quota);
        if (!Number.isInteger(quota) || quota < 0) throw new Error("admin setGroupQuota: quota must be an integer ≥ 0");
        this.state.groupQuota = quota;
        return { groupQuota: quota };
      }
      case "patchGroup": {
        // A console edit: same name/description rules, bumps UpdateTime, allowed on any group type.
        const g = this.anyGroup(args.groupId);
        this.applyPatch(g, { groupName: args.GroupName, description: args.Description });
        return this.adminView(g);
      }
      case "deleteGroup": {
        const g = this.anyGroup(args.groupId);
        delete this.state.groups[g.groupId];
        return { deleted: g.groupId };
      }
      case "addMember": {
        const g = this.anyGroup(args.groupId);
        const userId = String(args.userId ?? `u-${this.env.alnum(11)}`);
        if (!g.members.includes(userId)) g.members.push(userId);
        return this.adminView(g);
      }
      case "removeMembers": {
        const g = this.anyGroup(args.groupId);
        g.members = args.userId === undefined ? [] : g.members.filter((u) => u !== args.userId);
        return this.adminView(g);
      }
      case "addRoleAssignment":
        this.anyGroup(args.groupId).roleAssignments++;
        return this.adminView(this.anyGroup(args.groupId));
      case "clearRoleAssignments":
        this.anyGroup(args.groupId).roleAssignments = 0;
        return this.adminView(this.anyGroup(args.groupId));
      case "addUserProvisioning":
        this.anyGroup(args.groupId).userProvisionings++;
        return this.adminView(this.anyGroup(args.groupId));
      case "clearUserProvisionings":
        this.anyGroup(args.groupId).userProvisionings = 0;
        return this.adminView(this.anyGroup(args.groupId));
      case "createSynchronizedGroup": {
        // What an identity-source sync would create: same name rules, no quota check.
        const zoneId = String(args.zoneId ?? SEED.cicZoneId);
        if (!this.state.zones[zoneId]) throw new ZoneIdNotExist();
        const name = String(args.GroupName ?? "");
        this.checkName(name);
        const description = this.checkDescription(String(args.Description ?? ""));
        if (this.groupsIn(zoneId).some((g) => sameName(g.groupName, name))) throw new GroupNameAlreadyExists();
        return this.adminView(this.insert(zoneId, name, description, "Synchronized"));
      }
      case "getGroup":
        return this.adminView(this.anyGroup(args.groupId));
      case "listGroups":
        return Object.values(this.state.groups)
          .filter((g) => args.zoneId === undefined || g.zoneId === args.zoneId)
          .sort((a, b) => a.seq - b.seq)
          .map((g) => this.adminView(g));
      case "listZones":
        return Object.values(this.state.zones).map((z) => ({ ...z }));
      default:
        throw new Error(`unknown admin op ${op} for organization`);
    }
  }

  private adminView(g: CicGroup) {
    return { ...structuredClone(g), memberCount: g.members.length };
  }
}

// ---------------------------------------------------------------- ListGroups cursor

type Key = [createTime: number, seq: number];
const keyOf = (g: CicGroup): Key => [g.createTime, g.seq];
const compareKey = (a: Key, b: Key) => a[0] - b[0] || a[1] - b[1];

/** Binds a token to the query it was issued for ("other parameters unchanged", reference §4). */
function queryFingerprint(zoneId: string, q: ListQuery, maxResults: number): string {
  const canonical = JSON.stringify([zoneId, q.filter ?? "", q.groupType ?? "", q.sortField ?? "", q.sortType ?? "",
    [...(q.filterUsers ?? [])].sort(), maxResults]);
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

function encodeToken(key: Key, fingerprint: string): string {
  return Buffer.from(`${key[0].toString(36)}.${key[1].toString(36)}.${fingerprint}`).toString("base64");
}

function decodeToken(token: string, fingerprint: string): Key {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) throw new NextTokenInvalid();
  const m = /^([0-9a-z]+)\.([0-9a-z]+)\.([0-9a-f]{16})$/.exec(Buffer.from(token, "base64").toString("latin1"));
  if (!m || m[3] !== fingerprint) throw new NextTokenInvalid();
  return [parseInt(m[1]!, 36), parseInt(m[2]!, 36)];
}
