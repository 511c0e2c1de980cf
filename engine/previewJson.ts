/**
 * `pulumi preview --json` for the engine stand-in: one preview's steps as the CLI's preview digest
 * (shared/reference/pulumi-engine-semantics.md §1; pulumi/pulumi `pkg/backend/display/json.go`). Tests and the
 * README example feed it to `edgeconf preview`, so the report is proven on the shape real CLIs print:
 * - one `replace` step per replacement (`--show-replacement-steps` adds create-replacement / delete-replaced
 *   in engine order: delete-replaced first for delete-before-replace, last otherwise); the old state of the
 *   `replace` step carries `pendingReplacement: true` (delete first) or `delete: true` (create first), as do the
 *   steps after it, as pulumi v3.276.0 prints them;
 * - the default provider is never a step and is not counted in `changeSummary`;
 * - `oldState` is the stored resource (inputs and outputs), `newState` the checked inputs without outputs;
 * - every secret is the plain string "[secret]", as are strings equal to a secret config value;
 * - `detailedDiff: null` (dynamic providers send none), no `diffReasons`, `replaceReasons` = the diff's replaces;
 * - `duration` in nanoseconds, `changeSummary` counts, error diagnostics for failed checks and failed steps;
 * - `preview --refresh` (pulumi v3.276.0): first one `refresh` step per resource read, the root stack's first,
 *   whose oldState and newState are both the state before the read; then the root stack's step and the program's,
 *   whose oldState is what the read found (none when it found the resource gone); refresh steps are not counted;
 * - the provider's warnings (`pulumi.log.warn` in the provider process, which has no engine connection, prints
 *   them on stderr) as the CLI relays a plugin's stderr lines: severity `info#err`, no urn, the line as printed
 *   plus two newlines (`warning: [runtime] [edgeconf] OriginGroup plain: hostHeader has no effect ...\n\n`).
 */
import type { PreviewDiagnostic, PreviewDigest, PreviewStep, ResourceV3 } from "../commands/previewDigest";
import { SECRET_MASK } from "../commands/previewDigest";
import type { OperationResult, Step } from "./engine";
import { isSecretEnvelope, type StateResource } from "./state";

/** What the engine records on each step for the digest (the hook in engine.ts). */
export interface StepStates {
  /** the stored resource (update, replace, delete); for a `refresh-*` step, the state before the read */
  old?: StateResource;
  /** the checked inputs (create, update, replace) */
  inputs?: Record<string, unknown>;
  /** top-level inputs the program marked secret */
  secretKeys?: Set<string>;
  deleteBeforeReplace?: boolean;
}

export interface DigestOptions {
  /** as `pulumi preview --json --show-replacement-steps` */
  showReplacementSteps?: boolean;
  /** the stack config (namespaced keys) and the keys set with --secret */
  config?: Record<string, string>;
  secretKeys?: string[];
}

const stackOf = (urn: string) => {
  const [, stack, project] = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn) ?? [];
  return { stack: stack ?? "dev", project: project ?? "edgeconf" };
};
const nameOf = (urn: string) => urn.split("::").pop() ?? urn;

/** Secret envelopes (any depth) and strings equal to a secret config value become "[secret]". */
function masked(value: unknown, secrets: Set<string>): unknown {
  if (typeof value === "string") return secrets.has(value) ? SECRET_MASK : value;
  if (Array.isArray(value)) return value.every((v) => typeof v === "string" && !secrets.has(v)) ? value.slice() : value.map((v) => masked(v, secrets));
  if (value !== null && typeof value === "object") {
    if (isSecretEnvelope(value)) return SECRET_MASK;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, secrets)]));
  }
  return value;
}

function maskedProps(props: Record<string, unknown> | undefined, secretKeys: Set<string> | undefined, secrets: Set<string>) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props ?? {})) out[k] = secretKeys?.has(k) ? SECRET_MASK : masked(v, secrets);
  return out;
}

function oldState(r: StateResource, secrets: Set<string>): ResourceV3 {
  return {
    urn: r.urn, custom: r.custom, ...(r.id ? { id: r.id } : {}), type: r.type,
    inputs: maskedProps(r.inputs, undefined, secrets), outputs: maskedProps(r.outputs, undefined, secrets),
    ...(r.parent ? { parent: r.parent } : {}), ...(r.provider ? { provider: r.provider } : {}),
    ...(r.initErrors?.length ? { initErrors: r.initErrors } : {}),
  };
}

const providerOf = (urn: string) => {
  const { stack, project } = stackOf(urn);
  return `urn:pulumi:${stack}::${project}::pulumi:providers:pulumi-nodejs::default::default`;
};

/** A read of `pulumi preview --refresh`: the state before it on both sides, whatever the read found. */
function refreshStep(s: Step, secrets: Set<string>): PreviewStep {
  const before = s.states?.old && oldState(s.states.old, secrets);
  return { op: "refresh", urn: s.urn, provider: providerOf(s.urn), ...(before ? { oldState: before, newState: before } : {}), detailedDiff: null };
}

