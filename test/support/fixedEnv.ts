import type { Env } from "../../emulator/core/contract";

/** A deterministic Env: the clock only moves when told, ids come from a counter. */
export interface FixedEnv extends Env {
  advance(ms: number): void;
  set(ms: number): void;
}

export function fixedEnv(start = Date.UTC(2024, 0, 1, 4, 12, 12)): FixedEnv {
  let now = start;
  let n = 0;
  return {
    now: () => now,
    advance: (ms) => { now += ms; },
    set: (ms) => { now = ms; },
    uuid: () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, "0")}`,
    alnum: (len) => (++n).toString(36).padStart(len, "0").slice(-len),
  };
}
