import { describe, expect, it } from "vitest";
import { ACCOUNT, messageOf, teo, variant, type Params } from "./harness";
import { ACCEPTED, CREATE_WIRE_VECTORS, IGNORED_BUT_STORED, RECORD_VECTORS, VALID_CREATE, Z } from "./originGroup.vectors";

const ORIGIN_ID = /^origin-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RECORD_ID = /^record-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function withGroup(create: Params = VALID_CREATE) {
  const t = teo();
  const id = t.call("CreateOriginGroup", create).OriginGroupId as string;
  const describe = (gid = id) => t.call("DescribeOriginGroup", { ZoneId: Z, Filters: [{ Name: "origin-group-id", Values: [gid] }] }).OriginGroups[0];
  return { ...t, id, describe };
}

describe("CreateOriginGroup", () => {
  it.each([...CREATE_WIRE_VECTORS, ...RECORD_VECTORS])("refuses $name with $code", ({ request, code }) => {
    expect(teo().codeOf("CreateOriginGroup", request)).toBe(code);
  });

  it.each(ACCEPTED)("accepts $name", ({ request }) => {
    expect(teo().codeOf("CreateOriginGroup", request)).toBe("OK");
  });

  it.each(IGNORED_BUT_STORED)("accepts $name and describes it as sent", ({ request }) => {
    const t = withGroup(request);
    const g = t.describe();
    expect(g.HostHeader).toBe(request.HostHeader ?? "");
    expect(g.Records.map(({ RecordId: _, ...r }: Params) => r)).toEqual(request.Records.map((r: Params) => ({
      Record: r.Record, Type: r.Type ?? "IP_DOMAIN", Weight: r.Weight ?? null, Private: r.Private ?? false, PrivateParameters: r.PrivateParameters ?? [],
    })));
  });

  it("round-trips the official example (reference §1)", () => {
    const t = teo();
    const res = t.call("CreateOriginGroup", {
      ZoneId: "zone-2kblak89bkx1", Name: "edgeone-origin", Type: "HTTP",
      Records: [{ Record: "1.1.1.1", Type: "IP_DOMAIN", Weight: 20 }, { Record: "s3.test.tencent.com", Type: "AWS_S3", Weight: 30 }],
    });
    expect(Object.keys(res)).toEqual(["OriginGroupId"]);
    expect(res.OriginGroupId).toMatch(ORIGIN_ID);
  });

  it("names the offending field in messages", () => {
    const t = teo();
    expect(messageOf(() => t.call("CreateOriginGroup", variant(VALID_CREATE, (p) => { delete p.ZoneId; }))))
      .toBe("The request is missing a required parameter `ZoneId`.");
    expect(messageOf(() => t.call("CreateOriginGroup", variant(VALID_CREATE, (p) => { p.Foo = 1; }))))
      .toBe("The parameter `Foo` is not recognized.");
    expect(messageOf(() => t.call("CreateOriginGroup", variant(VALID_CREATE, (p) => { p.Records[0].Weight = "1"; }))))
      .toContain("`Records.0.Weight`");
    expect(messageOf(() => t.call("CreateOriginGroup", variant(VALID_CREATE, (p) => { p.Records = [{ Record: "1.1.1.1" }, { Record: "10.1.2.3" }]; }))))
      .toMatch(/^The origin cannot be a private IP or loopback address\. `Records\.1\.Record`/);
  });

  it("refuses a second group with the same name in the zone, but not in another zone", () => {
    const t = teo();
    t.call("CreateOriginGroup", VALID_CREATE);
    expect(t.codeOf("CreateOriginGroup", VALID_CREATE)).toBe("InvalidParameter.OriginNameExists");
    t.admin("addZone", { zoneId: "zone-other000001" });
    expect(t.codeOf("CreateOriginGroup", { ...VALID_CREATE, ZoneId: "zone-other000001" })).toBe("OK");
  });

  it("keeps accounts apart", () => {
    const t = teo();
    t.call("CreateOriginGroup", VALID_CREATE);
    expect(t.codeOf("CreateOriginGroup", VALID_CREATE, "AKIDOTHER")).toBe("OK");
    expect(t.call("DescribeOriginGroup", { ZoneId: Z }, "AKIDOTHER").TotalCount).toBe(1);
  });
});

