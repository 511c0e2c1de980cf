/**
 * The peers' documented examples and acceptance-test configurations for our four resources, each translated to
 * our inputs (docs/migration.md has the mapping). Sources are the peers' repositories at these commits:
 *   TF-TC  tencentcloudstack/terraform-provider-tencentcloud @ f6970a90038400958503a0edab62c6c463baa7b0
 *   PU-TC  tencentcloudstack/pulumi-tencentcloud            @ a8c3ff6da9f3054961da59ac682876e3c316ad62
 *   TF-HW  huaweicloud/terraform-provider-huaweicloud       @ a0345b8dcc818aa80d932ec0802891222b0a22af
 * Terraform variables and references to other resources (var.listener_id, tencentcloud_teo_zone.basic.id) are
 * filled with the emulator's seeded ids; literal ids of the examples are kept (the test adds those zones).
 */
import { SEED } from "../../emulator/core/defaults";
import type { ResourceKind } from "../../provider/resources/lifecycle";

type Props = Record<string, unknown>;

export interface PeerExample {
  kind: ResourceKind;
  /** `repo:path` (and the example's name inside the file) */
  source: string;
  /** our inputs, as the user would write them after reading docs/migration.md */
  inputs: Props;
  /** later steps of the peer's acceptance test (each an update of the previous inputs) */
  updates?: Props[];
  /** inputs the API ignores here: accepted, with a preview warning at these properties */
  warnings?: string[];
}

/** Literal ids in the peers' examples that the emulator does not seed. */
export const EXAMPLE_ZONES = { teo: ["zone-197z8rf93cfw", "zone-2qtuhspy7cr6"], cic: ["z-xxxxxx"] } as const;

/** `records { record, type, weight, private, private_parameters { name, value } }` → records[] as is. */
const selfOriginGroup = {
  zoneId: "zone-197z8rf93cfw",
  type: "GENERAL",
  records: [{ record: "tf-teo.xyz", type: "IP_DOMAIN", weight: 100, private: true, privateParameters: [{ name: "SecretAccessKey", value: "test" }] }],
};
const ignoredPrivate = ["records[0].private", "records[0].privateParameters"];

export const PEER_EXAMPLES: PeerExample[] = [
  // ------------------------------------------------------------------ OriginGroup
  {
    kind: "OriginGroup",
    source: "TF-TC website/docs/r/teo_origin_group.html.markdown (= tencentcloud/services/teo/resource_tc_teo_origin_group.md), \"Self origin group\"",
    inputs: { name: "keep-group-1", ...selfOriginGroup },
    warnings: ignoredPrivate,
  },
  {
    kind: "OriginGroup",
    source: "PU-TC docs/api-docs/Teo/origingroup/_index.md, \"Self origin group\" (TypeScript; no name: autonamed here)",
    inputs: { ...selfOriginGroup },
    warnings: ignoredPrivate,
  },
  {
    kind: "OriginGroup",
    source: "TF-TC tencentcloud/services/teo/resource_tc_teo_origin_group_test.go, testAccTeoOriginGroup then testAccTeoOriginGroupUpdate (record = var.zone_name)",
    inputs: {
      zoneId: SEED.teoZoneId,
      name: "keep-group-1",
      type: "GENERAL",
      records: [
        { record: SEED.teoZoneName, type: "IP_DOMAIN", weight: 100, private: false },
        { record: "21.1.1.1", type: "IP_DOMAIN", weight: 100, private: false },
        { record: "21.1.1.2", type: "IP_DOMAIN", weight: 11, private: false },
      ],
    },
    updates: [{
      zoneId: SEED.teoZoneId,
      name: "keep-group-1",
      type: "GENERAL",
      records: [{ record: SEED.teoZoneName, type: "IP_DOMAIN", weight: 100, private: true, privateParameters: [{ name: "SecretAccessKey", value: "test" }] }],
    }],
  },
  // ------------------------------------------------------------------ SecurityIPGroup
  {
    kind: "SecurityIPGroup",
    source: "TF-TC website/docs/r/teo_security_ip_group.html.markdown (= tencentcloud/services/teo/resource_tc_teo_security_ip_group.md): ip_group { content, name } → content, name",
    inputs: { zoneId: "zone-2qtuhspy7cr6", name: "bbbbb", content: ["10.1.1.1", "10.1.1.2", "10.1.1.3"] },
  },
  {
    kind: "SecurityIPGroup",
    source: "PU-TC sdk/nodejs/teo/securityIpGroup.ts, Example Usage: ipGroup { contents, name } → content, name",
    inputs: { zoneId: "zone-2qtuhspy7cr6", name: "bbbbb", content: ["10.1.1.1", "10.1.1.2", "10.1.1.3"] },
  },
  {
    kind: "SecurityIPGroup",
    source: "TF-TC tencentcloud/services/teo/resource_tc_teo_security_ip_group_test.go, testAccTeoSecurityIpGroup then testAccTeoSecurityIpGroupUp",
    inputs: { zoneId: "zone-2qtuhspy7cr6", name: "aaaaa", content: ["10.1.1.1", "10.1.1.2"] },
    updates: [{ zoneId: "zone-2qtuhspy7cr6", name: "bbbbb", content: ["10.1.1.1", "10.1.1.2", "10.1.1.3"] }],
  },
  // ------------------------------------------------------------------ UserGroup
  {
    kind: "UserGroup",
    source: "TF-TC website/docs/r/identity_center_group.html.markdown (= tencentcloud/services/tco/resource_tc_identity_center_group.md)",
    inputs: { zoneId: "z-xxxxxx", groupName: "test-group", description: "test" },
  },
  {
    kind: "UserGroup",
    source: "PU-TC sdk/nodejs/identity/centerGroup.ts, Example Usage (tencentcloud.identity.CenterGroup: the same names as ours)",
    inputs: { zoneId: "z-xxxxxx", groupName: "test-group", description: "test" },
  },
  {
    kind: "UserGroup",
    source: "TF-TC tencentcloud/services/tco/resource_tc_identity_center_group_test.go, testAccIdentityCenterGroup then testAccIdentityCenterGroupUpdate",
    inputs: { zoneId: "z-s64jh54hbcra", groupName: "tf-test-group", description: "test", groupType: "Manual" },
    updates: [{ zoneId: "z-s64jh54hbcra", groupName: "tf-test-group", description: "test_update", groupType: "Manual" }],
  },
  {
    kind: "UserGroup",
    source: "TF-TC tencentcloud/services/tco/resource_tc_identity_center_user_group_attachment_test.go, its tencentcloud_identity_center_group",
    inputs: { zoneId: "z-s64jh54hbcra", groupName: "attachment-group", description: "test" },
  },
  // ------------------------------------------------------------------ EndpointGroup
  {
    kind: "EndpointGroup",
    source: "TF-HW docs/resources/ga_endpoint_group.md, Example Usage: listeners { id } → listenerId (var.name, var.description, var.listener_id filled)",
    inputs: { name: "ga-endpoint-group", description: "endpoint group of the example", regionId: "cn-south-1", listenerId: SEED.gaListenerId },
  },
  {
    kind: "EndpointGroup",
    source: "TF-HW huaweicloud/services/acceptance/ga/resource_huaweicloud_ga_endpoint_group_test.go, testEndpointGroup_basic then testEndpointGroup_update (name = RandomAccResourceNameWithDash())",
    inputs: { name: "tf-acc-test-k3x9q", description: "terraform test", regionId: "cn-south-1", listenerId: SEED.gaListenerId },
    updates: [{ name: "tf-acc-test-k3x9q-update", description: "terraform test update", regionId: "cn-south-1", listenerId: SEED.gaListenerId }],
  },
];

