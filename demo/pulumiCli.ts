/**
 * The demo through a real `pulumi` CLI, when one is on PATH: a local file backend in a temporary directory, the
 * stack config in a temporary file, so the repository is left untouched. Same story as the engine path.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface CliDemo {
  root: string;
  config: Record<string, string>;
  secretKeys: string[];
  heading(text: string): void;
  /** the console edit, given the stack outputs */
  editOutOfBand(outputs: Record<string, any>): Promise<void>;
  /** API calls the emulator served since the last call: each step's count, its refresh's reads included */
  apiCalls(): number;
  /** objects left in the emulator, by service */
  leftOver(): Promise<Record<string, number>>;
}

export async function runWithPulumiCli(demo: CliDemo, binDir?: string): Promise<number> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-pulumi-"));
  const env = {
    ...process.env,
    ...(binDir ? { PATH: `${binDir}${path.delimiter}${process.env.PATH}` } : {}),
    PULUMI_HOME: path.join(home, "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${home}`,
    PULUMI_CONFIG_PASSPHRASE: "edgeconf-demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  const stackArgs = ["--cwd", demo.root, "--stack", "dev", "--config-file", path.join(home, "Pulumi.dev.yaml"), "--non-interactive"];
  // Asynchronous: the emulator serves these calls from this very process.
  const pulumi = (args: string[], opts: { show?: boolean; allowFail?: boolean } = {}) =>
    new Promise<{ status: number; stdout: string }>((resolve, reject) => {
      const child = spawn(binDir ? path.join(binDir, "pulumi") : "pulumi", args, { env, stdio: ["ignore", opts.show === false ? "pipe" : "inherit", "inherit"] });
      let stdout = "";
      child.stdout?.on("data", (d) => (stdout += d));
      child.on("error", reject);
      child.on("exit", (code) => {
        if (code !== 0 && !opts.allowFail) reject(new Error(`pulumi ${args[0]} exited ${code}`));
        else resolve({ status: code ?? 1, stdout });
      });
    });
  /** A CLI step, then every API call it made (the emulator runs in this process, so it sees them all). */
  const step = async (args: string[], opts: { allowFail?: boolean } = {}) => {
    demo.apiCalls(); // mark
    const result = await pulumi([...args, ...stackArgs], opts);
    console.log(`  (${demo.apiCalls()} API calls)`);
    return result;
  };
  try {
    await pulumi(["stack", "init", "dev", "--cwd", demo.root, "--non-interactive"], { show: false });
    for (const [key, value] of Object.entries(demo.config)) {
      await pulumi(["config", "set", key, value, demo.secretKeys.includes(key) ? "--secret" : "--plaintext", ...stackArgs], { show: false });
    }
    demo.heading("pulumi preview");
    await step(["preview"]);
    demo.heading("pulumi up --yes");
    await step(["up", "--yes"]);
    const outputs = JSON.parse((await pulumi(["stack", "output", "--json", "--show-secrets", "--cwd", demo.root, "--stack", "dev"], { show: false })).stdout).outputs;
    demo.heading("# someone edits the console");
    await demo.editOutOfBand(outputs);
    demo.heading("pulumi preview --refresh --expect-no-changes   # the scheduled drift check");
    const drift = await step(["preview", "--refresh", "--expect-no-changes", "--diff"], { allowFail: true });
    if (drift.status === 0) throw new Error("the drift check did not find the console edit");
    console.log(`  drift found: exit code ${drift.status}`);
    demo.heading("pulumi up --refresh --yes");
    await step(["up", "--refresh", "--yes"]);
    demo.heading("pulumi preview --refresh --expect-no-changes");
    await step(["preview", "--refresh", "--expect-no-changes"]);
    demo.heading("pulumi destroy --yes");
    await step(["destroy", "--yes"]);
    await pulumi(["stack", "rm", "--yes", "--cwd", demo.root, "--stack", "dev"], { show: false, allowFail: true });
    const left = await demo.leftOver();
    console.log(`\nEmulator resources left: ${JSON.stringify(left)}`);
    return Object.values(left).every((n) => n === 0) ? 0 : 1;
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}
