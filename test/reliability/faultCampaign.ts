/**
 * Fault campaign (v2): randomized lifecycles of a stack of eight resources (two of each kind, with dependencies
 * between them) through the engine stand-in and Pulumi's own dynamic-provider process, while the emulator
 * injects faults at random call sites of every operation: bare 5xx, InternalError, throttling, Huawei 429 with
 * `Retry-After`, latency past the client timeout, connections dropped before and after the change was applied,
 * malformed and truncated answers. Some faults outlast the client's retries (so operations fail), some runs put
 * the server clock an hour ahead or behind, and some operations have their provider process killed (SIGKILL) at a
 * random moment. The update replaces resources in both orders (delete-first and create-first).
 *
 * Invariants, every run replayable from its seed:
 * - after any failed operation, the operator's repair converges: pending creates resolved as `pulumi refresh`
 *   offers (imported when the cloud has the resource, cleared otherwise), then ONE clean `up`, after which the
 *   emulator holds exactly the declared resources (0 orphans, 0 duplicates) with the declared values;
 * - after the last phase, a clean `up`, a refresh and a preview with no changes (drift check);
 * - `destroy` (faulted, then clean when it failed) leaves the emulator and the state empty.
 *
 *   npm run faults -- --runs 500 --seed 1
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SEED } from "../../emulator/core/defaults";
import type { FaultSpec } from "../../emulator/core/faults";
import { EndpointGroup, OriginGroup, SecurityIPGroup, UserGroup } from "../../provider";
import { Engine, type OperationResult } from "../../engine/engine";
import { createRng, numberArg, type Rng } from "./prng";

/** The repository root, from the source tree (vitest) or from dist/ (npm run faults). */
const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../../.." : "../..");

export const FAULT_CATEGORIES = [
  "http-5xx", "internal-error", "throttling", "retry-after", "timeout", "drop-before", "drop-after", "malformed", "truncated",
] as const;
export type FaultCategory = (typeof FAULT_CATEGORIES)[number];

export interface Violation {
  seed: number;
  kind: "duplicate" | "orphan" | "missing" | "state-mismatch" | "repair-failed" | "retry-up-failed" | "destroy-failed" | "left-behind" | "crash";
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
  /** stops after the run under way; the report covers the runs done */
  signal?: AbortSignal;
}

type Phase = "create" | "update" | "refresh" | "destroy";
const PHASES: readonly Phase[] = ["create", "update", "refresh", "destroy"];

export interface CampaignReport {
  runs: number;
  firstSeed: number;
  lastSeed: number;
  operations: number;
  /** faults armed in the emulator, by category */
  injected: Record<FaultCategory, number>;
  /** faults that actually fired on a call, by category */
  fired: Record<FaultCategory, number>;
  /** faults armed for more calls than the client retries (6 attempts) */
  overBudget: number;
  /** provider processes killed mid-operation */
  kills: number;
  /** runs with the server clock an hour ahead or behind */
  skewedRuns: number;
  /** replacements performed, by order */
  replacements: { deleteFirst: number; createFirst: number };
  /** faulted operations that failed, by phase */
  failed: Record<Phase, number>;
  /** runs with at least one failed operation that the repair (pending creates resolved + one clean up) fixed */
  runsRepaired: number;
  /** how each failure or fault was recovered (see formatReport) */
  recovery: Record<string, number>;
  violations: Violation[];
  durationMs: number;
}

// ---------------------------------------------------------------- programs

interface Declared {
  origins: { name?: string; zoneId: string; type: "HTTP" | "GENERAL"; records: { record: string; weight?: number }[]; hostHeader?: string }[];
  ipGroups: { name?: string; zoneId: string; content: string[] }[];
  /** the descriptions are derived from other resources' ids, plus this tag */
  users: { groupName?: string; tag: string }[];
  endpoints: { regionId: string; name?: string; dial: number }[];
}

