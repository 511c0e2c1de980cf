/**
 * EdgeOne (teo 2022-09-01) emulator module: origin groups and security IP groups.
 * models.ts holds state and rules, responses.ts the wire format, exceptions.ts the error codes,
 * admin.ts the control-plane operations. See emulator/README.md (### teo) for the choices made
 * where the API documentation is unclear.
 */
import type { Backend, EmulatorSettings, Env, TencentService } from "../core/contract";
import { runTeoAdmin } from "./admin";
import { TeoBackend } from "./models";
import { createActions } from "./responses";

export { TeoBackend } from "./models";
export { TEO_ADMIN_OPS } from "./admin";

export function createTeoService(env: Env, settings: EmulatorSettings): TencentService {
  const models = new TeoBackend(env, settings);
  const backend: Backend & { models: TeoBackend } = {
    models,
    snapshot: () => models.snapshot(),
    restore: (data) => models.restore(data),
    reset: () => models.reset(),
    resourceCount: () => models.resourceCount(),
    admin: (op, args) => runTeoAdmin(models, op, args),
  };
  return { service: "teo", version: "2022-09-01", backend, actions: createActions(models) };
}
