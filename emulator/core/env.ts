import { randomBytes, randomUUID } from "node:crypto";
import type { Env } from "./contract";

const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

/** The real clock and id source; tests override any member (`startEmulator({ env: { now } })`). */
export function createEnv(overrides: Partial<Env> = {}): Env {
  return {
    now: () => Date.now(),
    uuid: () => randomUUID(),
    alnum: (n: number) => {
      let out = "";
      // rejection sampling keeps the distribution uniform over 36 symbols
      while (out.length < n) {
        for (const b of randomBytes(n * 2)) {
          if (b < 252 && out.length < n) out += ALNUM[b % 36];
        }
      }
      return out;
    },
    ...overrides,
  };
}

/**
 * Small seeded PRNG (mulberry32) for fault probabilities, so `startEmulator({ seed })` makes a flaky-network
 * scenario reproducible. Without a seed, a random one is drawn.
 */
export function createRng(seed?: number): () => number {
  let a = (seed ?? randomBytes(4).readUInt32LE(0)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
