/**
 * TC3-HMAC-SHA256 verification steps, each a pure function (shared/reference/tencent-api3.md §4-§5).
 * This is the emulator's own implementation: it must not share code with provider/clients, so a test
 * never checks our signer against itself.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { TC3_ALGORITHM, TC3_TERMINATOR, TC3_UNSIGNED_PAYLOAD } from "./constants";

export interface Tc3Authorization {
  secretId: string;
  /** YYYY-MM-DD from the credential scope */
  date: string;
  /** service from the credential scope, as sent (the Node SDK sends `127` for 127.0.0.1:PORT) */
  service: string;
  /** lowercase names, in the order listed */
  signedHeaders: string[];
  signature: string;
}

const sha256hex = (s: string | Buffer): string => createHash("sha256").update(s).digest("hex");
const hmac = (key: string | Buffer, msg: string): Buffer => createHmac("sha256", key).update(msg).digest();

/** Parses `TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=a;b, Signature=hex`; undefined when malformed. */
export function parseTc3Authorization(header: string): Tc3Authorization | undefined {
  const m = /^TC3-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{4}-\d{2}-\d{2})\/([^/,\s]+)\/tc3_request, ?SignedHeaders=([a-z0-9;_-]+), ?Signature=([0-9a-f]{64})$/.exec(
    header.trim(),
  );
  if (!m) return undefined;
  const signedHeaders = m[4].split(";");
  if (signedHeaders.some((h) => h === "")) return undefined;
  return { secretId: m[1], date: m[2], service: m[3], signedHeaders, signature: m[5] };
}

/** UTC calendar date of an epoch-seconds timestamp (the doc example: 1551113065 → 2019-02-25). */
export const getUtcDate = (timestampSeconds: number): string => new Date(timestampSeconds * 1000).toISOString().slice(0, 10);

export const createTc3Scope = (date: string, service: string): string => `${date}/${service}/${TC3_TERMINATOR}`;

/** `lowercase(trim(value))` per DOC-SIG; names are already lowercase. */
export function getTc3CanonicalHeaders(names: readonly string[], values: Record<string, string>): string {
  return names.map((n) => `${n}:${(values[n] ?? "").trim().toLowerCase()}\n`).join("");
}

/** Payload hash of the exact bytes, or of the literal `UNSIGNED-PAYLOAD` when the client opted out. */
export function getTc3PayloadHash(body: Buffer | string, contentSha256Header?: string): string {
  if (contentSha256Header !== undefined && contentSha256Header.trim() === TC3_UNSIGNED_PAYLOAD) {
    return sha256hex(TC3_UNSIGNED_PAYLOAD);
  }
  return sha256hex(body);
}

export function getTc3CanonicalRequest(o: {
  method: string;
  path: string;
  query: string;
  signedHeaders: readonly string[];
  headerValues: Record<string, string>;
  payloadHash: string;
}): string {
  return [
    o.method,
    o.path,
    o.query,
    getTc3CanonicalHeaders(o.signedHeaders, o.headerValues),
    o.signedHeaders.join(";"),
    o.payloadHash,
  ].join("\n");
}

export function getTc3StringToSign(timestamp: string, scope: string, canonicalRequest: string): string {
  return [TC3_ALGORITHM, timestamp, scope, sha256hex(canonicalRequest)].join("\n");
}

export function getTc3SigningKey(secretKey: string, date: string, service: string): Buffer {
  return hmac(hmac(hmac("TC3" + secretKey, date), service), TC3_TERMINATOR);
}

export function getTc3Signature(secretKey: string, date: string, service: string, stringToSign: string): string {
  return createHmac("sha256", getTc3SigningKey(secretKey, date, service)).update(stringToSign).digest("hex");
}

/** Constant-time comparison of two lowercase hex signatures. */
export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
