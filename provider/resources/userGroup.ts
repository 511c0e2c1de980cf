/**
 * UserGroup: a Tencent Cloud Organization / Cloud Identity Center (organization 2021-03-31) user group.
 * API facts: shared/reference/cic-user-group.md.
 */
import { z } from "zod";
import { ApiError, EdgeconfError } from "../clients/errors";
import { snapshotReader, type SnapshotSource } from "./batch";
import type { OperationContext, ProviderContext } from "./context";
import type { CheckFailure, ResourceDefinition } from "./lifecycle";
import type { UserGroupState } from "../classes/userGroup";

const CIC = { service: "organization", version: "2021-03-31" } as const;
const LIST_PAGE = 100;

// ---------------------------------------------------------------- schema

export const UserGroupInputs = z.strictObject({
  zoneId: z.string().regex(/^z-[0-9a-z]+$/, "must be a CIC space id like z-s64jh54hbcra"),
  groupName: z.string().regex(/^[A-Za-z0-9-]{1,128}$/, "must be 1-128 characters of letters, digits and -"),
  description: z.string().max(1024, "must be at most 1024 characters").optional(),
  groupType: z.enum(["Manual", "Synchronized"]).default("Manual"),
});
export type UserGroupInputs = z.output<typeof UserGroupInputs>;

// ---------------------------------------------------------------- wire mapping and normalisation

interface GroupInfo {
  GroupId: string;
  GroupName: string;
  Description?: string;
  GroupType: "Manual" | "Synchronized";
  MemberCount: number;
  CreateTime: string;
  UpdateTime: string;
}

const fromApi = (zoneId: string, g: GroupInfo): UserGroupState => ({
  zoneId,
  groupName: g.GroupName,
  description: g.Description ?? "",
  groupType: g.GroupType,
  groupId: g.GroupId,
  memberCount: g.MemberCount,
  createTime: g.CreateTime,
  updateTime: g.UpdateTime,
});

const comparable = (i: UserGroupInputs) => ({
  zoneId: i.zoneId,
  groupName: i.groupName,
  description: i.description ?? "",
  groupType: i.groupType,
});

const inputsOf = (s: UserGroupState): UserGroupInputs => ({
  zoneId: s.zoneId,
  groupName: s.groupName,
  ...(s.description ? { description: s.description } : {}),
  groupType: s.groupType,
});

// ---------------------------------------------------------------- CRUD

type Ctx = ProviderContext;
const call = <T extends object>(ctx: Ctx, action: string, params: object, op: OperationContext, idempotent?: boolean) =>
  ctx.tencent().call<T>(CIC.service, CIC.version, action, params, { deadline: op.deadline, idempotent });

const isGone = (err: unknown) => err instanceof ApiError && err.apiCode === "InvalidParameter.GroupNotExist";

/** One GetGroup; undefined when the group does not exist. */
async function getGroup(ctx: Ctx, zoneId: string, id: string, op: OperationContext): Promise<GroupInfo | undefined> {
  try {
    return (await call<{ GroupInfo: GroupInfo }>(ctx, "GetGroup", { ZoneId: zoneId, GroupId: id }, op)).GroupInfo;
  } catch (err) {
    if (isGone(err)) return undefined; // the Terraform provider fails refresh here instead
    throw err;
  }
}

/** Reads of one space share ListGroups (100 groups a call, NextToken paging); a lone read is a GetGroup. */
function userGroupSource(ctx: Ctx): SnapshotSource<GroupInfo> {
  const op = (): OperationContext => ({ deadline: Date.now() + 120_000, description: "reading UserGroup", timeoutSeconds: 120 });
  return {
    list: async (zoneId, keepPaging) => {
      const items = new Map<string, GroupInfo>();
      for (let NextToken: string | undefined; ; ) {
        const page = await call<{ Groups: GroupInfo[]; IsTruncated: boolean; NextToken?: string; TotalCounts: number }>(ctx, "ListGroups", {
          ZoneId: zoneId, MaxResults: LIST_PAGE, ...(NextToken ? { NextToken } : {}),
        }, op());
        for (const g of page.Groups) items.set(g.GroupId, g);
        NextToken = page.IsTruncated ? page.NextToken : undefined;
        if (!NextToken) return { items, complete: true };
        if (!keepPaging(page.TotalCounts)) return { items, complete: false };
      }
    },
    get: async (zoneId, ids) => {
      const found = await Promise.all(ids.map((id) => getGroup(ctx, zoneId, id, op())));
      return new Map(found.filter((g): g is GroupInfo => g !== undefined).map((g) => [g.GroupId, g]));
    },
    listCalls: (total) => Math.max(1, Math.ceil(total / LIST_PAGE)),
    getCalls: (n) => n,
  };
}

