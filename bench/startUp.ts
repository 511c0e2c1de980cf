/**
 * How much of the provider's start-up is loading our runtime: a fresh Node process loads what Pulumi's
 * dynamic-provider process loads first (`@pulumi/pulumi`, grpc-js, the provider protocol), then
 * `pulumi-edgeconf/runtime` as the stub does, and reports both times and which of our dependencies came with it.
 */
import { execFileSync } from "node:child_process";
import { median, ROOT } from "./support";

export interface RuntimeLoad {
  /** @pulumi/pulumi and its gRPC protocol, loaded first (Pulumi's own start-up) */
  pulumiMs: number;
  /** pulumi-edgeconf/runtime after that */
  runtimeMs: number;
  /** dependencies the runtime loads at once (not on first use) */
  eager: string[];
  runs: number;
}

const SCRIPT = `
const { performance } = require("node:perf_hooks");
const t0 = performance.now();
require("@pulumi/pulumi"); require("@grpc/grpc-js"); require("@pulumi/pulumi/proto/provider_grpc_pb");
const t1 = performance.now();
require("module").createRequire(process.cwd() + "/_")("pulumi-edgeconf/runtime");
const t2 = performance.now();
const eager = ["undici", "zod"].filter((d) => Object.keys(require.cache).some((f) => f.includes("/node_modules/" + d + "/")));
process.stdout.write(JSON.stringify({ pulumiMs: t1 - t0, runtimeMs: t2 - t1, eager }));
`;

export function measureRuntimeLoad(runs = 3): RuntimeLoad {
  const samples = Array.from({ length: runs }, () =>
    JSON.parse(execFileSync(process.execPath, ["-e", SCRIPT], { cwd: ROOT, encoding: "utf8" })) as Omit<RuntimeLoad, "runs">);
  return {
    pulumiMs: median(samples.map((s) => s.pulumiMs)),
    runtimeMs: median(samples.map((s) => s.runtimeMs)),
    eager: samples[0].eager,
    runs,
  };
}
