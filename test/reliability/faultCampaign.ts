/**
 * Fault campaign: randomized lifecycles of all four resources (create → update → refresh → destroy) through the
 * test engine (Pulumi's own dynamic-provider process over gRPC) while the emulator injects faults at random call
 * sites: bare 5xx, InternalError, throttling, latency past the client timeout, a connection dropped before the
 * request reached the handler, and one dropped *after* the change was applied.
 *
 * After the faulted phases of each run, faults are cleared and a retry `up` must converge; then the emulator must
 * hold exactly the declared resources (no duplicate, no orphan), the state must match the emulator, and a `destroy`
 * (faulted, then retried clean) must leave nothing. Every run is replayable from its seed (one PRNG drives the
 * programs, the faults and the emulator's fault RNG); a violation prints its seed.
 *
 *   npm run faults -- --runs 500 --seed 1
 */
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SEED } from "../../emulator/core/defaults";
import type { FaultSpec } from "../../emulator/core/faults";
import { EndpointGroup, OriginGroup, SecurityIPGroup, UserGroup } from "../../provider";
import { Engine, type OperationResult } from "../../engine/engine";
import { createRng, numberArg, type Rng } from "./prng";

/** The repository root, from the source tree (vitest) or from dist/ (npm run faults). */
const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../../.." : "../..");

export const FAULT_CATEGORIES = ["http-5xx", "internal-error", "throttling", "timeout", "drop-before", "drop-after"] as const;
export type FaultCategory = (typeof FAULT_CATEGORIES)[number];

export interface Violation {
  seed: number;
  kind: "duplicate" | "orphan" | "missing" | "state-mismatch" | "retry-up-failed" | "destroy-failed" | "left-behind" | "crash";
  detail: string;
}

export interface CampaignOptions {
  runs: number;
  /** seed of the first run; run i uses seed + i */
  seed: number;
  /** client per-attempt timeout in the provider process (EDGECONF_TIMEOUT_MS); latency faults exceed it */
  clientTimeoutMs?: number;
  log?: (line: string) => void;
  /** print a progress line every N runs (0 = never) */
  progressEvery?: number;
}

export interface CampaignReport {
  runs: number;
  firstSeed: number;
  lastSeed: number;
  operations: number;
  /** faults armed in the emulator, by category */
  injected: Record<FaultCategory, number>;
  /** faults that actually fired on a call, by category */
  fired: Record<FaultCategory, number>;
  /** faulted operations that failed (expected: the next operation recovers) */
  failedOperations: number;
  violations: Violation[];
  durationMs: number;
}

// ---------------------------------------------------------------- programs

interface Declared {
  origin: { name: string; type: "HTTP" | "GENERAL"; records: { record: string; weight?: number }[]; hostHeader?: string };
  ipGroup: { name?: string; content: string[] };
  user: { groupName?: string; description?: string };
  endpoint: { regionId: string; name?: string; description?: string; dial: number };
}

const ORIGINS = ["203.0.113.10", "203.0.113.11", "198.51.100.20", "2001:db8::10", "o1.example.com", "o2.example.com", "o3.example.net"];
const IP_ENTRIES = ["198.51.100.0/24", "203.0.113.7", "2001:db8::/48", "192.0.2.1", "192.0.2.128/25", "10.20.0.0/16", "2001:db8:1::1"];
const GA_REGIONS = ["ap-southeast-1", "cn-south-1", "cn-north-4", "cn-east-3", "eu-west-101"];

function declare(rng: Rng, run: number): Declared {
  const type = rng.pick(["HTTP", "GENERAL"] as const);
  const records = rng.sample(ORIGINS, rng.int(1, 3)).map((record) => ({ record }));
  const weighted = rng.chance(0.5);
  return {
    origin: {
      name: `og-${run}-${rng.int(0, 999)}`,
      type,
      records: weighted ? records.map((r, i) => ({ ...r, weight: i === 0 ? rng.int(1, 100) : rng.int(0, 100) })) : records,
      ...(type === "HTTP" && rng.chance(0.5) ? { hostHeader: "www.example.com" } : {}),
    },
    ipGroup: { ...(rng.chance(0.5) ? { name: `ipg-${run}-${rng.int(0, 999)}` } : {}), content: rng.sample(IP_ENTRIES, rng.int(1, 4)) },
    user: { ...(rng.chance(0.5) ? { groupName: `ug-${run}-${rng.int(0, 999)}` } : {}), ...(rng.chance(0.7) ? { description: `team ${rng.int(0, 99)}` } : {}) },
    endpoint: {
      regionId: rng.pick(GA_REGIONS),
      ...(rng.chance(0.5) ? { name: `eg-${run}-${rng.int(0, 999)}` } : {}),
      ...(rng.chance(0.3) ? { description: "edge group" } : {}),
      dial: rng.int(0, 100),
    },
  };
}

