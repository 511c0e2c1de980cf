/**
 * Drift report for a `pulumi stack export` file, without the Pulumi CLI: each of our resources is read live
 * with the provider's own code (same clients, same batching, same normalisation as `refresh` + `preview`),
 * and every declared property that differs is reported with its path, old value and live value (json), and
 * written by the change formatter `edgeconf preview` uses (text and markdown: sets as +N −M, entries named).
 *
 * No secret value ever leaves this module: credential leaves are masked in every reported value, and the
 * finished report is scrubbed once more of every secret string seen in the export or in the live state.
 */
import { redactSecrets } from "../provider/clients/redact";
import { definitions, providerContext } from "../provider/runtime";
import type { AnyDefinition, ResourceKind } from "../provider/resources/lifecycle";
import { operationContext } from "../provider/resources/lifecycle";
import { changeCell, changeLines, changeMarkdown, changeSize, changesOf, cell, code, inert, type Changes } from "./changes";
import { fitMarkdown, type FitEntry, type FitOptions } from "./reportFit";
import { isSecretEnvelope } from "./secretEnvelope";

/** What a secret value shows as, in every format. */
export const MASK = "[secret]";

export interface FieldDrift {
  /** `records[record=203.0.113.10].weight` */
  path: string;
  state: unknown;
  live: unknown;
  /** The values are secret: both sides show as `[secret]`. */
  secret?: true;
}

export interface ResourceDrift {
  urn: string;
  type: string;
  name: string;
  id: string;
  /**
   * `replacing`: Pulumi itself deleted it for a delete-first replacement (not drift); `interrupted`: a pending
   * operation of a killed run (a pending create may exist in the cloud with no state holding it).
   */
  status: "clean" | "drifted" | "gone" | "error" | "replacing" | "interrupted";
  fields: FieldDrift[];
  /** the same differences, state → live, as the change formatter reads them; absent when nothing differs */
  changes?: Changes;
  /** properties that could not be compared (secrets exported without --show-secrets), or the error */
  note?: string;
}

export interface DriftReport {
  resources: ResourceDrift[];
  drifted: number;
  errors: number;
  /** pending operations left by an interrupted run: each needs a person (exit 2, like drift) */
  interrupted: number;
  /** Resources of other providers in the export, not checked. */
  others: number;
}

export interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  delete?: boolean;
  pendingReplacement?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** An operation a killed run left in the state (`creating`, `updating`, `deleting`, `reading`, `importing`). */
export interface PendingOperation {
  resource: ExportedResource;
  type: string;
}

export interface StackExport {
  resources: ExportedResource[];
  pendingOperations: PendingOperation[];
}

/** The input is not a stack export; the message says what was expected. */
export class StackExportError extends Error {}

const KINDS: readonly ResourceKind[] = ["OriginGroup", "SecurityIPGroup", "UserGroup", "EndpointGroup"];

/** Our resources in an export: `pulumi-nodejs:dynamic/<cloud>/<service>:<Kind>`. */
export function kindOf(type: string): ResourceKind | undefined {
  if (!type.startsWith("pulumi-nodejs:dynamic/")) return undefined;
  const kind = type.split(":").pop() as ResourceKind;
  return KINDS.includes(kind) ? kind : undefined;
}

const EXPECTED = 'a `pulumi stack export` deployment ({"version": 3, "deployment": {"resources": [...]}})';

const describeValue = (v: unknown): string =>
  Array.isArray(v) ? "an array" : v === null ? "null" : typeof v === "object" ? `an object with keys ${Object.keys(v as object).slice(0, 5).join(", ") || "(none)"}` : `a ${typeof v}`;

/**
 * The resources and pending operations of a stack export, or a StackExportError. A misread input must fail the
 * run: a drift job fed `pulumi stack output --json` or an empty file would otherwise pass forever.
 */