const ORIGINS = ["203.0.113.10", "203.0.113.11", "198.51.100.20", "2001:db8::10", "o1.example.com", "o2.example.com", "o3.example.net"];
const IP_ENTRIES = ["198.51.100.0/24", "203.0.113.7", "2001:db8::/48", "192.0.2.1", "192.0.2.128/25", "10.20.0.0/16", "2001:db8:1::1"];
/** a second EdgeOne zone, added after each reset, so a zone change replaces create-first */
const OTHER_TEO_ZONE = "zone-2kblak89bkx2";

const records = (rng: Rng, weighted: boolean) => {
  const picked = rng.sample(ORIGINS, rng.int(1, 3)).map((record) => ({ record }));
  return weighted ? picked.map((r, i) => ({ ...r, weight: i === 0 ? rng.int(1, 100) : rng.int(0, 100) })) : picked;
};

function declare(rng: Rng, run: number): Declared {
  const [r0, r1] = rng.sample(SEED.gaRegions, 2);
  const origin = (i: number) => {
    const type = rng.pick(["HTTP", "GENERAL"] as const);
    return {
      ...(i === 1 || rng.chance(0.5) ? { name: `og${i}-${run}-${rng.int(0, 999)}` } : {}),
      zoneId: SEED.teoZoneId, type, records: records(rng, rng.chance(0.5)),
      ...(type === "HTTP" && rng.chance(0.5) ? { hostHeader: "www.example.com" } : {}),
    };
  };
  return {
    origins: [origin(0), origin(1)],
    ipGroups: [0, 1].map((i) => ({
      ...(rng.chance(0.5) ? { name: `ipg${i}-${run}-${rng.int(0, 999)}` } : {}), zoneId: SEED.teoZoneId, content: rng.sample(IP_ENTRIES, rng.int(1, 4)),
    })),
    users: [0, 1].map((i) => ({ ...(rng.chance(0.5) ? { groupName: `ug${i}-${run}-${rng.int(0, 999)}` } : {}), tag: `t${rng.int(0, 99)}` })),
    endpoints: [r0, r1].map((regionId, i) => ({ regionId, ...(rng.chance(0.5) ? { name: `eg${i}-${run}-${rng.int(0, 999)}` } : {}), dial: rng.int(0, 100) })),
  };
}

/** The update: in-place changes, and replacements of the kinds whose natural key allows each order. */
function mutate(rng: Rng, d: Declared): Declared {
  const next: Declared = JSON.parse(JSON.stringify(d));
  for (const og of next.origins) {
    if (rng.chance(0.5)) og.records = records(rng, og.records[0]?.weight !== undefined);
    if (rng.chance(0.3)) {
      // `type` cannot change in place: with the same name (natural key) the old one goes first; renamed, the new
      // one is created first.
      og.type = og.type === "HTTP" ? "GENERAL" : "HTTP";
      if (og.type === "GENERAL") delete og.hostHeader;
      if (og.name && rng.chance(0.5)) og.name = `${og.name}-r`;
    } else if (og.name && rng.chance(0.15)) og.name = `${og.name}-r`;
    if (rng.chance(0.1)) og.zoneId = OTHER_TEO_ZONE; // create-first: the zone is part of the key
  }
  for (const ipg of next.ipGroups) {
    if (rng.chance(0.5)) ipg.content = rng.sample(IP_ENTRIES, rng.int(1, 5));
    if (rng.chance(0.15)) ipg.zoneId = OTHER_TEO_ZONE; // create-first
  }
  for (const ug of next.users) if (rng.chance(0.5)) ug.tag = `t${rng.int(100, 199)}`;
  // A region left by one group is not free for the other in the same update: create-first keeps the old group
  // (one per listener and region) until the program has finished, so such a swap can never converge.
  const used = new Set(next.endpoints.map((e) => e.regionId));
  for (const eg of next.endpoints) {
    if (rng.chance(0.5)) eg.dial = rng.int(0, 100);
    const free = SEED.gaRegions.filter((r) => !used.has(r));
    if (rng.chance(0.3) && free.length) {
      eg.regionId = rng.pick(free);
      used.add(eg.regionId);
    }
  }
  return next;
}