/** The update: a random subset of in-place changes (renames included). */
function mutate(rng: Rng, d: Declared): Declared {
  const next: Declared = JSON.parse(JSON.stringify(d));
  if (rng.chance(0.6)) {
    const records = rng.sample(ORIGINS, rng.int(1, 3)).map((record) => ({ record }));
    next.origin.records = d.origin.records[0]?.weight !== undefined
      ? records.map((r, i) => ({ ...r, weight: i === 0 ? rng.int(1, 100) : rng.int(0, 100) }))
      : records;
  }
  if (rng.chance(0.2)) next.origin.name = `${d.origin.name}-r`;
  if (rng.chance(0.6)) next.ipGroup.content = rng.sample(IP_ENTRIES, rng.int(1, 5));
  if (rng.chance(0.2) && d.ipGroup.name) next.ipGroup.name = `${d.ipGroup.name}-r`;
  if (rng.chance(0.6)) next.user.description = `team ${rng.int(100, 199)}`;
  if (rng.chance(0.6)) next.endpoint.dial = rng.int(0, 100);
  if (rng.chance(0.2) && d.endpoint.name) next.endpoint.name = `${d.endpoint.name}-r`;
  return next;
}

function program(d: Declared) {
  return () => {
    new OriginGroup("og", { zoneId: SEED.teoZoneId, ...d.origin });
    new SecurityIPGroup("ipg", { zoneId: SEED.teoZoneId, ...d.ipGroup });
    new UserGroup("ug", { zoneId: SEED.cicZoneId, ...d.user });
    new EndpointGroup("eg", {
      listenerId: SEED.gaListenerId,
      regionId: d.endpoint.regionId,
      ...(d.endpoint.name ? { name: d.endpoint.name } : {}),
      ...(d.endpoint.description ? { description: d.endpoint.description } : {}),
      trafficDialPercentage: d.endpoint.dial,
    });
  };
}

// ---------------------------------------------------------------- faults

const TENCENT_ACTIONS = {
  teo: ["CreateOriginGroup", "DescribeOriginGroup", "ModifyOriginGroup", "DeleteOriginGroup", "CreateSecurityIPGroup",
    "DescribeSecurityIPGroup", "DescribeSecurityIPGroupContent", "ModifySecurityIPGroup", "DeleteSecurityIPGroup"],
  organization: ["CreateGroup", "GetGroup", "ListGroups", "UpdateGroup", "DeleteGroup"],
};
const GA_ACTIONS = ["CreateEndpointGroup", "ShowEndpointGroup", "ListEndpointGroups", "UpdateEndpointGroup", "DeleteEndpointGroup"];
const ALL_ACTIONS: { service: string; action: string }[] = [
  ...Object.entries(TENCENT_ACTIONS).flatMap(([service, actions]) => actions.map((action) => ({ service, action }))),
  ...GA_ACTIONS.map((action) => ({ service: "ga", action })),
];
type Phase = "create" | "update" | "refresh" | "destroy";
/** Actions each phase is likely to call: faults aim there (reads are called in every phase). */
const PHASE_ACTIONS: Record<Phase, RegExp> = {
  create: /^(Create|Describe|Get|List|Show)/,
  update: /^(Modify|Update|Describe|Get|List|Show)/,
  refresh: /^(Describe|Get|List|Show)/,
  destroy: /^(Delete|Describe|Get|List|Show)/,
};

function faultSpec(category: FaultCategory, site: { service: string; action: string }, rng: Rng, latencyMs: number): FaultSpec {
  const huawei = site.service === "ga";
  const base = { service: site.service, action: site.action, count: rng.int(1, 2) };
  switch (category) {
    case "http-5xx": return { ...base, kind: "http", status: rng.pick([500, 502, 503, 504]) };
    case "internal-error": return { ...base, kind: "error", ...(huawei ? { code: "GA.9201", status: 500 } : { code: rng.pick(["InternalError", "InternalError.UnknownError"]) }) };
    case "throttling": return { ...base, kind: "error", ...(huawei ? { code: "APIGW.0308", status: 429 } : { code: "RequestLimitExceeded" }) };
    case "timeout": return { ...base, kind: "latency", latencyMs };
    case "drop-before": return { ...base, kind: "drop-before" };
    case "drop-after": return { ...base, kind: "drop-after" };
  }
}

