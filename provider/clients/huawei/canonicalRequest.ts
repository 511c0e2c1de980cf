import { createHash } from "node:crypto";
import { EMPTY_PAYLOAD_HASH, HEADER_CONTENT_SHA256 } from "./constants";

export const sha256Hex = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/**
 * Percent-encode everything except the unreserved set `A-Z a-z 0-9 - _ . ~`, uppercase hex, space as `%20`
 * (encodeURIComponent leaves `!'()*` alone, the gateway does not).
 */
export const escapeHuawei = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());

/** The path as sent: each segment escaped, no trailing slash added. */
export const getEncodedPath = (path: string): string => path.split("/").map(escapeHuawei).join("/");

/** The canonical URI is the encoded path with a trailing `/` appended (the request itself is sent without it). */
export const getCanonicalUri = (path: string): string => {
  const encoded = getEncodedPath(path);
  return encoded.endsWith("/") ? encoded : encoded + "/";
};

export type QueryValue = string | number | boolean;
export type HuaweiQuery = Record<string, QueryValue | readonly QueryValue[] | undefined>;

/** Names sorted, values of a repeated name sorted, `escape(name)=escape(value)` joined by `&`. */
export const getCanonicalQuery = (query: HuaweiQuery = {}): string =>
  Object.keys(query)
    .filter((name) => query[name] !== undefined)
    .sort()
    .flatMap((name) =>
      ([query[name]] as unknown[])
        .flat()
        .map(String)
        .sort()
        .map((value) => `${escapeHuawei(name)}=${escapeHuawei(value)}`),
    )
    .join("&");

/**
 * The GO-SDK rule for which headers are signed: every header except names starting with `content-type`
 * and names containing `_`. We follow the Go signer because it is the authoritative implementation.
 */
export const getHeadersToSign = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers)
      .map(([name, value]) => [name.toLowerCase(), value.trim()] as const)
      .filter(([name]) => !name.startsWith("content-type") && !name.includes("_")),
  );

/** `name:value\n` for each header to sign (already lowercased and trimmed), sorted by name. */
export const getCanonicalHeaders = (signed: Record<string, string>): string =>
  Object.keys(signed)
    .sort()
    .map((name) => `${name}:${signed[name]}\n`)
    .join("");

export const getSignedHeaders = (signed: Record<string, string>): string => Object.keys(signed).sort().join(";");

export const getPayloadHash = (body: string | Buffer | undefined, signed: Record<string, string>): string =>
  signed[HEADER_CONTENT_SHA256.toLowerCase()] ?? (body === undefined || body.length === 0 ? EMPTY_PAYLOAD_HASH : sha256Hex(body));

export interface HuaweiCanonicalRequestInput {
  method: string;
  /** The unencoded path, e.g. `/v1/endpoint-groups`. */
  path: string;
  query?: HuaweiQuery;
  /** All request headers; the ones to sign are selected with {@link getHeadersToSign}. */
  headers: Record<string, string>;
  body?: string | Buffer;
}

export const getCanonicalRequest = (input: HuaweiCanonicalRequestInput): string => {
  const signed = getHeadersToSign(input.headers);
  return [
    input.method,
    getCanonicalUri(input.path),
    getCanonicalQuery(input.query),
    getCanonicalHeaders(signed),
    getSignedHeaders(signed),
    getPayloadHash(input.body, signed),
  ].join("\n");
};
