import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, TencentError, type TencentService } from "../../../emulator/core/contract";
import { SEED } from "../../../emulator/core/defaults";
import { createCicService } from "../../../emulator/cic";
import { fixedEnv } from "../../support/fixedEnv";

const Z = SEED.cicZoneId;
const ctx = { account: "AKIDTEST", requestId: "00000000-0000-4000-8000-000000000000" };

function setup() {
  const env = fixedEnv();
  const svc = createCicService(env, { ...DEFAULT_SETTINGS });
  const call = (action: string, params: Record<string, unknown>): any => {
    const h = svc.actions[action];
    if (!h) throw new Error(`no action ${action}`);
    return h(params, ctx);
  };
  const codeOf = (action: string, params: Record<string, unknown>): string => {
    try {
      call(action, params);
    } catch (e) {
      if (e instanceof TencentError) return e.code;
      throw e;
    }
    return "OK";
  };
  const admin = (op: string, args: Record<string, unknown> = {}): any => svc.backend.admin(op, args);
  const create = (GroupName: string, extra: Record<string, unknown> = {}) =>
    call("CreateGroup", { ZoneId: Z, GroupName, ...extra }).GroupInfo;
  return { env, svc, call, codeOf, admin, create };
}

describe("CIC service module", () => {
  it("declares service organization, version 2021-03-31 and the five actions", () => {
    const { svc } = setup();
    expect(svc.service).toBe("organization");
    expect(svc.version).toBe("2021-03-31");
    expect(Object.keys(svc.actions).sort()).toEqual(["CreateGroup", "DeleteGroup", "GetGroup", "ListGroups", "UpdateGroup"]);
  });
});

describe("CreateGroup", () => {
  it("returns every GroupInfo field, MemberCount 0, equal times in UTC+8 and a g- id", () => {
    const { call } = setup();
    const r = call("CreateGroup", { ZoneId: Z, GroupName: "testGroup", Description: "this is group" });
    expect(r.GroupInfo).toEqual({
      GroupName: "testGroup", Description: "this is group", CreateTime: "2024-01-01 12:12:12", GroupType: "Manual",
      UpdateTime: "2024-01-01 12:12:12", GroupId: expect.stringMatching(/^g-[a-z0-9]{12}$/), MemberCount: 0, IsSelected: false,
    });
  });

  it("defaults Description to an empty string and accepts GroupType Synchronized", () => {
    const { create } = setup();
    expect(create("a").Description).toBe("");
    expect(create("b", { GroupType: "Synchronized" }).GroupType).toBe("Synchronized");
  });

  it("accepts a 128-character name and a 1024-character description", () => {
    const { create } = setup();
    const g = create("a".repeat(128), { Description: "é".repeat(1024) });
    expect(g.GroupName).toHaveLength(128);
  });

  it.each([
    ["empty name", { GroupName: "" }, "InvalidParameter.GroupNameFormatError"],
    ["129-character name", { GroupName: "a".repeat(129) }, "InvalidParameter.GroupNameFormatError"],
    ["underscore", { GroupName: "a_b" }, "InvalidParameter.GroupNameFormatError"],
    ["space", { GroupName: "a b" }, "InvalidParameter.GroupNameFormatError"],
    ["dot", { GroupName: "a.b" }, "InvalidParameter.GroupNameFormatError"],
    ["Chinese", { GroupName: "用户组" }, "InvalidParameter.GroupNameFormatError"],
    ["1025-character description", { GroupName: "a", Description: "x".repeat(1025) }, "InvalidParameter.ParamError"],
    ["bad GroupType", { GroupName: "a", GroupType: "manual" }, "InvalidParameter.ParamError"],
    ["unknown zone", { ZoneId: "z-doesnotexist", GroupName: "a" }, "FailedOperation.ZoneIdNotExist"],
    ["missing ZoneId", { ZoneId: undefined, GroupName: "a" }, "MissingParameter"],
    ["missing GroupName", { GroupName: undefined }, "MissingParameter"],
    ["unknown parameter", { GroupName: "a", Name: "a" }, "UnknownParameter"],
    ["lowercase parameter name", { GroupName: "a", description: "x" }, "UnknownParameter"],
    ["number as GroupName", { GroupName: 12 }, "InvalidParameter"],
    ["null Description", { GroupName: "a", Description: null }, "InvalidParameter"],
  ])("rejects %s", (_name, params, code) => {
    const { codeOf } = setup();
    const p: Record<string, unknown> = { ZoneId: Z, ...params };
    for (const k of Object.keys(p)) if (p[k] === undefined) delete p[k];
    expect(codeOf("CreateGroup", p)).toBe(code);
  });

  it("names the parameter in MissingParameter and UnknownParameter messages", () => {
    const { call } = setup();
    expect(() => call("CreateGroup", { ZoneId: Z })).toThrow("The request is missing a required parameter `GroupName`.");
    expect(() => call("CreateGroup", { ZoneId: Z, GroupName: "a", Foo: 1 })).toThrow("The parameter `Foo` is not recognized.");
  });

  it("refuses a duplicate name in the same space, case-insensitively", () => {
    const { create, codeOf } = setup();
    create("web-Admins");
    expect(codeOf("CreateGroup", { ZoneId: Z, GroupName: "web-Admins" })).toBe("InvalidParameter.GroupNameAlreadyExists");
    expect(codeOf("CreateGroup", { ZoneId: Z, GroupName: "WEB-admins" })).toBe("InvalidParameter.GroupNameAlreadyExists");
  });

  it("allows the same name in another space", () => {
    const { create, admin, codeOf } = setup();
    create("ops");
    admin("addZone", { zoneId: "z-other1" });
    expect(codeOf("CreateGroup", { ZoneId: "z-other1", GroupName: "ops" })).toBe("OK");
  });

  it("enforces the per-space group quota with FailedOperation.GroupOverUpperLimit", () => {
    const { create, admin, codeOf } = setup();
    admin("setGroupQuota", { quota: 2 });
    create("a");
    create("b");
    expect(codeOf("CreateGroup", { ZoneId: Z, GroupName: "c" })).toBe("FailedOperation.GroupOverUpperLimit");
  });

  it("has a default quota of 1000 groups per space", () => {
    const { create, codeOf } = setup();
    for (let i = 0; i < 1000; i++) create(`g${i}`);
    expect(codeOf("CreateGroup", { ZoneId: Z, GroupName: "one-more" })).toBe("FailedOperation.GroupOverUpperLimit");
  });
});

