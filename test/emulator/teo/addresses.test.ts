import { describe, expect, it } from "vitest";
import { forbiddenOriginIp, formatIPv6, isDomainName, parseIPv6, parseIpEntry } from "../../../emulator/teo/addresses";

describe("teo address syntax", () => {
  it.each([
    ["1.2.3.4", "1.2.3.4"],
    ["1.2.3.4/32", "1.2.3.4"],
    ["10.0.0.0/8", "10.0.0.0/8"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["255.255.255.255", "255.255.255.255"],
    ["2001:DB8::1", "2001:db8::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1"],
    ["::", "::"],
    ["::/0", "::/0"],
    ["1::", "1::"],
    ["::1/128", "::1"],
    ["fe80::/10", "fe80::/10"],
    ["::ffff:1.2.3.4", "::ffff:1.2.3.4"],
    ["64:ff9b::1.2.3.4", "64:ff9b::102:304"],
    ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
    ["1:0:3:4:5:6:7:8", "1:0:3:4:5:6:7:8"],
  ])("canonicalises %s as %s", (input, canonical) => {
    expect(parseIpEntry(input)).toMatchObject({ canonical });
  });

  it.each([
    ["1.2.3", "syntax"], ["1.2.3.4.5", "syntax"], ["256.1.1.1", "syntax"], ["01.2.3.4", "syntax"], ["1.2.3.4/33", "syntax"],
    ["1.2.3.4/024", "syntax"], ["1.2.3.4/", "syntax"], ["::1::", "syntax"], ["1:2:3:4:5:6:7:8:9", "syntax"], ["1:2:3:4:5:6:7::8", "syntax"],
    ["12345::", "syntax"], ["g::1", "syntax"], ["::1/129", "syntax"], ["a.example.com", "syntax"], ["", "syntax"],
    ["1.2.3.4/24", "host-bits"], ["10.0.0.1/8", "host-bits"], ["2001:db8::1/64", "host-bits"], ["::1/0", "host-bits"],
  ])("refuses %s (%s)", (input, problem) => {
    expect(parseIpEntry(input)).toBe(problem);
  });

  it("round-trips every parseable IPv6 through RFC 5952 text", () => {
    for (const s of ["1:0:0:2:0:0:0:3", "0:0:1:0:0:0:0:0", "abcd:ef01:2345:6789:abcd:ef01:2345:6789"]) {
      const g = parseIPv6(s)!;
      expect(parseIPv6(formatIPv6(g))).toEqual(g);
    }
    expect(formatIPv6(parseIPv6("1:0:0:2:0:0:0:3")!)).toBe("1:0:0:2::3");
  });

  it("classifies origin IPs", () => {
    for (const ip of ["10.1.1.1", "100.127.255.255", "169.254.1.1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1"]) expect(forbiddenOriginIp(ip)).toBeDefined();
    for (const ip of ["100.128.0.1", "172.15.0.1", "8.8.8.8", "2400:cb00::1", "::ffff:8.8.8.8"]) expect(forbiddenOriginIp(ip)).toBeUndefined();
  });

  it("accepts host names, refuses the rest", () => {
    for (const d of ["example.com", "a-b.example.co", "b-1250000000.cos.ap-guangzhou.myqcloud.com", "xn--fiq228c.com"]) expect(isDomainName(d)).toBe(true);
    for (const d of ["com", "-a.com", "a-.com", "a..com", "a.com.", "a_b.com", "1.2.3.4", `${"a".repeat(64)}.com`, "a.com:80"]) expect(isDomainName(d)).toBe(false);
  });
});