const zero = (): Record<FaultCategory, number> => Object.fromEntries(FAULT_CATEGORIES.map((c) => [c, 0])) as Record<FaultCategory, number>;

// ---------------------------------------------------------------- live state

interface Live {
  origin: { id: string; name: string; records: string[] }[];
  ipGroup: { id: string; name: string; content: string[] }[];
  user: { id: string; name: string; description: string }[];
  endpoint: { id: string; name: string; dial: number; status: string; regionId: string }[];
}

async function liveState(emulator: RunningEmulator): Promise<Live> {
  const admin = (service: string, op: string) => (emulator.services as any)[service].backend.admin(op, {}) as Promise<any[]>;
  const [og, ipg, ug, eg] = await Promise.all([
    admin("teo", "listOriginGroups"), admin("teo", "listSecurityIPGroups"), admin("organization", "listGroups"), admin("ga", "listEndpointGroups"),
  ]);
  return {
    origin: og.map((g) => ({ id: g.GroupId, name: g.Name, records: (g.Records ?? []).map((r: any) => `${r.Record}@${r.Weight ?? "-"}`).sort() })),
    ipGroup: ipg.map((g) => ({ id: String(g.GroupId), name: g.Name, content: [...(g.Content ?? [])].sort() })),
    user: ug.map((g) => ({ id: g.GroupId ?? g.groupId, name: g.GroupName ?? g.groupName, description: g.Description ?? g.description ?? "" })),
    endpoint: eg.map((g) => ({ id: g.id, name: g.name, dial: g.traffic_dial_percentage ?? g.trafficDialPercentage, status: g.status, regionId: g.region_id ?? g.regionId })),
  };
}

// ---------------------------------------------------------------- one run

interface RunContext {
  emulator: RunningEmulator;
  env: NodeJS.ProcessEnv;
  config: Record<string, string>;
  latencyMs: number;
  /** a latency fault was armed since the last settle: requests may still be held */
  held?: boolean;
  report: CampaignReport;
  log: (line: string) => void;
  engine?: Engine;
}

async function oneRun(seed: number, c: RunContext): Promise<Violation[]> {
  const rng = createRng(seed);
  const violations: Violation[] = [];
  const violation = (kind: Violation["kind"], detail: string) => violations.push({ seed, kind, detail });
  c.emulator.reset();
  c.emulator.settings.gaPendingMs = 20;

  // One engine across runs (its state is empty after each run's destroy); a run that leaves state gets a new one.
  if (!c.engine || c.engine.resources().length > 0) {
    await c.engine?.close();
    c.engine = new Engine({ dir: ROOT, config: c.config, secretKeys: ["tencentcloud:secretKey", "huaweicloud:secretKey"], env: c.env, keepProvider: true });
  }
  const engine = c.engine;
  const v1 = declare(rng, seed);
  const v2 = mutate(rng, v1);

  const faulted = async (phase: Phase, op: () => Promise<OperationResult>) => {
    const sites = ALL_ACTIONS.filter((s) => PHASE_ACTIONS[phase].test(s.action));
    const armed: { id: string; category: FaultCategory; count: number }[] = [];
    for (let n = rng.int(1, 3); n > 0; n--) {
      const category = rng.pick(FAULT_CATEGORIES);
      const spec = faultSpec(category, rng.pick(sites), rng, c.latencyMs);
      armed.push({ id: c.emulator.inject(spec), category, count: spec.count ?? 1 });
      if (category === "timeout") c.held = true;
      c.report.injected[category] += 1;
    }
    const r = await op();
    c.report.operations += 1;
    if (!r.ok) c.report.failedOperations += 1;
    const left = new Map(c.emulator.faults().map((f) => [f.id, f.fired]));
    for (const a of armed) c.report.fired[a.category] += left.has(a.id) ? left.get(a.id)! : a.count;
    c.emulator.clearFaults();
    return r;
  };
  const clean = async (op: () => Promise<OperationResult>) => {
    const r = await op();
    c.report.operations += 1;
    return r;
  };

  await faulted("create", () => engine.up(program(v1)));
  await faulted("update", () => engine.up(program(v2)));
  await faulted("refresh", () => engine.refresh());
  // A request held past the client's timeout lands later: let the world settle before judging it.
  await settle(c);

  // Faults cleared: one retry `up` must converge to the program.
  const retry = await clean(() => engine.up(program(v2)));
  if (!retry.ok) violation("retry-up-failed", [...retry.errors, ...retry.failures.map((f) => `${f.property}: ${f.reason}`)].join(" | "));
  else {
    await checkDeclared(engine, c.emulator, v2, violation);
    // The drift check users run: `pulumi preview --refresh --expect-no-changes` (a refresh, then a preview whose
    // diff must be empty). Server-side timestamps moved by a late duplicate write are refreshed, not drift.
    const refreshed = await clean(() => engine.refresh());
    const drift = await clean(() => engine.preview(program(v2)));
    const status = engine.outputs("eg")?.status;
    if (status !== "ACTIVE") violation("state-mismatch", `EndpointGroup status after refresh: ${status}`);
    if (!refreshed.ok || !drift.ok || drift.changes > 0) {
      violation("state-mismatch", `preview --refresh after converging: ${drift.steps.filter((s) => s.op !== "same").map((s) => `${s.name} ${s.op} [${s.keys?.join(",")}]`).join("; ")} ${[...refreshed.errors, ...drift.errors].join(" | ")}`);
    }
  }

  await faulted("destroy", () => engine.destroy());
  await settle(c);
  if (engine.resources().length > 0) {
    const again = await clean(() => engine.destroy());
    if (!again.ok) violation("destroy-failed", again.errors.join(" | "));
  }
  const live = await liveState(c.emulator);
  const left = [...live.origin, ...live.ipGroup, ...live.user, ...live.endpoint.filter((g) => g.status !== "DELETING")];
  if (left.length > 0) violation("left-behind", `after destroy: ${left.map((x) => `${x.name}(${x.id})`).join(", ")}`);
  if (engine.resources().length > 0) violation("left-behind", `state still holds ${engine.resources().map((r) => r.urn.split("::").pop()).join(", ")}`);
  return violations;
}