async function read(ctx: Ctx, id: string, where: { zoneId: string }) {
  const group = await snapshotReader(ctx, "UserGroup", () => userGroupSource(ctx)).read(where.zoneId, id);
  return group ? fromApi(where.zoneId, group) : undefined;
}

async function create(ctx: Ctx, i: UserGroupInputs, op: OperationContext) {
  const { GroupInfo } = await call<{ GroupInfo: GroupInfo }>(ctx, "CreateGroup", {
    ZoneId: i.zoneId,
    GroupName: i.groupName,
    ...(i.description ? { Description: i.description } : {}),
    GroupType: i.groupType,
  }, op, false).catch((err) => {
    throw explained(err, { zoneId: i.zoneId, groupName: i.groupName });
  });
  return fromApi(i.zoneId, GroupInfo);
}

/**
 * UpdateGroup takes only what changed; an empty NewDescription clears it (the Terraform provider cannot). Whether
 * the API really clears on `""` is not documented (emulator `emptyDescription`): a clear is verified by reading
 * the group back, and reported when the cloud kept the description.
 */
async function update(ctx: Ctx, id: string, olds: UserGroupState, news: UserGroupInputs, op: OperationContext) {
  const before = comparable(inputsOf(olds));
  const after = comparable(news);
  const params: Record<string, unknown> = {};
  if (before.groupName !== after.groupName) params.NewGroupName = after.groupName;
  if (before.description !== after.description) params.NewDescription = after.description;
  if (Object.keys(params).length === 0) {
    const live = olds.groupId ? undefined : await getGroup(ctx, news.zoneId, id, op);
    return live ? fromApi(news.zoneId, live) : olds;
  }
  const { GroupInfo } = await call<{ GroupInfo: GroupInfo }>(ctx, "UpdateGroup", { ZoneId: news.zoneId, GroupId: id, ...params }, op)
    .catch((err) => {
      throw explained(err, { zoneId: news.zoneId, groupId: id, groupName: news.groupName });
    });
  // An answer may echo the request: only a fresh read shows whether a clear took effect.
  if (params.NewDescription !== "") return fromApi(news.zoneId, GroupInfo);
  const fresh = await getGroup(ctx, news.zoneId, id, op);
  return descriptionCleared(id, fromApi(news.zoneId, fresh ?? GroupInfo));
}

/** A description the API would not clear is an error that says so, not a diff that comes back on every run. */
function descriptionCleared(id: string, state: UserGroupState): UserGroupState {
  if (state.description === "") return state;
  throw new EdgeconfError(
    `UpdateGroup succeeded, but user group ${id} still has its description: this Cloud Identity Center API takes an ` +
      "empty NewDescription as \"no change\", so a description cannot be removed through it. Keep a description in " +
      "the program (the current one reads back as " + JSON.stringify(state.description.slice(0, 80)) + "), or clear it " +
      "in the CIC console and run `pulumi refresh`.",
  );
}

interface Subject { zoneId: string; groupId?: string; groupName?: string }

/**
 * Refusals the API states in a short sentence, with what the user must do about them. The codes stay as the API
 * sent them (callers branch on `apiCode`); only the message gains the group and the remedy.
 */
