/**
 * What a reviewer needs from a `pulumi preview --json` digest: per resource the operation and, for our four
 * kinds, the set-aware change. The CLI can only diff dynamic resources index by index (one IP inserted into a
 * 50,000-entry list shows 25,000 changed lines); here both sides go through the resource's own normalisation
 * (`comparable`: canonical CIDRs and IPv6, records keyed by their value, fired expiries dropped), so a reorder
 * is no change and an insert is one added entry.
 *
 * Secrets: the digest already shows every secret as "[secret]". Values of `privateParameters` are never copied
 * into the report even when a digest carries them in clear: only parameter names and "changed" reach it.
 */
import { definitions } from "../provider/runtime";
import { deepEqual } from "../provider/resources/equality";
import { deletesFirst, isAutoName, type AnyDefinition, type ResourceKind } from "../provider/resources/lifecycle";
import { containsUnknown, UNKNOWN } from "../provider/resources/unknowns";
import { SECRET_MASK, type PreviewDiagnostic, type PreviewDigest, type PreviewStep, type ResourceV3 } from "./previewDigest";

export const KNOWN_AFTER_APPLY = "(known after apply)";

/** The four operations a reviewer (and `--fail-on`) reasons about. */
export type OpCategory = "create" | "update" | "replace" | "delete";
export const OP_CATEGORIES: readonly OpCategory[] = ["create", "update", "replace", "delete"];

export interface FieldChange {
  property: string;
  old?: unknown;
  new?: unknown;
  /** a secret value changed: neither value is in the report */
  secret?: boolean;
}

export interface RecordSummary {
  record: string;
  type: string;
  weight?: number;
  private: boolean;
  /** parameter names only, never values */
  privateParameters: string[];
}

export interface RecordsDelta {
  added: RecordSummary[];
  removed: RecordSummary[];
  /** by record key, with the fields that differ */
  changed: { record: string; fields: FieldChange[] }[];
}

/** IP entries in canonical form; json lists all, text and markdown the first few. */
export interface EntriesDelta {
  added: string[];
  removed: string[];
  /** entries after the change */
  total: number;
}

export interface ExpiryDelta {
  added: { entry: string; expireTime: string }[];
  removed: { entry: string; expireTime: string }[];
  changed: { entry: string; old: string; new: string }[];
}

export interface ResourceReport {
  urn: string;
  type: string;
  /** ours; absent for other providers' resources (operation only) */
  kind?: ResourceKind;
  name: string;
  id?: string;
  /** the logical operation; `steps` lists the digest's own ops when it showed replacement steps */
  op: OpCategory | string;
  category?: OpCategory;
  steps?: string[];
  /** a replacement that deletes the old resource before creating the new one */
  deleteFirst?: boolean;
  replaceReasons?: string[];
  fields: FieldChange[];
  records?: RecordsDelta;
  content?: EntriesDelta;
  expiries?: ExpiryDelta;
  /** top-level properties shown as "[secret]": compared only when nothing else could explain the change */
  secrets: { property: string; status: "changed" | "not compared" }[];
  warnings: string[];
}

export interface PreviewReport {
  /** false when pulumi preview reported errors (the digest's error diagnostics) */
  ok: boolean;
  errors: PreviewDiagnostic[];
  counts: Record<OpCategory, number>;
  /** resources left unchanged, from the digest's changeSummary */
  same: number;
  resources: ResourceReport[];
}

const SET_PROPS = new Set(["records", "content", "ipExpireInfo"]);
const REPLACEMENT_OPS = new Set(["replace", "create-replacement", "delete-replaced"]);
const HIDDEN_OPS = new Set(["same", "read", "refresh", "discard"]);

const kindOf = (type: string): ResourceKind | undefined => {
  if (!type.startsWith("pulumi-nodejs:dynamic/")) return undefined;
  const kind = type.split(":").pop() as ResourceKind;
  return kind in definitions() ? kind : undefined;
};

export function categoryOf(op: string): OpCategory | undefined {
  if (REPLACEMENT_OPS.has(op) || op === "import-replacement") return "replace";
  if (op === "create" || op === "import") return "create";
  if (op === "update") return "update";
  if (op === "delete" || op === "discard-replaced" || op === "remove-pending-replace") return "delete";
  return undefined;
}

const typeOfUrn = (urn: string) => urn.split("::")[2]?.split("$").pop() ?? urn;
const nameOfUrn = (urn: string) => urn.split("::").pop() ?? urn;
/** The root stack and default providers are bookkeeping, not changes a reviewer judges. */
const isBookkeeping = (type: string, urn: string) =>
  type === "pulumi:pulumi:Stack" || (type.startsWith("pulumi:providers:") && /^default(_|$)/.test(nameOfUrn(urn)));