/** Dependencies: ug0 ← og0, ug1 ← eg0, ipg1 ← ipg0 (its name), eg1 ← eg0 (its description). */
function program(d: Declared) {
  return () => {
    const og = d.origins.map((o, i) => new OriginGroup(`og${i}`, { ...o }));
    const ipg0 = new SecurityIPGroup("ipg0", { ...d.ipGroups[0] });
    new SecurityIPGroup("ipg1", { ...d.ipGroups[1], name: ipg0.name.apply((n) => `${n}-b`) });
    const eg0 = new EndpointGroup("eg0", { listenerId: SEED.gaListenerId, ...endpointArgs(d.endpoints[0]) });
    new EndpointGroup("eg1", { listenerId: SEED.gaListenerId, ...endpointArgs(d.endpoints[1]), description: eg0.endpointGroupId.apply((id) => `after ${id}`) });
    const describe = (i: number, id: pulumi.Output<string>, what: string) =>
      new UserGroup(`ug${i}`, { zoneId: SEED.cicZoneId, ...(d.users[i].groupName ? { groupName: d.users[i].groupName } : {}), description: id.apply((x) => `${what} ${x} ${d.users[i].tag}`) });
    describe(0, og[0].groupId, "owners of");
    describe(1, eg0.endpointGroupId, "routes of");
  };
}
const endpointArgs = (e: Declared["endpoints"][number]) => ({ regionId: e.regionId, ...(e.name ? { name: e.name } : {}), trafficDialPercentage: e.dial });

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
/** Actions each phase is likely to call: faults aim there (reads are called in every phase). */
const PHASE_ACTIONS: Record<Phase, RegExp> = {
  create: /^(Create|Describe|Get|List|Show)/,
  update: /^(Create|Modify|Update|Delete|Describe|Get|List|Show)/,
  refresh: /^(Describe|Get|List|Show)/,
  destroy: /^(Delete|Describe|Get|List|Show)/,
};
/** The client makes 6 attempts: a fault armed for more calls than that outlasts the retries of one call. */
const CLIENT_ATTEMPTS = 6;

function faultSpec(category: FaultCategory, site: { service: string; action: string }, count: number, latencyMs: number): FaultSpec {
  const huawei = site.service === "ga";
  const base = { service: site.service, action: site.action, count };
  switch (category) {
    case "http-5xx": return { ...base, kind: "http", status: [500, 502, 503, 504][count % 4] };
    case "internal-error": return { ...base, kind: "error", ...(huawei ? { code: "GA.9201", status: 500 } : { code: count % 2 ? "InternalError" : "InternalError.UnknownError" }) };
    case "throttling": return { ...base, kind: "error", ...(huawei ? { code: "APIGW.0308", status: 429 } : { code: "RequestLimitExceeded" }) };
    case "retry-after": return huawei
      ? { ...base, kind: "error", code: "APIGW.0308", status: 429, retryAfter: count % 2 }
      : { ...base, kind: "http", status: 503, retryAfter: count % 2 };
    case "timeout": return { ...base, kind: "latency", latencyMs };
    case "drop-before": return { ...base, kind: "drop-before" };
    case "drop-after": return { ...base, kind: "drop-after" };
    case "malformed": return { ...base, kind: "malformed" };
    case "truncated": return { ...base, kind: "truncated" };
  }
}

const zero = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((c) => [c, 0])) as Record<K, number>;

// ---------------------------------------------------------------- live state

interface LiveItem { id: string; name: string; zoneId?: string; [k: string]: unknown }
interface Live {
  origin: (LiveItem & { records: string[] })[];
  ipGroup: (LiveItem & { content: string[] })[];
  user: (LiveItem & { description: string })[];
  endpoint: (LiveItem & { dial: number; status: string; regionId: string; description: string })[];
}

