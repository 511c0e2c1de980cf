/**
 * SecurityIPGroup: an EdgeOne (teo 2022-09-01) security IP group.
 * The class and its public types. The implementation (schema, API mapping, CRUD) is resources/securityIpGroup.ts,
 * loaded by the runtime inside Pulumi's provider process.
 */
import * as pulumi from "@pulumi/pulumi";
import { CommonArgs, EdgeconfResource, lookupArgs, lookupOptions, registerArgs } from "./resource";

export interface IpExpireInfoArgs {
  /** RFC 3339 time with offset (`2026-03-24T16:03:00+08:00`), in the future when first declared. */
  expireTime: pulumi.Input<string>;
  /** Entries of `content` that leave the group at that time. */
  ipList: pulumi.Input<pulumi.Input<string>[]>;
}

export interface SecurityIPGroupArgs extends CommonArgs {
  /** EdgeOne site id (`zone-…`). Changing it replaces the group. */
  zoneId: pulumi.Input<string>;
  /** 1-64 of letters (any script), digits, `_`, `.`, `-`; unique in the zone. @default `<resource name>-<7 hex>` */
  name?: pulumi.Input<string>;
  /** IPv4/IPv6 addresses and CIDR ranges; a set (order and spelling do not matter, duplicates are an error). */
  content: pulumi.Input<pulumi.Input<string>[]>;
  /** Scheduled removals. Schedules that have fired are not drift. */
  ipExpireInfo?: pulumi.Input<pulumi.Input<IpExpireInfoArgs>[]>;
}

export interface SecurityIPGroupState extends Record<string, unknown> {
  zoneId: string;
  name: string;
  /** Entries in effect, canonical. */
  content: string[];
  ipExpireInfo: { expireTime: string; ipList: string[] }[];
  groupId: number;
  /** Entries in effect, as counted by the API. */
  ipTotalCount: number;
}


/** What `SecurityIPGroup.get` needs besides the id. */
export interface SecurityIPGroupLookup extends Pick<CommonArgs, "timeouts"> {
  /** EdgeOne site id (`zone-…`) the group belongs to: groups are looked up within their site. */
  zoneId: pulumi.Input<string>;
}

/** Every output property, in declaration order: a `get()` registers them all. */
const OUTPUTS = ["zoneId", "name", "content", "ipExpireInfo", "groupId", "ipTotalCount"] as const;

const COMPUTED = ["groupId", "ipTotalCount", "name", "ipExpireInfo"] as const;

/**
 * An EdgeOne security IP group. Changing `zoneId` replaces it; renaming a group larger than one request
 * (2000 entries by default) replaces it too, creating the new group before deleting the old one.
 */
export class SecurityIPGroup extends EdgeconfResource {
  declare readonly zoneId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly content: pulumi.Output<string[]>;
  declare readonly ipExpireInfo: pulumi.Output<{ expireTime: string; ipList: string[] }[]>;
  /** Integer id (the resource id is its decimal text). */
  declare readonly groupId: pulumi.Output<number>;
  declare readonly ipTotalCount: pulumi.Output<number>;

  constructor(name: string, args: SecurityIPGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super("SecurityIPGroup", "tencentcloud/teo", name, registerArgs(name, args, COMPUTED), opts);
  }

  /**
   * An existing group, read-only: Pulumi reads it through this provider (on preview and up) and never changes or
   * deletes it. `id` is the integer group id, as text.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state: SecurityIPGroupLookup, opts?: pulumi.CustomResourceOptions): SecurityIPGroup {
    return new SecurityIPGroup(name, lookupArgs(state, OUTPUTS) as unknown as SecurityIPGroupArgs, lookupOptions(id, opts));
  }
}