export function readStackExport(text: string): StackExport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // Node's message quotes the text around the error, which may be a secret: keep only the position.
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message)?.[1];
    const why = !text.trim() ? "empty"
      : /end of JSON/i.test(message) || (at !== undefined && Number(at) >= text.trimEnd().length) ? "ends early"
        : at !== undefined ? `syntax error at character ${at}` : "syntax error";
    throw new StackExportError(`not JSON (${why}); expected ${EXPECTED}`);
  }
  const root = value as { version?: unknown; deployment?: { resources?: unknown; pending_operations?: unknown } } | null;
  if (root === null || typeof root !== "object" || Array.isArray(root) || typeof root.deployment !== "object" || root.deployment === null) {
    throw new StackExportError(`${describeValue(value)} is not a stack export; expected ${EXPECTED}`);
  }
  if (root.version !== 3 && root.version !== 4) {
    throw new StackExportError(`deployment version ${JSON.stringify(root.version)} is not supported; expected ${EXPECTED}`);
  }
  const resources = root.deployment.resources ?? [];
  if (!Array.isArray(resources) || resources.some((r) => typeof r?.urn !== "string" || typeof r?.type !== "string")) {
    throw new StackExportError(`deployment.resources is not a list of resources with urn and type; expected ${EXPECTED}`);
  }
  const pending = root.deployment.pending_operations ?? [];
  if (!Array.isArray(pending) || pending.some((o) => typeof o?.type !== "string" || typeof o?.resource?.urn !== "string" || typeof o?.resource?.type !== "string")) {
    throw new StackExportError(`deployment.pending_operations is not a list of operations with a type and a resource; expected ${EXPECTED}`);
  }
  return { resources: resources as ExportedResource[], pendingOperations: pending as PendingOperation[] };
}

// ---------------------------------------------------------------- secrets

/** One property with its secrets opened: `--show-secrets` exports carry `plaintext`, others only ciphertext. */
export function openSecrets(value: unknown): { value: unknown; secret: boolean; sealed: boolean } {
  if (isSecretEnvelope(value)) {
    if (typeof value.plaintext === "string") return { ...openSecrets(JSON.parse(value.plaintext)), secret: true };
    if ("value" in value) return { ...openSecrets(value.value), secret: true };
    return { value: undefined, secret: true, sealed: true };
  }
  if (Array.isArray(value)) {
    const items = value.map(openSecrets);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret), sealed: items.some((i) => i.sealed) };
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => [k, openSecrets(v)] as const);
    return {
      value: Object.fromEntries(entries.map(([k, i]) => [k, i.value])),
      secret: entries.some(([, i]) => i.secret),
      sealed: entries.some(([, i]) => i.sealed),
    };
  }
  return { value, secret: false, sealed: false };
}

/** Leaves that are credentials wherever they appear, live values included (the API returns them in clear). */
const CREDENTIAL_LEAF = /(^|\.)privateParameters\[[^\]]*\]\.value$/;
/**
 * Secret properties whose other leaves are not credentials. Pulumi marks an OriginGroup's whole `records`
 * secret as soon as one record has private parameters; only the parameter values are keys, so a weight
 * change can still be shown. Any other secret property is masked whole.
 */
const PARTLY_SECRET: Partial<Record<ResourceKind, readonly string[]>> = { OriginGroup: ["records"] };

const topProperty = (path: string) => path.split(/[.[]/, 1)[0];

/** `value` found at `path` with every credential in it masked. */
function maskCredentials(path: string, value: unknown): unknown {
  if (CREDENTIAL_LEAF.test(path) && value !== undefined) return MASK;
  if (Array.isArray(value)) return value.map((v, i) => maskCredentials(`${path}[${i}]`, v));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskCredentials(`${path}.${k}`, v)]));
  }
  return value;
}

/** Private parameters that are keys; the others (Region, SignatureVersion) are masked but are ordinary words. */
const KEY_PARAMETERS = ["AccessKeyId", "SecretAccessKey"];

