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
function scanIpv4(s: string, end = s.length, start = 0): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
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

/**
 * The eight groups of an IPv6 address written in s[0, end) into `out`, with Node's isIPv6 grammar (1-4 hex digits
 * per group, one `::` for one or more zero groups, an optional dotted-quad tail counting as two groups, no zone):
 * false when it is not one. Written out by hand, like scanIpv4: half of a realistic group is IPv6, and the
 * regex + split + map of ipv6ToGroups made check + diff of 50,000 entries cost 160 ms (issue 14).
 */
function scanIpv6(s: string, end: number, out: Uint16Array): boolean {
  let n = 0;
  let gap = -1;
  let i = 0;
  if (end >= 1 && s.charCodeAt(0) === 58 /* : */) {
    if (end < 2 || s.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
  }
  while (i < end) {
    let value = 0;
    let j = i;
    let c = 0;
    for (; j < end; j++) {
      c = s.charCodeAt(j);
      const d = c < 128 ? HEX_VALUE[c] : -1;
      if (d < 0) break;
      value = (value << 4) | d;
    }
    if (j < end && c === 46 /* . */) {
      // a dotted-quad tail ends the address: it follows a `:` and counts as two groups
      if (n === 0 && gap < 0) return false;
      const v4 = scanIpv4(s, end, i);
      if (v4 < 0 || n + 2 > 8) return false;
      out[n++] = Math.floor(v4 / 65536);
      out[n++] = v4 % 65536;
      break;
    }
    if (j === i || j - i > 4 || n === 8) return false;
    out[n++] = value;
    if (j === end) break;
    if (c !== 58) return false;
    j++;
    if (j < end && s.charCodeAt(j) === 58) {
      if (gap >= 0) return false;
      gap = n;
      j++;
    } else if (j === end) return false; // a single trailing `:`
    i = j;
  }
  if (gap < 0) return n === 8;
  if (n > 7) return false;
  // Move the groups after the gap to the end and fill the gap with zeros.
  const tail = n - gap;
  for (let k = 0; k < tail; k++) out[7 - k] = out[n - 1 - k];
  for (let k = gap; k < 8 - tail; k++) out[k] = 0;
  return true;
}

/** Value of each hex digit by character code, -1 for other characters. */
const HEX_VALUE = Int8Array.from({ length: 128 }, (_, c) =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1);

/** Character codes of the hex digits, lower case (RFC 5952). */
const HEX_CODES = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];
/** Canonical text of one entry as character codes: at most 39 characters of address and `/128`. */
const textCodes = new Uint16Array(48);
/** textCodes.subarray(0, n) for every n, made once: a view per entry would be one more allocation each. */
const textViews = Array.from({ length: 49 }, (_, n) => textCodes.subarray(0, n) as unknown as number[]);

/**
 * RFC 5952 text of eight groups (same rules as groupsToIpv6, over a typed array), then `/prefix` unless the
 * prefix is < 0. The text is written as character codes into a reused buffer and compared with `written` (the
 * entry as the user or the API wrote it): when they are equal, `written` itself is returned, so canonical
 * entries (all of a state's) allocate nothing. Otherwise one flat string is made from the codes: building it by
 * concatenation made eight cons strings per entry and cost twice as much (issue 14).
 */
function groupsToText(g: Uint16Array, prefix: number, written: string): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const out = textCodes;
  let n = 0;
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      if (i === 0) out[n++] = 58;
      out[n++] = 58;
      i += bestLength - 1;
      continue;
    }
    const v = g[i];
    if (v >= 0x1000) out[n++] = HEX_CODES[v >> 12];
    if (v >= 0x100) out[n++] = HEX_CODES[(v >> 8) & 15];
    if (v >= 0x10) out[n++] = HEX_CODES[(v >> 4) & 15];
    out[n++] = HEX_CODES[v & 15];
    if (i < 7) out[n++] = 58;
  }
  if (prefix >= 0) {
    out[n++] = 47;
    if (prefix >= 100) out[n++] = 48 + Math.floor(prefix / 100);
    if (prefix >= 10) out[n++] = 48 + (Math.floor(prefix / 10) % 10);
    out[n++] = 48 + (prefix % 10);
  }
  if (n === written.length) {
    let k = 0;
    while (k < n && out[k] === written.charCodeAt(k)) k++;
    if (k === n) return written;
  }
  return String.fromCharCode.apply(null, textViews[n]);
}

const scratch = new Uint16Array(8);

/**
 * parseIpEntry without regexes, splits or intermediate arrays: the fast path for large groups. Same results as
 * parseIpEntry for every input (test/unit/net.agreement.test.ts checks both on a large random mix and on
 * malformed strings); parseIpEntry stays the readable reference.
 */
export function scanIpEntry(entry: string): ParsedEntry | undefined {
  const found = ipEntryKey(entry, entryKey, 0);
  if (found === KEY_INVALID) return undefined;
  const hostBitsSet = found === KEY_HOST_BITS;
  const bits = entryKey[4] & 0xff;
  if (entryKey[4] < 256) {
    // A strictly written dotted quad is its own canonical text: rebuilt only when host bits are cleared.
    const slash = entry.indexOf("/");
    const text = hostBitsSet ? intToIpv4(entryKey[3] >>> 0) : slash < 0 ? entry : entry.slice(0, slash);
    return { version: 4, canonical: bits === 32 ? text : `${text}/${bits}`, hostBitsSet };
  }
  // ipEntryKey left the masked groups in `scratch`.
  return { version: 6, canonical: groupsToText(scratch, bits === 128 ? -1 : bits, entry), hostBitsSet };
}

