import { describe, expect, it } from "vitest";
import { getCanonicalQuery, getCanonicalUri, getHeadersToSign } from "../../../provider/clients/huawei/canonicalRequest";
import { getSdkDate, signHuawei } from "../../../provider/clients/huawei/sign";
import { HUAWEI_CREDENTIALS, HUAWEI_QUERY_VECTOR, HUAWEI_VECTORS } from "./huaweiSign.vectors";

describe("SDK-HMAC-SHA256", () => {
  it.each(HUAWEI_VECTORS)("signs $name with every intermediate value", (v) => {
    const s = signHuawei({ ...HUAWEI_CREDENTIALS, method: v.method, path: v.path, query: v.query, headers: v.headers, body: v.body });
    expect(s.canonicalRequest).toBe(v.expected.canonicalRequest);
    expect(s.hashedCanonicalRequest).toBe(v.expected.hashedCanonicalRequest);
    if (v.expected.stringToSign) expect(s.stringToSign).toBe(v.expected.stringToSign);
    expect(s.authorization).toBe(v.expected.authorization);
  });

  it("builds the canonical query of the Go SDK test (sorted names, sorted repeated values, %20 for space)", () => {
    expect(getCanonicalQuery(HUAWEI_QUERY_VECTOR.query)).toBe(HUAWEI_QUERY_VECTOR.expected);
  });

  it("leaves out undefined query values", () => {
    expect(getCanonicalQuery({ b: undefined, a: "x" })).toBe("a=x");
  });

  it("appends a trailing slash to the canonical URI and escapes each segment", () => {
    expect(getCanonicalUri("/v1/endpoint-groups")).toBe("/v1/endpoint-groups/");
    expect(getCanonicalUri("/v1/a b/")).toBe("/v1/a%20b/");
  });

  it("does not sign content-type or names with an underscore (Go SDK rule)", () => {
    expect(Object.keys(getHeadersToSign({ "Content-Type": "application/json", A_B: "x", Host: "h", "X-Sdk-Date": "d" })).sort())
      .toEqual(["host", "x-sdk-date"]);
  });

  it("formats X-Sdk-Date in UTC as YYYYMMDDTHHMMSSZ", () => {
    expect(getSdkDate(Date.UTC(2006, 0, 2, 15, 4, 5, 999))).toBe("20060102T150405Z");
  });
});
