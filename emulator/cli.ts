#!/usr/bin/env node
/**
 * `edgeconf-emulator [--port N] [--state FILE] [--seed N] [--quiet] [--<setting> VALUE]...` (USAGE below).
 * Every setting (emulator/core/contract.ts `DEFAULT_SETTINGS`) is a flag named after it in kebab case:
 * `--rate-limit 20`, `--ga-pending-ms 0`, `--secrets-on-read masked`, `--empty-description ignored`...
 * The first line printed is always `edgeconf emulator listening on http://127.0.0.1:PORT` (scripts parse it).
 */
import { DEFAULT_SETTINGS, SETTING_HELP, VARIANT_CHOICES, type EmulatorSettings } from "./core/contract";
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from "./index";
import { packageVersion } from "../provider/packageVersion";

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const CHOICES = VARIANT_CHOICES as Record<string, readonly string[]>;
/** `--rate-limit` → `rateLimit`, for every setting. */
const SETTING_FLAGS = new Map(Object.keys(DEFAULT_SETTINGS).map((k) => [`--${kebab(k)}`, k as keyof EmulatorSettings]));

/** Where the emulator's behaviour, and every documented ambiguity a setting switches, is written down. */
const EMULATOR_DOCS = "https://github.com/edgeconf/pulumi-edgeconf/blob/main/emulator/README.md";

const settingLines = [...SETTING_FLAGS].map(([flag, key]) => {
  const value = CHOICES[key] ? CHOICES[key].join("|") : "N";
  return `  ${flag} ${value}\n      ${SETTING_HELP[key]} (default ${DEFAULT_SETTINGS[key]})`;
});

export const USAGE = `usage: edgeconf-emulator [options] [--<setting> VALUE]...

Serves the Tencent Cloud EdgeOne, Organization (CIC) and Huawei Cloud Global Accelerator APIs that pulumi-edgeconf
uses, on 127.0.0.1, from memory. Point the provider at it with EDGECONF_ENDPOINT=<the URL it prints>; the lines after
the first give the credentials it accepts and the ids it seeded. The first line is always
"edgeconf emulator listening on http://127.0.0.1:PORT" (scripts may read it). Stop it with Ctrl-C or SIGTERM.

options:
  --port N          port to listen on (default: a free one)
  --state FILE      keep the state in FILE: read at start, written after every change (refused at start, exit 2,
                    when FILE cannot be written)
  --seed N          seed of the random faults set through the control API /_emulator/ (default: random)
  --quiet           print only the listening line
  -v, --version     the version of pulumi-edgeconf
  -h, --help        this help

settings: the limits and the behaviours the API documents ambiguously, explained in
${EMULATOR_DOCS}
${settingLines.join("\n")}`;

export interface CliOptions {
  port?: number;
  stateFile?: string;
  settings: Partial<EmulatorSettings>;
  seed?: number;
  quiet: boolean;
  help: boolean;
  version: boolean;
}

/** @throws Error with the usage text on a bad argument */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = { settings: {}, quiet: false, help: false, version: false };
  const int = (flag: string, v: string | undefined, max = Number.MAX_SAFE_INTEGER): number => {
    if (v === undefined || !/^\d+$/.test(v) || Number(v) > max) throw new Error(`${flag} needs an integer between 0 and ${max}\n${USAGE}`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value: string | undefined;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq !== -1) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const next = () => value ?? argv[++i];
    switch (arg) {
      case "--port":
        o.port = int(arg, next(), 65535);
        break;
      case "--state": {
        const f = next();
        if (!f) throw new Error(`--state needs a file name\n${USAGE}`);
        o.stateFile = f;
        break;
      }
      case "--seed":
        o.seed = int(arg, next(), 2 ** 32 - 1);
        break;
      case "--quiet":
        o.quiet = true;
        break;
      case "-h":
      case "--help":
        o.help = true;
        break;
      case "-v":
      case "--version":
        o.version = true;
        break;
      default: {
        const key = SETTING_FLAGS.get(arg);
        if (!key) throw new Error(`unknown argument ${arg}\n${USAGE}`);
        const v = next();
        const choices = CHOICES[key];
        if (!choices) (o.settings as Record<string, unknown>)[key] = int(arg, v);
        else if (v !== undefined && choices.includes(v)) (o.settings as Record<string, unknown>)[key] = v;
        else throw new Error(`${arg} needs one of ${choices.join(", ")}\n${USAGE}`);
      }
    }
  }
  return o;
}

/**
 * Starts the emulator as the CLI does, printing through `out`. With --quiet only the listening line is printed.
 * Returns undefined for --help and --version. Signal handling is the caller's (see main below), so tests can call this in-process.
 */
export async function runCli(
  argv: readonly string[],
  out: (line: string) => void,
  extra: Pick<StartEmulatorOptions, "credentialEnv" | "env"> = {},
): Promise<RunningEmulator | undefined> {
  const o = parseCliArgs(argv);
  if (o.help || o.version) {
    out(o.help ? USAGE : packageVersion());
    return undefined;
  }
  const emu = await startEmulator({
    port: o.port,
    stateFile: o.stateFile,
    settings: o.settings,
    seed: o.seed,
    quiet: true,
    ...extra,
  });
  for (const line of o.quiet ? emu.banner.slice(0, 1) : emu.banner) out(line);
  return emu;
}

async function main(): Promise<void> {
  // Handlers go in before the listening line is printed: a supervisor may signal as soon as it reads it.
  let running: Promise<RunningEmulator | undefined> = Promise.resolve(undefined);
  const stop = (signal: string) => {
    process.stderr.write(`edgeconf emulator: ${signal}, closing\n`);
    running
      .then((emu) => emu?.close())
      .then(
        () => process.exit(0),
        (e) => {
          process.stderr.write(`edgeconf emulator: close failed: ${(e as Error).message}\n`);
          process.exit(1);
        },
      );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  running = runCli(process.argv.slice(2), (line) => process.stdout.write(line + "\n"));
  try {
    if (!(await running)) process.exit(0);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
}

if (require.main === module) void main();
