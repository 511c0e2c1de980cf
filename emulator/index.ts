/**
 * `pulumi-edgeconf/emulator`: a local emulator of the four APIs (EdgeOne teo, CIC organization, Huawei GA)
 * on one loopback HTTP port. See emulator/README.md.
 */
import { createCicService } from "./cic";
import type { EmulatorSettings, Env, HuaweiService, TencentService } from "./core/contract";
import { DEFAULT_SETTINGS } from "./core/contract";
import { validateSettingsPatch } from "./core/controlPlane";
import { describeCredentials, resolveCredentials, type CredentialOptions, type EmulatorCredentials } from "./core/credentials";
import { SEED } from "./core/defaults";
import { createEnv } from "./core/env";
import type { Fault, FaultSpec } from "./core/faults";
import { loadStateFile, StatePersister, writeStateFileAtomically } from "./core/persistence";
import { createEmulatorServer, type CallRecord } from "./core/server";
import { createGaService } from "./ga";
import { createTeoService } from "./teo";

export { createEmulatorServer } from "./core/server";
export type { CallRecord, EmulatorServer, EmulatorServerOptions } from "./core/server";
export { DEFAULT_SETTINGS, TencentError, HuaweiError } from "./core/contract";
export type {
  Backend,
  EmulatorSettings,
  Env,
  HuaweiRequest,
  HuaweiResponse,
  HuaweiService,
  TencentCallContext,
  TencentService,
} from "./core/contract";
export { SEED, DEFAULT_CREDENTIALS } from "./core/defaults";
export { resolveCredentials } from "./core/credentials";
export type { CredentialOptions, EmulatorCredentials } from "./core/credentials";
export { FAULT_KINDS } from "./core/faults";
export type { Fault, FaultKind, FaultSpec } from "./core/faults";
export { EmulatorAdmin } from "./admin";

export interface StartEmulatorOptions {
  /** default 0 (any free port) */
  port?: number;
  /** loopback only */
  host?: "127.0.0.1";
  /** load at start when present; persist after every change and on close (atomic write + rename) */
  stateFile?: string;
  settings?: Partial<EmulatorSettings>;
  /** overrides the environment (TENCENTCLOUD_*, HW_*) and DEFAULT_CREDENTIALS, value by value */
  credentials?: CredentialOptions;
  /** where credentials are read from; default `process.env`. Pass `{}` to use only options and defaults. */
  credentialEnv?: NodeJS.ProcessEnv;
  env?: Partial<Env>;
  /** seed of the fault-probability RNG */
  seed?: number;
  /** keep request bodies in the call log */
  logBodies?: boolean;
  /** no start banner */
  quiet?: boolean;
  /** where the banner goes; default stderr */
  out?: (line: string) => void;
  /**
   * Replaces the real service modules (tests of the core use small fakes).
   * @internal
   */
  services?: (env: Env, settings: EmulatorSettings) => RunningEmulator["services"];
}

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  close(): Promise<void>;
  /** the live settings object (changes apply at once) */
  settings: EmulatorSettings;
  services: { teo: TencentService; organization: TencentService; ga: HuaweiService };
  calls(): CallRecord[];
  clearCalls(): void;
  /** returns the fault id */
  inject(fault: FaultSpec): string;
  faults(): Fault[];
  clearFaults(): void;
  /** every backend reset (defaults re-seeded), faults, calls and rate counters cleared */
  reset(): void;
  /** the accepted credentials (in-process only; never printed or served by the control plane) */
  credentials: EmulatorCredentials;
  /** the start banner lines (no non-default secret in them) */
  banner: string[];
  /**
   * Pulumi stack config that points pulumi-edgeconf at this emulator with its credentials
   * (`edgeconf:endpoint`, `tencentcloud:*`, `huaweicloud:*`); `stackSecretKeys` are the ones to set `--secret`.
   */
  stackConfig: Record<string, string>;
  stackSecretKeys: string[];
}

