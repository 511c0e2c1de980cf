/**
 * One `node:http` server for every service: Tencent API 3.0 at `POST /`, Huawei REST under `/v1/`, and the
 * control plane under `/_emulator/`. Service modules plug in through contract.ts; this file only routes,
 * records calls and writes answers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { CONTROL_PREFIX, HUAWEI_PATH_PREFIX, MAX_BODY_BYTES, STATE_FILE_VERSION } from "./constants";
import type { EmulatorSettings, Env, HuaweiService, TencentService } from "./contract";
import { DEFAULT_SETTINGS } from "./contract";
import { handleControl, type EmulatorControl } from "./controlPlane";
import { resolveCredentials, type EmulatorCredentials } from "./credentials";
import { createEnv, createRng } from "./env";
import { FaultRegistry, type Fault, type FaultKind, type FaultSpec } from "./faults";
import { BODY_TOO_LARGE, headerValues, isLoopback, readBody, sendBody } from "./http";
import { handleHuawei } from "./huaweiGateway";
import type { CallInfo, GatewayContext, GatewayRequest, Outcome } from "./outcome";
import type { StateFile } from "./persistence";
import { RateLimiter } from "./rateLimiter";
import { handleTencent } from "./tencentGateway";

/** The call log keeps the most recent entries only. */
export const MAX_CALL_LOG = 10_000;

/** One API request as the call log keeps it (control-plane requests are not logged). */
export interface CallRecord {
  seq: number;
  /** ISO time the request arrived (from Env.now) */
  time: string;
  /** `teo` / `organization` / `ga`; `tencent` or `huawei` when the request never resolved to a service */
  service: string;
  /** X-TC-Action, or the Huawei route key (e.g. `CreateEndpointGroup`); `""` when unknown */
  action: string;
  /** 0 when the connection was dropped without an answer */
  httpStatus: number;
  errorCode?: string;
  requestBytes: number;
  responseBytes: number;
  durationMs: number;
  fault?: FaultKind;
  /** only with `logBodies: true` */
  requestBody?: string;
}

export interface EmulatorServerOptions {
  tencent: TencentService[];
  huawei: HuaweiService[];
  /** The live settings object the services were created with (mutated in place by POST /_emulator/settings). */
  settings?: EmulatorSettings;
  /** Accepted credentials (exactly this set). Default: DEFAULT_CREDENTIALS (the environment is not read here). */
  credentials?: EmulatorCredentials;
  env?: Partial<Env>;
  /** seed of the fault-probability RNG */
  seed?: number;
  /** keep each request body in the call log */
  logBodies?: boolean;
  /** called after any change of state (API handler ran, reset, admin op, settings) */
  onChange?: () => void;
  /** diagnostics (internal errors); never receives credentials. Default: stderr. */
  log?: (line: string) => void;
}

export interface EmulatorServer {
  server: Server;
  /** binds (default 127.0.0.1:0) and resolves with the port */
  listen(port?: number, host?: string): Promise<number>;
  close(): Promise<void>;
  settings: EmulatorSettings;
  credentials: EmulatorCredentials;
  env: Env;
  tencent: readonly TencentService[];
  huawei: readonly HuaweiService[];
  calls(): CallRecord[];
  clearCalls(): void;
  inject(fault: FaultSpec): string;
  faults(): Fault[];
  clearFaults(): void;
  /** every backend reset (defaults re-seeded), faults, call log and rate counters cleared */
  reset(): void;
  /** settings + every backend's snapshot, keyed by service name */
  state(): { settings: EmulatorSettings; services: Record<string, unknown> };
  counts(): Record<string, number>;
  /** restore a saved state (settings merged, each known service restored) */
  restore(state: Pick<StateFile, "settings" | "services">): void;
  toStateFile(): StateFile;
}

