/**
 * Wire layer of the CIC module: reads API 3.0 JSON params (PascalCase), checks presence and JSON types
 * (MissingParameter / UnknownParameter / InvalidParameter), calls the backend, renders `GroupInfo`.
 * No business rules here. The core adds `RequestId` and renders thrown TencentErrors.
 */
import type { TencentCallContext } from "../core/contract";
import type { CicBackend, CicGroup } from "./models";
import { InvalidParameterType, MissingParameter, UnknownParameter } from "./exceptions";

type WireType = "String" | "Integer" | "Array of String";
type Spec = Record<string, { type: WireType; required?: boolean }>;
type Params = Record<string, unknown>;

/** Request parameters per action (reference §2–6; SDK-TS models). */
export const PARAMS: Record<string, Spec> = {
  CreateGroup: {
    ZoneId: { type: "String", required: true },
    GroupName: { type: "String", required: true },
    Description: { type: "String" },
    GroupType: { type: "String" },
  },
  GetGroup: { ZoneId: { type: "String", required: true }, GroupId: { type: "String", required: true } },
  UpdateGroup: {
    ZoneId: { type: "String", required: true },
    GroupId: { type: "String", required: true },
    NewGroupName: { type: "String" },
    NewDescription: { type: "String" },
  },
  DeleteGroup: { ZoneId: { type: "String", required: true }, GroupId: { type: "String", required: true } },
  ListGroups: {
    ZoneId: { type: "String", required: true },
    NextToken: { type: "String" },
    MaxResults: { type: "Integer" },
    Filter: { type: "String" },
    GroupType: { type: "String" },
    FilterUsers: { type: "Array of String" },
    SortField: { type: "String" },
    SortType: { type: "String" },
    Offset: { type: "Integer" },
  },
};

const isType = (v: unknown, t: WireType): boolean =>
  t === "String" ? typeof v === "string"
  : t === "Integer" ? typeof v === "number" && Number.isInteger(v)
  : Array.isArray(v) && v.every((x) => typeof x === "string");

/** Unknown names first, then missing required ones, then JSON types (`null` is a type error, not "absent"). */
export function checkParams(action: string, params: Params): void {
  const spec = PARAMS[action]!;
  for (const name of Object.keys(params)) if (!(name in spec)) throw new UnknownParameter(name);
  for (const [name, rule] of Object.entries(spec)) {
    if (rule.required && params[name] === undefined) throw new MissingParameter(name);
  }
  for (const [name, rule] of Object.entries(spec)) {
    if (params[name] !== undefined && !isType(params[name], rule.type)) throw new InvalidParameterType(name, rule.type);
  }
}

/** `YYYY-MM-DD HH:MM:SS` in UTC+8 (Asia/Shanghai has no DST); reference §0 "Time format". */
export function formatCicTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace("T", " ");
}

/** Every GroupInfo field, always; `IsSelected` is false unless ListGroups' FilterUsers names a member. */
export function toGroupInfo(g: CicGroup, selectedBy: readonly string[] = []) {
  return {
    GroupName: g.groupName,
    Description: g.description,
    CreateTime: formatCicTime(g.createTime),
    GroupType: g.groupType,
    UpdateTime: formatCicTime(g.updateTime),
    GroupId: g.groupId,
    MemberCount: g.members.length,
    IsSelected: selectedBy.some((u) => g.members.includes(u)),
  };
}

type Handler = (p: any, ctx: TencentCallContext) => Record<string, unknown>;

export function createCicActions(b: CicBackend): Record<string, Handler> {
  const handlers: Record<string, (p: any) => Record<string, unknown>> = {
    CreateGroup: (p) => ({
      GroupInfo: toGroupInfo(b.createGroup(p.ZoneId, { groupName: p.GroupName, description: p.Description, groupType: p.GroupType })),
    }),
    GetGroup: (p) => ({ GroupInfo: toGroupInfo(b.getGroup(p.ZoneId, p.GroupId)) }),
    UpdateGroup: (p) => ({
      GroupInfo: toGroupInfo(b.updateGroup(p.ZoneId, p.GroupId, { groupName: p.NewGroupName, description: p.NewDescription })),
    }),
    DeleteGroup: (p) => {
      b.deleteGroup(p.ZoneId, p.GroupId);
      return {};
    },
    ListGroups: (p) => {
      const page = b.listGroups(p.ZoneId, {
        maxResults: p.MaxResults, nextToken: p.NextToken, filter: p.Filter, groupType: p.GroupType,
        filterUsers: p.FilterUsers, sortField: p.SortField, sortType: p.SortType, offset: p.Offset,
      });
      return {
        Groups: page.groups.map((g) => toGroupInfo(g, page.selectedBy)),
        // NextToken only while IsTruncated (reference §4).
        ...(page.nextToken !== undefined ? { NextToken: page.nextToken } : {}),
        MaxResults: page.maxResults,
        TotalCounts: page.totalCounts,
        IsTruncated: page.isTruncated,
      };
    },
  };
  return Object.fromEntries(
    Object.entries(handlers).map(([action, h]) => [
      action,
      (params: Record<string, unknown>) => {
        checkParams(action, params ?? {});
        return h(params ?? {});
      },
    ]),
  );
}
