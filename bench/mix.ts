/**
 * A realistic security-IP-group content list: 50% IPv6 addresses in five spellings (RFC 5952, upper case,
 * fully expanded with leading zeros, uncompressed, IPv4-embedded), 25% CIDR ranges (two thirds IPv4 /16-/30,
 * one third IPv6 /32-/64, all without host bits), 25% plain IPv4 addresses. Every entry is a distinct address
 * or range; `run` makes the strings differ between runs so memoised parses start cold. Seeded: same input,
 * same list.
 */
import { createRng } from "../emulator/core/env";

export const MIX_DESCRIPTION = "50% IPv6 in 5 spellings, 25% CIDR (⅔ v4, ⅓ v6), 25% IPv4";

const hex = (n: number) => n.toString(16);

/** The eight groups of an address unique to (run, i), with a zero run somewhere so `::` has work to do. */
function v6Groups(run: number, i: number, rnd: () => number): number[] {
  const g = [0x2001, 0x0db8 + (run & 0xff), (i >>> 16) & 0xffff, i & 0xffff, Math.floor(rnd() * 0x10000), 0, 0, Math.floor(rnd() * 0xffff) + 1];
  if (rnd() < 0.5) { g[4] = 0; } // longer zero run
  return g;
}

function compressed(g: number[]): string {
  let best = -1, len = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > len) { best = i; len = j - i; }
    i = j;
  }
  const h = g.map(hex);
  return best < 0 ? h.join(":") : `${h.slice(0, best).join(":")}::${h.slice(best + len).join(":")}`;
}

function v6Spelling(g: number[], kind: number): string {
  switch (kind) {
    case 0: return compressed(g);
    case 1: return compressed(g).toUpperCase();
    case 2: return g.map((x) => hex(x).padStart(4, "0")).join(":");
    case 3: return g.map(hex).join(":");
    default: // IPv4-embedded: the last two groups written as a dotted quad
      return `${g.slice(0, 6).map(hex).join(":")}:${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`;
  }
}

export function realisticMix(size: number, run = 1): string[] {
  const rnd = createRng(run * 7919 + size);
  const out: string[] = new Array(size);
  for (let i = 0; i < size; i++) {
    const slot = i % 4;
    if (slot === 0 || slot === 1) {
      out[i] = v6Spelling(v6Groups(run, i, rnd), Math.floor(rnd() * 5));
    } else if (slot === 2) {
      if (rnd() < 2 / 3) {
        // /18../30; the network's top bit set and (i, run) below it: distinct for up to 131,072 ranges per prefix
        const prefix = 18 + Math.floor(rnd() * 13);
        const k = (1 << (prefix - 1)) + ((((i >> 2) + run * 4099) % (1 << (prefix - 1))));
        const net = (k * 2 ** (32 - prefix)) >>> 0;
        out[i] = `${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.${net & 255}/${prefix}`;
      } else {
        const prefix = [48, 56, 64][Math.floor(rnd() * 3)]; // groups 1-2 carry i: distinct
        const g = [0x2a00 + (run & 0xff), (i >>> 16) & 0xffff, i & 0xffff, prefix === 48 ? 0 : prefix === 56 ? Math.floor(rnd() * 256) << 8 : Math.floor(rnd() * 0x10000), 0, 0, 0, 0];
        out[i] = `${compressed(g)}/${prefix}`;
      }
    } else {
      out[i] = `${11 + (run % 80)}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
    }
  }
  return out;
}
