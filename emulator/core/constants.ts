/**
 * Protocol strings and wire messages of the emulator core, in one place so the logic has no unexplained literals.
 * Sources: shared/reference/tencent-api3.md (§4, §7, §9, §10) and huawei-ga-endpoint-group.md (§2, §6).
 */

// ---- Tencent API 3.0 (TC3-HMAC-SHA256) ----
export const TC3_ALGORITHM = "TC3-HMAC-SHA256";
export const TC3_TERMINATOR = "tc3_request";
/** DOC-SIG: more than five minutes between X-TC-Timestamp and the server clock always fails. */
export const TC3_MAX_SKEW_SECONDS = 300;
/** X-TC-Content-SHA256 value that opts out of payload hashing; the canonical request then hashes this literal. */
export const TC3_UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
/** DOC-REQ: POST with TC3 is limited to 10 MB. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Headers that must be signed (DOC-SIG: "content-type and host are mandatory"). */
export const TC3_REQUIRED_SIGNED_HEADERS = ["content-type", "host"] as const;

export const TC_MESSAGES = {
  missingParameter: (name: string) => `The request is missing a required parameter \`${name}\`.`,
  invalidAuthorization: "The `Authorization` header is invalid or malformed. Please check the format of the TC3-HMAC-SHA256 signature.",
  secretIdNotFound: "The SecretId is not found, please ensure that your SecretId is correct.",
  signatureExpire: "The signature is expired, please request again.",
  signatureFailure: "The provided credentials could not be validated. Please check your signature is correct.",
  tokenFailure: "The provided token is invalid or does not belong to the SecretId. Please check `X-TC-Token`.",
  invalidAction: "The request `Action` is invalid or not found.",
  noSuchVersion: (version: string, action: string) =>
    `The API version \`${version}\` of action \`${action}\` does not exist.`,
  invalidTimestamp: "The parameter `Timestamp` must be an integer number of seconds.",
  invalidJsonBody: "The request body must be a JSON object.",
  unsupportedProtocol: "Only POST with a JSON body is supported by the emulator at path `/`.",
  requestSizeLimitExceeded: "The request body exceeds the limit of 10 MB.",
  requestLimitExceeded: (count: number, limit: number) =>
    `Your current request times equals to \`${count}\` in a second, which exceeds the frequency limit \`${limit}\` for a second. Please reduce the frequency of calls.`,
  internalError: "An internal error has occurred. Retry your request, but if the problem persists, contact us.",
} as const;

// ---- Huawei (SDK-HMAC-SHA256 / X-Auth-Token) ----
export const SDK_ALGORITHM = "SDK-HMAC-SHA256";
/** SIGN-FAQ: X-Sdk-Date more than 15 minutes off the gateway clock fails. */
export const SDK_MAX_SKEW_MS = 15 * 60 * 1000;
export const SDK_EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
export const HUAWEI_PATH_PREFIX = "/v1/";

export const HW_AUTH_CODE = "APIGW.0301";
const IAM = "Incorrect IAM authentication information";
export const HW_MESSAGES = {
  signatureFail: (why: string) => `${IAM}: verify aksk signature fail, ${why}`,
  tokenFail: `${IAM}: decrypt token fail`,
  /** The doc masks the AK in this message; we do the same so no key material is echoed. */
  akNotExist: `${IAM}: Get secretKey failed,ak:******,err:ak not exist`,
  noAuth: `${IAM}: no X-Auth-Token or Authorization header`,
  projectRequired: `${IAM}: X-Project-Id is required with AK/SK authentication`,
  projectMismatch: `${IAM}: X-Project-Id does not belong to the AK`,
} as const;
export const HW_NOT_FOUND = { status: 404, code: "APIGW.0101", message: "The API does not exist or has not been published in the environment" } as const;
export const HW_THROTTLED = {
  status: 429,
  code: "APIGW.0308",
  message: (limit: number) => `The throttling threshold has been reached: policy user over ratelimit,limit:${limit},time:1 second`,
} as const;
export const HW_BAD_BODY = { status: 400, code: "GA.9001", message: "Invalid request body: not valid JSON" } as const;
export const HW_INTERNAL = { status: 500, code: "GA.9201", message: "Internal error" } as const;

// ---- control plane ----
export const CONTROL_PREFIX = "/_emulator/";
export const STATE_FILE_VERSION = 1;