/** The provider's config keys (README "Configuration") for an emulator at `url`. */
function stackConfigFor(url: string, c: EmulatorCredentials): Record<string, string> {
  return {
    "edgeconf:endpoint": url,
    "tencentcloud:secretId": c.tencentSecretId,
    "tencentcloud:secretKey": c.tencentSecretKey,
    "huaweicloud:accessKey": c.huaweiAccessKey,
    "huaweicloud:secretKey": c.huaweiSecretKey,
    "huaweicloud:projectId": c.huaweiProjectId,
  };
}

export const listeningLine = (url: string): string => `edgeconf emulator listening on ${url}`;

export async function startEmulator(opts: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const host = opts.host ?? "127.0.0.1";
  if (host !== "127.0.0.1") throw new Error("the emulator binds 127.0.0.1 only");
  const resolved = resolveCredentials(opts.credentials, opts.credentialEnv ?? process.env);
  const saved = opts.stateFile ? loadStateFile(opts.stateFile) : undefined;
  if (saved?.settings !== undefined) {
    const problem = validateSettingsPatch(saved.settings);
    if (problem) throw new Error(`emulator state file ${opts.stateFile}: ${problem}`);
  }
  if (opts.settings !== undefined) {
    const problem = validateSettingsPatch(opts.settings);
    if (problem) throw new Error(`emulator settings: ${problem}`);
  }
  // precedence: defaults < saved file < explicit options (a CLI flag beats what the file remembers)
  const settings: EmulatorSettings = { ...DEFAULT_SETTINGS, ...saved?.settings, ...opts.settings };
  const env = createEnv(opts.env);
  const out = opts.out ?? ((line: string) => process.stderr.write(line + "\n"));

  const { teo, organization, ga } = opts.services
    ? opts.services(env, settings)
    : { teo: createTeoService(env, settings), organization: createCicService(env, settings), ga: createGaService(env, settings) };

  let persister: StatePersister | undefined;
  const core = createEmulatorServer({
    tencent: [teo, organization],
    huawei: [ga],
    settings,
    credentials: resolved.credentials,
    env,
    seed: opts.seed,
    logBodies: opts.logBodies,
    onChange: () => persister?.schedule(),
  });
  if (saved) core.restore({ settings, services: saved.services });
  if (opts.stateFile) {
    const file = opts.stateFile;
    // Refused at start: running on without persistence would lose the state the user asked to keep.
    await writeStateFileAtomically(file, core.toStateFile()).catch((e: NodeJS.ErrnoException) => {
      throw new Error(`emulator: cannot write state file ${file}: ${e.code ?? e.message}`);
    });
    persister = new StatePersister(file, () => core.toStateFile(), (e) => out(`emulator: cannot write state file ${file}: ${e.message}`));
  }

  const port = await core.listen(opts.port ?? 0, host);
  const url = `http://${host}:${port}`;
  const banner = [
    listeningLine(url),
    `seed: teo ZoneId ${SEED.teoZoneId} (${SEED.teoZoneName}), CIC ZoneId ${SEED.cicZoneId}, ` +
      `GA accelerator ${SEED.gaAcceleratorId} listener ${SEED.gaListenerId}`,
    ...describeCredentials(resolved),
    ...(opts.stateFile ? [`state file: ${opts.stateFile}${saved ? " (loaded)" : " (new)"}`] : []),
    `point the provider at it: EDGECONF_ENDPOINT=${url}`,
  ];
  if (!opts.quiet) for (const line of banner) out(line);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close: () =>
      (closing ??= (async () => {
        await core.close();
        await persister?.flush(true);
      })()),
    settings,
    services: { teo, organization, ga },
    calls: core.calls,
    clearCalls: core.clearCalls,
    inject: core.inject,
    faults: core.faults,
    clearFaults: core.clearFaults,
    reset: core.reset,
    credentials: resolved.credentials,
    banner,
    stackConfig: stackConfigFor(url, resolved.credentials),
    stackSecretKeys: ["tencentcloud:secretKey", "huaweicloud:secretKey"],
  };
}
