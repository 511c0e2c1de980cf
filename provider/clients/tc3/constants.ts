/** TC3-HMAC-SHA256 protocol strings (tencent-api3.md §3–4). */
export const TC3_ALGORITHM = "TC3-HMAC-SHA256";
export const TC3_TERMINATOR = "tc3_request";
/** Prefix of the first HMAC key: `"TC3" + SecretKey`. */
export const TC3_KEY_PREFIX = "TC3";
/** API 3.0 uses POST to `/` with an empty query string for JSON bodies. */
export const TC3_METHOD = "POST";
export const TC3_CANONICAL_URI = "/";
/**
 * What the Go and Node SDKs send and sign. It must be byte-identical to the header actually sent:
 * a library that appends `; charset=utf-8` after signing breaks the signature (§5.2).
 */
export const TC3_CONTENT_TYPE = "application/json";
/** The signed headers we use (the Go/Node SDK form, §5.1). */
export const TC3_SIGNED_HEADER_NAMES = ["content-type", "host"] as const;

export const HEADER_ACTION = "X-TC-Action";
export const HEADER_VERSION = "X-TC-Version";
export const HEADER_TIMESTAMP = "X-TC-Timestamp";
export const HEADER_REGION = "X-TC-Region";
export const HEADER_TOKEN = "X-TC-Token";
export const HEADER_LANGUAGE = "X-TC-Language";
export const HEADER_AUTHORIZATION = "Authorization";
export const HEADER_CONTENT_TYPE = "Content-Type";
export const HEADER_HOST = "Host";

/** The server rejects a timestamp more than five minutes from its clock with `AuthFailure.SignatureExpire` (§7). */
export const TC3_TIMESTAMP_WINDOW_SECONDS = 300;