/**
 * The same examples pasted with the peers' own spellings: each must be refused with what to write instead,
 * at the property the user wrote.
 */
export const UNTRANSLATED: Array<{ kind: ResourceKind; source: string; inputs: Props; hints: Record<string, RegExp> }> = [
  {
    kind: "OriginGroup",
    source: "TF-TC teo_origin_group.html.markdown in Terraform's snake_case",
    inputs: { zone_id: "zone-197z8rf93cfw", name: "keep-group-1", type: "GENERAL", records: [{ record: "tf-teo.xyz", private_parameters: [{ name: "SecretAccessKey", value: "test" }] }] },
    hints: { zone_id: /write zoneId/, "records[0].private_parameters": /write privateParameters/ },
  },
  {
    kind: "OriginGroup",
    source: "PU-TC OriginGroupRecord.recordId / TF records.record_id (server-assigned)",
    inputs: { zoneId: SEED.teoZoneId, type: "HTTP", records: [{ record: "1.1.1.1", recordId: "record-3492ee3b-383c-11ee-8888-525400682e90" }, { record: "2.2.2.2", record_id: "record-x" }] },
    hints: { "records[0].recordId": /assigned by the API.*remove it/, "records[1].record_id": /assigned by the API.*remove it/ },
  },
  {
    kind: "OriginGroup",
    source: "TF-TC teo_origin_group before v1.81.96 (origin_name, origin_type, record { port, area })",
    inputs: { zoneId: SEED.teoZoneId, origin_name: "group0", origin_type: "self", type: "GENERAL", records: [{ record: "1.1.1.1", port: 80, area: [] }] },
    hints: { origin_name: /write name/, origin_type: /write type/, "records[0].port": /no port/, "records[0].area": /no area/ },
  },
  {
    kind: "OriginGroup",
    source: "TF-TC origin_group_id attribute",
    inputs: { zoneId: SEED.teoZoneId, type: "HTTP", records: [{ record: "1.1.1.1" }], origin_group_id: "origin-057c4d82-383c-11ee-8888-525400682e90" },
    hints: { origin_group_id: /adoptId/ },
  },
  {
    kind: "SecurityIPGroup",
    source: "TF-TC teo_security_ip_group.html.markdown: ip_group { content, name }",
    inputs: { zone_id: "zone-2qtuhspy7cr6", ip_group: [{ content: ["10.1.1.1"], name: "bbbbb" }] },
    hints: { zone_id: /write zoneId/, ip_group: /write name: .* and content: .* at the top level/ },
  },
  {
    kind: "SecurityIPGroup",
    source: "PU-TC securityIpGroup.ts: ipGroup { contents, name }",
    inputs: { zoneId: "zone-2qtuhspy7cr6", ipGroup: { contents: ["10.1.1.1"], name: "bbbbb" } },
    hints: { ipGroup: /write name: .* and content: .* at the top level/ },
  },
  {
    kind: "UserGroup",
    source: "TF-TC identity_center_group.html.markdown in snake_case",
    inputs: { zone_id: "z-xxxxxx", group_name: "test-group", group_type: "Manual", description: "test" },
    hints: { zone_id: /write zoneId/, group_name: /write groupName/, group_type: /write groupType/ },
  },
  {
    kind: "EndpointGroup",
    source: "TF-HW ga_endpoint_group.md: region_id, listeners { id }, traffic_dial_percentage",
    inputs: { name: "ga-endpoint-group", region_id: "cn-south-1", listeners: [{ id: SEED.gaListenerId }], traffic_dial_percentage: 100 },
    hints: { region_id: /write regionId/, listeners: /write listenerId/, traffic_dial_percentage: /write trafficDialPercentage/ },
  },
];