const entryKey = new Int32Array(5);

/** What {@link ipEntryKey} found. */
export const KEY_VALID = 0;
export const KEY_INVALID = 1;
/** A valid range written with host bits set (`1.2.3.4/24`): the key is its network's (`1.2.3.0/24`). */
export const KEY_HOST_BITS = 2;
/** Words of one key: four of address (IPv4 in the last), then version and prefix. */
export const KEY_WORDS = 5;

/**
 * The canonical form of an entry as five numbers instead of text, written to key[at, at + 5): equal keys exactly
 * when scanIpEntry's canonical texts are equal (test/unit/net.agreement.test.ts). Sets of 100,000 entries are
 * compared on every preview: numbers need no string built, hashed or collected, which text keys did (issue 14).
 * Signed 32-bit words: V8 keeps them unboxed, where unsigned ones past 2^31 became heap numbers.
 */
export function ipEntryKey(entry: string, key: Int32Array, at: number): number {
  const slash = entry.indexOf("/");
  const end = slash < 0 ? entry.length : slash;
  let prefix = -1;
  if (slash >= 0) {
    const digits = entry.length - slash - 1;
    if (digits < 1 || digits > 3) return KEY_INVALID;
    prefix = 0;
    for (let i = slash + 1; i < entry.length; i++) {
      const d = entry.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return KEY_INVALID;
      prefix = prefix * 10 + d;
    }
  }
  const v4 = scanIpv4(entry, end);
  if (v4 >= 0) {
    if (prefix > 32) return KEY_INVALID;
    const bits = prefix < 0 ? 32 : prefix;
    const network = bits === 0 ? 0 : v4 & (-1 << (32 - bits)); // as int32, like the key's words
    key[at] = key[at + 1] = key[at + 2] = 0;
    key[at + 3] = network;
    key[at + 4] = bits;
    return network === (v4 | 0) ? KEY_VALID : KEY_HOST_BITS;
  }
  if (!scanIpv6(entry, end, scratch) || prefix > 128) return KEY_INVALID;
  const bits = prefix < 0 ? 128 : prefix;
  let hostBits = false;
  for (let i = bits >> 4; i < 8; i++) {
    const kept = bits - i * 16; // < 16 from here on; ≤ 0 past the prefix
    const masked = kept <= 0 ? 0 : scratch[i] & (0xffff << (16 - kept)) & 0xffff;
    if (masked !== scratch[i]) { hostBits = true; scratch[i] = masked; }
  }
  for (let w = 0; w < 4; w++) key[at + w] = (scratch[2 * w] << 16) | scratch[2 * w + 1];
  key[at + 4] = 256 | bits;
  return hostBits ? KEY_HOST_BITS : KEY_VALID;
}

/**
 * A set over a list's entry keys: `keys` holds KEY_WORDS words per entry, in list order (as ipEntryKey wrote them),
 * and the set's members are entry indices, each standing for its key. Typed arrays only: 100,000 entries make no
 * garbage. Keys are written in one sequential pass and indexed in another: interleaving the two, the table's
 * scattered reads evicted the strings being scanned and cost twice as much (issue 14).
 */
export class IpKeySet {
  /** entry index + 1 per slot, 0 = empty; at most half full */
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** 1 for the entries that are members (not those left out or refused as duplicates) */
  private readonly members: Uint8Array;
  size = 0;

  constructor(readonly keys: Int32Array) {
    const entries = Math.floor(keys.length / KEY_WORDS);
    let count = 16;
    while (count < entries * 2) count *= 2;
    this.slots = new Int32Array(count);
    this.mask = count - 1;
    this.members = new Uint8Array(entries);
  }

  /** Adds entry `i` unless an entry with an equal key is a member: -1 when added, else that entry's index. */
  add(i: number): number {
    const slot = this.find(this.keys, i * KEY_WORDS);
    if (this.slots[slot] !== 0) return this.slots[slot] - 1;
    this.slots[slot] = i + 1;
    this.members[i] = 1;
    this.size++;
    return -1;
  }

  /**
   * The member whose key equals key[at, at + KEY_WORDS), or -1. `guess` is tried first: a list in the same order
   * as the set's (a state read back from the list that was sent) then finds each member without the table.
   */
  indexOf(key: Int32Array, at = 0, guess = -1): number {
    if (this.members[guess] === 1 && this.equals(guess, key, at)) return guess;
    return this.slots[this.find(key, at)] - 1;
  }

  private equals(entry: number, key: Int32Array, at: number): boolean {
    const m = entry * KEY_WORDS;
    const keys = this.keys;
    return keys[m + 3] === key[at + 3] && keys[m + 4] === key[at + 4] && keys[m] === key[at] && keys[m + 1] === key[at + 1] && keys[m + 2] === key[at + 2];
  }

  /** The slot holding a member with an equal key, or the empty slot where it would go (linear probing). */
  private find(key: Int32Array, at: number): number {
    let h = Math.imul(key[at + 3] ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ key[at + 2] ^ (h >>> 15), 0xc2b2ae35);
    h = Math.imul(h ^ key[at + 1] ^ (h >>> 13), 0x85ebca6b);
    h = Math.imul(h ^ key[at] ^ (h >>> 16), 0xc2b2ae35);
    h = Math.imul(h ^ key[at + 4] ^ (h >>> 15), 0x27d4eb2f);
    h ^= h >>> 16;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const member = this.slots[slot];
      if (member === 0 || this.equals(member - 1, key, at)) return slot;
    }
  }
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
