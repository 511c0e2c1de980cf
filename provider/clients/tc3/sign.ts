import { createHmac } from "node:crypto";
import { getCanonicalRequest, getSignedHeaders, sha256Hex, type Tc3CanonicalRequestInput } from "./canonicalRequest";
import { TC3_ALGORITHM, TC3_KEY_PREFIX, TC3_TERMINATOR } from "./constants";

const hmac = (key: string | Buffer, message: string): Buffer => createHmac("sha256", key).update(message).digest();

/** The UTC calendar date of a Unix timestamp, `YYYY-MM-DD` (1551113065 is 2019-02-25, not the UTC+8 date). */
export const getTc3Date = (timestampSeconds: number): string =>
  new Date(timestampSeconds * 1000).toISOString().slice(0, 10);

export const createTc3Scope = (date: string, service: string): string => `${date}/${service}/${TC3_TERMINATOR}`;

export const getStringToSign = (timestampSeconds: number, scope: string, hashedCanonicalRequest: string): string =>
  [TC3_ALGORITHM, String(timestampSeconds), scope, hashedCanonicalRequest].join("\n");

export interface Tc3SigningKeys {
  secretDate: Buffer;
  secretService: Buffer;
  secretSigning: Buffer;
}

/** The three chained HMACs (raw digests are chained; hex is only for display). */
export const getTc3SigningKeys = (secretKey: string, date: string, service: string): Tc3SigningKeys => {
  const secretDate = hmac(TC3_KEY_PREFIX + secretKey, date);
  const secretService = hmac(secretDate, service);
  const secretSigning = hmac(secretService, TC3_TERMINATOR);
  return { secretDate, secretService, secretSigning };
};

export const getTc3Signature = (secretSigning: Buffer, stringToSign: string): string =>
  createHmac("sha256", secretSigning).update(stringToSign).digest("hex");

export const getTc3Authorization = (secretId: string, scope: string, signedHeaders: string, signature: string): string =>
  `${TC3_ALGORITHM} Credential=${secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;

export interface Tc3SignInput extends Tc3CanonicalRequestInput {
  secretId: string;
  secretKey: string;
  /** Credential-scope service: the product (`teo`, `organization`), whatever the endpoint. */
  service: string;
  /** The clock is passed in: the `X-TC-Timestamp` value, integer seconds. */
  timestamp: number;
}

/** Every intermediate value, so tests and debugging can compare step by step. */
export interface Tc3Signed {
  canonicalRequest: string;
  hashedCanonicalRequest: string;
  date: string;
  scope: string;
  stringToSign: string;
  keys: Tc3SigningKeys;
  signedHeaders: string;
  signature: string;
  authorization: string;
}

export const signTc3 = (input: Tc3SignInput): Tc3Signed => {
  const canonicalRequest = getCanonicalRequest(input);
  const hashedCanonicalRequest = sha256Hex(canonicalRequest);
  const date = getTc3Date(input.timestamp);
  const scope = createTc3Scope(date, input.service);
  const stringToSign = getStringToSign(input.timestamp, scope, hashedCanonicalRequest);
  const keys = getTc3SigningKeys(input.secretKey, date, input.service);
  const signedHeaders = getSignedHeaders(input.signedHeaders);
  const signature = getTc3Signature(keys.secretSigning, stringToSign);
  const authorization = getTc3Authorization(input.secretId, scope, signedHeaders, signature);
  return { canonicalRequest, hashedCanonicalRequest, date, scope, stringToSign, keys, signedHeaders, signature, authorization };
};
