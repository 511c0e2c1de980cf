/** Error body shapes both Huawei SDKs accept (huawei-ga-endpoint-group.md §6). */
export const HUAWEI_ERROR_BODIES = [
  {
    name: "flat error_code/error_msg with request_id in the body",
    status: 404, header: undefined,
    body: { error_code: "GA.9002", error_msg: "Not found: eg-x", request_id: "rid-body" },
    code: "GA.9002", message: "Not found: eg-x", requestId: "rid-body",
  },
  {
    name: "flat code/message with the X-Request-Id header",
    status: 409, header: "rid-header",
    body: { code: "GA.9005", message: "Found eg is associated by endpoint" },
    code: "GA.9005", message: "Found eg is associated by endpoint", requestId: "rid-header",
  },
  {
    name: "nested error.code/error.message",
    status: 400, header: undefined,
    body: { error: { code: "GA.9001", message: "Invalid name: too long", request_id: "rid-nested" } },
    code: "GA.9001", message: "Invalid name: too long", requestId: "rid-nested",
  },
  {
    name: "a non-JSON 404 page",
    status: 404, header: "rid-page",
    body: "<html>no route</html>",
    code: "HTTP.404", message: "<html>no route</html>", requestId: "rid-page",
  },
];
