/**
 * The document `pulumi preview --json` prints: the "preview digest" (pulumi/pulumi `pkg/display/json.go`
 * `PreviewDigest`, filled in `pkg/backend/display/json.go` `ShowPreviewDigest`). Facts and their sources:
 * shared/reference/pulumi-engine-semantics.md §1. The engine stand-in writes the same shape (engine/previewJson.ts).
 */

/** Every secret value in a digest is this plain string (`MassageSecrets(..., false)`), even with --show-secrets. */
export const SECRET_MASK = "[secret]";

/** `apitype.ResourceV3`, the fields a report reads (the CLI writes more: aliases, customTimeouts, ...). */
export interface ResourceV3 {
  urn: string;
  custom: boolean;
  delete?: boolean;
  id?: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  parent?: string;
  provider?: string;
  initErrors?: string[];
  pendingReplacement?: boolean;
  [field: string]: unknown;
}

export interface PropertyDiff {
  kind: "add" | "add-replace" | "delete" | "delete-replace" | "update" | "update-replace";
  inputDiff: boolean;
}

/** One shown step. `detailedDiff` has no omitempty: `null` when the provider sent none (dynamic providers). */
export interface PreviewStep {
  op: string;
  urn: string;
  provider?: string;
  oldState?: ResourceV3;
  newState?: ResourceV3;
  diffReasons?: string[];
  replaceReasons?: string[];
  detailedDiff: Record<string, PropertyDiff> | null;
}

/** Severities: debug (dropped), info, info#err, warning, error (`sdk/go/common/diag/sink.go`). */
export interface PreviewDiagnostic {
  urn?: string;
  message: string;
  severity: string;
}

export interface PreviewDigest {
  config?: Record<string, string>;
  steps?: PreviewStep[];
  diagnostics?: PreviewDiagnostic[];
  /** nanoseconds (Go time.Duration) */
  duration?: number;
  changeSummary?: Record<string, number>;
  maybeCorrupt?: boolean;
}

const EXPECTED = "expected the JSON document that `pulumi preview --json` prints (an object with \"steps\")";

/** Input that is not a preview digest; the message names the input and what was expected. */
export class NotADigestError extends Error {
  readonly code = "EDGECONF_NOT_A_PREVIEW";
  constructor(source: string, what: string) {
    super(`${source}: not a preview digest: ${what}; ${EXPECTED}`);
    this.name = "NotADigestError";
  }
}

/** What a JSON value looks like, for error messages about the wrong kind of input. */
function describeJson(value: unknown): string {
  if (Array.isArray(value)) return "it is a JSON array";
  if (value === null || typeof value !== "object") return `it is a JSON ${value === null ? "null" : typeof value}`;
  const o = value as Record<string, unknown>;
  if ("deployment" in o) return "it is a `pulumi stack export` (it has \"deployment\")";
  if ("sequence" in o && "timestamp" in o) return "it holds engine events (`pulumi up/refresh/destroy --json`)";
  const keys = Object.keys(o);
  return keys.length ? `it is a JSON object with ${keys.slice(0, 5).map((k) => JSON.stringify(k)).join(", ")}${keys.length > 5 ? ", ..." : ""}` : "it is an empty JSON object";
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const trimmed = text.trimStart();
    if (trimmed === "") throw new NotADigestError(source, "it is empty");
    if (/^{"sequence":/.test(trimmed)) throw new NotADigestError(source, "it holds newline-delimited engine events (`pulumi up/refresh/destroy --json`)");
    if (/^(Previewing|Updating|Refreshing|Destroying) /.test(trimmed)) throw new NotADigestError(source, "it is `pulumi preview` text output (add --json)");
    throw new NotADigestError(source, `it is not JSON (${(err as Error).message})`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The digest in `text`, checked field by field. A digest always has `steps` (the root stack step is always
 * shown) or, for a preview that failed before any step, `diagnostics`.
 */
export function parseDigest(text: string, source: string): PreviewDigest {
  const value = parseJson(text, source);
  if (!isObject(value) || "deployment" in value || !("steps" in value || "diagnostics" in value)) {
    throw new NotADigestError(source, describeJson(value));
  }
  const d = value as Record<string, unknown>;
  if (d.steps !== undefined && !Array.isArray(d.steps)) throw new NotADigestError(source, "\"steps\" is not an array");
  if (d.diagnostics !== undefined && !Array.isArray(d.diagnostics)) throw new NotADigestError(source, "\"diagnostics\" is not an array");
  if (d.changeSummary !== undefined && !isObject(d.changeSummary)) throw new NotADigestError(source, "\"changeSummary\" is not an object");
  ((d.steps ?? []) as unknown[]).forEach((s, i) => {
    if (!isObject(s) || typeof s.op !== "string" || typeof s.urn !== "string") throw new NotADigestError(source, `steps[${i}] has no "op" and "urn" strings`);
    for (const side of ["oldState", "newState"] as const) {
      const state = s[side];
      if (state !== undefined && (!isObject(state) || typeof state.type !== "string")) throw new NotADigestError(source, `steps[${i}].${side} is not a resource state`);
    }
  });
  ((d.diagnostics ?? []) as unknown[]).forEach((x, i) => {
    if (!isObject(x) || typeof x.message !== "string") throw new NotADigestError(source, `diagnostics[${i}] has no "message" string`);
  });
  return d as PreviewDigest;
}
