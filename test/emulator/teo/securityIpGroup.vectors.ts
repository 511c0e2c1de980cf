/** Violating CreateSecurityIPGroup / ModifySecurityIPGroup requests and the wire code each must get. */
import { SEED } from "../../../emulator/core/defaults";
import { variant, type Params } from "./harness";

export const Z = SEED.teoZoneId;
export const FUTURE = "2026-03-24T16:03:00+08:00";

export const VALID_CREATE: Params = { ZoneId: Z, IPGroup: { GroupId: 0, Name: "testip", Content: ["2.2.2.2"] } };

export interface Vector { name: string; request: Params; code: string }
const v = (name: string, mutate: (g: Params, p: Params) => void, code: string): Vector =>
  ({ name, request: variant(VALID_CREATE, (p) => mutate(p.IPGroup, p)), code });
const content = (...c: unknown[]) => (g: Params) => { g.Content = c; };

export const CREATE_VECTORS: Vector[] = [
  v("missing IPGroup", (_g, p) => { delete p.IPGroup; }, "MissingParameter"),
  v("missing ZoneId", (_g, p) => { delete p.ZoneId; }, "MissingParameter"),
  v("missing IPGroup.GroupId", (g) => { delete g.GroupId; }, "MissingParameter"),
  v("missing IPGroup.Name", (g) => { delete g.Name; }, "MissingParameter"),
  v("missing IPGroup.Content", (g) => { delete g.Content; }, "MissingParameter"),
  v("missing IPExpireInfo.0.IPList", (g) => { g.IPExpireInfo = [{ ExpireTime: FUTURE }]; }, "MissingParameter"),
  v("unknown top-level parameter", (_g, p) => { p.Mode = "append"; }, "UnknownParameter"),
  v("unknown IPGroup parameter", (g) => { g.Description = "x"; }, "UnknownParameter"),
  v("unknown IPExpireInfo parameter", (g) => { g.IPExpireInfo = [{ ExpireTime: FUTURE, IPList: ["2.2.2.2"], Time: FUTURE }]; }, "UnknownParameter"),
  v("GroupId as a string", (g) => { g.GroupId = "0"; }, "InvalidParameter"),
  v("GroupId 1.5", (g) => { g.GroupId = 1.5; }, "InvalidParameter"),
  v("Content as a string", (g) => { g.Content = "2.2.2.2"; }, "InvalidParameter"),
  v("Content entry as a number", content(1), "InvalidParameter"),
  v("IPTotalCount is output-only", (g) => { g.IPTotalCount = 1; }, "InvalidParameter"),
  v("unknown zone", (_g, p) => { p.ZoneId = "zone-nope"; }, "InvalidParameter.ZoneNotFound"),
  v("GroupId not 0", (g) => { g.GroupId = 7; }, "InvalidParameter.Security"),
  v("empty Content", content(), "InvalidParameter.Security"),
  ...["1.1.1", "1.1.1.1/33", "2001:db8::1/129", "example.com", "01.1.1.1", " 1.1.1.1", "1.1.1.1/", "1.1.1.0/08",
    "1.1.1.1-1.1.1.9", "2001:db8::1%eth0", "[2001:db8::1]", "2001:db8:::1", "1:2:3:4:5:6:7:8:9", ""]
    .map((e) => v(`entry ${JSON.stringify(e)}`, content(e), "InvalidParameter.Security")),
  v("non-canonical CIDR 1.2.3.4/24", content("1.2.3.4/24"), "InvalidParameter.Security"),
  v("non-canonical CIDR 2001:db8::1/64", content("2001:db8::1/64"), "InvalidParameter.Security"),
  v("duplicate entries", content("1.1.1.1", "1.1.1.1"), "InvalidParameter.Security"),
  v("1.1.1.1 and 1.1.1.1/32 are the same entry", content("1.1.1.1", "1.1.1.1/32"), "InvalidParameter.Security"),
  v("IPv6 spelled twice", content("2001:db8::1", "2001:DB8:0:0::1"), "InvalidParameter.Security"),
  v("empty name", (g) => { g.Name = ""; }, "InvalidParameter.Security"),
  v("name of 65 characters", (g) => { g.Name = "a".repeat(65); }, "InvalidParameter.Security"),
  v("name with a space", (g) => { g.Name = "my group"; }, "InvalidParameter.Security"),
  v("past ExpireTime", (g) => { g.IPExpireInfo = [{ ExpireTime: "2022-01-01T00:00:00+08:00", IPList: ["2.2.2.2"] }]; }, "InvalidParameter.Security"),
  v("ExpireTime without offset", (g) => { g.IPExpireInfo = [{ ExpireTime: "2030-01-01T00:00:00", IPList: ["2.2.2.2"] }]; }, "InvalidParameter.Security"),
  v("ExpireTime with a space", (g) => { g.IPExpireInfo = [{ ExpireTime: "2030-01-01 00:00:00+08:00", IPList: ["2.2.2.2"] }]; }, "InvalidParameter.Security"),
  v("ExpireTime on Feb 30", (g) => { g.IPExpireInfo = [{ ExpireTime: "2030-02-30T00:00:00Z", IPList: ["2.2.2.2"] }]; }, "InvalidParameter.Security"),
  v("expiry without ExpireTime", (g) => { g.IPExpireInfo = [{ IPList: ["2.2.2.2"] }]; }, "InvalidParameter.Security"),
  v("expiry with an empty IPList", (g) => { g.IPExpireInfo = [{ ExpireTime: FUTURE, IPList: [] }]; }, "InvalidParameter.Security"),
  v("expiry for an entry not in Content", (g) => { g.IPExpireInfo = [{ ExpireTime: FUTURE, IPList: ["3.3.3.3"] }]; }, "InvalidParameter.Security"),
  v("same entry in two expiry items", (g) => {
    g.IPExpireInfo = [{ ExpireTime: FUTURE, IPList: ["2.2.2.2"] }, { ExpireTime: "2027-01-01T00:00:00Z", IPList: ["2.2.2.2/32"] }];
  }, "InvalidParameter.Security"),
];

export const ACCEPTED_CREATES: Vector[] = [
  v("IPv4, CIDR, IPv6, IPv6 CIDR, /0", content("1.1.1.1", "10.0.0.0/8", "2001:db8::1", "2001:db8::/32", "0.0.0.0/0", "::/0"), "OK"),
  v("private and loopback entries (a block list may hold anything)", content("127.0.0.1", "192.168.0.0/16"), "OK"),
  v("name of 64 characters", (g) => { g.Name = "a".repeat(64); }, "OK"),
  v("name with CJK letters, dots and dashes", (g) => { g.Name = "办公网.v1-a_b"; }, "OK"),
  v("ExpireTime in Z form with fraction", (g) => { g.IPExpireInfo = [{ ExpireTime: "2030-01-01T00:00:00.5Z", IPList: ["2.2.2.2"] }]; }, "OK"),
];
