/** Tencent Cloud Organization (CIC) 2021-03-31: user groups. See ./models for the rules. */
import type { EmulatorSettings, Env, TencentService } from "../core/contract";
import { CicBackend } from "./models";
import { createCicActions } from "./responses";

export const CIC_SERVICE = "organization";
export const CIC_VERSION = "2021-03-31";

export function createCicService(env: Env, settings: EmulatorSettings): TencentService {
  const backend = new CicBackend(env, settings);
  return { service: CIC_SERVICE, version: CIC_VERSION, backend, actions: createCicActions(backend) };
}

export { CicBackend } from "./models";
export type { CicGroup, CicZone } from "./models";
