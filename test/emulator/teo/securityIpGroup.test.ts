import { describe, expect, it } from "vitest";
import { ACCOUNT, teo, type Params } from "./harness";
import { ACCEPTED_CREATES, CREATE_VECTORS, FUTURE, VALID_CREATE, Z } from "./securityIpGroup.vectors";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

function withGroup(content: string[] = ["1.1.1.1"], extra: Params = {}, settings: Params = {}) {
  const t = teo(settings);
  const id = t.call("CreateSecurityIPGroup", { ZoneId: Z, IPGroup: { GroupId: 0, Name: "g", Content: content, ...extra } }).GroupId as number;
  const describe = () => t.call("DescribeSecurityIPGroup", { ZoneId: Z, GroupIds: [id] }).IPGroups[0];
  const modify = (Mode: string, group: Params) => t.call("ModifySecurityIPGroup", { ZoneId: Z, Mode, IPGroup: { GroupId: id, Name: "g", Content: [], ...group } });
  const modifyCode = (Mode: string, group: Params) => t.codeOf("ModifySecurityIPGroup", { ZoneId: Z, Mode, IPGroup: { GroupId: id, Name: "g", Content: [], ...group } });
  return { ...t, id, describe, modify, modifyCode };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe("CreateSecurityIPGroup", () => {
  it.each(CREATE_VECTORS)("refuses $name with $code", ({ request, code }) => {
    expect(teo().codeOf("CreateSecurityIPGroup", request)).toBe(code);
  });

  it.each(ACCEPTED_CREATES)("accepts $name", ({ request }) => {
    expect(teo().codeOf("CreateSecurityIPGroup", request)).toBe("OK");
  });

  it("round-trips both official examples: integer ids from 100 on", () => {
    const t = teo();
    t.admin("addZone", { zoneId: "zone-j94jf0a1" });
    expect(t.call("CreateSecurityIPGroup", { IPGroup: { GroupId: 0, Name: "testip", Content: ["2.2.2.2"] }, ZoneId: "zone-j94jf0a1" })).toEqual({ GroupId: 100 });
    expect(t.call("CreateSecurityIPGroup", {
      IPGroup: { GroupId: 0, Name: "test", Content: ["1.1.1.1", "3.3.3.3"], IPExpireInfo: [{ ExpireTime: FUTURE, IPList: ["1.1.1.1"] }] },
      ZoneId: "zone-j94jf0a1",
    })).toEqual({ GroupId: 101 });
  });

  it("refuses a name used in the same zone only", () => {
    const t = teo();
    t.call("CreateSecurityIPGroup", VALID_CREATE);
    expect(t.codeOf("CreateSecurityIPGroup", VALID_CREATE)).toBe("InvalidParameter.Security");
    t.admin("addZone", { zoneId: "zone-b0000000" });
    expect(t.codeOf("CreateSecurityIPGroup", { ...VALID_CREATE, ZoneId: "zone-b0000000" })).toBe("OK");
  });

  it("stores canonical entries: bare /32 and /128, compressed lowercase IPv6", () => {
    const t = withGroup(["1.1.1.1/32", "2001:DB8:0:0:0:0:0:1/128", "2001:0db8:0000::/48", "::FFFF:8.8.8.8", "10.0.0.0/8"]);
    expect(t.describe().Content).toEqual(["1.1.1.1", "2001:db8::1", "2001:db8::/48", "::ffff:8.8.8.8", "10.0.0.0/8"]);
  });
});

describe("DescribeSecurityIPGroup", () => {
  it("answers the official example's shape", () => {
    const t = withGroup(["2.2.2.2", "23.23.23.0/24"], { IPExpireInfo: [{ ExpireTime: FUTURE, IPList: ["2.2.2.2"] }] });
    t.call("ModifySecurityIPGroup", { ZoneId: Z, Mode: "update", IPGroup: { GroupId: t.id, Name: "ExampleIpGroup", Content: ["2.2.2.2", "23.23.23.0/24"] } });
    expect(t.call("DescribeSecurityIPGroup", { ZoneId: Z })).toEqual({
      IPGroups: [{
        GroupId: t.id, Name: "ExampleIpGroup", IPTotalCount: 2, Content: ["2.2.2.2", "23.23.23.0/24"],
        IPExpireInfo: [{ ExpireTime: FUTURE, IPList: ["2.2.2.2"] }], RefCount: 0,
      }],
    });
  });

  it("returns the listed groups, ignores unknown ids and other zones' groups", () => {
    const t = teo();
    t.admin("addZone", { zoneId: "zone-b0000000" });
    const a = t.call("CreateSecurityIPGroup", { ...VALID_CREATE, IPGroup: { ...VALID_CREATE.IPGroup, Name: "a" } }).GroupId;
    const b = t.call("CreateSecurityIPGroup", { ...VALID_CREATE, IPGroup: { ...VALID_CREATE.IPGroup, Name: "b" } }).GroupId;
    const c = t.call("CreateSecurityIPGroup", { ...VALID_CREATE, ZoneId: "zone-b0000000" }).GroupId;
    const ids = (p: Params) => t.call("DescribeSecurityIPGroup", { ZoneId: Z, ...p }).IPGroups.map((g: Params) => g.GroupId);
    expect(ids({})).toEqual([a, b]);
    expect(ids({ GroupIds: [b, 99999, c] })).toEqual([b]);
    expect(ids({ GroupIds: [] })).toEqual([]);
    expect(t.call("DescribeSecurityIPGroup", { ZoneId: Z }, "AKIDOTHER").IPGroups).toEqual([]);
  });

  it.each([
    ["missing ZoneId", {}, "MissingParameter"],
    ["unknown zone", { ZoneId: "zone-nope" }, "InvalidParameter.ZoneNotFound"],
    ["GroupIds of strings", { ZoneId: Z, GroupIds: ["100"] }, "InvalidParameter"],
    ["unknown parameter", { ZoneId: Z, Limit: 10 }, "UnknownParameter"],
  ] as const)("refuses %s with %s", (_n, request, code) => {
    expect(teo().codeOf("DescribeSecurityIPGroup", request)).toBe(code);
  });

  it("truncates Content to 2000 per group with the full IPTotalCount; the content call pages the rest", () => {
    const entries = Array.from({ length: 2500 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    const t = withGroup(entries, {}, { ipEntriesPerRequest: 3000 });
    const g = t.describe();
    expect(g.IPTotalCount).toBe(2500);
    expect(g.Content).toEqual(entries.slice(0, 2000));
    const page = (p: Params) => t.call("DescribeSecurityIPGroupContent", { ZoneId: Z, GroupId: t.id, ...p });
    expect(page({})).toEqual({ IPTotalCount: 2500, IPList: entries.slice(0, 2000) });
    expect(page({ Offset: 2000 })).toEqual({ IPTotalCount: 2500, IPList: entries.slice(2000) });
    expect(page({ Offset: 100, Limit: 3 }).IPList).toEqual(entries.slice(100, 103));
    expect(page({ Offset: 5000 })).toEqual({ IPTotalCount: 2500, IPList: [] });
    expect(page({ Limit: 100000 }).IPList).toHaveLength(2500);
  });

  it.each([
    ["Limit 0", { Limit: 0 }, "InvalidParameter"],
    ["Limit 100001", { Limit: 100001 }, "InvalidParameter"],
    ["Offset -1", { Offset: -1 }, "InvalidParameter"],
    ["unknown group", { GroupId: 4242 }, "ResourceNotFound"],
    ["missing GroupId", { GroupId: undefined }, "MissingParameter"],
  ] as const)("DescribeSecurityIPGroupContent refuses %s with %s", (_n, p, code) => {
    const t = withGroup();
    expect(t.codeOf("DescribeSecurityIPGroupContent", { ZoneId: Z, GroupId: t.id, ...p })).toBe(code);
  });

  it("round-trips the official content example", () => {
    const t = withGroup(["1.1.1.1", "1.2.3.1", "1.2.4.1", "1.5.3.1", "6.2.3.1"]);
    expect(t.call("DescribeSecurityIPGroupContent", { ZoneId: Z, GroupId: t.id, Limit: 1000, Offset: 0 }))
      .toEqual({ IPTotalCount: 5, IPList: ["1.1.1.1", "1.2.3.1", "1.2.4.1", "1.5.3.1", "6.2.3.1"] });
  });
});

describe("ModifySecurityIPGroup", () => {
  it("replays the seven official examples (dates moved to the future) in order", () => {
    const t = teo();
    t.admin("addZone", { zoneId: "zone-hduqwh" });
    const id = t.call("CreateSecurityIPGroup", { ZoneId: "zone-hduqwh", IPGroup: { GroupId: 0, Name: "test3", Content: ["9.9.9.9"] } }).GroupId;
    const m = (Mode: string, g: Params) => t.call("ModifySecurityIPGroup", { IPGroup: { GroupId: id, Name: "test3", ...g }, Mode, ZoneId: "zone-hduqwh" });
    const d = () => t.call("DescribeSecurityIPGroup", { ZoneId: "zone-hduqwh", GroupIds: [id] }).IPGroups[0];
    const T1 = "2026-01-01T00:00:00+08:00";
    const T2 = "2026-01-02T00:00:00+08:00";
    expect(m("append", { Content: ["1.1.1.1", "2.2.2.0/24"] })).toEqual({});
    expect(m("append", { Content: ["1.1.1.1", "2.2.2.0/24", "3.3.3.3", "4.4.4.4"], IPExpireInfo: [{ ExpireTime: T1, IPList: ["1.1.1.1", "4.4.4.4"] }, { ExpireTime: T2, IPList: ["2.2.2.0/24"] }] })).toEqual({});
    expect(d()).toMatchObject({ IPTotalCount: 5, IPExpireInfo: [{ ExpireTime: T1, IPList: ["1.1.1.1", "4.4.4.4"] }, { ExpireTime: T2, IPList: ["2.2.2.0/24"] }] });
    expect(m("append", { Content: [], IPExpireInfo: [{ ExpireTime: T2, IPList: ["1.1.1.1"] }] })).toEqual({}); // new time overwrites
    expect(d().IPExpireInfo).toEqual([{ ExpireTime: T1, IPList: ["4.4.4.4"] }, { ExpireTime: T2, IPList: ["2.2.2.0/24", "1.1.1.1"] }]);
    expect(m("remove", { Content: [], IPExpireInfo: [{ IPList: ["1.1.1.1"] }] })).toEqual({}); // example 5: expiry only
    expect(d()).toMatchObject({ IPTotalCount: 5, IPExpireInfo: [{ ExpireTime: T1, IPList: ["4.4.4.4"] }, { ExpireTime: T2, IPList: ["2.2.2.0/24"] }] });
    expect(m("remove", { Content: ["4.4.4.4"] })).toEqual({}); // example 4 (on an entry with an expiry: both go)
    expect(d()).toMatchObject({ IPTotalCount: 4, Content: ["9.9.9.9", "1.1.1.1", "2.2.2.0/24", "3.3.3.3"], IPExpireInfo: [{ ExpireTime: T2, IPList: ["2.2.2.0/24"] }] });
    expect(m("update", { Content: ["1.1.1.1", "2.2.2.0/24"] })).toEqual({});
    expect(d()).toMatchObject({ Content: ["1.1.1.1", "2.2.2.0/24"], IPExpireInfo: [{ ExpireTime: T2, IPList: ["2.2.2.0/24"] }] });
    expect(m("update", { Content: ["1.1.1.1", "2.2.2.0/24", "3.3.3.3"], IPExpireInfo: [{ ExpireTime: T1, IPList: ["1.1.1.1"] }] })).toEqual({});
    expect(d()).toEqual({ GroupId: id, Name: "test3", Content: ["1.1.1.1", "2.2.2.0/24", "3.3.3.3"], IPTotalCount: 3, IPExpireInfo: [{ ExpireTime: T1, IPList: ["1.1.1.1"] }], RefCount: 0 });
  });

  it("append adds new entries, accepts ones already present, and honours the canonical form", () => {
    const t = withGroup(["1.1.1.1"]);
    t.modify("append", { Content: ["1.1.1.1/32", "2001:DB8::1", "5.5.0.0/16"] });
    expect(t.describe().Content).toEqual(["1.1.1.1", "2001:db8::1", "5.5.0.0/16"]);
    t.modify("remove", { Content: ["2001:db8:0::1/128", "1.1.1.1"] });
    expect(t.describe().Content).toEqual(["5.5.0.0/16"]);
  });

  it("update renames, replaces Content, drops expiries of entries that leave and keeps the others", () => {
    const t = withGroup(["1.1.1.1", "2.2.2.2"], { IPExpireInfo: [{ ExpireTime: FUTURE, IPList: ["1.1.1.1", "2.2.2.2"] }] });
    t.modify("update", { Name: "renamed", Content: ["2.2.2.2", "3.3.3.3"] });
    expect(t.call("DescribeSecurityIPGroup", { ZoneId: Z }).IPGroups[0]).toMatchObject({
      Name: "renamed", Content: ["2.2.2.2", "3.3.3.3"], IPExpireInfo: [{ ExpireTime: FUTURE, IPList: ["2.2.2.2"] }],
    });
    t.call("ModifySecurityIPGroup", { ZoneId: Z, Mode: "update", IPGroup: { GroupId: t.id, Name: "renamed", Content: ["2.2.2.2"], IPExpireInfo: [] } });
    expect(t.call("DescribeSecurityIPGroup", { ZoneId: Z }).IPGroups[0].IPExpireInfo).toEqual([]);
  });

  it.each([
    ["unknown Mode", "replace", { Content: ["3.3.3.3"] }, "InvalidParameter.Security"],
    ["append under another name", "append", { Name: "other", Content: ["3.3.3.3"] }, "InvalidParameter.Security"],
    ["remove under another name", "remove", { Name: "other", Content: ["1.1.1.1"] }, "InvalidParameter.Security"],
    ["append a bad entry", "append", { Content: ["3.3.3.3/33"] }, "InvalidParameter.Security"],
    ["append duplicates", "append", { Content: ["3.3.3.3", "3.3.3.3/32"] }, "InvalidParameter.Security"],
    ["append an expiry for an absent entry", "append", { IPExpireInfo: [{ ExpireTime: FUTURE, IPList: ["7.7.7.7"] }] }, "InvalidParameter.Security"],
    ["append a past expiry", "append", { IPExpireInfo: [{ ExpireTime: "2023-12-31T00:00:00Z", IPList: ["1.1.1.1"] }] }, "InvalidParameter.Security"],
    ["append an expiry equal to now", "append", { IPExpireInfo: [{ ExpireTime: "2024-01-01T04:12:12Z", IPList: ["1.1.1.1"] }] }, "InvalidParameter.Security"],
    ["append an expiry without ExpireTime", "append", { IPExpireInfo: [{ IPList: ["1.1.1.1"] }] }, "InvalidParameter.Security"],
    ["remove an absent entry", "remove", { Content: ["7.7.7.7"] }, "InvalidParameter.Security"],
    ["remove an expiry given with ExpireTime", "remove", { IPExpireInfo: [{ ExpireTime: FUTURE, IPList: ["1.1.1.1"] }] }, "InvalidParameter.Security"],
    ["remove an expiry that does not exist", "remove", { IPExpireInfo: [{ IPList: ["1.1.1.1"] }] }, "InvalidParameter.Security"],
    ["update with empty Content", "update", { Content: [] }, "InvalidParameter.Security"],
    ["update with an expiry for an entry leaving the group", "update", { Content: ["3.3.3.3"], IPExpireInfo: [{ ExpireTime: FUTURE, IPList: ["1.1.1.1"] }] }, "InvalidParameter.Security"],
    ["update with a bad name", "update", { Name: "a b", Content: ["1.1.1.1"] }, "InvalidParameter.Security"],
    ["update with another group's name", "update", { Name: "taken", Content: ["1.1.1.1"] }, "InvalidParameter.Security"],
    ["an IPGroup field of the wrong type", "append", { Content: "3.3.3.3" }, "InvalidParameter"],
    ["an unknown IPGroup field", "append", { Content: ["3.3.3.3"], Comment: "x" }, "UnknownParameter"],
  ] as const)("refuses %s with %s", (_n, mode, group, code) => {
    const t = withGroup(["1.1.1.1"]);
    t.call("CreateSecurityIPGroup", { ZoneId: Z, IPGroup: { GroupId: 0, Name: "taken", Content: ["8.8.8.8"] } });
    expect(t.modifyCode(mode, group)).toBe(code);
    expect(t.describe()).toMatchObject({ Name: "g", Content: ["1.1.1.1"], IPExpireInfo: [] }); // nothing half-applied
  });

  it("refuses Modify without Mode/IPGroup.Name/IPGroup.Content, of an unknown group, through another zone", () => {
    const t = withGroup();
    t.admin("addZone", { zoneId: "zone-b0000000" });
    const code = (p: Params) => t.codeOf("ModifySecurityIPGroup", p);
    expect(code({ ZoneId: Z, IPGroup: { GroupId: t.id, Name: "g", Content: [] } })).toBe("MissingParameter");
    expect(code({ ZoneId: Z, Mode: "append", IPGroup: { GroupId: t.id, Content: [] } })).toBe("MissingParameter");
    expect(code({ ZoneId: Z, Mode: "append", IPGroup: { GroupId: t.id, Name: "g" } })).toBe("MissingParameter");
    expect(code({ ZoneId: Z, Mode: "append", IPGroup: { GroupId: 9999, Name: "g", Content: [] } })).toBe("ResourceNotFound");
    expect(code({ ZoneId: "zone-b0000000", Mode: "append", IPGroup: { GroupId: t.id, Name: "g", Content: [] } })).toBe("ResourceNotFound");
  });
});

describe("expiry", () => {
  it("fires lazily: the entry leaves Content and IPTotalCount, the schedule stays visible for 7 days", () => {
    const at = iso(Date.UTC(2024, 0, 1, 5, 12, 12)); // now + 1 h
    const t = withGroup(["1.1.1.1", "2.2.2.2"], { IPExpireInfo: [{ ExpireTime: at, IPList: ["1.1.1.1"] }] });
    t.env.advance(HOUR - 1);
    expect(t.describe()).toMatchObject({ Content: ["1.1.1.1", "2.2.2.2"], IPTotalCount: 2 });
    t.env.advance(1);
    expect(t.describe()).toMatchObject({ Content: ["2.2.2.2"], IPTotalCount: 1, IPExpireInfo: [{ ExpireTime: at, IPList: ["1.1.1.1"] }] });
    expect(t.call("DescribeSecurityIPGroupContent", { ZoneId: Z, GroupId: t.id })).toEqual({ IPTotalCount: 1, IPList: ["2.2.2.2"] });
    // a fired schedule cannot be removed, and the entry is gone
    expect(t.modifyCode("remove", { IPExpireInfo: [{ IPList: ["1.1.1.1"] }] })).toBe("InvalidParameter.Security");
    expect(t.modifyCode("remove", { Content: ["1.1.1.1"] })).toBe("InvalidParameter.Security");
    t.env.advance(7 * DAY - 1);
    expect(t.describe().IPExpireInfo).toEqual([{ ExpireTime: at, IPList: ["1.1.1.1"] }]);
    t.env.advance(1);
    expect(t.describe().IPExpireInfo).toEqual([]);
  });

  it("shows pending and fired schedules together, and the entry can be appended again", () => {
    const soon = iso(START_PLUS(HOUR));
    const later = iso(START_PLUS(2 * DAY));
    const t = withGroup(["1.1.1.1", "2.2.2.2"], { IPExpireInfo: [{ ExpireTime: soon, IPList: ["1.1.1.1"] }, { ExpireTime: later, IPList: ["2.2.2.2"] }] });
    t.env.advance(2 * HOUR);
    expect(t.describe().IPExpireInfo).toEqual([{ ExpireTime: soon, IPList: ["1.1.1.1"] }, { ExpireTime: later, IPList: ["2.2.2.2"] }]);
    t.modify("append", { Content: ["1.1.1.1"] });
    expect(t.describe()).toMatchObject({ Content: ["2.2.2.2", "1.1.1.1"], IPTotalCount: 2 });
  });
});

function START_PLUS(ms: number): number {
  return Date.UTC(2024, 0, 1, 4, 12, 12) + ms;
}

describe("limits", () => {
  it("counts Content plus every IPList against ipEntriesPerRequest, read live", () => {
    const t = withGroup(["1.1.1.1"], {}, { ipEntriesPerRequest: 3 });
    const req = { Content: ["2.2.2.2", "3.3.3.3"], IPExpireInfo: [{ ExpireTime: FUTURE, IPList: ["2.2.2.2", "3.3.3.3"] }] };
    expect(t.modifyCode("append", req)).toBe("LimitExceeded.Security");
    expect(t.codeOf("CreateSecurityIPGroup", { ZoneId: Z, IPGroup: { GroupId: 0, Name: "x", Content: ["5.5.5.5", "6.6.6.6", "7.7.7.7", "8.8.8.8"] } })).toBe("LimitExceeded.Security");
    expect(t.modifyCode("remove", { Content: ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"] })).toBe("LimitExceeded.Security");
    t.settings.ipEntriesPerRequest = 4;
    expect(t.modifyCode("append", req)).toBe("OK");
  });

  it("caps entries per group at ipEntriesPerGroup (create, append, update), read live", () => {
    const t = withGroup(["1.1.1.1", "2.2.2.2"], {}, { ipEntriesPerGroup: 3 });
    expect(t.modifyCode("append", { Content: ["3.3.3.3", "4.4.4.4"] })).toBe("LimitExceeded.Security");
    expect(t.modifyCode("append", { Content: ["2.2.2.2", "3.3.3.3"] })).toBe("OK"); // 2.2.2.2 is already there
    expect(t.modifyCode("update", { Content: ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"] })).toBe("LimitExceeded.Security");
    expect(t.codeOf("CreateSecurityIPGroup", { ZoneId: Z, IPGroup: { GroupId: 0, Name: "x", Content: ["5.5.5.5", "6.6.6.6", "7.7.7.7", "8.8.8.8"] } })).toBe("LimitExceeded.Security");
    t.settings.ipEntriesPerGroup = 4;
    expect(t.modifyCode("append", { Content: ["4.4.4.4"] })).toBe("OK");
  });

  it("handles a 100,000-entry group quickly", () => {
    const started = Date.now();
    const t = teo();
    const id = t.call("CreateSecurityIPGroup", { ZoneId: Z, IPGroup: { GroupId: 0, Name: "big", Content: ["1.0.0.0/24"] } }).GroupId;
    const all: string[] = ["1.0.0.0/24"];
    for (let chunk = 0; all.length < 100_000; chunk++) {
      const entries: string[] = [];
      for (let i = 0; i < 2000 && all.length + entries.length < 100_000; i++) {
        const n = chunk * 2000 + i + 1;
        entries.push(`${2 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}.0/24`);
      }
      t.call("ModifySecurityIPGroup", { ZoneId: Z, Mode: "append", IPGroup: { GroupId: id, Name: "big", Content: entries } });
      all.push(...entries);
    }
    const g = t.call("DescribeSecurityIPGroup", { ZoneId: Z, GroupIds: [id] }).IPGroups[0];
    expect(g.IPTotalCount).toBe(100_000);
    expect(g.Content).toHaveLength(2000);
    expect(t.codeOf("ModifySecurityIPGroup", { ZoneId: Z, Mode: "append", IPGroup: { GroupId: id, Name: "big", Content: ["9.9.9.9"] } })).toBe("LimitExceeded.Security");
    const page = t.call("DescribeSecurityIPGroupContent", { ZoneId: Z, GroupId: id, Limit: 100_000 });
    expect(page.IPList).toEqual(all);
    t.call("ModifySecurityIPGroup", { ZoneId: Z, Mode: "remove", IPGroup: { GroupId: id, Name: "big", Content: all.slice(50_000, 50_010) } });
    expect(t.call("DescribeSecurityIPGroupContent", { ZoneId: Z, GroupId: id, Offset: 49_999, Limit: 2 }).IPList).toEqual([all[49_999], all[50_010]]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("describes 1000 groups of 2000 entries", () => {
    const t = teo();
    const content = Array.from({ length: 2000 }, (_, i) => `11.${i >> 8}.${i & 255}.0/24`);
    for (let i = 0; i < 1000; i++) t.call("CreateSecurityIPGroup", { ZoneId: Z, IPGroup: { GroupId: 0, Name: `g${i}`, Content: content } });
    const started = Date.now();
    const res = t.service.actions.DescribeSecurityIPGroup!({ ZoneId: Z }, { account: ACCOUNT, requestId: "r" }) as Params;
    expect(res.IPGroups).toHaveLength(1000);
    expect(res.IPGroups[999].Content).toHaveLength(2000);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe("DeleteSecurityIPGroup and references", () => {
  it("deletes, then answers ResourceNotFound", () => {
    const t = withGroup();
    expect(t.call("DeleteSecurityIPGroup", { GroupId: t.id, ZoneId: Z })).toEqual({});
    expect(t.call("DescribeSecurityIPGroup", { ZoneId: Z, GroupIds: [t.id] }).IPGroups).toEqual([]);
    expect(t.codeOf("DeleteSecurityIPGroup", { GroupId: t.id, ZoneId: Z })).toBe("ResourceNotFound");
    expect(t.codeOf("DeleteSecurityIPGroup", { GroupId: "100", ZoneId: Z })).toBe("InvalidParameter");
  });

  it("refuses to delete a referenced group with OperationDenied; lists references; deletes once cleared", () => {
    const t = withGroup();
    t.admin("addSecurityIPGroupReference", { groupId: t.id, EntityType: "SecurityPolicy", EntityId: "www.example.com", SubEntityType: "CustomRule", SubEntityId: "r1" });
    expect(t.describe().RefCount).toBe(1);
    expect(t.call("DescribeIPGroupReferences", { ZoneId: Z, GroupId: t.id })).toEqual({
      TotalCount: 1,
      References: [{ ZoneId: Z, EntityType: "SecurityPolicy", EntityId: "www.example.com", EntityName: "", SubEntityType: "CustomRule", SubEntityId: "r1", SubEntityName: "" }],
    });
    expect(t.codeOf("DeleteSecurityIPGroup", { GroupId: t.id, ZoneId: Z })).toBe("OperationDenied");
    t.modify("append", { Content: ["3.3.3.3"] }); // a referenced group can still change
    t.admin("clearSecurityIPGroupReferences", { groupId: t.id });
    expect(t.codeOf("DeleteSecurityIPGroup", { GroupId: t.id, ZoneId: Z })).toBe("OK");
  });
});

describe("security IP group control plane", () => {
  it("patches name and content out of band (validated), lists, deletes", () => {
    const t = withGroup(["1.1.1.1", "2.2.2.2"], { IPExpireInfo: [{ ExpireTime: FUTURE, IPList: ["1.1.1.1"] }] });
    t.admin("patchSecurityIPGroup", { groupId: t.id, Name: "console", Content: ["2.2.2.2", "4.4.4.0/24"] });
    expect(t.describe()).toMatchObject({ Name: "console", Content: ["2.2.2.2", "4.4.4.0/24"], IPExpireInfo: [] });
    expect(() => t.admin("patchSecurityIPGroup", { groupId: t.id, Content: ["4.4.4.4/24"] })).toThrow(expect.objectContaining({ code: "InvalidParameter.Security" }));
    expect(t.admin("listSecurityIPGroups")).toEqual([expect.objectContaining({ account: ACCOUNT, zoneId: Z, GroupId: t.id, IPTotalCount: 2 })]);
    expect(t.admin("getSecurityIPGroup", { groupId: t.id })).toMatchObject({ Name: "console" });
    t.admin("deleteSecurityIPGroup", { groupId: t.id });
    expect(t.call("DescribeSecurityIPGroup", { ZoneId: Z }).IPGroups).toEqual([]);
  });
});
