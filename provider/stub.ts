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
  const load = () => {
    const path = require("path");
    const { createRequire } = require("module");
    return createRequire(path.join(process.cwd(), "__edgeconf__.js"))("pulumi-edgeconf/runtime");
  };
  return {
    async configure(req) { return load().configure(req); },
    async check(olds, news) { return load().check(kind, olds, news); },
    async diff(id, olds, news) { return load().diff(kind, id, olds, news); },
    async create(inputs) { return load().create(kind, inputs); },
    async read(id, props) { return load().read(kind, id, props); },
    async update(id, olds, news) { return load().update(kind, id, olds, news); },
    async delete(id, props) { return load().remove(kind, id, props); },
  };
}

/** One object per kind, created once: Pulumi caches the serialized text per provider object. */
export const PROVIDERS: Readonly<Record<ResourceKind, pulumi.dynamic.ResourceProvider>> = {
  OriginGroup: providerFor("OriginGroup"),
  SecurityIPGroup: providerFor("SecurityIPGroup"),
  UserGroup: providerFor("UserGroup"),
  EndpointGroup: providerFor("EndpointGroup"),
};
