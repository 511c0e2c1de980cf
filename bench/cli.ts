/**
 * Scenario 7: the real `pulumi` CLI (toolchain/build.sh), beside the engine stand-in's rows:
 * - `pulumi refresh --preview-only` of N OriginGroups at --parallel 1, 8, 16 and unlimited, ours and the machinery
 *   floor (the same state through the no-API provider of bench/floorRuntime.ts), alternating, a CLI process each;
 * - `pulumi preview` of a 1000-resource stack whose state matches the program (500 OriginGroups, 500
 *   SecurityIPGroups of 20 entries, as scenario 6), which must make no API call.
 *
 * The state is the CLI's own: one resource made by `pulumi up`, its entry cloned for every seeded group (ids,
 * inputs and outputs from our read), then `pulumi stack import`. Skipped, with the reason, when no CLI is built.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../emulator";
import * as rt from "../provider/runtime";
import { inputShape } from "./floorRuntime";
import { previewStack } from "./preview";
import { serializedFloorProvider, serializedProvider } from "./serialized";
import { ROOT, ZONE, describeActions, now, progress, quiesce, seedOriginGroups, summarise } from "./support";

const TYPES = {
  OriginGroup: "pulumi-nodejs:dynamic/tencentcloud/teo:OriginGroup",
  SecurityIPGroup: "pulumi-nodejs:dynamic/tencentcloud/teo:SecurityIPGroup",
} as const;
type Kind = keyof typeof TYPES;

export interface CliRun { parallel: number; ms: number; calls: number; actions: string; ok: boolean }
export interface CliFigures {
  version: string;
  refresh: { count: number; runs: CliRun[]; floorRuns: CliRun[] };
  preview: { resources: number; ms: number; calls: number; ok: boolean };
}

/** The built CLI's directory, or why there is none. */
export function locateCli(): { binDir: string; version: string } | string {
  try {
    const binDir = execFileSync("bash", [path.join(ROOT, "toolchain/build.sh"), "--locate"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    return { binDir, version: execFileSync(path.join(binDir, "pulumi"), ["version"], { encoding: "utf8" }).trim() };
  } catch (e) {
    return String((e as { stderr?: string }).stderr ?? e).trim() || "toolchain/build.sh --locate failed";
  }
}

/** A project directory whose node_modules are this checkout's, a file backend, credentials in the environment. */
class Project {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  constructor(binDir: string, emulator: RunningEmulator) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-bench-cli-"));
    this.dir = path.join(home, "bench");
    fs.mkdirSync(path.join(this.dir, "node_modules"), { recursive: true });
    for (const name of fs.readdirSync(path.join(ROOT, "node_modules"))) {
      if (!name.startsWith(".")) fs.symlinkSync(path.join(ROOT, "node_modules", name), path.join(this.dir, "node_modules", name));
    }
    fs.symlinkSync(ROOT, path.join(this.dir, "node_modules", "pulumi-edgeconf"));
    fs.writeFileSync(path.join(this.dir, "Pulumi.yaml"), "name: bench\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n");
    fs.mkdirSync(path.join(home, "state"));
    const c = emulator.credentials;
    this.env = {
      ...process.env,
      PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
      PULUMI_HOME: path.join(home, "pulumi-home"), PULUMI_BACKEND_URL: `file://${path.join(home, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "bench", PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      EDGECONF_ENDPOINT: emulator.url, TENCENTCLOUD_SECRET_ID: c.tencentSecretId, TENCENTCLOUD_SECRET_KEY: c.tencentSecretKey,
    };
  }

  /** Asynchronous: the emulator answering the CLI runs in this very process. */
  pulumi(args: string[], stack: string): Promise<{ ok: boolean; ms: number; stdout: string }> {
    const scope = args[0] === "stack" && args[1] === "init" ? [] : ["--stack", stack];
    const t = now();
    return new Promise((resolve, reject) => {
      const child = spawn("pulumi", [...args, ...scope, "--non-interactive"], { cwd: this.dir, env: this.env });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => {
        const ms = now() - t;
        if (code !== 0 && !args.includes("--expect-no-changes")) progress(`pulumi ${args[0]} failed: ${(stderr || stdout).slice(-600)}`);
        resolve({ ok: code === 0, ms, stdout });
      });
    });
  }

  program(entries: { kind: Kind; name: string; args: Record<string, unknown> }[]): void {
    fs.writeFileSync(path.join(this.dir, "stack.json"), JSON.stringify(entries));
    fs.writeFileSync(path.join(this.dir, "index.js"), [
      'const edgeconf = require("pulumi-edgeconf");',
      'for (const r of require("./stack.json")) new edgeconf[r.kind](r.name, r.args);',
    ].join("\n"));
  }

  /**
   * A stack holding `reads` as if `pulumi up` had made them: the first is made by a real `up`, the others are
   * clones of its entry (`provider` replaces `__provider` where given: the floor's).
   */
  async stack(name: string, reads: { kind: Kind; name: string; r: any }[], provider?: string): Promise<void> {
    if (!(await this.pulumi(["stack", "init", name], name)).ok) throw new Error(`bench cli: stack init ${name} failed`);
    const [first] = reads;
    const { logicalName: _l, ...args } = first.r.inputs;
    // adopting the first group with its own inputs changes nothing in the cloud
    this.program([{ kind: first.kind, name: "seed-adopted", args: { ...args, adoptId: first.r.id } }]);
    if (!(await this.pulumi(["up", "--yes", "--skip-preview"], name)).ok) throw new Error("bench cli: the seeding up failed");
    const exported = JSON.parse((await this.pulumi(["stack", "export"], name)).stdout);
    const resources: any[] = exported.deployment.resources;
    const template = resources.find((r) => r.type === TYPES[first.kind]);
    const kept = resources.filter((r) => r !== template);
    const entries = await Promise.all(reads.map(async ({ kind, name: logical, r }) => {
      const stub = provider ?? await serializedProvider(kind);
      const urn = `${template.urn.split("::").slice(0, 2).join("::")}::${TYPES[kind]}::${logical}`;
      return {
        ...template, urn, type: TYPES[kind], id: r.id, propertyDependencies: undefined,
        inputs: { ...r.inputs, logicalName: logical, __provider: stub },
        outputs: { ...r.props, __provider: stub },
      };
    }));
    exported.deployment.resources = [...kept, ...entries];
    const file = path.join(this.dir, "..", `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(exported));
    if (!(await this.pulumi(["stack", "import", "--file", file], name)).ok) throw new Error("bench cli: stack import failed");
  }
}

// The CLI runs unbounded only at exactly MaxInt32 (deploy.Options.InfiniteParallelism); any other large value
// starts that many workers (1,000,000 took 28 s before the first step).
const parallelFlag = (p: number) => String(p === Infinity ? 2_147_483_647 : p);

export async function benchCli(emulator: RunningEmulator, count: number, parallelisms: number[]): Promise<CliFigures | string> {
  const cli = locateCli();
  if (typeof cli === "string") return cli;
  const project = new Project(cli.binDir, emulator);

  progress(`cli refresh: seeding ${count} OriginGroups`);
  const ids = seedOriginGroups(emulator, count, "cli-og");
  const reads = (await Promise.all(ids.map((id) => rt.read("OriginGroup", id, { zoneId: ZONE })))).map((r, i) => ({ kind: "OriginGroup" as const, name: `og-${i}`, r }));
  await project.stack("ours", reads);
  await project.stack("floor", reads, await serializedFloorProvider(inputShape((reads[0].r as any).inputs)));
  const runs: CliRun[] = [];
  const floorRuns: CliRun[] = [];
  for (const parallel of parallelisms) {
    for (const [stack, into] of [["ours", runs], ["floor", floorRuns]] as const) {
      await quiesce();
      emulator.clearCalls();
      const r = await project.pulumi(["refresh", "--preview-only", "--parallel", parallelFlag(parallel)], stack);
      const calls = summarise(emulator.calls());
      into.push({ parallel, ms: r.ms, calls: calls.total, actions: describeActions(calls.byAction), ok: r.ok });
      progress(`cli refresh ${stack} --parallel ${parallelFlag(parallel)}: ${r.ms.toFixed(0)} ms`);
    }
  }

  progress("cli preview: seeding 500 OriginGroups and 500 SecurityIPGroups");
  const stack = await previewStack(emulator, 500, "cli-preview");
  await project.stack("preview", stack);
  project.program(stack.map(({ kind, name, r }) => {
    const { logicalName: _l, ...args } = (r as any).inputs;
    return { kind, name, args };
  }));
  await quiesce();
  emulator.clearCalls();
  const p = await project.pulumi(["preview", "--expect-no-changes"], "preview");
  const preview = { resources: stack.length, ms: p.ms, calls: summarise(emulator.calls()).total, ok: p.ok };
  progress(`cli preview: ${p.ms.toFixed(0)} ms, ${preview.calls} API calls, ${p.ok ? "no changes" : "CHANGES or error"}`);
  fs.rmSync(path.dirname(project.dir), { recursive: true, force: true });
  return { version: cli.version, refresh: { count, runs, floorRuns }, preview };
}
