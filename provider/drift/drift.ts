/**
 * Drift report for a `pulumi stack export` file, without the Pulumi CLI: each of our resources is read live
 * with the provider's own code (same clients, same batching, same normalisation as `refresh` + `preview`),
 * and every declared property that differs is reported with its path, old value and live value.
 */
import { definitions, providerContext } from "../runtime";
import type { AnyDefinition, ResourceKind } from "../resources/lifecycle";
import { DEFAULT_TIMEOUTS, operationContext } from "../resources/lifecycle";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface FieldDrift {
  /** `records[record=203.0.113.10].weight` */
  path: string;
  state: unknown;
  live: unknown;
}

export interface ResourceDrift {
  urn: string;
  type: string;
  name: string;
  id: string;
  status: "clean" | "drifted" | "gone" | "error" | "skipped";
  fields: FieldDrift[];
  /** properties that could not be compared (secrets exported without --show-secrets), or the error */
  note?: string;
}

export interface DriftReport {
  resources: ResourceDrift[];
  drifted: number;
  errors: number;
}

interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  outputs?: Record<string, unknown>;
}

const KINDS: readonly ResourceKind[] = ["OriginGroup", "SecurityIPGroup", "UserGroup", "EndpointGroup"];

/** Our resources in an export: `pulumi-nodejs:dynamic/<cloud>/<service>:<Kind>`. */
function kindOf(type: string): ResourceKind | undefined {
  if (!type.startsWith("pulumi-nodejs:dynamic/")) return undefined;
  const kind = type.split(":").pop() as ResourceKind;
  return KINDS.includes(kind) ? kind : undefined;
}

/** Secrets: `--show-secrets` exports carry `plaintext`; without it only ciphertext, which cannot be compared. */
function unwrapSecrets(outputs: Record<string, unknown>): { plain: Record<string, unknown>; hidden: string[] } {
  const plain: Record<string, unknown> = {};
  const hidden: string[] = [];
  for (const [k, v] of Object.entries(outputs)) {
    const env = v as Record<string, unknown> | null;
    if (env && typeof env === "object" && env[SIG_KEY] === SECRET_SIG) {
      if (typeof env.plaintext === "string") plain[k] = JSON.parse(env.plaintext);
      else if ("value" in env) plain[k] = env.value;
      else hidden.push(k);
    } else plain[k] = v;
  }
  return { plain, hidden };
}

const IDENTITY_KEYS = ["record", "name", "0"];

/** Paths of every difference; array elements are named by their identity (`[record=…]`) where they have one. */
export function diffPaths(a: unknown, b: unknown, path = ""): FieldDrift[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    const idKey = IDENTITY_KEYS.find((k) => [...a, ...b].every((x) => x !== null && typeof x === "object" && k in x));
    if (idKey !== undefined) {
      const ident = (x: any) => String(x[idKey]);
      const label = (id: string) => (idKey === "0" ? `${path}[${id}]` : `${path}[${idKey}=${id}]`);
      const left = new Map(a.map((x) => [ident(x), x]));
      const right = new Map(b.map((x) => [ident(x), x]));
      const out: FieldDrift[] = [];
      for (const [id, x] of left) out.push(...(right.has(id) ? diffPaths(x, right.get(id), label(id)) : [{ path: label(id), state: x, live: undefined }]));
      for (const [id, y] of right) if (!left.has(id)) out.push({ path: label(id), state: undefined, live: y });
      return out;
    }
    if (a.every((x) => typeof x !== "object") && b.every((x) => typeof x !== "object")) {
      const sa = new Set(a.map(String));
      const sb = new Set(b.map(String));
      const removed = [...sa].filter((x) => !sb.has(x));
      const added = [...sb].filter((x) => !sa.has(x));
      return [{ path, state: removed.length ? removed : [], live: added.length ? added : [] }];
    }
  }
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => diffPaths((a as any)[k], (b as any)[k], path ? `${path}.${k}` : k));
  }
  return [{ path, state: a, live: b }];
}

async function driftOf(def: AnyDefinition, r: ExportedResource): Promise<ResourceDrift> {
  const name = r.urn.split("::").pop() ?? r.urn;
  const base = { urn: r.urn, type: r.type, name, id: r.id ?? "" };
  const { plain, hidden } = unwrapSecrets(r.outputs ?? {});
  try {
    const live = await def.read(providerContext(), base.id, plain, operationContext(DEFAULT_TIMEOUTS.read, def.kind, "reading"));
    if (!live) return { ...base, status: "gone", fields: [], note: "deleted outside Pulumi" };
    const before = def.comparable(def.inputsOf(plain));
    const after = def.comparable(def.inputsOf(live));
    const fields = diffPaths(
      Object.fromEntries(Object.entries(before).filter(([k]) => !hidden.includes(k))),
      Object.fromEntries(Object.entries(after).filter(([k]) => !hidden.includes(k))),
    );
    return {
      ...base,
      status: fields.length ? "drifted" : "clean",
      fields,
      ...(hidden.length ? { note: `secret ${hidden.join(", ")} not compared (export with --show-secrets)` } : {}),
    };
  } catch (err) {
    return { ...base, status: "error", fields: [], note: (err as Error).message };
  }
}

export async function driftReport(exported: unknown): Promise<DriftReport> {
  const resources = ((exported as any)?.deployment?.resources ?? []) as ExportedResource[];
  const defs = definitions();
  const ours = resources.filter((r) => r.custom !== false && kindOf(r.type));
  const results = await Promise.all(ours.map((r) => driftOf(defs[kindOf(r.type)!], r)));
  return {
    resources: results,
    drifted: results.filter((r) => r.status === "drifted" || r.status === "gone").length,
    errors: results.filter((r) => r.status === "error").length,
  };
}

const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v).slice(0, 200));

export function formatReport(report: DriftReport, format: "text" | "json" | "markdown"): string {
  if (format === "json") return JSON.stringify(report, null, 2);
  const kind = (t: string) => t.split(":").pop();
  if (format === "markdown") {
    const lines = [`### Drift report: ${report.drifted ? `${report.drifted} resource(s) drifted` : "no drift"}`, ""];
    lines.push("| Resource | Status | Field | In state | Live |", "|---|---|---|---|---|");
    for (const r of report.resources) {
      const label = `${kind(r.type)} \`${r.name}\``;
      if (r.fields.length === 0) lines.push(`| ${label} | ${r.status} | ${r.note ?? ""} | | |`);
      for (const f of r.fields) lines.push(`| ${label} | ${r.status} | \`${f.path}\` | \`${show(f.state)}\` | \`${show(f.live)}\` |`);
    }
    return lines.join("\n");
  }
  const lines: string[] = [];
  for (const r of report.resources) {
    lines.push(`${r.status.padEnd(8)} ${kind(r.type)} ${r.name} (${r.id})${r.note ? `: ${r.note}` : ""}`);
    for (const f of r.fields) lines.push(`           ${f.path}: ${show(f.state)} → ${show(f.live)}`);
  }
  lines.push(report.drifted ? `${report.drifted} of ${report.resources.length} resource(s) drifted` : `no drift in ${report.resources.length} resource(s)`);
  return lines.join("\n");
}
