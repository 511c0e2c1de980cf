/**
 * Tencent API 3.0 front door: `POST /`, TC3 verification, routing by X-TC-Action / X-TC-Version / scope service,
 * rate limit, faults, then the service module. Every API outcome is HTTP 200 with the `Response` envelope
 * (tencent-api3.md §1, §8); only injected `http` faults and drops break that rule, on purpose.
 */
import type { TencentService } from "./contract";
import { TencentError } from "./contract";
import { TC3_MAX_SKEW_SECONDS, TC3_REQUIRED_SIGNED_HEADERS, TC_MESSAGES } from "./constants";
import type { CallInfo, GatewayContext, GatewayRequest, Outcome } from "./outcome";
import { afterHandler, drawFault } from "./outcome";
import {
  createTc3Scope,
  getTc3CanonicalRequest,
  getTc3PayloadHash,
  getTc3Signature,
  getTc3StringToSign,
  getUtcDate,
  parseTc3Authorization,
  signaturesEqual,
} from "./tc3";

class Refusal {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

const REQUIRED_HEADERS: [header: string, param: string][] = [
  ["x-tc-action", "Action"],
  ["x-tc-version", "Version"],
  ["x-tc-timestamp", "Timestamp"],
  ["authorization", "Authorization"],
];

export async function handleTencent(
  services: readonly TencentService[],
  ctx: GatewayContext,
  req: GatewayRequest,
  info: CallInfo,
): Promise<Outcome> {
  const requestId = ctx.env.uuid();
  const error = (code: string, message: string): Outcome => ({
    type: "json",
    status: 200,
    errorCode: code,
    body: { Response: { Error: { Code: code, Message: message }, RequestId: requestId } },
  });
  info.service = "tencent";
  info.action = (req.headers["x-tc-action"] ?? "").trim();
  if (req.method !== "POST") return error("UnsupportedProtocol", TC_MESSAGES.unsupportedProtocol);
  if (req.tooLarge) return error("RequestSizeLimitExceeded", TC_MESSAGES.requestSizeLimitExceeded);

  let svc: TencentService;
  let account: string;
  try {
    ({ svc, account } = authenticateAndRoute(services, ctx, req));
  } catch (e) {
    if (e instanceof Refusal) return error(e.code, e.message);
    throw e;
  }
  const action = info.action;
  info.service = svc.service;

  const over = ctx.limiter.hit(account, `${svc.service}:${action}`);
  if (over) return error("RequestLimitExceeded", TC_MESSAGES.requestLimitExceeded(over.count, over.limit));

  const { fault, early } = await drawFault(ctx, info, svc.service, action, (f) =>
    error(f.code ?? "InternalError", f.message ?? TC_MESSAGES.internalError));
  if (early) return early;

  let params: unknown;
  try {
    params = JSON.parse(req.body.toString("utf8"));
  } catch {
    params = undefined;
  }
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    return error("InvalidParameter", TC_MESSAGES.invalidJsonBody);
  }

  let outcome: Outcome;
  try {
    const result = svc.actions[action](params as Record<string, unknown>, { account, requestId });
    outcome = { type: "json", status: 200, body: { Response: { ...result, RequestId: requestId } } };
  } catch (e) {
    if (e instanceof TencentError) {
      outcome = error(e.code, e.message);
    } else {
      ctx.log(`emulator: internal error in ${svc.service}:${action} (RequestId ${requestId}): ${(e as Error)?.stack ?? e}`);
      outcome = error("InternalError", TC_MESSAGES.internalError);
    }
  }
  ctx.onApplied();
  // drop-after, malformed, truncated: the change is applied, the client cannot read the answer (the ambiguous
  // failure create recovery exists for)
  return afterHandler(fault, outcome);
}

