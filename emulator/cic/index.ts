// PLACEHOLDER: replaced by the CIC module (emulator/cic/{models,responses,exceptions}.ts).
import type { EmulatorSettings, Env, TencentService } from "../core/contract";
export function createCicService(_env: Env, _settings: EmulatorSettings): TencentService {
  const backend = { snapshot: () => ({}), restore() {}, reset() {}, resourceCount: () => 0, admin: () => { throw new Error("not implemented"); } };
  return { service: "organization", version: "2021-03-31", backend, actions: {} };
}