/** Every key of a private origin, and every string of a wholly secret property: the scrub list. */
function secretStrings(kind: ResourceKind, props: Record<string, unknown>, secretProps: Set<string>): string[] {
  const found: string[] = [];
  const walk = (path: string, v: unknown, whole: boolean) => {
    const p = v as { name?: unknown; value?: unknown };
    if (/privateParameters\[\d+\]$/.test(path) && KEY_PARAMETERS.includes(String(p?.name)) && typeof p?.value === "string") found.push(p.value);
    if (typeof v === "string" && whole) found.push(v);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(`${path}[${i}]`, x, whole));
    else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) walk(`${path}.${k}`, x, whole);
  };
  for (const [k, v] of Object.entries(props)) walk(k, v, secretProps.has(k) && !PARTLY_SECRET[kind]?.includes(k));
  return found;
}

function maskField(kind: ResourceKind, secretProps: Set<string>, f: FieldDrift): FieldDrift {
  const top = topProperty(f.path);
  const whole = secretProps.has(top) && !PARTLY_SECRET[kind]?.includes(top);
  const state = whole && f.state !== undefined ? MASK : maskCredentials(f.path, f.state);
  const live = whole && f.live !== undefined ? MASK : maskCredentials(f.path, f.live);
  const secret = JSON.stringify([state, live]) !== JSON.stringify([f.state, f.live]);
  return { path: f.path, state, live, ...(secret ? { secret: true as const } : {}) };
}

// ---------------------------------------------------------------- comparison

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

/**
 * State → live in the change formatter's terms. A wholly secret property is only said to have changed; inside
 * records the formatter itself names private parameters and never shows their values.
 */
function changesBetween(kind: ResourceKind, before: Record<string, unknown>, after: Record<string, unknown>, secretProps: Set<string>): Changes | undefined {
  const whole = [...secretProps].filter((k) => !PARTLY_SECRET[kind]?.includes(k));
  const secrets = whole.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((property) => ({ property, status: "changed" as const }));
  const sides = { before: without(before, whole), after: without(after, whole), masked: new Set<string>(), unknown: [], timeText: new Map<number, string>() };
  const changes = { ...changesOf(kind, sides), secrets };
  return changeSize(changes) > 0 ? changes : undefined;
}

const without = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

/** The tool reads only the environment: a hint naming stack config would send the user the wrong way. */
function explain(err: unknown): string {
  const e = err as { code?: string; message?: string; missing?: { what: string; settings: readonly { env: string }[]; envHint?: string } };
  if (e?.code === "EDGECONF_CONFIG" && e.missing) {
    const fix = e.missing.envHint ?? `set ${e.missing.settings.map((s) => s.env).join(", or ")}`;
    return `not configured: ${e.missing.what}; edgeconf drift reads the environment only (not stack config): ${fix}`;
  }
  return e?.message ?? String(err);
}

async function driftOf(def: AnyDefinition, r: ExportedResource, timeoutSeconds: number): Promise<ResourceDrift> {
  const kind = def.kind as ResourceKind;
  const base = { urn: r.urn, type: r.type, name: nameOf(r.urn), id: r.id ?? "" };
  const opened = Object.entries(r.outputs ?? {}).map(([k, v]) => [k, openSecrets(v)] as const);
  const plain = Object.fromEntries(opened.filter(([, o]) => !o.sealed).map(([k, o]) => [k, o.value]));
  const sealed = opened.filter(([, o]) => o.sealed).map(([k]) => k);
  const secretProps = new Set(opened.filter(([, o]) => o.secret).map(([k]) => k));
  const secrets = secretStrings(kind, plain, secretProps);
  const finish = (d: ResourceDrift): ResourceDrift => JSON.parse(redactSecrets(JSON.stringify(d), secrets));
  try {
    const live = await def.read(providerContext(), base.id, plain, operationContext(timeoutSeconds, def.kind, "reading"));
    if (!live) return finish({ ...base, status: "gone", fields: [], note: "deleted outside Pulumi" });
    secrets.push(...secretStrings(kind, live, secretProps));
    // Sealed properties take their live value, so the state side is complete; they are then left out.
    const before = def.comparable(def.inputsOf({ ...plain, ...Object.fromEntries(sealed.map((k) => [k, live[k]])) }));
    const after = def.comparable(def.inputsOf(live));
    const fields = diffPaths(without(before, sealed), without(after, sealed)).map((f) => maskField(kind, secretProps, f));
    const changes = changesBetween(kind, without(before, sealed), without(after, sealed), secretProps);
    return finish({
      ...base,
      status: fields.length ? "drifted" : "clean",
      fields,
      ...(changes ? { changes } : {}),
      ...(sealed.length ? { note: `secret ${sealed.join(", ")} not compared (export with --show-secrets to compare)` } : {}),
    });
  } catch (err) {
    return finish({ ...base, status: "error", fields: [], note: explain(err) });
  }
}