/** Checks headers, TC3 signature and credentials, then resolves the service. Throws Refusal. */
function authenticateAndRoute(
  services: readonly TencentService[],
  ctx: GatewayContext,
  req: GatewayRequest,
): { svc: TencentService; account: string } {
  const h = req.headers;
  for (const [header, param] of REQUIRED_HEADERS) {
    if (h[header] === undefined || h[header].trim() === "") throw new Refusal("MissingParameter", TC_MESSAGES.missingParameter(param));
  }
  const tsText = h["x-tc-timestamp"].trim();
  if (!/^\d{1,12}$/.test(tsText)) throw new Refusal("InvalidParameter", TC_MESSAGES.invalidTimestamp);
  const ts = Number(tsText);

  const auth = parseTc3Authorization(h["authorization"]);
  if (!auth || TC3_REQUIRED_SIGNED_HEADERS.some((n) => !auth.signedHeaders.includes(n))) {
    throw new Refusal("AuthFailure.InvalidAuthorization", TC_MESSAGES.invalidAuthorization);
  }
  if (Math.abs(Math.floor(ctx.env.now() / 1000) - ts) > TC3_MAX_SKEW_SECONDS) {
    throw new Refusal("AuthFailure.SignatureExpire", TC_MESSAGES.signatureExpire);
  }
  const cred = ctx.credentials;
  if (auth.secretId !== cred.tencentSecretId) throw new Refusal("AuthFailure.SecretIdNotFound", TC_MESSAGES.secretIdNotFound);
  // The scope date must be the UTC date of the timestamp (reference §7; the live code for this case is unconfirmed).
  if (auth.date !== getUtcDate(ts)) throw new Refusal("AuthFailure.SignatureFailure", TC_MESSAGES.signatureFailure);
  const token = h["x-tc-token"];
  // Temporary credentials need their token; a token sent with permanent credentials is refused too (stricter).
  if (cred.tencentToken !== undefined ? token !== cred.tencentToken : token !== undefined && token !== "") {
    throw new Refusal("AuthFailure.TokenFailure", TC_MESSAGES.tokenFailure);
  }
  if (auth.signedHeaders.some((n) => h[n] === undefined)) {
    throw new Refusal("AuthFailure.SignatureFailure", TC_MESSAGES.signatureFailure);
  }
  if (!tc3SignatureMatches(req, auth, cred.tencentSecretKey, tsText)) {
    throw new Refusal("AuthFailure.SignatureFailure", TC_MESSAGES.signatureFailure);
  }

  // Routing. A scope naming a known service restricts the lookup to it (as teo.tencentcloudapi.com would: an
  // organization action sent there does not exist → InvalidAction). Any other scope service (the Node SDK's
  // `127`) routes by action across services; action names do not collide.
  const action = h["x-tc-action"].trim();
  const version = h["x-tc-version"].trim();
  const scoped = services.filter((s) => s.service === auth.service);
  const candidates = (scoped.length > 0 ? scoped : services).filter((s) => Object.hasOwn(s.actions, action));
  if (candidates.length === 0) throw new Refusal("InvalidAction", TC_MESSAGES.invalidAction);
  const svc = candidates.find((s) => s.version === version);
  if (!svc) throw new Refusal("NoSuchVersion", TC_MESSAGES.noSuchVersion(version, action));
  return { svc, account: auth.secretId };
}

/** Verify with the received Host; if that fails and it carries a port, again without it (reference §5.3). */
function tc3SignatureMatches(req: GatewayRequest, auth: NonNullable<ReturnType<typeof parseTc3Authorization>>, secretKey: string, ts: string): boolean {
  const payloadHash = getTc3PayloadHash(req.body, req.headers["x-tc-content-sha256"]);
  const scope = createTc3Scope(auth.date, auth.service);
  const host = req.headers["host"] ?? "";
  const hosts = [host];
  const stripped = host.replace(/:\d+$/, "");
  if (stripped !== host) hosts.push(stripped);
  return hosts.some((hostValue) => {
    const canonical = getTc3CanonicalRequest({
      method: req.method,
      path: req.rawPath,
      query: req.rawQuery,
      signedHeaders: auth.signedHeaders,
      headerValues: { ...req.headers, host: hostValue },
      payloadHash,
    });
    const expected = getTc3Signature(secretKey, auth.date, auth.service, getTc3StringToSign(ts, scope, canonical));
    return signaturesEqual(expected, auth.signature);
  });
}
