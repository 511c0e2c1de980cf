/**
 * The real Pulumi CLI, as users run it: a project directory of its own, a local file backend and the passphrase
 * secrets provider in a temporary directory, `pulumi` commands spawned as child processes, the emulator on
 * loopback in this process.
 *
 * The CLI is the pinned one of `toolchain/build.sh` (or a compatible `pulumi` on PATH). Where none is found, the
 * suites that need it are skipped with the reason, except under CI=true, where a missing CLI fails the run.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import type { ExportedResource as DriftExportedResource } from "../../commands/drift";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface PulumiToolchain {
  /** directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs` */
  binDir: string;
  version: string;
}

function locate(): PulumiToolchain | string {
  let binDir: string;
  try {
    binDir = execFileSync("bash", [path.join(ROOT, "toolchain", "build.sh"), "--locate"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? "").trim();
    return stderr || "toolchain/build.sh --locate failed";
  }
  const version = execFileSync(path.join(binDir, "pulumi"), ["version"], { encoding: "utf8" }).trim();
  return { binDir, version };
}

let located: PulumiToolchain | string | undefined;

/** The toolchain, or why there is none. Under CI=true a missing toolchain throws: CI must run these suites. */
export function pulumiToolchain(): PulumiToolchain | undefined {
  located ??= locate();
  if (typeof located === "object") return located;
  if (process.env.CI === "true") throw new Error(`CI=true but no Pulumi CLI: ${located}`);
  console.warn(`real-CLI suite skipped: ${located}`);
  return undefined;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliProjectOptions {
  /** files of the project directory (Pulumi.yaml included), by relative path */
  files: Record<string, string>;
  emulator: RunningEmulator;
  stack?: string;
  /** stack config beyond the emulator's credentials and endpoint, set with `pulumi config set` */
  config?: Record<string, string>;
  /** the project directory's name (default `project`), inside a temporary directory of its own */
  dirName?: string;
}

/**
 * A Pulumi project in a temporary directory whose node_modules link to this checkout's: `pulumi-edgeconf` is this
 * repository (its built dist/), the rest are its dependencies, so the program resolves the package by name as a
 * user's does.
 */
export class CliProject {
  readonly dir: string;
  readonly stack: string;
  readonly env: NodeJS.ProcessEnv;
  /** marks every process of this project's CLI runs, so a test can find (and kill) its own provider */
  readonly marker = randomUUID();
  private readonly home: string;

  private constructor(readonly toolchain: PulumiToolchain, readonly emulator: RunningEmulator, opts: CliProjectOptions) {
    this.home = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-cli-"));
    this.dir = path.join(this.home, opts.dirName ?? "project");
    this.stack = opts.stack ?? "dev";
    fs.mkdirSync(path.join(this.home, "state"));
    fs.mkdirSync(path.join(this.dir, "node_modules"), { recursive: true });
    linkDependencies(path.join(this.dir, "node_modules"));
    this.write(opts.files);
    this.env = {
      ...process.env,
      PATH: `${toolchain.binDir}${path.delimiter}${process.env.PATH}`,
      PULUMI_HOME: path.join(this.home, "pulumi-home"),
      PULUMI_BACKEND_URL: `file://${path.join(this.home, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "edgeconf-test-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      NO_COLOR: "1",
      EDGECONF_TEST_MARKER: this.marker,
    };
    // Credentials come from stack config only, as `pulumi config set --secret` puts them there.
    for (const k of Object.keys(this.env)) if (/^(TENCENTCLOUD_|HW_|EDGECONF_(?!TEST_MARKER))/.test(k)) delete this.env[k];
  }

  static async create(toolchain: PulumiToolchain, opts: CliProjectOptions): Promise<CliProject> {
    const p = new CliProject(toolchain, opts.emulator, opts);
    await p.must(["stack", "init", p.stack]);
    const config = { ...opts.emulator.stackConfig, ...opts.config };
    for (const [key, value] of Object.entries(config)) {
      const secret = opts.emulator.stackSecretKeys.includes(key);
      await p.must(["config", "set", key, value, secret ? "--secret" : "--plaintext"]);
    }
    return p;
  }

  write(files: Record<string, string>): void {
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(this.dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(this.dir, rel), text);
    }
  }

  /** A `pulumi` command in the project, `--stack` and `--non-interactive` added. Never throws on exit codes. */
  run(args: string[]): Promise<CliResult> {
    const full = args[0] === "stack" && args[1] === "init" ? args : [...args, "--stack", this.stack, "--non-interactive"];
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(this.toolchain.binDir, "pulumi"), full, { cwd: this.dir, env: this.env });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    });
  }

  /** `run`, failing with the CLI's own words unless it exits 0. */
  async must(args: string[]): Promise<CliResult> {
    const r = await this.run(args);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  async up(...extra: string[]): Promise<CliResult> {
    return this.must(["up", "--yes", "--skip-preview", ...extra]);
  }

  async export(showSecrets = false): Promise<StackExport> {
    return JSON.parse((await this.must(["stack", "export", ...(showSecrets ? ["--show-secrets"] : [])])).stdout);
  }

  /** The live resources of the stack's last checkpoint (not the stack itself, not providers). */
  async resources(): Promise<ExportedResource[]> {
    return ((await this.export()).deployment.resources ?? []).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
  }

  /** Processes of this project's runs: the CLI and every plugin it started. */
  processes(): number[] {
    const pids: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const environ = fs.readFileSync(`/proc/${entry}/environ`, "utf8");
        if (environ.includes(`EDGECONF_TEST_MARKER=${this.marker}`)) pids.push(Number(entry));
      } catch {
        // gone meanwhile, or not ours to read
      }
    }
    return pids;
  }

  /** `edgeconf <args>` as a user runs it in the project: pulumi on PATH, credentials in the environment. */
  edgeconf(args: string[]): Promise<CliResult> {
    const c = this.emulator.credentials;
    const env = {
      ...this.env,
      EDGECONF_ENDPOINT: this.emulator.url,
      TENCENTCLOUD_SECRET_ID: c.tencentSecretId, TENCENTCLOUD_SECRET_KEY: c.tencentSecretKey,
      HW_ACCESS_KEY: c.huaweiAccessKey, HW_SECRET_KEY: c.huaweiSecretKey, HW_PROJECT_ID: c.huaweiProjectId,
    };
    const cli = path.join(ROOT, "dist/commands/main.js");
    return new Promise((resolve) => {
      execFile(process.execPath, [cli, ...args], { cwd: this.dir, env, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }));
    });
  }

  /**
   * `pulumi <args>` interrupted mid-create: the emulator holds each of `creates` for `holdMs` (then applies it, as
   * a cloud does with a request it received); once all arrived, `victim` is killed: the CLI itself, or the
   * dynamic-provider process it started. Resolves when the cloud has finished.
   */
  async interrupted(args: string[], creates: string[], victim: "cli" | "provider", holdMs = 2500): Promise<CliResult> {
    for (const action of creates) this.emulator.inject({ action, kind: "latency", latencyMs: holdMs });
    const running = this.run(args);
    for (let i = 0; i < 500 && this.emulator.faults().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    if (this.emulator.faults().length > 0) throw new Error(`not every create arrived: ${JSON.stringify(this.emulator.faults())}`);
    const pids = this.processes().filter((pid) => (victim === "cli" ? this.isPulumi(pid) : this.isDynamicProvider(pid)));
    if (pids.length === 0) throw new Error(`no ${victim} process to kill`);
    for (const pid of pids) process.kill(pid, "SIGKILL");
    const result = await running;
    await new Promise((r) => setTimeout(r, holdMs + 500));
    return result;
  }

  private isDynamicProvider(pid: number): boolean {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("cmd/dynamic-provider");
    } catch {
      return false;
    }
  }

  /** Is this process the `pulumi` CLI itself (not a plugin it started)? */
  isPulumi(pid: number): boolean {
    try {
      return path.basename(fs.readlinkSync(`/proc/${pid}/exe`)) === "pulumi";
    } catch {
      return false;
    }
  }

  async destroy(): Promise<void> {
    await this.run(["destroy", "--yes", "--skip-preview"]);
    for (const pid of this.processes()) {
      try { process.kill(pid, "SIGKILL"); } catch { /* gone */ }
    }
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

/** A resource of a `pulumi stack export`, as edgeconf drift reads it, with what the CLI adds for `get()`. */
export interface ExportedResource extends DriftExportedResource {
  external?: boolean;
  outputs?: Record<string, any>;
  inputs?: Record<string, any>;
}

export interface StackExport {
  version: number;
  deployment: {
    manifest: { time: string; magic: string; version: string };
    secrets_providers?: { type: string; state?: unknown };
    resources?: ExportedResource[];
    pending_operations?: { resource: ExportedResource; type: string }[];
    metadata?: Record<string, unknown>;
  };
  features?: string[];
}

/** node_modules of a test project: this repository as `pulumi-edgeconf`, and every package this checkout has. */
function linkDependencies(into: string): void {
  const repoModules = path.join(ROOT, "node_modules");
  for (const name of fs.readdirSync(repoModules)) {
    if (name.startsWith(".")) continue;
    fs.symlinkSync(path.join(repoModules, name), path.join(into, name));
  }
  fs.symlinkSync(ROOT, path.join(into, "pulumi-edgeconf"));
  writeEdgeconfBin(path.join(into, ".bin"));
}

/** What npm links for the package's `bin`: `edgeconf`, running this checkout's build. */
export function writeEdgeconfBin(binDir: string): void {
  fs.mkdirSync(binDir, { recursive: true });
  const cli = path.join(ROOT, "dist/commands/main.js");
  fs.writeFileSync(path.join(binDir, "edgeconf"), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`, { mode: 0o755 });
}

/** A JavaScript Pulumi project: Pulumi.yaml plus index.js (no TypeScript toolchain in the way). */
export function jsProject(name: string, program: string): Record<string, string> {
  return {
    "Pulumi.yaml": `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n`,
    "package.json": JSON.stringify({ name, private: true, main: "index.js" }),
    "index.js": program,
  };
}