export interface DriftOptions {
  /** Bound of the whole run, seconds; resources not read by then are reported as errors. */
  timeoutSeconds: number;
  /** Called every `progressEveryMs` while resources are still being read, with their labels. */
  progress?: (pending: string[], elapsedMs: number) => void;
  progressEveryMs?: number;
}

const labelOf = (r: ExportedResource) => `${r.type.split(":").pop()} ${nameOf(r.urn)}`;

/** The resource name of a URN. */
export const nameOf = (urn: string) => urn.split("::").pop() ?? urn;

/** The stack of a URN (`urn:pulumi:<stack>::<project>::…`), for the commands a report prints. */
export const stackOf = (urn: string) => urn.split("::")[0].split(":").pop() ?? "";

/**
 * What needs no API call: entries Pulumi deleted itself for a delete-first replacement (`pendingReplacement`),
 * and the pending operations of a killed run.
 */
function settledWithoutReading(exported: StackExport): ResourceDrift[] {
  const replacing = exported.resources.filter((r) => r.pendingReplacement && kindOf(r.type)).map((r): ResourceDrift => ({
    urn: r.urn, type: r.type, name: nameOf(r.urn), id: r.id ?? "", status: "replacing", fields: [],
    note: "deleted by Pulumi for a delete-first replacement; the next `pulumi up` creates its successor",
  }));
  const interrupted = exported.pendingOperations.filter((o) => kindOf(o.resource.type)).map((o): ResourceDrift => ({
    urn: o.resource.urn, type: o.resource.type, name: nameOf(o.resource.urn), id: o.resource.id ?? "", status: "interrupted", fields: [],
    note: o.type === "creating"
      ? `a killed run was creating it: it may exist in the cloud with no state holding it; \`npx edgeconf recover --run --stack ${stackOf(o.resource.urn)}\` finds it and puts it back under the stack (or drops the pending create)`
      : `a killed run was ${o.type} it; \`pulumi refresh --stack ${stackOf(o.resource.urn)}\` reads it back and clears the pending operation`,
  }));
  return [...replacing, ...interrupted];
}

export async function driftReport(exported: StackExport, opts: DriftOptions): Promise<DriftReport> {
  const { timeoutSeconds } = opts;
  const { resources } = exported;
  const defs = definitions();
  // Resources marked `delete` are old halves of a replacement, already gone from the program.
  const ours = resources.filter((r) => r.custom !== false && !r.delete && !r.pendingReplacement && kindOf(r.type));
  const unread = settledWithoutReading(exported);
  const pending = new Map(ours.map((r) => [r.urn, labelOf(r)]));
  const started = Date.now();
  const ticker = opts.progress && setInterval(() => opts.progress!([...pending.values()], Date.now() - started), opts.progressEveryMs ?? 5000);
  let giveUp: NodeJS.Timeout | undefined;
  const deadline = new Promise<"timeout">((resolve) => (giveUp = setTimeout(() => resolve("timeout"), timeoutSeconds * 1000)));
  try {
    const results = await Promise.all(
      ours.map(async (r) => {
        const result = await Promise.race([driftOf(defs[kindOf(r.type)!], r, timeoutSeconds), deadline]);
        pending.delete(r.urn);
        if (result !== "timeout") return result;
        return { urn: r.urn, type: r.type, name: nameOf(r.urn), id: r.id ?? "", status: "error" as const, fields: [], note: `no answer within ${timeoutSeconds} s (--timeout)` };
      }),
    );
    return {
      resources: [...results, ...unread],
      drifted: results.filter((r) => r.status === "drifted" || r.status === "gone").length,
      errors: results.filter((r) => r.status === "error").length,
      interrupted: unread.filter((r) => r.status === "interrupted").length,
      others: resources.filter((r) => !kindOf(r.type)).length,
    };
  } finally {
    if (ticker) clearInterval(ticker);
    clearTimeout(giveUp);
  }
}

