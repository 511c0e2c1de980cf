import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CommonClient } from "tencentcloud-sdk-nodejs-common";
import { startFake, type Harness } from "./harness";
import { tc3Call, type Tc3Request } from "./signing";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let h: Harness;
beforeEach(async () => {
  h = await startFake();
});
afterEach(async () => {
  await h.emu.close();
});

function sdk(version = "2022-09-01", credential?: { secretId: string; secretKey: string; token?: string }) {
  const endpoint = `127.0.0.1:${h.port}`;
  return new CommonClient(endpoint, version, {
    credential: credential ?? { secretId: h.creds.tencentSecretId, secretKey: h.creds.tencentSecretKey },
    profile: { httpProfile: { protocol: "http://", endpoint } },
  });
}

/** The SDK's error carries `code`; return it instead of throwing so tests can assert it. */
async function sdkError(p: Promise<unknown>): Promise<{ code?: string; message: string; requestId?: string; httpCode?: number }> {
  try {
    await p;
  } catch (e: any) {
    return { code: e.code, message: e.message, requestId: e.requestId, httpCode: e.httpCode };
  }
  throw new Error("expected the call to fail");
}

const call = (over: Partial<Tc3Request> = {}) =>
  tc3Call({
    url: h.url + "/",
    action: "CreateThing",
    version: "2022-09-01",
    body: '{"Name":"a"}',
    secretId: h.creds.tencentSecretId,
    secretKey: h.creds.tencentSecretKey,
    ...over,
  });

describe("Tencent API 3.0 through the official Node SDK (CommonClient, scope service `127`)", () => {
  it("creates and reads back through two actions, with a RequestId on each answer", async () => {
    const client = sdk();
    const created: any = await client.request("CreateThing", { Name: "web" });
    expect(created.ThingId).toBe("thing-1");
    expect(created.RequestId).toMatch(UUID_V4);
    const listed: any = await client.request("DescribeThings", {});
    expect(listed).toMatchObject({ TotalCount: 1, Things: [{ ThingId: "thing-1", Name: "web" }] });
    expect(h.teo.backend.things.get("thing-1")?.account).toBe(h.creds.tencentSecretId);
  });

  it("routes an organization action by action+version when the scope service is not a known one", async () => {
    const answer: any = await sdk("2021-03-31").request("ListGroups", {});
    expect(answer).toMatchObject({ Groups: [], TotalCounts: 0 });
  });

  it("surfaces a module's TencentError as Response.Error with HTTP 200", async () => {
    const err = await sdkError(sdk().request("CreateThing", {}));
    expect(err.code).toBe("MissingParameter");
    expect(err.requestId).toMatch(UUID_V4);
    expect(err.httpCode).toBeUndefined();
  });

  it("refuses a wrong secret key with AuthFailure.SignatureFailure", async () => {
    const err = await sdkError(sdk("2022-09-01", { secretId: h.creds.tencentSecretId, secretKey: "wrong" }).request("DescribeThings", {}));
    expect(err.code).toBe("AuthFailure.SignatureFailure");
    expect(err.message).not.toContain(h.creds.tencentSecretKey);
    expect(h.teo.backend.things.size).toBe(0);
  });

  it("refuses an unknown SecretId with AuthFailure.SecretIdNotFound", async () => {
    const err = await sdkError(sdk("2022-09-01", { secretId: "AKIDnobody", secretKey: h.creds.tencentSecretKey }).request("DescribeThings", {}));
    expect(err.code).toBe("AuthFailure.SecretIdNotFound");
  });

  it("answers InvalidAction for an unknown action and NoSuchVersion for a wrong version", async () => {
    expect((await sdkError(sdk().request("DescribeNothing", {}))).code).toBe("InvalidAction");
    expect((await sdkError(sdk("2020-01-01").request("CreateThing", { Name: "x" }))).code).toBe("NoSuchVersion");
    // an organization action with the teo version is a version error, not an unknown action
    expect((await sdkError(sdk("2022-09-01").request("ListGroups", {}))).code).toBe("NoSuchVersion");
  });
});

