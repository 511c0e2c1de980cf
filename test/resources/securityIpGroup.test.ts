/**
 * SecurityIPGroup through the provider runtime against the emulator over real HTTP: content as a set of
 * canonical entries, deltas (append/remove) chunked under the per-request limit, complete reads of groups
 * beyond Describe's 2000-entry truncation, expiry schedules that fire without being drift.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED } from "../../emulator";
import { providerContext } from "../../provider/runtime";
import { startHarness, writes, type Harness } from "../support/harness";

const KIND = "SecurityIPGroup" as const;
const ZONE = SEED.teoZoneId;
const OTHER_ZONE = "zone-othersite02";
const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

type Props = Record<string, any>;

let h: Harness;
let n = 0;
const uniq = (base: string) => `${base}-${++n}`;

beforeAll(async () => {
  h = await startHarness({ logBodies: true });
  h.emulator.services.teo.backend.admin("addZone", { zoneId: OTHER_ZONE });
});
afterAll(() => h.close());
beforeEach(() => {
  h.emulator.clearFaults();
  h.resetCalls();
});

const admin = (op: string, args: Props = {}) => h.emulator.services.teo.backend.admin(op, args) as any;
const live = (groupId: number | string): Props => admin("getSecurityIPGroup", { groupId: Number(groupId) });
const groupsNamed = (name: string): Props[] => (admin("listSecurityIPGroups") as Props[]).filter((g) => g.Name === name);
const apiCalls = (action?: string) => h.calls().filter((c) => c.service === "teo" && (!action || c.action === action));
const modifyBodies = () => apiCalls("ModifySecurityIPGroup").map((c) => JSON.parse(c.requestBody!));
const entriesOf = (body: Props) => body.IPGroup.Content.length + (body.IPGroup.IPExpireInfo ?? []).reduce((s: number, e: Props) => s + e.IPList.length, 0);
const sorted = (xs: string[]) => [...xs].sort();
/** 10.x.y.z, distinct for i < 2^24 */
const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const ips = (from: number, count: number) => Array.from({ length: count }, (_, i) => ip(from + i));
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function checked(news: Props, olds?: Props): Promise<Props> {
  const { inputs, failures } = await h.rt.check(KIND, olds, news);
  expect(failures).toEqual([]);
  return inputs;
}
const failuresOf = async (news: Props, olds?: Props) => (await h.rt.check(KIND, olds, news)).failures;

async function up(args: Props, logicalName = "allow") {
  const inputs = await checked({ ...args, logicalName });
  const { id, outs } = await h.rt.create(KIND, inputs);
  return { id, inputs, outs };
}

const base = (over: Props = {}): Props => ({
  zoneId: ZONE,
  name: uniq("ipg"),
  content: ["1.1.1.1", "2.2.2.0/24", "2001:db8::/32"],
  ...over,
});

// ------------------------------------------------------------------------------------------------

