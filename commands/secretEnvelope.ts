/**
 * How `pulumi stack export` marks a secret value: an object whose signature key holds the secret signature, with
 * `ciphertext` (and `plaintext` under `--show-secrets`). Read by `edgeconf drift`, written by the engine stand-in.
 */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export const isSecretEnvelope = (v: unknown): v is Record<string, any> =>
  typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
