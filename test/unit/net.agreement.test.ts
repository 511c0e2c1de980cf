/**
 * The fast entry scanner (scanIpEntry, used by SecurityIPGroup's check and diff) and the readable general
 * parser (parseIpEntry, Node's isIPv6 plus regexes and splits) must agree on every input: same validity, same
 * canonical text, same host-bits verdict. Checked on a 200,000-entry realistic mix, on those entries mangled at
 * random, and on hand-picked edge cases of the IPv6 grammar.
 */
import { describe, expect, it } from "vitest";
import { IpKeySet, KEY_HOST_BITS, KEY_INVALID, KEY_VALID, KEY_WORDS, ipEntryKey, parseIpEntry, scanIpEntry } from "../../provider/resources/net";
import { createRng as prng } from "../../emulator/core/env";
import { realisticMix } from "../../bench/mix";

const disagreements = (entries: string[]) =>
  entries.filter((e) => JSON.stringify(scanIpEntry(e)) !== JSON.stringify(parseIpEntry(e))).slice(0, 10);

const EDGES = [
  "", ":", "::", ":::", "::1", "1::", "1:::2", "::1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::",
  "::2:3:4:5:6:7:8", "::1:2:3:4:5:6:7:8", "1::2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", ":1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:",
  "12345::", "0000:0000:0000:0000:0000:0000:0000:0000", "00000::", "fFfF::", "g::", "::ffff:1.2.3.4", "::1.2.3.4",
  "1.2.3.4::", "::ffff:01.2.3.4", "::ffff:256.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5::1.2.3.4",
  "1:2:3:4:5:6::1.2.3.4", "::1.2.3", "::1.2.3.4.5", "::a.b.c.d", "fe80::1%eth0", "2001:db8::/32", "2001:db8::1/32",
  "2001:db8::/129", "2001:db8::/128", "2001:db8::/0", "::/0", "2001:db8::/064", "2001:db8::/", "2001:db8::/1/2",
  "2001:db8::/a", "1.2.3.4", "1.2.3.4/32", "1.2.3.4/24", "1.2.3.0/24", "1.2.3.4/33", "1.2.3.4/033", "1.2.3.4/0",
  "0.0.0.0/0", "01.2.3.4", "1.2.3", "1.2.3.4.5", "256.1.1.1", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4/ 8", "::ffff:1.2.3.4/96",
  "::ffff:1.2.3.4/120", "1::/16", "ABCD:EF01::/24", "abcd:ef01::/24", "0:0:0:0:0:0:0:1", "0:0:0:0:0:0:0:0", "1:0:0:1:0:0:0:1",
  "1:0:0:0:1:0:0:1", "1:0:1:0:1:0:1:0", "0::0", "1:2:3:4:5:6:7:08", "1:2:3:4:5:6:7:00008",
];

describe("scanIpEntry agrees with parseIpEntry", () => {
  it("on a 200,000-entry realistic mix (50% IPv6 in 5 spellings, 25% CIDR, 25% IPv4)", () => {
    const mix = realisticMix(200_000, 3);
    expect(disagreements(mix)).toEqual([]);
    // the mix is what it says: all valid, no host bits, distinct canonical entries
    const parsed = mix.map((e) => parseIpEntry(e));
    expect(parsed.every((p) => p && !p.hostBitsSet)).toBe(true);
    expect(new Set(parsed.map((p) => p!.canonical)).size).toBe(mix.length);
    expect(parsed.filter((p) => p!.version === 6).length).toBeGreaterThan(0.55 * mix.length);
  });

  it("on 100,000 entries of the mix mangled at random (characters replaced, inserted, dropped; host bits set)", () => {
    const rnd = prng(42);
    const alphabet = ":./0123456789abcdefABCDEFgx%- ";
    const pick = () => alphabet[Math.floor(rnd() * alphabet.length)];
    const mangled = realisticMix(100_000, 5).map((e) => {
      const at = Math.floor(rnd() * (e.length + 1));
      switch (Math.floor(rnd() * 5)) {
        case 0: return e.slice(0, at) + pick() + e.slice(at + 1);
        case 1: return e.slice(0, at) + pick() + e.slice(at);
        case 2: return e.slice(0, at) + e.slice(at + 1);
        case 3: return `${e.split("/")[0]}/${Math.floor(rnd() * 140)}`;
        default: return e.replace(/:0?:/, "::").toUpperCase();
      }
    });
    expect(disagreements(mangled)).toEqual([]);
    const verdicts = mangled.map((e) => parseIpEntry(e));
    // the mangling reaches every branch: invalid, host bits set, valid
    expect(verdicts.filter((p) => !p).length).toBeGreaterThan(10_000);
    expect(verdicts.filter((p) => p?.hostBitsSet).length).toBeGreaterThan(5_000);
    expect(verdicts.filter((p) => p && !p.hostBitsSet).length).toBeGreaterThan(10_000);
  });

  it.each(EDGES)("on %j", (entry) => {
    expect(scanIpEntry(entry)).toEqual(parseIpEntry(entry));
  });
});

