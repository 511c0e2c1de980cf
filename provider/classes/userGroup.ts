/**
 * UserGroup: a Tencent Cloud Identity Center (organization 2021-03-31) user group.
 * The class and its public types. The implementation (schema, API mapping, CRUD) is resources/userGroup.ts,
 * loaded by the runtime inside Pulumi's provider process.
 */
import * as pulumi from "@pulumi/pulumi";
import { CommonArgs, EdgeconfResource, lookupArgs, lookupOptions, registerArgs } from "./resource";

export interface UserGroupArgs extends CommonArgs {
  /** CIC space id (`z-…`). Changing it replaces the group. */
  zoneId: pulumi.Input<string>;
  /** Letters, digits and `-`, up to 128; unique in the space. @default `<resource name>-<7 hex>` */
  groupName?: pulumi.Input<string>;
  /** Up to 1024 characters. Removing it clears the description. */
  description?: pulumi.Input<string>;
  /** `Manual`, or `Synchronized` for groups owned by an identity source (read-only here). Changing it replaces the group. @default "Manual" */
  groupType?: pulumi.Input<"Manual" | "Synchronized">;
}

export interface UserGroupState extends Record<string, unknown> {
  zoneId: string;
  groupName: string;
  description: string;
  groupType: "Manual" | "Synchronized";
  groupId: string;
  memberCount: number;
  createTime: string;
  updateTime: string;
}


/** What `UserGroup.get` needs besides the id. */
export interface UserGroupLookup extends Pick<CommonArgs, "timeouts"> {
  /** CIC space id (`z-…`) the group belongs to: groups are looked up within their space. */
  zoneId: pulumi.Input<string>;
}

/** Every output property, in declaration order: a `get()` registers them all. */
const OUTPUTS = ["zoneId", "groupName", "description", "groupType", "groupId", "memberCount", "createTime", "updateTime"] as const;

const COMPUTED = ["groupId", "memberCount", "createTime", "updateTime", "groupName", "description", "groupType"] as const;

/** A CIC user group. Changing `zoneId` or `groupType` replaces it (deleted first: names are unique). */
export class UserGroup extends EdgeconfResource {
  declare readonly zoneId: pulumi.Output<string>;
  declare readonly groupName: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly groupType: pulumi.Output<"Manual" | "Synchronized">;
  /** `g-…` (also the resource id). */
  declare readonly groupId: pulumi.Output<string>;
  declare readonly memberCount: pulumi.Output<number>;
  /** `YYYY-MM-DD HH:MM:SS` as the API reports it. */
  declare readonly createTime: pulumi.Output<string>;
  declare readonly updateTime: pulumi.Output<string>;

  constructor(name: string, args: UserGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super("UserGroup", "tencentcloud/organization", name, registerArgs(name, args, COMPUTED), opts);
  }

  /**
   * An existing group, read-only: Pulumi reads it through this provider (on preview and up) and never changes or
   * deletes it. `id` is `g-…`.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state: UserGroupLookup, opts?: pulumi.CustomResourceOptions): UserGroup {
    return new UserGroup(name, lookupArgs(state, OUTPUTS) as unknown as UserGroupArgs, lookupOptions(id, opts));
  }
}