describe("SecurityIPGroup lifecycle against the emulator", () => {
  it("creates the group with one call and returns outputs", async () => {
    const { id, outs, inputs } = await up(base());
    expect(id).toMatch(/^\d+$/);
    expect(outs).toMatchObject({ groupId: Number(id), name: inputs.name, zoneId: ZONE, ipTotalCount: 3 });
    expect(sorted(outs.content)).toEqual(sorted(["1.1.1.1", "2.2.2.0/24", "2001:db8::/32"]));
    expect(writes(apiCalls()).map((c) => c.action)).toEqual(["CreateSecurityIPGroup"]);
    expect(sorted(live(id).Content)).toEqual(sorted(outs.content));
  });

  it("reads back the outputs and the inputs that produced them", async () => {
    const { id, inputs, outs } = await up(base());
    const r = await h.rt.read(KIND, id, outs);
    expect(r.id).toBe(id);
    expect(r.props).toEqual(outs);
    expect(r.inputs).toEqual({ zoneId: ZONE, name: inputs.name, content: inputs.content, logicalName: "allow" });
  });

  it("reports no change for the same inputs and makes no API call, in diff or in update", async () => {
    const { id, inputs, outs } = await up(base({ ipExpireInfo: [{ expireTime: "2099-01-01T00:00:00+08:00", ipList: ["1.1.1.1"] }] }));
    h.resetCalls();
    const again = await checked({ ...inputs }, inputs);
    expect(await h.rt.diff(KIND, id, outs, again)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    const { outs: after } = await h.rt.update(KIND, id, outs, again);
    expect(after).toEqual(outs);
    expect(h.calls()).toEqual([]);
  });

  it("updates content with an append and a remove, each carrying only the delta", async () => {
    const { id, inputs, outs } = await up(base());
    const news = await checked({ ...inputs, content: ["1.1.1.1", "2001:db8::/32", "3.3.3.3", "4.4.4.0/24"] }, inputs);
    expect(await h.rt.diff(KIND, id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    h.resetCalls();
    const { outs: after } = await h.rt.update(KIND, id, outs, news);
    const bodies = modifyBodies();
    expect(bodies.map((b) => [b.Mode, sorted(b.IPGroup.Content)])).toEqual([["remove", ["2.2.2.0/24"]], ["append", ["3.3.3.3", "4.4.4.0/24"]]]);
    expect(bodies.every((b) => b.IPGroup.Name === inputs.name)).toBe(true);
    expect(sorted(live(id).Content)).toEqual(sorted(news.content));
    expect((await h.rt.diff(KIND, id, after, news)).changes).toBe(false);
  });

  it("renames in place with one update-mode request", async () => {
    const { id, inputs, outs } = await up(base());
    const name = uniq("renamed");
    const news = await checked({ ...inputs, name }, inputs);
    expect(await h.rt.diff(KIND, id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    h.resetCalls();
    const { outs: after } = await h.rt.update(KIND, id, outs, news);
    expect(modifyBodies().map((b) => b.Mode)).toEqual(["update"]);
    expect(after.name).toBe(name);
    expect(live(id)).toMatchObject({ Name: name });
    expect(sorted(live(id).Content)).toEqual(sorted(inputs.content));
  });

  it("renames and changes content in one go", async () => {
    const { id, inputs, outs } = await up(base({ ipExpireInfo: [{ expireTime: "2099-01-01T00:00:00Z", ipList: ["1.1.1.1"] }] }));
    const news = await checked({ ...inputs, name: uniq("both"), content: ["1.1.1.1", "5.5.5.5"] }, inputs);
    const { outs: after } = await h.rt.update(KIND, id, outs, news);
    expect(sorted(live(id).Content)).toEqual(["1.1.1.1", "5.5.5.5"]);
    expect(live(id).IPExpireInfo).toEqual([{ ExpireTime: "2099-01-01T00:00:00Z", IPList: ["1.1.1.1"] }]);
    expect((await h.rt.diff(KIND, id, after, news)).changes).toBe(false);
  });

  it("replaces on a zone change", async () => {
    const { id, inputs, outs } = await up(base());
    const news = await checked({ ...inputs, zoneId: OTHER_ZONE }, inputs);
    const d = await h.rt.diff(KIND, id, outs, news);
    expect(d).toMatchObject({ changes: true, replaces: ["zoneId"] });
  });

  it("detects console edits on read: the inputs reflect them and the next diff shows them", async () => {
    const { id, inputs, outs } = await up(base());
    admin("patchSecurityIPGroup", { groupId: Number(id), Name: `${inputs.name}-console`, Content: ["1.1.1.1", "9.9.9.9"] });
    const r = await h.rt.read(KIND, id, outs);
    expect(r.inputs).toMatchObject({ name: `${inputs.name}-console` });
    expect(sorted(r.inputs!.content)).toEqual(["1.1.1.1", "9.9.9.9"]);
    expect(await h.rt.diff(KIND, id, r.props!, inputs)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect((await h.rt.diff(KIND, id, r.props!, r.inputs!)).changes).toBe(false);
    // `up` converges back: rename, then deltas
    const { outs: after } = await h.rt.update(KIND, id, r.props!, inputs);
    expect(live(id).Name).toBe(inputs.name);
    expect(sorted(live(id).Content)).toEqual(sorted(inputs.content));
    expect((await h.rt.diff(KIND, id, after, inputs)).changes).toBe(false);
  });

  it("converges from a stale state: an entry removed in a console is not removed twice", async () => {
    const { id, inputs, outs } = await up(base());
    admin("patchSecurityIPGroup", { groupId: Number(id), Content: ["1.1.1.1", "2001:db8::/32"] });
    // the program drops 2.2.2.0/24 as well (already gone) and adds 6.6.6.6; no refresh in between
    const news = await checked({ ...inputs, content: ["1.1.1.1", "2001:db8::/32", "6.6.6.6"] }, inputs);
    const { outs: after } = await h.rt.update(KIND, id, outs, news);
    expect(sorted(live(id).Content)).toEqual(sorted(news.content));
    expect((await h.rt.diff(KIND, id, after, news)).changes).toBe(false);
  });

  it("deletes the group; deleting it again succeeds; reading it reports it gone", async () => {
    const { id, inputs, outs } = await up(base());
    await h.rt.remove(KIND, id, outs);
    expect(groupsNamed(inputs.name)).toEqual([]);
    await expect(h.rt.remove(KIND, id, outs)).resolves.toBeUndefined();
    expect(await h.rt.read(KIND, id, outs)).toEqual({ id: "" });
  });

  it("reports a group deleted out of band as gone", async () => {
    const { id, outs } = await up(base());
    admin("deleteSecurityIPGroup", { groupId: Number(id) });
    expect(await h.rt.read(KIND, id, outs)).toEqual({ id: "" });
    await expect(h.rt.remove(KIND, id, outs)).resolves.toBeUndefined();
  });

  it("refuses to delete a referenced group, saying why", async () => {
    const { id, outs } = await up(base());
    admin("addSecurityIPGroupReference", { groupId: Number(id) });
    await expect(h.rt.remove(KIND, id, outs)).rejects.toThrow(/OperationDenied[\s\S]*referenced by a security rule/);
    admin("clearSecurityIPGroupReferences", { groupId: Number(id) });
  });

  it("reads many groups with one Describe call", async () => {
    const made = await Promise.all([0, 1, 2, 3].map(() => up(base())));
    h.resetCalls();
    const reads = await Promise.all(made.map((m) => h.rt.read(KIND, m.id, m.outs)));
    expect(reads.map((r) => r.id)).toEqual(made.map((m) => m.id));
    expect(apiCalls("DescribeSecurityIPGroup")).toHaveLength(1);
  });
});

// ------------------------------------------------------------------------------------------------

describe("SecurityIPGroup content is a set of canonical entries", () => {
  it.each([
    { declared: ["10.0.0.1/32", "2.2.2.0/24"], again: ["2.2.2.0/24", "10.0.0.1"] },
    { declared: ["2001:DB8:0:0:0:0:0:1"], again: ["2001:db8::1/128"] },
    { declared: ["2001:0db8:0000::/48"], again: ["2001:db8::/48"] },
    { declared: ["::FFFF:1.2.3.4"], again: ["::ffff:102:304"] },
  ])("sees no change between $declared and $again", async ({ declared, again }) => {
    const { id, inputs, outs } = await up(base({ content: declared }));
    const news = await checked({ ...inputs, content: again }, inputs);
    expect((await h.rt.diff(KIND, id, outs, news)).changes).toBe(false);
    // and refresh reports the canonical form without a diff against either spelling
    const r = await h.rt.read(KIND, id, outs);
    expect((await h.rt.diff(KIND, id, r.props!, inputs)).changes).toBe(false);
  });

  it.each([
    { state: ["10.0.0.1/32", "2001:DB8::1"], changes: false },
    { state: ["10.0.0.1", "2001:0db8:0:0:0:0:0:1"], changes: false },
    { state: ["10.0.0.1", "2001:db8::1"], changes: false },
    { state: ["10.0.0.1", "2001:DB8::2"], changes: true },
    { state: ["10.0.0.1/32", "10.0.0.1", "2001:db8::1"], changes: false },
  ])("diffs a state written as $state against the checked inputs by canonical entries", async ({ state, changes }) => {
    // A state from an older provider may hold other spellings: diff must not take the state's text as canonical.
    const { id, inputs, outs } = await up(base({ content: ["10.0.0.1", "2001:db8::1"] }));
    const news = await checked({ ...inputs, content: ["2001:db8::1", "10.0.0.1"] }, inputs);
    expect((await h.rt.diff(KIND, id, { ...outs, content: state }, news)).changes).toBe(changes);
  });

  it("rejects a CIDR with host bits set, naming the canonical form", async () => {
    const failures = await failuresOf(base({ content: ["1.1.1.1", "1.2.3.4/24"] }));
    expect(failures).toEqual([{ property: "content[1]", reason: expect.stringContaining("1.2.3.0/24") }]);
    const v6 = await failuresOf(base({ content: ["2001:db8::1/32"] }));
    expect(v6).toEqual([{ property: "content[0]", reason: expect.stringContaining("2001:db8::/32") }]);
  });

  it("rejects duplicates, also between spellings", async () => {
    const failures = await failuresOf(base({ content: ["10.0.0.1", "2.2.2.2", "10.0.0.1/32", "2001:db8::1", "2001:DB8:0::1"] }));
    expect(failures.map((f) => f.property)).toEqual(["content[2]", "content[4]"]);
    expect(failures[0]!.reason).toContain("content[0]");
  });
});

// ------------------------------------------------------------------------------------------------

const VALID: Props = { zoneId: ZONE, name: "valid-ipg", content: ["1.1.1.1", "2.2.2.0/24", "3.3.3.3", "2001:db8::/32"] };
const FUTURE = "2099-03-24T16:03:00+08:00";

const VALIDATION: Array<{ name: string; patch: Props; property: string }> = [
  { name: "a bad zone id", patch: { zoneId: "zone_1" }, property: "zoneId" },
  { name: "a name with a space", patch: { name: "my group" }, property: "name" },
  { name: "a 65-character name", patch: { name: "a".repeat(65) }, property: "name" },
  { name: "an empty name", patch: { name: "" }, property: "name" },
  { name: "no content", patch: { content: [] }, property: "content" },
  { name: "a truncated address", patch: { content: ["1.1.1.1", "2.2.2.2", "3.3.3.3", "1.2.3"] }, property: "content[3]" },
  { name: "an octet above 255", patch: { content: ["1.1.1.1", "300.1.1.1"] }, property: "content[1]" },
  { name: "a prefix above 32", patch: { content: ["1.1.1.0/33"] }, property: "content[0]" },
  { name: "a prefix above 128", patch: { content: ["2001:db8::/129"] }, property: "content[0]" },
  { name: "a host name", patch: { content: ["example.com"] }, property: "content[0]" },
  { name: "a range", patch: { content: ["1.1.1.1-1.1.1.9"] }, property: "content[0]" },
  { name: "a bad IPv6", patch: { content: ["2001:db8::g"] }, property: "content[0]" },
  { name: "an IPv6 zone index", patch: { content: ["fe80::1%eth0"] }, property: "content[0]" },
  { name: "host bits set", patch: { content: ["1.1.1.1", "2.2.2.2", "1.2.3.4/24"] }, property: "content[2]" },
  { name: "a duplicate", patch: { content: ["1.1.1.1", "1.1.1.1/32"] }, property: "content[1]" },
  { name: "a non-string entry", patch: { content: ["1.1.1.1", 7] }, property: "content[1]" },
  { name: "an expiry without offset", patch: { ipExpireInfo: [{ expireTime: "2099-01-01T00:00:00", ipList: ["1.1.1.1"] }] }, property: "ipExpireInfo[0].expireTime" },
  { name: "an expiry that is a date only", patch: { ipExpireInfo: [{ expireTime: "2099-01-01", ipList: ["1.1.1.1"] }] }, property: "ipExpireInfo[0].expireTime" },
  { name: "an expiry in the past", patch: { ipExpireInfo: [{ expireTime: FUTURE, ipList: ["1.1.1.1"] }, { expireTime: "2020-01-01T00:00:00Z", ipList: ["3.3.3.3"] }] }, property: "ipExpireInfo[1].expireTime" },
  { name: "an impossible expiry date", patch: { ipExpireInfo: [{ expireTime: "2099-13-45T00:00:00Z", ipList: ["1.1.1.1"] }] }, property: "ipExpireInfo[0].expireTime" },
  { name: "an expiry with an empty list", patch: { ipExpireInfo: [{ expireTime: FUTURE, ipList: [] }] }, property: "ipExpireInfo[0].ipList" },
  { name: "an expiry for an entry not in content", patch: { ipExpireInfo: [{ expireTime: FUTURE, ipList: ["1.1.1.1", "8.8.8.8"] }] }, property: "ipExpireInfo[0].ipList[1]" },
  { name: "two expiries for one entry (other spelling)", patch: { ipExpireInfo: [{ expireTime: FUTURE, ipList: ["1.1.1.1"] }, { expireTime: "2099-05-01T00:00:00Z", ipList: ["1.1.1.1/32"] }] }, property: "ipExpireInfo[1].ipList[0]" },
  { name: "an expiry without a time", patch: { ipExpireInfo: [{ ipList: ["1.1.1.1"] }] }, property: "ipExpireInfo[0].expireTime" },
  { name: "an unknown expiry property", patch: { ipExpireInfo: [{ expireTime: FUTURE, ipList: ["1.1.1.1"], time: FUTURE }] }, property: "ipExpireInfo[0].time" },
  { name: "an unknown top-level property", patch: { ipTotalCount: 3 }, property: "ipTotalCount" },
];

describe("SecurityIPGroup check", () => {
  it("accepts the valid base inputs, with expiries", async () => {
    expect(await failuresOf(VALID)).toEqual([]);
    expect(await failuresOf({ ...VALID, ipExpireInfo: [{ expireTime: FUTURE, ipList: ["1.1.1.1/32", "2001:DB8::/32"] }] })).toEqual([]);
  });

  it.each(VALIDATION)("rejects $name at $property", async ({ patch, property }) => {
    const failures = await failuresOf({ ...VALID, ...patch, logicalName: "allow" });
    expect(failures.map((f) => f.property)).toEqual([property]);
    expect(failures[0]!.reason).not.toBe("");
  });

  it("reports every failure at once", async () => {
    const failures = await failuresOf({ ...VALID, name: "bad name", content: ["1.1.1.1", "nope", "1.2.3.4/8"] });
    expect(failures.map((f) => f.property).sort()).toEqual(["content[1]", "content[2]", "name"]);
  });

  it("accepts a past expiry that was already declared (it fired), refuses it when new", async () => {
    const past = "2020-01-01T00:00:00Z";
    const declared = { ...VALID, ipExpireInfo: [{ expireTime: past, ipList: ["3.3.3.3"] }] };
    expect(await failuresOf(declared, declared)).toEqual([]);
    // same entry, another past time: a new declaration
    expect((await failuresOf(declared, { ...VALID, ipExpireInfo: [{ expireTime: "2020-01-02T00:00:00Z", ipList: ["3.3.3.3"] }] })).map((f) => f.property))
      .toEqual(["ipExpireInfo[0].expireTime"]);
  });
});

// ------------------------------------------------------------------------------------------------

describe("SecurityIPGroup preview unknowns", () => {
  it.each([
    { where: "the whole content", patch: { content: U } },
    { where: "one content entry", patch: { content: ["1.1.1.1", "2.2.2.0/24", "3.3.3.3", U] } },
    { where: "the name", patch: { name: U } },
    { where: "the zone id", patch: { zoneId: U } },
    { where: "an expiry time", patch: { ipExpireInfo: [{ expireTime: U, ipList: ["1.1.1.1"] }] } },
    { where: "an expiry entry", patch: { ipExpireInfo: [{ expireTime: FUTURE, ipList: [U] }] } },
    { where: "the whole ipExpireInfo", patch: { ipExpireInfo: U } },
  ])("does not judge $where while known parts are still judged", async ({ patch }) => {
    const ok = await h.rt.check(KIND, undefined, { ...VALID, ...patch });
    expect(ok.failures).toEqual([]);
    for (const [k, v] of Object.entries(patch)) if (v === U) expect(ok.inputs[k]).toBe(U);
    const judged = "name" in patch ? { zoneId: "nozone" } : { name: "bad name" };
    expect((await failuresOf({ ...VALID, ...patch, ...judged })).map((f) => f.property)).toEqual(Object.keys(judged));
  });

  it("does not call an expiry entry missing from content while content is unknown", async () => {
    const withExpiry = { ipExpireInfo: [{ expireTime: FUTURE, ipList: ["7.7.7.7"] }] };
    expect(await failuresOf({ ...VALID, ...withExpiry, content: U })).toEqual([]);
    expect(await failuresOf({ ...VALID, ...withExpiry, content: ["1.1.1.1", U] })).toEqual([]);
    // known content: judged
    expect((await failuresOf({ ...VALID, ...withExpiry })).map((f) => f.property)).toEqual(["ipExpireInfo[0].ipList[0]"]);
  });

  it("still judges the known entries next to an unknown one", async () => {
    const failures = await failuresOf({ ...VALID, content: [U, "1.2.3.4/24", "1.1.1.1"] });
    expect(failures.map((f) => f.property)).toEqual(["content[1]"]);
  });

  it.each([
    { prop: "content", value: ["1.1.1.1", U], replaces: [] },
    { prop: "name", value: U, replaces: [] },
    { prop: "ipExpireInfo", value: [{ expireTime: U, ipList: ["1.1.1.1"] }], replaces: [] },
    { prop: "zoneId", value: U, replaces: ["zoneId"] },
  ])("diff reports a change when $prop is unknown (replaces $replaces)", async ({ prop, value, replaces }) => {
    const { id, inputs, outs } = await up(base());
    const d = await h.rt.diff(KIND, id, outs, { ...inputs, [prop]: value });
    expect(d.changes).toBe(true);
    expect(d.replaces).toEqual(replaces);
  });
});

// ------------------------------------------------------------------------------------------------

describe("SecurityIPGroup autonaming", () => {
  it("names an unnamed group <logicalName>-<7 hex>, valid for the API, and keeps it", async () => {
    const { name: _, ...args } = base();
    const first = await checked({ ...args, logicalName: "office" });
    expect(first.name).toMatch(/^office-[0-9a-f]{7}$/);
    const { id, outs } = await h.rt.create(KIND, first);
    expect(live(id).Name).toBe(first.name);
    const second = await checked({ ...args, logicalName: "office" }, first);
    expect(second.name).toBe(first.name);
    expect((await h.rt.diff(KIND, id, outs, second)).changes).toBe(false);
  });

  it("fits the API's 64-character rule", async () => {
    const { name: _, ...args } = base();
    const long = await checked({ ...args, logicalName: "bureau de Zürich/" + "x".repeat(80) });
    expect(long.name).toHaveLength(64);
    expect(long.name).toMatch(/^bureau-de-Zürich-x+-[0-9a-f]{7}$/);
    await h.rt.create(KIND, long);
  });
});

// ------------------------------------------------------------------------------------------------

describe("SecurityIPGroup expiry schedules", () => {
  it("creates schedules, reschedules, and drops a schedule with the right modes", async () => {
    const { id, inputs, outs } = await up(base({ ipExpireInfo: [{ expireTime: "2099-01-01T00:00:00Z", ipList: ["1.1.1.1", "2.2.2.0/24"] }] }));
    expect(live(id).IPExpireInfo).toEqual([{ ExpireTime: "2099-01-01T00:00:00Z", IPList: ["1.1.1.1", "2.2.2.0/24"] }]);
    const news = await checked({ ...inputs, ipExpireInfo: [{ expireTime: "2099-06-01T00:00:00Z", ipList: ["1.1.1.1"] }] }, inputs);
    expect((await h.rt.diff(KIND, id, outs, news)).changes).toBe(true);
    h.resetCalls();
    const { outs: after } = await h.rt.update(KIND, id, outs, news);
    expect(modifyBodies().map((b) => [b.Mode, b.IPGroup.Content, b.IPGroup.IPExpireInfo])).toEqual([
      ["remove", [], [{ IPList: ["2.2.2.0/24"] }]],
      ["append", [], [{ ExpireTime: "2099-06-01T00:00:00Z", IPList: ["1.1.1.1"] }]],
    ]);
    expect(live(id).IPExpireInfo).toEqual([{ ExpireTime: "2099-06-01T00:00:00Z", IPList: ["1.1.1.1"] }]);
    expect(sorted(live(id).Content)).toEqual(sorted(inputs.content));
    expect((await h.rt.diff(KIND, id, after, news)).changes).toBe(false);
  });

  it("treats fired schedules as history, not drift, before and after refresh", async () => {
    const soon = inMs(1200);
    const declared = base({ content: ["1.1.1.1", "3.3.3.3", "4.4.4.4"], ipExpireInfo: [{ expireTime: soon, ipList: ["3.3.3.3"] }, { expireTime: "2099-01-01T00:00:00Z", ipList: ["4.4.4.4"] }] });
    const { id, inputs, outs } = await up(declared);
    await sleep(Date.parse(soon) - Date.now() + 100);
    expect(sorted(live(id).Content)).toEqual(["1.1.1.1", "4.4.4.4"]);
    h.resetCalls();
    // preview without refresh: the schedule is known, no change
    const again = await checked({ ...declared, logicalName: "allow" }, inputs);
    expect(await h.rt.diff(KIND, id, outs, again)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(h.calls()).toEqual([]);
    // refresh, then preview: still no change and no check failure for the past time
    const r = await h.rt.read(KIND, id, outs);
    expect(r.props!.ipTotalCount).toBe(2);
    const afterRefresh = await checked({ ...declared, logicalName: "allow" }, r.inputs);
    expect((await h.rt.diff(KIND, id, r.props!, afterRefresh)).changes).toBe(false);
    // an update for another reason does not try to remove the fired entry
    const more = await checked({ ...declared, content: [...declared.content, "5.5.5.5"], logicalName: "allow" }, r.inputs);
    h.resetCalls();
    await h.rt.update(KIND, id, outs, more);
    expect(apiCalls("ModifySecurityIPGroup").map((c) => c.errorCode)).toEqual([undefined]);
    expect(sorted(live(id).Content)).toEqual(["1.1.1.1", "4.4.4.4", "5.5.5.5"]);
  });

  it("keeps a fired schedule known after the API stops showing it (a week later)", async () => {
    const { id, outs } = await up(base({ content: ["1.1.1.1"] }));
    // state written when 9.9.9.9 was still scheduled; the API has forgotten that schedule by now
    const old = { ...outs, ipExpireInfo: [{ expireTime: "2024-01-01T00:00:00Z", ipList: ["9.9.9.9"] }] };
    const r = await h.rt.read(KIND, id, old);
    const declared = { zoneId: ZONE, name: outs.name, content: ["1.1.1.1", "9.9.9.9"], ipExpireInfo: [{ expireTime: "2024-01-01T00:00:00Z", ipList: ["9.9.9.9"] }] };
    expect(await failuresOf(declared, r.inputs)).toEqual([]);
    expect((await h.rt.diff(KIND, id, r.props!, declared)).changes).toBe(false);
  });

  it("shows an entry re-added after its schedule fired as drift", async () => {
    const soon = inMs(1000);
    const declared = base({ content: ["1.1.1.1", "3.3.3.3"], ipExpireInfo: [{ expireTime: soon, ipList: ["3.3.3.3"] }] });
    const { id, outs } = await up(declared);
    await sleep(Date.parse(soon) - Date.now() + 100);
    admin("patchSecurityIPGroup", { groupId: Number(id), Content: ["1.1.1.1", "3.3.3.3"] });
    const r = await h.rt.read(KIND, id, outs);
    expect(sorted(r.inputs!.content)).toEqual(["1.1.1.1", "3.3.3.3"]);
    expect((await h.rt.diff(KIND, id, r.props!, { ...declared })).changes).toBe(true);
  });
});

// ------------------------------------------------------------------------------------------------

describe("SecurityIPGroup create recovery and adoption", () => {
  it.each(["drop-after", "drop-before", "error"] as const)("leaves exactly one group after a %s fault on CreateSecurityIPGroup", async (kind) => {
    const args = base();
    h.emulator.inject({ action: "CreateSecurityIPGroup", kind, count: 1 });
    const { id, outs } = await up(args);
    const groups = groupsNamed(args.name);
    expect(groups.map((g) => String(g.GroupId))).toEqual([id]);
    expect(sorted(outs.content)).toEqual(sorted(args.content));
    expect(apiCalls("CreateSecurityIPGroup").filter((c) => c.fault === kind)).toHaveLength(1);
    if (kind === "drop-after") expect(apiCalls("CreateSecurityIPGroup")).toHaveLength(1);
  });

  it("reports a group whose later chunks failed as a partial create, and the next update completes it", async () => {
    process.env.EDGECONF_IP_ENTRIES_PER_REQUEST = "10";
    try {
      const args = base({ content: ips(5000, 25) });
      h.emulator.inject({ action: "ModifySecurityIPGroup", kind: "error", code: "FailedOperation", count: 1 });
      const inputs = await checked({ ...args, logicalName: "allow", __provider: "stub" });
      const err = (await h.rt.create(KIND, inputs).catch((e) => e)) as Error & { id?: string; properties?: Props };
      const [g] = groupsNamed(args.name);
      expect(err.id).toBe(String(g!.GroupId));
      expect(err.properties).toMatchObject({ groupId: g!.GroupId, __provider: "stub" });
      expect(g!.Content).toHaveLength(10);
      const { outs } = await h.rt.update(KIND, err.id!, err.properties!, inputs);
      expect(outs.ipTotalCount).toBe(25);
      expect(sorted(live(err.id!).Content)).toEqual(sorted(args.content));
    } finally {
      delete process.env.EDGECONF_IP_ENTRIES_PER_REQUEST;
    }
  });

  it("adopts an existing group by adoptId and converges it with deltas", async () => {
    const name = uniq("console");
    const { GroupId } = await providerContext().tencent().call<{ GroupId: number }>("teo", "2022-09-01", "CreateSecurityIPGroup", {
      ZoneId: ZONE, IPGroup: { GroupId: 0, Name: name, Content: ["1.1.1.1", "7.7.7.7"] },
    });
    h.resetCalls();
    const { id, outs } = await up({ ...base({ name }), adoptId: GroupId });
    expect(id).toBe(String(GroupId));
    expect(writes(apiCalls()).map((c) => c.action)).toEqual(["ModifySecurityIPGroup", "ModifySecurityIPGroup"]);
    expect(groupsNamed(name)).toHaveLength(1);
    expect(sorted(outs.content)).toEqual(sorted(["1.1.1.1", "2.2.2.0/24", "2001:db8::/32"]));
  });

  it("refuses to adopt a group that is not in the declared zone", async () => {
    const { id } = await up(base());
    const inputs = await checked({ ...base({ zoneId: OTHER_ZONE }), adoptId: id, logicalName: "allow" });
    await expect(h.rt.create(KIND, inputs)).rejects.toThrow(/adoptId/);
  });
});

// ------------------------------------------------------------------------------------------------

describe("SecurityIPGroup large groups", () => {
  afterEach(() => {
    h.emulator.settings.ipEntriesPerRequest = 2000;
    delete process.env.EDGECONF_IP_ENTRIES_PER_REQUEST;
  });

  it("reads a group of more than 2000 entries completely", async () => {
    const content = ips(100_000, 2500);
    const { id, inputs, outs } = await up(base({ content }));
    expect(outs.content).toHaveLength(2500);
    h.resetCalls();
    const r = await h.rt.read(KIND, id, outs);
    expect(r.props!.content).toHaveLength(2500);
    expect(apiCalls().map((c) => c.action)).toEqual(["DescribeSecurityIPGroup", "DescribeSecurityIPGroupContent"]);
    expect((await h.rt.diff(KIND, id, r.props!, inputs)).changes).toBe(false);
  });

  it("chunks a large delta under the configured per-request limit", async () => {
    h.emulator.settings.ipEntriesPerRequest = 10;
    process.env.EDGECONF_IP_ENTRIES_PER_REQUEST = "10";
    const first = ips(200_000, 35);
    const { id, inputs, outs } = await up(base({ content: first, ipExpireInfo: [{ expireTime: "2099-01-01T00:00:00Z", ipList: first.slice(0, 3) }] }));
    // create: 35 entries + 3 schedules = 38 → one create and three appends
    expect(writes(apiCalls()).map((c) => c.action)).toEqual(["CreateSecurityIPGroup", ...Array(3).fill("ModifySecurityIPGroup")]);
    expect(live(id).Content).toHaveLength(35);
    const next = [...first.slice(15), ...ips(300_000, 25)];
    const news = await checked({ ...inputs, content: next, ipExpireInfo: undefined }, inputs);
    h.resetCalls();
    const { outs: after } = await h.rt.update(KIND, id, outs, news);
    const bodies = modifyBodies();
    // 15 removed (their schedules go with them) → 2 removes; 25 added → 3 appends
    expect(bodies.map((b) => b.Mode)).toEqual(["remove", "remove", "append", "append", "append"]);
    for (const b of bodies) expect(entriesOf(b)).toBeLessThanOrEqual(10);
    expect(apiCalls().some((c) => c.errorCode)).toBe(false);
    expect(sorted(live(id).Content)).toEqual(sorted(next));
    expect((await h.rt.diff(KIND, id, after, news)).changes).toBe(false);
  });

  it("replaces instead of renaming a group larger than one request", async () => {
    process.env.EDGECONF_IP_ENTRIES_PER_REQUEST = "10";
    h.emulator.settings.ipEntriesPerRequest = 10;
    const { id, inputs, outs } = await up(base({ content: ips(400_000, 12) }));
    const news = await checked({ ...inputs, name: uniq("bigger") }, inputs);
    expect(await h.rt.diff(KIND, id, outs, news)).toEqual({ changes: true, replaces: ["name"], deleteBeforeReplace: false });
  });

  it("changes 10 entries of a 50,000-entry group with at most 2 small Modify requests", async () => {
    const content = ips(1_000_000, 50_000);
    const { id, inputs, outs } = await up(base({ content }));
    expect(outs.ipTotalCount).toBe(50_000);
    const next = [...content.slice(5), ...ips(2_000_000, 5)];
    const news = await checked({ ...inputs, content: next }, inputs);
    expect((await h.rt.diff(KIND, id, outs, news)).changes).toBe(true);
    h.resetCalls();
    const { outs: after } = await h.rt.update(KIND, id, outs, news);
    const modifies = apiCalls("ModifySecurityIPGroup");
    expect(modifies.length).toBeLessThanOrEqual(2);
    expect(modifies.map((c) => JSON.parse(c.requestBody!).Mode)).toEqual(["remove", "append"]);
    expect(modifies.map((c) => sorted(JSON.parse(c.requestBody!).IPGroup.Content))).toEqual([sorted(content.slice(0, 5)), sorted(ips(2_000_000, 5))]);
    for (const c of modifies) {
      expect(c.requestBytes).toBe(Buffer.byteLength(c.requestBody!));
      expect(c.requestBytes).toBeLessThan(400);
    }
    expect(writes(apiCalls())).toHaveLength(modifies.length);
    expect(live(id).Content).toHaveLength(50_000);
    // the read back and a refresh see all 50,000 entries: no false diff
    expect(after.content).toHaveLength(50_000);
    expect((await h.rt.diff(KIND, id, after, news)).changes).toBe(false);
    const r = await h.rt.read(KIND, id, after);
    expect((await h.rt.diff(KIND, id, r.props!, news)).changes).toBe(false);
  });
});
