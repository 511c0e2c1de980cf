/**
 * EdgeOne over real HTTP with the official `tencentcloud-sdk-nodejs-teo` client, as a user would call it:
 * signature, routing and envelope are the core's; this proves the teo module works behind them unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIALS, SEED } from "../../../emulator/core/defaults";
import { startEmulator, type RunningEmulator } from "../../../emulator";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const TeoClient = require("tencentcloud-sdk-nodejs-teo").teo.v20220901.Client;

let emu: RunningEmulator;
let client: any;
const Z = SEED.teoZoneId;

beforeAll(async () => {
  emu = await startEmulator({ quiet: true, credentialEnv: {} });
  client = new TeoClient({
    credential: { secretId: DEFAULT_CREDENTIALS.tencentSecretId, secretKey: DEFAULT_CREDENTIALS.tencentSecretKey },
    region: "",
    profile: { httpProfile: { protocol: "http://", endpoint: new URL(emu.url).host } },
  });
});
afterAll(() => emu?.close());

describe("teo over HTTP with tencentcloud-sdk-nodejs-teo", () => {
  it("creates, describes, modifies, refuses and deletes an origin group", async () => {
    const created = await client.CreateOriginGroup({
      ZoneId: Z, Name: "sdk-origin", Type: "HTTP", HostHeader: "www.example.com",
      Records: [{ Record: "1.1.1.1", Type: "IP_DOMAIN", Weight: 20 }, { Record: "s3.test.tencent.com", Type: "AWS_S3", Weight: 30 }],
    });
    expect(created.OriginGroupId).toMatch(/^origin-/);
    expect(created.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    const id = created.OriginGroupId;

    const described = await client.DescribeOriginGroup({ ZoneId: Z, Filters: [{ Name: "origin-group-id", Values: [id] }] });
    expect(described.TotalCount).toBe(1);
    expect(described.OriginGroups[0]).toMatchObject({ GroupId: id, Name: "sdk-origin", Type: "HTTP", HostHeader: "www.example.com", References: [] });

    await client.ModifyOriginGroup({ ZoneId: Z, GroupId: id, Name: "sdk-renamed", Records: [{ Record: "2.2.2.2", Type: "IP_DOMAIN" }] });
    const after = (await client.DescribeOriginGroup({ ZoneId: Z, Filters: [{ Name: "origin-group-id", Values: [id] }] })).OriginGroups[0];
    expect(after).toMatchObject({ Name: "sdk-renamed", HostHeader: "", Records: [{ Record: "2.2.2.2", Weight: null, Private: false, PrivateParameters: [] }] });

    await expect(client.CreateOriginGroup({ ZoneId: Z, Name: "bad", Type: "HTTP", Records: [{ Record: "10.0.0.1" }] }))
      .rejects.toMatchObject({ code: "InvalidParameter.InvalidOriginIp", requestId: expect.any(String) });
    await expect(client.CreateOriginGroup({ ZoneId: Z, Type: "HTTP", Records: [{ Record: "8.8.8.8" }] }))
      .rejects.toMatchObject({ code: "MissingParameter", message: "The request is missing a required parameter `Name`." });

    emu.services.teo.backend.admin("addOriginGroupReference", { groupId: id, InstanceType: "acceleration-domain", InstanceId: "www.example.com", InstanceName: "www.example.com" });
    await expect(client.DeleteOriginGroup({ ZoneId: Z, GroupId: id })).rejects.toMatchObject({ code: "OperationDenied.OriginGroupAccelerationDomainUsed" });
    emu.services.teo.backend.admin("clearOriginGroupReferences", { groupId: id });
    await client.DeleteOriginGroup({ ZoneId: Z, GroupId: id });
    await expect(client.DeleteOriginGroup({ ZoneId: Z, GroupId: id })).rejects.toMatchObject({ code: "ResourceNotFound" });
  });

  it("creates, describes, modifies, pages and deletes a security IP group", async () => {
    const { GroupId } = await client.CreateSecurityIPGroup({
      ZoneId: Z,
      IPGroup: { GroupId: 0, Name: "sdk-ips", Content: ["1.1.1.1", "3.3.3.3"], IPExpireInfo: [{ ExpireTime: "2099-03-24T16:03:00+08:00", IPList: ["1.1.1.1"] }] },
    });
    expect(Number.isInteger(GroupId)).toBe(true);

    await client.ModifySecurityIPGroup({ ZoneId: Z, Mode: "append", IPGroup: { GroupId, Name: "sdk-ips", Content: ["23.23.23.0/24"] } });
    await client.ModifySecurityIPGroup({ ZoneId: Z, Mode: "remove", IPGroup: { GroupId, Name: "sdk-ips", Content: ["3.3.3.3"] } });
    const { IPGroups } = await client.DescribeSecurityIPGroup({ ZoneId: Z, GroupIds: [GroupId] });
    expect(IPGroups).toEqual([{
      GroupId, Name: "sdk-ips", Content: ["1.1.1.1", "23.23.23.0/24"], IPTotalCount: 2,
      IPExpireInfo: [{ ExpireTime: "2099-03-24T16:03:00+08:00", IPList: ["1.1.1.1"] }], RefCount: 0,
    }]);
    const page = await client.DescribeSecurityIPGroupContent({ ZoneId: Z, GroupId, Limit: 1, Offset: 1 });
    expect(page).toMatchObject({ IPTotalCount: 2, IPList: ["23.23.23.0/24"] });

    await expect(client.ModifySecurityIPGroup({ ZoneId: Z, Mode: "append", IPGroup: { GroupId, Name: "sdk-ips", Content: ["1.2.3.4/24"] } }))
      .rejects.toMatchObject({ code: "InvalidParameter.Security" });
    await client.ModifySecurityIPGroup({ ZoneId: Z, Mode: "update", IPGroup: { GroupId, Name: "sdk-renamed", Content: ["9.9.9.9"] } });
    expect((await client.DescribeSecurityIPGroup({ ZoneId: Z, GroupIds: [GroupId] })).IPGroups[0]).toMatchObject({ Name: "sdk-renamed", Content: ["9.9.9.9"], IPExpireInfo: [] });

    await client.DeleteSecurityIPGroup({ ZoneId: Z, GroupId });
    await expect(client.DeleteSecurityIPGroup({ ZoneId: Z, GroupId })).rejects.toMatchObject({ code: "ResourceNotFound" });
    expect((await client.DescribeSecurityIPGroup({ ZoneId: Z, GroupIds: [GroupId] })).IPGroups).toEqual([]);
  });
});
