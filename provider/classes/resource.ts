/**
 * What every resource class shares. The classes (this folder) are the package's public surface: their `.d.ts`
 * files are what a user's `tsc` reads, so they import nothing but `@pulumi/pulumi` and each other, never zod
 * or the provider internals (`resources/`), whose types need newer libs and `esModuleInterop`.
 * `resources/publicTypes.ts` fails the build when these interfaces and the zod schemas drift apart.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROVIDERS, type ResourceKind } from "../stub";

/**
 * A deadline: seconds (`90`), or a duration string as Pulumi's `customTimeouts` take it: a sequence of
 * numbers with units `ms`, `s`, `m`, `h` (`"90s"`, `"10m"`, `"1h30m"`).
 */
export type Duration = number | string;

/** Whole-operation deadlines of one resource. */
export interface Timeouts {
  create?: Duration;
  update?: Duration;
  delete?: Duration;
  read?: Duration;
}

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
   * Whole-operation deadlines, in seconds or as duration strings (`"10m"`). Pulumi's `customTimeouts` option
   * never reaches dynamic providers, so set them here. Waits for asynchronous status (GA endpoint groups) and
   * retries stop at the deadline. Invalid values fail at preview, naming `timeouts.<operation>`.
   * @default { create: "20m", update: "20m", delete: "20m", read: "5m" }
   */
  timeouts?: pulumi.Input<Timeouts>;
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

/**
 * The props and options of a `get()`: the caller's, plus the id that turns the registration into Pulumi's read-only
 * lookup (ReadResource). The provider's `read` then fetches the live resource; nothing is created or changed,
 * and `pulumi destroy` leaves it alone.
 */
export function lookupArgs(state: object | undefined, outputs: readonly string[]): Record<string, unknown> {
  // Every output seeded, so each declared output property exists on the looked-up resource.
  return { ...Object.fromEntries(outputs.map((key) => [key, undefined])), ...state };
}

export function lookupOptions(id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  return { ...opts, id };
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
