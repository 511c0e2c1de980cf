/** TC3-HMAC-SHA256 vectors from tencent-api3.md §6 (published) and §6.4 (computed). */
export const TC3_EXAMPLE_BODY =
  '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
const DOC_CONTENT_TYPE = "application/json; charset=utf-8";
const HOST = "cvm.tencentcloudapi.com";
const STARS = "*".repeat(32);

export interface Tc3Vector {
  name: string;
  secretId: string;
  secretKey: string;
  signAction: boolean;
  expected: {
    canonicalRequest?: string;
    hashedCanonicalRequest?: string;
    stringToSign?: string;
    secretDate?: string;
    secretService?: string;
    secretSigning?: string;
    signature: string;
    authorization?: string;
  };
}

export const TC3_COMMON = {
  service: "cvm",
  timestamp: 1551113065,
  action: "DescribeInstances",
  contentType: DOC_CONTENT_TYPE,
  host: HOST,
  payloadHash: "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
  date: "2019-02-25",
  scope: "2019-02-25/cvm/tc3_request",
};

export const TC3_VECTORS: Tc3Vector[] = [
  {
    name: "the current zh doc example (content-type;host;x-tc-action, SecretKey of 32 '*')",
    secretId: "AKID" + STARS,
    secretKey: STARS,
    signAction: true,
    expected: {
      canonicalRequest: [
        "POST", "/", "",
        `content-type:${DOC_CONTENT_TYPE}\nhost:${HOST}\nx-tc-action:describeinstances\n`,
        "content-type;host;x-tc-action",
        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
      ].join("\n"),
      hashedCanonicalRequest: "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84",
      stringToSign:
        "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84",
      secretDate: "da98fb70dcf6b112dc21038d1eeeb3a95c74b4dcb12c1131f864f6066bd02be0",
      secretService: "8d70cbefb03939f929db64d32dc2ba89b1095620119fe3e050e2b18c5bd2752f",
      secretSigning: "b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af",
      signature: "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f",
      authorization:
        "TC3-HMAC-SHA256 Credential=AKID********************************/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f",
    },
  },
  {
    name: "the older English doc example (content-type;host)",
    secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
    secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    signAction: false,
    expected: {
      canonicalRequest: [
        "POST", "/", "",
        `content-type:${DOC_CONTENT_TYPE}\nhost:${HOST}\n`,
        "content-type;host",
        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
      ].join("\n"),
      hashedCanonicalRequest: "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
      stringToSign:
        "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
      secretDate: "d1308c81fe71cfd4e06437bbc067b2b8a3d2d8c0e375d547f15c41d5214b395a",
      secretService: "3c7cb7c7795393edc14fd2e0e6434a518564b4504b88e94f5d11bf59ba3e7050",
      secretSigning: "ac658d5dde49e9bfdd14e04e062f66b05d9f637d44b8a8d845327d4a77f666b1",
      signature: "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
      authorization:
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
    },
  },
  {
    name: "computed: English-doc key with content-type;host;x-tc-action",
    secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
    secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    signAction: true,
    expected: { signature: "644be983de9a8a3f00db8eadaba61467c3b429e2215758ba897b738ca469fd26" },
  },
  {
    name: "computed: 32 '*' key with content-type;host",
    secretId: "AKID" + STARS,
    secretKey: STARS,
    signAction: false,
    expected: { signature: "0ba957c8479e10a99dbe251b81ef286936efd9d45d9be9e82afcc2cc2ce15b85" },
  },
];
