/**
 * EndpointGroup: a Huawei Cloud Global Accelerator (GA v1) endpoint group.
 * The class and its public types. The implementation (schema, API mapping, CRUD) is resources/endpointGroup.ts,
 * loaded by the runtime inside Pulumi's provider process.
 */
import * as pulumi from "@pulumi/pulumi";
import { CommonArgs, EdgeconfResource, lookupArgs, lookupOptions, registerArgs } from "./resource";

export interface EndpointGroupArgs extends CommonArgs {
  /** Region of the endpoints (`ap-southeast-1`). Changing it replaces the group. */
  regionId: pulumi.Input<string>;
  /** The accelerator listener (one group per listener per region). Changing it replaces the group. */
  listenerId: pulumi.Input<string>;
  /** 1-64 of letters, digits and `-`. @default `<resource name>-<7 hex>` */
  name?: pulumi.Input<string>;
  /** 0-255 characters, no `<` or `>`. Removing it clears the description. */
  description?: pulumi.Input<string>;
  /** Share of the listener's traffic, 0-100; 0 is a real value (no traffic) and is sent. @default 100 */
  trafficDialPercentage?: pulumi.Input<number>;
}

export interface FrozenInfo {
  /** 0 normal, 1 frozen, 2 deleted/terminated */
  status: number;
  effect: number;
  scene: string[];
}

export interface EndpointGroupState extends Record<string, unknown> {
  regionId: string;
  listenerId: string;
  name: string;
  description: string;
  trafficDialPercentage: number;
  endpointGroupId: string;
  status: string;
  createdAt: string;
  updatedAt: string;
  domainId: string;
  frozenInfo: FrozenInfo;
}


/** Every output property, in declaration order: a `get()` registers them all. */
const OUTPUTS = ["regionId", "listenerId", "name", "description", "trafficDialPercentage", "endpointGroupId", "status", "createdAt", "updatedAt", "domainId", "frozenInfo"] as const;

const COMPUTED = ["endpointGroupId", "status", "createdAt", "updatedAt", "domainId", "frozenInfo", "name", "description", "trafficDialPercentage"] as const;

/**
 * A Global Accelerator endpoint group. Create and update wait until the group is ACTIVE (bounded by
 * `timeouts`); delete waits until it is gone. Changing `regionId` or `listenerId` replaces it.
 */
export class EndpointGroup extends EdgeconfResource {
  declare readonly regionId: pulumi.Output<string>;
  declare readonly listenerId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly trafficDialPercentage: pulumi.Output<number>;
  /** The group's UUID (also the resource id). */
  declare readonly endpointGroupId: pulumi.Output<string>;
  /** `ACTIVE` once settled; `PENDING`, `ERROR` or `DELETING` otherwise. */
  declare readonly status: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly updatedAt: pulumi.Output<string>;
  /** Huawei account (domain) id. */
  declare readonly domainId: pulumi.Output<string>;
  declare readonly frozenInfo: pulumi.Output<FrozenInfo>;

  constructor(name: string, args: EndpointGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super("EndpointGroup", "huaweicloud/ga", name, registerArgs(name, args, COMPUTED), opts);
  }

  /**
   * An existing group, read-only: Pulumi reads it through this provider (on preview and up) and never changes or
   * deletes it. `id` is the group's UUID; GA looks groups up by id alone, so `state` is optional.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: Pick<CommonArgs, "timeouts">, opts?: pulumi.CustomResourceOptions): EndpointGroup {
    return new EndpointGroup(name, lookupArgs(state, OUTPUTS) as unknown as EndpointGroupArgs, lookupOptions(id, opts));
  }
}