describe("DescribeOriginGroup", () => {
  it("answers the official example's shape, every key present (reference §2)", () => {
    const t = withGroup({ ZoneId: Z, Name: "test_ruichaolin", Type: "HTTP", Records: [{ Record: "4.4.4.4", Type: "IP_DOMAIN", Weight: 40 }] });
    const res = t.call("DescribeOriginGroup", { ZoneId: Z, Filters: [{ Name: "origin-group-id", Values: [t.id] }] });
    expect(res).toEqual({
      TotalCount: 1,
      OriginGroups: [{
        CreateTime: "2024-01-01T04:12:12Z",
        GroupId: t.id,
        HostHeader: "",
        Name: "test_ruichaolin",
        Records: [{ Private: false, PrivateParameters: [], Record: "4.4.4.4", RecordId: expect.stringMatching(RECORD_ID), Type: "IP_DOMAIN", Weight: 40 }],
        References: [],
        Type: "HTTP",
        UpdateTime: "2024-01-01T04:12:12Z",
      }],
    });
  });

  it("returns Weight null when unset, Type IP_DOMAIN by default, and private parameters in clear", () => {
    const t = withGroup({ ...VALID_CREATE, Records: [
      { Record: "b.s3.example.com", Type: "AWS_S3", Private: true, PrivateParameters: [{ Name: "AccessKeyId", Value: "AK" }, { Name: "SecretAccessKey", Value: "SK" }] },
      { Record: "8.8.8.8" },
    ] });
    const g = t.describe();
    expect(g.Records.map((r: Params) => r.Weight)).toEqual([null, null]);
    expect(g.Records[1].Type).toBe("IP_DOMAIN");
    expect(g.Records[0].PrivateParameters).toEqual([{ Name: "AccessKeyId", Value: "AK" }, { Name: "SecretAccessKey", Value: "SK" }]);
  });

  it("pages with Offset/Limit (default 20), TotalCount counting every match, in creation order", () => {
    const t = teo();
    const ids = Array.from({ length: 25 }, (_, i) => t.call("CreateOriginGroup", { ...VALID_CREATE, Name: `g${i}` }).OriginGroupId);
    const first = t.call("DescribeOriginGroup", { ZoneId: Z });
    expect(first.TotalCount).toBe(25);
    expect(first.OriginGroups.map((g: Params) => g.GroupId)).toEqual(ids.slice(0, 20));
    const second = t.call("DescribeOriginGroup", { ZoneId: Z, Offset: 20, Limit: 10 });
    expect(second.TotalCount).toBe(25);
    expect(second.OriginGroups.map((g: Params) => g.GroupId)).toEqual(ids.slice(20));
    expect(t.call("DescribeOriginGroup", { ZoneId: Z, Offset: 100 })).toEqual({ TotalCount: 25, OriginGroups: [] });
  });

  it("filters by exact id (ORed values), exact name, fuzzy name, ANDed across filters", () => {
    const t = teo();
    const a = t.call("CreateOriginGroup", { ...VALID_CREATE, Name: "web-Alpha" }).OriginGroupId;
    const b = t.call("CreateOriginGroup", { ...VALID_CREATE, Name: "web-beta" }).OriginGroupId;
    t.call("CreateOriginGroup", { ...VALID_CREATE, Name: "api" });
    const ids = (filters: Params[]) => t.call("DescribeOriginGroup", { ZoneId: Z, Filters: filters }).OriginGroups.map((g: Params) => g.GroupId);
    expect(ids([{ Name: "origin-group-id", Values: [a, b, "origin-nope"] }])).toEqual([a, b]);
    expect(ids([{ Name: "origin-group-name", Values: ["web-beta"] }])).toEqual([b]);
    expect(ids([{ Name: "origin-group-name", Values: ["web"] }])).toEqual([]);
    expect(ids([{ Name: "origin-group-name", Values: ["ALPHA"], Fuzzy: true }])).toEqual([a]);
    expect(ids([{ Name: "origin-group-name", Values: ["web"], Fuzzy: true }, { Name: "origin-group-id", Values: [b] }])).toEqual([b]);
    expect(t.call("DescribeOriginGroup", { ZoneId: Z, Filters: [{ Name: "origin-group-id", Values: ["origin-x"] }] })).toEqual({ TotalCount: 0, OriginGroups: [] });
  });

  it.each([
    ["missing ZoneId (required here)", {}, "MissingParameter"],
    ["unknown zone", { ZoneId: "zone-unknown" }, "InvalidParameter.ZoneNotFound"],
    ["Limit 0", { ZoneId: Z, Limit: 0 }, "InvalidParameter"],
    ["Limit 1001", { ZoneId: Z, Limit: 1001 }, "InvalidParameter"],
    ["Offset -1", { ZoneId: Z, Offset: -1 }, "InvalidParameter"],
    ["Limit as string", { ZoneId: Z, Limit: "10" }, "InvalidParameter"],
    ["unknown filter name", { ZoneId: Z, Filters: [{ Name: "zone-id", Values: [Z] }] }, "InvalidParameter"],
    ["fuzzy id filter", { ZoneId: Z, Filters: [{ Name: "origin-group-id", Values: ["origin-a"], Fuzzy: true }] }, "InvalidParameter"],
    ["fuzzy name with two values", { ZoneId: Z, Filters: [{ Name: "origin-group-name", Values: ["a", "b"], Fuzzy: true }] }, "InvalidParameter"],
    ["21 filter values", { ZoneId: Z, Filters: [{ Name: "origin-group-id", Values: Array.from({ length: 21 }, (_, i) => `origin-${i}`) }] }, "InvalidParameter"],
    ["empty filter values", { ZoneId: Z, Filters: [{ Name: "origin-group-id", Values: [] }] }, "InvalidParameter"],
    ["filter without Values", { ZoneId: Z, Filters: [{ Name: "origin-group-id" }] }, "MissingParameter"],
    ["unknown filter field", { ZoneId: Z, Filters: [{ Name: "origin-group-id", Values: ["x"], Exact: true }] }, "UnknownParameter"],
  ] as const)("refuses %s with %s", (_n, request, code) => {
    expect(teo().codeOf("DescribeOriginGroup", request)).toBe(code);
  });

  it("accepts Limit 1000 and 20 filter values", () => {
    const t = teo();
    expect(t.codeOf("DescribeOriginGroup", { ZoneId: Z, Limit: 1000, Filters: [{ Name: "origin-group-id", Values: Array.from({ length: 20 }, (_, i) => `origin-${i}`) }] })).toBe("OK");
  });
});

