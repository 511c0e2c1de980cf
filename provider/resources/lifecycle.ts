/**
 * The shared life of every resource: check (schema, unknowns, autonaming), diff (normalised, exact),
 * create (adoption, ambiguous-failure recovery, partial creates), read (gone = empty id, inputs from live),
 * update and delete (missing = success). Each resource file supplies a `ResourceDefinition`; this module
 * turns it into the methods the serialized stub forwards to.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { ApiError, EdgeconfError, InputError, TransportError } from "../clients/errors";
import { DURATION_HINT, toSeconds } from "./duration";
import { deepEqual, toEngineValue } from "./equality";
import { containsUnknown, isUnknown, pathTouchesUnknown, toPropertyPath } from "./unknowns";
import { peerSpelling, type PeerSpelling } from "./peerSpellings";
import type { OperationContext, ProviderContext } from "./context";
import type { ResourceKind } from "../stub";
import { whileWriting } from "./batch";

export type { ResourceKind };

export interface CheckFailure {
  property: string;
  reason: string;
}

/** What one resource file provides. `I` is the checked input (`z.output` of the schema), `O` the state. */
export interface ResourceDefinition<I extends Record<string, unknown>, O extends Record<string, unknown>> {
  kind: ResourceKind;
  /** Strict object schema of the resource's own inputs (meta inputs are handled here). */
  schema: z.ZodType<I>;
  /** Top-level properties the API cannot change in place. */
  replaceOnChange: readonly string[];
  /** Replacements that depend on the values (a rename too large for one request...). */
  replacesFor?(olds: I, news: I): string[];
  /** Rules that need the previous inputs (a time must be in the future when first declared...). */
  newFailures?(olds: Record<string, unknown> | undefined, news: I): CheckFailure[];
  /**
   * Valid inputs that the API accepts and ignores (its reference says the field "takes effect when…"): they are
   * stored as sent and reported as preview warnings, never as failures. Reasons never echo values.
   */
  warnings?(inputs: I): CheckFailure[];
  /** The optional name property that is autonamed from the Pulumi resource name when omitted. */
  autoName?: { property: string; maxLength: number; sanitize(base: string): string };
  /** Key that must be unique in the cloud (zone + name...). Same key on both sides of a replace = delete first. */
  naturalKey(inputs: I): string;
  /** Normalised value of each top-level property, for diff: sets sorted, canonical forms, defaults filled. */
  comparable(inputs: I): Record<string, unknown>;
  /**
   * The properties whose `comparable` values differ, found more cheaply than by building them (a 100,000-entry
   * set); the same answer either way (tests hold it). Absent: `comparable` values are compared.
   */
  changedProperties?(olds: I, news: I): string[];
  /** The inputs that would produce this live state (what `read` reports as inputs). */
  inputsOf(state: O): I;
  idOf(state: O): string;
  /** True for the API error that means "this resource does not exist". */
  isNotFound(err: unknown): boolean;
  create(ctx: ProviderContext, inputs: I, op: OperationContext): Promise<O>;
  /**
   * The scope whose list answers this resource's reads (zone, space, account): this process's writes in it
   * invalidate its snapshots (batch.ts). Absent: reads are not served from snapshots.
   */
  scopeOf?(where: I | O): string;
  /** Live state, or undefined when gone. `where` carries the scope (zone, region...) of the resource. */
  read(ctx: ProviderContext, id: string, where: I | O, op: OperationContext): Promise<O | undefined>;
  update(ctx: ProviderContext, id: string, olds: O, news: I, op: OperationContext): Promise<O>;
  delete(ctx: ProviderContext, id: string, olds: O, op: OperationContext): Promise<void>;
  /** Waits until an adopted resource that needs no change has settled (a GA group still PENDING); default: as read. */
  settled?(ctx: ProviderContext, state: O, op: OperationContext): Promise<O>;
  /** Look the resource up by its natural key after an ambiguous create. */
  findExisting(ctx: ProviderContext, inputs: I, op: OperationContext): Promise<O | undefined>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDefinition = ResourceDefinition<any, any>;

/** Seconds or a duration string (`"10m"`), as seconds. */
const Deadline = z
  .union([z.number(), z.string()], { error: DURATION_HINT })
  .transform((value, ctx) => toSeconds(value) ?? (ctx.addIssue({ code: "custom", message: DURATION_HINT }), z.NEVER));

/** Inputs every resource accepts on top of its own schema. */
const MetaInputs = z.object({
  /** The Pulumi resource name, passed by the resource class: the base of autonames. */
  logicalName: z.string().optional(),
  /** Bring an existing resource under management: `create` converges it instead of creating a new one. */
  adoptId: z.union([z.string().min(1), z.number().int().nonnegative()]).optional(),
  /** Whole-operation deadlines in seconds (Pulumi's customTimeouts never reach dynamic providers). */
  timeouts: z
    .strictObject({
      create: Deadline.optional(),
      update: Deadline.optional(),
      delete: Deadline.optional(),
      read: Deadline.optional(),
    })
    .optional(),
});
type MetaInputs = z.output<typeof MetaInputs>;
/** @internal The meta inputs as users write them; resources/publicTypes.ts checks CommonArgs against it. */
export type MetaArgs = z.input<typeof MetaInputs>;
const META_KEYS = ["__provider", "logicalName", "adoptId", "timeouts"] as const;

/** Pauses between lookups after an ambiguous create: a request past the client timeout may land late. */
const CREATE_LOOKUP_GRACE_MS = [0, 500, 1000, 2000] as const;
/** Pause between lookups that failed, and how many failures end the search. */
const LOOKUP_RETRY_MS = 2000;
const LOOKUP_MAX_FAILURES = 8;

/** Default whole-operation deadlines, seconds: long enough for GA's asynchronous status, bounded anyway. */
export const DEFAULT_TIMEOUTS = { create: 1200, update: 1200, delete: 1200, read: 300 } as const;

type Props = Record<string, unknown>;

function splitMeta(props: Props | undefined): { meta: Props; own: Props } {
  const meta: Props = {};
  const own: Props = {};
  for (const [k, v] of Object.entries(props ?? {})) {
    if ((META_KEYS as readonly string[]).includes(k)) meta[k] = v;
    else own[k] = v;
  }
  return { meta, own };
}

/** Meta inputs that travel in outputs too, so `read` can report complete inputs after a refresh. */
function keptMeta(props: Props | undefined): Props {
  const { logicalName, timeouts } = props ?? {};
  return { ...(logicalName !== undefined ? { logicalName } : {}), ...(timeouts !== undefined ? { timeouts } : {}) };
}

function parseMeta(props: Props): MetaInputs {
  const parsed = MetaInputs.safeParse(splitMeta(props).meta);
  return parsed.success ? parsed.data : {};
}

/**
 * Failures by property path; an unknown key is reported at its own path (a typo names itself), with what to
 * write instead when `hint` knows it (a peer provider's spelling). A property that such a key stands for is then
 * not also reported missing: `zone_id: … write zoneId` says it all.
 */
function issuesToFailures(
  issues: readonly z.core.$ZodIssue[],
  root: unknown,
  hint: (path: readonly PropertyKey[], key: string) => PeerSpelling | undefined = () => undefined,
): CheckFailure[] {
  const known = issues.filter((issue) => !pathTouchesUnknown(root, issue.path));
  const spelled = new Set<string>();
  const failures = known.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => {
        const peer = hint(issue.path, key);
        for (const ours of peer?.writes ?? []) spelled.add(toPropertyPath([...issue.path, ours]));
        return { property: toPropertyPath([...issue.path, key]), reason: peer?.reason ?? "is not a property of this resource" };
      })
      : [{ property: toPropertyPath(issue.path) || "(inputs)", reason: issue.message, missing: valueAt(root, issue.path) === undefined }],
  );
  return failures
    .filter((f) => !("missing" in f && f.missing && spelled.has(f.property)))
    .map(({ property, reason }) => ({ property, reason }));
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) node = node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined;
  return node;
}