async function liveState(emulator: RunningEmulator): Promise<Live> {
  const admin = (service: string, op: string) => (emulator.services as any)[service].backend.admin(op, {}) as Promise<any[]>;
  const [og, ipg, ug, eg] = await Promise.all([
    admin("teo", "listOriginGroups"), admin("teo", "listSecurityIPGroups"), admin("organization", "listGroups"), admin("ga", "listEndpointGroups"),
  ]);
  return {
    origin: og.map((g) => ({ id: g.GroupId, name: g.Name, zoneId: g.zoneId, records: (g.Records ?? []).map((r: any) => `${r.Record}@${r.Weight ?? "-"}`).sort() })),
    ipGroup: ipg.map((g) => ({ id: String(g.GroupId), name: g.Name, zoneId: g.zoneId, content: [...(g.Content ?? [])].sort() })),
    user: ug.map((g) => ({ id: g.GroupId ?? g.groupId, name: g.GroupName ?? g.groupName, description: g.Description ?? g.description ?? "" })),
    endpoint: eg.filter((g) => g.status !== "DELETING").map((g) => ({
      id: g.id, name: g.name, dial: g.traffic_dial_percentage ?? g.trafficDialPercentage, status: g.status,
      regionId: g.region_id ?? g.regionId, description: g.description ?? "",
    })),
  };
}

// ---------------------------------------------------------------- one run

interface RunContext {
  emulator: RunningEmulator;
  /** the emulator's clock offset; constant within a run (GA's PENDING timing reads the same clock) */
  skew: { ms: number };
  env: NodeJS.ProcessEnv;
  config: Record<string, string>;
  latencyMs: number;
  /** a latency fault was armed since the last settle: requests may still be held */
  held?: boolean;
  report: CampaignReport;
  log: (line: string) => void;
  engine?: Engine;
}

const tally = (c: RunContext, path: string, n = 1) => {
  if (n > 0) c.report.recovery[path] = (c.report.recovery[path] ?? 0) + n;
};

