/**
 * The only code that Pulumi serializes into state (`__provider`). It captures nothing but the resource kind:
 * every method loads `pulumi-edgeconf/runtime` inside the dynamic-provider process when called. So the text is
 * small and identical for every resource of a kind, holds no credentials, and refresh/destroy of old state
 * run today's installed implementation.
 *
 * The module is resolved from the provider process's working directory (the Pulumi program's directory) with
 * createRequire: that finds the package in the program's node_modules, and by package self-reference when the
 * program lives inside this repository. `require` itself is never captured by the serializer.
 *
 * Why two functions serve seven methods: Pulumi stores this text twice per resource and wraps every function it
 * serializes in about 190 bytes, so seven one-line methods cost 2.2 KB where two cost under 1 KB. The
 * dynamic-provider process calls each method with a distinct argument shape, except diff/update (id, olds, news)
 * and read/delete (id, props): those pairs go to different functions, one for reads and one for writes, and
 * `runtime.dispatch` tells the rest apart (see its comment). The lifecycle suite runs every method through
 * Pulumi's process.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The four resource kinds; the runtime dispatches on this name (a permanent contract, like the stub text). */
export type ResourceKind = "OriginGroup" | "SecurityIPGroup" | "UserGroup" | "EndpointGroup";

function providerFor(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  const read = (...a: any[]): Promise<any> => require("module").createRequire(process.cwd() + "/_")("pulumi-edgeconf/runtime").dispatch(kind, "read", a);
  const write = (...a: any[]): Promise<any> => require("module").createRequire(process.cwd() + "/_")("pulumi-edgeconf/runtime").dispatch(kind, "write", a);
  return { configure: read, check: read, diff: read, create: read, read, update: write, delete: write };
}

/** One object per kind, created once: Pulumi caches the serialized text per provider object. */
export const PROVIDERS: Readonly<Record<ResourceKind, pulumi.dynamic.ResourceProvider>> = {
  OriginGroup: providerFor("OriginGroup"),
  SecurityIPGroup: providerFor("SecurityIPGroup"),
  UserGroup: providerFor("UserGroup"),
  EndpointGroup: providerFor("EndpointGroup"),
};