export function createEmulatorServer(opts: EmulatorServerOptions): EmulatorServer {
  const env = createEnv(opts.env);
  const settings = opts.settings ?? { ...DEFAULT_SETTINGS };
  const credentials = opts.credentials ?? resolveCredentials({}, {}).credentials;
  const log = opts.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const onChange = opts.onChange ?? (() => undefined);
  const faults = new FaultRegistry(createRng(opts.seed));
  const limiter = new RateLimiter(() => settings.rateLimit, () => env.now());
  const backends = new Map<string, { reset(): void; snapshot(): unknown; restore(d: unknown): void; resourceCount(): number; admin(op: string, args: Record<string, any>): unknown }>();
  for (const s of [...opts.tencent, ...opts.huawei]) {
    if (backends.has(s.service)) throw new Error(`two emulator services named ${s.service}`);
    backends.set(s.service, s.backend);
  }
  let callLog: CallRecord[] = [];
  let seq = 0;

  const ctx: GatewayContext = { env, settings, credentials, limiter, faults, onApplied: onChange, log };

  const state = () => ({
    settings: { ...settings },
    services: Object.fromEntries([...backends].map(([name, b]) => [name, b.snapshot()])),
  });

  const control: EmulatorControl = {
    settings,
    state,
    counts: () => Object.fromEntries([...backends].map(([name, b]) => [name, b.resourceCount()])),
    reset: () => {
      for (const b of backends.values()) b.reset();
      faults.clear();
      callLog = [];
      limiter.clear();
      onChange();
    },
    updateSettings: (patch) => {
      Object.assign(settings, patch);
      onChange();
      return { ...settings };
    },
    admin: (service, op, args) => {
      const result = backends.get(service)!.admin(op, args);
      onChange();
      return result;
    },
    hasService: (service) => backends.has(service),
    inject: (spec) => faults.add(spec),
    faults: () => faults.list(),
    clearFaults: () => faults.clear(),
    calls: () => callLog.map((c) => ({ ...c })),
    clearCalls: () => {
      callLog = [];
    },
  };

  const dateHeader = () => new Date(env.now()).toUTCString();

  async function onControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const headers = { "Content-Type": "application/json", Date: dateHeader() };
    if (!isLoopback(req.socket.remoteAddress)) {
      sendBody(res, 403, headers, JSON.stringify({ error: "the control plane answers loopback callers only" }));
      return;
    }
    const raw = await readBody(req, MAX_BODY_BYTES);
    if (raw === BODY_TOO_LARGE) {
      sendBody(res, 413, headers, JSON.stringify({ error: "body too large" }));
      return;
    }
    let body: unknown = undefined;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        sendBody(res, 400, headers, JSON.stringify({ error: "body is not valid JSON" }));
        return;
      }
    }
    const answer = handleControl(control, req.method ?? "GET", path, body);
    sendBody(res, answer.status, headers, JSON.stringify(answer.body));
  }

  async function onApi(req: IncomingMessage, res: ServerResponse, rawPath: string, rawQuery: string): Promise<void> {
    const started = performance.now();
    const time = new Date(env.now()).toISOString();
    const raw = await readBody(req, MAX_BODY_BYTES);
    const body = raw === BODY_TOO_LARGE ? Buffer.alloc(0) : raw;
    const greq: GatewayRequest = {
      method: req.method ?? "GET",
      rawPath,
      rawQuery,
      headers: headerValues(req),
      body,
      tooLarge: raw === BODY_TOO_LARGE,
    };
    const info: CallInfo = { service: "", action: "" };
    let outcome: Outcome;
    if (rawPath === "/") outcome = await handleTencent(opts.tencent, ctx, greq, info);
    else outcome = await handleHuawei(opts.huawei, ctx, greq, info);

    let responseBytes = 0;
    let httpStatus = 0;
    const headers: Record<string, string> = { Date: dateHeader() };
    switch (outcome.type) {
      case "drop":
        req.socket.destroy();
        break;
      case "json":
        httpStatus = outcome.status;
        responseBytes = sendBody(res, outcome.status, { ...headers, ...outcome.headers, "Content-Type": "application/json" }, JSON.stringify(outcome.body));
        break;
      case "empty":
        httpStatus = outcome.status;
        responseBytes = sendBody(res, outcome.status, { ...headers, ...outcome.headers }, undefined);
        break;
      case "raw":
        httpStatus = outcome.status;
        responseBytes = sendBody(res, outcome.status, { ...headers, ...outcome.headers, "Content-Type": outcome.contentType }, outcome.body);
        break;
      case "truncated": {
        httpStatus = outcome.status;
        const full = Buffer.from(outcome.body, "utf8");
        res.writeHead(outcome.status, { ...headers, ...outcome.headers, "Content-Type": "application/json", "Content-Length": String(full.length) });
        responseBytes = full.length >> 1;
        res.write(full.subarray(0, responseBytes), () => req.socket.destroy());
        break;
      }
    }
    const rec: CallRecord = {
      seq: ++seq,
      time,
      service: info.service,
      action: info.action,
      httpStatus,
      requestBytes: body.length,
      responseBytes,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    };
    if (outcome.type === "json" && outcome.errorCode !== undefined) rec.errorCode = outcome.errorCode;
    if (info.fault) rec.fault = info.fault;
    if (opts.logBodies) rec.requestBody = body.toString("utf8");
    callLog.push(rec);
    // a long-running CLI must not grow without bound; tests clear the log long before this
    if (callLog.length > MAX_CALL_LOG) callLog.splice(0, callLog.length - MAX_CALL_LOG);
  }

  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const rawPath = q === -1 ? url : url.slice(0, q);
    const rawQuery = q === -1 ? "" : url.slice(q + 1);
    const work = rawPath.startsWith(CONTROL_PREFIX) ? onControl(req, res, rawPath) : onApi(req, res, rawPath, rawQuery);
    work.catch((e) => {
      log(`emulator: unexpected failure answering ${req.method} ${rawPath}: ${(e as Error)?.stack ?? e}`);
      if (!res.headersSent) sendBody(res, 500, { "Content-Type": "application/json" }, JSON.stringify({ error: "emulator failure" }));
      else res.destroy();
    });
  });
  // Keep-alive sockets must not hold close() open.
  server.keepAliveTimeout = 5_000;

  return {
    server,
    listen: (port = 0, host = "127.0.0.1") =>
      new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
    settings,
    credentials,
    env,
    tencent: opts.tencent,
    huawei: opts.huawei,
    calls: control.calls,
    clearCalls: control.clearCalls,
    inject: (f) => faults.add(f),
    faults: () => faults.list(),
    clearFaults: () => faults.clear(),
    reset: control.reset,
    state,
    counts: control.counts,
    restore: (saved) => {
      if (saved.settings) Object.assign(settings, saved.settings);
      for (const [name, snap] of Object.entries(saved.services ?? {})) backends.get(name)?.restore(snap);
    },
    toStateFile: () => ({ version: STATE_FILE_VERSION, ...state() }),
  };
}
