import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../../emulator/core/contract";
import { SEED } from "../../../emulator/core/defaults";
import { createTeoService } from "../../../emulator/teo";
import { ACCOUNT, fixedEnv, teo, type Params } from "./harness";

const Z = SEED.teoZoneId;

function populated() {
  const t = teo();
  t.admin("addZone", { zoneId: "zone-b0000000", name: "b.example" });
  const og = t.call("CreateOriginGroup", { ZoneId: Z, Name: "web", Type: "HTTP", HostHeader: "www.example.com", Records: [{ Record: "1.1.1.1", Weight: 10 }, { Record: "b.s3.example.com", Type: "AWS_S3", Weight: 0, Private: true, PrivateParameters: [{ Name: "AccessKeyId", Value: "a" }, { Name: "SecretAccessKey", Value: "s" }] }] }).OriginGroupId;
  t.admin("addOriginGroupReference", { groupId: og, InstanceType: "rule-engine", InstanceId: "rule-1", InstanceName: "r" });
  t.call("CreateOriginGroup", { ZoneId: "zone-b0000000", Name: "other", Type: "GENERAL", Records: [{ Record: "o.example.com" }] }, "AKIDSECOND");
  const ig = t.call("CreateSecurityIPGroup", { ZoneId: Z, IPGroup: { GroupId: 0, Name: "ips", Content: ["1.1.1.1", "2.2.2.0/24", "2001:db8::/32"],
    IPExpireInfo: [{ ExpireTime: "2024-01-01T05:12:12Z", IPList: ["1.1.1.1"] }, { ExpireTime: "2024-02-01T00:00:00+08:00", IPList: ["2.2.2.0/24"] }] } }).GroupId;
  t.admin("addSecurityIPGroupReference", { groupId: ig });
  t.env.advance(2 * 3600_000); // 1.1.1.1 has fired
  return { t, og, ig };
}

const view = (t: ReturnType<typeof teo>, account = ACCOUNT): Params => ({
  og: t.call("DescribeOriginGroup", { ZoneId: Z }, account),
  ip: t.call("DescribeSecurityIPGroup", { ZoneId: Z }, account),
});

describe("teo backend", () => {
  it("restores a JSON snapshot to an equal state that keeps behaving (expiries, id counters, references)", () => {
    const { t, ig } = populated();
    const snap = JSON.parse(JSON.stringify(t.service.backend.snapshot()));
    const env = fixedEnv();
    env.advance(2 * 3600_000);
    const copy = createTeoService(env, { ...DEFAULT_SETTINGS });
    copy.backend.restore(snap);
    expect(copy.backend.snapshot()).toEqual(t.service.backend.snapshot());
    expect(copy.backend.resourceCount()).toBe(3);
    const call = (a: string, p: Params, acct = ACCOUNT) => copy.actions[a]!(p, { account: acct, requestId: "r" });
    expect(call("DescribeOriginGroup", { ZoneId: Z })).toEqual(view(t).og);
    expect(call("DescribeSecurityIPGroup", { ZoneId: Z })).toEqual(view(t).ip);
    expect((call("DescribeOriginGroup", { ZoneId: "zone-b0000000" }, "AKIDSECOND") as Params).TotalCount).toBe(1);
    // the pending expiry still fires after restore; the id counter continues; references survive
    env.advance(31 * 24 * 3600_000);
    expect((call("DescribeSecurityIPGroup", { ZoneId: Z }) as Params).IPGroups[0]).toMatchObject({ Content: ["2001:db8::/32"], IPTotalCount: 1 });
    expect(call("CreateSecurityIPGroup", { ZoneId: Z, IPGroup: { GroupId: 0, Name: "next", Content: ["5.5.5.5"] } })).toEqual({ GroupId: ig + 1 });
    expect(() => call("DeleteSecurityIPGroup", { ZoneId: Z, GroupId: ig })).toThrow(expect.objectContaining({ code: "OperationDenied" }));
  });

  it("refuses a foreign snapshot", () => {
    expect(() => teo().service.backend.restore({ version: 99 })).toThrow();
  });

  it("resets to the seed: no resources, the seeded zone only, ids from 100 again", () => {
    const { t } = populated();
    expect(t.service.backend.resourceCount()).toBe(3);
    t.service.backend.reset();
    expect(t.service.backend.resourceCount()).toBe(0);
    expect(t.admin("listZones")).toEqual([{ zoneId: Z, name: SEED.teoZoneName }]);
    expect(t.codeOf("DescribeOriginGroup", { ZoneId: "zone-b0000000" })).toBe("InvalidParameter.ZoneNotFound");
    expect(t.call("CreateSecurityIPGroup", { ZoneId: Z, IPGroup: { GroupId: 0, Name: "x", Content: ["5.5.5.5"] } })).toEqual({ GroupId: 100 });
  });

  it("declares the service as teo 2022-09-01 with every action", () => {
    const s = teo().service;
    expect([s.service, s.version]).toEqual(["teo", "2022-09-01"]);
    expect(Object.keys(s.actions).sort()).toEqual([
      "CreateOriginGroup", "CreateSecurityIPGroup", "DeleteOriginGroup", "DeleteSecurityIPGroup", "DescribeIPGroupReferences",
      "DescribeOriginGroup", "DescribeSecurityIPGroup", "DescribeSecurityIPGroupContent", "ModifyOriginGroup", "ModifySecurityIPGroup",
    ]);
  });

  it("refuses a body that is not an object", () => {
    expect(teo().codeOf("DescribeOriginGroup", [] as unknown as Params)).toBe("InvalidParameter");
  });
});
