/**
 * What to write instead, for fields that exist only in the peers: terraform-provider-tencentcloud,
 * pulumi-tencentcloud (its bridge) and terraform-provider-huaweicloud. Users who paste a peer's example get
 * "write listenerId" rather than "is not a property of this resource". The argument mapping behind these
 * messages, with the peers' sources, is docs/migration.md.
 *
 * Only unknown keys reach this module: a key that is ours never gets a hint.
 */
import type { z } from "zod";
import type { ResourceKind } from "./lifecycle";

const OUTPUT = "is an output of this resource, set by the API; remove it";
const OUTPUT_ID = "is the id the API assigns (an output here); to manage an existing resource, set adoptId to its id instead";
const RECORD_ID =
  "is assigned by the API and is an output here (records[].recordId); remove it: records are matched by their record value";
const PRE_1_81_96 = "belongs to the tencentcloud_teo_origin_group schema before v1.81.96, which the 2022-09-01 API replaced";

/** Why a peer's key is refused, and which of our properties it stands for (so "missing zoneId" is not said too). */
export interface PeerSpelling {
  reason: string;
  writes: readonly string[];
}

/**
 * Peer spellings that are not a snake_case form of one of our names, by resource and by the object they sit in
 * ("" is the resource's top level, "records" an origin record). Snake_case forms of our own names are derived.
 * A `[reason, writes]` pair names the properties of ours the key stands for.
 */
const PEER_FIELDS: Record<ResourceKind, Record<string, Record<string, string | [string, string[]]>>> = {
  OriginGroup: {
    "": {
      origin_group_id: OUTPUT_ID,
      originGroupId: OUTPUT_ID,
      origin_group_name: [`${PRE_1_81_96}; write name`, ["name"]],
      origin_name: [`${PRE_1_81_96}; write name`, ["name"]],
      originGroupName: [`${PRE_1_81_96}; write name`, ["name"]],
      origin_records: [`${PRE_1_81_96}; write records`, ["records"]],
      originRecords: [`${PRE_1_81_96}; write records`, ["records"]],
      record: [`${PRE_1_81_96}; write records (a list of { record, type, weight, private, privateParameters })`, ["records"]],
      origin_type: `${PRE_1_81_96}; write type (GENERAL or HTTP) and each record's type (IP_DOMAIN, COS or AWS_S3)`,
      originType: `${PRE_1_81_96}; write type (GENERAL or HTTP) and each record's type (IP_DOMAIN, COS or AWS_S3)`,
      configuration_type: `${PRE_1_81_96}; weights are per record now (records[].weight), areas are gone`,
      configurationType: `${PRE_1_81_96}; weights are per record now (records[].weight), areas are gone`,
      zone_name: OUTPUT,
    },
    records: {
      recordId: RECORD_ID,
      record_id: RECORD_ID,
      port: `${PRE_1_81_96}; origin records carry no port in this API (OriginRecord has none); remove it`,
      area: `${PRE_1_81_96}; origin records carry no area in this API; remove it`,
      private_parameter: [`${PRE_1_81_96}; write privateParameters`, ["privateParameters"]],
      privateParameter: [`${PRE_1_81_96}; write privateParameters`, ["privateParameters"]],
    },
  },
  SecurityIPGroup: {
    "": {
      ip_group: ["is the Terraform block ip_group { name, content }; write name: \"…\" and content: [\"…\"] at the top level", ["name", "content"]],
      ipGroup: ["is pulumi-tencentcloud's ipGroup { name, contents }; write name: \"…\" and content: [\"…\"] at the top level", ["name", "content"]],
      contents: ["write content (pulumi-tencentcloud spells it ipGroup.contents)", ["content"]],
      group_id: OUTPUT_ID,
    },
  },
  UserGroup: { "": { group_id: OUTPUT_ID } },
  EndpointGroup: {
    "": {
      listeners: [
        "is the Huawei API's list of exactly one { id }; write listenerId: \"<that id>\" (Terraform listeners { id = … })",
        ["listenerId"],
      ],
      id: OUTPUT_ID,
      endpoint_group_id: OUTPUT_ID,
    },
  },
};

/** Outputs by resource (camelCase): a peer's spelling of one of them is an output here too. */
const OUTPUTS: Record<ResourceKind, readonly string[]> = {
  OriginGroup: ["groupId", "references", "createTime", "updateTime"],
  SecurityIPGroup: ["groupId", "ipTotalCount"],
  UserGroup: ["groupId", "memberCount", "createTime", "updateTime"],
  EndpointGroup: ["endpointGroupId", "status", "createdAt", "updatedAt", "domainId", "frozenInfo"],
};
const ID_OUTPUTS = new Set(["groupId", "endpointGroupId"]);

const camelCase = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySchema = any;

/** Optional/default/nullable wrappers hide the object or array a path goes through. */
function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  while (s?._zod?.def?.innerType) s = s._zod.def.innerType;
  return s;
}

/** The property names a strict object of `schema` accepts at `path` (array indices step into elements). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: AnySchema = unwrap(schema);
  for (const seg of path) s = unwrap(typeof seg === "number" ? s?._zod?.def?.element : s?._zod?.def?.shape?.[seg as string]);
  return Object.keys(s?._zod?.def?.shape ?? {});
}

/**
 * What to say about an unknown key `key` found in the object at `path`, when it is a peer's spelling; undefined
 * otherwise. `extraTopLevel` are keys the lifecycle accepts besides the schema (adoptId, timeouts...).
 */
export function peerSpelling(
  kind: ResourceKind,
  schema: z.ZodType,
  path: readonly PropertyKey[],
  key: string,
  extraTopLevel: readonly string[] = [],
): PeerSpelling | undefined {
  const where = path.filter((p) => typeof p !== "number").join(".");
  const known = PEER_FIELDS[kind][where]?.[key];
  if (known) return typeof known === "string" ? { reason: known, writes: [] } : { reason: known[0], writes: known[1] };
  const camel = camelCase(key);
  const ours = [...keysAt(schema, path), ...(where === "" ? extraTopLevel : [])];
  if (camel !== key && ours.includes(camel)) return { reason: `is the Terraform (snake_case) spelling; write ${camel}`, writes: [camel] };
  if (where === "" && OUTPUTS[kind].includes(camel)) return { reason: ID_OUTPUTS.has(camel) ? OUTPUT_ID : OUTPUT, writes: [] };
  return undefined;
}