describe("canonical text is its own canonical form", () => {
  // State holds canonical entries (reads canonicalise): canonicalising them again must change nothing.
  it("for every valid entry of the mix, mangled or not, and of the edge cases", () => {
    const rnd = prng(7);
    const entries = [...EDGES, ...realisticMix(50_000, 9), ...realisticMix(20_000, 11).map((e) => e.toUpperCase().replace(/:0?:/, "::"))];
    for (const e of realisticMix(20_000, 13)) entries.push(`${e.split("/")[0]}/${Math.floor(rnd() * 130)}`);
    const canonicals = entries.map((e) => scanIpEntry(e)).filter((p) => p && !p.hostBitsSet).map((p) => p!.canonical);
    expect(canonicals.length).toBeGreaterThan(60_000);
    expect(canonicals.filter((c) => scanIpEntry(c)?.canonical !== c || scanIpEntry(c)?.hostBitsSet).slice(0, 10)).toEqual([]);
  });
});

/** Entries of every kind: the mix, its upper-case and host-bits variants, random prefixes, and the edge cases. */
function variedEntries(): string[] {
  const rnd = prng(99);
  const entries = [...EDGES, ...realisticMix(40_000, 21)];
  for (const e of realisticMix(20_000, 23)) entries.push(`${e.split("/")[0]}/${Math.floor(rnd() * 140)}`);
  for (const e of realisticMix(20_000, 25)) entries.push(e.toUpperCase().replace(/:0?:/, "::"));
  // the same addresses spelled differently must meet on one key
  for (const e of realisticMix(5_000, 21)) entries.push(scanIpEntry(e)!.canonical, e.toLowerCase());
  return entries;
}

describe("ipEntryKey agrees with scanIpEntry", () => {
  // SecurityIPGroup checks uniqueness and compares sets by these keys: equal keys must mean equal canonical text.
  it("on validity and host bits, and equal keys exactly when the canonical texts are equal", () => {
    const key = new Int32Array(KEY_WORDS);
    const textOfKey = new Map<string, string>();
    const keyOfText = new Map<string, string>();
    const wrong: string[] = [];
    let valid = 0;
    for (const entry of variedEntries()) {
      const parsed = scanIpEntry(entry);
      const found = ipEntryKey(entry, key, 0);
      const expected = !parsed ? KEY_INVALID : parsed.hostBitsSet ? KEY_HOST_BITS : KEY_VALID;
      if (found !== expected) wrong.push(`${entry}: ${found} != ${expected}`);
      if (!parsed) continue;
      valid++;
      const k = key.join(",");
      if ((textOfKey.get(k) ?? parsed.canonical) !== parsed.canonical) wrong.push(`${entry}: key ${k} also ${textOfKey.get(k)}`);
      if ((keyOfText.get(parsed.canonical) ?? k) !== k) wrong.push(`${entry}: ${parsed.canonical} has two keys`);
      textOfKey.set(k, parsed.canonical);
      keyOfText.set(parsed.canonical, k);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(valid).toBeGreaterThan(60_000);
    // IPv4 and IPv6 never share a key, whatever the numbers: 1.2.3.4 is not ::102:304
    expect(keyOfText.get("1.2.3.4")).not.toBe(keyOfText.get("::102:304"));
  });
});

describe("IpKeySet", () => {
  it("holds each entry of a list of distinct entries as its own member, found by key", () => {
    const entries = realisticMix(30_000, 31);
    const keys = new Int32Array(entries.length * KEY_WORDS);
    entries.forEach((e, i) => ipEntryKey(e, keys, i * KEY_WORDS));
    const set = new IpKeySet(keys);
    const refused = entries.map((_, i) => set.add(i)).filter((first) => first !== -1);
    expect(refused).toEqual([]);
    expect(set.size).toBe(entries.length);
    const misplaced = entries.map((_, i) => i).filter((i) => set.indexOf(keys, i * KEY_WORDS) !== i || set.add(i) !== i);
    expect(misplaced).toEqual([]);
    expect(set.size).toBe(entries.length);
    const absent = new Int32Array(KEY_WORDS);
    ipEntryKey("203.0.113.7", absent, 0);
    expect(set.indexOf(absent)).toBe(-1);
  });

  it("refuses a second spelling of a member, naming the first, and never answers with a refused entry", () => {
    const entries = ["2001:db8::1", "10.0.0.0/8", "2001:DB8:0:0:0:0:0:1", "10.0.0.0/08", "192.0.2.1"];
    const keys = new Int32Array(entries.length * KEY_WORDS);
    entries.forEach((e, i) => ipEntryKey(e, keys, i * KEY_WORDS));
    const set = new IpKeySet(keys);
    expect(entries.map((_, i) => set.add(i))).toEqual([-1, -1, 0, 1, -1]);
    expect(set.size).toBe(3);
    // looked up with the refused entry's position as the guess, the member is still the first spelling
    expect(set.indexOf(keys, 2 * KEY_WORDS, 2)).toBe(0);
    expect(set.indexOf(keys, 3 * KEY_WORDS, 3)).toBe(1);
    expect(set.indexOf(keys, 4 * KEY_WORDS, 0)).toBe(4);
  });
});