/** The unknown-key hints of one resource kind: its schema plus the meta inputs every resource accepts. */
function peerHint(def: AnyDefinition) {
  return (path: readonly PropertyKey[], key: string) => peerSpelling(def.kind, def.schema, path, key, META_KEYS);
}

function randomSuffix(): string {
  return randomBytes(4).toString("hex").slice(0, 7);
}

/** An autoname is `<sanitized logical name>-<7 hex>`, cut to the property's maximum length. */
const AUTONAME_SUFFIX_LENGTH = 8;

function autoNameBase(def: AnyDefinition, logicalName: string | undefined): string {
  const { maxLength, sanitize } = def.autoName!;
  return sanitize(logicalName ?? def.kind.toLowerCase()).slice(0, maxLength - AUTONAME_SUFFIX_LENGTH);
}

function autoName(def: AnyDefinition, meta: MetaInputs): string {
  return `${autoNameBase(def, meta.logicalName)}-${randomSuffix()}`;
}

/** True when `value` is a name `check` would have chosen for this logical name (used by `edgeconf preview`). */
export function isAutoName(def: AnyDefinition, logicalName: string | undefined, value: unknown): boolean {
  if (!def.autoName || typeof value !== "string") return false;
  const base = autoNameBase(def, logicalName);
  return value.length === base.length + AUTONAME_SUFFIX_LENGTH && value.startsWith(`${base}-`) && /^[0-9a-f]{7}$/.test(value.slice(-7));
}