/** Waits out requests the emulator still holds (latency faults), so none lands in the next phase or run. */
async function settle(c: RunContext): Promise<void> {
  if (!c.held) return;
  await new Promise((resolve) => setTimeout(resolve, c.latencyMs + 200));
  c.held = false;
}

/** The emulator holds exactly one resource per declaration, the one in state, with the declared values. */
async function checkDeclared(engine: Engine, emulator: RunningEmulator, d: Declared, violation: (k: Violation["kind"], s: string) => void) {
  const live = await liveState(emulator);
  const expectOne = <T extends { id: string; name: string }>(what: string, items: T[], stateId: unknown, name: unknown): T | undefined => {
    if (items.length > 1) violation("duplicate", `${what}: ${items.length} live (${items.map((i) => `${i.name}:${i.id}`).join(", ")})`);
    const mine = items.find((i) => i.id === String(stateId));
    if (!mine) {
      violation(items.length ? "orphan" : "missing", `${what}: state id ${String(stateId)} not live; live: ${items.map((i) => `${i.name}:${i.id}`).join(", ") || "none"}`);
      return undefined;
    }
    for (const other of items) if (other !== mine) violation("orphan", `${what}: ${other.name}:${other.id} is not in state`);
    if (name !== undefined && mine.name !== name) violation("state-mismatch", `${what}: live name ${mine.name}, declared ${String(name)}`);
    return mine;
  };
  const og = engine.outputs("og");
  const ogLive = expectOne("OriginGroup", live.origin, og?.groupId, d.origin.name);
  const want = d.origin.records.map((r) => `${r.record}@${r.weight ?? "-"}`).sort();
  if (ogLive && JSON.stringify(ogLive.records) !== JSON.stringify(want)) violation("state-mismatch", `OriginGroup records live ${ogLive.records} declared ${want}`);
  const stateRecords = ((og?.records ?? []) as any[]).map((r) => `${r.record}@${r.weight ?? "-"}`).sort();
  if (ogLive && JSON.stringify(stateRecords) !== JSON.stringify(ogLive.records)) violation("state-mismatch", `OriginGroup records state ${stateRecords} live ${ogLive.records}`);

  const ipg = engine.outputs("ipg");
  const ipLive = expectOne("SecurityIPGroup", live.ipGroup, ipg?.groupId, d.ipGroup.name ?? ipg?.name);
  const stateContent = [...((ipg?.content ?? []) as string[])].sort();
  if (ipLive && JSON.stringify(stateContent) !== JSON.stringify(ipLive.content)) violation("state-mismatch", `SecurityIPGroup content state ${stateContent} live ${ipLive.content}`);
  if (ipLive && ipLive.content.length !== d.ipGroup.content.length) violation("state-mismatch", `SecurityIPGroup content live ${ipLive.content} declared ${d.ipGroup.content}`);

  const ug = engine.outputs("ug");
  const ugLive = expectOne("UserGroup", live.user, ug?.groupId, d.user.groupName ?? ug?.groupName);
  if (ugLive && ugLive.description !== (d.user.description ?? "")) violation("state-mismatch", `UserGroup description live "${ugLive.description}" declared "${d.user.description ?? ""}"`);
  if (ugLive && ug?.description !== ugLive.description) violation("state-mismatch", `UserGroup description state "${ug?.description}" live "${ugLive.description}"`);

  const eg = engine.outputs("eg");
  const egLive = expectOne("EndpointGroup", live.endpoint, eg?.endpointGroupId, d.endpoint.name ?? eg?.name);
  if (egLive && (egLive.dial !== d.endpoint.dial || egLive.regionId !== d.endpoint.regionId)) {
    violation("state-mismatch", `EndpointGroup live dial ${egLive.dial} ${egLive.regionId}, declared ${d.endpoint.dial} ${d.endpoint.regionId}`);
  }
  // Status is an output the API moves on its own (a late write makes the group PENDING again, and a refresh may
  // record that); it is judged after the drift check's refresh instead.
  if (egLive && eg?.trafficDialPercentage !== egLive.dial) {
    violation("state-mismatch", `EndpointGroup state dial ${eg?.trafficDialPercentage}, live ${egLive.dial}`);
  }
}

