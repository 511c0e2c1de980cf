/**
 * IP address, CIDR and domain-name syntax for the teo module: pure functions, no state, no errors thrown.
 * Every parser returns `undefined` on bad input so the caller (models.ts) picks the wire error code.
 */

/** Strict dotted quad: four decimal octets 0-255, no leading zeros ("01.2.3.4" is refused), no spaces. */
export function parseIPv4(s: string): number | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/**
 * RFC 4291 text form: eight 1-4 digit hex groups, one `::`, an optional trailing dotted quad.
 * No zone index (`%eth0`) and no brackets: neither is an address.
 */
export function parseIPv6(s: string): number[] | undefined {
  if (s.length < 2 || s.length > 45 || !/^[0-9A-Fa-f:.]+$/.test(s)) return undefined;
  let tail: number[] = [];
  let text = s;
  const lastColon = s.lastIndexOf(":");
  if (s.includes(".")) {
    const v4 = parseIPv4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [v4 >>> 16, v4 & 0xffff];
    const before = s.slice(0, lastColon + 1); // ends with ":"
    text = before.endsWith("::") ? before : before.slice(0, -1);
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] | undefined => {
    if (h === "") return [];
    const out: number[] = [];
    for (const g of h.split(":")) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]!);
  if (!head) return undefined;
  if (halves.length === 1) {
    const all = [...head, ...tail];
    return all.length === 8 ? all : undefined;
  }
  const rest = parse(halves[1]!);
  if (!rest) return undefined;
  const known = head.length + rest.length + tail.length;
  if (known > 7) return undefined; // "::" stands for at least one zero group
  return [...head, ...new Array<number>(8 - known).fill(0), ...rest, ...tail];
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run (>= 2) of zero groups as `::`, IPv4-mapped as dotted. */
export function formatIPv6(g: number[]): string {
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return `::ffff:${formatIPv4(((g[6]! << 16) | g[7]!) >>> 0)}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

function v6ToBigInt(g: number[]): bigint {
  return g.reduce((acc, x) => (acc << 16n) | BigInt(x), 0n);
}

export interface ParsedEntry {
  /** the canonical text stored and compared: bare address for /32 and /128, RFC 5952 IPv6 */
  canonical: string;
  version: 4 | 6;
}

export type EntryProblem = "syntax" | "host-bits";

/**
 * An IP-group entry: an IPv4/IPv6 address or a CIDR block. A block whose address has host bits set
 * (`1.2.3.4/24`) is refused, not silently widened: the caller meant something and should say it.
 */
export function parseIpEntry(s: string): ParsedEntry | EntryProblem {
  const slash = s.indexOf("/");
  const addr = slash < 0 ? s : s.slice(0, slash);
  let prefix: number | undefined;
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return "syntax";
    prefix = Number(p);
  }
  const v4 = parseIPv4(addr);
  if (v4 !== undefined) {
    if (prefix === undefined || prefix === 32) return { canonical: formatIPv4(v4), version: 4 };
    if (prefix > 32) return "syntax";
    if (v4 % 2 ** (32 - prefix) !== 0) return "host-bits";
    return { canonical: `${formatIPv4(v4)}/${prefix}`, version: 4 };
  }
  const v6 = parseIPv6(addr);
  if (v6 === undefined) return "syntax";
  if (prefix === undefined || prefix === 128) return { canonical: formatIPv6(v6), version: 6 };
  if (prefix > 128) return "syntax";
  const host = (1n << BigInt(128 - prefix)) - 1n;
  if ((v6ToBigInt(v6) & host) !== 0n) return "host-bits";
  return { canonical: `${formatIPv6(v6)}/${prefix}`, version: 6 };
}

/** A bare IP address (no prefix), canonical form, or undefined. */
export function parseIpAddress(s: string): ParsedEntry | undefined {
  if (s.includes("/")) return undefined;
  const r = parseIpEntry(s);
  return typeof r === "string" ? undefined : r;
}

interface Range4 { base: number; bits: number; what: string }
/** IPv4 ranges an origin may not point at (RFC 6890 special-purpose blocks that are never a public origin). */
const FORBIDDEN_V4: Range4[] = [
  { base: 0x00000000, bits: 8, what: "unspecified (0.0.0.0/8)" },
  { base: 0x0a000000, bits: 8, what: "private (10.0.0.0/8)" },
  { base: 0x64400000, bits: 10, what: "carrier-grade NAT (100.64.0.0/10)" },
  { base: 0x7f000000, bits: 8, what: "loopback (127.0.0.0/8)" },
  { base: 0xa9fe0000, bits: 16, what: "link-local (169.254.0.0/16)" },
  { base: 0xac100000, bits: 12, what: "private (172.16.0.0/12)" },
  { base: 0xc0a80000, bits: 16, what: "private (192.168.0.0/16)" },
  { base: 0xe0000000, bits: 4, what: "multicast (224.0.0.0/4)" },
  { base: 0xf0000000, bits: 4, what: "reserved/broadcast (240.0.0.0/4)" },
];

function v4Forbidden(n: number): string | undefined {
  for (const r of FORBIDDEN_V4) {
    if (Math.floor(n / 2 ** (32 - r.bits)) === Math.floor(r.base / 2 ** (32 - r.bits))) return r.what;
  }
  return undefined;
}

/** Why an origin IP is refused (private, loopback, link-local, unspecified, CGNAT, multicast...), or undefined. */
export function forbiddenOriginIp(s: string): string | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return v4Forbidden(v4);
  const g = parseIPv6(s);
  if (!g) return undefined;
  const big = v6ToBigInt(g);
  if (big === 0n) return "unspecified (::)";
  if (big === 1n) return "loopback (::1)";
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    const inner = v4Forbidden(((g[6]! << 16) | g[7]!) >>> 0);
    return inner ? `IPv4-mapped ${inner}` : undefined;
  }
  if ((g[0]! & 0xffc0) === 0xfe80) return "link-local (fe80::/10)";
  if ((g[0]! & 0xffc0) === 0xfec0) return "site-local (fec0::/10)";
  if ((g[0]! & 0xfe00) === 0xfc00) return "unique local (fc00::/7)";
  if ((g[0]! & 0xff00) === 0xff00) return "multicast (ff00::/8)";
  return undefined;
}

/**
 * A fully qualified host name: 2+ dot-separated labels of [A-Za-z0-9-] (1-63 chars, no leading/trailing
 * hyphen), at most 253 characters, a TLD that is not all digits, no trailing dot, no underscore, no port.
 */
export function isDomainName(s: string): boolean {
  if (s.length < 3 || s.length > 253) return false;
  const labels = s.split(".");
  if (labels.length < 2) return false;
  for (const l of labels) {
    if (!/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l)) return false;
  }
  return !/^[0-9]+$/.test(labels[labels.length - 1]!);
}
