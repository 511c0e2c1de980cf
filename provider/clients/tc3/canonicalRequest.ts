import { createHash } from "node:crypto";
import { TC3_CANONICAL_URI, TC3_METHOD } from "./constants";

export const sha256Hex = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/** `lowercase(hex(sha256(body bytes)))`: hash exactly the bytes that are sent. */
export const getPayloadHash = (body: string | Buffer): string => sha256Hex(body);

/**
 * `name:value\n` per signed header, sorted by lowercase name. Names and values are lowercased as in the
 * documented algorithm (DOC-SIG lowercases `x-tc-action:describeinstances`); the block ends with `\n`.
 */
export const getCanonicalHeaders = (headers: Record<string, string>): string =>
  Object.keys(headers)
    .map((name) => [name.toLowerCase(), headers[name].trim().toLowerCase()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value}\n`)
    .join("");

/** Lowercase header names, sorted, joined with `;`. */
export const getSignedHeaders = (headers: Record<string, string>): string =>
  Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort()
    .join(";");

export interface Tc3CanonicalRequestInput {
  /** Exactly the headers to sign (at least `content-type` and `host`), with the values sent. */
  signedHeaders: Record<string, string>;
  body: string | Buffer;
  method?: string;
  canonicalUri?: string;
  canonicalQuery?: string;
}

/** One line per spec line (tencent-api3.md §4 step 1). */
export const getCanonicalRequest = (input: Tc3CanonicalRequestInput): string =>
  [
    input.method ?? TC3_METHOD,
    input.canonicalUri ?? TC3_CANONICAL_URI,
    input.canonicalQuery ?? "",
    getCanonicalHeaders(input.signedHeaders),
    getSignedHeaders(input.signedHeaders),
    getPayloadHash(input.body),
  ].join("\n");