const shown = (v: unknown): unknown => (v === UNKNOWN ? KNOWN_AFTER_APPLY : v);

// ---------------------------------------------------------------- one side of a step, ready for `comparable`

type Props = Record<string, unknown>;

/** Top-level values shown as "[secret]" are set aside (their keys returned); sets get an empty stand-in. */
function unmasked(props: Props | undefined, masked: Set<string>): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === SECRET_MASK) {
      masked.add(k);
      if (SET_PROPS.has(k)) out[k] = [];
    } else out[k] = v;
  }
  return out;
}

/** The old side as the provider's diff sees it: the inputs that would produce the stored outputs. */
function oldInputs(def: AnyDefinition, state: ResourceV3 | undefined, masked: Set<string>): Props {
  if (!state) return {};
  if (state.outputs && Object.keys(state.outputs).length > 0) {
    // The engine makes a whole output secret when any part of the same input is; the input may still be
    // readable around its nested "[secret]" values, so take it for that property.
    const outputs: Props = { ...state.outputs };
    for (const [k, v] of Object.entries(outputs)) if (v === SECRET_MASK && state.inputs?.[k] !== undefined) outputs[k] = state.inputs[k];
    const fromOutputs = new Set<string>();
    try {
      const props = def.inputsOf(unmasked(outputs, fromOutputs)) as Props;
      fromOutputs.forEach((k) => masked.add(k));
      return props;
    } catch {
      // a state this version cannot read (partial create, older shape): its stored inputs will do
    }
  }
  return unmasked(state.inputs, masked);
}

interface Sides {
  before?: Props;
  after: Props;
  masked: Set<string>;
  unknown: string[];
  /** the expiry times as written (comparable keeps epoch ms), to show them the way the program declares them */
  timeText: Map<number, string>;
}

function timeTexts(...sides: Props[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const props of sides) {
    const infos = Array.isArray(props.ipExpireInfo) ? props.ipExpireInfo : [];
    for (const info of infos) if (typeof info?.expireTime === "string") out.set(Date.parse(info.expireTime), info.expireTime);
  }
  return out;
}

/**
 * Both sides, normalised by the resource's `comparable`. Masked and unknown top-level values take the other
 * side's value, so they show no change there; they are reported on their own (as the provider's diff does).
 */
function normalisedSides(def: AnyDefinition, creating: boolean, oldState: ResourceV3 | undefined, newState: ResourceV3 | undefined): Sides {
  const masked = new Set<string>();
  const olds = creating ? {} : oldInputs(def, oldState, masked);
  const news = unmasked(newState?.inputs, masked);
  const unknown = Object.keys(news).filter((k) => news[k] === UNKNOWN);
  for (const k of [...masked, ...unknown]) {
    if (k in olds && olds[k] !== UNKNOWN) news[k] = olds[k];
    else olds[k] = news[k] = SET_PROPS.has(k) ? [] : undefined;
  }
  return { before: creating ? undefined : def.comparable(olds), after: def.comparable(news), masked, unknown, timeText: timeTexts(olds, news) };
}

// ---------------------------------------------------------------- set-aware deltas

interface NormalRecord {
  record: string;
  type: string;
  weight: number | null;
  private: boolean;
  privateParameters: { name: string; value: unknown }[];
}

function recordSummary(r: NormalRecord): RecordSummary {
  return {
    record: String(shown(r.record)),
    type: r.type,
    ...(r.weight !== null && r.weight !== undefined ? { weight: r.weight } : {}),
    private: r.private,
    privateParameters: (r.privateParameters ?? []).map((p) => p.name),
  };
}

/** Parameter names added, removed or with a new value; values never leave this function. */
function privateParameterChanges(before: NormalRecord["privateParameters"], after: NormalRecord["privateParameters"]): FieldChange[] {
  const old = new Map((before ?? []).map((p) => [p.name, p.value]));
  const next = new Map((after ?? []).map((p) => [p.name, p.value]));
  const out: FieldChange[] = [];
  for (const name of new Set([...old.keys(), ...next.keys()])) {
    const a = old.get(name);
    const b = next.get(name);
    if (a === SECRET_MASK && b === SECRET_MASK) continue; // hidden on both sides: cannot tell
    if (a === undefined || b === undefined || a !== b) {
      out.push({ property: `privateParameters.${name}`, secret: true, ...(a === undefined ? { old: "(absent)" } : {}), ...(b === undefined ? { new: "(absent)" } : {}) });
    }
  }
  return out;
}

