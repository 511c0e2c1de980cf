/**
 * The only code that Pulumi serializes into state (`__provider`). It captures nothing but the resource kind:
 * every method loads `pulumi-edgeconf/runtime` inside the dynamic-provider process when called. So the text is
 * small and identical for every resource of a kind, holds no credentials, and refresh/destroy of old state
 * run today's installed implementation.
 *
 * The module is resolved from the provider process's working directory (the Pulumi program's directory) with
 * createRequire: that finds the package in the program's node_modules, and by package self-reference when the
 * program lives inside this repository. `require` itself is never captured by the serializer.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "./resources/lifecycle";

function providerFor(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  // Terse on purpose: Pulumi stores this text twice per resource (inputs and outputs) and wraps each function it
  // serializes in ~185 bytes, so seven one-line methods share one loader (about 2.1 KB instead of 2.7 KB).
  const run = (method: string, args: unknown[]): Promise<any> =>
    require("module").createRequire(process.cwd() + "/_")("pulumi-edgeconf/runtime")[method](...(method === "configure" ? args : [kind, ...args]));
  return {
    configure: (...a) => run("configure", a),
    check: (...a) => run("check", a),
    diff: (...a) => run("diff", a),
    create: (...a) => run("create", a),
    read: (...a) => run("read", a),
    update: (...a) => run("update", a),
    delete: (...a) => run("remove", a),
  };
}

/** One object per kind, created once: Pulumi caches the serialized text per provider object. */
export const PROVIDERS: Readonly<Record<ResourceKind, pulumi.dynamic.ResourceProvider>> = {
  OriginGroup: providerFor("OriginGroup"),
  SecurityIPGroup: providerFor("SecurityIPGroup"),
  UserGroup: providerFor("UserGroup"),
  EndpointGroup: providerFor("EndpointGroup"),
};