describe("space switches", () => {
  it.each([
    ["CreateGroup", { GroupName: "a" }],
    ["GetGroup", { GroupId: "g-000000000001" }],
    ["UpdateGroup", { GroupId: "g-000000000001", NewDescription: "x" }],
    ["DeleteGroup", { GroupId: "g-000000000001" }],
    ["ListGroups", {}],
  ])("%s answers ZoneIdNotExist for an unknown space and IdentityCenterNotOpen when CIC is off", (action, params) => {
    const { codeOf, admin } = setup();
    expect(codeOf(action, { ZoneId: "z-unknown", ...params })).toBe("FailedOperation.ZoneIdNotExist");
    admin("setIdentityCenterOpen", { zoneId: Z, open: false });
    expect(codeOf(action, { ZoneId: Z, ...params })).toBe("FailedOperation.IdentityCenterNotOpen");
  });

  it("serves a space again once CIC is re-enabled", () => {
    const { codeOf, admin } = setup();
    admin("addZone", { zoneId: "z-closed", open: false });
    expect(codeOf("ListGroups", { ZoneId: "z-closed" })).toBe("FailedOperation.IdentityCenterNotOpen");
    admin("setIdentityCenterOpen", { zoneId: "z-closed", open: true });
    expect(codeOf("ListGroups", { ZoneId: "z-closed" })).toBe("OK");
  });
});

describe("GetGroup", () => {
  it("returns the group and reflects members in MemberCount", () => {
    const { create, call, admin } = setup();
    const g = create("devs");
    admin("addMember", { groupId: g.GroupId, userId: "u-dnjw8dndjde" });
    admin("addMember", { groupId: g.GroupId, userId: "u-second" });
    admin("addMember", { groupId: g.GroupId, userId: "u-second" });
    expect(call("GetGroup", { ZoneId: Z, GroupId: g.GroupId }).GroupInfo).toEqual({ ...g, MemberCount: 2 });
  });

  it.each([
    ["an unknown id", () => "g-nothere00000"],
  ])("answers InvalidParameter.GroupNotExist for %s", (_n, id) => {
    const { codeOf } = setup();
    expect(codeOf("GetGroup", { ZoneId: Z, GroupId: id() })).toBe("InvalidParameter.GroupNotExist");
  });

  it("answers InvalidParameter.GroupNotExist for a group of another space", () => {
    const { create, admin, codeOf } = setup();
    const g = create("x");
    admin("addZone", { zoneId: "z-other2" });
    expect(codeOf("GetGroup", { ZoneId: "z-other2", GroupId: g.GroupId })).toBe("InvalidParameter.GroupNotExist");
  });
});

