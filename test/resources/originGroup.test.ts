/**
 * OriginGroup through the provider runtime (check/diff/create/read/update/remove) against the emulator over
 * real HTTP. What a user sees in `pulumi preview`/`up`/`refresh`: exact diffs, property paths on bad input,
 * no API call for a no-op, one group after an ambiguous create, secrets never in text.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED } from "../../emulator";
import { startHarness, writes, type Harness } from "../support/harness";
import { providerContext } from "../../provider/runtime";
import { keyFingerprint } from "../../provider/resources/originGroup";

const KIND = "OriginGroup" as const;
const ZONE = SEED.teoZoneId;
const OTHER_ZONE = "zone-othersite01";
const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** A value that must never appear in a reason, an error or a log line. */
const SECRET = "SECRETKEYVALUE-do-not-print-8c1f";

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

const live = (groupId: string): Props => h.emulator.services.teo.backend.admin("getOriginGroup", { groupId }) as Props;
const groupsNamed = (name: string): Props[] =>
  (h.emulator.services.teo.backend.admin("listOriginGroups", {}) as Props[]).filter((g) => g.Name === name);
const patch = (groupId: string, p: Props) => h.emulator.services.teo.backend.admin("patchOriginGroup", { groupId, patch: p });
const apiCalls = (action?: string) => h.calls().filter((c) => c.service === "teo" && (!action || c.action === action));

/** `check` as the engine calls it; the test fails on any failure. */
async function checked(news: Props, olds?: Props): Promise<Props> {
  const { inputs, failures } = await h.rt.check(KIND, olds, news);
  expect(failures).toEqual([]);
  return inputs;
}

async function failuresOf(news: Props, olds?: Props) {
  return (await h.rt.check(KIND, olds, news)).failures;
}

/** check + create, like `pulumi up` for a new resource. */
async function up(args: Props, logicalName = "web") {
  const inputs = await checked({ ...args, logicalName });
  const { id, outs } = await h.rt.create(KIND, inputs);
  return { id, inputs, outs };
}

const base = (over: Props = {}): Props => ({
  zoneId: ZONE,
  name: uniq("og"),
  type: "HTTP",
  records: [
    { record: "1.1.1.1", weight: 60 },
    { record: "origin.example.com", weight: 40 },
  ],
  ...over,
});

// ------------------------------------------------------------------------------------------------

