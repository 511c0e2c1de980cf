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
import { deletesFirst, isAutoName, type AnyDefinition, type ResourceKind } from "../provider/resources/lifecycle";
import { containsUnknown, UNKNOWN } from "../provider/resources/unknowns";
import { changeSize, changesOf, SET_PROPS, type Changes, type Sides } from "./changes";
import { SECRET_MASK, type PreviewDiagnostic, type PreviewDigest, type PreviewStep, type ResourceV3 } from "./previewDigest";

/**
 * The operations a reviewer (and `--fail-on`) reasons about. `adopt` is a create step whose inputs carry
 * `adoptId`: `pulumi up` takes the existing resource under management and changes it, it creates nothing.
 */
export type OpCategory = "create" | "adopt" | "update" | "replace" | "delete";
export const OP_CATEGORIES: readonly OpCategory[] = ["create", "adopt", "update", "replace", "delete"];

export interface ResourceReport extends Changes {
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
  /** an update that only puts back what a refresh found changed outside Pulumi */
  restoresDrift?: boolean;
  /** preview warnings about this resource, and what the report itself flags (references) */
  warnings: string[];
}

/**
 * What `pulumi preview --refresh` found changed outside Pulumi. The real CLI (v3.276.0) shows it this way in
 * the digest: a `refresh` step per resource whose oldState and newState are both the state before the refresh,
 * then the resource's own step (same, update, ...) whose oldState is the refreshed, live state. The difference
 * between the two is drift, not the pull request's change; the pull request's change is measured against the
 * state before the refresh.
 */
export interface RefreshDrift extends Changes {
  urn: string;
  type: string;
  kind: ResourceKind;
  name: string;
  id?: string;
  /** the refresh found it deleted outside Pulumi */
  gone?: boolean;
}

export interface PreviewReport {
  /** false when pulumi preview reported errors (the digest's error diagnostics) */
  ok: boolean;
  errors: PreviewDiagnostic[];
  counts: Record<OpCategory, number>;
  /** resources whose operation is none of OP_CATEGORIES (listed with the digest's op) */
  other: number;
  /** resources left unchanged, from the digest's changeSummary */
  same: number;
  resources: ResourceReport[];
  /** warnings of the preview that name no resource of the report */
  warnings: string[];
  /** found by `--refresh`: changed outside Pulumi */
  refreshed: RefreshDrift[];
}

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
function normalisedSides(def: AnyDefinition, creating: boolean, oldState: ResourceV3 | undefined, newState: ResourceV3 | undefined, newFromOutputs = false): Sides {
  const masked = new Set<string>();
  const olds = creating ? {} : oldInputs(def, oldState, masked);
  const news = newFromOutputs ? oldInputs(def, newState, masked) : unmasked(newState?.inputs, masked);
  const unknown = Object.keys(news).filter((k) => news[k] === UNKNOWN);
  for (const k of [...masked, ...unknown]) {
    if (k in olds && olds[k] !== UNKNOWN) news[k] = olds[k];
    else olds[k] = news[k] = SET_PROPS.has(k) ? [] : undefined;
  }
  return { before: creating ? undefined : def.comparable(olds), after: def.comparable(news), masked, unknown, timeText: timeTexts(olds, news) };
}

// ---------------------------------------------------------------- one resource

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

const unreadable = { warnings: ["the inputs could not be read as this resource's properties; see `pulumi preview --diff`"] };

function ourChanges(kind: ResourceKind, category: OpCategory | undefined, step: PreviewStep, deleteFirstFromSteps: boolean | undefined): Partial<ResourceReport> {
  if (category === "delete" || !step.newState) return {};
  const def = definitions()[kind];
  let sides: Sides;
  try {
    sides = normalisedSides(def, category === "create" || category === "adopt", step.oldState, step.newState);
  } catch {
    return unreadable;
  }
  const changes = changesOf(kind, sides);
  const visible = changeSize(changes) > 0;
  const secrets = [...sides.masked].map((property) => ({ property, status: (!visible && sides.masked.size === 1 && category === "update" ? "changed" : "not compared") as "changed" | "not compared" }));
  let deleteFirst = deleteFirstFromSteps;
  if (category === "replace" && deleteFirst === undefined) {
    const olds = step.oldState?.inputs ?? {};
    const news = keptAutoName(def, olds, step.newState.inputs ?? {});
    deleteFirst = Object.values(news).some(containsUnknown) || deletesFirst(def, olds, news);
  }
  return { ...changes, secrets, ...(deleteFirst !== undefined ? { deleteFirst } : {}) };
}

/** A create of a resource declared with `adoptId` takes the existing one: the id it names is the resource's. */
const adoptIdOf = (step: PreviewStep): string | undefined => {
  const id = step.op === "create" ? step.newState?.inputs?.adoptId : undefined;
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
};

/**
 * Steps of one resource: a replacement may be shown as create-replacement / replace / delete-replaced. With
 * `--refresh`, `stored` is the state before the refresh: the program's change is measured against it.
 */