async function oneRun(seed: number, c: RunContext): Promise<Violation[]> {
  const rng = createRng(seed);
  const violations: Violation[] = [];
  const violation = (kind: Violation["kind"], detail: string) => violations.push({ seed, kind, detail });
  c.emulator.reset();
  (c.emulator.services as any).teo.backend.admin("addZone", { zoneId: OTHER_TEO_ZONE });
  c.emulator.settings.gaPendingMs = 20;
  c.skew.ms = rng.chance(0.2) ? rng.pick([3_600_000, -3_600_000]) : 0;
  if (c.skew.ms) c.report.skewedRuns += 1;

  // One engine across runs (its state is empty after each run's destroy); a run that leaves state gets a new one.
  if (!c.engine || c.engine.resources().length > 0 || c.engine.exportState().deployment.pending_operations) {
    await c.engine?.close();
    c.engine = new Engine({ dir: ROOT, config: c.config, secretKeys: ["tencentcloud:secretKey", "huaweicloud:secretKey"], env: c.env, keepProvider: true });
  }
  const engine = c.engine;
  const v1 = declare(rng, seed);
  const v2 = mutate(rng, v1);
  let repairedHere = false;

  const faulted = async (phase: Phase, op: () => Promise<OperationResult>) => {
    const sites = ALL_ACTIONS.filter((s) => PHASE_ACTIONS[phase].test(s.action));
    const armed: { id: string; category: FaultCategory; count: number }[] = [];
    const heavy = rng.chance(0.3);
    for (let n = rng.int(1, 3); n > 0; n--) {
      const category = rng.pick(FAULT_CATEGORIES);
      // One fault per heavy operation outlasts the client's retries (timeouts excepted: each costs a full wait).
      const over = heavy && n === 1 && category !== "timeout";
      const count = over ? rng.int(CLIENT_ATTEMPTS, CLIENT_ATTEMPTS + 3) : rng.int(1, 2);
      const spec = faultSpec(category, rng.pick(sites), count, c.latencyMs);
      armed.push({ id: c.emulator.inject(spec), category, count });
      if (category === "timeout") c.held = true;
      if (over) c.report.overBudget += 1;
      c.report.injected[category] += 1;
    }
    // Some operations lose their provider process at a random moment.
    const killAt = rng.chance(0.12) ? rng.int(50, 2500) : undefined;
    let killed = false;
    const timer = killAt === undefined ? undefined : setTimeout(() => (killed = engine.killProvider()), killAt);
    const r = await op();
    clearTimeout(timer);
    if (killed) c.report.kills += 1;
    c.report.operations += 1;
    const left = new Map(c.emulator.faults().map((f) => [f.id, f.fired]));
    let fired = 0;
    for (const a of armed) {
      const n = left.has(a.id) ? left.get(a.id)! : a.count;
      c.report.fired[a.category] += n;
      fired += n;
    }
    c.emulator.clearFaults();
    tally(c, "create found by its natural key after an ambiguous failure", r.providerOutput.filter((l) => /the create had been applied/.test(l)).length);
    countReplacements(c, r);
    if (r.ok) {
      if (fired > 0) tally(c, "faults absorbed by client retries within the operation");
      return r;
    }
    c.report.failed[phase] += 1;
    if (killed) tally(c, "provider killed: operation failed at once, new process on the next operation");
    return r;
  };
  const clean = async (op: () => Promise<OperationResult>) => {
    const r = await op();
    c.report.operations += 1;
    countReplacements(c, r);
    return r;
  };

  /** After a failed operation: what the operator runs, then the one clean `up` that must converge. */
  const repair = async (d: Declared, what: string) => {
    await settle(c);
    if (!(await resolvePendingCreates(c, engine, violation))) return;
    noteLeftovers(c, engine);
    const r = await clean(() => engine.up(program(d)));
    if (!r.ok) {
      violation("repair-failed", `${what}: ${[...r.errors, ...r.failures.map((f) => `${f.property}: ${f.reason}`)].join(" | ")}`);
      return;
    }
    for (const s of r.steps) if (s.op !== "same") tally(c, `next clean up: ${s.op}`);
    const before = violations.length;
    await checkDeclared(engine, c.emulator, d, violation);
    if (violations.length === before) repairedHere = true;
  };

  const created = await faulted("create", () => engine.up(program(v1)));
  if (!created.ok) await repair(v1, "after a failed create");
  const updated = await faulted("update", () => engine.up(program(v2)));
  if (!updated.ok) await repair(v2, "after a failed update");
  const refreshed = await faulted("refresh", () => engine.refresh());
  if (!refreshed.ok) await repair(v2, "after a failed refresh");
  // A request held past the client's timeout lands later: let the world settle before judging it.
  await settle(c);

  // Faults cleared: one more clean `up` converges to the program, and the drift check finds nothing.
  if (await resolvePendingCreates(c, engine, violation)) {
    const retry = await clean(() => engine.up(program(v2)));
    if (!retry.ok) violation("retry-up-failed", [...retry.errors, ...retry.failures.map((f) => `${f.property}: ${f.reason}`)].join(" | "));
    else {
      await checkDeclared(engine, c.emulator, v2, violation);
      // `pulumi preview --refresh --expect-no-changes`: a refresh, then a preview whose diff must be empty.
      const refresh = await clean(() => engine.refresh());
      const drift = await clean(() => engine.preview(program(v2)));
      for (const name of ["eg0", "eg1"]) {
        const status = engine.outputs(name)?.status;
        if (status !== "ACTIVE") violation("state-mismatch", `EndpointGroup ${name} status after refresh: ${status}`);
      }
      if (!refresh.ok || !drift.ok || drift.changes > 0) {
        violation("state-mismatch", `preview --refresh after converging: ${drift.steps.filter((s) => s.op !== "same").map((s) => `${s.name} ${s.op} [${s.keys?.join(",")}]`).join("; ")} ${[...refresh.errors, ...drift.errors].join(" | ")}`);
      }
    }
  }

  const destroyed = await faulted("destroy", () => engine.destroy());
  await settle(c);
  if (!destroyed.ok || engine.resources().length > 0) {
    await resolvePendingCreates(c, engine, violation);
    const again = await clean(() => engine.destroy());
    if (!again.ok) violation("destroy-failed", again.errors.join(" | "));
    else if (!destroyed.ok) {
      tally(c, "destroy finished by a clean destroy");
      repairedHere = true;
    }
  }
  const live = await liveState(c.emulator);
  const left = [...live.origin, ...live.ipGroup, ...live.user, ...live.endpoint];
  if (left.length > 0) violation("left-behind", `after destroy: ${left.map((x) => `${x.name}(${x.id})`).join(", ")}`);
  if (engine.resources().length > 0) violation("left-behind", `state still holds ${engine.resources().map((r) => r.urn.split("::").pop()).join(", ")}`);
  if (engine.exportState().deployment.pending_operations) violation("left-behind", "state still holds pending operations");
  if (repairedHere && violations.length === 0) c.report.runsRepaired += 1;
  return violations;
}

