/**
 * One error hierarchy for everything the provider throws. Branch on `code` (and `apiCode`), never on
 * `instanceof` across the serialized-stub boundary and never on message text: cloud messages change.
 * No message ever contains a credential, a signature or a token.
 */
const BRAND = Symbol.for("pulumi-edgeconf.error");

/**
 * `ErrorOptions` spelled out: the lib type is ES2022, and users' projects (`pulumi new typescript`: target
 * es2020, no `lib`) read this file's `.d.ts`.
 */
export interface EdgeconfErrorOptions {
  cause?: unknown;
}

export class EdgeconfError extends Error {
  readonly code: string = "EDGECONF";
  readonly [BRAND] = true;
  constructor(message: string, options?: EdgeconfErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
  /** Works across two loaded copies of the package (tests load the runtime through the stub too). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== EdgeconfError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

export interface ApiErrorMeta {
  /** `teo`, `organization`, `ga` */
  service: string;
  /** API action (`CreateOriginGroup`) or `METHOD /path` for REST APIs. */
  action: string;
  requestId?: string;
  httpStatus?: number;
  /** the answer's `Retry-After`, in ms from when it was sent */
  retryAfterMs?: number;
}

/** The cloud API answered with an error envelope. */
export class ApiError extends EdgeconfError {
  override readonly code = "EDGECONF_API";
  readonly service: string;
  readonly action: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;
  constructor(readonly apiCode: string, readonly apiMessage: string, meta: ApiErrorMeta) {
    super(
      `${meta.action} failed: ${apiCode}: ${apiMessage}` +
        (meta.requestId ? ` (RequestId ${meta.requestId})` : "") +
        (meta.httpStatus && meta.httpStatus !== 200 ? ` [HTTP ${meta.httpStatus}]` : ""),
    );
    this.service = meta.service;
    this.action = meta.action;
    this.requestId = meta.requestId;
    this.httpStatus = meta.httpStatus;
    this.retryAfterMs = meta.retryAfterMs;
  }
}

/**
 * The request did not produce an API answer: connection refused or reset, timeout, bad gateway body.
 * `mayHaveApplied` is true when the server may have received (and applied) the request, which makes
 * a failed create ambiguous: look the resource up before creating again.
 */
export class TransportError extends EdgeconfError {
  override readonly code = "EDGECONF_TRANSPORT";
  constructor(
    message: string,
    readonly meta: {
      service: string; action: string; mayHaveApplied: boolean; httpStatus?: number; requestId?: string; retryAfterMs?: number;
      /** the operation's deadline, not the server, ended this attempt */
      byDeadline?: boolean;
    },
    options?: EdgeconfErrorOptions,
  ) {
    super(`${meta.action} failed: ${message}`, options);
  }
}

/**
 * Missing or malformed configuration (credentials, endpoints); names the config key and env variable.
 * `missing` says what is missing and where it can be set, so a tool that reads only one source can say so.
 */
export class ConfigError extends EdgeconfError {
  override readonly code = "EDGECONF_CONFIG";
  constructor(
    message: string,
    /** `envHint`: how to fix it with environment variables alone, when a plain list of settings would mislead. */
    readonly missing?: { what: string; settings: readonly { key: string; env: string }[]; envHint?: string },
  ) {
    super(message);
  }
}

/** Input rejected before any API call; `failures` carry property paths (`records[2].weight`). */
export class InputError extends EdgeconfError {
  override readonly code = "EDGECONF_INPUT";
  constructor(readonly failures: { property: string; reason: string }[]) {
    super(failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
  }
}

/** A deadline passed while waiting for a resource to settle. */
export class DeadlineError extends EdgeconfError {
  override readonly code = "EDGECONF_DEADLINE";
}

/** Authentication failures: Tencent `AuthFailure.*` (bad signature, unknown SecretId...), Huawei `APIGW.0301`/`APIG.0301`. */
export const isAuthFailure = (err: unknown): err is ApiError =>
  err instanceof ApiError && (err.apiCode.startsWith("AuthFailure.") || err.apiCode.endsWith(".0301"));

/**
 * The same API error with the names of the settings that supplied the credentials appended
 * (`credentials from stack config tencentcloud:secretId, ...`): names only, never values.
 */
export function withCredentialHint(err: ApiError, sources: string): ApiError {
  return new ApiError(err.apiCode, `${err.apiMessage} [${sources}]`, {
    service: err.service, action: err.action, requestId: err.requestId, httpStatus: err.httpStatus,
  });
}

/**
 * Our errors are expected outcomes with complete messages (the API's code, the setting to fix...). Pulumi's
 * dynamic-provider process prints `${err}: ${err.stack}` for errors from check/diff/read/delete; a stack of
 * our internals there only buries the message, so it is replaced by the stable code.
 */
export function withoutStack<E extends EdgeconfError>(err: E): E {
  err.stack = `[${err.code}]`;
  return err;
}

