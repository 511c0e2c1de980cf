/**
 * SDK-HMAC-SHA256 (Huawei APIG AK/SK) verification steps, each a pure function
 * (shared/reference/huawei-ga-endpoint-group.md §2.2-§2.4). Own implementation; never imports provider/.
 */
import { createHash, createHmac } from "node:crypto";
import { SDK_ALGORITHM } from "./constants";

export interface SdkAuthorization {
  access: string;
  /** lowercase names, in the order listed */
  signedHeaders: string[];
  signature: string;
}

const sha256hex = (s: string | Buffer): string => createHash("sha256").update(s).digest("hex");

/** `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex`; undefined when malformed. */
export function parseSdkAuthorization(header: string): SdkAuthorization | undefined {
  const m = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(header.trim());
  if (!m) return undefined;
  const signedHeaders = m[2].toLowerCase().split(";");
  if (signedHeaders.some((h) => h === "")) return undefined;
  return { access: m[1], signedHeaders, signature: m[3] };
}

/** Unreserved `A-Z a-z 0-9 - _ . ~` stay; everything else `%XX` (uppercase hex, UTF-8). */
export const sdkEscape = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());

/** Decode a received raw segment, then re-encode; tolerate malformed escapes by keeping them literal. */
function decodeSegment(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

/** Percent-encode each path segment and append `/` (the request is sent without it). */
export function getSdkCanonicalUri(rawPath: string): string {
  let uri = rawPath.split("/").map((s) => sdkEscape(decodeSegment(s))).join("/");
  if (!uri.endsWith("/")) uri += "/";
  return uri;
}

/** Names sorted, values of a repeated name sorted, each `escape(name)=escape(value)`, joined by `&`. */
export function getSdkCanonicalQuery(rawQuery: string): string {
  const byName = new Map<string, string[]>();
  for (const [k, v] of new URLSearchParams(rawQuery)) {
    const list = byName.get(k) ?? [];
    list.push(v);
    byName.set(k, list);
  }
  return [...byName.keys()]
    .sort()
    .flatMap((k) => byName.get(k)!.sort().map((v) => `${sdkEscape(k)}=${sdkEscape(v)}`))
    .join("&");
}

/** Listed names with the received values, trimmed (values are NOT lowercased, unlike TC3). */
export function getSdkCanonicalHeaders(names: readonly string[], values: Record<string, string>): string {
  return names.map((n) => `${n}:${(values[n] ?? "").trim()}\n`).join("");
}

/** `X-Sdk-Content-Sha256` verbatim when present, else the hash of the exact bytes. */
export function getSdkPayloadHash(body: Buffer | string, contentSha256Header?: string): string {
  return contentSha256Header !== undefined ? contentSha256Header.trim() : sha256hex(body);
}

export function getSdkCanonicalRequest(o: {
  method: string;
  rawPath: string;
  rawQuery: string;
  signedHeaders: readonly string[];
  headerValues: Record<string, string>;
  payloadHash: string;
}): string {
  return [
    o.method,
    getSdkCanonicalUri(o.rawPath),
    getSdkCanonicalQuery(o.rawQuery),
    getSdkCanonicalHeaders(o.signedHeaders, o.headerValues),
    o.signedHeaders.join(";"),
    o.payloadHash,
  ].join("\n");
}

export const getSdkStringToSign = (sdkDate: string, canonicalRequest: string): string =>
  [SDK_ALGORITHM, sdkDate, sha256hex(canonicalRequest)].join("\n");

/** No key derivation: HMAC with the SK bytes. */
export const getSdkSignature = (secretKey: string, stringToSign: string): string =>
  createHmac("sha256", secretKey).update(stringToSign).digest("hex");

/** `YYYYMMDDTHHMMSSZ` → epoch ms; undefined when malformed. */
export function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // reject 20240231T... style dates that Date.UTC would silently roll over
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return ms;
}
