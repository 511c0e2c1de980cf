import * as pulumi from "@pulumi/pulumi";
import { PROVIDERS } from "../stub";
import type { ResourceKind } from "./lifecycle";

/** Options every edgeconf resource accepts besides its own properties. */
export interface CommonArgs {
  /**
   * Adopt an existing resource (made in a console or by another tool) instead of creating one: `create`
   * reads it by this id and converges it to the declared state. This is the import path: the Pulumi engine
   * cannot `pulumi import` dynamic resources (pulumi/pulumi#16175). Ignored after creation. The Terraform
   * import form `zone-…#origin-…` is accepted too (the part after `#`). Moving from another tool: docs/migration.md.
   */
  adoptId?: pulumi.Input<string | number>;
  /**
   * Whole-operation deadlines in seconds. Pulumi's `customTimeouts` option never reaches dynamic providers,
   * so set them here. Waits for asynchronous status (GA endpoint groups) and retries stop at the deadline.
   * @default { create: 1200, update: 1200, delete: 1200, read: 300 }
   */
  timeouts?: pulumi.Input<{ create?: number; update?: number; delete?: number; read?: number }>;
}

/**
 * Registers a dynamic resource with the kind's serialized stub and the type token
 * `pulumi-nodejs:dynamic/<module>:<kind>`. Computed outputs are seeded as undefined so Pulumi registers them
 * as output properties; the logical name travels as an input because dynamic providers never see it and
 * autonaming needs it.
 */
export function registerArgs(
  name: string,
  args: object,
  computed: readonly string[],
): Record<string, unknown> {
  // Copy: the SDK writes __provider into the object it is given (reusing args for two resources would throw).
  const props: Record<string, unknown> = { ...args, logicalName: name };
  for (const key of computed) if (!(key in props)) props[key] = undefined;
  return props;
}

export abstract class EdgeconfResource extends pulumi.dynamic.Resource {
  protected constructor(
    kind: ResourceKind,
    module: string,
    name: string,
    props: Record<string, unknown>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(PROVIDERS[kind], name, props, opts, module, kind);
  }
}