describe("UpdateGroup", () => {
  it("round-trips the official example (seed 004): same request, same response shape", () => {
    const { call, admin, env } = setup();
    admin("addZone", { zoneId: "z-s8shs8bd***" });
    const created = call("CreateGroup", { ZoneId: "z-s8shs8bd***", GroupName: "oldName" }).GroupInfo;
    env.advance(60_000);
    const request = { ZoneId: "z-s8shs8bd***", GroupId: created.GroupId, NewGroupName: "testGroup", NewDescription: "this is group." };
    const r = call("UpdateGroup", request);
    const example = {
      GroupInfo: { GroupName: "testGroup", Description: "this is group", CreateTime: "2024-01-01 12:12:12", GroupType: "Manual",
        UpdateTime: "2024-01-01 12:12:12", GroupId: "g-w8hd8n***", MemberCount: 20 },
    };
    expect(Object.keys(r)).toEqual(Object.keys(example));
    for (const [k, v] of Object.entries(example.GroupInfo)) expect(typeof r.GroupInfo[k], k).toBe(typeof v);
    expect(r.GroupInfo).toMatchObject({ GroupName: "testGroup", Description: "this is group.", GroupType: "Manual",
      CreateTime: "2024-01-01 12:12:12", UpdateTime: "2024-01-01 12:13:12", GroupId: created.GroupId, MemberCount: 0 });
  });

  it("bumps UpdateTime and keeps CreateTime", () => {
    const { create, call, env } = setup();
    const g = create("a");
    env.advance(3_600_000);
    const u = call("UpdateGroup", { ZoneId: Z, GroupId: g.GroupId, NewDescription: "d" }).GroupInfo;
    expect(u.CreateTime).toBe("2024-01-01 12:12:12");
    expect(u.UpdateTime).toBe("2024-01-01 13:12:12");
  });

  it("clears the description with NewDescription \"\" and leaves it alone when omitted", () => {
    const { create, call } = setup();
    const g = create("a", { Description: "keep" });
    expect(call("UpdateGroup", { ZoneId: Z, GroupId: g.GroupId, NewGroupName: "b" }).GroupInfo.Description).toBe("keep");
    expect(call("UpdateGroup", { ZoneId: Z, GroupId: g.GroupId, NewDescription: "" }).GroupInfo.Description).toBe("");
    expect(call("GetGroup", { ZoneId: Z, GroupId: g.GroupId }).GroupInfo.Description).toBe("");
  });

  it("allows renaming a group to a case variant of its own name", () => {
    const { create, codeOf } = setup();
    const g = create("abc");
    expect(codeOf("UpdateGroup", { ZoneId: Z, GroupId: g.GroupId, NewGroupName: "ABC" })).toBe("OK");
  });

  it.each([
    ["a bad new name", { NewGroupName: "bad name" }, "InvalidParameter.GroupNameFormatError"],
    ["an empty new name", { NewGroupName: "" }, "InvalidParameter.GroupNameFormatError"],
    ["a taken name", { NewGroupName: "taken" }, "InvalidParameter.GroupNameAlreadyExists"],
    ["a taken name in another case", { NewGroupName: "TAKEN" }, "InvalidParameter.GroupNameAlreadyExists"],
    ["a 1025-character description", { NewDescription: "x".repeat(1025) }, "InvalidParameter.ParamError"],
    ["an unknown group", { GroupId: "g-nothere00000" }, "InvalidParameter.GroupNotExist"],
    ["GroupName instead of NewGroupName", { GroupName: "x" }, "UnknownParameter"],
    ["GroupType (not updatable)", { GroupType: "Manual" }, "UnknownParameter"],
  ])("rejects %s", (_n, params, code) => {
    const { create, codeOf } = setup();
    create("taken");
    const g = create("mine");
    expect(codeOf("UpdateGroup", { ZoneId: Z, GroupId: g.GroupId, ...params })).toBe(code);
  });

  it("does not half-apply a refused update", () => {
    const { create, call, codeOf } = setup();
    create("taken");
    const g = create("mine", { Description: "d" });
    expect(codeOf("UpdateGroup", { ZoneId: Z, GroupId: g.GroupId, NewGroupName: "taken", NewDescription: "new" }))
      .toBe("InvalidParameter.GroupNameAlreadyExists");
    expect(call("GetGroup", { ZoneId: Z, GroupId: g.GroupId }).GroupInfo).toEqual(g);
  });

  it("refuses to update a Synchronized group", () => {
    const { admin, codeOf } = setup();
    const g = admin("createSynchronizedGroup", { zoneId: Z, GroupName: "from-idp" });
    expect(codeOf("UpdateGroup", { ZoneId: Z, GroupId: g.groupId, NewDescription: "x" })).toBe("FailedOperation.SynchronizedGroupNotUpdate");
  });

  it("refuses to update or delete a Manual group while the space syncs from an identity source", () => {
    const { create, admin, codeOf } = setup();
    const g = create("manual");
    admin("setScimSync", { zoneId: Z, enabled: true });
    expect(codeOf("UpdateGroup", { ZoneId: Z, GroupId: g.GroupId, NewDescription: "x" })).toBe("FailedOperation.ManualGroupNotUpdate");
    expect(codeOf("DeleteGroup", { ZoneId: Z, GroupId: g.GroupId })).toBe("FailedOperation.ManualGroupNotDelete");
  });
});

