import { describe, expect, it } from "vitest";
import { getPayloadHash } from "../../../provider/clients/tc3/canonicalRequest";
import { getTc3Date, signTc3 } from "../../../provider/clients/tc3/sign";
import { TC3_COMMON, TC3_EXAMPLE_BODY, TC3_VECTORS } from "./tc3.vectors";

describe("TC3-HMAC-SHA256", () => {
  it("hashes the 86-byte example body to the published payload hash", () => {
    expect(Buffer.byteLength(TC3_EXAMPLE_BODY)).toBe(86);
    expect(getPayloadHash(TC3_EXAMPLE_BODY)).toBe(TC3_COMMON.payloadHash);
  });

  it("takes the scope date in UTC, not in the caller's zone", () => {
    expect(getTc3Date(TC3_COMMON.timestamp)).toBe(TC3_COMMON.date);
  });

  it.each(TC3_VECTORS)("signs $name with every intermediate value", (v) => {
    const signedHeaders: Record<string, string> = { "Content-Type": TC3_COMMON.contentType, Host: TC3_COMMON.host };
    if (v.signAction) signedHeaders["X-TC-Action"] = TC3_COMMON.action;
    const s = signTc3({
      secretId: v.secretId,
      secretKey: v.secretKey,
      service: TC3_COMMON.service,
      timestamp: TC3_COMMON.timestamp,
      signedHeaders,
      body: TC3_EXAMPLE_BODY,
    });
    expect(s.scope).toBe(TC3_COMMON.scope);
    const e = v.expected;
    if (e.canonicalRequest) expect(s.canonicalRequest).toBe(e.canonicalRequest);
    if (e.hashedCanonicalRequest) expect(s.hashedCanonicalRequest).toBe(e.hashedCanonicalRequest);
    if (e.stringToSign) expect(s.stringToSign).toBe(e.stringToSign);
    if (e.secretDate) expect(s.keys.secretDate.toString("hex")).toBe(e.secretDate);
    if (e.secretService) expect(s.keys.secretService.toString("hex")).toBe(e.secretService);
    if (e.secretSigning) expect(s.keys.secretSigning.toString("hex")).toBe(e.secretSigning);
    expect(s.signature).toBe(e.signature);
    if (e.authorization) expect(s.authorization).toBe(e.authorization);
    expect(s.signedHeaders).toBe(v.signAction ? "content-type;host;x-tc-action" : "content-type;host");
  });
});
