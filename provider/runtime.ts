/**
 * The implementation behind the serialized provider stub (see stub.ts). The stub loads this module by its
 * package subpath `pulumi-edgeconf/runtime` inside Pulumi's dynamic-provider process, so everything heavy
 * (HTTP pools, zod schemas, signing) lives here and is never serialized into state.
 *
 * PERMANENT CONTRACT: state written today holds stubs that call these exports with these arguments.
 * Never rename them or change their parameters; add new exports instead. RUNTIME_CONTRACT marks the shape.
 */
import { HuaweiClient } from "./clients/huawei";
import { TencentClient } from "./clients/tencent";
import { ApiError, EdgeconfError, isAuthFailure, withCredentialHint, withoutStack } from "./clients/errors";
import { credentialSources, endpointProblems, resolveHuawei, resolveTencent, type ConfigSource } from "./config";
import type { Log, ProviderContext } from "./resources/context";
import { Lifecycle, type AnyDefinition, type ResourceKind } from "./resources/lifecycle";
import { originGroup } from "./resources/originGroup";
import { securityIpGroup } from "./resources/securityIpGroup";
import { userGroup } from "./resources/userGroup";
import { endpointGroup } from "./resources/endpointGroup";

export const RUNTIME_CONTRACT = 1;

const DEFINITIONS: Record<ResourceKind, AnyDefinition> = {
  OriginGroup: originGroup,
  SecurityIPGroup: securityIpGroup,
  UserGroup: userGroup,
  EndpointGroup: endpointGroup,
};

/** Stack config as `configure` delivered it, namespaced keys (`tencentcloud:secretId`); env is the fallback. */
let config: ConfigSource = { get: () => undefined };
let clients: { tencent?: TencentClient; huawei?: HuaweiClient } = {};

function engineLog(): Log {
  // Resolved at call time: the engine connection (if any) belongs to the provider process's @pulumi/pulumi.
  const pulumiLog = (): typeof import("@pulumi/pulumi").log | undefined => {
    try {
      return require("@pulumi/pulumi").log;
    } catch {
      return undefined;
    }
  };
  return {
    info: (m) => (pulumiLog()?.info ?? console.error)(`[edgeconf] ${m}`),
    warn: (m) => (pulumiLog()?.warn ?? console.error)(`[edgeconf] ${m}`),
    debug: (m) => pulumiLog()?.debug(`[edgeconf] ${m}`),
  };
}

const log = engineLog();

const context: ProviderContext = {
  tencent: () => (clients.tencent ??= new TencentClient({ ...resolveTencent(config), log: log.debug })),
  huawei: () => (clients.huawei ??= new HuaweiClient({ ...resolveHuawei(config), log: log.debug })),
  log,
};

const lifecycle = new Lifecycle(DEFINITIONS, () => context);

/** Values may arrive wrapped as secrets by some engines; our methods want plain strings. */
function plain(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "object" && "value" in (value as object)) return plain((value as { value: unknown }).value);
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Called once per distinct stub text. Must not throw (the engine would never reconfigure): store the config,
 * validate lazily when a client is first needed.
 */
export async function configure(req: { config: { get(key: string): unknown } }): Promise<void> {
  config = { get: (key: string) => plain(req.config.get(key)) };
  clients = {};
}

/** The API service each kind calls: its endpoint settings are validated at preview, in `check`. */
const SERVICE_OF: Record<ResourceKind, "teo" | "organization" | "ga"> = {
  OriginGroup: "teo", SecurityIPGroup: "teo", UserGroup: "organization", EndpointGroup: "ga",
};

/**
 * Input rules, plus the endpoint configuration: a malformed `edgeconf:endpoint` must fail the preview (as a
 * check failure without a property, so Pulumi prints it under the resource), not every call of `up`.
 */
export const check = async (kind: ResourceKind, olds: any, news: any) => {
  const result = await lifecycle.check(kind, olds, news);
  const problems = endpointProblems(config, process.env, SERVICE_OF[kind]);
  return problems.length ? { ...result, failures: [...result.failures, ...problems.map((reason) => ({ property: "", reason }))] } : result;
};
export const diff = (kind: ResourceKind, id: string, olds: any, news: any) => lifecycle.diff(kind, id, olds, news);
export const create = (kind: ResourceKind, inputs: any) => lifecycle.create(kind, inputs);
export const read = (kind: ResourceKind, id: string, props: any) => lifecycle.read(kind, id, props);
export const update = (kind: ResourceKind, id: string, olds: any, news: any) => lifecycle.update(kind, id, olds, news);
// `delete` is a keyword; the stub calls `remove`.
/** @internal `edgeconf recover`: the object an interrupted create made, found by natural key. */
export const findCreated = (kind: ResourceKind, props: any) => lifecycle.findCreated(kind, props);
export const remove = (kind: ResourceKind, id: string, props: any) => lifecycle.delete(kind, id, props);

/**
 * The entry the serialized stub calls: `group` is "read" for configure/check/diff/create/read and "write" for
 * update/delete. Pulumi's dynamic-provider process calls them with fixed shapes, which tell them apart:
 *   configure(req)            1 argument, `req.config.get` is a function (inputs from gRPC never hold functions)
 *   create(inputs)            1 argument otherwise
 *   check(olds, news)         2 arguments, the first an object
 *   read(id, props)           2 arguments, the first the id string
 *   diff(id, olds, news)      3 arguments
 *   update(id, olds, news)    "write", 3 arguments
 *   delete(id, props)         "write", 2 arguments
 */
export function dispatch(kind: ResourceKind, group: "read" | "write", args: any[]): Promise<unknown> {
  return route(kind, group, args).catch((err: unknown) => {
    throw explained(err);
  });
}

/** Authentication failures name the settings that supplied the credentials; our errors carry no stack. */
function explained(err: unknown): unknown {
  if (isAuthFailure(err)) {
    err = withCredentialHint(err as ApiError, credentialSources(config, process.env, (err as ApiError).service === "ga" ? "huawei" : "tencent"));
  }
  return err instanceof EdgeconfError ? withoutStack(err) : err;
}

function route(kind: ResourceKind, group: "read" | "write", args: any[]): Promise<unknown> {
  if (group === "write") return args.length === 3 ? update(kind, args[0], args[1], args[2]) : remove(kind, args[0], args[1]);
  switch (args.length) {
    case 1: return typeof args[0]?.config?.get === "function" ? configure(args[0]) : create(kind, args[0]);
    case 2: return typeof args[0] === "string" ? read(kind, args[0], args[1]) : check(kind, args[0], args[1]);
    case 3: return diff(kind, args[0], args[1], args[2]);
    default: return Promise.reject(new Error(`pulumi-edgeconf: unexpected provider call with ${args.length} arguments`));
  }
}

/** @internal Tests and the drift tool share the provider's context (same clients, same batching). */
export function providerContext(): ProviderContext {
  return context;
}

/** @internal Definitions by kind, for the drift tool and tests. */
export function definitions(): Readonly<Record<ResourceKind, AnyDefinition>> {
  return DEFINITIONS;
}
