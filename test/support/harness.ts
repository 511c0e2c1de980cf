/**
 * An emulator on loopback plus the provider runtime configured to call it, the way the dynamic-provider
 * process configures it: stack config through `configure`. Tests call the runtime's methods directly
 * (check/diff/create/read/update/remove) over real HTTP; the engine suites go through Pulumi's process instead.
 */
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from "../../emulator";
import { EmulatorAdmin } from "../../emulator/admin";
import * as runtime from "../../provider/runtime";

export interface Harness {
  emulator: RunningEmulator;
  admin: EmulatorAdmin;
  rt: typeof runtime;
  /** the stack config handed to configure (credentials are the emulator's) */
  config: Record<string, string>;
  /** API calls the emulator logged since the last `resetCalls()` */
  calls(): ReturnType<RunningEmulator["calls"]>;
  resetCalls(): void;
  close(): Promise<void>;
}

export async function startHarness(opts: StartEmulatorOptions = {}): Promise<Harness> {
  const emulator = await startEmulator({ quiet: true, credentialEnv: {}, ...opts });
  const config = emulator.stackConfig;
  await runtime.configure({ config: { get: (k: string) => config[k] } });
  return {
    emulator,
    admin: new EmulatorAdmin(emulator.url),
    rt: runtime,
    config,
    calls: () => emulator.calls(),
    resetCalls: () => emulator.clearCalls(),
    close: () => emulator.close(),
  };
}

/** Mutating calls only (what a no-op must never make). */
export const writes = (calls: { action: string }[]) => calls.filter((c) => !/^(Describe|Get|List|Show)/.test(c.action));
