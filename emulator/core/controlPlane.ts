/**
 * `/_emulator/*`: JSON in, JSON out, no auth, loopback callers only; never mixed with API routes.
 * Routes are documented in emulator/README.md ("Control plane").
 */
import type { EmulatorSettings } from "./contract";
import { DEFAULT_SETTINGS, VARIANT_CHOICES } from "./contract";
import type { Fault, FaultSpec } from "./faults";
import type { CallRecord } from "./server";

export interface EmulatorControl {
  settings: EmulatorSettings;
  state(): { settings: EmulatorSettings; services: Record<string, unknown> };
  counts(): Record<string, number>;
  reset(): void;
  updateSettings(patch: Partial<EmulatorSettings>): EmulatorSettings;
  admin(service: string, op: string, args: Record<string, unknown>): unknown;
  hasService(service: string): boolean;
  inject(spec: FaultSpec): string;
  faults(): Fault[];
  clearFaults(): void;
  calls(): CallRecord[];
  clearCalls(): void;
}

export interface ControlAnswer {
  status: number;
  body: unknown;
}

const ok = (body: unknown): ControlAnswer => ({ status: 200, body });
const bad = (status: number, error: string): ControlAnswer => ({ status, body: { error } });

/**
 * Returns an error message when `patch` is not a partial EmulatorSettings: numbers >= 0, and each variant one of
 * its named choices.
 */
export function validateSettingsPatch(patch: unknown): string | undefined {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return "settings must be a JSON object";
  for (const [k, v] of Object.entries(patch)) {
    if (!Object.hasOwn(DEFAULT_SETTINGS, k)) return `unknown setting ${k}`;
    const choices = (VARIANT_CHOICES as Record<string, readonly string[]>)[k];
    if (choices) {
      if (!choices.includes(v as string)) return `setting ${k} must be one of ${choices.join(", ")}`;
    } else if (typeof v !== "number" || !Number.isFinite(v) || v < 0) return `setting ${k} must be a number >= 0`;
  }
  return undefined;
}

export function handleControl(ctl: EmulatorControl, method: string, path: string, body: unknown): ControlAnswer {
  const route = path.slice("/_emulator/".length).replace(/\/+$/, "");
  const key = `${method} ${route}`;
  switch (key) {
    case "GET health":
      return ok({ ok: true });
    case "GET state":
      return ok(ctl.state());
    case "GET counts":
      return ok(ctl.counts());
    case "POST reset":
      ctl.reset();
      return ok({ ok: true });
    case "GET settings":
      return ok(ctl.settings);
    case "POST settings": {
      const problem = validateSettingsPatch(body);
      if (problem) return bad(400, problem);
      return ok(ctl.updateSettings(body as Partial<EmulatorSettings>));
    }
    case "GET faults":
      return ok(ctl.faults());
    case "POST faults":
      try {
        return ok({ id: ctl.inject(body as FaultSpec) });
      } catch (e) {
        return bad(400, (e as Error).message);
      }
    case "DELETE faults":
      ctl.clearFaults();
      return ok({ ok: true });
    case "GET calls":
      return ok(ctl.calls());
    case "DELETE calls":
      ctl.clearCalls();
      return ok({ ok: true });
  }
  const admin = /^admin\/([a-z0-9-]+)$/.exec(route);
  if (admin && method === "POST") {
    const service = admin[1];
    if (!ctl.hasService(service)) return bad(404, `unknown service ${service}`);
    const b = body as { op?: unknown; args?: unknown } | undefined;
    if (typeof b !== "object" || b === null || typeof b.op !== "string") return bad(400, "body must be {op: string, args?: object}");
    if (b.args !== undefined && (typeof b.args !== "object" || b.args === null || Array.isArray(b.args))) {
      return bad(400, "args must be a JSON object");
    }
    try {
      return ok({ result: ctl.admin(service, b.op, (b.args ?? {}) as Record<string, unknown>) ?? null });
    } catch (e) {
      return bad(400, (e as Error).message);
    }
  }
  const known = ["health", "state", "counts", "reset", "settings", "faults", "calls"];
  if (known.includes(route) || admin) return bad(405, `method ${method} not allowed on /_emulator/${route}`);
  return bad(404, `unknown control-plane route /_emulator/${route}`);
}