export function recordsDelta(before: NormalRecord[], after: NormalRecord[]): RecordsDelta | undefined {
  const old = new Map(before.map((r) => [r.record, r]));
  const next = new Map(after.map((r) => [r.record, r]));
  const delta: RecordsDelta = { added: [], removed: [], changed: [] };
  for (const [key, r] of next) if (!old.has(key)) delta.added.push(recordSummary(r));
  for (const [key, r] of old) {
    const n = next.get(key);
    if (!n) {
      delta.removed.push(recordSummary(r));
      continue;
    }
    const fields: FieldChange[] = [];
    for (const f of ["type", "weight", "private"] as const) {
      if (!deepEqual(r[f], n[f])) fields.push({ property: f, old: shown(r[f] ?? "none"), new: shown(n[f] ?? "none") });
    }
    fields.push(...privateParameterChanges(r.privateParameters, n.privateParameters));
    if (fields.length) delta.changed.push({ record: String(shown(key)), fields });
  }
  return delta.added.length || delta.removed.length || delta.changed.length ? delta : undefined;
}

/** Canonical entry lists (what `comparable` returns): +added / −removed, whatever their order. */
export function entriesDelta(before: string[], after: string[]): EntriesDelta | undefined {
  const had = new Set(before);
  const has = new Set(after);
  const added = after.filter((e) => !had.has(e)).sort();
  const removed = before.filter((e) => !has.has(e)).sort();
  if (!added.length && !removed.length) return undefined;
  return { added: added.map((e) => String(shown(e))), removed: removed.map((e) => String(shown(e))), total: has.size };
}

/** Pending expiries as `comparable` gives them: [entry, epoch ms] pairs. */
export function expiryDelta(before: [string, number][], after: [string, number][], timeText = new Map<number, string>()): ExpiryDelta | undefined {
  const isoOf = (ms: number) => timeText.get(ms) ?? new Date(ms).toISOString().replace(".000Z", "Z");
  const old = new Map(before);
  const next = new Map(after);
  const delta: ExpiryDelta = { added: [], removed: [], changed: [] };
  for (const [entry, at] of next) {
    const was = old.get(entry);
    if (was === undefined) delta.added.push({ entry, expireTime: isoOf(at) });
    else if (was !== at) delta.changed.push({ entry, old: isoOf(was), new: isoOf(at) });
  }
  for (const [entry, at] of old) if (!next.has(entry)) delta.removed.push({ entry, expireTime: isoOf(at) });
  return delta.added.length || delta.removed.length || delta.changed.length ? delta : undefined;
}

// ---------------------------------------------------------------- one resource

/** Scalar properties old → new (name, description, hostHeader, trafficDialPercentage, type...). */
function fieldChanges(sides: Sides): FieldChange[] {
  const before = sides.before ?? {};
  const out: FieldChange[] = [];
  for (const k of Object.keys(sides.after)) {
    if (SET_PROPS.has(k) || sides.masked.has(k) || sides.unknown.includes(k)) continue;
    const creating = sides.before === undefined;
    if (creating ? sides.after[k] === "" || sides.after[k] === undefined : deepEqual(before[k], sides.after[k])) continue;
    out.push({ property: k, ...(creating ? {} : { old: before[k] }), new: sides.after[k] });
  }
  for (const k of sides.unknown) out.push({ property: k, ...(sides.before && !SET_PROPS.has(k) ? { old: before[k] } : {}), new: KNOWN_AFTER_APPLY });
  return out;
}

function setDeltas(kind: ResourceKind, sides: Sides): Pick<ResourceReport, "records" | "content" | "expiries"> {
  const before = sides.before ?? {};
  const after = sides.after;
  if (kind === "OriginGroup") {
    const records = recordsDelta((before.records ?? []) as NormalRecord[], (after.records ?? []) as NormalRecord[]);
    return records ? { records } : {};
  }
  if (kind === "SecurityIPGroup") {
    const content = entriesDelta((before.content ?? []) as string[], (after.content ?? []) as string[]);
    const expiries = expiryDelta((before.ipExpireInfo ?? []) as [string, number][], (after.ipExpireInfo ?? []) as [string, number][], sides.timeText);
    return { ...(content ? { content } : {}), ...(expiries ? { expiries } : {}) };
  }
  return {};
}

/** Services that use the group: the API refuses to delete it while any remain. */
function referenceWarning(state: ResourceV3 | undefined, category: OpCategory | undefined): string | undefined {
  const refs = state?.outputs?.references;
  if ((category !== "replace" && category !== "delete") || !Array.isArray(refs) || refs.length === 0) return undefined;
  const names = refs.slice(0, 5).map((r: any) => {
    const kind = r?.instanceType ?? r?.entityType ?? "reference";
    return `${kind} ${r?.instanceName || r?.entityName || r?.instanceId || r?.entityId || ""}`.trim();
  });
  const more = refs.length > 5 ? ` and ${refs.length - 5} more` : "";
  return `referenced by ${names.join(", ")}${more}: the API refuses to delete a referenced group, so this ${category} fails until those references are removed`;
}

