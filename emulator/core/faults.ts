/**
 * Fault injection for the API routes. Faults are checked after authentication (and the rate limit) succeed,
 * so an injected failure always looks like the service failing, never like a client mistake.
 */
/**
 * `error`/`http`/`drop-before` strike before the handler, `latency` delays it; `drop-after`, `malformed` (the answer's
 * body cut to invalid JSON, length consistent) and `truncated` (the full length announced, half sent, connection
 * closed) strike after the handler applied the call.
 */
export const FAULT_KINDS = ["error", "http", "latency", "drop-before", "drop-after", "malformed", "truncated"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  /** service name (`teo`, `organization`, `ga`); omitted = any */
  service?: string;
  /** action name, or `*` for every action */
  action: string;
  kind: FaultKind;
  /** API error code (kind `error`); default `InternalError` (Tencent) / `GA.9201` (Huawei) */
  code?: string;
  message?: string;
  /** HTTP status: kind `http` (default 503); kind `error` on Huawei (default 500) */
  status?: number;
  /** kind `latency` */
  latencyMs?: number;
  /** kinds `error` and `http`: a `Retry-After` header, in seconds */
  retryAfter?: number;
  /** fires for the next N matching calls (default 1 when neither count nor probability is given) */
  count?: number;
  /** each matching call fires with this chance (seeded RNG); with `count`, at most `count` times */
  probability?: number;
}

export interface Fault extends FaultSpec {
  id: string;
  /** how many times it has fired */
  fired: number;
}

/** Returns an error message for an invalid spec, else undefined. */
export function validateFaultSpec(spec: unknown): string | undefined {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) return "fault must be a JSON object";
  const s = spec as Record<string, unknown>;
  const known = ["service", "action", "kind", "code", "message", "status", "latencyMs", "retryAfter", "count", "probability"];
  const unknownKey = Object.keys(s).find((k) => !known.includes(k));
  if (unknownKey) return `unknown fault field ${unknownKey}`;
  if (typeof s.action !== "string" || s.action === "") return "action must be a non-empty string (or \"*\")";
  if (!FAULT_KINDS.includes(s.kind as FaultKind)) return `kind must be one of ${FAULT_KINDS.join(", ")}`;
  if (s.service !== undefined && typeof s.service !== "string") return "service must be a string";
  for (const k of ["code", "message"]) if (s[k] !== undefined && typeof s[k] !== "string") return `${k} must be a string`;
  if (s.status !== undefined && !(Number.isInteger(s.status) && (s.status as number) >= 100 && (s.status as number) <= 599))
    return "status must be an HTTP status code";
  if (s.latencyMs !== undefined && !(typeof s.latencyMs === "number" && s.latencyMs >= 0)) return "latencyMs must be >= 0";
  if (s.kind === "latency" && s.latencyMs === undefined) return "latency faults need latencyMs";
  if (s.retryAfter !== undefined && !(Number.isInteger(s.retryAfter) && (s.retryAfter as number) >= 0)) return "retryAfter must be an integer >= 0 (seconds)";
  if (s.retryAfter !== undefined && s.kind !== "error" && s.kind !== "http") return "retryAfter applies to error and http faults";
  if (s.count !== undefined && !(Number.isInteger(s.count) && (s.count as number) >= 1)) return "count must be an integer >= 1";
  if (s.probability !== undefined && !(typeof s.probability === "number" && s.probability >= 0 && s.probability <= 1))
    return "probability must be between 0 and 1";
  return undefined;
}

export class FaultRegistry {
  private faults: Fault[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number) {}

  /** @throws Error on an invalid spec */
  add(spec: FaultSpec): string {
    const problem = validateFaultSpec(spec);
    if (problem) throw new Error(problem);
    const id = `fault-${this.nextId++}`;
    const count = spec.count ?? (spec.probability === undefined ? 1 : undefined);
    this.faults.push({ ...spec, ...(count !== undefined ? { count } : {}), id, fired: 0 });
    return id;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }

  /** The first matching fault that fires for this call (consuming one of its `count`), or undefined. */
  take(service: string, action: string): Fault | undefined {
    for (const f of this.faults) {
      if (f.service !== undefined && f.service !== service) continue;
      if (f.action !== "*" && f.action !== action) continue;
      if (f.probability !== undefined && !(this.random() < f.probability)) continue;
      f.fired += 1;
      if (f.count !== undefined && f.fired >= f.count) this.faults = this.faults.filter((x) => x !== f);
      return { ...f };
    }
    return undefined;
  }
}