function countReplacements(c: RunContext, r: OperationResult) {
  for (const s of r.steps) {
    if (s.op !== "replace" || r.kind !== "up") continue;
    if (s.deleteBeforeReplace) c.report.replacements.deleteFirst += 1;
    else c.report.replacements.createFirst += 1;
  }
}

/** What a failed operation left in state, before the repair (the recovery paths the next `up` takes). */
function noteLeftovers(c: RunContext, engine: Engine) {
  const resources = engine.resources();
  tally(c, "old half kept as delete:true, deleted by the next up", resources.filter((r) => r.delete).length);
  tally(c, "pendingReplacement kept, replaced by the next up without a second delete", resources.filter((r) => r.pendingReplacement).length);
  tally(c, "partial create kept with initErrors, finished by the next up", resources.filter((r) => r.initErrors?.length).length);
  const pending = engine.exportState().deployment.pending_operations ?? [];
  tally(c, "pending update/delete dropped by the next write", pending.filter((p) => p.type !== "creating").length);
}

/**
 * The operator's answer to pending creates after a killed run, as `edgeconf recover` gives it: look in the
 * console (the emulator) for the resource the create would have made (its name, or its region for GA); put it
 * into the state when it is there, drop the operation when it is not; then refresh. False when that refresh failed
 * (a violation).
 */
async function resolvePendingCreates(c: RunContext, engine: Engine, violation: (k: Violation["kind"], s: string) => void): Promise<boolean> {
  const creates = (engine.exportState().deployment.pending_operations ?? []).filter((p) => p.type === "creating");
  if (creates.length === 0) return true;
  await settle(c, true);
  const live = await liveState(c.emulator);
  const known = new Set(engine.resources().map((r) => r.id));
  const imports: { urn: string; id: string }[] = [];
  for (const p of creates) {
    const i = p.resource.inputs as Record<string, any>;
    const kind = p.resource.type.split(":").pop();
    const candidates: LiveItem[] = kind === "OriginGroup" ? live.origin.filter((g) => g.name === i.name && g.zoneId === i.zoneId)
      : kind === "SecurityIPGroup" ? live.ipGroup.filter((g) => g.name === i.name && g.zoneId === i.zoneId)
        : kind === "UserGroup" ? live.user.filter((g) => g.name === i.groupName)
          : live.endpoint.filter((g) => g.regionId === i.regionId);
    const found = candidates.find((g) => !known.has(g.id));
    if (found) imports.push({ urn: p.resource.urn, id: found.id });
  }
  // what `edgeconf recover` does (Pulumi's own --import-pending-creates adds no resource), then a refresh
  engine.recoverPendingCreates(imports);
  const r = await engine.refresh();
  c.report.operations += 1;
  tally(c, "pending create recovered (the create had landed)", imports.length);
  tally(c, "pending create dropped (nothing was created)", creates.length - imports.length);
  if (!r.ok) violation("repair-failed", `refresh resolving pending creates: ${r.errors.join(" | ")}`);
  return r.ok;
}

/** Waits out requests the emulator still holds (latency faults), so none lands in the next phase or run. */
async function settle(c: RunContext, always = false): Promise<void> {
  if (!c.held && !always) return;
  await new Promise((resolve) => setTimeout(resolve, c.latencyMs + 200));
  c.held = false;
}

