/** SDK-HMAC-SHA256 protocol strings (huawei-ga-endpoint-group.md §2). */
export const HUAWEI_ALGORITHM = "SDK-HMAC-SHA256";
export const HEADER_SDK_DATE = "X-Sdk-Date";
export const HEADER_PROJECT_ID = "X-Project-Id";
export const HEADER_SECURITY_TOKEN = "X-Security-Token";
export const HEADER_AUTH_TOKEN = "X-Auth-Token";
export const HEADER_AUTHORIZATION = "Authorization";
export const HEADER_CONTENT_TYPE = "Content-Type";
export const HEADER_HOST = "Host";
export const HEADER_REQUEST_ID = "X-Request-Id";
/** When present its value replaces the payload hash verbatim (GO-SDK). We never send it; the signer honours it. */
export const HEADER_CONTENT_SHA256 = "X-Sdk-Content-Sha256";
export const HUAWEI_CONTENT_TYPE = "application/json";
/** sha256 of the empty body. */
export const EMPTY_PAYLOAD_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/** The gateway rejects an `X-Sdk-Date` more than 15 minutes from its clock (SIGN-FAQ). */
export const SDK_DATE_WINDOW_MS = 15 * 60_000;
/**
 * A 401 `*.0301` is treated as clock skew only when the server's `Date` is this far from ours: below it
 * the failure is a real credential problem and retrying would only count towards the 5-failure AK lock-out.
 */
export const SKEW_CORRECTION_THRESHOLD_MS = 10 * 60_000;
/** Auth failures are `APIGW.0301` on new gateways and `APIG.0301` on old ones: match the suffix. */
export const AUTH_FAILURE_CODE_SUFFIX = ".0301";