describe("DeleteGroup", () => {
  it("deletes an empty Manual group; the group is then gone", () => {
    const { create, call, codeOf, svc } = setup();
    const g = create("a");
    expect(call("DeleteGroup", { ZoneId: Z, GroupId: g.GroupId })).toEqual({});
    expect(codeOf("GetGroup", { ZoneId: Z, GroupId: g.GroupId })).toBe("InvalidParameter.GroupNotExist");
    expect(codeOf("DeleteGroup", { ZoneId: Z, GroupId: g.GroupId })).toBe("InvalidParameter.GroupNotExist");
    expect(svc.backend.resourceCount()).toBe(0);
  });

  it.each([
    ["members", "addMember", { userId: "u-dnjw8dndjde" }, "removeMembers", "FailedOperation.DeleteGroupNotAllowExistUser"],
    ["a role assignment", "addRoleAssignment", {}, "clearRoleAssignments", "FailedOperation.RoleConfigurationAuthorizationExist"],
    ["a user provisioning", "addUserProvisioning", {}, "clearUserProvisionings", "FailedOperation.UserProvisioningExists"],
  ])("refuses while the group has %s, and succeeds once removed", (_n, addOp, extra, clearOp, code) => {
    const { create, admin, codeOf } = setup();
    const g = create("a");
    admin(addOp, { groupId: g.GroupId, ...extra });
    expect(codeOf("DeleteGroup", { ZoneId: Z, GroupId: g.GroupId })).toBe(code);
    admin(clearOp, { groupId: g.GroupId });
    expect(codeOf("DeleteGroup", { ZoneId: Z, GroupId: g.GroupId })).toBe("OK");
  });

  it("refuses a Synchronized group (created by the API or by a sync)", () => {
    const { create, admin, codeOf } = setup();
    const a = create("a", { GroupType: "Synchronized" });
    const b = admin("createSynchronizedGroup", { zoneId: Z, GroupName: "b" });
    expect(codeOf("DeleteGroup", { ZoneId: Z, GroupId: a.GroupId })).toBe("FailedOperation.SynchronizedGroupNotDelete");
    expect(codeOf("DeleteGroup", { ZoneId: Z, GroupId: b.groupId })).toBe("FailedOperation.SynchronizedGroupNotDelete");
  });

  it("answers MissingParameter without a GroupId", () => {
    const { codeOf } = setup();
    expect(codeOf("DeleteGroup", { ZoneId: Z })).toBe("MissingParameter");
  });
});