describe("TC3 verification of hand-signed requests", () => {
  it("accepts the DOC-SIG form (content-type;host;x-tc-action with charset) signed with the port", async () => {
    const r = await call({ signAction: true, contentType: "application/json; charset=utf-8" });
    expect(r.status).toBe(200);
    expect(r.json.Response.ThingId).toBe("thing-1");
    expect(r.json.Response.RequestId).toMatch(UUID_V4);
  });

  it("accepts a host signed without the port (what the Node SDK does)", async () => {
    expect((await call({ signedHost: "127.0.0.1" })).json.Response.ThingId).toBe("thing-1");
  });

  it("refuses a host signed as something else", async () => {
    expect((await call({ signedHost: "teo.tencentcloudapi.com" })).json.Response.Error.Code).toBe("AuthFailure.SignatureFailure");
  });

  it("refuses a body tampered after signing and does not apply it", async () => {
    const r = await call({ sendBody: '{"Name":"b"}' });
    expect(r.status).toBe(200);
    expect(r.json.Response.Error).toEqual({
      Code: "AuthFailure.SignatureFailure",
      Message: "The provided credentials could not be validated. Please check your signature is correct.",
    });
    expect(r.json.Response.RequestId).toMatch(UUID_V4);
    expect(h.teo.backend.things.size).toBe(0);
  });

  it("honours X-TC-Content-SHA256: UNSIGNED-PAYLOAD", async () => {
    const r = await call({ unsignedPayload: true, sendBody: '{"Name":"unsigned"}' });
    expect(r.json.Response.ThingId).toBe("thing-1");
    expect(h.teo.backend.things.get("thing-1")?.name).toBe("unsigned");
  });

  it.each([
    { name: "more than 300 s old", offset: -301, code: "AuthFailure.SignatureExpire" },
    { name: "more than 300 s ahead", offset: 301, code: "AuthFailure.SignatureExpire" },
    { name: "exactly 300 s old", offset: -300, code: undefined },
  ])("timestamp $name → $code", async ({ offset, code }) => {
    const r = await call({ timestamp: Math.floor(h.fixedNow / 1000) + offset });
    expect(r.json.Response.Error?.Code).toBe(code);
    if (code === "AuthFailure.SignatureExpire") expect(r.json.Response.Error.Message).toBe("The signature is expired, please request again.");
  });

  it("refuses a scope date that is not the UTC date of the timestamp", async () => {
    const r = await call({ scopeDate: "2001-01-01" });
    expect(r.json.Response.Error.Code).toBe("AuthFailure.SignatureFailure");
  });

  it("refuses a known scope service that does not serve the action with InvalidAction", async () => {
    expect((await call({ service: "organization" })).json.Response.Error.Code).toBe("InvalidAction");
    expect((await call({ service: "teo" })).json.Response.ThingId).toBe("thing-1");
    expect(
      (await call({ service: "teo", action: "ListGroups", version: "2021-03-31", body: "{}" })).json.Response.Error.Code,
    ).toBe("InvalidAction");
  });

  it.each([
    { header: "X-TC-Action", param: "Action" },
    { header: "X-TC-Version", param: "Version" },
    { header: "X-TC-Timestamp", param: "Timestamp" },
  ])("answers MissingParameter naming `$param` when $header is absent", async ({ header, param }) => {
    const r = await call({ extraHeaders: { [header]: "" } });
    expect(r.json.Response.Error).toEqual({ Code: "MissingParameter", Message: `The request is missing a required parameter \`${param}\`.` });
  });

  it("answers AuthFailure.InvalidAuthorization for a malformed Authorization", async () => {
    for (const authorization of ["Bearer x", "TC3-HMAC-SHA256 Credential=x", `TC3-HMAC-SHA256 Credential=A/2020-01-01/teo/tc3_request, SignedHeaders=host, Signature=${"a".repeat(64)}`]) {
      expect((await call({ authorization })).json.Response.Error.Code).toBe("AuthFailure.InvalidAuthorization");
    }
  });

  it("answers InvalidParameter for a body that is not a JSON object", async () => {
    for (const body of ["not json", "[1]", ""]) {
      expect((await call({ body })).json.Response.Error.Code).toBe("InvalidParameter");
    }
  });

  it("answers InternalError (never the exception text) when a module throws something else", async () => {
    const r = await call({ action: "Boom", body: "{}" });
    expect(r.json.Response.Error.Code).toBe("InternalError");
    expect(r.json.Response.Error.Message).not.toContain("kaboom");
    expect(h.logs.join("\n")).toContain("kaboom");
  });

  it("answers UnsupportedProtocol for GET /", async () => {
    const res = await fetch(h.url + "/");
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).Response.Error.Code).toBe("UnsupportedProtocol");
  });

  it("sets a Date header from the emulator clock on every answer", async () => {
    const r = await call();
    expect(r.headers.get("date")).toBe(new Date(h.fixedNow).toUTCString());
    const bad = await call({ secretKey: "wrong" });
    expect(bad.headers.get("date")).toBe(new Date(h.fixedNow).toUTCString());
  });

  it("refuses a token sent with permanent credentials", async () => {
    expect((await call({ token: "some-token" })).json.Response.Error.Code).toBe("AuthFailure.TokenFailure");
  });
});

describe("temporary Tencent credentials", () => {
  it("requires the configured X-TC-Token with the temporary SecretId (SDK and raw)", async () => {
    await h.emu.close();
    h = await startFake({
      credentials: { ...h.creds, tencentSecretId: "AKIDtemp", tencentSecretKey: "tempKey", tencentToken: "tok-123" },
    });
    const good: any = await sdk("2022-09-01", { secretId: "AKIDtemp", secretKey: "tempKey", token: "tok-123" }).request("DescribeThings", {});
    expect(good.TotalCount).toBe(0);
    const wrong = await sdkError(sdk("2022-09-01", { secretId: "AKIDtemp", secretKey: "tempKey", token: "tok-999" }).request("DescribeThings", {}));
    expect(wrong.code).toBe("AuthFailure.TokenFailure");
    expect(wrong.message).not.toContain("tok-");
    const missing = await call({ secretId: "AKIDtemp", secretKey: "tempKey" });
    expect(missing.json.Response.Error.Code).toBe("AuthFailure.TokenFailure");
  });
});
