/** Structural equality of JSON-shaped values (state, normalised inputs). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && !Array.isArray(b)) {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return ka.length === kb.length &&
      ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/**
 * Make a value safe to hand to the engine: no `undefined` (it throws "Unexpected struct type"), no Date (it
 * would become `{}`), no NaN, no Buffer or bigint. A copy without a JSON round trip: arrays of plain strings
 * (IP groups hold 100,000) are copied in one slice.
 */
export function toEngineValue<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "string")) return value.slice();
    return value.map((v) => (v === undefined ? null : clean(v)));
  }
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as object)) if (v !== undefined && typeof v !== "function") out[k] = clean(v);
    return out;
  }
  return value === undefined ? undefined : String(value);
}