const REFUSALS: Record<string, (s: Subject) => string> = {
  "FailedOperation.DeleteGroupNotAllowExistUser": () => "the group still has members; remove its users first",
  "FailedOperation.RoleConfigurationAuthorizationExist": () =>
    "the group is assigned a permission configuration; remove those authorizations first",
  "FailedOperation.UserProvisioningExists": () => "a user-synchronization provisioning uses the group; delete that provisioning first",
  "FailedOperation.SynchronizedGroupNotDelete": () =>
    "the group is synchronized from an identity source and can only be removed there (or set retainOnDelete to drop it from the stack)",
  "FailedOperation.SynchronizedGroupNotUpdate": () =>
    "the group is synchronized from an identity source and can only be changed there",
  "InvalidParameter.GroupNameAlreadyExists": (s) =>
    `another group named "${s.groupName}" already exists in space ${s.zoneId} (names are unique per space, ignoring case); ` +
    "choose another groupName",
  "FailedOperation.ZoneIdNotExist": (s) => `CIC space ${s.zoneId} does not exist; check zoneId`,
  "FailedOperation.IdentityCenterNotOpen": (s) => `Cloud Identity Center is not enabled for space ${s.zoneId}; enable it in the console first`,
};

function explained(err: unknown, s: Subject): unknown {
  const advice = err instanceof ApiError ? REFUSALS[err.apiCode] : undefined;
  if (!advice || !(err instanceof ApiError)) return err;
  const who = s.groupId ? `User group ${s.groupId}` : `User group "${s.groupName}"`;
  return new ApiError(err.apiCode, `${err.apiMessage} ${who}: ${advice(s)}.`, {
    service: err.service, action: err.action, requestId: err.requestId, httpStatus: err.httpStatus,
  });
}

async function remove(ctx: Ctx, id: string, olds: UserGroupState, op: OperationContext) {
  await call(ctx, "DeleteGroup", { ZoneId: olds.zoneId, GroupId: id }, op).catch((err) => {
    throw explained(err, { zoneId: olds.zoneId, groupId: id });
  });
}

/** Names are unique per space: after an ambiguous create, the name finds the group if it was made. */
async function findExisting(ctx: Ctx, i: UserGroupInputs, op: OperationContext) {
  let NextToken: string | undefined;
  do {
    const page = await call<{ Groups: GroupInfo[]; IsTruncated: boolean; NextToken?: string }>(ctx, "ListGroups", {
      ZoneId: i.zoneId, MaxResults: LIST_PAGE, Filter: `GroupName eq ${i.groupName}`, ...(NextToken ? { NextToken } : {}),
    }, op);
    // Exact case first: whether names are unique ignoring case is not documented, so "Ops" and "ops" may coexist.
    const match = page.Groups.find((g) => g.GroupName === i.groupName) ??
      page.Groups.find((g) => g.GroupName.toLowerCase() === i.groupName.toLowerCase());
    if (match) return fromApi(i.zoneId, match);
    NextToken = page.IsTruncated ? page.NextToken : undefined;
  } while (NextToken);
  return undefined;
}

/** Synchronized groups belong to the identity source: say so at preview instead of failing the update. */
function synchronizedFailures(olds: Record<string, unknown> | undefined, news: UserGroupInputs): CheckFailure[] {
  if (!olds || olds.groupType !== "Synchronized" || news.groupType !== "Synchronized") return [];
  const failures: CheckFailure[] = [];
  if (olds.groupName !== undefined && olds.groupName !== news.groupName) {
    failures.push({ property: "groupName", reason: "synchronized groups cannot be renamed here; change them in the identity source" });
  }
  if ((olds.description ?? "") !== (news.description ?? "")) {
    failures.push({ property: "description", reason: "synchronized groups cannot be updated here; change them in the identity source" });
  }
  return failures;
}

export const userGroup: ResourceDefinition<UserGroupInputs, UserGroupState> = {
  kind: "UserGroup",
  schema: UserGroupInputs,
  replaceOnChange: ["zoneId", "groupType"],
  autoName: { property: "groupName", maxLength: 128, sanitize: (s) => s.replace(/[^A-Za-z0-9-]/g, "-") || "group" },
  naturalKey: (i) => `${i.zoneId}/${i.groupName.toLowerCase()}`,
  comparable,
  inputsOf,
  idOf: (s) => s.groupId,
  isNotFound: isGone,
  newFailures: synchronizedFailures,
  create,
  scopeOf: (where) => where.zoneId,
  read: (ctx, id, where) => read(ctx, id, where as { zoneId: string }),
  update,
  delete: remove,
  findExisting,
};
