/**
 * Input fuzzing: for each resource, generated inputs (valid, boundary, wrong types, huge strings, odd Unicode,
 * malformed IPs/CIDRs, the preview unknown sentinel, nested nulls, unknown keys) go through the provider's `check`
 * and `diff` in process. Invariants: no exception escapes; every failure names a property and a reason; every
 * input that passes `check` (without unknowns) is accepted by the emulator when created (sampled: up to
 * `--create` per resource, each deleted afterwards). Check/emulator disagreements must be 0.
 *
 *   npm run fuzz -- --inputs 10000 --seed 1 [--create 150]
 */
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SEED } from "../../emulator/core/defaults";
import * as runtime from "../../provider/runtime";
import type { ResourceKind } from "../../provider/resources/lifecycle";
import { containsUnknown } from "../../provider/resources/unknowns";
import { createRng, numberArg, type Rng } from "./prng";

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const KINDS: ResourceKind[] = ["OriginGroup", "SecurityIPGroup", "UserGroup", "EndpointGroup"];

export interface FuzzProblem {
  kind: ResourceKind;
  seed: number;
  index: number;
  what: "escaped-exception" | "bad-failure" | "disagreement";
  detail: string;
  input: string;
}

export interface KindReport {
  inputs: number;
  passedCheck: number;
  passedWithUnknowns: number;
  diffs: number;
  /** passing inputs created in the emulator (and deleted) */
  created: number;
  /** refusals that depend on the environment (a zone, listener or region that does not exist), not on syntax */
  environmentRefusals: number;
}

export interface FuzzReport {
  seed: number;
  perKind: Record<ResourceKind, KindReport>;
  escaped: number;
  badFailures: number;
  disagreements: number;
  problems: FuzzProblem[];
  durationMs: number;
}

// ---------------------------------------------------------------- values

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ODD_UNICODE = ["名前", "é", "e\u0301", "\u200b", "\u202e", "\u0000", "🙂", "\ud800", "Ω", "ß", "İ", "\ufeff", "\n", " ", "ﬀ", "٣"];
const BAD_ADDRESSES = [
  "256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4/33", "::g", "1.2.3.4/24", "[::1]", "fe80::1%eth0", " 1.2.3.4", "1.2.3.4 ",
  "1.2.3.4:80", "example", "exa_mple.com", "-a.com", "a..com", "xn--bcher-kva.example", "ÄÖÜ.com", "1.2.3.4.5", "0.0.0.0",
  "127.0.0.1", "::ffff:10.0.0.1", "2001:db8::/129", "10.0.0.0/8", "10.0.0.1/32", "2001:DB8::1", "2001:db8:0:0:0:0:0:1",
  "::", "::1", "192.168.1.1", "172.31.255.255", "100.64.0.1", "169.254.1.1", "224.0.0.1", "255.255.255.255",
  "fc00::1", "fe80::1", "http://a.com", "a.com/", "a.com.", "A.COM", "a.123", "1.2.3.4/0", "0.0.0.0/0", "::/0",
  "2001:db8::1/64", "2001:db8::/64", "1.1.1.1/31", "1.1.1.0/31", "::ffff:1.2.3.4", "1.2.3.04", "0x7f.0.0.1",
];
const HUGE = "a".repeat(200_000);

