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

/** Parse an IP or CIDR entry of a security IP group; undefined when the syntax is wrong. */
export function parseIpEntry(entry: string): ParsedEntry | undefined {
  const [address, prefixText, extra] = entry.split("/");
  if (extra !== undefined) return undefined;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  if (isIpv4(address)) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (prefix > 32) return undefined;
    const value = ipv4ToInt(address);
    const size = 2 ** (32 - prefix);
    const network = Math.floor(value / size) * size;
    const canonical = prefix === 32 ? intToIpv4(network) : `${intToIpv4(network)}/${prefix}`;
    return { version: 4, canonical, hostBitsSet: network !== value };
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
