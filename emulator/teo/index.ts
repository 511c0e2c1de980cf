// PLACEHOLDER: replaced by the teo module (emulator/teo/{models,responses,exceptions}.ts).
import type { EmulatorSettings, Env, TencentService } from "../core/contract";
export function createTeoService(_env: Env, _settings: EmulatorSettings): TencentService {
  const backend = { snapshot: () => ({}), restore() {}, reset() {}, resourceCount: () => 0, admin: () => { throw new Error("not implemented"); } };
  return { service: "teo", version: "2022-09-01", backend, actions: {} };
}
