/**
 * The reference implementation printed in tencent-api3.md §4 (checked there against both official
 * examples), used by the test server to verify what our client sends. It is deliberately not our code.
 */
import { createHash, createHmac } from "node:crypto";
const sha256hex = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");
const hmac = (k: string | Buffer, s: string) => createHmac("sha256", k).update(s).digest();

export function referenceTc3Authorization(o: { secretId: string; secretKey: string; service: string; host: string;
    timestamp: number; body: string; contentType: string }): string {
  const date = new Date(o.timestamp * 1000).toISOString().slice(0, 10);
  const canonicalHeaders = `content-type:${o.contentType}\nhost:${o.host}\n`;
  const signedHeaders = "content-type;host";
  const canonicalRequest = ["POST", "/", "", canonicalHeaders, signedHeaders, sha256hex(o.body)].join("\n");
  const scope = `${date}/${o.service}/tc3_request`;
  const stringToSign = ["TC3-HMAC-SHA256", String(o.timestamp), scope, sha256hex(canonicalRequest)].join("\n");
  const kSigning = hmac(hmac(hmac("TC3" + o.secretKey, date), o.service), "tc3_request");
  const signature = createHmac("sha256", kSigning).update(stringToSign).digest("hex");
  return `TC3-HMAC-SHA256 Credential=${o.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/** huawei-ga-endpoint-group.md §2.3 reference; `headers` = exactly the headers to sign. */
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
export function referenceHuaweiAuthorization(o: { ak: string; sk: string; method: string; path: string;
    query: Record<string, string | string[]>; headers: Record<string, string>; body: string | Buffer }): string {
  let uri = o.path.split("/").map(enc).join("/"); if (!uri.endsWith("/")) uri += "/";
  const q = Object.keys(o.query).sort().flatMap((k) => [o.query[k]].flat().map(String).sort()
    .map((v) => `${enc(k)}=${enc(v)}`)).join("&");
  const h = Object.fromEntries(Object.entries(o.headers).map(([k, v]) => [k.toLowerCase(), v.trim()]));
  const names = Object.keys(h).sort();
  const canonical = [o.method, uri, q, names.map((n) => `${n}:${h[n]}\n`).join(""), names.join(";"),
    h["x-sdk-content-sha256"] ?? sha256hex(o.body)].join("\n");
  const sts = ["SDK-HMAC-SHA256", h["x-sdk-date"], sha256hex(canonical)].join("\n");
  return `SDK-HMAC-SHA256 Access=${o.ak}, SignedHeaders=${names.join(";")}, ` +
    `Signature=${createHmac("sha256", o.sk).update(sts).digest("hex")}`;
}
