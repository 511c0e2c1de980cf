/**
 * The emulator's variant switches (emulator/README.md "Variants"): each named reading changes exactly the behaviour
 * it names, set live through the control plane, and bad values are refused naming the choices. The services are
 * called in process with wire-format parameters; the settings travel over HTTP.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, EmulatorAdmin, HuaweiError, SEED, startEmulator, type EmulatorSettings, type RunningEmulator } from "../../emulator";
import { parseCliArgs } from "../../emulator/cli";
import { errorOf } from "../emulator/teo/harness";

const ACCOUNT = "AKIDVARIANTSWITCHES";
const Z = SEED.teoZoneId;
const SECRET = "switchesBucketSecret-0001";

describe("emulator variant switches", () => {
  let emu: RunningEmulator;
  let admin: EmulatorAdmin;

  beforeAll(async () => {
    emu = await startEmulator({ quiet: true, credentialEnv: {} });
    admin = new EmulatorAdmin(emu.url);
  });
  afterAll(() => emu?.close());
  beforeEach(async () => {
    await admin.reset();
    await admin.settings({ ...DEFAULT_SETTINGS, gaPendingMs: 0 });
  });

  const set = (s: Partial<EmulatorSettings>) => admin.settings(s);
  const wire = (x: unknown) => JSON.parse(JSON.stringify(x));
  const tencent = (service: "teo" | "organization") => (action: string, params: Record<string, unknown>): any =>
    wire(emu.services[service].actions[action](wire(params), { account: ACCOUNT, requestId: "req" }));
  const teo = tencent("teo");
  const cic = tencent("organization");
  /** status and body as the gateway renders them (a HuaweiError becomes its status and flat error body) */
  const ga = (method: string, path: string, body?: unknown) => {
    try {
      return emu.services.ga.handle({ method, path, query: new URLSearchParams(), body, projectId: "p", account: ACCOUNT, requestId: "r" })!;
    } catch (e) {
      if (e instanceof HuaweiError) return { status: e.status, body: { error_code: e.code, error_msg: e.message } };
      throw e;
    }
  };

  const s3Record = (weight: number) => ({
    Record: "media.s3.example.com", Type: "AWS_S3", Weight: weight, Private: true,
    PrivateParameters: [
      { Name: "AccessKeyId", Value: "AKIASWITCHES0001" },
      { Name: "SecretAccessKey", Value: SECRET },
      { Name: "SignatureVersion", Value: "v4" },
    ],
  });
  const createOrigin = (extra: Record<string, unknown> = {}) =>
    teo("CreateOriginGroup", {
      ZoneId: Z, Name: "switches", Type: "HTTP", HostHeader: "www.example.com",
      Records: [{ Record: "203.0.113.10", Weight: 60 }, s3Record(40)], ...extra,
    }).OriginGroupId as string;
  const describeOrigin = (id: string) =>
    teo("DescribeOriginGroup", { ZoneId: Z, Filters: [{ Name: "origin-group-id", Values: [id] }] }).OriginGroups[0];
  const keysOf = (g: any) => g.Records.find((r: any) => r.Type === "AWS_S3").PrivateParameters.map((p: any) => `${p.Name}=${p.Value}`);

  it("refuses an unknown reading, through the control plane and the command line, naming the choices", async () => {
    await expect(set({ secretsOnRead: "hidden" } as any)).rejects.toThrow(/HTTP 400: setting secretsOnRead must be one of clear, masked, omitted/);
    await expect(set({ recordsPerGroup: -1 })).rejects.toThrow(/setting recordsPerGroup must be a number >= 0/);
    expect(parseCliArgs(["--secrets-on-read", "masked", "--records-per-group", "20", "--empty-description=ignored"]).settings)
      .toEqual({ secretsOnRead: "masked", recordsPerGroup: 20, emptyDescription: "ignored" });
    expect(() => parseCliArgs(["--gaNameCharset", "chinese"])).toThrow(/unknown argument --gaNameCharset/);
    expect(() => parseCliArgs(["--ga-name-charset", "latin"])).toThrow(/--ga-name-charset needs one of ascii, chinese/);
    await expect(startEmulator({ quiet: true, credentialEnv: {}, settings: { ipContentOrder: "random" } as any }))
      .rejects.toThrow(/setting ipContentOrder must be one of insertion, sorted/);
  });

  it.each([
    ["clear", ["AccessKeyId=AKIASWITCHES0001", `SecretAccessKey=${SECRET}`, "SignatureVersion=v4"]],
    ["masked", ["AccessKeyId=AKIA********", "SecretAccessKey=********", "SignatureVersion=v4"]],
    ["omitted", ["SignatureVersion=v4"]],
  ] as const)("secretsOnRead=%s: Describe shows bucket keys so; the control plane always sees them", async (mode, shown) => {
    await set({ secretsOnRead: mode });
    const id = createOrigin();
    expect(keysOf(describeOrigin(id))).toEqual(shown);
    expect(keysOf(emu.services.teo.backend.admin("getOriginGroup", { groupId: id }))).toContain(`SecretAccessKey=${SECRET}`);
  });

  it.each([
    ["clears", ""],
    ["keeps", "www.example.com"],
  ] as const)("hostHeaderOnOmit=%s: a Modify without HostHeader leaves %j; \"\" always clears", async (mode, left) => {
    await set({ hostHeaderOnOmit: mode });
    const id = createOrigin();
    teo("ModifyOriginGroup", { ZoneId: Z, GroupId: id, Name: "switches-renamed" });
    expect(describeOrigin(id).HostHeader).toBe(left);
    teo("ModifyOriginGroup", { ZoneId: Z, GroupId: id, HostHeader: "" });
    expect(describeOrigin(id).HostHeader).toBe("");
  });

  it.each([
    ["new", false],
    ["kept", true],
  ] as const)("recordIdsOnModify=%s: an unchanged origin keeps its RecordId: %s", async (mode, kept) => {
    await set({ recordIdsOnModify: mode });
    const id = createOrigin();
    const before = describeOrigin(id).Records.find((r: any) => r.Record === "203.0.113.10").RecordId;
    teo("ModifyOriginGroup", { ZoneId: Z, GroupId: id, Records: [{ Record: "203.0.113.10", Weight: 70 }, s3Record(30)] });
    const after = describeOrigin(id).Records.find((r: any) => r.Record === "203.0.113.10").RecordId;
    expect(after === before).toBe(kept);
  });

  it("recordsPerGroup: more records than the setting → LimitExceeded", async () => {
    await set({ recordsPerGroup: 20 });
    const records = (n: number) => Array.from({ length: n }, (_, i) => ({ Record: `203.0.113.${i + 1}` }));
    expect(errorOf(() => createOrigin({ Records: records(21) }))).toBe("LimitExceeded");
    expect(errorOf(() => createOrigin({ Records: records(20) }))).toBe("OK");
  });

  it.each([
    ["clears", ""],
    ["ignored", "edge operators"],
  ] as const)("emptyDescription=%s: UpdateGroup NewDescription \"\" leaves %j; a console edit still clears", async (mode, left) => {
    await set({ emptyDescription: mode });
    const { GroupInfo } = cic("CreateGroup", { ZoneId: SEED.cicZoneId, GroupName: "ops", Description: "edge operators" });
    cic("UpdateGroup", { ZoneId: SEED.cicZoneId, GroupId: GroupInfo.GroupId, NewDescription: "" });
    expect(cic("GetGroup", { ZoneId: SEED.cicZoneId, GroupId: GroupInfo.GroupId }).GroupInfo.Description).toBe(left);
    emu.services.organization.backend.admin("patchGroup", { groupId: GroupInfo.GroupId, Description: "" });
    expect(cic("GetGroup", { ZoneId: SEED.cicZoneId, GroupId: GroupInfo.GroupId }).GroupInfo.Description).toBe("");
  });

  it.each([
    ["ascii", 400],
    ["chinese", 201],
  ] as const)("gaNameCharset=%s: a name with Chinese characters → HTTP %d", async (mode, status) => {
    await set({ gaNameCharset: mode });
    const r = ga("POST", "/v1/endpoint-groups", { endpoint_group: { name: "边缘-eu", region_id: "eu-west-101", listeners: [{ id: SEED.gaListenerId }] } });
    expect(r.status).toBe(status);
    if (status === 400) expect(r.body).toMatchObject({ error_code: "GA.9001" });
  });

  it.each([
    ["absent", "OK"],
    ["error", "ResourceNotFound"],
  ] as const)("unknownIpGroupIds=%s: DescribeSecurityIPGroup with an unknown id among known ones → %s", async (mode, code) => {
    await set({ unknownIpGroupIds: mode });
    const { GroupId } = teo("CreateSecurityIPGroup", { ZoneId: Z, IPGroup: { GroupId: 0, Name: "known", Content: ["192.0.2.1"] } });
    expect(errorOf(() => teo("DescribeSecurityIPGroup", { ZoneId: Z, GroupIds: [GroupId, 999_999] }))).toBe(code);
    expect(teo("DescribeSecurityIPGroup", { ZoneId: Z, GroupIds: [GroupId] }).IPGroups).toHaveLength(1);
  });

  it.each([
    ["insertion", ["203.0.113.7", "198.51.100.0/24", "2001:db8::/48", "192.0.2.1"]],
    ["sorted", ["192.0.2.1", "198.51.100.0/24", "2001:db8::/48", "203.0.113.7"]],
  ] as const)("ipContentOrder=%s: Describe and the content pages list entries so", async (mode, order) => {
    await set({ ipContentOrder: mode });
    const { GroupId } = teo("CreateSecurityIPGroup", { ZoneId: Z, IPGroup: { GroupId: 0, Name: "office", Content: ["203.0.113.7", "198.51.100.0/24", "2001:db8::/48"] } });
    teo("ModifySecurityIPGroup", { ZoneId: Z, Mode: "append", IPGroup: { GroupId, Name: "office", Content: ["192.0.2.1"] } });
    expect(teo("DescribeSecurityIPGroup", { ZoneId: Z, GroupIds: [GroupId] }).IPGroups[0].Content).toEqual(order);
    expect(teo("DescribeSecurityIPGroupContent", { ZoneId: Z, GroupId, Limit: 3 }).IPList).toEqual(order.slice(0, 3));
  });
});