describe("ListGroups", () => {
  function withGroups(n: number) {
    const s = setup();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(s.create(`grp-${String(i).padStart(2, "0")}`).GroupId);
      s.env.advance(1000);
    }
    return { ...s, ids };
  }

  it("pages with NextToken: default 10 per page, IsTruncated, TotalCounts, MaxResults echoed, no token on the last page", () => {
    const { call, ids } = withGroups(25);
    const seen: string[] = [];
    let token: string | undefined;
    const pages: any[] = [];
    do {
      const r = call("ListGroups", { ZoneId: Z, ...(token ? { NextToken: token } : {}) });
      pages.push(r);
      seen.push(...r.Groups.map((g: any) => g.GroupId));
      token = r.NextToken;
      expect(r.IsTruncated).toBe(token !== undefined);
    } while (token);
    expect(pages.map((p) => p.Groups.length)).toEqual([10, 10, 5]);
    expect(pages.every((p) => p.TotalCounts === 25 && p.MaxResults === 10)).toBe(true);
    expect("NextToken" in pages[2]).toBe(false);
    // default order: newest first
    expect(seen).toEqual([...ids].reverse());
  });

  it("sorts by CreateTime ascending with SortField/SortType Asc", () => {
    const { call, ids } = withGroups(5);
    const r = call("ListGroups", { ZoneId: Z, SortField: "CreateTime", SortType: "Asc", MaxResults: 100 });
    expect(r.Groups.map((g: any) => g.GroupId)).toEqual(ids);
  });

  it("orders groups created in the same second by creation", () => {
    const { call, create } = setup();
    const ids = [create("a").GroupId, create("b").GroupId, create("c").GroupId];
    const r = call("ListGroups", { ZoneId: Z, SortField: "CreateTime", SortType: "Asc", MaxResults: 2 });
    const r2 = call("ListGroups", { ZoneId: Z, SortField: "CreateTime", SortType: "Asc", MaxResults: 2, NextToken: r.NextToken });
    expect([...r.Groups, ...r2.Groups].map((g: any) => g.GroupId)).toEqual(ids);
  });

  it("does not skip a group when an earlier one is deleted between pages", () => {
    const { call, ids } = withGroups(6);
    const p1 = call("ListGroups", { ZoneId: Z, SortField: "CreateTime", SortType: "Asc", MaxResults: 3 });
    call("DeleteGroup", { ZoneId: Z, GroupId: ids[0] });
    const p2 = call("ListGroups", { ZoneId: Z, SortField: "CreateTime", SortType: "Asc", MaxResults: 3, NextToken: p1.NextToken });
    expect(p2.Groups.map((g: any) => g.GroupId)).toEqual(ids.slice(3));
    expect(p2.IsTruncated).toBe(false);
  });

  it("pages with Offset, and NextToken wins over Offset", () => {
    const { call, ids } = withGroups(7);
    const asc = { ZoneId: Z, SortField: "CreateTime", SortType: "Asc", MaxResults: 3 };
    const r = call("ListGroups", { ...asc, Offset: 3 });
    expect(r.Groups.map((g: any) => g.GroupId)).toEqual(ids.slice(3, 6));
    expect(r.IsTruncated).toBe(true);
    const p1 = call("ListGroups", asc);
    const r2 = call("ListGroups", { ...asc, NextToken: p1.NextToken, Offset: 6 });
    expect(r2.Groups.map((g: any) => g.GroupId)).toEqual(ids.slice(3, 6));
    expect(call("ListGroups", { ...asc, Offset: 50 })).toMatchObject({ Groups: [], IsTruncated: false, TotalCounts: 7 });
  });

  it("filters by `GroupName eq <name>` (ignoring case) and by GroupType", () => {
    const { call, create, admin } = setup();
    create("testGroup");
    create("testGroup2");
    admin("createSynchronizedGroup", { zoneId: Z, GroupName: "synced" });
    const r = call("ListGroups", { ZoneId: Z, Filter: "GroupName eq testGroup" });
    expect(r.Groups.map((g: any) => g.GroupName)).toEqual(["testGroup"]);
    expect(r.TotalCounts).toBe(1);
    expect(call("ListGroups", { ZoneId: Z, Filter: "GroupName eq TESTGROUP" }).Groups.map((g: any) => g.GroupName)).toEqual(["testGroup"]);
    expect(call("ListGroups", { ZoneId: Z, GroupType: "Synchronized" }).Groups.map((g: any) => g.GroupName)).toEqual(["synced"]);
    expect(call("ListGroups", { ZoneId: Z, GroupType: "Manual" }).TotalCounts).toBe(2);
  });

  it.each([
    ["GroupName eq testGroup", ["testGroup"]],
    ["groupname EQ TESTGROUP", ["testGroup"]],
    ["GroupName sw test", ["testGroup", "testGroup2"]],
    ["GROUPNAME SW TestG", ["testGroup", "testGroup2"]],
    ["GroupName sw testGroup2", ["testGroup2"]],
    ["GroupName sw other", ["other-testGroup"]],
    ["GroupName sw nope", []],
  ])("reads the documented Filter grammar `<Attribute> <Operator> <Value>`, case-insensitive: %s", (filter, names) => {
    const { call, create } = setup();
    create("testGroup");
    create("testGroup2");
    create("other-testGroup");
    const r = call("ListGroups", { ZoneId: Z, Filter: filter, SortField: "CreateTime", SortType: "Asc" });
    expect(r.Groups.map((g: any) => g.GroupName)).toEqual(names);
  });

  it("marks groups containing a FilterUsers user with IsSelected", () => {
    const { call, create, admin } = setup();
    const a = create("a");
    create("b");
    admin("addMember", { groupId: a.GroupId, userId: "u-abc" });
    const r = call("ListGroups", { ZoneId: Z, FilterUsers: ["u-abc"] });
    expect(Object.fromEntries(r.Groups.map((g: any) => [g.GroupName, g.IsSelected]))).toEqual({ a: true, b: false });
  });

  it.each([
    ["MaxResults 0", { MaxResults: 0 }, "InvalidParameter.ParamError"],
    ["MaxResults 101", { MaxResults: 101 }, "InvalidParameter.ParamError"],
    ["MaxResults as a string", { MaxResults: "10" }, "InvalidParameter"],
    ["MaxResults 1.5", { MaxResults: 1.5 }, "InvalidParameter"],
    ["negative Offset", { Offset: -1 }, "InvalidParameter.ParamError"],
    ["SortField Name", { SortField: "GroupName" }, "InvalidParameter.ParamError"],
    ["SortType asc", { SortField: "CreateTime", SortType: "asc" }, "InvalidParameter.ParamError"],
    ["SortType without SortField", { SortType: "Asc" }, "InvalidParameter.ParamError"],
    ["GroupType Other", { GroupType: "Other" }, "InvalidParameter.ParamError"],
    ["Filter on another field", { Filter: "Description eq x" }, "InvalidParameter.ParamError"],
    ["Filter with another operator", { Filter: "GroupName co test" }, "InvalidParameter.ParamError"],
    ["Filter with a quoted value", { Filter: 'GroupName eq "test"' }, "InvalidParameter.ParamError"],
    ["Filter with extra spaces", { Filter: "GroupName  eq test" }, "InvalidParameter.ParamError"],
    ["Filter without a value", { Filter: "GroupName eq " }, "InvalidParameter.ParamError"],
    ["FilterUsers as a string", { FilterUsers: "u-abc" }, "InvalidParameter"],
    ["garbage NextToken", { NextToken: "not a token!" }, "InvalidParameter.NextTokenInvalid"],
    ["well-formed base64 NextToken that we never issued", { NextToken: "OTM0YzE4MzY2ZjdhMWM0MYZD" }, "InvalidParameter.NextTokenInvalid"],
    ["unknown parameter Limit", { Limit: 10 }, "UnknownParameter"],
  ])("rejects %s", (_n, params, code) => {
    const { codeOf } = setup();
    expect(codeOf("ListGroups", { ZoneId: Z, ...params })).toBe(code);
  });

  it("refuses a NextToken reused with other parameters", () => {
    const { call, codeOf } = withGroups(15);
    const p1 = call("ListGroups", { ZoneId: Z });
    expect(codeOf("ListGroups", { ZoneId: Z, NextToken: p1.NextToken })).toBe("OK");
    expect(codeOf("ListGroups", { ZoneId: Z, NextToken: p1.NextToken, GroupType: "Manual" })).toBe("InvalidParameter.NextTokenInvalid");
    expect(codeOf("ListGroups", { ZoneId: Z, NextToken: p1.NextToken, MaxResults: 5 })).toBe("InvalidParameter.NextTokenInvalid");
  });

  it("accepts MaxResults 1 and 100", () => {
    const { call } = withGroups(3);
    expect(call("ListGroups", { ZoneId: Z, MaxResults: 1 })).toMatchObject({ MaxResults: 1, IsTruncated: true, TotalCounts: 3 });
    expect(call("ListGroups", { ZoneId: Z, MaxResults: 100 })).toMatchObject({ MaxResults: 100, IsTruncated: false });
  });
});