/**
 * On a replacement the engine checks the new inputs again with no olds (reference §3.1), so an autonamed
 * resource shows a fresh autoname in newState. The provider's Diff, which decided delete-first, saw the kept
 * name: judge with that one.
 */
function keptAutoName(def: AnyDefinition, olds: Props, news: Props): Props {
  const property = def.autoName?.property;
  if (!property) return news;
  const logicalName = typeof news.logicalName === "string" ? news.logicalName : undefined;
  const fresh = isAutoName(def, logicalName, olds[property]) && isAutoName(def, logicalName, news[property]);
  return fresh ? { ...news, [property]: olds[property] } : news;
}

function ourChanges(kind: ResourceKind, category: OpCategory | undefined, step: PreviewStep, deleteFirstFromSteps: boolean | undefined): Partial<ResourceReport> {
  if (category === "delete" || !step.newState) return {};
  const def = definitions()[kind];
  let sides: Sides;
  try {
    sides = normalisedSides(def, category === "create", step.oldState, step.newState);
  } catch {
    return { warnings: ["the inputs could not be read as this resource's properties; see `pulumi preview --diff`"] };
  }
  const fields = fieldChanges(sides);
  const deltas = setDeltas(kind, sides);
  const visible = fields.length > 0 || Object.keys(deltas).length > 0;
  const secrets = [...sides.masked].map((property) => ({ property, status: (!visible && sides.masked.size === 1 && category === "update" ? "changed" : "not compared") as "changed" | "not compared" }));
  let deleteFirst = deleteFirstFromSteps;
  if (category === "replace" && deleteFirst === undefined) {
    const olds = step.oldState?.inputs ?? {};
    const news = keptAutoName(def, olds, step.newState.inputs ?? {});
    deleteFirst = Object.values(news).some(containsUnknown) || deletesFirst(def, olds, news);
  }
  return { fields, ...deltas, secrets, ...(deleteFirst !== undefined ? { deleteFirst } : {}) };
}

/** Steps of one resource: a replacement may be shown as create-replacement / replace / delete-replaced. */
function resourceReport(steps: PreviewStep[]): ResourceReport {
  const ops = steps.map((s) => s.op);
  const main = steps.find((s) => s.op === "replace") ?? steps.find((s) => s.oldState && s.newState) ?? steps[0];
  const isReplacement = ops.some((op) => REPLACEMENT_OPS.has(op)) && (ops.length > 1 || ops[0] === "replace");
  const op = isReplacement ? "replace" : main.op;
  const category = categoryOf(op);
  const state = main.newState ?? main.oldState;
  const type = state?.type ?? typeOfUrn(main.urn);
  const kind = kindOf(type);
  // Shown replacement steps give the order away: delete-replaced before create-replacement means delete first.
  const del = ops.indexOf("delete-replaced");
  const cre = ops.indexOf("create-replacement");
  const deleteFirstFromSteps = isReplacement && del >= 0 && cre >= 0 ? del < cre : undefined;
  const base: ResourceReport = {
    urn: main.urn,
    type,
    ...(kind ? { kind } : {}),
    name: nameOfUrn(main.urn),
    ...(main.oldState?.id ?? main.newState?.id ? { id: String(main.oldState?.id ?? main.newState?.id) } : {}),
    op,
    ...(category ? { category } : {}),
    ...(ops.length > 1 ? { steps: ops } : {}),
    ...(main.replaceReasons?.length ? { replaceReasons: main.replaceReasons } : {}),
    fields: [],
    secrets: [],
    warnings: [],
  };
  if (!kind) return { ...base, ...(deleteFirstFromSteps !== undefined ? { deleteFirst: deleteFirstFromSteps } : {}) };
  const changes = ourChanges(kind, category, main, deleteFirstFromSteps);
  const warning = referenceWarning(main.oldState ?? steps.find((s) => s.oldState)?.oldState, category);
  return { ...base, ...changes, warnings: [...(changes.warnings ?? []), ...(warning ? [warning] : [])] };
}

export function previewReport(digest: PreviewDigest): PreviewReport {
  const byUrn = new Map<string, PreviewStep[]>();
  for (const step of digest.steps ?? []) {
    const type = step.newState?.type ?? step.oldState?.type ?? typeOfUrn(step.urn);
    if (HIDDEN_OPS.has(step.op) || isBookkeeping(type, step.urn)) continue;
    byUrn.set(step.urn, [...(byUrn.get(step.urn) ?? []), step]);
  }
  const resources = [...byUrn.values()].map(resourceReport);
  const counts = Object.fromEntries(OP_CATEGORIES.map((c) => [c, resources.filter((r) => r.category === c).length])) as Record<OpCategory, number>;
  const errors = (digest.diagnostics ?? []).filter((d) => d.severity === "error");
  return { ok: errors.length === 0, errors, counts, same: digest.changeSummary?.same ?? 0, resources };
}