function previewSteps(s: Step, secrets: Set<string>, showReplacementSteps: boolean): { now: PreviewStep[]; atEnd: PreviewStep[] } {
  const { stack, project } = stackOf(s.urn);
  const provider = providerOf(s.urn);
  const old = s.states?.old ? oldState(s.states.old, secrets) : undefined;
  const inputs = s.states?.inputs;
  // newState is the goal state of the step's pre-event: checked inputs, no outputs; an update keeps its id.
  const newState: ResourceV3 | undefined = inputs && {
    urn: s.urn, custom: true, ...(s.op === "update" && old?.id ? { id: old.id } : {}), type: s.type,
    inputs: maskedProps(inputs, s.states?.secretKeys, secrets),
    parent: `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`, provider,
  };
  const step = (op: string, o?: ResourceV3, n?: ResourceV3): PreviewStep => ({
    op, urn: s.urn, provider, ...(o ? { oldState: o } : {}), ...(n ? { newState: n } : {}),
    ...(s.replaces?.length && op !== "delete" && op !== "delete-replaced" ? { replaceReasons: s.replaces } : {}), detailedDiff: null,
  });
  // From the replace step on, the old half is marked as the engine marks it in its state.
  const marked = old && (s.states?.deleteBeforeReplace ? { ...old, pendingReplacement: true } : { ...old, delete: true });
  if (s.op === "replace" && !showReplacementSteps) return { now: [step("replace", marked, newState)], atEnd: [] };
  if (s.op !== "replace") return { now: [step(s.op, old, newState)], atEnd: [] };
  const replace = step("replace", marked, newState);
  return s.states?.deleteBeforeReplace
    ? { now: [step("delete-replaced", old), replace, step("create-replacement", marked, newState)], atEnd: [] }
    : { now: [step("create-replacement", old, newState), replace], atEnd: [step("delete-replaced", marked)] };
}

/** The CLI relays each line a plugin writes on stderr as `info#err`, its newline kept and one added. */
const providerWarnings = (result: OperationResult): PreviewDiagnostic[] =>
  result.providerOutput.filter((line) => line.startsWith("warning: ")).map((line) => ({ message: `${line}\n\n`, severity: "info#err" }));

/**
 * Check failures as the CLI reports them (`diag.GetResourcePropertyInvalidValueError`): "error: " before, a
 * newline after. The CLI also prints the property's value (`value {150}`); the stand-in leaves it out so no
 * secret can reach the digest.
 */
function diagnostics(result: OperationResult): PreviewDiagnostic[] {
  const out: PreviewDiagnostic[] = result.failures.map((f) => ({
    urn: f.urn,
    message: `error: ${f.urn.split("::")[2]} resource '${nameOf(f.urn)}': property ${f.property} has a problem: ${f.reason}\n`,
    severity: "error",
  }));
  // the engine also sums each failed check up in `errors`; the failures above already say it
  for (const e of result.errors) if (!/: invalid inputs: /.test(e)) out.push({ message: e, severity: "error" });
  return [...providerWarnings(result), ...out];
}

export function previewDigest(result: OperationResult, opts: DigestOptions = {}): PreviewDigest {
  const secrets = new Set(Object.entries(opts.config ?? {}).filter(([k]) => opts.secretKeys?.includes(k)).map(([, v]) => v).filter((v) => v !== ""));
  const first = result.steps[0]?.urn ?? "urn:pulumi:dev::edgeconf::x::x";
  const { stack, project } = stackOf(first);
  // A stack whose every resource is a create is new: its root stack and default provider are created too.
  const fresh = result.steps.every((s) => s.op === "create");
  const rootUrn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
  const rootState: ResourceV3 = { urn: rootUrn, custom: false, type: "pulumi:pulumi:Stack" };
  const root: PreviewStep = { op: fresh ? "create" : "same", urn: rootUrn, ...(fresh ? {} : { oldState: rootState }), newState: rootState, detailedDiff: null };
  const isRefresh = (s: Step) => s.op.startsWith("refresh-");
  const reads = result.steps.filter(isRefresh);
  const steps: PreviewStep[] = [
    // the stack is read first too (a component: the provider is not called), before the resources
    ...(reads.length ? [{ op: "refresh", urn: rootUrn, oldState: rootState, newState: rootState, detailedDiff: null }] : []),
    ...reads.map((s) => refreshStep(s, secrets)),
    root,
  ];
  const atEnd: PreviewStep[] = [];
  for (const s of result.steps) {
    if (s.op === "same" || isRefresh(s)) continue;
    const made = previewSteps(s, secrets, opts.showReplacementSteps ?? false);
    steps.push(...made.now);
    atEnd.push(...made.atEnd);
  }
  steps.push(...atEnd);
  const changeSummary: Record<string, number> = {};
  const count = (op: string) => { changeSummary[op] = (changeSummary[op] ?? 0) + 1; };
  count(fresh ? "create" : "same"); // the root stack; the default provider is not counted
  for (const s of result.steps) if (!isRefresh(s)) count(s.op);
  const diags = diagnostics(result);
  const config = opts.config && Object.fromEntries(Object.entries(opts.config).map(([k, v]) => [k, opts.secretKeys?.includes(k) ? SECRET_MASK : v]));
  return {
    ...(config && Object.keys(config).length ? { config } : {}),
    steps,
    ...(diags.length ? { diagnostics: diags } : {}),
    duration: Math.round(result.durationMs * 1e6),
    changeSummary,
  };
}