function str(rng: Rng, alphabet: string, min: number, max: number): string {
  let s = "";
  for (let n = rng.int(min, max); n > 0; n--) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

function publicIpv4(rng: Rng): string {
  return `${rng.pick([1, 8, 45, 93, 101, 198, 203])}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}
function publicIpv6(rng: Rng): string {
  return `2001:db8:${rng.int(0, 0xffff).toString(16)}::${rng.int(1, 0xffff).toString(16)}`;
}
function domain(rng: Rng): string {
  return `${str(rng, "abcdefghijklmnopqrstuvwxyz0123456789", 1, 12)}.${rng.pick(["example.com", "example.net", "cos.ap-guangzhou.myqcloud.com", "s3.amazonaws.com"])}`;
}
function ipEntry(rng: Rng): string {
  switch (rng.int(0, 4)) {
    case 0: return publicIpv4(rng);
    case 1: return `${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.0/24`;
    case 2: return publicIpv6(rng);
    case 3: return `2001:db8:${rng.int(0, 0xffff).toString(16)}::/48`;
    default: return `10.${rng.int(0, 255)}.0.0/16`;
  }
}
function futureTime(rng: Rng): string {
  const t = new Date(Date.now() + rng.int(2, 3000) * 86_400_000);
  const iso = t.toISOString().replace(/\.\d+Z$/, "");
  return rng.chance(0.5) ? `${iso}Z` : `${iso}+08:00`;
}

// ---------------------------------------------------------------- valid bases

type Props = Record<string, unknown>;

function validInput(kind: ResourceKind, rng: Rng): Props {
  switch (kind) {
    case "OriginGroup": {
      const type = rng.pick(["HTTP", "GENERAL"] as const);
      const n = rng.int(1, rng.chance(0.05) ? 100 : 4);
      const weighted = rng.chance(0.5);
      const seen = new Set<string>();
      const records: Props[] = [];
      while (records.length < n) {
        const storage = type === "HTTP" && rng.chance(0.2) ? rng.pick(["COS", "AWS_S3"] as const) : undefined;
        const record = storage ? domain(rng) : rng.pick([publicIpv4, publicIpv6, domain])(rng);
        if (seen.has(record)) continue;
        seen.add(record);
        const r: Props = { record };
        if (storage) r.type = storage;
        else if (rng.chance(0.2)) r.type = "IP_DOMAIN";
        if (weighted) r.weight = records.length === 0 ? rng.int(1, 100) : rng.int(0, 100);
        if (storage && rng.chance(0.5)) {
          r.private = true;
          const params: Props[] = [];
          if (storage === "AWS_S3" || rng.chance(0.5)) params.push({ name: "AccessKeyId", value: str(rng, ALNUM, 16, 20) }, { name: "SecretAccessKey", value: str(rng, ALNUM, 30, 40) });
          if (rng.chance(0.5)) params.push({ name: "SignatureVersion", value: rng.pick(["v2", "v4"]) });
          if (rng.chance(0.5)) params.push({ name: "Region", value: rng.pick(["ap-guangzhou", "us-east-1", "eu-west-3"]) });
          if (params.length) r.privateParameters = params;
        }
        records.push(r);
      }
      return {
        zoneId: SEED.teoZoneId,
        ...(rng.chance(0.9) ? { name: str(rng, `${ALNUM}_-`, 1, rng.chance(0.1) ? 200 : 30) } : {}),
        type,
        records,
        ...(type === "HTTP" && rng.chance(0.5) ? { hostHeader: rng.chance(0.9) ? domain(rng) : "" } : {}),
      };
    }
    case "SecurityIPGroup": {
      const content = [...new Set(Array.from({ length: rng.int(1, rng.chance(0.05) ? 300 : 6) }, () => ipEntry(rng)))];
      const expiring = rng.chance(0.3) ? rng.sample(content, rng.int(1, Math.min(3, content.length))) : [];
      return {
        zoneId: SEED.teoZoneId,
        ...(rng.chance(0.8) ? { name: str(rng, `${ALNUM}_.-名前ΩéÄ`, 1, rng.chance(0.1) ? 64 : 20) } : {}),
        content,
        ...(expiring.length ? { ipExpireInfo: [{ expireTime: futureTime(rng), ipList: expiring }] } : {}),
      };
    }
    case "UserGroup":
      return {
        zoneId: SEED.cicZoneId,
        ...(rng.chance(0.8) ? { groupName: str(rng, `${ALNUM}-`, 1, rng.chance(0.1) ? 128 : 30) } : {}),
        ...(rng.chance(0.6) ? { description: rng.chance(0.1) ? "d".repeat(1024) : `${str(rng, ALNUM + " ", 0, 40)}${rng.chance(0.3) ? rng.pick(ODD_UNICODE.filter((u) => u !== "\ud800")) : ""}` } : {}),
        ...(rng.chance(0.3) ? { groupType: "Manual" } : {}),
      };
    case "EndpointGroup":
      return {
        listenerId: SEED.gaListenerId,
        regionId: rng.pick(["ap-southeast-1", "cn-south-1", "cn-north-4", "cn-east-3", "eu-west-101"]),
        ...(rng.chance(0.8) ? { name: str(rng, `${ALNUM}-`, 1, rng.chance(0.1) ? 64 : 20) } : {}),
        ...(rng.chance(0.5) ? { description: rng.chance(0.1) ? "d".repeat(255) : str(rng, ALNUM + " .,", 0, 40) } : {}),
        ...(rng.chance(0.7) ? { trafficDialPercentage: rng.int(0, 100) } : {}),
      };
  }
}

// ---------------------------------------------------------------- mutations

/** Every path to a value inside `v` (objects and arrays), the root excluded. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== "object") return [];
  const out: (string | number)[][] = [];
  for (const [k, child] of Object.entries(v)) {
    const p = [...prefix, Array.isArray(v) ? Number(k) : k];
    out.push(p, ...paths(child, p));
  }
  return out;
}

function oddValue(rng: Rng, current: unknown): unknown {
  const strings = typeof current === "string";
  switch (rng.int(0, strings ? 13 : 9)) {
    case 0: return null;
    case 1: return rng.pick([0, -1, 1, 1.5, 100, 101, 1e21, -0, 2 ** 53, 64, 65, 200, 201]);
    case 2: return rng.chance(0.5);
    case 3: return {};
    case 4: return rng.chance(0.5) ? [] : [null];
    case 5: return UNKNOWN;
    case 6: return "";
    case 7: return rng.chance(0.5) ? HUGE : "x".repeat(rng.pick([63, 64, 65, 127, 128, 129, 199, 200, 201, 254, 255, 256, 1023, 1024, 1025]));
    case 8: return rng.pick(BAD_ADDRESSES);
    case 9: return { nested: null };
    case 10: return `${current as string}${rng.pick(ODD_UNICODE)}`;
    case 11: return rng.pick(ODD_UNICODE);
    case 12: return (current as string).toUpperCase();
    default: return ` ${current as string}`;
  }
}

function mutate(input: Props, rng: Rng): Props {
  const out = structuredClone(input);
  for (let n = rng.int(1, 3); n > 0; n--) {
    const all = paths(out);
    if (all.length === 0) break;
    const p = rng.pick(all);
    const parent = p.slice(0, -1).reduce<any>((o, k) => o?.[k], out);
    if (parent === null || typeof parent !== "object") continue;
    const key = p[p.length - 1];
    const action = rng.int(0, 9);
    if (action === 0 && !Array.isArray(parent)) delete parent[key];
    else if (action === 1 && !Array.isArray(parent)) parent[rng.pick(["bogus", "Name", "__proto__x", "records_"])] = rng.pick([1, "x", null]);
    else if (action === 2 && Array.isArray(parent)) parent.push(structuredClone(parent[0] ?? null));
    else parent[key] = oddValue(rng, parent[key]);
  }
  return out;
}

function generate(kind: ResourceKind, rng: Rng): Props {
  const base = validInput(kind, rng);
  return rng.chance(0.3) ? base : mutate(base, rng);
}

// ---------------------------------------------------------------- the campaign

/** Emulator refusals about things that do not exist (not input syntax), which `check` cannot know. */
const ENVIRONMENT_CODES = /ZoneNotFound|GA\.9105|GA\.9002|ResourceNotFound/;

const jsonSafe = (v: unknown) => {
  const s = JSON.stringify(v, (_k, x) => (typeof x === "string" && x.length > 80 ? `${x.slice(0, 40)}…(${x.length} chars)` : x));
  return s.length > 600 ? `${s.slice(0, 600)}…` : s;
};

export interface FuzzOptions {
  inputs: number;
  seed: number;
  /** passing inputs created in the emulator per resource */
  create?: number;
  log?: (line: string) => void;
  emulator?: RunningEmulator;
}

export async function runFuzzCampaign(opts: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const emulator = opts.emulator ?? (await startEmulator({ quiet: true, credentialEnv: {}, settings: { gaPendingMs: 5, rateLimit: 0 } }));
  const config = emulator.stackConfig;
  await runtime.configure({ config: { get: (k: string) => config[k] } });
  const report: FuzzReport = {
    seed: opts.seed, perKind: {} as FuzzReport["perKind"], escaped: 0, badFailures: 0, disagreements: 0, problems: [], durationMs: 0,
  };
  const maxCreates = opts.create ?? 150;
  try {
    for (const [k, kind] of KINDS.entries()) {
      const rng = createRng(opts.seed * 7919 + k);
      const stats: KindReport = { inputs: 0, passedCheck: 0, passedWithUnknowns: 0, diffs: 0, created: 0, environmentRefusals: 0 };
      report.perKind[kind] = stats;
      const problem = (index: number, what: FuzzProblem["what"], detail: string, input: unknown) => {
        report.problems.push({ kind, seed: opts.seed, index, what, detail, input: jsonSafe(input) });
        if (what === "escaped-exception") report.escaped++;
        else if (what === "bad-failure") report.badFailures++;
        else report.disagreements++;
        log(`PROBLEM ${kind} #${index} ${what}: ${detail} input=${jsonSafe(input)}`);
      };
      // A live resource to diff against (its outputs are what the engine passes as olds).
      const base = await runtime.check(kind, undefined, validInput(kind, createRng(opts.seed + 99 + k)));
      const baseLive = await runtime.create(kind, base.inputs);
      // diff needs only its outputs (diff makes no API call); deleted now so its name and slot stay free
      await runtime.remove(kind, baseLive.id, baseLive.outs);
      // Creates are spread over the run: take every passing input while under the per-resource quota share.
      const creatingEvery = Math.max(1, Math.floor(opts.inputs / Math.max(1, maxCreates) / 2));
      for (let i = 0; i < opts.inputs; i++) {
        const input = generate(kind, rng);
        stats.inputs++;
        let checked: { inputs: Props; failures: { property: string; reason: string }[] };
        try {
          checked = await runtime.check(kind, rng.chance(0.2) ? base.inputs : undefined, structuredClone(input));
        } catch (err) {
          problem(i, "escaped-exception", `check threw ${(err as Error).stack?.split("\n").slice(0, 3).join(" ")}`, input);
          continue;
        }
        for (const f of checked.failures) {
          if (typeof f.property !== "string" || f.property === "" || typeof f.reason !== "string" || f.reason.trim() === "") {
            problem(i, "bad-failure", `failure without property or reason: ${JSON.stringify(f)}`, input);
          }
        }
        try {
          await runtime.diff(kind, baseLive.id, baseLive.outs, structuredClone(input));
          if (checked.failures.length === 0) await runtime.diff(kind, baseLive.id, baseLive.outs, checked.inputs);
          stats.diffs++;
        } catch (err) {
          problem(i, "escaped-exception", `diff threw ${(err as Error).stack?.split("\n").slice(0, 3).join(" ")}`, input);
        }
        if (checked.failures.length > 0) continue;
        stats.passedCheck++;
        if (containsUnknown(checked.inputs)) {
          stats.passedWithUnknowns++;
          continue;
        }
        if (stats.created >= maxCreates || i % creatingEvery !== 0) continue;
        stats.created++;
        try {
          const made = await runtime.create(kind, checked.inputs);
          await runtime.remove(kind, made.id, made.outs);
        } catch (err: any) {
          const code = String(err?.apiCode ?? err?.code ?? "");
          if (ENVIRONMENT_CODES.test(code)) stats.environmentRefusals++;
          else problem(i, "disagreement", `check passed, the emulator refused: ${(err as Error).message}`, checked.inputs);
        }
      }
      log(`${kind}: ${stats.inputs} inputs, ${stats.passedCheck} passed check (${stats.passedWithUnknowns} with unknowns), ${stats.created} created in the emulator`);
    }
  } finally {
    if (!opts.emulator) await emulator.close();
  }
  report.durationMs = Date.now() - started;
  return report;
}

