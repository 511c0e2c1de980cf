/** The text Pulumi stores as `__provider` for each kind: what `pulumi.dynamic.Resource` serializes. */
import * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../provider/resources/lifecycle";
import { PROVIDERS } from "../provider/stub";

const cache = new Map<ResourceKind, string>();

export async function serializedProvider(kind: ResourceKind): Promise<string> {
  let text = cache.get(kind);
  if (text === undefined) {
    const provider = PROVIDERS[kind];
    // The same call the SDK makes in dynamic/index.ts (serializeFunctionMaybeSecret).
    text = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
    cache.set(kind, text);
  }
  return text;
}