// ---------------------------------------------------------------- campaign

export async function runFaultCampaign(opts: CampaignOptions): Promise<CampaignReport> {
  const log = opts.log ?? (() => {});
  const clientTimeoutMs = opts.clientTimeoutMs ?? 400;
  const started = Date.now();
  const report: CampaignReport = {
    runs: 0, firstSeed: opts.seed, lastSeed: opts.seed + opts.runs - 1, operations: 0,
    injected: zero(), fired: zero(), failedOperations: 0, violations: [], durationMs: 0,
  };
  const emulator = await startEmulator({ quiet: true, credentialEnv: {}, seed: opts.seed, settings: { gaPendingMs: 20 } });
  const config = emulator.stackConfig;
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TENCENTCLOUD|HW)_/.test(k))),
    EDGECONF_TIMEOUT_MS: String(clientTimeoutMs),
  };
  const ctx: RunContext = { emulator, env, config, latencyMs: clientTimeoutMs * 2 + 100, report, log };
  try {
    for (let i = 0; i < opts.runs; i++) {
      const seed = opts.seed + i;
      let found: Violation[];
      try {
        found = await oneRun(seed, ctx);
      } catch (err) {
        found = [{ seed, kind: "crash", detail: (err as Error).stack ?? String(err) }];
      }
      report.runs += 1;
      for (const v of found) log(`VIOLATION seed=${v.seed} ${v.kind}: ${v.detail}  (replay: npm run faults -- --runs 1 --seed ${v.seed})`);
      report.violations.push(...found);
      if (opts.progressEvery && report.runs % opts.progressEvery === 0) {
        log(`  ${report.runs}/${opts.runs} runs, ${report.violations.length} violations, ${((Date.now() - started) / 1000).toFixed(0)} s`);
      }
    }
  } finally {
    await ctx.engine?.close();
    await emulator.close();
  }
  report.durationMs = Date.now() - started;
  return report;
}

export function formatReport(r: CampaignReport): string {
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  const byKind = (o: Record<string, number>) => FAULT_CATEGORIES.map((c) => `${c} ${o[c]}`).join(", ");
  const kinds = new Map<string, number>();
  for (const v of r.violations) kinds.set(v.kind, (kinds.get(v.kind) ?? 0) + 1);
  return [
    `fault campaign: ${r.runs} runs, seeds ${r.firstSeed}..${r.lastSeed}, ${r.operations} engine operations, ${(r.durationMs / 1000).toFixed(0)} s`,
    `  faults injected: ${sum(r.injected)} (${byKind(r.injected)})`,
    `  faults fired:    ${sum(r.fired)} (${byKind(r.fired)})`,
    `  faulted operations that failed (recovered by the next one): ${r.failedOperations}`,
    `  violations: ${r.violations.length}${kinds.size ? ` (${[...kinds].map(([k, n]) => `${k} ${n}`).join(", ")}); seeds ${[...new Set(r.violations.map((v) => v.seed))].join(", ")}` : ""}`,
  ].join("\n");
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const runs = numberArg(argv, "runs", 500);
  const seed = numberArg(argv, "seed", 1);
  runFaultCampaign({ runs, seed, log: (l) => console.log(l), progressEvery: 25 }).then(
    (report) => {
      console.log(formatReport(report));
      process.exit(report.violations.length === 0 ? 0 : 1);
    },
    (err) => {
      console.error(`fault campaign failed: ${(err as Error).stack}`);
      process.exit(2);
    },
  );
}
