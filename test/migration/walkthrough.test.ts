/**
 * docs/migration.md, step by step, through Pulumi's dynamic-provider process (the engine stand-in) on the
 * emulator: four resources made "elsewhere" (the API calls the peers' Terraform resources make for their documented
 * examples), left in the cloud by the old stack (`terraform state rm` / `pulumi state delete`), declared here with
 * `adoptId`, converged by `up`, then refreshed and previewed with no change. Replacement-forcing properties that
 * differ are refused before anything is touched.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED } from "../../emulator/core/defaults";
import { EndpointGroup, OriginGroup, SecurityIPGroup, UserGroup } from "../../provider";
import { Engine, type OperationResult } from "../../engine/engine";
import { startHarness, type Harness } from "../support/harness";

const ROOT = path.resolve(__dirname, "..", "..");
const MUTATING = /^(Create|Modify|Update|Delete)/;
const TEO_ZONE = "zone-197z8rf93cfw";
const CIC_ZONE = "z-xxxxxx";

type Props = Record<string, any>;
const mutating = (r: OperationResult) => r.calls.filter((c) => MUTATING.test(c.action)).map((c) => c.action);

let h: Harness;
let engine: Engine;
let stateDir: string;
/** ids of the resources the old tool made */
const old = { origin: "", ipGroup: 0, userGroup: "", endpointGroup: "", httpOrigin: "" };

/** What the peers' providers send for their documented examples (Terraform: Weight and Private always sent). */
async function createElsewhere(): Promise<void> {
  const tencent = h.rt.providerContext().tencent();
  old.origin = (await tencent.call<Props>("teo", "2022-09-01", "CreateOriginGroup", {
    ZoneId: TEO_ZONE, Name: "keep-group-1", Type: "GENERAL",
    Records: [{ Record: "tf-teo.xyz", Type: "IP_DOMAIN", Weight: 100, Private: true, PrivateParameters: [{ Name: "SecretAccessKey", Value: "test" }] }],
  })).OriginGroupId;
  old.ipGroup = (await tencent.call<Props>("teo", "2022-09-01", "CreateSecurityIPGroup", {
    ZoneId: TEO_ZONE, IPGroup: { GroupId: 0, Name: "bbbbb", Content: ["10.1.1.1", "10.1.1.2", "10.1.1.3"] },
  })).GroupId;
  old.userGroup = (await tencent.call<Props>("organization", "2021-03-31", "CreateGroup", {
    ZoneId: CIC_ZONE, GroupName: "test-group", Description: "test", GroupType: "Manual",
  })).GroupInfo.GroupId;
  const { body } = await h.rt.providerContext().huawei().request<Props>("ga", "POST", "/v1/endpoint-groups", {
    action: "CreateEndpointGroup",
    body: { endpoint_group: { name: "ga-endpoint-group", description: "terraform test", region_id: "cn-south-1", listeners: [{ id: SEED.gaListenerId }] } },
  });
  old.endpointGroup = body.endpoint_group.id;
}

/** The program after the move: the peers' arguments in our names (docs/migration.md), each with adoptId. */
function migrated(opts: { adopt?: boolean; originType?: "GENERAL" | "HTTP" } = {}) {
  const adopt = opts.adopt ?? true;
  const adoptId = (id: string | number) => (adopt ? { adoptId: id } : {});
  return () => {
    new OriginGroup("basic", {
      ...adoptId(old.origin),
      zoneId: TEO_ZONE,
      name: "keep-group-1",
      type: opts.originType ?? "GENERAL",
      records: [{ record: "tf-teo.xyz", type: "IP_DOMAIN", weight: 100, private: true, privateParameters: [{ name: "SecretAccessKey", value: pulumi.secret("test") }] }],
    });
    new SecurityIPGroup("teo_security_ip_group", {
      ...adoptId(`${TEO_ZONE}#${old.ipGroup}`), // the Terraform import id, as `terraform state show` prints it
      zoneId: TEO_ZONE,
      name: "bbbbb",
      content: ["10.1.1.1", "10.1.1.2", "10.1.1.3", "10.1.1.4"], // converged: one entry added
    });
    new UserGroup("identity_center_group", {
      ...adoptId(`${CIC_ZONE}#${old.userGroup}`),
      zoneId: CIC_ZONE,
      groupName: "test-group",
      description: "migrated from Terraform", // converged: new description
    });
    new EndpointGroup("test", {
      ...adoptId(old.endpointGroup),
      name: "ga-endpoint-group",
      description: "terraform test",
      regionId: "cn-south-1",
      listenerId: SEED.gaListenerId,
      trafficDialPercentage: 50, // converged: the Terraform example left it at 100
    });
  };
}

beforeAll(async () => {
  h = await startHarness({ settings: { gaPendingMs: 100 } });
  h.emulator.services.teo.backend.admin("addZone", { zoneId: TEO_ZONE });
  await h.admin.admin("organization", "addZone", { zoneId: CIC_ZONE });
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-migration-"));
  engine = new Engine({
    dir: ROOT,
    stateFile: path.join(stateDir, "dev.json"),
    emulatorUrl: h.emulator.url,
    config: h.emulator.stackConfig,
    secretKeys: h.emulator.stackSecretKeys,
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TENCENTCLOUD|HW)_/.test(k))),
    keepProvider: true, // one provider process for the walk-through: CPU is shared with other suites
  });
  await createElsewhere();
}, 60_000);

