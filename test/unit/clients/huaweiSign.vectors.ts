/** SDK-HMAC-SHA256 vectors from GO-SDK `core/auth/signer/signer_test.go` (huawei-ga-endpoint-group.md §2.4). */
export interface HuaweiVector {
  name: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
  expected: { canonicalRequest: string; hashedCanonicalRequest: string; stringToSign?: string; authorization: string };
}

const COMMON_HEADERS = { "X-Sdk-Date": "20060102T150405Z", TEST_UNDERSCORE: "TEST_VALUE" };

export const HUAWEI_CREDENTIALS = { accessKey: "AccessKey", secretKey: "SecretKey" };

export const HUAWEI_VECTORS: HuaweiVector[] = [
  {
    name: "vector 1: GET with a query and no body",
    method: "GET",
    path: "/path",
    query: { limit: "1" },
    headers: { ...COMMON_HEADERS },
    expected: {
      canonicalRequest:
        "GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      hashedCanonicalRequest: "85c3b7730f308aee452b16138a42a914397e43a8f0d732dfa521c0ef2afa98a4",
      stringToSign: "SDK-HMAC-SHA256\n20060102T150405Z\n85c3b7730f308aee452b16138a42a914397e43a8f0d732dfa521c0ef2afa98a4",
      authorization:
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624",
    },
  },
  {
    name: "vector 2: POST with a JSON body ending in the Go encoder's newline",
    method: "POST",
    path: "/path",
    query: { key: "value" },
    headers: { ...COMMON_HEADERS, "Content-Type": "application/json" },
    body: '{"Name":"test","Id":1}\n',
    expected: {
      canonicalRequest:
        "POST\n/path/\nkey=value\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\na29d7b4c5efd1a22011d69fd7b7aee76fe51e4083c609244228de258afd61289",
      hashedCanonicalRequest: "13f75ff5f5216199f986c7e7f2f77834d5e160ad9e46f37319816dc72ba7eeab",
      authorization:
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59",
    },
  },
];

export const HUAWEI_QUERY_VECTOR = {
  query: { limit: 1, enable: true, test: "一 (&=?!#%.*)", path: "/tmp/123", multi: [1, 2, 3] },
  expected: "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29",
};
