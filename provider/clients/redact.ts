/**
 * Error messages and logs must never carry a credential, a signature or a token, even when the server
 * echoes request data back (emulators and some gateways do).
 */
export const REDACTED = "[redacted]";

/** Shorter values are not credentials and replacing them would mangle ordinary words. */
const MIN_SECRET_LENGTH = 6;

/** Signatures of any attempt, not only the one we know about: `Signature=<64 hex>`. */
const SIGNATURE_PATTERN = /(Signature=)[0-9a-fA-F]{16,}/g;

export const redactSecrets = (text: string, secrets: readonly (string | undefined)[]): string => {
  let out = text.replace(SIGNATURE_PATTERN, `$1${REDACTED}`);
  const known = secrets.filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH);
  // Longest first, so a secret that contains another is removed whole.
  for (const secret of [...known].sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
  return out;
};

/** A short, redacted excerpt of a body for error text. */
export const getBodyExcerpt = (body: string, secrets: readonly (string | undefined)[], max = 200): string => {
  // Redact before cutting, so a secret split by the cut cannot leave a readable prefix behind.
  const oneLine = redactSecrets(body, secrets).replace(/\s+/g, " ").trim();
  return oneLine.length > max ? oneLine.slice(0, max) + "…" : oneLine;
};