/** A failed create that left a resource behind: Pulumi keeps tracking it by `id` (ErrorResourceInitFailed). */
export class PartialCreateError extends EdgeconfError {
  override readonly code = "EDGECONF_PARTIAL_CREATE";
  constructor(message: string, readonly id: string, readonly properties: Props, readonly reasons: string[] = [message]) {
    super(message);
  }
}

/** API codes by which a create is refused because the object it would make exists already. */
const ALREADY_EXISTS = /(AlreadyExists|NameExists)$|^GA\.9104$/;

/**
 * What a create refused as "already exists" adds: the usual cause is a run of this very stack that was killed
 * after the cloud applied its create, whose object no state holds.
 */
export const RECOVER_HINT =
  "If an interrupted `pulumi up` of this stack created it, `npx edgeconf recover --run` puts it back under the stack; " +
  "otherwise bring it under management with adoptId.";

function withRecoverHint(err: unknown): unknown {
  if (!(err instanceof ApiError) || !ALREADY_EXISTS.test(err.apiCode)) return err;
  return new ApiError(err.apiCode, `${err.apiMessage.replace(/\.?$/, ".")} ${RECOVER_HINT}`, {
    service: err.service, action: err.action, requestId: err.requestId, httpStatus: err.httpStatus, retryAfterMs: err.retryAfterMs,
  });
}

/** The errors after which a create may or may not have happened. */
export function isAmbiguous(err: unknown): boolean {
  if (err instanceof TransportError) return err.meta.mayHaveApplied;
  if (err instanceof ApiError) return err.apiCode.startsWith("InternalError") || (err.httpStatus ?? 0) >= 500;
  return false;
}

export function operationContext(seconds: number, kind: ResourceKind, verb: string): OperationContext {
  const deadline = Date.now() + seconds * 1000;
  return { deadline, description: `${verb} ${kind}`, timeoutSeconds: seconds };
}

/**
 * Whether a replacement must delete the old resource first: the new one would carry the same unique key (zone +
 * name...), which the cloud refuses twice. Shared with `edgeconf preview`, which reports "delete first".
 */
export function deletesFirst(def: AnyDefinition, oldInputs: Props, newInputs: Props): boolean {
  return def.naturalKey(newInputs) === def.naturalKey(oldInputs);
}

/** The top-level properties whose normalised values differ between two sets of checked inputs. */
export function changedProperties(def: AnyDefinition, olds: Props, news: Props): string[] {
  if (def.changedProperties) return def.changedProperties(olds, news);
  const before = def.comparable(olds);
  const after = def.comparable(news);
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !deepEqual(before[k], after[k]));
}

export class Lifecycle {
  constructor(private readonly defs: Record<ResourceKind, AnyDefinition>, private readonly ctx: () => ProviderContext) {}

