/**
 * Huawei REST front door: paths under `/v1/`, route match, then X-Auth-Token or SDK-HMAC-SHA256, rate limit,
 * faults and the service module. Errors are flat `{"error_code","error_msg","request_id"}` with an HTTP status,
 * and every answer carries `X-Request-Id` (huawei-ga-endpoint-group.md §2.5, §6).
 */
import { timingSafeEqual } from "node:crypto";
import type { HuaweiService } from "./contract";
import { HuaweiError } from "./contract";
import {
  HW_AUTH_CODE,
  HW_BAD_BODY,
  HW_INTERNAL,
  HW_MESSAGES,
  HW_NOT_FOUND,
  HW_THROTTLED,
  MAX_BODY_BYTES,
  SDK_ALGORITHM,
  SDK_MAX_SKEW_MS,
} from "./constants";
import type { CallInfo, GatewayContext, GatewayRequest, Outcome } from "./outcome";
import { afterHandler, drawFault } from "./outcome";
import {
  getSdkCanonicalRequest,
  getSdkPayloadHash,
  getSdkSignature,
  getSdkStringToSign,
  parseSdkAuthorization,
  parseSdkDate,
} from "./sdkHmac";
import { signaturesEqual } from "./tc3";

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Huawei request ids are 32 lowercase hex characters. */
export const huaweiRequestId = (uuid: string): string => uuid.replace(/-/g, "");

export async function handleHuawei(
  services: readonly HuaweiService[],
  ctx: GatewayContext,
  req: GatewayRequest,
  info: CallInfo,
): Promise<Outcome> {
  const requestId = huaweiRequestId(ctx.env.uuid());
  const headers = { "X-Request-Id": requestId };
  const error = (status: number, code: string, message: string): Outcome => ({
    type: "json",
    status,
    headers,
    errorCode: code,
    body: { error_code: code, error_msg: message, request_id: requestId },
  });
  info.service = "huawei";
  info.action = "";

  // An API gateway looks the API up before it knows which authentication the API uses.
  let svc: HuaweiService | undefined;
  let action: string | undefined;
  for (const s of services) {
    action = s.actionOf(req.method, req.rawPath);
    if (action !== undefined) {
      svc = s;
      break;
    }
  }
  if (!svc || action === undefined) return error(HW_NOT_FOUND.status, HW_NOT_FOUND.code, HW_NOT_FOUND.message);
  info.service = svc.service;
  info.action = action;
  if (req.tooLarge) return error(413, "APIGW.0201", `Request entity too large: the body exceeds ${MAX_BODY_BYTES} bytes`);

  const auth = authenticate(ctx, req);
  if ("refusal" in auth) return error(401, HW_AUTH_CODE, auth.refusal);

  const over = ctx.limiter.hit(auth.account, `${svc.service}:${action}`);
  if (over) return error(HW_THROTTLED.status, HW_THROTTLED.code, HW_THROTTLED.message(over.limit));

  const { fault, early } = await drawFault(ctx, info, svc.service, action, (f) =>
    error(f.status ?? HW_INTERNAL.status, f.code ?? HW_INTERNAL.code, f.message ?? HW_INTERNAL.message));
  if (early) return early;

  let body: unknown = undefined;
  if (req.body.length > 0) {
    try {
      body = JSON.parse(req.body.toString("utf8"));
    } catch {
      return error(HW_BAD_BODY.status, HW_BAD_BODY.code, HW_BAD_BODY.message);
    }
  }

  let outcome: Outcome;
  try {
    const answer = svc.handle({
      method: req.method,
      path: req.rawPath,
      query: new URLSearchParams(req.rawQuery),
      body,
      projectId: auth.projectId,
      account: auth.account,
      requestId,
    });
    if (answer === undefined) outcome = error(HW_NOT_FOUND.status, HW_NOT_FOUND.code, HW_NOT_FOUND.message);
    else if (answer.body === undefined) outcome = { type: "empty", status: answer.status, headers };
    else outcome = { type: "json", status: answer.status, headers, body: answer.body };
  } catch (e) {
    if (e instanceof HuaweiError) {
      outcome = error(e.status, e.code, e.message);
    } else {
      ctx.log(`emulator: internal error in ${svc.service}:${action} (request id ${requestId}): ${(e as Error)?.stack ?? e}`);
      outcome = error(HW_INTERNAL.status, HW_INTERNAL.code, HW_INTERNAL.message);
    }
  }
  ctx.onApplied();
  return afterHandler(fault, outcome);
}

