/**
 * `npm start`: the whole story on the embedded emulator, no cloud account needed.
 * preview → up → a console edit made out of band → drift found → up converges → destroy.
 *
 * With the pinned Pulumi CLI built (toolchain/build.sh, which `npm test` in CI runs first) it drives the real CLI
 * against a local file backend; without one it drives Pulumi's own dynamic-provider process through the engine
 * stand-in, and says so. EDGECONF_DEMO_ENGINE=stand-in picks the stand-in anyway.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { Engine, type OperationResult } from "../engine/engine";
import { demoProgram } from "./program";
import { runWithPulumiCli } from "./pulumiCli";

const ROOT = path.resolve(__dirname, "..", "..");

/** The pinned CLI of toolchain/build.sh when built (or a compatible one on PATH), else none. */
function pulumiCli(): string | undefined {
  if (process.env.EDGECONF_DEMO_ENGINE === "stand-in") return undefined;
  try {
    return execFileSync("bash", [path.join(ROOT, "toolchain", "build.sh"), "--locate"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

const heading = (text: string) => console.log(`\n$ ${text}`);

/**
 * One line per CLI step. `refreshed` is the refresh a `--refresh` flag runs first: its reads are API calls of
 * the same step, so they are counted with it (and shown apart), and its changes are the step's changes.
 */
function summary(r: OperationResult, refreshed?: OperationResult): void {
  const counts = new Map<string, number>();
  const last = new Map<string, string>(); // the plan's view of each resource wins over the refresh's
  for (const s of [...(refreshed?.steps ?? []), ...r.steps]) last.set(s.urn, s.op);
  for (const op of last.values()) counts.set(op, (counts.get(op) ?? 0) + 1);
  const parts = [...counts].filter(([op]) => op !== "same" && op !== "refresh-same").map(([op, n]) => `${n} to ${op.replace("refresh-", "")}`);
  const unchanged = (counts.get("same") ?? 0) + (counts.get("refresh-same") ?? 0);
  const calls = (refreshed?.calls.length ?? 0) + r.calls.length;
  const split = refreshed ? `: ${refreshed.calls.length} by the refresh, ${r.calls.length} by the ${r.kind}` : "";
  const seconds = ((refreshed?.durationMs ?? 0) + r.durationMs) / 1000;
  console.log(`  Resources: ${parts.length ? parts.join(", ") : "no changes"}${unchanged ? `, ${unchanged} unchanged` : ""}` +
    `  (${calls} API calls${split}, ${seconds.toFixed(1)}s)`);
  for (const x of [refreshed, r]) {
    for (const f of x?.failures ?? []) console.log(`  error: ${f.urn.split("::").pop()}: ${f.property}: ${f.reason}`);
    for (const e of x?.errors ?? []) console.log(`  error: ${e}`);
  }
}

function expectOk(r: OperationResult, what: string): void {
  if (!r.ok) throw new Error(`${what} failed`);
}

async function main(): Promise<number> {
  const emulator = await startEmulator({ quiet: true, settings: { gaPendingMs: 500 } });
  console.log(`edgeconf emulator listening on ${emulator.url}`);
  const { stackConfig: config, stackSecretKeys: secretKeys } = emulator;

  /** What a console user does: swap the origin weights, add an address to the allow-list. */
  const editOutOfBand = async (ids: { originGroupId: string; ipGroupId: number }) => {
    await emulator.services.teo.backend.admin("patchOriginGroup", {
      groupId: ids.originGroupId,
      patch: { Records: [{ Record: "203.0.113.10", Type: "IP_DOMAIN", Weight: 10 }, { Record: "origin.example.com", Type: "IP_DOMAIN", Weight: 90 }] },
    });
    const office = (await emulator.services.teo.backend.admin("getSecurityIPGroup", { groupId: ids.ipGroupId })) as { Content: string[] };
    await emulator.services.teo.backend.admin("patchSecurityIPGroup", {
      groupId: ids.ipGroupId,
      Content: [...office.Content, "192.0.2.99"],
    });
    console.log(`  patched origin group ${ids.originGroupId} (weights) and security IP group ${ids.ipGroupId} (one more entry)`);
  };

  const binDir = pulumiCli();
  if (binDir) {
    console.log(`Using the Pulumi CLI in ${binDir} with a local file backend in a temporary directory.`);
    try {
      const apiCalls = () => {
        const n = emulator.calls().length;
        emulator.clearCalls();
        return n;
      };
      const leftOver = async () => (await (await fetch(`${emulator.url}/_emulator/counts`)).json()) as Record<string, number>;
      return await runWithPulumiCli({ root: ROOT, config, secretKeys, heading, editOutOfBand, apiCalls, leftOver }, binDir);
    } finally {
      await emulator.close();
    }
  }
  console.log("No Pulumi CLI built (bash toolchain/build.sh builds the pinned one): running the program through the engine stand-in " +
    "(Pulumi's own dynamic-provider process over gRPC).");
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-demo-"));
  const engine = new Engine({
    dir: ROOT,
    project: "edgeconf-demo",
    stack: "dev",
    stateFile: path.join(stateDir, "dev.json"),
    emulatorUrl: emulator.url,
    config,
    secretKeys,
    log: (line) => console.log(line),
  });

  try {
    heading("pulumi preview");
    let r = await engine.preview(demoProgram);
    summary(r);
    expectOk(r, "preview");

    heading("pulumi up --yes");
    r = await engine.up(demoProgram);
    summary(r);
    expectOk(r, "up");

    heading("pulumi up --yes   # again, nothing changed");
    r = await engine.up(demoProgram);
    summary(r);

    heading("# someone edits the console: origin weights swapped, an IP added to the allow-list");
    await editOutOfBand({ originGroupId: engine.outputs("web")!.groupId, ipGroupId: engine.outputs("office")!.groupId });

    heading("pulumi preview --refresh --expect-no-changes   # the scheduled drift check");
    // reads every resource and plans against what it read, writing nothing, as the CLI's preview --refresh does
    r = await engine.preview(demoProgram, { refresh: true });
    summary(r);
    console.log(r.changes > 0 ? `  error: drift found in ${r.changes} resource(s); exit code 1` : "  no drift");

    heading("pulumi up --refresh --yes   # converge back to the program");
    const refreshed = await engine.refresh();
    r = await engine.up(demoProgram);
    summary(r, refreshed);
    expectOk(r, "up");

    heading("pulumi preview --refresh --expect-no-changes");
    r = await engine.preview(demoProgram, { refresh: true });
    summary(r);
    console.log(r.changes === 0 ? "  no drift" : "  error: still drifting");

    heading("pulumi destroy --yes");
    r = await engine.destroy();
    summary(r);
    expectOk(r, "destroy");
    const counts = await (await fetch(`${emulator.url}/_emulator/counts`)).json();
    console.log(`\nEmulator resources left: ${JSON.stringify(counts)}`);
    return 0;
  } finally {
    await emulator.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`demo failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