  private def(kind: ResourceKind): AnyDefinition {
    const def = this.defs[kind];
    if (!def) throw new EdgeconfError(`unknown resource kind ${kind}`);
    return def;
  }

  /**
   * Validate everything known; fill the autoname (kept from olds) and defaults. Never throws for bad input.
   * Inputs the API ignores come back as `warnings` and go to the engine log: a dynamic provider has no other
   * channel for them, and the CLI shows the provider process's log lines during preview.
   */
  async check(
    kind: ResourceKind,
    olds: Props | undefined,
    news: Props,
  ): Promise<{ inputs: Props; failures: CheckFailure[]; warnings: CheckFailure[] }> {
    const def = this.def(kind);
    const { meta, own } = splitMeta(news);
    const failures: CheckFailure[] = [];
    const metaParsed = MetaInputs.safeParse(meta);
    if (!metaParsed.success) failures.push(...issuesToFailures(metaParsed.error.issues, meta));
    const inputs: Props = { ...news };
    if (def.autoName && own[def.autoName.property] === undefined) {
      const kept = olds?.[def.autoName.property];
      // A refresh may have brought in a name set in the console that our rules refuse (a Chinese GA name, where
      // the cloud allows one): keeping it would fail every preview, so such a name gets a fresh autoname.
      const keepable = typeof kept === "string" && kept !== "" && def.autoName.sanitize(kept) === kept && kept.length <= def.autoName.maxLength;
      own[def.autoName.property] = keepable ? kept : autoName(def, metaParsed.data ?? {});
      inputs[def.autoName.property] = own[def.autoName.property];
    }
    const parsed = def.schema.safeParse(own);
    if (!parsed.success) {
      failures.push(...issuesToFailures(parsed.error.issues, own, peerHint(def)));
      return { inputs, failures, warnings: [] };
    }
    failures.push(...(def.newFailures?.(olds, parsed.data) ?? []));
    const warnings = def.warnings?.(parsed.data) ?? [];
    const who = `${kind} ${metaParsed.data?.logicalName ?? ""}`.trim();
    for (const w of warnings) this.ctx().log.warn(`${who}: ${w.property} ${w.reason}`);
    // Defaults (groupType, trafficDialPercentage...) become visible in the plan; unknowns stay as they were.
    for (const [k, v] of Object.entries(parsed.data as Props)) if (!containsUnknown(own[k])) inputs[k] = v;
    return { inputs: toEngineValue(inputs), failures, warnings };
  }

  /** Exact diff of the live state (olds = outputs) against the new inputs; unknowns count as changes. */
  async diff(kind: ResourceKind, _id: string, olds: Props, news: Props) {
    const def = this.def(kind);
    const oldInputs = def.inputsOf(olds);
    const { own } = splitMeta(news);
    const unknownProps = Object.keys(own).filter((k) => containsUnknown(own[k]));
    // Parse with unknown properties replaced by their old values, so every known property is normalised.
    const substituted: Props = { ...own };
    for (const k of unknownProps) substituted[k] = (oldInputs as Props)[k];
    const parsed = def.schema.safeParse(substituted);
    const changed = new Set<string>(unknownProps);
    if (parsed.success) {
      for (const k of changedProperties(def, oldInputs, parsed.data)) changed.add(k);
    } else {
      // check refuses such inputs before any diff; answer conservatively anyway.
      for (const k of Object.keys(own)) if (!deepEqual((oldInputs as Props)[k], own[k])) changed.add(k);
    }
    const replaces = [...changed].filter((k) => def.replaceOnChange.includes(k));
    if (parsed.success) for (const k of def.replacesFor?.(oldInputs, parsed.data) ?? []) if (!replaces.includes(k)) replaces.push(k);
    return {
      changes: changed.size > 0,
      replaces,
      deleteBeforeReplace: replaces.length > 0 && (unknownProps.length > 0 || (parsed.success && deletesFirst(def, oldInputs, parsed.data))),
    };
  }

