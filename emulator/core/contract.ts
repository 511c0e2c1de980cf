/**
 * The contract between the emulator's HTTP core (auth, routing, rate limit, faults, control plane,
 * persistence) and its service modules (teo, cic, ga). A service module is moto-shaped:
 *   models.ts     state and every API rule; throws the classes of exceptions.ts; knows nothing of HTTP
 *   responses.ts  wire in (PascalCase / snake_case params), wire out; no business rules
 *   exceptions.ts one class per wire error code
 * The core never imports a module's internals, only what is exported through these interfaces.
 */

/** Injectable time and id source: tests fix both, the server uses the real ones. */
export interface Env {
  /** epoch milliseconds */
  now(): number;
  /** random UUID v4, lowercase */
  uuid(): string;
  /** n random chars from [a-z0-9] */
  alnum(n: number): string;
}

/**
 * Readings of points the cloud documentation leaves open (issue 15): each is a named switch, so the provider can be
 * proven against every plausible reading. The first value of each list is the default. Sources and the reasons for
 * each default are in emulator/README.md ("Variants").
 */
export const VARIANT_CHOICES = {
  /** teo DescribeOriginGroup: private-origin keys (AccessKeyId, SecretAccessKey) echoed in clear, masked, or left out. */
  secretsOnRead: ["clear", "masked", "omitted"],
  /** CIC UpdateGroup `NewDescription: ""`: clears the description, or is taken as "no change". */
  emptyDescription: ["clears", "ignored"],
  /** teo ModifyOriginGroup without `HostHeader`: clears it (zh doc), or keeps it (like every other field). */
  hostHeaderOnOmit: ["clears", "keeps"],
  /** GA endpoint group names: the English doc's letters/digits/hyphens, or also Chinese characters (Go SDK comment). */
  gaNameCharset: ["ascii", "chinese"],
  /** teo security IP group content order in answers: as inserted, or sorted (the doc's example looks sorted). */
  ipContentOrder: ["insertion", "sorted"],
  /** teo ModifyOriginGroup with `Records`: every record gets a new RecordId, or unchanged records keep theirs. */
  recordIdsOnModify: ["new", "kept"],
  /** teo DescribeSecurityIPGroup with unknown `GroupIds`: they are left out of the answer, or refused (ResourceNotFound). */
  unknownIpGroupIds: ["absent", "error"],
} as const;
export type VariantName = keyof typeof VARIANT_CHOICES;
export type Variants = { -readonly [K in VariantName]: (typeof VARIANT_CHOICES)[K][number] };

/** Emulator settings every module may read (the core owns the object; admin calls may change it live). */
export interface EmulatorSettings extends Variants {
  /** requests per second per (account, action); 0 disables. Default 20. */
  rateLimit: number;
  /** GA: how long a group stays PENDING after create/update, and DELETING after delete. Default 2000 ms. */
  gaPendingMs: number;
  /** teo: max entries in one Modify/CreateSecurityIPGroup request (Content + IPExpireInfo lists). Default 2000. */
  ipEntriesPerRequest: number;
  /** teo: max entries in one security IP group. Default 100000. */
  ipEntriesPerGroup: number;
  /** teo: max records in one origin group ("up to 100" on the intl page, "up to 20" on edgeone.ai). Default 100. */
  recordsPerGroup: number;
}

