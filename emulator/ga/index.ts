/** Huawei Cloud Global Accelerator v1: endpoint groups. See ./models for the rules. */
import type { EmulatorSettings, Env, HuaweiService } from "../core/contract";
import { GaBackend } from "./models";
import { createGaHandler, routeOf } from "./responses";

export const GA_SERVICE = "ga";

export function createGaService(env: Env, settings: EmulatorSettings): HuaweiService {
  const backend = new GaBackend(env, settings);
  return {
    service: GA_SERVICE,
    backend,
    handle: createGaHandler(backend),
    actionOf: (method, path) => routeOf(method, path)?.action,
  };
}

export { GaBackend } from "./models";
export type { EndpointGroup, FrozenInfo } from "./models";