  async create(kind: ResourceKind, props: Props): Promise<{ id: string; outs: Props }> {
    const def = this.def(kind);
    const meta = parseMeta(props);
    const inputs = this.parseOrThrow(def, props);
    const op = operationContext(meta.timeouts?.create ?? DEFAULT_TIMEOUTS.create, kind, "creating");
    const ctx = this.ctx();
    try {
      const state = await this.writing(def, ctx, inputs, () => meta.adoptId !== undefined
        ? this.adopt(def, ctx, String(meta.adoptId), inputs, op)
        : this.createRecovering(def, ctx, inputs, op));
      return { id: def.idOf(state), outs: toEngineValue({ ...state, ...keptMeta(props) }) };
    } catch (err) {
      if (err instanceof PartialCreateError) {
        throw Object.assign(new Error(err.message), {
          id: err.id,
          properties: toEngineValue({ ...err.properties, ...keptMeta(props), __provider: props.__provider }),
          reasons: err.reasons,
        });
      }
      throw withRecoverHint(err);
    }
  }

  /**
   * The live resource that a create with these inputs (a pending create's, autoname included) made, if any:
   * `edgeconf recover` asks this of every create an interrupted run left pending. Found by natural key, as the
   * create's own recovery does.
   */
  async findCreated(kind: ResourceKind, props: Props): Promise<{ id: string } | undefined> {
    const def = this.def(kind);
    const meta = parseMeta(props);
    const inputs = this.parseOrThrow(def, props);
    const found = await def.findExisting(this.ctx(), inputs, operationContext(meta.timeouts?.read ?? DEFAULT_TIMEOUTS.read, kind, "looking up"));
    return found && { id: def.idOf(found) };
  }

