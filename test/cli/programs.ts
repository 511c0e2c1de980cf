/**
 * Programs the real-CLI suites run. Plain JavaScript (runtime option `typescript: false`) so each run costs the
 * CLI and the provider, not a TypeScript compile; the examples and the root program run as users ship them.
 * Every choice a test changes between runs is stack config, set with `pulumi config set` as a user would.
 */
import { SEED } from "../../emulator/core/defaults";
import { jsProject } from "../support/pulumiCli";

/** The bucket key of the private COS record: a secret input that must never appear in clear. */
export const BUCKET_SECRET = "cos-secret-key-9f8e7d6c5b4a";

/**
 * All four resources. Config (project namespace `cli`): `originType` (HTTP|GENERAL), `weightA`, `regionId`,
 * `dial`, `names` ("explicit" or "auto"), `adoptOrigin` (an origin group id to adopt), `getOrigin` (an id to read
 * with OriginGroup.get).
 */
export function fourResources(): Record<string, string> {
  return jsProject("cli", `
const pulumi = require("@pulumi/pulumi");
const { OriginGroup, SecurityIPGroup, UserGroup, EndpointGroup } = require("pulumi-edgeconf");
const config = new pulumi.Config();
const explicit = (config.get("names") ?? "explicit") === "explicit";
const originType = config.get("originType") ?? "HTTP";
const cosKey = config.getSecret("cosSecretKey");

const web = new OriginGroup("web", {
  zoneId: ${JSON.stringify(SEED.teoZoneId)},
  ...(explicit ? { name: "web-origins" } : {}),
  type: originType,
  records: [
    { record: "203.0.113.10", weight: config.getNumber("weightA") ?? 60 },
    { record: "origin.example.com", weight: 40 },
    ...(originType === "HTTP" && cosKey ? [{
      record: "assets-1250000000.cos.ap-guangzhou.myqcloud.com", type: "COS", weight: 0, private: true,
      privateParameters: [{ name: "SecretAccessKey", value: cosKey }, { name: "AccessKeyId", value: "AKIDcosaccess" }],
    }] : []),
  ],
  ...(config.get("adoptOrigin") ? { adoptId: config.get("adoptOrigin") } : {}),
});
const office = new SecurityIPGroup("office", {
  zoneId: ${JSON.stringify(SEED.teoZoneId)},
  ...(explicit ? { name: "office-allowlist" } : {}),
  content: ["198.51.100.0/24", "203.0.113.7", "2001:db8::/48"],
});
const ops = new UserGroup("ops", {
  zoneId: ${JSON.stringify(SEED.cicZoneId)},
  ...(explicit ? { groupName: "edge-operators" } : {}),
  description: "People who change edge configuration",
});
const eu = new EndpointGroup("eu", {
  listenerId: ${JSON.stringify(SEED.gaListenerId)},
  regionId: config.get("regionId") ?? "eu-west-101",
  ...(explicit ? { name: "web-eu" } : {}),
  trafficDialPercentage: config.getNumber("dial") ?? 0,
});
const read = config.get("getOrigin") ? OriginGroup.get("seen", config.get("getOrigin"), { zoneId: ${JSON.stringify(SEED.teoZoneId)} }) : undefined;

exports.originGroupId = web.groupId;
exports.ipGroupId = office.groupId;
exports.userGroupId = ops.groupId;
exports.endpointGroupId = eu.endpointGroupId;
if (read) exports.seenRecords = read.records.apply((rs) => rs.map((r) => r.record));
`);
}

/**
 * The scenarios of a pull-request preview. Config `cli:variant` is a comma-separated list of changes from the
 * base stack: `ips` (3 entries inserted into the 50,000-entry allow-list, 1 removed), `reorder` (records in
 * reverse order), `weight` (70 instead of 60), `type` (GENERAL: a delete-first replacement), `bad` (a loopback
 * origin the check refuses). The bucket key is the secret config `cli:cosKey`.
 */
export function pullRequestScenarios(): Record<string, string> {
  return jsProject("cli", `
const pulumi = require("@pulumi/pulumi");
const { OriginGroup, SecurityIPGroup } = require("pulumi-edgeconf");
const config = new pulumi.Config();
const variant = new Set((config.get("variant") ?? "").split(",").filter(Boolean));
const ip = (n) => \`10.\${Math.floor(n / 65536) % 256}.\${Math.floor(n / 256) % 256}.\${n % 256}\`;

const content = Array.from({ length: 50000 }, (_, i) => ip(i));
if (variant.has("ips")) {
  content.splice(40000, 1);
  content.splice(30000, 0, "198.51.100.7", "2001:DB8:0:0::/48", "203.0.113.0/25");
}
const records = [
  { record: "203.0.113.10", weight: variant.has("weight") ? 70 : 60 },
  { record: "origin.example.com", weight: 40 },
  ...(variant.has("bad") ? [{ record: "127.0.0.1", weight: 0 }] : []),
];
new OriginGroup("web", {
  zoneId: ${JSON.stringify(SEED.teoZoneId)},
  name: "web-origins",
  type: variant.has("type") ? "GENERAL" : "HTTP",
  records: variant.has("reorder") ? [...records].reverse() : records,
});
new OriginGroup("assets", {
  zoneId: ${JSON.stringify(SEED.teoZoneId)},
  name: "assets",
  type: "HTTP",
  records: [{
    record: "assets-1250000000.cos.ap-guangzhou.myqcloud.com", type: "COS", weight: 100, private: true,
    privateParameters: [{ name: "SecretAccessKey", value: config.requireSecret("cosKey") }, { name: "AccessKeyId", value: "AKIDcosaccess" }],
  }],
});
new SecurityIPGroup("allow", { zoneId: ${JSON.stringify(SEED.teoZoneId)}, name: "big-allowlist", content });
`);
}

/**
 * What a reviewer must read right. Config (namespace `cli`): `variant` is a comma-separated list of `weight` (70
 * instead of 60 on the first record of `web`) and `warn` (a `hostHeader` on a GENERAL group and `private` on an IP
 * record: accepted with preview warnings); `adopt` is an origin group id for `taken` to adopt.
 */
export function reviewScenarios(): Record<string, string> {
  return jsProject("cli", `
const pulumi = require("@pulumi/pulumi");
const { OriginGroup } = require("pulumi-edgeconf");
const config = new pulumi.Config();
const variant = new Set((config.get("variant") ?? "").split(",").filter(Boolean));
const zoneId = ${JSON.stringify(SEED.teoZoneId)};
new OriginGroup("web", { zoneId, name: "web-origins", type: "HTTP",
  records: [{ record: "203.0.113.10", weight: variant.has("weight") ? 70 : 60 }, { record: "origin.example.com", weight: 40 }] });
new OriginGroup("plain", { zoneId, name: "plain", type: "GENERAL",
  ...(variant.has("warn") ? { hostHeader: "www.example.com" } : {}),
  records: [{ record: "203.0.113.20", ...(variant.has("warn") ? { private: true } : {}) }] });
if (config.get("adopt")) new OriginGroup("taken", { zoneId, name: "taken", type: "HTTP", records: [{ record: "203.0.113.30" }], adoptId: config.get("adopt") });
`);
}
