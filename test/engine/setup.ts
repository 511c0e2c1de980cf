/**
 * One emulator and one engine (a kept provider process, restarted when killed) per engine-rule suite. Faults are
 * injected in the emulator with codes that are never retried, so a step fails at once and the rule under test,
 * not the retry policy, decides what happens next.
 */
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { Engine, type EngineOptions, type OperationResult } from "../../engine/engine";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface EngineRig {
  emulator: RunningEmulator;
  engine: Engine;
  /** live resources the emulator holds, by kind */
  live(): Promise<{ origin: any[]; ipGroup: any[]; user: any[]; endpoint: any[] }>;
  close(): Promise<void>;
}

export async function startRig(opts: Partial<EngineOptions> = {}, gaPendingMs = 20): Promise<EngineRig> {
  const emulator = await startEmulator({ quiet: true, credentialEnv: {}, settings: { gaPendingMs } });
  const engine = new Engine({
    dir: ROOT,
    emulatorUrl: emulator.url,
    config: emulator.stackConfig,
    secretKeys: emulator.stackSecretKeys,
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TENCENTCLOUD|HW)_/.test(k))),
    keepProvider: true,
    ...opts,
  });
  const admin = (service: string, op: string) => (emulator.services as any)[service].backend.admin(op, {}) as Promise<any[]>;
  return {
    emulator,
    engine,
    live: async () => {
      const [origin, ipGroup, user, endpoint] = await Promise.all([
        admin("teo", "listOriginGroups"), admin("teo", "listSecurityIPGroups"), admin("organization", "listGroups"), admin("ga", "listEndpointGroups"),
      ]);
      return {
        origin, ipGroup,
        user: user.map((g: any) => ({ id: g.GroupId ?? g.groupId, name: g.GroupName ?? g.groupName, description: g.Description ?? g.description ?? "" })),
        endpoint: endpoint.filter((g: any) => g.status !== "DELETING"),
      };
    },
    close: async () => {
      await engine.close();
      await emulator.close();
    },
  };
}

export const opsOf = (r: OperationResult) => r.steps.map((s) => `${s.op} ${s.name}`).sort();
export const writesOf = (r: OperationResult) => r.calls.filter((c) => /^(Create|Modify|Update|Delete)/.test(c.action)).map((c) => c.action);
export const nameOf = (urn: string) => urn.split("::").pop();
