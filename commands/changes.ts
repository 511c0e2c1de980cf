/**
 * The one change formatter of both reports: what changed in a resource between two sides that went through the
 * resource's own normalisation (`comparable`), and the words for it. `edgeconf preview` compares the program with
 * the state, `edgeconf drift` the state with the live configuration; a reviewer reads both the same way:
 * set changes as `+N −M` keyed by record or entry, the first few named and the rest counted; scalars old → new,
 * never cut inside a value; secrets never shown (only parameter names and "changed" reach a report).
 */
import { deepEqual } from "../provider/resources/equality";
import type { ResourceKind } from "../provider/resources/lifecycle";
import { UNKNOWN } from "../provider/resources/unknowns";
import { SECRET_MASK } from "./previewDigest";

export const KNOWN_AFTER_APPLY = "(known after apply)";
/** Properties compared as sets: records keyed by their value, IP entries, expiry schedules. */
export const SET_PROPS = new Set(["records", "content", "ipExpireInfo"]);
/** Entries listed per added/removed side before "and N more". */
export const LIST_LIMIT = 5;

const shown = (v: unknown): unknown => (v === UNKNOWN ? KNOWN_AFTER_APPLY : v);

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

export interface SecretChange {
  property: string;
  status: "changed" | "not compared";
}

/** Everything that changed in one resource. */
export interface Changes {
  fields: FieldChange[];
  records?: RecordsDelta;
  content?: EntriesDelta;
  expiries?: ExpiryDelta;
  /** top-level properties whose values are secret: named, never shown */
  secrets: SecretChange[];
}

