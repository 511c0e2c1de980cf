/**
 * Control-plane operations of the teo module (`Backend.admin`): what a console user or another service
 * would do out of band, for drift and refusal tests. Arguments use the API's wire field names and go
 * through the same rules as the API (nothing is bypassed but authentication). `account` (optional
 * everywhere) narrows the search to one SecretId; group ids are unique across accounts anyway.
 */
import type { TeoBackend } from "./models";
import { ORIGIN_RECORD, arrayOf, checkObject, ipGroupToWire, opt, originGroupToWire, toRecordInputs, type ObjectShape } from "./responses";

const ORIGIN_GROUP_PATCH: ObjectShape = {
  Name: opt("String"),
  Type: opt("String"),
  HostHeader: opt("String"),
  Records: opt(arrayOf(ORIGIN_RECORD)),
};
const IP_GROUP_PATCH: ObjectShape = { Name: opt("String"), Content: opt(arrayOf("String")) };

function need<T>(args: Record<string, any>, key: string, type: "string" | "number"): T {
  const v = args[key];
  if (typeof v !== type) throw new Error(`teo admin: \`${key}\` must be a ${type}`);
  return v as T;
}

export const TEO_ADMIN_OPS = [
  "addZone", "listZones",
  "listOriginGroups", "getOriginGroup", "patchOriginGroup", "deleteOriginGroup",
  "addOriginGroupReference", "clearOriginGroupReferences",
  "listSecurityIPGroups", "getSecurityIPGroup", "patchSecurityIPGroup", "deleteSecurityIPGroup",
  "addSecurityIPGroupReference", "clearSecurityIPGroupReferences",
] as const;

export function runTeoAdmin(b: TeoBackend, op: string, args: Record<string, any> = {}): unknown {
  const account = typeof args.account === "string" ? args.account : undefined;
  switch (op) {
    case "addZone":
      return b.addZone(need(args, "zoneId", "string"), typeof args.name === "string" ? args.name : undefined);
    case "listZones":
      return b.listZones();

    case "listOriginGroups":
      return b.listOriginGroups().map(({ account, group }) => ({ account, zoneId: group.zoneId, ...originGroupToWire(group) }));
    case "getOriginGroup": {
      const { account: acct, group } = b.findOriginGroup(need(args, "groupId", "string"), account);
      return { account: acct, zoneId: group.zoneId, ...originGroupToWire(group) };
    }
    case "patchOriginGroup": {
      const groupId = need<string>(args, "groupId", "string");
      const patch = args.patch ?? {};
      checkObject(ORIGIN_GROUP_PATCH, patch, "patch");
      const { account: acct, group } = b.findOriginGroup(groupId, account);
      // a console edit changes only what it shows: an omitted HostHeader is kept (unlike ModifyOriginGroup)
      b.modifyOriginGroup(acct, group.zoneId, groupId, {
        name: patch.Name ?? undefined,
        type: patch.Type ?? undefined,
        hostHeader: patch.HostHeader ?? undefined,
        records: patch.Records ? toRecordInputs(patch.Records) : undefined,
      }, { keepHostHeader: true });
      return { ok: true };
    }
    case "deleteOriginGroup":
      b.deleteOriginGroupOutOfBand(need(args, "groupId", "string"), account);
      return { ok: true };
    case "addOriginGroupReference":
      b.addOriginGroupReference(need(args, "groupId", "string"), {
        instanceType: need(args, "InstanceType", "string"),
        instanceId: args.InstanceId,
        instanceName: args.InstanceName,
        zoneId: args.ZoneId,
        zoneName: args.ZoneName,
        aliasZoneName: args.AliasZoneName,
      }, account);
      return { ok: true };
    case "clearOriginGroupReferences":
      b.clearOriginGroupReferences(need(args, "groupId", "string"), account);
      return { ok: true };

    case "listSecurityIPGroups":
      return b.listIpGroups().map(({ account, zoneId, group }) => ({ account, zoneId, ...ipGroupToWire(group) }));
    case "getSecurityIPGroup": {
      const { account: acct, group } = b.findIpGroup(need(args, "groupId", "number"), account);
      return { account: acct, ...ipGroupToWire(group) };
    }
    case "patchSecurityIPGroup": {
      const { groupId, account: _a, ...patch } = args;
      if (typeof groupId !== "number") throw new Error("teo admin: `groupId` must be a number");
      checkObject(IP_GROUP_PATCH, patch, "");
      b.patchSecurityIpGroup(groupId, { name: patch.Name ?? undefined, content: patch.Content ?? undefined }, account);
      return { ok: true };
    }
    case "deleteSecurityIPGroup":
      b.deleteIpGroupOutOfBand(need(args, "groupId", "number"), account);
      return { ok: true };
    case "addSecurityIPGroupReference":
      b.addIpGroupReference(need(args, "groupId", "number"), {
        entityType: args.EntityType,
        entityId: args.EntityId,
        entityName: args.EntityName,
        subEntityType: args.SubEntityType,
        subEntityId: args.SubEntityId,
        subEntityName: args.SubEntityName,
      }, account);
      return { ok: true };
    case "clearSecurityIPGroupReferences":
      b.clearIpGroupReferences(need(args, "groupId", "number"), account);
      return { ok: true };
    default:
      throw new Error(`unknown admin op teo.${op}`);
  }
}
