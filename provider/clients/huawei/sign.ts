import { createHmac } from "node:crypto";
import {
  getCanonicalRequest,
  getHeadersToSign,
  getSignedHeaders,
  sha256Hex,
  type HuaweiCanonicalRequestInput,
} from "./canonicalRequest";
import { HEADER_SDK_DATE, HUAWEI_ALGORITHM } from "./constants";

/** UTC `YYYYMMDDTHHMMSSZ` (Go layout `20060102T150405Z`). The clock is passed in. */
export const getSdkDate = (epochMs: number): string =>
  new Date(epochMs).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

export const getStringToSign = (sdkDate: string, hashedCanonicalRequest: string): string =>
  [HUAWEI_ALGORITHM, sdkDate, hashedCanonicalRequest].join("\n");

/** No key derivation: the SK bytes are the HMAC key. */
export const getHuaweiSignature = (secretKey: string, stringToSign: string): string =>
  createHmac("sha256", secretKey).update(stringToSign).digest("hex");

export const getHuaweiAuthorization = (accessKey: string, signedHeaders: string, signature: string): string =>
  `${HUAWEI_ALGORITHM} Access=${accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`;

export interface HuaweiSignInput extends HuaweiCanonicalRequestInput {
  accessKey: string;
  secretKey: string;
}

export interface HuaweiSigned {
  canonicalRequest: string;
  hashedCanonicalRequest: string;
  stringToSign: string;
  signedHeaders: string;
  signature: string;
  authorization: string;
}

/** `headers` must already carry `X-Sdk-Date` (see {@link getSdkDate}); it is what the server checks. */
export const signHuawei = (input: HuaweiSignInput): HuaweiSigned => {
  const signed = getHeadersToSign(input.headers);
  const sdkDate = signed[HEADER_SDK_DATE.toLowerCase()];
  if (sdkDate === undefined) throw new TypeError(`${HEADER_SDK_DATE} header is required for signing`);
  const canonicalRequest = getCanonicalRequest(input);
  const hashedCanonicalRequest = sha256Hex(canonicalRequest);
  const stringToSign = getStringToSign(sdkDate, hashedCanonicalRequest);
  const signedHeaders = getSignedHeaders(signed);
  const signature = getHuaweiSignature(input.secretKey, stringToSign);
  const authorization = getHuaweiAuthorization(input.accessKey, signedHeaders, signature);
  return { canonicalRequest, hashedCanonicalRequest, stringToSign, signedHeaders, signature, authorization };
};