describe("control plane and persistence", () => {
  it("patchGroup is a console edit: applies name/description and bumps UpdateTime, even on Synchronized groups", () => {
    const { create, admin, call, env } = setup();
    const g = create("a", { Description: "d" });
    env.advance(5000);
    admin("patchGroup", { groupId: g.GroupId, Description: "edited" });
    const got = call("GetGroup", { ZoneId: Z, GroupId: g.GroupId }).GroupInfo;
    expect(got).toMatchObject({ GroupName: "a", Description: "edited", UpdateTime: "2024-01-01 12:12:17" });
    const s = admin("createSynchronizedGroup", { zoneId: Z, GroupName: "s" });
    admin("patchGroup", { groupId: s.groupId, GroupName: "s2" });
    expect(call("GetGroup", { ZoneId: Z, GroupId: s.groupId }).GroupInfo.GroupName).toBe("s2");
  });

  it("deleteGroup removes a group out of band, members or not", () => {
    const { create, admin, codeOf } = setup();
    const g = create("a");
    admin("addMember", { groupId: g.GroupId, userId: "u-1" });
    admin("deleteGroup", { groupId: g.GroupId });
    expect(codeOf("GetGroup", { ZoneId: Z, GroupId: g.GroupId })).toBe("InvalidParameter.GroupNotExist");
  });

  it("listGroups returns every group with its hidden state", () => {
    const { create, admin } = setup();
    const g = create("a");
    admin("addRoleAssignment", { groupId: g.GroupId });
    expect(admin("listGroups")).toEqual([expect.objectContaining({ groupId: g.GroupId, roleAssignments: 1, memberCount: 0, zoneId: Z })]);
  });

  it("throws on an unknown admin op or an unknown group", () => {
    const { admin } = setup();
    expect(() => admin("nope")).toThrow(/unknown admin op/);
    expect(() => admin("addMember", { groupId: "g-none", userId: "u-1" })).toThrow(/no CIC group/);
  });

  it("snapshot → reset → restore brings back groups, members, zones and switches (through JSON)", () => {
    const { create, admin, call, codeOf, svc } = setup();
    const g = create("a", { Description: "d" });
    admin("addMember", { groupId: g.GroupId, userId: "u-1" });
    admin("addZone", { zoneId: "z-closed2", open: false });
    const snap = JSON.parse(JSON.stringify(svc.backend.snapshot()));
    svc.backend.reset();
    expect(svc.backend.resourceCount()).toBe(0);
    expect(codeOf("GetGroup", { ZoneId: Z, GroupId: g.GroupId })).toBe("InvalidParameter.GroupNotExist");
    expect(codeOf("ListGroups", { ZoneId: "z-closed2" })).toBe("FailedOperation.ZoneIdNotExist");
    svc.backend.restore(snap);
    expect(svc.backend.resourceCount()).toBe(1);
    expect(call("GetGroup", { ZoneId: Z, GroupId: g.GroupId }).GroupInfo).toEqual({ ...g, MemberCount: 1 });
    expect(codeOf("ListGroups", { ZoneId: "z-closed2" })).toBe("FailedOperation.IdentityCenterNotOpen");
    // the snapshot is a copy: later changes do not leak into it
    create("b");
    expect((snap as any).groups && Object.keys((snap as any).groups)).toHaveLength(1);
  });

  it("reset seeds the default space again", () => {
    const { svc, codeOf } = setup();
    svc.backend.admin("setIdentityCenterOpen", { zoneId: Z, open: false });
    svc.backend.reset();
    expect(codeOf("ListGroups", { ZoneId: Z })).toBe("OK");
  });
});
