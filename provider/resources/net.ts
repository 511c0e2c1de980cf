/**
 * IP, CIDR and host-name rules shared by the resources: syntax, canonical forms (so `10.0.0.1` and
 * `10.0.0.1/32` are one entry and IPv6 spellings compare equal) and the address ranges an origin may not use.
 */
import { isIPv4, isIPv6 } from "node:net";

/** 32-bit value of a dotted quad (caller has checked the syntax). */
function ipv4ToInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** Node accepts leading zeros nowhere in isIPv4 except "0"; keep that, it matches the API's strictness. */
export const isIpv4 = (s: string): boolean => isIPv4(s);
export const isIpv6 = (s: string): boolean => isIPv6(s) && !s.includes("%");

/** Eight 16-bit groups of an IPv6 address (with an embedded IPv4 tail expanded). */
function ipv6ToGroups(ip: string): number[] {
  let text = ip.toLowerCase();
  const v4 = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    const n = ipv4ToInt(v4[1]);
    text = text.slice(0, -v4[1].length) + `${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => parseInt(g, 16)));
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
function groupsToIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

export function canonicalIpv6(ip: string): string {
  return groupsToIpv6(ipv6ToGroups(ip));
}

export interface ParsedEntry {
  version: 4 | 6;
  /** canonical text: a bare address for a single host (/32, /128), otherwise `network/prefix` */
  canonical: string;
  /** true when the written network address had host bits set (`1.2.3.4/24`) */
  hostBitsSet: boolean;
}

/**
 * Value of a dotted quad with isIPv4's strictness (four parts of 0-255, no leading zeros), or -1. Written out
 * by hand because security IP groups hold up to 100,000 entries and `check`/`diff` parse them on every preview.
 */
function scanIpv4(s: string, end = s.length): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && part === 0) return -1; // leading zero
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else return -1;
  }
  return dots === 3 && digits > 0 ? value * 256 + part : -1;
}

/**
 * True when `entry` is an IPv4 address or CIDR range written exactly as its canonical form (`1.2.3.4`,
 * `10.0.0.0/8`): the common case, answered without allocating. False means "parse it", not "invalid".
 */
export function isCanonicalIpv4Entry(entry: string): boolean {
  const slash = entry.indexOf("/");
  const value = scanIpv4(entry, slash < 0 ? entry.length : slash);
  if (value < 0) return false;
  if (slash < 0) return true;
  const digits = entry.length - slash - 1;
  if (digits < 1 || digits > 2) return false;
  const d0 = entry.charCodeAt(slash + 1) - 48;
  const d1 = digits === 2 ? entry.charCodeAt(slash + 2) - 48 : 0;
  if (d0 < 0 || d0 > 9 || d1 < 0 || d1 > 9 || (digits === 2 && d0 === 0)) return false;
  const prefix = digits === 2 ? d0 * 10 + d1 : d0;
  // `/32` is written bare in canonical form; a range must have no host bits.
  return prefix < 32 && value % 2 ** (32 - prefix) === 0;
}

/** Parse an IP or CIDR entry of a security IP group; undefined when the syntax is wrong. */
export function parseIpEntry(entry: string): ParsedEntry | undefined {
  const [address, prefixText, extra] = entry.split("/");
  if (extra !== undefined) return undefined;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const value = scanIpv4(address);
  if (value >= 0) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (prefix > 32) return undefined;
    const size = 2 ** (32 - prefix);
    const network = Math.floor(value / size) * size;
    // A strictly written dotted quad is already canonical text: rebuild it only when host bits are cleared.
    const text = network === value ? address : intToIpv4(network);
    return { version: 4, canonical: prefix === 32 ? text : `${text}/${prefix}`, hostBitsSet: network !== value };
  }
  if (isIpv6(address)) {
    const prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (prefix > 128) return undefined;
    const groups = ipv6ToGroups(address);
    const network = groups.map((g, i) => {
      const bitsInGroup = Math.max(0, Math.min(16, prefix - i * 16));
      return bitsInGroup === 16 ? g : g & (0xffff << (16 - bitsInGroup)) & 0xffff;
    });
    const text = groupsToIpv6(network);
    return {
      version: 6,
      canonical: prefix === 128 ? text : `${text}/${prefix}`,
      hostBitsSet: network.some((g, i) => g !== groups[i]),
    };
  }
  return undefined;
}

/** IPv4 ranges an origin may not point at: private, loopback, link-local, CGNAT, unspecified, multicast, reserved. */
const FORBIDDEN_V4: Array<[string, number]> = [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16],
  ["172.16.0.0", 12], ["192.168.0.0", 16], ["224.0.0.0", 4], ["240.0.0.0", 4],
];

export function isForbiddenOriginIp(ip: string): boolean {
  if (isIpv4(ip)) {
    const value = ipv4ToInt(ip);
    return FORBIDDEN_V4.some(([net, prefix]) => Math.floor(value / 2 ** (32 - prefix)) === Math.floor(ipv4ToInt(net) / 2 ** (32 - prefix)));
  }
  if (isIpv6(ip)) {
    const g = ipv6ToGroups(ip);
    const isMappedV4 = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
    if (isMappedV4) return isForbiddenOriginIp(intToIpv4(g[6] * 65536 + g[7]));
    return (
      g.every((x) => x === 0) || // ::
      (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) || // ::1
      (g[0] & 0xfe00) === 0xfc00 || // fc00::/7 unique local
      (g[0] & 0xffc0) === 0xfe80 || // fe80::/10 link-local
      (g[0] & 0xff00) === 0xff00 // ff00::/8 multicast
    );
  }
  return false;
}

/** A DNS host name: 2+ labels of letters, digits and inner hyphens, at most 253 characters, a TLD not all digits. */
export function isDomainName(name: string): boolean {
  if (name.length < 3 || name.length > 253) return false;
  const labels = name.split(".");
  if (labels.length < 2) return false;
  const label = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
  return labels.every((l) => label.test(l)) && !/^[0-9]+$/.test(labels[labels.length - 1]);
}
