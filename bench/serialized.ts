/** The text Pulumi stores as `__provider` for each kind: what `pulumi.dynamic.Resource` serializes. */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../provider/resources/lifecycle";
import { PROVIDERS } from "../provider/stub";
import type { InputShape } from "./floorRuntime";

const cache = new Map<ResourceKind, string>();

/** The same call the SDK makes in dynamic/index.ts (serializeFunctionMaybeSecret). */
const serialize = async (provider: pulumi.dynamic.ResourceProvider): Promise<string> =>
  (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;

export async function serializedProvider(kind: ResourceKind): Promise<string> {
  let text = cache.get(kind);
  if (text === undefined) {
    text = await serialize(PROVIDERS[kind]);
    cache.set(kind, text);
  }
  return text;
}

/**
 * The "Pulumi machinery floor" provider (bench/floorRuntime.ts): serialized and loaded like ours (a stub that
 * loads a module with createRequire on first call), but `read` makes no API call and `diff` answers "no changes".
 * No `configure` (no client to set up) and no `create` (the floor only refreshes), which also keeps its text about
 * as long as ours (Pulumi stores it twice per resource and moves it through every Read and Diff).
 */
export function serializedFloorProvider(shape: InputShape): Promise<string> {
  const file = path.join(__dirname, "floorRuntime.js");
  const read = (id: string, props: any): Promise<any> =>
    Promise.resolve(require("module").createRequire(process.cwd() + "/_")(file).read(shape, id, props));
  const diff = (): Promise<any> => Promise.resolve({ changes: false });
  return serialize({ read, diff } as unknown as pulumi.dynamic.ResourceProvider);
}