describe("ModifyOriginGroup", () => {
  it("round-trips the official rename example: only the name changes", () => {
    const t = withGroup({ ...VALID_CREATE, Name: "edgeone-origin", HostHeader: "www.example.com" });
    const before = t.describe();
    t.env.advance(60_000);
    expect(t.call("ModifyOriginGroup", { ZoneId: "zone-2kblak89bkx1", GroupId: t.id, Name: "edgeone-rename-origin" })).toEqual({});
    const after = t.describe();
    expect(after.Name).toBe("edgeone-rename-origin");
    expect(after.Records).toEqual(before.Records); // omitted Records kept, record ids too
    expect(after.Type).toBe("HTTP");
    expect(after.HostHeader).toBe(""); // omitted HostHeader clears it (reference §3)
    expect(after.CreateTime).toBe(before.CreateTime);
    expect(after.UpdateTime).toBe("2024-01-01T04:13:12Z");
  });

  it("round-trips the official records example: records replaced wholesale with new RecordIds", () => {
    const t = withGroup();
    const oldIds = t.describe().Records.map((r: Params) => r.RecordId);
    t.call("ModifyOriginGroup", { ZoneId: Z, GroupId: t.id, Records: [{ Record: "2.2.2.2", Type: "IP_DOMAIN" }, { Record: "3.3.3.3", Type: "IP_DOMAIN" }] });
    const recs = t.describe().Records;
    expect(recs.map((r: Params) => r.Record)).toEqual(["2.2.2.2", "3.3.3.3"]);
    for (const r of recs) expect(oldIds).not.toContain(r.RecordId);
    // resending identical records also assigns new ids
    const ids2 = recs.map((r: Params) => r.RecordId);
    t.call("ModifyOriginGroup", { ZoneId: Z, GroupId: t.id, Records: [{ Record: "2.2.2.2" }, { Record: "3.3.3.3" }] });
    expect(t.describe().Records.map((r: Params) => r.RecordId)).not.toEqual(ids2);
  });

  it("keeps HostHeader only when resent", () => {
    const t = withGroup({ ...VALID_CREATE, HostHeader: "www.example.com" });
    t.call("ModifyOriginGroup", { ZoneId: Z, GroupId: t.id, Name: "web", HostHeader: "www.example.com" });
    expect(t.describe().HostHeader).toBe("www.example.com");
    t.call("ModifyOriginGroup", { ZoneId: Z, GroupId: t.id, HostHeader: "" });
    expect(t.describe().HostHeader).toBe("");
  });

  it.each(RECORD_VECTORS.filter((v) => v.request.Type === "HTTP" && v.request.HostHeader === undefined))(
    "refuses records $name with $code",
    ({ request, code }) => {
      const t = withGroup();
      expect(t.codeOf("ModifyOriginGroup", { ZoneId: Z, GroupId: t.id, Name: request.Name, Records: request.Records })).toBe(code);
    },
  );

  it.each([
    ["missing GroupId", (_id: string) => ({ ZoneId: Z }), "MissingParameter"],
    ["missing ZoneId", (id: string) => ({ GroupId: id }), "MissingParameter"],
    ["unknown parameter", (id: string) => ({ ZoneId: Z, GroupId: id, Weight: 1 }), "UnknownParameter"],
    ["unknown group", (_id: string) => ({ ZoneId: Z, GroupId: "origin-00000000-0000-4000-8000-0000000000ff" }), "ResourceNotFound"],
    ["unknown zone", (id: string) => ({ ZoneId: "zone-nope", GroupId: id }), "InvalidParameter.ZoneNotFound"],
    ["type change HTTP→GENERAL", (id: string) => ({ ZoneId: Z, GroupId: id, Type: "GENERAL" }), "InvalidParameter.InvalidOriginGroupType"],
    ["type outside the enum", (id: string) => ({ ZoneId: Z, GroupId: id, Type: "http" }), "InvalidParameter.InvalidOriginGroupType"],
    ["bad name", (id: string) => ({ ZoneId: Z, GroupId: id, Name: "a.b" }), "InvalidParameter"],
  ] as const)("refuses %s with %s", (_n, build, code) => {
    const t = withGroup();
    expect(t.codeOf("ModifyOriginGroup", build(t.id))).toBe(code);
  });

  it("stores a HostHeader sent to a GENERAL group (it only works with HTTP, so it is ignored, not refused)", () => {
    const t = withGroup(variant(VALID_CREATE, (p) => { p.Type = "GENERAL"; }));
    expect(t.codeOf("ModifyOriginGroup", { ZoneId: Z, GroupId: t.id, HostHeader: "a.example.com" })).toBe("OK");
    expect(t.describe().HostHeader).toBe("a.example.com");
  });

  it("accepts resending the same Type", () => {
    const t = withGroup();
    expect(t.codeOf("ModifyOriginGroup", { ZoneId: Z, GroupId: t.id, Type: "HTTP" })).toBe("OK");
  });

  it("refuses a name taken by another group, accepts its own name", () => {
    const t = withGroup();
    t.call("CreateOriginGroup", { ...VALID_CREATE, Name: "other" });
    expect(t.codeOf("ModifyOriginGroup", { ZoneId: Z, GroupId: t.id, Name: "other" })).toBe("InvalidParameter.OriginNameExists");
    expect(t.codeOf("ModifyOriginGroup", { ZoneId: Z, GroupId: t.id, Name: "web" })).toBe("OK");
  });

  it("does not reach a group through another zone", () => {
    const t = withGroup();
    t.admin("addZone", { zoneId: "zone-2nrle17s0v0r" });
    expect(t.codeOf("ModifyOriginGroup", { ZoneId: "zone-2nrle17s0v0r", GroupId: t.id, Name: "x" })).toBe("ResourceNotFound");
    expect(t.codeOf("DeleteOriginGroup", { ZoneId: "zone-2nrle17s0v0r", GroupId: t.id })).toBe("ResourceNotFound");
  });

  it("applies the L4 rules to a group used by an L4 proxy", () => {
    const t = withGroup({ ...VALID_CREATE, Type: "GENERAL" });
    t.admin("addOriginGroupReference", { groupId: t.id, InstanceType: "application-proxy", InstanceId: "sid-1", InstanceName: "l4" });
    const modify = (records: Params[]) => t.codeOf("ModifyOriginGroup", { ZoneId: Z, GroupId: t.id, Records: records });
    expect(modify([{ Record: "1.1.1.1" }, { Record: "a.example.com" }])).toBe("InvalidParameter.OriginL4RecordIPV4MixDomain");
    expect(modify([{ Record: "a.example.com" }, { Record: "b.example.com" }])).toBe("InvalidParameter.OriginL4RecordMultiDomain");
    expect(modify([{ Record: "a.example.com" }])).toBe("OK");
    expect(modify([{ Record: "1.1.1.1" }, { Record: "2.2.2.2" }])).toBe("OK");
  });
});

