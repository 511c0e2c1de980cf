/**
 * The organization API over real HTTP with the official Node SDK's generic client, as a user would call it.
 * Signature and envelope handling are the core's; this proves the CIC module works behind them unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommonClient } from "tencentcloud-sdk-nodejs-common";
import { DEFAULT_CREDENTIALS, SEED } from "../../../emulator/core/defaults";
import { startEmulator, type RunningEmulator } from "../../../emulator";

let emu: RunningEmulator;
let client: CommonClient;

beforeAll(async () => {
  emu = await startEmulator({ quiet: true, credentialEnv: {} });
  client = new CommonClient("organization.tencentcloudapi.com", "2021-03-31", {
    credential: { secretId: DEFAULT_CREDENTIALS.tencentSecretId, secretKey: DEFAULT_CREDENTIALS.tencentSecretKey },
    region: "",
    profile: { httpProfile: { endpoint: new URL(emu.url).host, protocol: "http://" } },
  });
});
afterAll(() => emu?.close());

describe("organization over HTTP with tencentcloud-sdk-nodejs-common", () => {
  it("creates, updates, lists, refuses and deletes a group", async () => {
    const created: any = await client.request("CreateGroup", { ZoneId: SEED.cicZoneId, GroupName: "sdk-group", Description: "d" });
    expect(created.GroupInfo).toMatchObject({ GroupName: "sdk-group", GroupType: "Manual", MemberCount: 0 });
    expect(created.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    const id = created.GroupInfo.GroupId;

    const updated: any = await client.request("UpdateGroup", { ZoneId: SEED.cicZoneId, GroupId: id, NewDescription: "" });
    expect(updated.GroupInfo.Description).toBe("");

    const listed: any = await client.request("ListGroups", { ZoneId: SEED.cicZoneId, Filter: "GroupName eq sdk-group" });
    expect(listed).toMatchObject({ TotalCounts: 1, IsTruncated: false, MaxResults: 10 });

    emu.services.organization.backend.admin("addMember", { groupId: id, userId: "u-sdk" });
    await expect(client.request("DeleteGroup", { ZoneId: SEED.cicZoneId, GroupId: id }))
      .rejects.toMatchObject({ code: "FailedOperation.DeleteGroupNotAllowExistUser", requestId: expect.any(String) });
    emu.services.organization.backend.admin("removeMembers", { groupId: id });
    await client.request("DeleteGroup", { ZoneId: SEED.cicZoneId, GroupId: id });
    await expect(client.request("GetGroup", { ZoneId: SEED.cicZoneId, GroupId: id }))
      .rejects.toMatchObject({ code: "InvalidParameter.GroupNotExist" });
  });

  it("answers MissingParameter and UnknownParameter through the gateway", async () => {
    await expect(client.request("GetGroup", { ZoneId: SEED.cicZoneId })).rejects.toMatchObject({ code: "MissingParameter" });
    await expect(client.request("GetGroup", { ZoneId: SEED.cicZoneId, GroupId: "g-x", Extra: 1 }))
      .rejects.toMatchObject({ code: "UnknownParameter" });
  });
});
