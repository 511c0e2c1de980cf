import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  getSdkCanonicalQuery,
  getSdkCanonicalRequest,
  getSdkCanonicalUri,
  getSdkSignature,
  getSdkStringToSign,
  parseSdkAuthorization,
  parseSdkDate,
} from "../../../emulator/core/sdkHmac";
import {
  createTc3Scope,
  getTc3CanonicalRequest,
  getTc3PayloadHash,
  getTc3Signature,
  getTc3StringToSign,
  getUtcDate,
  parseTc3Authorization,
} from "../../../emulator/core/tc3";

// tencent-api3.md §6: the published DescribeInstances example and its variants
const TC3_BODY = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
const TC3_VECTORS = [
  { name: "doc zh (content-type;host;x-tc-action)", key: "*".repeat(32), signed: ["content-type", "host", "x-tc-action"], sig: "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f" },
  { name: "doc en (content-type;host)", key: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", signed: ["content-type", "host"], sig: "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168" },
  { name: "computed en key with action", key: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", signed: ["content-type", "host", "x-tc-action"], sig: "644be983de9a8a3f00db8eadaba61467c3b429e2215758ba897b738ca469fd26" },
  { name: "computed zh key without action", key: "*".repeat(32), signed: ["content-type", "host"], sig: "0ba957c8479e10a99dbe251b81ef286936efd9d45d9be9e82afcc2cc2ce15b85" },
];

describe("TC3 verification steps", () => {
  it("hashes the example payload as published", () => {
    expect(Buffer.byteLength(TC3_BODY)).toBe(86);
    expect(getTc3PayloadHash(TC3_BODY)).toBe("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  });

  it("takes the UTC date of the timestamp, not the local one", () => {
    expect(getUtcDate(1551113065)).toBe("2019-02-25");
  });

  it.each(TC3_VECTORS)("reproduces the signature: $name", ({ key, signed, sig }) => {
    const canonical = getTc3CanonicalRequest({
      method: "POST",
      path: "/",
      query: "",
      signedHeaders: signed,
      // values are lowercased when rebuilt, as DOC-SIG says; the action is sent as DescribeInstances
      headerValues: { "content-type": "application/json; charset=utf-8", host: "cvm.tencentcloudapi.com", "x-tc-action": "DescribeInstances" },
      payloadHash: getTc3PayloadHash(TC3_BODY),
    });
    const sts = getTc3StringToSign("1551113065", createTc3Scope("2019-02-25", "cvm"), canonical);
    expect(getTc3Signature(key, "2019-02-25", "cvm", sts)).toBe(sig);
  });

  it("hashes the literal UNSIGNED-PAYLOAD when the client opts out", () => {
    expect(getTc3PayloadHash("anything", "UNSIGNED-PAYLOAD")).toBe(getTc3PayloadHash("UNSIGNED-PAYLOAD"));
  });

  it("parses the Authorization header and refuses malformed ones", () => {
    expect(
      parseTc3Authorization(
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
      ),
    ).toEqual({
      secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
      date: "2019-02-25",
      service: "cvm",
      signedHeaders: ["content-type", "host"],
      signature: "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
    });
    for (const bad of [
      "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host",
      "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/aws4_request, SignedHeaders=content-type;host, Signature=" + "a".repeat(64),
      "HMAC-SHA1 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" + "a".repeat(64),
      "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;;host, Signature=" + "a".repeat(64),
    ]) {
      expect(parseTc3Authorization(bad)).toBeUndefined();
    }
  });
});

// huawei-ga-endpoint-group.md §2.4: GO-SDK signer_test.go vectors (current release)
const SDK_VECTORS = [
  { name: "GET with query", method: "GET", query: "limit=1", body: "", sig: "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624" },
  { name: "POST with JSON body and newline", method: "POST", query: "key=value", body: '{"Name":"test","Id":1}\n', sig: "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59" },
];

describe("SDK-HMAC-SHA256 verification steps", () => {
  it.each(SDK_VECTORS)("reproduces the official vector: $name", ({ method, query, body, sig }) => {
    const canonical = getSdkCanonicalRequest({
      method,
      rawPath: "/path",
      rawQuery: query,
      signedHeaders: ["x-sdk-date"],
      headerValues: { "x-sdk-date": "20060102T150405Z", test_underscore: "TEST_VALUE" },
      payloadHash: createHashHex(body),
    });
    expect(getSdkSignature("SecretKey", getSdkStringToSign("20060102T150405Z", canonical))).toBe(sig);
  });

  it("builds the canonical query of the official vector", () => {
    const raw = new URLSearchParams([
      ["limit", "1"],
      ["enable", "true"],
      ["test", "一 (&=?!#%.*)"],
      ["path", "/tmp/123"],
      ["multi", "3"],
      ["multi", "1"],
      ["multi", "2"],
    ]).toString();
    expect(getSdkCanonicalQuery(raw)).toBe(
      "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29",
    );
  });

  it("appends the trailing slash and re-encodes path segments", () => {
    expect(getSdkCanonicalUri("/v1/endpoint-groups")).toBe("/v1/endpoint-groups/");
    expect(getSdkCanonicalUri("/v1/a%20b/c")).toBe("/v1/a%20b/c/");
    expect(getSdkCanonicalUri("/v1/x/")).toBe("/v1/x/");
  });

  it("parses X-Sdk-Date strictly", () => {
    expect(parseSdkDate("20060102T150405Z")).toBe(Date.UTC(2006, 0, 2, 15, 4, 5));
    expect(parseSdkDate("2006-01-02T15:04:05Z")).toBeUndefined();
    expect(parseSdkDate("20060231T150405Z")).toBeUndefined();
  });

  it("parses the Authorization header", () => {
    expect(parseSdkAuthorization(`SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=${"0".repeat(64)}`)).toEqual({
      access: "AccessKey",
      signedHeaders: ["host", "x-sdk-date"],
      signature: "0".repeat(64),
    });
    expect(parseSdkAuthorization("SDK-HMAC-SHA256 Access=AccessKey, Signature=00")).toBeUndefined();
  });
});

function createHashHex(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}