/** The emulator holds exactly the resources in state, one per declaration, with the declared values. */
async function checkDeclared(engine: Engine, emulator: RunningEmulator, d: Declared, violation: (k: Violation["kind"], s: string) => void) {
  const live = await liveState(emulator);
  const out = (name: string) => engine.outputs(name) ?? {};
  const expectExactly = <T extends LiveItem>(what: string, items: T[], names: string[], idKey: string): (T | undefined)[] => {
    const ids = names.map((n) => String(out(n)[idKey]));
    const declaredNames = new Set(names.map((n) => out(n).name ?? out(n).groupName));
    for (const item of items) {
      if (ids.includes(item.id)) continue;
      violation(declaredNames.has(item.name) ? "duplicate" : "orphan", `${what}: ${item.name}:${item.id} is live but not in state`);
    }
    return names.map((n, i) => {
      const mine = items.find((x) => x.id === ids[i]);
      if (!mine) violation("missing", `${what} ${n}: state id ${ids[i]} not live`);
      return mine;
    });
  };
  const same = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) violation("state-mismatch", `${what}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  };

  expectExactly("OriginGroup", live.origin, ["og0", "og1"], "groupId").forEach((g, i) => {
    if (!g) return;
    const want = d.origins[i];
    if (want.name) same(`og${i} name (live, declared)`, g.name, want.name);
    same(`og${i} zone (live, declared)`, g.zoneId, want.zoneId);
    same(`og${i} records (live, declared)`, g.records, want.records.map((r) => `${r.record}@${r.weight ?? "-"}`).sort());
    same(`og${i} records (state, live)`, ((out(`og${i}`).records ?? []) as any[]).map((r) => `${r.record}@${r.weight ?? "-"}`).sort(), g.records);
  });
  expectExactly("SecurityIPGroup", live.ipGroup, ["ipg0", "ipg1"], "groupId").forEach((g, i) => {
    if (!g) return;
    const want = d.ipGroups[i];
    if (i === 0 && want.name) same("ipg0 name (live, declared)", g.name, want.name);
    if (i === 1) same("ipg1 name (live, derived from ipg0)", g.name, `${out("ipg0").name}-b`);
    same(`ipg${i} zone (live, declared)`, g.zoneId, want.zoneId);
    same(`ipg${i} content (live, declared)`, g.content, [...want.content].sort());
    same(`ipg${i} content (state, live)`, [...((out(`ipg${i}`).content ?? []) as string[])].sort(), g.content);
  });
  const egIds = [String(out("eg0").endpointGroupId), String(out("og0").groupId)];
  expectExactly("UserGroup", live.user, ["ug0", "ug1"], "groupId").forEach((g, i) => {
    if (!g) return;
    const want = i === 0 ? `owners of ${egIds[1]} ${d.users[0].tag}` : `routes of ${egIds[0]} ${d.users[1].tag}`;
    if (d.users[i].groupName) same(`ug${i} name (live, declared)`, g.name, d.users[i].groupName);
    same(`ug${i} description (live, derived)`, g.description, want);
    same(`ug${i} description (state, live)`, out(`ug${i}`).description, g.description);
  });
  expectExactly("EndpointGroup", live.endpoint, ["eg0", "eg1"], "endpointGroupId").forEach((g, i) => {
    if (!g) return;
    const want = d.endpoints[i];
    if (want.name) same(`eg${i} name (live, declared)`, g.name, want.name);
    same(`eg${i} region and dial (live, declared)`, [g.regionId, g.dial], [want.regionId, want.dial]);
    same(`eg${i} dial (state, live)`, out(`eg${i}`).trafficDialPercentage, g.dial);
    if (i === 1) same("eg1 description (live, derived from eg0)", g.description, `after ${egIds[0]}`);
  });
}

// ---------------------------------------------------------------- campaign

export async function runFaultCampaign(opts: CampaignOptions): Promise<CampaignReport> {
  const log = opts.log ?? (() => {});
  const clientTimeoutMs = opts.clientTimeoutMs ?? 400;
  const started = Date.now();
  const report: CampaignReport = {
    runs: 0, firstSeed: opts.seed, lastSeed: opts.seed + opts.runs - 1, operations: 0,
    injected: zero(FAULT_CATEGORIES), fired: zero(FAULT_CATEGORIES), overBudget: 0, kills: 0, skewedRuns: 0,
    replacements: { deleteFirst: 0, createFirst: 0 }, failed: zero(PHASES), runsRepaired: 0, recovery: {},
    violations: [], durationMs: 0,
  };
  const skew = { ms: 0 };
  const emulator = await startEmulator({
    quiet: true, credentialEnv: {}, seed: opts.seed, settings: { gaPendingMs: 20 }, env: { now: () => Date.now() + skew.ms },
  });
  const config = emulator.stackConfig;
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TENCENTCLOUD|HW)_/.test(k))),
    EDGECONF_TIMEOUT_MS: String(clientTimeoutMs),
  };
  const ctx: RunContext = { emulator, skew, env, config, latencyMs: clientTimeoutMs * 2 + 100, report, log };
  try {
    for (let i = 0; i < opts.runs && !opts.signal?.aborted; i++) {
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
        log(`  ${report.runs}/${opts.runs} runs, ${report.violations.length} violations, ${report.runsRepaired} runs repaired, ${((Date.now() - started) / 1000).toFixed(0)} s`);
      }
    }
  } finally {
    await ctx.engine?.close();
    await emulator.close();
  }
  report.durationMs = Date.now() - started;
  report.lastSeed = opts.seed + report.runs - 1;
  return report;
}

export function formatReport(r: CampaignReport): string {
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  const byKind = (o: Record<string, number>) => FAULT_CATEGORIES.map((c) => `${c} ${o[c]}`).join(", ");
  const kinds = new Map<string, number>();
  for (const v of r.violations) kinds.set(v.kind, (kinds.get(v.kind) ?? 0) + 1);
  const pct = r.runs ? ((100 * r.runsRepaired) / r.runs).toFixed(1) : "0";
  return [
    `fault campaign: ${r.runs} runs, seeds ${r.firstSeed}..${r.lastSeed}, ${r.operations} engine operations, ${(r.durationMs / 1000).toFixed(0)} s`,
    `  faults injected: ${sum(r.injected)} (${byKind(r.injected)})`,
    `  faults fired:    ${sum(r.fired)} (${byKind(r.fired)})`,
    `  beyond the retries: ${r.overBudget} faults; provider processes killed: ${r.kills}; runs with the server clock ±1 h: ${r.skewedRuns}`,
    `  replacements: ${r.replacements.deleteFirst} delete-first, ${r.replacements.createFirst} create-first`,
    `  failed operations: ${sum(r.failed)} (${PHASES.map((p) => `${p} ${r.failed[p]}`).join(", ")})`,
    `  runs with a failed operation repaired by the next clean up: ${r.runsRepaired} (${pct}%)`,
    `  recovery paths:`,
    ...Object.entries(r.recovery).sort((a, b) => b[1] - a[1]).map(([k, n]) => `    ${String(n).padStart(5)}  ${k}`),
    `  violations: ${r.violations.length}${kinds.size ? ` (${[...kinds].map(([k, n]) => `${k} ${n}`).join(", ")}); seeds ${[...new Set(r.violations.map((v) => v.seed))].join(", ")}` : ""}`,
  ].join("\n");
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const runs = numberArg(argv, "runs", 500);
  const seed = numberArg(argv, "seed", 1);
  // SIGTERM/SIGINT end the campaign after the run under way, with the report of the runs done.
  const stop = new AbortController();
  for (const sig of ["SIGTERM", "SIGINT"] as const) process.once(sig, () => stop.abort());
  runFaultCampaign({ runs, seed, log: (l) => console.log(l), progressEvery: 25, signal: stop.signal }).then(
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
