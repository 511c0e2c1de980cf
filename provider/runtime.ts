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
import { resolveHuawei, resolveTencent, type ConfigSource } from "./config";
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

export const check = (kind: ResourceKind, olds: any, news: any) => lifecycle.check(kind, olds, news);
export const diff = (kind: ResourceKind, id: string, olds: any, news: any) => lifecycle.diff(kind, id, olds, news);
export const create = (kind: ResourceKind, inputs: any) => lifecycle.create(kind, inputs);
export const read = (kind: ResourceKind, id: string, props: any) => lifecycle.read(kind, id, props);
export const update = (kind: ResourceKind, id: string, olds: any, news: any) => lifecycle.update(kind, id, olds, news);
// `delete` is a keyword; the stub calls `remove`.
export const remove = (kind: ResourceKind, id: string, props: any) => lifecycle.delete(kind, id, props);

/** @internal Tests and the drift tool share the provider's context (same clients, same batching). */
export function providerContext(): ProviderContext {
  return context;
}

/** @internal Definitions by kind, for the drift tool and tests. */
export function definitions(): Readonly<Record<ResourceKind, AnyDefinition>> {
  return DEFINITIONS;
}
