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
 * Make a value safe to hand to the engine: no `undefined` (it throws "Unexpected struct type"), no Date,
 * no NaN. A JSON round trip does all three.
 */
export function toEngineValue<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