describe("DeleteOriginGroup", () => {
  it("deletes, then answers ResourceNotFound", () => {
    const t = withGroup();
    expect(t.call("DeleteOriginGroup", { ZoneId: Z, GroupId: t.id })).toEqual({});
    expect(t.call("DescribeOriginGroup", { ZoneId: Z }).TotalCount).toBe(0);
    expect(t.codeOf("DeleteOriginGroup", { ZoneId: Z, GroupId: t.id })).toBe("ResourceNotFound");
    expect(t.codeOf("DeleteOriginGroup", { ZoneId: Z })).toBe("MissingParameter");
  });

  it.each([
    ["acceleration-domain", "OperationDenied.OriginGroupAccelerationDomainUsed"],
    ["AccelerationDomain", "OperationDenied.OriginGroupAccelerationDomainUsed"],
    ["rule-engine", "OperationDenied.OriginGroupRuleEngineUsed"],
    ["load-balancer", "OperationDenied.OriginGroupLBUsed"],
    ["application-proxy", "OperationDenied.OriginGroupL4Used"],
    ["SomethingElse", "OperationDenied"],
  ])("refuses while referenced by %s with %s, shows the reference, deletes once cleared", (instanceType, code) => {
    const t = withGroup({ ...VALID_CREATE, Type: "GENERAL" });
    t.admin("addOriginGroupReference", { groupId: t.id, InstanceType: instanceType, InstanceId: "inst-1", InstanceName: "site" });
    expect(t.describe().References).toEqual([
      { InstanceType: instanceType, InstanceId: "inst-1", InstanceName: "site", ZoneId: Z, ZoneName: "example.com", AliasZoneName: "" },
    ]);
    expect(t.codeOf("DeleteOriginGroup", { ZoneId: Z, GroupId: t.id })).toBe(code);
    t.admin("clearOriginGroupReferences", { groupId: t.id });
    expect(t.codeOf("DeleteOriginGroup", { ZoneId: Z, GroupId: t.id })).toBe("OK");
  });
});