function resourceReport(steps: PreviewStep[], stored: ResourceV3 | undefined): ResourceReport {
  const ops = steps.map((s) => s.op);
  const shownMain = steps.find((s) => s.op === "replace") ?? steps.find((s) => s.oldState && s.newState) ?? steps[0];
  const main = stored && shownMain.oldState ? { ...shownMain, oldState: stored } : shownMain;
  const isReplacement = ops.some((op) => REPLACEMENT_OPS.has(op)) && (ops.length > 1 || ops[0] === "replace");
  const adoptId = adoptIdOf(main);
  const op = isReplacement ? "replace" : adoptId !== undefined ? "adopt" : main.op;
  const category = op === "adopt" ? "adopt" : categoryOf(op);
  const state = main.newState ?? main.oldState;
  const type = state?.type ?? typeOfUrn(main.urn);
  const kind = kindOf(type);
  // Shown replacement steps give the order away: delete-replaced before create-replacement means delete first.
  const del = ops.indexOf("delete-replaced");
  const cre = ops.indexOf("create-replacement");
  const deleteFirstFromSteps = isReplacement && del >= 0 && cre >= 0 ? del < cre : undefined;
  const id = adoptId ?? main.oldState?.id ?? main.newState?.id;
  const base: ResourceReport = {
    urn: main.urn,
    type,
    ...(kind ? { kind } : {}),
    name: nameOfUrn(main.urn),
    ...(id ? { id: String(id) } : {}),
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
  const restoresDrift = stored !== undefined && category === "update" && changeSize(changes) === 0 && !changes.warnings;
  return { ...base, ...changes, ...(restoresDrift ? { restoresDrift } : {}), warnings: [...(changes.warnings ?? []), ...(warning ? [warning] : [])] };
}

// ---------------------------------------------------------------- refresh

/** The state before the refresh, by URN: what each `refresh` step holds (on both sides). */
function storedStates(steps: PreviewStep[]): Map<string, ResourceV3> {
  return new Map(steps.filter((s) => s.op === "refresh" && s.oldState).map((s) => [s.urn, s.oldState!]));
}

/** What the refresh found: the stored state against the live one (the oldState of the resource's next step). */
function refreshDrift(urn: string, stored: ResourceV3, steps: PreviewStep[]): RefreshDrift | undefined {
  const kind = kindOf(stored.type);
  const next = steps.find((s) => s.urn === urn && s.op !== "refresh");
  if (!kind || !next) return undefined;
  const base = { urn, type: stored.type, kind, name: nameOfUrn(urn), ...(stored.id ? { id: String(stored.id) } : {}) };
  const empty = { fields: [], secrets: [] };
  // No live state after the refresh, and the program still declares it: the refresh found it gone.
  if (!next.oldState) return next.op === "create" ? { ...base, ...empty, gone: true } : undefined;
  let changes: Omit<Changes, "secrets">;
  try {
    changes = changesOf(kind, normalisedSides(definitions()[kind], false, stored, next.oldState, true));
  } catch {
    return undefined; // a state this version cannot read: the resource's own step still shows what up does
  }
  return changeSize(changes) > 0 ? { ...base, ...changes, secrets: [] } : undefined;
}

// ---------------------------------------------------------------- warnings

/**
 * Warnings of the preview. Our provider's Check logs them (a dynamic provider has no other channel); the real
 * CLI puts such a line in the digest with severity `info#err`, no urn, and the words `warning: [runtime]
 * [edgeconf] OriginGroup web: hostHeader has no effect ...`. A warning with a urn is attached by it; ours by
 * the kind and name they start with.
 */
function previewWarnings(diagnostics: PreviewDiagnostic[]): { urn?: string; text: string }[] {
  return diagnostics
    .filter((d) => d.severity === "warning" || /^warning: /.test(d.message))
    .map((d) => ({ ...(d.urn ? { urn: d.urn } : {}), text: d.message.replace(/^warning: (\[runtime\] )?(\[edgeconf\] )?/, "").trim() }));
}

function attachWarnings(resources: ResourceReport[], diagnostics: PreviewDiagnostic[]): string[] {
  const unattached: string[] = [];
  for (const w of previewWarnings(diagnostics)) {
    const named = /^(\w+) ([^\s:]+): /.exec(w.text);
    const owner = resources.find((r) => (w.urn ? r.urn === w.urn : named !== null && r.kind === named[1] && r.name === named[2]));
    if (owner) owner.warnings.push(w.urn || !named ? w.text : w.text.slice(named[0].length));
    else unattached.push(w.text);
  }
  return unattached;
}

export function previewReport(digest: PreviewDigest): PreviewReport {
  const steps = digest.steps ?? [];
  const stored = storedStates(steps);
  const byUrn = new Map<string, PreviewStep[]>();
  for (const step of steps) {
    const type = step.newState?.type ?? step.oldState?.type ?? typeOfUrn(step.urn);
    if (HIDDEN_OPS.has(step.op) || isBookkeeping(type, step.urn)) continue;
    byUrn.set(step.urn, [...(byUrn.get(step.urn) ?? []), step]);
  }
  const resources = [...byUrn.entries()].map(([urn, own]) => resourceReport(own, stored.get(urn)));
  const counts = Object.fromEntries(OP_CATEGORIES.map((c) => [c, resources.filter((r) => r.category === c).length])) as Record<OpCategory, number>;
  const errors = (digest.diagnostics ?? []).filter((d) => d.severity === "error");
  const refreshed = [...stored].flatMap(([urn, state]) => refreshDrift(urn, state, steps) ?? []);
  const warnings = attachWarnings(resources, digest.diagnostics ?? []);
  const other = resources.filter((r) => r.category === undefined).length;
  return { ok: errors.length === 0, errors, counts, other, same: digest.changeSummary?.same ?? 0, resources, warnings, refreshed };
}