/** Both sides as `comparable` returns them; `before` is absent for a create. */
export interface Sides {
  before?: Record<string, unknown>;
  after: Record<string, unknown>;
  /** top-level properties whose values are secret (left out of `fields`) */
  masked: Set<string>;
  /** top-level properties known only after apply */
  unknown: string[];
  /** the expiry times as written (comparable keeps epoch ms), to show them the way the program declares them */
  timeText: Map<number, string>;
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

function setDeltas(kind: ResourceKind, sides: Sides): Pick<Changes, "records" | "content" | "expiries"> {
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


/** The scalar and set changes between two sides (secrets are the caller's: only it knows how they were hidden). */
export function changesOf(kind: ResourceKind, sides: Sides): Omit<Changes, "secrets"> {
  return { fields: fieldChanges(sides), ...setDeltas(kind, sides) };
}

/** How much changed: the order of "largest changes first" when a report must be cut. */
export function changeSize(c: Partial<Changes>): number {
  const sets = (c.records ? c.records.added.length + c.records.removed.length + c.records.changed.length : 0)
    + (c.content ? c.content.added.length + c.content.removed.length : 0)
    + (c.expiries ? c.expiries.added.length + c.expiries.removed.length + c.expiries.changed.length : 0);
  return (c.fields?.length ?? 0) + (c.secrets?.length ?? 0) + sets;
}

// ---------------------------------------------------------------- words, shared by text and markdown

/**
 * A value, whole: a list shows its first few items and counts the rest, so nothing is ever cut inside an address
 * or a name (a cut value reads as a different one).
 */
export function show(v: unknown): string {
  if (v === KNOWN_AFTER_APPLY) return v;
  if (v === undefined || v === null || v === "") return "(none)";
  if (Array.isArray(v) && v.length > LIST_LIMIT) return `[${listed(v.map((x) => JSON.stringify(x)))}]`;
  return JSON.stringify(v);
}

export function listed(items: string[], limit = LIST_LIMIT): string {
  const more = items.length - limit;
  return items.slice(0, limit).join(", ") + (more > 0 ? `, and ${more} more` : "");
}

function fieldWords(f: FieldChange): string {
  if (f.secret) return `${f.property} ${f.old === "(absent)" ? "added" : f.new === "(absent)" ? "removed" : "changed"} (secret, not shown)`;
  return "old" in f ? `${f.property}: ${show(f.old)} → ${show(f.new)}` : `${f.property}: ${show(f.new)}`;
}

function recordWords(r: RecordSummary): string {
  const traits = [r.type, ...(r.weight !== undefined ? [`weight ${r.weight}`] : []), ...(r.private ? ["private"] : [])];
  if (r.privateParameters.length) traits.push(`privateParameters: ${r.privateParameters.join(", ")}`);
  return `${r.record} (${traits.join(", ")})`;
}

/** The first `limit` lines and a count of the rest. */
const capped = (lines: string[], limit: number) => (lines.length > limit ? [...lines.slice(0, limit), `and ${lines.length - limit} more`] : lines);

function recordLines(d: RecordsDelta): [string, string[]] {
  const lines = [
    ...d.added.map((r) => `+ ${recordWords(r)}`),
    ...d.removed.map((r) => `− ${recordWords(r)}`),
    ...d.changed.map((c) => `~ ${c.record}: ${c.fields.map(fieldWords).join(", ")}`),
  ];
  return [`records: +${d.added.length} −${d.removed.length} ~${d.changed.length}`, capped(lines, LIST_LIMIT * 2)];
}

function contentLine(d: EntriesDelta): [string, string[]] {
  const nested = [...(d.added.length ? [`added: ${listed(d.added)}`] : []), ...(d.removed.length ? [`removed: ${listed(d.removed)}`] : [])];
  return [`content: +${d.added.length} −${d.removed.length} (${d.total} entries after)`, nested];
}

function expiryLines(d: ExpiryDelta): [string, string[]] {
  const nested = [
    ...d.added.map((e) => `+ ${e.entry} expires ${e.expireTime}`),
    ...d.removed.map((e) => `− ${e.entry} no longer expires (was ${e.expireTime})`),
    ...d.changed.map((e) => `~ ${e.entry} expires ${e.new} (was ${e.old})`),
  ];
  return [`ipExpireInfo: +${d.added.length} −${d.removed.length} ~${d.changed.length} schedule(s)`, capped(nested, LIST_LIMIT * 2)];
}

/** Detail lines of one resource's change, without indentation or markup: [line, nested lines]. */
export function changeLines(c: Changes): [string, string[]][] {
  const out: [string, string[]][] = c.fields.map((f) => [fieldWords(f), []]);
  if (c.records) out.push(recordLines(c.records));
  if (c.content) out.push(contentLine(c.content));
  if (c.expiries) out.push(expiryLines(c.expiries));
  for (const s of c.secrets) out.push([`${s.property}: [secret] ${s.status === "changed" ? "changed" : "not compared"} (values not shown)`, []]);
  return out;
}

/** One cell's worth: the properties that changed, sets with their counts. */
export function changeCell(c: Changes): string {
  const parts = c.fields.map((f) => f.property);
  if (c.records) parts.push(`records +${c.records.added.length} −${c.records.removed.length} ~${c.records.changed.length}`);
  if (c.content) parts.push(`content +${c.content.added.length} −${c.content.removed.length}`);
  if (c.expiries) parts.push(`ipExpireInfo +${c.expiries.added.length} −${c.expiries.removed.length} ~${c.expiries.changed.length}`);
  for (const s of c.secrets) parts.push(`${s.property} (secret)`);
  return parts.join(", ");
}

// ---------------------------------------------------------------- markdown

/** A code span that survives backticks in the value. */
export const code = (s: string) => (s.includes("`") ? `\`\` ${s} \`\`` : `\`${s}\``);
export const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
/**
 * Values (descriptions, names...) are user text in a comment or an issue: no HTML, and no `@team` or `#123` that
 * would notify people or link issues. A zero-width space after `@` and before digits after `#` keeps the words
 * readable and inert, as Renovate does in the release notes it quotes. `#` goes first: the entity written
 * after `@` has a `#` before digits of its own.
 */
export const inert = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/#(?=\d)/g, "#&#8203;").replace(/@/g, "@&#8203;");

/** A change's detail lines as a markdown list. */
export function changeMarkdown(c: Changes): string[] {
  return changeLines(c).flatMap(([line, nested]) => [`- ${inert(line)}`, ...nested.map((n) => `  - ${inert(n)}`)]);
}