  /**
   * Create, and after an ambiguous failure look the resource up by its natural key before trying again, so no
   * duplicate is made. A request that outlived the client's timeout may still land a moment later: the lookup is
   * repeated over a short grace period. A retry refused because the resource now exists (its first attempt
   * landed after all) is resolved the same way.
   */
  private async createRecovering(def: AnyDefinition, ctx: ProviderContext, inputs: Props, op: OperationContext) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await def.create(ctx, inputs, op);
      } catch (err) {
        const retrying = attempt > 1 && err instanceof ApiError;
        if (!(isAmbiguous(err) || retrying) || Date.now() >= op.deadline) throw err;
        const why = isAmbiguous(err) ? "create failed ambiguously" : "create retry was refused";
        ctx.log.warn(`${def.kind} ${def.naturalKey(inputs)}: ${why} (${(err as Error).message}); looking it up`);
        // An API answer means the server finished with the request; only a lost answer may still land late.
        const found = await this.lookUp(def, ctx, inputs, op, err instanceof TransportError ? CREATE_LOOKUP_GRACE_MS : [0]);
        if (found) {
          ctx.log.info(`${def.kind} ${def.naturalKey(inputs)}: the create had been applied (id ${def.idOf(found)}); keeping it`);
          return this.converge(def, ctx, found, inputs, op);
        }
        if (attempt >= 3 || !isAmbiguous(err)) throw err;
      }
    }
  }

  /**
   * Found, or certainly absent after the grace pauses. A lookup that fails is tried again (a bounded number of
   * times, within the deadline): giving up early would leave a resource the create may have made outside
   * Pulumi's state, and every later `up` refused because its name is taken.
   */
  private async lookUp(def: AnyDefinition, ctx: ProviderContext, inputs: Props, op: OperationContext, pauses: readonly number[]) {
    let answered = 0;
    let failures = 0;
    let lastError: unknown;
    for (let i = 0; answered < pauses.length && failures < LOOKUP_MAX_FAILURES; i++) {
      const pause = i < pauses.length ? pauses[i] : LOOKUP_RETRY_MS;
      if (Date.now() + pause >= op.deadline) break;
      if (pause) await new Promise((resolve) => setTimeout(resolve, pause));
      try {
        const found = await def.findExisting(ctx, inputs, op);
        if (found) return found;
        answered++;
      } catch (err) {
        lastError = err;
        failures++;
        ctx.log.warn(`${def.kind} ${def.naturalKey(inputs)}: looking up the possibly created resource failed (${(err as Error).message}); trying again`);
      }
    }
    if (answered === 0 && lastError) {
      throw new EdgeconfError(
        `${def.kind} ${def.naturalKey(inputs)}: the create may have been applied, and looking it up failed ${failures} times ` +
          `(${(lastError as Error).message}); if it exists, bring it under management with adoptId`,
        { cause: lastError },
      );
    }
    return undefined;
  }

  private async adopt(def: AnyDefinition, ctx: ProviderContext, adoptId: string, inputs: Props, op: OperationContext) {
    // The Tencent peers' import ids join scope and id with "#" (zone-…#origin-…, z-…#g-…): the id is the last part;
    // the scope comes from the declared inputs.
    const id = adoptId.slice(adoptId.lastIndexOf("#") + 1);
    const existing = await def.read(ctx, id, inputs, op);
    if (!existing) throw new InputError([{ property: "adoptId", reason: `no ${def.kind} ${id} exists in the declared scope to adopt` }]);
    const changed = changedProperties(def, def.inputsOf(existing), inputs);
    const fixed = def.replaceOnChange.filter((k) => changed.includes(k));
    if (fixed.length > 0) {
      throw new InputError(fixed.map((k) => ({
        property: k,
        reason: `the adopted ${def.kind} ${id} has a different ${k}, which cannot be changed in place; declare the existing value`,
      })));
    }
    ctx.log.info(`${def.kind} ${id}: adopting the existing resource`);
    return this.converge(def, ctx, existing, inputs, op);
  }

  private async converge(def: AnyDefinition, ctx: ProviderContext, state: Props, inputs: Props, op: OperationContext) {
    const same = changedProperties(def, def.inputsOf(state), inputs).length === 0;
    if (!same) return def.update(ctx, def.idOf(state), state, inputs, op);
    return def.settled ? def.settled(ctx, state, op) : state;
  }

  async read(kind: ResourceKind, id: string, props: Props) {
    const def = this.def(kind);
    const op = operationContext(parseMeta(props).timeouts?.read ?? DEFAULT_TIMEOUTS.read, kind, "reading");
    const state = await def.read(this.ctx(), id, props, op);
    if (!state) return { id: "" };
    const meta = keptMeta(props);
    return { id: def.idOf(state), props: toEngineValue({ ...state, ...meta }), inputs: toEngineValue({ ...def.inputsOf(state), ...meta }) };
  }

  async update(kind: ResourceKind, id: string, olds: Props, news: Props) {
    const def = this.def(kind);
    const meta = parseMeta(news);
    const inputs = this.parseOrThrow(def, news);
    const op = operationContext(meta.timeouts?.update ?? DEFAULT_TIMEOUTS.update, kind, "updating");
    const ctx = this.ctx();
    const state = await this.writing(def, ctx, inputs, () => def.update(ctx, id, olds, inputs, op));
    return { outs: toEngineValue({ ...state, ...keptMeta(news) }) };
  }

  async delete(kind: ResourceKind, id: string, props: Props) {
    const def = this.def(kind);
    const meta = parseMeta(props);
    const op = operationContext(meta.timeouts?.delete ?? DEFAULT_TIMEOUTS.delete, kind, "deleting");
    const ctx = this.ctx();
    try {
      await this.writing(def, ctx, props, () => def.delete(ctx, id, props, op));
    } catch (err) {
      if (def.isNotFound(err)) return; // already gone: the goal of a delete
      throw err;
    }
  }

  /** A write in the resource's scope: that scope's list snapshots are not used across it (batch.ts). */
  private writing<T>(def: AnyDefinition, ctx: ProviderContext, where: Props, write: () => Promise<T>): Promise<T> {
    return def.scopeOf ? whileWriting(ctx, def.kind, def.scopeOf(where), write) : write();
  }

  /** Create/update never trust that check ran (the engine may skip it for refresh-driven updates). */
  private parseOrThrow(def: AnyDefinition, props: Props): Props {
    const { own } = splitMeta(props);
    const parsed = def.schema.safeParse(own);
    if (!parsed.success) throw new InputError(issuesToFailures(parsed.error.issues, own, peerHint(def)));
    return parsed.data;
  }
}

export { isUnknown };