export function formatFuzzReport(r: FuzzReport): string {
  const lines = [`fuzz campaign: seed ${r.seed}, ${(r.durationMs / 1000).toFixed(0)} s`];
  for (const [kind, s] of Object.entries(r.perKind)) {
    lines.push(`  ${kind.padEnd(16)} ${s.inputs} inputs through check+diff, ${s.passedCheck} passed check (${s.passedWithUnknowns} with unknowns), ${s.created} created in the emulator${s.environmentRefusals ? `, ${s.environmentRefusals} refused for environment` : ""}`);
  }
  lines.push(`  escaped exceptions: ${r.escaped}, failures without property/reason: ${r.badFailures}, check/emulator disagreements: ${r.disagreements}`);
  return lines.join("\n");
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  runFuzzCampaign({
    inputs: numberArg(argv, "inputs", 10_000),
    seed: numberArg(argv, "seed", 1),
    create: numberArg(argv, "create", 150),
    log: (l) => console.log(l),
  }).then(
    (r) => {
      console.log(formatFuzzReport(r));
      process.exit(r.escaped + r.badFailures + r.disagreements === 0 ? 0 : 1);
    },
    (err) => {
      console.error(`fuzz campaign failed: ${(err as Error).stack}`);
      process.exit(2);
    },
  );
}