describe("OriginGroup lifecycle against the emulator", () => {
  it("creates the group and returns outputs with server fields", async () => {
    const { id, outs } = await up(base({ hostHeader: "www.example.com" }));
    expect(id).toMatch(/^origin-[0-9a-f-]+$/);
    expect(outs.groupId).toBe(id);
    expect(outs.records.map((r: Props) => r.recordId)).toEqual([expect.stringMatching(/^record-/), expect.stringMatching(/^record-/)]);
    expect(outs).toMatchObject({ zoneId: ZONE, type: "HTTP", hostHeader: "www.example.com", references: [], logicalName: "web" });
    expect(outs.createTime).toMatch(/^\d{4}-/);
    const g = live(id);
    expect(g).toMatchObject({ Name: outs.name, Type: "HTTP", HostHeader: "www.example.com" });
    expect(g.Records.map((r: Props) => [r.Record, r.Weight])).toEqual([["1.1.1.1", 60], ["origin.example.com", 40]]);
    expect(writes(apiCalls()).map((c) => c.action)).toEqual(["CreateOriginGroup"]);
  });

  it("reads back the outputs and the inputs that produced them", async () => {
    const { id, inputs, outs } = await up(base());
    h.resetCalls();
    const r = await h.rt.read(KIND, id, outs);
    expect(r.id).toBe(id);
    expect(r.props).toEqual(outs);
    const { logicalName: _l, ...own } = inputs;
    expect(r.inputs).toEqual({ ...own, logicalName: "web" });
    expect(apiCalls().map((c) => c.action)).toEqual(["DescribeOriginGroup"]);
  });

  it("reports no change for the same inputs and makes no API call, in diff or in update", async () => {
    const { id, inputs, outs } = await up(base({ hostHeader: "www.example.com" }));
    h.resetCalls();
    const again = await checked({ ...base(), name: inputs.name, hostHeader: "www.example.com", logicalName: "web" }, inputs);
    expect(await h.rt.diff(KIND, id, outs, again)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    const { outs: after } = await h.rt.update(KIND, id, outs, again);
    expect(after).toEqual(outs);
    expect(h.calls()).toEqual([]);
  });

  it("updates records, weights and the name in place with one Modify", async () => {
    const { id, inputs, outs } = await up(base());
    const name = uniq("renamed");
    const news = await checked({ ...inputs, name, records: [{ record: "2.2.2.2", weight: 10 }, { record: "origin.example.com", weight: 90 }] }, inputs);
    expect(await h.rt.diff(KIND, id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    h.resetCalls();
    const { outs: after } = await h.rt.update(KIND, id, outs, news);
    expect(writes(apiCalls()).map((c) => c.action)).toEqual(["ModifyOriginGroup"]);
    expect(after.groupId).toBe(id);
    expect(after.name).toBe(name);
    const g = live(id);
    expect(g.Name).toBe(name);
    expect(g.Records.map((r: Props) => [r.Record, r.Weight])).toEqual([["2.2.2.2", 10], ["origin.example.com", 90]]);
    // converged: the next diff is empty
    expect((await h.rt.diff(KIND, id, after, news)).changes).toBe(false);
  });

  it("replaces on a type change, deleting first because the name stays", async () => {
    const { id, inputs, outs } = await up(base({ type: "GENERAL" }));
    const news = await checked({ ...inputs, type: "HTTP" }, inputs);
    expect(await h.rt.diff(KIND, id, outs, news)).toEqual({ changes: true, replaces: ["type"], deleteBeforeReplace: true });
    // the engine's order for deleteBeforeReplace: delete, then create
    await h.rt.remove(KIND, id, outs);
    const { id: id2, outs: outs2 } = await h.rt.create(KIND, news);
    expect(id2).not.toBe(id);
    expect(outs2.type).toBe("HTTP");
    expect(groupsNamed(inputs.name)).toHaveLength(1);
  });

  it("replaces on a type change without deleting first when the name changes too", async () => {
    const { id, inputs, outs } = await up(base({ type: "GENERAL" }));
    const news = await checked({ ...inputs, type: "HTTP", name: uniq("other") }, inputs);
    expect(await h.rt.diff(KIND, id, outs, news)).toEqual({ changes: true, replaces: ["type"], deleteBeforeReplace: false });
  });

  it("replaces on a zone change", async () => {
    const { id, inputs, outs } = await up(base());
    const news = await checked({ ...inputs, zoneId: OTHER_ZONE }, inputs);
    const d = await h.rt.diff(KIND, id, outs, news);
    expect(d.changes).toBe(true);
    expect(d.replaces).toEqual(["zoneId"]);
  });

  it("detects a console edit on read: the inputs reflect it and the next diff shows it", async () => {
    const { id, inputs, outs } = await up(base({ hostHeader: "www.example.com" }));
    patch(id, { Name: `${inputs.name}-console`, Records: [{ Record: "3.3.3.3", Weight: 100 }] });
    const r = await h.rt.read(KIND, id, outs);
    expect(r.id).toBe(id);
    expect(r.inputs).toMatchObject({ name: `${inputs.name}-console`, records: [{ record: "3.3.3.3", weight: 100, type: "IP_DOMAIN", private: false }], hostHeader: "www.example.com" });
    expect(r.inputs.records).toHaveLength(1);
    // refresh stored r.props; the program still declares `inputs`
    expect(await h.rt.diff(KIND, id, r.props!, inputs)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    // and after refresh, declaring what the console made is a no-op
    expect((await h.rt.diff(KIND, id, r.props!, r.inputs!)).changes).toBe(false);
    // `up` converges back
    const { outs: after } = await h.rt.update(KIND, id, r.props!, inputs);
    expect(live(id)).toMatchObject({ Name: inputs.name, HostHeader: "www.example.com" });
    expect((await h.rt.diff(KIND, id, after, inputs)).changes).toBe(false);
  });

  it("detects a host header cleared out of band", async () => {
    const { id, inputs, outs } = await up(base({ hostHeader: "www.example.com" }));
    patch(id, { HostHeader: "" });
    const r = await h.rt.read(KIND, id, outs);
    expect(r.inputs!.hostHeader).toBeUndefined();
    expect((await h.rt.diff(KIND, id, r.props!, inputs)).changes).toBe(true);
  });

  it("deletes the group; deleting it again succeeds; reading it reports it gone", async () => {
    const { id, outs, inputs } = await up(base());
    await h.rt.remove(KIND, id, outs);
    expect(groupsNamed(inputs.name)).toEqual([]);
    await expect(h.rt.remove(KIND, id, outs)).resolves.toBeUndefined();
    expect(await h.rt.read(KIND, id, outs)).toEqual({ id: "" });
  });

  it("reports a group deleted out of band as gone on read, and its delete succeeds", async () => {
    const { id, outs } = await up(base());
    h.emulator.services.teo.backend.admin("deleteOriginGroup", { groupId: id });
    expect(await h.rt.read(KIND, id, outs)).toEqual({ id: "" });
    await expect(h.rt.remove(KIND, id, outs)).resolves.toBeUndefined();
  });

  it("refuses to delete a referenced group, naming what uses it", async () => {
    const { id, outs } = await up(base());
    h.emulator.services.teo.backend.admin("addOriginGroupReference", { groupId: id, InstanceType: "acceleration-domain", InstanceId: "www.example.com", InstanceName: "www.example.com" });
    await expect(h.rt.remove(KIND, id, outs)).rejects.toThrow(/OriginGroupAccelerationDomainUsed[\s\S]*acceleration-domain www\.example\.com/);
    expect(live(id).GroupId).toBe(id);
    h.emulator.services.teo.backend.admin("clearOriginGroupReferences", { groupId: id });
  });

  it("reads many groups with one Describe call", async () => {
    const made = await Promise.all([0, 1, 2, 3, 4].map(() => up(base())));
    h.resetCalls();
    const reads = await Promise.all(made.map((m) => h.rt.read(KIND, m.id, m.outs)));
    expect(reads.map((r) => r.id)).toEqual(made.map((m) => m.id));
    expect(apiCalls("DescribeOriginGroup")).toHaveLength(1);
  });
});

// ------------------------------------------------------------------------------------------------

describe("OriginGroup records are a set", () => {
  it("ignores record order and domain case", async () => {
    const { id, inputs, outs } = await up(base());
    const news = await checked({ ...inputs, records: [{ record: "ORIGIN.Example.com", weight: 40 }, { record: "1.1.1.1", weight: 60 }] }, inputs);
    expect((await h.rt.diff(KIND, id, outs, news)).changes).toBe(false);
  });

  it("compares IPv6 records canonically", async () => {
    const { id, inputs, outs } = await up(base({ records: [{ record: "2001:db8:0:0:0:0:0:1" }] }));
    const news = await checked({ ...inputs, records: [{ record: "2001:DB8::1" }] }, inputs);
    expect((await h.rt.diff(KIND, id, outs, news)).changes).toBe(false);
  });

  it("never diffs on server-assigned record ids, even after Modify renews them", async () => {
    const { id, inputs, outs } = await up(base());
    patch(id, { Records: [{ Record: "1.1.1.1", Weight: 60 }, { Record: "origin.example.com", Weight: 40 }] });
    const r = await h.rt.read(KIND, id, outs);
    expect(r.props!.records.map((x: Props) => x.recordId)).not.toEqual(outs.records.map((x: Props) => x.recordId));
    expect((await h.rt.diff(KIND, id, r.props!, inputs)).changes).toBe(false);
    // a recordId on either side (a user pasting stack output) is refused by check, not diffed
    expect((await failuresOf({ ...inputs, records: [{ record: "1.1.1.1", recordId: "record-x" }] })).map((f) => f.property)).toEqual(["records[0].recordId"]);
  });

  it("keeps the host header on a records-only update (the API clears it when omitted)", async () => {
    const { id, inputs, outs } = await up(base({ hostHeader: "www.example.com" }));
    const news = await checked({ ...inputs, records: [{ record: "4.4.4.4" }] }, inputs);
    h.resetCalls();
    await h.rt.update(KIND, id, outs, news);
    const modify = apiCalls("ModifyOriginGroup");
    expect(modify).toHaveLength(1);
    const body = JSON.parse(modify[0]!.requestBody!);
    expect(body.HostHeader).toBe("www.example.com");
    expect(body.Name).toBeUndefined(); // only what changed, plus the host header
    expect(live(id).HostHeader).toBe("www.example.com");
  });

  it("clears the host header when it is removed from the inputs", async () => {
    const { id, inputs, outs } = await up(base({ hostHeader: "www.example.com" }));
    const { hostHeader: _, ...rest } = inputs;
    const news = await checked(rest, inputs);
    expect((await h.rt.diff(KIND, id, outs, news)).changes).toBe(true);
    await h.rt.update(KIND, id, outs, news);
    expect(live(id).HostHeader).toBe("");
  });

  it("sends no weight for unweighted records (never 0)", async () => {
    const { id } = await up(base({ records: [{ record: "1.1.1.1" }, { record: "2.2.2.2" }] }));
    const body = JSON.parse(apiCalls("CreateOriginGroup")[0]!.requestBody!);
    expect(body.Records.map((r: Props) => r.Weight)).toEqual([undefined, undefined]);
    expect(live(id).Records.map((r: Props) => r.Weight)).toEqual([null, null]);
  });
});

// ------------------------------------------------------------------------------------------------

const VALID: Props = {
  zoneId: ZONE,
  name: "valid-group",
  type: "HTTP",
  records: [{ record: "1.1.1.1", weight: 50 }, { record: "origin.example.com", weight: 50 }],
};
const s3 = (params: Props[], over: Props = {}) => ({ record: "bucket.s3.amazonaws.com", type: "AWS_S3", private: true, privateParameters: params, ...over });
const keys = [{ name: "AccessKeyId", value: SECRET }, { name: "SecretAccessKey", value: SECRET }];

const VALIDATION: Array<{ name: string; patch: Props; property: string }> = [
  { name: "a zone id without the zone- prefix", patch: { zoneId: "2kblak89bkx1" }, property: "zoneId" },
  { name: "a name with a dot", patch: { name: "web.site" }, property: "name" },
  { name: "a 201-character name", patch: { name: "a".repeat(201) }, property: "name" },
  { name: "an empty name", patch: { name: "" }, property: "name" },
  { name: "an unknown group type", patch: { type: "HTTPS" }, property: "type" },
  { name: "no records", patch: { records: [] }, property: "records" },
  { name: "101 records", patch: { records: Array.from({ length: 101 }, (_, i) => ({ record: `o${i}.example.com` })) }, property: "records" },
  { name: "a weight above 100", patch: { records: [{ record: "1.1.1.1", weight: 50 }, { record: "2.2.2.2", weight: 101 }] }, property: "records[1].weight" },
  { name: "a negative weight", patch: { records: [{ record: "1.1.1.1", weight: 50 }, { record: "2.2.2.2", weight: -1 }] }, property: "records[1].weight" },
  { name: "a fractional weight", patch: { records: [{ record: "1.1.1.1", weight: 50 }, { record: "2.2.2.2", weight: 1.5 }] }, property: "records[1].weight" },
  { name: "weights on some records only", patch: { records: [{ record: "1.1.1.1", weight: 50 }, { record: "2.2.2.2" }] }, property: "records" },
  { name: "all weights 0", patch: { records: [{ record: "1.1.1.1", weight: 0 }, { record: "2.2.2.2", weight: 0 }] }, property: "records" },
  { name: "a private IPv4 origin", patch: { records: [{ record: "10.0.0.1" }] }, property: "records[0].record" },
  { name: "a loopback origin", patch: { records: [{ record: "127.0.0.1" }] }, property: "records[0].record" },
  { name: "a CGNAT origin", patch: { records: [{ record: "100.64.1.1" }] }, property: "records[0].record" },
  { name: "an IPv6 loopback origin", patch: { records: [{ record: "::1" }] }, property: "records[0].record" },
  { name: "an IPv6 unique-local origin", patch: { records: [{ record: "fd00::1" }] }, property: "records[0].record" },
  { name: "an IPv4-mapped private origin", patch: { records: [{ record: "::ffff:192.168.1.1" }] }, property: "records[0].record" },
  { name: "a record with a port", patch: { records: [{ record: "origin.example.com:8080" }] }, property: "records[0].record" },
  { name: "a record that is a URL", patch: { records: [{ record: "https://origin.example.com" }] }, property: "records[0].record" },
  { name: "a one-label host name", patch: { records: [{ record: "localhost" }] }, property: "records[0].record" },
  { name: "a record with an underscore", patch: { records: [{ record: "my_origin.example.com" }] }, property: "records[0].record" },
  { name: "a CIDR as record", patch: { records: [{ record: "1.1.1.0/24" }] }, property: "records[0].record" },
  { name: "an empty record", patch: { records: [{ record: "" }] }, property: "records[0].record" },
  { name: "a duplicate record (domain case)", patch: { records: [{ record: "a.example.com" }, { record: "A.EXAMPLE.com" }] }, property: "records[1].record" },
  { name: "a duplicate record (IPv6 spelling)", patch: { records: [{ record: "2001:db8::1" }, { record: "2001:DB8:0::1" }] }, property: "records[1].record" },
  { name: "an unknown record type", patch: { records: [{ record: "1.1.1.1", type: "DOMAIN" }] }, property: "records[0].type" },
  { name: "a COS record in a GENERAL group", patch: { type: "GENERAL", records: [{ record: "b.cos.ap-guangzhou.myqcloud.com", type: "COS" }] }, property: "records[0].type" },
  { name: "an object-storage record that is an IP", patch: { records: [{ record: "1.1.1.1", type: "COS" }] }, property: "records[0].record" },
  { name: "a private parameter given twice", patch: { records: [s3([...keys, { name: "AccessKeyId", value: SECRET }])] }, property: "records[0].privateParameters[2].name" },
  { name: "an unknown private parameter name", patch: { records: [s3([...keys, { name: "Token", value: SECRET }])] }, property: "records[0].privateParameters[2].name" },
  { name: "an empty private parameter value", patch: { records: [s3([{ name: "AccessKeyId", value: "" }, keys[1]!])] }, property: "records[0].privateParameters[0].value" },
  { name: "a bad signature version", patch: { records: [s3([...keys, { name: "SignatureVersion", value: "v3" }])] }, property: "records[0].privateParameters[2].value" },
  { name: "a bad region", patch: { records: [s3([...keys, { name: "Region", value: "Ap_Guangzhou" }])] }, property: "records[0].privateParameters[2].value" },
  { name: "a host header with a scheme", patch: { hostHeader: "https://www.example.com" }, property: "hostHeader" },
  { name: "a host header with a port", patch: { hostHeader: "www.example.com:443" }, property: "hostHeader" },
  { name: "an unknown record property", patch: { records: [{ record: "1.1.1.1", port: 80 }] }, property: "records[0].port" },
  { name: "an unknown top-level property", patch: { hostheader: "www.example.com" }, property: "hostheader" },
  { name: "a COS record with a private parameter name the API does not know", patch: { records: [{ record: "b.cos.ap-guangzhou.myqcloud.com", type: "COS", private: true, privateParameters: [{ name: "Token", value: SECRET }] }] }, property: "records[0].privateParameters[0].name" },
  { name: "a weight given as a string", patch: { records: [{ record: "1.1.1.1", weight: "50" }] }, property: "records[0].weight" },
];

describe("OriginGroup check", () => {
  it("accepts the valid base inputs", async () => {
    expect(await failuresOf(VALID)).toEqual([]);
    expect(await failuresOf({ ...VALID, records: [s3([...keys, { name: "SignatureVersion", value: "v4" }, { name: "Region", value: "us-east-1" }])] })).toEqual([]);
  });

  it.each(VALIDATION)("rejects $name at $property", async ({ patch: p, property }) => {
    const failures = await failuresOf({ ...VALID, ...p, logicalName: "web" });
    expect(failures.map((f) => f.property)).toContain(property);
    for (const f of failures) {
      expect(f.reason).not.toBe("");
      expect(f.reason).not.toContain(SECRET);
    }
  });

  it("reports every failure at once, each at its own path", async () => {
    const failures = await failuresOf({ ...VALID, name: "bad name", records: [{ record: "10.0.0.1", weight: 5 }, { record: "x.example.com", weight: 500 }] });
    expect(failures.map((f) => f.property).sort()).toEqual(["name", "records[0].record", "records[1].weight"]);
  });

  it("never echoes a private parameter value, whatever fails", async () => {
    const failures = await failuresOf({ ...VALID, type: "GENERAL", hostHeader: "x", records: [s3([{ name: "AccessKeyId", value: SECRET }, { name: "Bogus", value: SECRET }], { type: "COS", private: 1 })] });
    expect(failures.length).toBeGreaterThan(2);
    expect(JSON.stringify(failures)).not.toContain(SECRET);
  });

  it("create refuses inputs that skipped check, by path and without values", async () => {
    const bad = { ...VALID, name: uniq("nocheck"), records: [s3([{ name: "AccessKeyId", value: SECRET }, { name: "Bogus", value: SECRET }])] };
    const err = await h.rt.create(KIND, bad).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).toContain("records[0].privateParameters");
    expect(JSON.stringify(err) + String((err as Error).message)).not.toContain(SECRET);
    expect(writes(apiCalls())).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------------

describe("OriginGroup inputs the API ignores: accepted with a warning, stored as sent", () => {
  const IGNORED: Array<{ name: string; args: Props; warned: string[]; wire: Props }> = [
    {
      name: "private and a SecretAccessKey on an IP_DOMAIN record (the peers' documented example)",
      args: { type: "GENERAL", records: [{ record: "tf-teo.xyz", type: "IP_DOMAIN", weight: 100, private: true, privateParameters: [{ name: "SecretAccessKey", value: SECRET }] }] },
      warned: ["records[0].private", "records[0].privateParameters"],
      wire: { Records: [expect.objectContaining({ Record: "tf-teo.xyz", Private: true, PrivateParameters: [{ Name: "SecretAccessKey", Value: SECRET }] })] },
    },
    {
      name: "private parameters without private",
      args: { records: [s3(keys, { private: false })] },
      warned: ["records[0].privateParameters"],
      wire: { Records: [expect.objectContaining({ Private: false, PrivateParameters: [{ Name: "AccessKeyId", Value: SECRET }, { Name: "SecretAccessKey", Value: SECRET }] })] },
    },
    {
      name: "a private AWS_S3 record without a key pair",
      args: { records: [s3([{ name: "SignatureVersion", value: "v4" }])] },
      warned: ["records[0].privateParameters"],
      wire: { Records: [expect.objectContaining({ Type: "AWS_S3", Private: true, PrivateParameters: [{ Name: "SignatureVersion", Value: "v4" }] })] },
    },
    {
      name: "a host header on a GENERAL group",
      args: { type: "GENERAL", hostHeader: "www.example.com" },
      warned: ["hostHeader"],
      wire: { Type: "GENERAL", HostHeader: "www.example.com" },
    },
  ];

  it.each(IGNORED)("$name: warned at preview, created, refreshed without a diff", async ({ args, warned, wire }) => {
    const news = { ...base(args), logicalName: "web" };
    const { inputs, failures, warnings } = await h.rt.check(KIND, undefined, news);
    expect(failures).toEqual([]);
    expect(warnings.map((w) => w.property)).toEqual(warned);
    for (const w of warnings) expect(w.reason).toMatch(/no effect|will not authenticate/);
    expect(JSON.stringify(warnings)).not.toContain(SECRET);
    const { id, outs } = await h.rt.create(KIND, inputs);
    expect(live(id)).toMatchObject(wire);
    const r = await h.rt.read(KIND, id, outs);
    expect(await h.rt.diff(KIND, id, r.props!, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    // bucket keys come back as the fingerprints state keeps (issue 15), never as the keys
    const asInState = (inputs.records as Props[]).map((rec) => (rec.privateParameters
      ? { ...rec, privateParameters: rec.privateParameters.map((p: Props) => ({ name: p.name, value: keyFingerprint(p.name, p.value) })) }
      : rec));
    expect(r.inputs).toMatchObject({ records: asInState, ...(args.hostHeader ? { hostHeader: args.hostHeader } : {}) });
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it("keeps the host header of a GENERAL group when another field changes", async () => {
    const { id, inputs, outs } = await up(base({ type: "GENERAL", hostHeader: "www.example.com" }));
    const news = await checked({ ...inputs, records: [{ record: "1.1.1.1", weight: 10 }, { record: "origin.example.com", weight: 90 }] }, inputs);
    const { outs: after } = await h.rt.update(KIND, id, outs, news);
    expect(live(id)).toMatchObject({ HostHeader: "www.example.com" });
    expect(after.hostHeader).toBe("www.example.com");
  });

  it("warns about nothing for inputs where every field takes effect", async () => {
    expect((await h.rt.check(KIND, undefined, { ...VALID, records: [s3(keys)] })).warnings).toEqual([]);
  });
});

describe("OriginGroup preview unknowns", () => {
  it.each([
    { where: "the whole records list", patch: { records: U } },
    { where: "one record value", patch: { records: [{ record: U, weight: 50 }, { record: "origin.example.com", weight: 50 }] } },
    { where: "one weight", patch: { records: [{ record: "1.1.1.1", weight: U }, { record: "origin.example.com", weight: 50 }] } },
    { where: "the zone id", patch: { zoneId: U } },
    { where: "the type", patch: { type: U } },
    { where: "the name", patch: { name: U } },
    { where: "the host header", patch: { hostHeader: U } },
    { where: "a private parameter", patch: { records: [s3([{ name: "AccessKeyId", value: U }, { name: "SecretAccessKey", value: U }])] } },
  ])("does not judge $where while known parts are still judged", async ({ patch: p }) => {
    // valid otherwise: no failure, the unknown is kept as is
    const ok = await h.rt.check(KIND, undefined, { ...VALID, ...p });
    expect(ok.failures).toEqual([]);
    for (const [k, v] of Object.entries(p)) if (v === U) expect(ok.inputs[k]).toBe(U);
    // a known bad part next to it is still reported
    const bad = await failuresOf({ ...VALID, ...p, ...("name" in p ? { zoneId: "nozone" } : { name: "bad name" }) });
    expect(bad.map((f) => f.property)).toEqual(["name" in p ? "zoneId" : "name"]);
  });

  it("still judges the known records next to an unknown one", async () => {
    const failures = await failuresOf({ ...VALID, records: [{ record: U, weight: 50 }, { record: "10.1.1.1", weight: 50 }] });
    expect(failures.map((f) => f.property)).toEqual(["records[1].record"]);
  });

  it("keeps an autoname when the name is unknown only in the sense of being omitted", async () => {
    const { inputs } = await h.rt.check(KIND, undefined, { ...VALID, name: undefined, records: U, logicalName: "web" });
    expect(inputs.name).toMatch(/^web-[0-9a-f]{7}$/);
  });

  it.each([
    { prop: "records", value: [{ record: U, weight: 50 }, { record: "origin.example.com", weight: 50 }], replaces: [] },
    { prop: "name", value: U, replaces: [] },
    { prop: "hostHeader", value: U, replaces: [] },
    { prop: "zoneId", value: U, replaces: ["zoneId"] },
    { prop: "type", value: U, replaces: ["type"] },
  ])("diff reports a change when $prop is unknown (replaces $replaces)", async ({ prop, value, replaces }) => {
    const { id, inputs, outs } = await up(base());
    const d = await h.rt.diff(KIND, id, outs, { ...inputs, [prop]: value });
    expect(d.changes).toBe(true);
    expect(d.replaces).toEqual(replaces);
    if (replaces.length) expect(d.deleteBeforeReplace).toBe(true);
  });
});

// ------------------------------------------------------------------------------------------------

describe("OriginGroup autonaming", () => {
  it("names an unnamed group <logicalName>-<7 hex>, valid for the API, and keeps it", async () => {
    const { name: _, ...args } = base();
    const first = await checked({ ...args, logicalName: "web" });
    expect(first.name).toMatch(/^web-[0-9a-f]{7}$/);
    const { id, outs } = await h.rt.create(KIND, first);
    expect(live(id).Name).toBe(first.name);
    // the next preview keeps it (olds = the previous inputs)
    const second = await checked({ ...args, logicalName: "web" }, first);
    expect(second.name).toBe(first.name);
    expect((await h.rt.diff(KIND, id, outs, second)).changes).toBe(false);
  });

  it("draws a new name for a new resource", async () => {
    const { name: _, ...args } = base();
    const a = await checked({ ...args, logicalName: "web" });
    const b = await checked({ ...args, logicalName: "web" });
    expect(a.name).not.toBe(b.name);
  });

  it("sanitises and shortens the logical name to the API's rule", async () => {
    const { name: _, ...args } = base();
    const odd = await checked({ ...args, logicalName: "my web.site/π" });
    expect(odd.name).toMatch(/^my-web-site---[0-9a-f]{7}$/);
    const long = await checked({ ...args, logicalName: "x".repeat(300) });
    expect(long.name).toHaveLength(200);
    expect(long.name).toMatch(/^x+-[0-9a-f]{7}$/);
    await h.rt.create(KIND, long); // the API takes it
  });

  it("uses a declared name as is", async () => {
    const { name: _, ...args } = base();
    const named = await checked({ ...args, name: "declared-name", logicalName: "web" });
    expect(named.name).toBe("declared-name");
  });
});

// ------------------------------------------------------------------------------------------------

describe("OriginGroup create recovery", () => {
  it.each([
    { kind: "drop-after", note: "applied, answer lost" },
    { kind: "drop-before", note: "never applied" },
    { kind: "error", note: "InternalError" },
  ] as const)("leaves exactly one group after a $kind fault on CreateOriginGroup ($note)", async ({ kind }) => {
    const args = base({ hostHeader: "www.example.com" });
    h.emulator.inject({ action: "CreateOriginGroup", kind, count: 1 });
    const { id, outs } = await up(args);
    const groups = groupsNamed(args.name);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.GroupId).toBe(id);
    expect(outs).toMatchObject({ groupId: id, name: args.name, hostHeader: "www.example.com" });
    const creates = apiCalls("CreateOriginGroup");
    expect(creates.filter((c) => c.fault === kind)).toHaveLength(1);
    expect(creates.length).toBeGreaterThanOrEqual(kind === "drop-after" ? 1 : 2);
  });

  it("after drop-after it finds the group instead of creating again", async () => {
    const args = base();
    h.emulator.inject({ action: "CreateOriginGroup", kind: "drop-after", count: 1 });
    await up(args);
    expect(apiCalls("CreateOriginGroup")).toHaveLength(1);
    expect(apiCalls("DescribeOriginGroup").some((c) => JSON.parse(c.requestBody!).Filters[0].Name === "origin-group-name")).toBe(true);
  });

  it("reports a group created but not read back as a partial create with its id", async () => {
    const args = base();
    h.emulator.inject({ action: "DescribeOriginGroup", kind: "error", code: "UnauthorizedOperation.NoPermission", count: 10 });
    const inputs = await checked({ ...args, logicalName: "web", __provider: "stub" });
    const err = (await h.rt.create(KIND, inputs).catch((e) => e)) as Error & { id?: string; properties?: Props };
    h.emulator.clearFaults();
    const [g] = groupsNamed(args.name);
    expect(err.id).toBe(g!.GroupId);
    expect(err.properties).toMatchObject({ groupId: g!.GroupId, name: args.name, __provider: "stub" });
    // the next `up` (update on the kept state) completes it with reads only
    h.resetCalls();
    const { outs } = await h.rt.update(KIND, err.id!, err.properties!, inputs);
    expect(outs.createTime).toMatch(/^\d{4}-/);
    expect(writes(apiCalls())).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------------

describe("OriginGroup adoption (adoptId)", () => {
  async function makeOutOfBand(name: string, extra: Props = {}): Promise<string> {
    const res = await providerContext().tencent().call<{ OriginGroupId: string }>("teo", "2022-09-01", "CreateOriginGroup", {
      ZoneId: ZONE, Name: name, Type: "HTTP", Records: [{ Record: "9.9.9.9" }], ...extra,
    });
    return res.OriginGroupId;
  }

  it("converges an existing group instead of creating one", async () => {
    const name = uniq("console");
    const existing = await makeOutOfBand(name, { HostHeader: "old.example.com" });
    h.resetCalls();
    const args = base({ name: uniq("adopted"), hostHeader: "www.example.com", adoptId: existing });
    const { id, outs } = await up(args);
    expect(id).toBe(existing);
    expect(writes(apiCalls()).map((c) => c.action)).toEqual(["ModifyOriginGroup"]);
    expect(groupsNamed(name)).toEqual([]);
    expect(groupsNamed(args.name)).toHaveLength(1);
    expect(live(existing)).toMatchObject({ Name: args.name, HostHeader: "www.example.com" });
    expect(outs.adoptId).toBeUndefined();
  });

  it("makes no write when the adopted group already matches", async () => {
    const name = uniq("same");
    const existing = await makeOutOfBand(name);
    h.resetCalls();
    const { id } = await up({ zoneId: ZONE, name, type: "HTTP", records: [{ record: "9.9.9.9" }], adoptId: existing });
    expect(id).toBe(existing);
    expect(writes(apiCalls())).toEqual([]);
  });

  it("refuses to adopt a group of another type, naming the property", async () => {
    const existing = await makeOutOfBand(uniq("typed"));
    const inputs = await checked({ ...base({ type: "GENERAL" }), adoptId: existing, logicalName: "web" });
    await expect(h.rt.create(KIND, inputs)).rejects.toThrow(/type/);
  });

  it("refuses to adopt a group that does not exist, naming adoptId", async () => {
    const inputs = await checked({ ...base(), adoptId: "origin-00000000-0000-0000-0000-000000000000", logicalName: "web" });
    await expect(h.rt.create(KIND, inputs)).rejects.toThrow(/adoptId/);
  });
});

// ------------------------------------------------------------------------------------------------

describe("OriginGroup secrecy of privateParameters", () => {
  const privateArgs = () => base({
    records: [s3([...keys, { name: "SignatureVersion", value: "v4" }, { name: "Region", value: "us-east-1" }])],
  });

  it("never prints a key in logs or errors through create, read, update, delete and recovery", async () => {
    const lines: string[] = [];
    const origWrite = process.stderr.write.bind(process.stderr);
    const saved = { log: console.log, warn: console.warn, info: console.info, error: console.error };
    for (const k of ["log", "warn", "info", "error"] as const) console[k] = (...a: unknown[]) => { lines.push(a.map(String).join(" ")); };
    (process.stderr as any).write = (chunk: any, ...rest: any[]) => { lines.push(String(chunk)); return origWrite(chunk, ...rest); };
    const errors: string[] = [];
    try {
      h.emulator.inject({ action: "CreateOriginGroup", kind: "drop-after", count: 1 });
      const { id, inputs, outs } = await up(privateArgs());
      expect(outs.records[0].privateParameters).toHaveLength(4); // state carries them (the engine marks it secret)
      await h.rt.read(KIND, id, outs);
      const news = await checked({ ...inputs, hostHeader: "www.example.com" }, inputs);
      await h.rt.update(KIND, id, outs, news);
      // a refused Modify: the API error text must not carry the request
      h.emulator.inject({ action: "ModifyOriginGroup", kind: "error", code: "FailedOperation", count: 1 });
      const news2 = await checked({ ...news, name: uniq("again") }, news);
      errors.push(String(await h.rt.update(KIND, id, outs, news2).catch((e: Error) => `${e.message} ${e.stack} ${JSON.stringify(e)}`)));
      await h.rt.remove(KIND, id, outs);
    } finally {
      Object.assign(console, saved);
      (process.stderr as any).write = origWrite;
    }
    expect(errors[0]).toContain("FailedOperation");
    expect(lines.join("\n")).toContain("create failed ambiguously");
    expect(lines.join("\n") + errors.join("\n")).not.toContain(SECRET);
  });

  it("makes the records input (hence output) secret when any record has private parameters", async () => {
    const pulumi = await import("@pulumi/pulumi");
    const { OriginGroup } = await import("../../provider/classes/originGroup");
    const seen: Props[] = [];
    await pulumi.runtime.setMocks({
      newResource: (args) => {
        seen.push(args.inputs);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    }, "proj", "stack", false);
    const isSecret = async (o: any) => (pulumi.isSecret ? await (o as any).isSecret : false);
    const withKeys = new OriginGroup("private", privateArgs() as any);
    const plain = new OriginGroup("plain", base() as any);
    await new Promise((r) => setTimeout(r, 50));
    expect(await isSecret(withKeys.records)).toBe(true);
    expect(await isSecret(plain.records)).toBe(false);
    const privateInputs = seen.find((i) => i.logicalName === "private")!;
    // the mock monitor receives secrets as the wire envelope
    expect(privateInputs.records).toHaveProperty("4dabf18193072939515e22adb298388d");
    expect(seen.find((i) => i.logicalName === "plain")!.records).toBeInstanceOf(Array);
  });
});
