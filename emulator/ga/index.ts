// PLACEHOLDER: replaced by the GA module (emulator/ga/{models,responses,exceptions}.ts).
import type { EmulatorSettings, Env, HuaweiService } from "../core/contract";
export function createGaService(_env: Env, _settings: EmulatorSettings): HuaweiService {
  const backend = { snapshot: () => ({}), restore() {}, reset() {}, resourceCount: () => 0, admin: () => { throw new Error("not implemented"); } };
  return { service: "ga", backend, handle: () => undefined, actionOf: () => undefined };
}