// ---------------------------------------------------------------- output

/** One line for the whole run: the errors first, because then "no drift" would be a claim we cannot make. */
export function summaryOf(report: DriftReport): string {
  const n = report.resources.length;
  if (n === 0) return `no edgeconf resources in this export (${report.others} other resource(s)); nothing was checked`;
  const parts: string[] = [];
  if (report.errors) parts.push(`${report.errors} of ${n} resource(s) could not be checked`);
  if (report.interrupted) parts.push(`${report.interrupted} operation(s) of an interrupted run pending`);
  if (report.drifted) parts.push(`${report.drifted} of ${n} resource(s) drifted`);
  else if (report.errors) parts.push(`no drift in the ${n - report.errors} checked`);
  return parts.length ? parts.join("; ") : `no drift in ${n} resource(s)`;
}

/** Statuses that need a person before anything else: kept first when a markdown report is cut. */
const DANGEROUS = new Set<ResourceDrift["status"]>(["gone", "error", "interrupted"]);
const kindWord = (r: ResourceDrift) => r.type.split(":").pop();

function driftEntry(r: ResourceDrift): FitEntry {
  const label = `${kindWord(r)} ${code(r.name)}`;
  const what = [r.changes ? changeCell(r.changes) : "", r.note ?? ""].filter(Boolean).join("; ");
  const lines = r.changes ? changeMarkdown(r.changes) : [];
  return {
    dangerous: DANGEROUS.has(r.status),
    size: r.changes ? changeSize(r.changes) : 0,
    row: `| ${cell(label)} | ${r.status} | ${cell(inert(what))} |`,
    details: lines.length ? [`**${label}**${r.id ? ` (${code(r.id)})` : ""}: ${r.status}`, ...lines] : [],
  };
}

/** An issue body: clean resources are counted, not tabled (1,500 of them made 76,618 characters). */
function markdown(report: DriftReport, fit: FitOptions): string {
  const head = [`### Drift report: ${summaryOf(report)}`, ""];
  const listed = report.resources.filter((r) => r.status !== "clean");
  const clean = report.resources.length - listed.length;
  if (clean && listed.length) head.push(`${clean} clean resource(s) not listed.`, "");
  const section = { title: [], tableHead: ["| Resource | Status | Changes |", "|---|---|---|"], entries: listed.map(driftEntry) };
  return fitMarkdown(head, [section], [], fit);
}

function text(report: DriftReport): string {
  const lines: string[] = [];
  for (const r of report.resources) {
    lines.push(`${r.status.padEnd(8)} ${kindWord(r)} ${r.name}${r.id ? ` (${r.id})` : ""}${r.note ? `: ${r.note}` : ""}`);
    for (const [line, nested] of r.changes ? changeLines(r.changes) : []) lines.push(`           ${line}`, ...nested.map((n) => `             ${n}`));
  }
  lines.push(summaryOf(report));
  return lines.join("\n");
}

/** Text for a log (every resource), json for tools (complete), markdown for an issue (cut to `fit`). */
export function formatReport(report: DriftReport, format: "text" | "json" | "markdown", fit: FitOptions = { maxLength: 0 }): string {
  if (format === "json") return JSON.stringify({ ...report, summary: summaryOf(report) }, null, 2);
  return format === "markdown" ? markdown(report, fit) : text(report);
}