type AuthResult = { account: string; projectId: string } | { refusal: string };

function authenticate(ctx: GatewayContext, req: GatewayRequest): AuthResult {
  const cred = ctx.credentials;
  const h = req.headers;
  // Both ways of calling belong to the one configured account, so state created with AK/SK is visible with the token.
  const account = cred.huaweiAccessKey;
  const authorization = h["authorization"];
  if (authorization !== undefined && authorization.trimStart().startsWith(SDK_ALGORITHM)) {
    const parsed = parseSdkAuthorization(authorization);
    if (!parsed) return { refusal: HW_MESSAGES.signatureFail("malformed Authorization header") };
    if (parsed.access !== cred.huaweiAccessKey) return { refusal: HW_MESSAGES.akNotExist };
    const sdkDate = h["x-sdk-date"];
    const when = sdkDate === undefined ? undefined : parseSdkDate(sdkDate);
    if (when === undefined) return { refusal: HW_MESSAGES.signatureFail("X-Sdk-Date is missing or not YYYYMMDDTHHMMSSZ") };
    if (Math.abs(ctx.env.now() - when) > SDK_MAX_SKEW_MS) {
      return { refusal: HW_MESSAGES.signatureFail("X-Sdk-Date is more than 15 minutes from the server time") };
    }
    // Stricter than the SDKs require: the date must be signed, or the window above protects nothing.
    if (!parsed.signedHeaders.includes("x-sdk-date")) return { refusal: HW_MESSAGES.signatureFail("x-sdk-date is not signed") };
    const missing = parsed.signedHeaders.find((n) => h[n] === undefined);
    if (missing) return { refusal: HW_MESSAGES.signatureFail(`signed header ${missing} is not in the request`) };
    const canonical = getSdkCanonicalRequest({
      method: req.method,
      rawPath: req.rawPath,
      rawQuery: req.rawQuery,
      signedHeaders: parsed.signedHeaders,
      headerValues: h,
      payloadHash: getSdkPayloadHash(req.body, h["x-sdk-content-sha256"]),
    });
    const expected = getSdkSignature(cred.huaweiSecretKey, getSdkStringToSign(sdkDate!.trim(), canonical));
    if (!signaturesEqual(expected, parsed.signature)) return { refusal: HW_MESSAGES.signatureFail("signature does not match") };
    const project = h["x-project-id"];
    if (project === undefined || project.trim() === "") return { refusal: HW_MESSAGES.projectRequired };
    if (project.trim() !== cred.huaweiProjectId) return { refusal: HW_MESSAGES.projectMismatch };
    return { account, projectId: cred.huaweiProjectId };
  }
  const token = h["x-auth-token"];
  if (token !== undefined) {
    if (!safeEqual(token.trim(), cred.huaweiAuthToken)) return { refusal: HW_MESSAGES.tokenFail };
    // the token is scoped to the configured project; another X-Project-Id is refused (stricter)
    const project = h["x-project-id"];
    if (project !== undefined && project.trim() !== cred.huaweiProjectId) return { refusal: HW_MESSAGES.projectMismatch };
    return { account, projectId: cred.huaweiProjectId };
  }
  if (authorization !== undefined) return { refusal: HW_MESSAGES.signatureFail("unsupported Authorization scheme") };
  return { refusal: HW_MESSAGES.noAuth };
}
