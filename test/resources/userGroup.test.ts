/**
 * UserGroup (CIC, organization 2021-03-31) through the provider runtime over real HTTP to the emulator:
 * the lifecycle matrix, every check rule, unknowns, autonaming, ambiguous-create recovery, adoption and
 * every refusal the API can answer. Facts: shared/reference/cic-user-group.md; emulator choices: emulator/cic/README.md.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED } from "../../emulator/core/defaults";
import { UNKNOWN } from "../../provider/resources/unknowns";
import { startHarness, writes, type Harness } from "../support/harness";

const KIND = "UserGroup";
const ZONE = SEED.cicZoneId;
/** What the engine passes as `__provider`: the stub text (opaque here). */
const PROVIDER = "exports.handler = edgeconf-stub";

type Props = Record<string, any>;
let h: Harness;
let n = 0;
/** A name no other test uses (names are unique per space, ignoring case). */
const uniq = (base: string) => `${base}-${++n}-${Date.now().toString(36)}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const cic = (op: string, args: Record<string, unknown> = {}): any => h.emulator.services.organization.backend.admin(op, args);
/** Groups of any space with this name (ignoring case), from the emulator's own state. */
const groupsNamed = (name: string): Props[] =>
  (cic("listGroups") as Props[]).filter((g) => g.groupName.toLowerCase() === name.toLowerCase());

async function check(news: Props, olds?: Props) {
  return h.rt.check(KIND, olds, { __provider: PROVIDER, ...news });
}
async function checked(news: Props, olds?: Props): Promise<Props> {
  const { inputs, failures } = await check(news, olds);
  expect(failures).toEqual([]);
  return inputs;
}
async function create(news: Props) {
  const inputs = await checked({ zoneId: ZONE, ...news });
  const { id, outs } = await h.rt.create(KIND, inputs);
  return { id, outs: outs as Props, inputs };
}
/** The API as a console would call it: outside the resource's lifecycle. */
function apiCall(action: string, params: Props) {
  return h.rt.providerContext().tencent().call<Props>("organization", "2021-03-31", action, params);
}
/** A rejection's error, for assertions on its fields. */
async function failureOf(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the operation to fail");
}

beforeAll(async () => {
  h = await startHarness({ logBodies: true });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.emulator.clearFaults();
  h.resetCalls();
});

describe("UserGroup lifecycle", () => {
  it("creates a group with the declared name, description and type, and reports every output", async () => {
    const groupName = uniq("ops");
    const { id, outs } = await create({ groupName, description: "operators" });
    expect(id).toMatch(/^g-[a-z0-9]+$/);
    expect(outs).toMatchObject({ zoneId: ZONE, groupName, description: "operators", groupType: "Manual", groupId: id, memberCount: 0 });
    expect(outs.createTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(outs.updateTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(cic("getGroup", { groupId: id })).toMatchObject({ groupName, description: "operators", groupType: "Manual" });
    expect(h.calls().filter((c) => c.action === "CreateGroup")).toHaveLength(1);
  });

  it("reads back outputs and inputs that diff to nothing", async () => {
    const { id, outs, inputs } = await create({ groupName: uniq("read"), description: "d", logicalName: "read" });
    const r = await h.rt.read(KIND, id, outs);
    expect(r.id).toBe(id);
    expect(r.props).toMatchObject({ ...outs });
    expect(r.inputs).toMatchObject({ zoneId: ZONE, groupName: inputs.groupName, description: "d", groupType: "Manual", logicalName: "read" });
    const d = await h.rt.diff(KIND, id, r.props!, { ...r.inputs, __provider: PROVIDER });
    expect(d.changes).toBe(false);
  });

  it("diffs a no-op without any API call", async () => {
    const { id, outs, inputs } = await create({ groupName: uniq("noop"), description: "same" });
    h.resetCalls();
    const again = await checked(inputs, inputs);
    const d = await h.rt.diff(KIND, id, outs, again);
    expect(d).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(h.calls()).toEqual([]);
  });

  it("renames and re-describes in place with one UpdateGroup carrying only what changed", async () => {
    const { id, outs, inputs } = await create({ groupName: uniq("upd"), description: "before" });
    const news = await checked({ ...inputs, description: "after" }, inputs);
    expect(await h.rt.diff(KIND, id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    h.resetCalls();
    const { outs: after } = await h.rt.update(KIND, id, outs, news);
    expect(after).toMatchObject({ groupId: id, description: "after", groupName: inputs.groupName });
    const sent = writes(h.calls());
    expect(sent.map((c) => c.action)).toEqual(["UpdateGroup"]);
    expect(JSON.parse(sent[0]!.requestBody!)).toEqual({ ZoneId: ZONE, GroupId: id, NewDescription: "after" });

    const renamed = uniq("renamed");
    const news2 = await checked({ ...news, groupName: renamed }, news);
    h.resetCalls();
    const { outs: after2 } = await h.rt.update(KIND, id, after, news2);
    expect(after2).toMatchObject({ groupId: id, groupName: renamed, description: "after" });
    expect(JSON.parse(writes(h.calls())[0]!.requestBody!)).toEqual({ ZoneId: ZONE, GroupId: id, NewGroupName: renamed });
    expect(cic("getGroup", { groupId: id })).toMatchObject({ groupName: renamed, description: "after" });
  });

  it("clears a removed description with NewDescription \"\" and then shows no diff", async () => {
    const { id, outs, inputs } = await create({ groupName: uniq("clear"), description: "to be cleared" });
    const { description: _dropped, ...rest } = inputs;
    const news = await checked(rest, inputs);
    expect((await h.rt.diff(KIND, id, outs, news)).changes).toBe(true);
    h.resetCalls();
    const { outs: after } = await h.rt.update(KIND, id, outs, news);
    expect(JSON.parse(writes(h.calls())[0]!.requestBody!)).toEqual({ ZoneId: ZONE, GroupId: id, NewDescription: "" });
    expect(after.description).toBe("");
    expect(cic("getGroup", { groupId: id }).description).toBe("");
    const r = await h.rt.read(KIND, id, after);
    expect(r.inputs).not.toHaveProperty("description");
    expect((await h.rt.diff(KIND, id, r.props!, await checked(rest, inputs))).changes).toBe(false);
  });

  it("replaces on a groupType change, deleting first because the name stays", async () => {
    const { id, outs, inputs } = await create({ groupName: uniq("type") });
    const news = await checked({ ...inputs, groupType: "Synchronized" }, inputs);
    expect(await h.rt.diff(KIND, id, outs, news)).toEqual({ changes: true, replaces: ["groupType"], deleteBeforeReplace: true });
    // What the engine does with deleteBeforeReplace: delete, then create under the same name.
    await h.rt.remove(KIND, id, outs);
    const { id: id2, outs: outs2 } = await h.rt.create(KIND, news);
    expect(id2).not.toBe(id);
    expect(outs2).toMatchObject({ groupName: inputs.groupName, groupType: "Synchronized" });
    expect(groupsNamed(inputs.groupName)).toHaveLength(1);
  });

  it("replaces on a zoneId change without deleting first (another space, no name clash)", async () => {
    const other = "z-otherspace01";
    cic("addZone", { zoneId: other });
    const { id, outs, inputs } = await create({ groupName: uniq("zone") });
    const news = await checked({ ...inputs, zoneId: other }, inputs);
    expect(await h.rt.diff(KIND, id, outs, news)).toEqual({ changes: true, replaces: ["zoneId"], deleteBeforeReplace: false });
    const { outs: outs2 } = await h.rt.create(KIND, news);
    expect(outs2).toMatchObject({ zoneId: other, groupName: inputs.groupName });
    await h.rt.remove(KIND, id, outs);
    expect(groupsNamed(inputs.groupName).map((g) => g.zoneId)).toEqual([other]);
  });

  it("detects an out-of-band change on read, and the declared state converges it back", async () => {
    const { id, outs, inputs } = await create({ groupName: uniq("drift"), description: "declared" });
    cic("patchGroup", { groupId: id, Description: "edited in the console" });
    const r = await h.rt.read(KIND, id, outs);
    expect(r.props).toMatchObject({ description: "edited in the console" });
    expect(r.inputs).toMatchObject({ description: "edited in the console" });
    const d = await h.rt.diff(KIND, id, r.props!, inputs);
    expect(d).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await h.rt.update(KIND, id, r.props!, inputs);
    expect(cic("getGroup", { groupId: id }).description).toBe("declared");
  });

  it("deletes the group, and deleting it again succeeds", async () => {
    const { id, outs, inputs } = await create({ groupName: uniq("del") });
    await h.rt.remove(KIND, id, outs);
    expect(groupsNamed(inputs.groupName)).toEqual([]);
    h.resetCalls();
    await expect(h.rt.remove(KIND, id, outs)).resolves.toBeUndefined();
    expect(h.calls().map((c) => [c.action, c.errorCode])).toEqual([["DeleteGroup", "InvalidParameter.GroupNotExist"]]);
  });

  it("reads a group deleted out of band as gone (GroupNotExist → id \"\")", async () => {
    const { id, outs } = await create({ groupName: uniq("gone") });
    cic("deleteGroup", { groupId: id });
    expect(await h.rt.read(KIND, id, outs)).toEqual({ id: "" });
    expect(h.calls().at(-1)).toMatchObject({ action: "GetGroup", errorCode: "InvalidParameter.GroupNotExist" });
  });
});

describe("UserGroup check", () => {
  const bad: [string, string, Props, RegExp][] = [
    ["a zoneId that is not a CIC space id", "zoneId", { zoneId: "zone-2kblak89bkx1" }, /z-/],
    ["a zoneId with upper case", "zoneId", { zoneId: "z-ABC" }, /z-/],
    ["a groupName with a space", "groupName", { groupName: "ops team" }, /letters, digits and -/],
    ["a groupName with an underscore", "groupName", { groupName: "ops_team" }, /letters, digits and -/],
    ["an empty groupName", "groupName", { groupName: "" }, /1-128/],
    ["a groupName of 129 characters", "groupName", { groupName: "a".repeat(129) }, /1-128/],
    ["a description of 1025 characters", "description", { description: "d".repeat(1025) }, /1024/],
    ["an unknown groupType", "groupType", { groupType: "Dynamic" }, /Manual|Synchronized/],
    ["a groupType in the wrong case", "groupType", { groupType: "manual" }, /Manual|Synchronized/],
    ["a non-string description", "description", { description: 7 }, /string/],
    ["an empty adoptId", "adoptId", { adoptId: "" }, /./],
    ["a zero timeout", "timeouts.create", { timeouts: { create: 0 } }, /./],
  ];
  it.each(bad)("rejects %s, naming %s", async (_what, property, patch, reason) => {
    const { failures } = await check({ zoneId: ZONE, groupName: "valid-name", ...patch });
    expect(failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  it("accepts the limits themselves: 128-character names and 1024-character descriptions", async () => {
    await checked({ zoneId: ZONE, groupName: "a".repeat(128), description: "d".repeat(1024) });
  });

  it.each([
    ["a resource property", "members", { members: "secret-value" }],
    ["a timeouts key", "timeouts.forever", { timeouts: { forever: "secret-value" } }],
  ])("rejects an unknown %s at its own path (%s) without echoing its value", async (_what, property, patch) => {
    const { failures } = await check({ zoneId: ZONE, groupName: "x", ...patch });
    expect(failures).toEqual([{ property, reason: "is not a property of this resource" }]);
    expect(JSON.stringify(failures)).not.toContain("secret-value");
  });

  it("reports every failure at once", async () => {
    const { failures } = await check({ zoneId: "bad", groupName: "bad name", description: "d".repeat(2000), groupType: "X" });
    expect(failures.map((f) => f.property).sort()).toEqual(["description", "groupName", "groupType", "zoneId"]);
  });

  it("fills groupType Manual so the plan shows it", async () => {
    expect(await checked({ zoneId: ZONE, groupName: "g" })).toMatchObject({ groupType: "Manual" });
  });

  it("says at preview that a synchronized group cannot be renamed or re-described", async () => {
    const olds = { zoneId: ZONE, groupName: "synced", description: "from idp", groupType: "Synchronized" };
    const { failures } = await check({ ...olds, groupName: "synced2", description: "mine" }, olds);
    expect(failures).toEqual([
      { property: "groupName", reason: expect.stringMatching(/synchronized.*identity source/) },
      { property: "description", reason: expect.stringMatching(/synchronized.*identity source/) },
    ]);
    // Unchanged synchronized groups (an adopted one) pass.
    expect((await check(olds, olds)).failures).toEqual([]);
  });

  describe("unknowns during preview", () => {
    it("does not judge an unknown value but still judges the known ones", async () => {
      const { inputs, failures } = await check({ zoneId: UNKNOWN, groupName: "bad name", description: UNKNOWN });
      expect(failures).toEqual([{ property: "groupName", reason: expect.any(String) }]);
      expect(inputs).toMatchObject({ zoneId: UNKNOWN, description: UNKNOWN });
    });

    it("passes unknowns through unchanged when everything known is valid", async () => {
      const { inputs, failures } = await check({ zoneId: ZONE, groupName: UNKNOWN, groupType: UNKNOWN });
      expect(failures).toEqual([]);
      expect(inputs).toMatchObject({ zoneId: ZONE, groupName: UNKNOWN, groupType: UNKNOWN });
    });

    it("diffs an unknown description as an in-place change and an unknown zoneId as a replacement", async () => {
      const { id, outs, inputs } = await create({ groupName: uniq("unk") });
      h.resetCalls();
      expect(await h.rt.diff(KIND, id, outs, { ...inputs, description: UNKNOWN }))
        .toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
      const d = await h.rt.diff(KIND, id, outs, { ...inputs, zoneId: UNKNOWN });
      expect(d).toMatchObject({ changes: true, replaces: ["zoneId"], deleteBeforeReplace: true });
      expect(h.calls()).toEqual([]);
    });
  });

  describe("autonaming", () => {
    it("derives the name from the resource name plus a random suffix", async () => {
      const inputs = await checked({ zoneId: ZONE, logicalName: "platform team" });
      expect(inputs.groupName).toMatch(/^platform-team-[0-9a-f]{7}$/);
    });

    it("keeps the chosen name on every later check, and a fresh resource gets another", async () => {
      const first = await checked({ zoneId: ZONE, logicalName: "admins" });
      const again = await checked({ zoneId: ZONE, logicalName: "admins", description: "now described" }, first);
      expect(again.groupName).toBe(first.groupName);
      const other = await checked({ zoneId: ZONE, logicalName: "admins" });
      expect(other.groupName).not.toBe(first.groupName);
    });

    it("keeps the name through create and diff: no rename is planned", async () => {
      const { id, outs, inputs } = await create({ logicalName: "auto" });
      expect(outs.groupName).toBe(inputs.groupName);
      const next = await checked({ zoneId: ZONE, logicalName: "auto" }, inputs);
      expect((await h.rt.diff(KIND, id, outs, next)).changes).toBe(false);
    });

    it("fits a long resource name into 128 characters", async () => {
      const inputs = await checked({ zoneId: ZONE, logicalName: "x".repeat(300) });
      expect(inputs.groupName.length).toBeLessThanOrEqual(128);
      expect(inputs.groupName).toMatch(/^x+-[0-9a-f]{7}$/);
    });
  });
});

describe("UserGroup create recovery and adoption", () => {
  it("recovers a create whose answer was lost: exactly one group afterwards, found by name", async () => {
    const groupName = uniq("lost");
    h.emulator.inject({ service: "organization", action: "CreateGroup", kind: "drop-after", count: 1 });
    const { id, outs } = await create({ groupName, description: "after a drop" });
    expect(groupsNamed(groupName)).toHaveLength(1);
    expect(groupsNamed(groupName)[0]!.groupId).toBe(id);
    expect(outs).toMatchObject({ groupName, description: "after a drop", groupId: id });
    const actions = h.calls().map((c) => c.action);
    expect(actions.filter((a) => a === "CreateGroup")).toHaveLength(1);
    expect(actions).toContain("ListGroups");
  });

  it("keeps looking when the lookup after a lost create fails too (found on a later lookup, never stranded)", async () => {
    const groupName = uniq("lostlookup");
    h.emulator.inject({ service: "organization", action: "CreateGroup", kind: "drop-after", count: 1 });
    h.emulator.inject({ service: "organization", action: "ListGroups", kind: "http", status: 503, count: 8 });
    const { id } = await create({ groupName });
    expect(groupsNamed(groupName).map((g) => g.groupId)).toEqual([id]);
    expect(h.calls().filter((c) => c.action === "CreateGroup")).toHaveLength(1);
  }, 60_000);

  it("creates again when the lost create had not been applied (drop-before)", async () => {
    const groupName = uniq("notapplied");
    h.emulator.inject({ service: "organization", action: "CreateGroup", kind: "drop-before", count: 1 });
    const { id } = await create({ groupName });
    expect(groupsNamed(groupName).map((g) => g.groupId)).toEqual([id]);
  });

  it("adopts an existing group by adoptId and converges it to the declared state without creating", async () => {
    const groupName = uniq("console");
    const made = await apiCall("CreateGroup", { ZoneId: ZONE, GroupName: groupName, Description: "made by hand" });
    const existing = made.GroupInfo.GroupId as string;
    h.resetCalls();
    const { id, outs } = await create({ groupName, description: "managed now", adoptId: existing });
    expect(id).toBe(existing);
    expect(outs).toMatchObject({ groupId: existing, description: "managed now" });
    expect(writes(h.calls()).map((c) => c.action)).toEqual(["UpdateGroup"]);
    expect(groupsNamed(groupName)).toHaveLength(1);
  });

  it("adopts an identical group with no write at all", async () => {
    const groupName = uniq("same");
    const made = await apiCall("CreateGroup", { ZoneId: ZONE, GroupName: groupName });
    h.resetCalls();
    const { id } = await create({ groupName, adoptId: made.GroupInfo.GroupId });
    expect(id).toBe(made.GroupInfo.GroupId);
    expect(writes(h.calls())).toEqual([]);
  });

  it("refuses to adopt a missing group, naming adoptId", async () => {
    const err = await failureOf(create({ groupName: uniq("ghost"), adoptId: "g-doesnotexist1" }));
    expect(err.failures).toEqual([{ property: "adoptId", reason: expect.stringContaining("g-doesnotexist1") }]);
    expect(writes(h.calls())).toEqual([]);
  });

  it("refuses to adopt a group whose groupType differs, naming groupType", async () => {
    const groupName = uniq("typed");
    const synced = cic("createSynchronizedGroup", { zoneId: ZONE, GroupName: groupName });
    const err = await failureOf(create({ groupName, adoptId: synced.groupId }));
    expect(err.failures).toEqual([{ property: "groupType", reason: expect.stringMatching(/cannot be changed in place/) }]);
  });
});

describe("UserGroup refusals, each with the API's code and a message in words", () => {
  it.each([
    ["members", "addMember", { userId: "u-dnjw8dndjde" }, "FailedOperation.DeleteGroupNotAllowExistUser", /remove its users first/, "removeMembers"],
    ["a role assignment", "addRoleAssignment", {}, "FailedOperation.RoleConfigurationAuthorizationExist", /remove those authorizations first/, "clearRoleAssignments"],
    ["a user provisioning", "addUserProvisioning", {}, "FailedOperation.UserProvisioningExists", /delete that provisioning first/, "clearUserProvisionings"],
  ] as const)("refuses to delete a group with %s, keeps it, and deletes it once that is removed", async (_what, addOp, args, apiCode, words, clearOp) => {
    const { id, outs } = await create({ groupName: uniq("busy") });
    cic(addOp, { groupId: id, ...args });
    const err = await failureOf(h.rt.remove(KIND, id, outs));
    expect(err.apiCode).toBe(apiCode);
    expect(err.message).toMatch(words);
    expect(err.message).toContain(id);
    expect(err.requestId).toBeTruthy();
    expect(cic("getGroup", { groupId: id }).groupId).toBe(id);
    cic(clearOp, { groupId: id });
    await h.rt.remove(KIND, id, outs);
    expect(() => cic("getGroup", { groupId: id })).toThrow();
  });

  it("reports the member count as an output", async () => {
    const { id, outs } = await create({ groupName: uniq("count") });
    cic("addMember", { groupId: id, userId: "u-aaaaaaaa1" });
    cic("addMember", { groupId: id, userId: "u-aaaaaaaa2" });
    expect((await h.rt.read(KIND, id, outs)).props).toMatchObject({ memberCount: 2 });
  });

  it("refuses to update a synchronized group, saying it belongs to the identity source", async () => {
    const groupName = uniq("syncupd");
    const synced = cic("createSynchronizedGroup", { zoneId: ZONE, GroupName: groupName, Description: "idp" });
    const { outs, inputs } = await create({ groupName, description: "idp", groupType: "Synchronized", adoptId: synced.groupId });
    const err = await failureOf(h.rt.update(KIND, synced.groupId, outs, { ...inputs, description: "mine" }));
    expect(err.apiCode).toBe("FailedOperation.SynchronizedGroupNotUpdate");
    expect(err.message).toMatch(/identity source/);
    expect(cic("getGroup", { groupId: synced.groupId }).description).toBe("idp");
  });

  it("refuses to delete a synchronized group, saying where it can be removed", async () => {
    const groupName = uniq("syncdel");
    const synced = cic("createSynchronizedGroup", { zoneId: ZONE, GroupName: groupName });
    const { outs } = await create({ groupName, groupType: "Synchronized", adoptId: synced.groupId });
    const err = await failureOf(h.rt.remove(KIND, synced.groupId, outs));
    expect(err.apiCode).toBe("FailedOperation.SynchronizedGroupNotDelete");
    expect(err.message).toMatch(/identity source.*retainOnDelete/);
    expect(groupsNamed(groupName)).toHaveLength(1);
  });

  it("refuses a name taken in the space (ignoring case) on create, naming it and the way out", async () => {
    const groupName = uniq("Taken");
    await create({ groupName });
    h.resetCalls();
    const err = await failureOf(create({ groupName: groupName.toLowerCase() }));
    expect(err.apiCode).toBe("InvalidParameter.GroupNameAlreadyExists");
    expect(err.message).toContain(groupName.toLowerCase());
    expect(err.message).toMatch(/adoptId/);
    expect(h.calls().filter((c) => c.action === "CreateGroup")).toHaveLength(1); // a refusal is not retried
    expect(groupsNamed(groupName)).toHaveLength(1);
  });

  it("refuses a rename to a taken name", async () => {
    const taken = uniq("first");
    await create({ groupName: taken });
    const { id, outs, inputs } = await create({ groupName: uniq("second") });
    const err = await failureOf(h.rt.update(KIND, id, outs, { ...inputs, groupName: taken }));
    expect(err.apiCode).toBe("InvalidParameter.GroupNameAlreadyExists");
    expect(err.message).toContain(id);
    expect(cic("getGroup", { groupId: id }).groupName).toBe(inputs.groupName);
  });

  it("refuses a space that does not exist, naming zoneId", async () => {
    const err = await failureOf(create({ zoneId: "z-nosuchspace", groupName: uniq("nozone") }));
    expect(err.apiCode).toBe("FailedOperation.ZoneIdNotExist");
    expect(err.message).toMatch(/z-nosuchspace does not exist; check zoneId/);
  });

  it("refuses a space whose Identity Center is off, saying to enable it", async () => {
    const zone = "z-closedspace1";
    cic("addZone", { zoneId: zone, open: false });
    const err = await failureOf(create({ zoneId: zone, groupName: uniq("closed") }));
    expect(err.apiCode).toBe("FailedOperation.IdentityCenterNotOpen");
    expect(err.message).toMatch(/not enabled for space z-closedspace1/);
  });
});
