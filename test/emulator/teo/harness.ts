/** A teo service on a fixed clock and counter ids, called directly with wire-format params. */
import { DEFAULT_SETTINGS, TencentError, type EmulatorSettings, type Env } from "../../../emulator/core/contract";
import { createTeoService } from "../../../emulator/teo";

export const ACCOUNT = "AKIDTEOTEST";
/** 2024-01-01T04:12:12Z: the official examples' 2026 expiry times are in the future */
export const START = Date.UTC(2024, 0, 1, 4, 12, 12);

export interface FixedEnv extends Env { advance(ms: number): void }

export function fixedEnv(start = START): FixedEnv {
  let now = start;
  let n = 0;
  return {
    now: () => now,
    advance: (ms) => { now += ms; },
    uuid: () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, "0")}`,
    alnum: (len) => (++n).toString(36).padStart(len, "0").slice(-len),
  };
}

export type Params = Record<string, any>;

export function teo(settings: Partial<EmulatorSettings> = {}) {
  const env = fixedEnv();
  const live: EmulatorSettings = { ...DEFAULT_SETTINGS, ...settings };
  const service = createTeoService(env, live);
  const call = (action: string, params: Params, account = ACCOUNT): Params => {
    const handler = service.actions[action];
    if (!handler) throw new Error(`no action ${action}`);
    // a JSON round trip, as the wire would do
    return JSON.parse(JSON.stringify(handler(JSON.parse(JSON.stringify(params)), { account, requestId: "req-1" })));
  };
  /** the wire error of a call, or "OK" */
  const codeOf = (action: string, params: Params, account = ACCOUNT): string => errorOf(() => call(action, params, account));
  const admin = (op: string, args: Params = {}) => service.backend.admin(op, args) as any;
  return { env, settings: live, service, call, codeOf, admin };
}

export function errorOf(fn: () => unknown): string {
  try {
    fn();
    return "OK";
  } catch (e) {
    if (e instanceof TencentError) return e.code;
    throw e;
  }
}

export function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof TencentError) return e.message;
    throw e;
  }
  throw new Error("expected an error");
}

/** structuredClone + a mutation: builds one violating request from a valid one */
export function variant(base: Params, mutate: (p: Params) => void): Params {
  const p = structuredClone(base);
  mutate(p);
  return p;
}