describe("origin group control plane", () => {
  it("patches like a console edit (validated; omitted HostHeader kept) and shows up as drift", () => {
    const t = withGroup({ ...VALID_CREATE, HostHeader: "www.example.com" });
    t.env.advance(1000);
    t.admin("patchOriginGroup", { groupId: t.id, patch: { Records: [{ Record: "9.9.9.9", Weight: 100 }] } });
    const g = t.describe();
    expect(g.Records.map((r: Params) => [r.Record, r.Weight])).toEqual([["9.9.9.9", 100]]);
    expect(g.HostHeader).toBe("www.example.com");
    expect(g.UpdateTime).toBe("2024-01-01T04:12:13Z");
    expect(() => t.admin("patchOriginGroup", { groupId: t.id, patch: { Records: [{ Record: "10.0.0.1" }] } }))
      .toThrow(expect.objectContaining({ code: "InvalidParameter.InvalidOriginIp" }));
    expect(() => t.admin("patchOriginGroup", { groupId: t.id, patch: { Bogus: 1 } }))
      .toThrow(expect.objectContaining({ code: "UnknownParameter" }));
  });

  it("lists and deletes out of band, refuses unknown ops", () => {
    const t = withGroup();
    expect(t.admin("listOriginGroups")).toEqual([expect.objectContaining({ account: ACCOUNT, zoneId: Z, GroupId: t.id, Name: "web" })]);
    t.admin("deleteOriginGroup", { groupId: t.id });
    expect(t.call("DescribeOriginGroup", { ZoneId: Z }).TotalCount).toBe(0);
    expect(() => t.admin("frobnicate", {})).toThrow(/unknown admin op/);
  });
});