/** One line per setting for `edgeconf-emulator --help`; the type keeps it complete. */
export const SETTING_HELP: Record<keyof EmulatorSettings, string> = {
  rateLimit: "requests per second per account and action, then RequestLimitExceeded (429 on Huawei); 0 = off",
  gaPendingMs: "ms a GA endpoint group stays PENDING after a write (DELETING after a delete)",
  ipEntriesPerRequest: "most entries one teo security IP group request may carry",
  ipEntriesPerGroup: "most entries one teo security IP group may hold",
  recordsPerGroup: "most records one teo origin group may hold",
  secretsOnRead: "private-origin keys in DescribeOriginGroup answers: echoed, masked or left out",
  emptyDescription: "CIC UpdateGroup with NewDescription \"\": clears the description, or is no change",
  hostHeaderOnOmit: "teo ModifyOriginGroup without HostHeader: clears it, or keeps it",
  gaNameCharset: "GA endpoint group names: ASCII letters, digits and hyphens, or Chinese characters too",
  ipContentOrder: "security IP group entries in answers: as inserted, or sorted",
  recordIdsOnModify: "ModifyOriginGroup: every record gets a new RecordId, or unchanged records keep theirs",
  unknownIpGroupIds: "DescribeSecurityIPGroup with unknown GroupIds: left out of the answer, or ResourceNotFound",
};

export const DEFAULT_VARIANTS: Variants = Object.fromEntries(
  Object.entries(VARIANT_CHOICES).map(([k, choices]) => [k, choices[0]]),
) as Variants;

export const DEFAULT_SETTINGS: EmulatorSettings = {
  rateLimit: 20,
  gaPendingMs: 2000,
  ipEntriesPerRequest: 2000,
  ipEntriesPerGroup: 100_000,
  recordsPerGroup: 100,
  ...DEFAULT_VARIANTS,
};

/** Tencent API 3.0 error: rendered as HTTP 200 `{"Response":{"Error":{"Code","Message"},"RequestId"}}`. */
export class TencentError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Huawei REST error: rendered as `{"error_code","error_msg","request_id"}` with `status` and `X-Request-Id`. */
export class HuaweiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** Every stateful backend can be persisted, restored, reset and seeded. */
export interface Backend {
  /** JSON-serialisable snapshot of the whole state (for --state persistence and GET /_emulator/state). */
  snapshot(): unknown;
  restore(data: unknown): void;
  /** Drop every resource, then seed defaults again. */
  reset(): void;
  /** Number of user-created resources (the seeded zones/spaces/listeners do not count). */
  resourceCount(): number;
  /**
   * Control-plane operations (out-of-band edits a console would make, seeding, freezing...).
   * Unknown ops throw `Error("unknown admin op ...")`. Returns JSON.
   */
  admin(op: string, args: Record<string, any>): unknown;
}

export interface TencentCallContext {
  /** SecretId of the caller: state and rate limits are per account. */
  account: string;
  requestId: string;
}

/**
 * A Tencent API 3.0 service. The core has already verified the signature, the version and the service;
 * it hands over the parsed JSON body. The handler validates parameters (MissingParameter /
 * UnknownParameter and every field rule), calls the backend and returns the `Response` object without
 * `RequestId` (the core adds it).
 */
export interface TencentService {
  /** Credential-scope service name: `teo` or `organization`. */
  service: string;
  version: string;
  backend: Backend;
  actions: Record<string, (params: Record<string, unknown>, ctx: TencentCallContext) => Record<string, unknown>>;
}

export interface HuaweiRequest {
  method: string;
  /** path without query, e.g. `/v1/endpoint-groups/3a9f...` */
  path: string;
  query: URLSearchParams;
  /** parsed JSON body, or undefined when there was none */
  body: unknown;
  /** project id from X-Project-Id (AK/SK) or the token's project */
  projectId: string;
  /** AK (or token owner): state is per account */
  account: string;
  requestId: string;
}

export interface HuaweiResponse {
  status: number;
  body?: unknown;
}

/** A Huawei REST service: the core has verified the signature or token. */
export interface HuaweiService {
  service: string;
  backend: Backend;
  /** Returns undefined when no route matches (the core answers 404 with APIGW.0101-like body). */
  handle(req: HuaweiRequest): HuaweiResponse | undefined;
  /** Route key for rate limits, fault injection and the call log, e.g. `CreateEndpointGroup`. */
  actionOf(method: string, path: string): string | undefined;
}