afterAll(async () => {
  await engine?.close();
  await h?.close();
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});

const counts = async () => (await fetch(`${h.emulator.url}/_emulator/counts`)).json();

describe("moving live resources into a pulumi-edgeconf stack with adoptId", () => {
  it("step 3: preview shows four creates and calls no mutating API; the ignored private access is a warning", async () => {
    const r = await engine.preview(migrated());
    expect(r.failures).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(r.steps.map((s) => s.op)).toEqual(["create", "create", "create", "create"]);
    expect(mutating(r)).toEqual([]);
    expect(r.warnings).toContainEqual(expect.stringMatching(/OriginGroup basic: records\[0\]\.private has no effect on IP_DOMAIN records/));
  }, 60_000);

  it("step 4: up adopts the four resources (no create call) and converges what differs", async () => {
    expect(await counts()).toEqual({ teo: 2, organization: 1, ga: 1 });
    const r = await engine.up(migrated());
    expect(r.errors).toEqual([]);
    expect(mutating(r).filter((a) => a.startsWith("Create"))).toEqual([]);
    // the origin group already matched: no write; the others: one convergent write each
    expect(mutating(r).sort()).toEqual(["ModifySecurityIPGroup", "UpdateEndpointGroup", "UpdateGroup"]);
    expect(await counts()).toEqual({ teo: 2, organization: 1, ga: 1 });
    expect(engine.outputs("basic")!.groupId).toBe(old.origin);
    expect(engine.outputs("teo_security_ip_group")!.groupId).toBe(old.ipGroup);
    expect(engine.outputs("identity_center_group")).toMatchObject({ groupId: old.userGroup, description: "migrated from Terraform" });
    expect(engine.outputs("test")).toMatchObject({ endpointGroupId: old.endpointGroup, trafficDialPercentage: 50, status: "ACTIVE" });
    const live = h.emulator.services.teo.backend.admin("getSecurityIPGroup", { groupId: old.ipGroup }) as Props;
    expect(live.Content).toEqual(["10.1.1.1", "10.1.1.2", "10.1.1.3", "10.1.1.4"]);
  }, 60_000);

  it("step 5: refresh and preview show no change; the stored private access reads back as declared", async () => {
    const refresh = await engine.refresh({ previewOnly: true });
    expect(refresh.errors).toEqual([]);
    expect(refresh.steps.map((s) => s.op)).toEqual(["refresh-same", "refresh-same", "refresh-same", "refresh-same"]);
    const preview = await engine.preview(migrated());
    expect(preview.changes).toBe(0);
    expect(mutating(preview)).toEqual([]);
    const live = h.emulator.services.teo.backend.admin("getOriginGroup", { groupId: old.origin }) as Props;
    expect(live.Records[0]).toMatchObject({ Private: true, PrivateParameters: [{ Name: "SecretAccessKey", Value: "test" }] });
  }, 60_000);

  it("step 6: adoptId can stay or go once adopted: either way up changes nothing", async () => {
    for (const adopt of [true, false]) {
      const r = await engine.up(migrated({ adopt }));
      expect(r.errors).toEqual([]);
      expect(r.changes).toBe(0);
      expect(r.calls).toEqual([]);
    }
  }, 60_000);

  it("a later change of a replacement-forcing property previews as an ordinary replace", async () => {
    const r = await engine.preview(migrated({ adopt: false, originType: "HTTP" }));
    expect(r.steps.find((s) => s.name === "basic")).toMatchObject({ op: "replace", replaces: ["type"] });
    expect(mutating(r)).toEqual([]);
  }, 60_000);
});

describe("adopting with a replacement-forcing property that differs", () => {
  it("refuses before touching anything, naming the property; declaring the existing value adopts it", async () => {
    old.httpOrigin = (await h.rt.providerContext().tencent().call<Props>("teo", "2022-09-01", "CreateOriginGroup", {
      ZoneId: TEO_ZONE, Name: "http-group", Type: "HTTP", Records: [{ Record: "21.1.1.1", Type: "IP_DOMAIN" }],
    })).OriginGroupId;
    const other = new Engine({
      dir: ROOT,
      emulatorUrl: h.emulator.url,
      config: h.emulator.stackConfig,
      secretKeys: h.emulator.stackSecretKeys,
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TENCENTCLOUD|HW)_/.test(k))),
      keepProvider: true,
    });
    const program = (type: "GENERAL" | "HTTP") => () => {
      new OriginGroup("http", { adoptId: old.httpOrigin, zoneId: TEO_ZONE, name: "http-group", type, records: [{ record: "21.1.1.1" }] });
    };
    const refused = await other.up(program("GENERAL"));
    expect(refused.ok).toBe(false);
    expect(refused.errors.join("\n")).toMatch(/different type, which cannot be changed in place; declare the existing value/);
    expect(mutating(refused)).toEqual([]);
    expect(other.resources()).toEqual([]);
    expect(h.emulator.services.teo.backend.admin("getOriginGroup", { groupId: old.httpOrigin })).toMatchObject({ Type: "HTTP" });

    const adopted = await other.up(program("HTTP"));
    expect(adopted.errors).toEqual([]);
    expect(other.outputs("http")!.groupId).toBe(old.httpOrigin);
    expect(mutating(adopted)).toEqual([]);
    await other.close();
  }, 60_000);
});
