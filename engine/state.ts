/**
 * Stack state in the shape of `pulumi stack export` (deployment version 3). Secret values are stored the way
 * the Pulumi service stores them: an envelope with a ciphertext, never plaintext.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { isSecretEnvelope, SECRET_SIG, SIG_KEY } from "../commands/secretEnvelope";

export { isSecretEnvelope, SECRET_SIG, SIG_KEY };

export interface StateResource {
  urn: string;
  custom: boolean;
  id?: string;
  type: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  parent?: string;
  provider?: string;
  initErrors?: string[];
  /** read with `Resource.get()`: Pulumi never updates or deletes it */
  external?: boolean;
  /** the old half of a create-before-delete replacement, still to delete (pulumi-engine-semantics.md §3.2) */
  delete?: boolean;
  /** deleted by a delete-before-replace whose create has not succeeded yet (§3.2) */
  pendingReplacement?: boolean;
}

/** What a provider call was doing when the engine stopped (`pulumi stack export` `pending_operations`, §3.2). */
export type PendingOperationType = "creating" | "updating" | "deleting" | "reading" | "importing";

export interface PendingOperation {
  resource: StateResource;
  type: PendingOperationType;
}

export interface StackExport {
  version: 3;
  deployment: {
    manifest: { time: string; magic: string; version: string };
    secrets_providers: { type: "passphrase"; state: { salt: string } };
    resources: StateResource[];
    pending_operations?: PendingOperation[];
  };
}

const key = (passphrase: string) => createHash("sha256").update(`edgeconf-test-engine:${passphrase}`).digest();

export function encryptSecret(value: unknown, passphrase: string): Record<string, string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(passphrase), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return { [SIG_KEY]: SECRET_SIG, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64") };
}

export function decryptSecret(envelope: Record<string, string>, passphrase: string): unknown {
  const raw = Buffer.from(envelope.ciphertext, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key(passphrase), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8"));
}


/** Top-level values: plaintext ↔ envelope, for the keys that are secret. */
export function sealProps(props: Record<string, unknown>, secretKeys: Set<string>, passphrase: string) {
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, secretKeys.has(k) ? encryptSecret(v, passphrase) : v]));
}

export function unsealProps(props: Record<string, unknown>, passphrase: string): { plain: Record<string, unknown>; secretKeys: Set<string> } {
  const secretKeys = new Set<string>();
  const plain: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props ?? {})) {
    if (isSecretEnvelope(v)) {
      secretKeys.add(k);
      plain[k] = "ciphertext" in v ? decryptSecret(v, passphrase) : v.value;
    } else plain[k] = v;
  }
  return { plain, secretKeys };
}

export function emptyState(): StackExport {
  return {
    version: 3,
    deployment: {
      manifest: { time: new Date().toISOString(), magic: "edgeconf-test-engine", version: "3.270.0" },
      secrets_providers: { type: "passphrase", state: { salt: "v1:edgeconf" } },
      resources: [],
    },
  };
}

export function loadState(file: string | undefined): StackExport {
  if (!file || !fs.existsSync(file)) return emptyState();
  return JSON.parse(fs.readFileSync(file, "utf8")) as StackExport;
}

/** Atomic: a crash never leaves half a state file. */
export function saveState(file: string | undefined, state: StackExport): void {
  if (!file) return;
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2));
  fs.renameSync(tmp, file);
}
