/**
 * The real `@pulumi/pulumi` dynamic-provider process, spawned and driven over gRPC as the Pulumi engine
 * drives it (shared/reference/pulumi-dynamic-providers.md §12.1). Everything our serialized stub does at run
 * time happens in that process: deserializing `__provider`, loading `pulumi-edgeconf/runtime`, Configure.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { structField } from "./structWire";

type Props = Record<string, any>;

export interface InitError extends Error {
  /** set when the create left a resource behind (ErrorResourceInitFailed) */
  partial?: { id: string; properties: Props; reasons: string[] };
}

/** The provider process died during (or before) a call: the engine cannot know what the call did. */
export class ProviderCrashError extends Error {
  readonly code = "PROVIDER_CRASHED";
  constructor(method: string, signal: string | null, exitCode: number | null) {
    super(`the provider process exited (${signal ?? `code ${exitCode}`}) during ${method}`);
  }
}

export const isProviderCrash = (err: unknown): err is ProviderCrashError =>
  (err as { code?: unknown } | undefined)?.code === "PROVIDER_CRASHED";

export interface DiffResponse {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** gRPC status UNAVAILABLE: the channel broke (the process may be dying). */
const UNAVAILABLE = 14;
/** How long a broken channel waits for the process's exit before it is reported as a plain error. */
const EXIT_GRACE_MS = 2000;

/** Requires resolved from the program's directory: the copy of @pulumi/pulumi the provider process uses. */
function sdk(dir: string) {
  const req = (m: string) => require(require.resolve(m, { paths: [dir] }));
  return {
    grpc: req("@grpc/grpc-js"),
    provrpc: req("@pulumi/pulumi/proto/provider_grpc_pb"),
    provproto: req("@pulumi/pulumi/proto/provider_pb"),
    statusproto: req("@pulumi/pulumi/proto/status_pb"),
    script: require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [dir] }),
  };
}

export class ProviderProcess {
  /** calls waiting for an answer: rejected at once when the process dies, never left to gRPC reconnects */
  private readonly inFlight = new Set<() => void>();
  private exit?: { signal: string | null; code: number | null };

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: any,
    private readonly s: ReturnType<typeof sdk>,
    /** every line the provider process printed after its port (logs, warnings) */
    readonly output: string[],
  ) {
    child.on("exit", (code, signal) => {
      this.exit = { code, signal };
      for (const crashed of this.inFlight) crashed();
      this.inFlight.clear();
      this.client.close();
    });
  }

  /** True once the process has exited (killed or crashed). */
  get exited(): boolean {
    return this.exit !== undefined || this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** SIGKILL, as an OOM killer or a cancelled CI job does: no cleanup, answers in flight are lost. */
  kill(): void {
    if (!this.exited) this.child.kill("SIGKILL");
  }

  /** Spawn in `dir` (the program's directory), like the engine does, with `env` as its environment. */
  static async start(dir: string, env: NodeJS.ProcessEnv, project: string): Promise<ProviderProcess> {
    const s = sdk(dir);
    const child = spawn(process.execPath, [s.script, "127.0.0.1:0"], {
      cwd: dir,
      env: { ...env, PULUMI_NODEJS_PROJECT: project },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    const port = await new Promise<number>((resolve, reject) => {
      let buffer = "";
      let port: number | undefined;
      child.stdout!.on("data", (d: Buffer) => {
        buffer += d.toString();
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (port === undefined && /^\d+\s*$/.test(line)) resolve((port = Number(line)));
          else output.push(line);
        }
      });
      child.stderr!.on("data", (d: Buffer) => output.push(...d.toString().split("\n").filter(Boolean)));
      child.on("exit", (code) => port === undefined && reject(new Error(`dynamic-provider exited with ${code}: ${output.join("\n")}`)));
    });
    const client = new s.provrpc.ResourceProviderClient(`127.0.0.1:${port}`, s.grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 256 * 1024 * 1024,
      "grpc.max_send_message_length": 256 * 1024 * 1024,
    });
    return new ProviderProcess(child, client, s, output);
  }

  /**
   * CPU time the process has used so far, all its threads, in ms (Linux `/proc/<pid>/stat` utime + stime at the
   * usual 100 ticks a second); undefined elsewhere or once it has exited. The bench reads it to tell the provider
   * process's own cost apart from the engine's.
   */
  cpuMs(): number | undefined {
    if (this.exited || this.child.pid === undefined) return undefined;
    try {
      const stat = fs.readFileSync(`/proc/${this.child.pid}/stat`, "utf8");
      // Fields after the command name (which may hold spaces) start at state: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    this.client.close();
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill();
    });
  }

  /**
   * One unary call. The request's Struct fields (`structs`: field number and value) are encoded by
   * {@link structField} and appended to the rest of the message's bytes (protobuf fields may come in any order).
   */
  private call<T>(method: string, req: any, structs: [number, Props][] = []): Promise<T> {
    return new Promise((resolve, reject) => {
      const crashed = () => new ProviderCrashError(method, this.exit?.signal ?? this.child.signalCode, this.exit?.code ?? this.child.exitCode);
      if (this.exited) return reject(crashed());
      const onCrash = () => reject(crashed());
      this.inFlight.add(onCrash);
      const def = this.s.provrpc.ResourceProviderService[method];
      const bytes = Buffer.concat([Buffer.from(req.serializeBinary()), ...structs.map(([field, value]) => structField(field, value))]);
      this.client.makeUnaryRequest(def.path, (b: Buffer) => b, def.responseDeserialize, bytes, (err: any, res: T) => {
        if (!err) {
          this.inFlight.delete(onCrash);
          return resolve(res);
        }
        // gRPC often reports the broken connection ("Connection dropped", UNAVAILABLE) before the process's
        // exit is seen: give the exit a moment to arrive, so a death is reported as one and never retried.
        if (err.code !== UNAVAILABLE) {
          this.inFlight.delete(onCrash);
          return reject(this.decodeError(err));
        }
        const timer = setTimeout(() => {
          this.inFlight.delete(onCrash);
          reject(this.exited ? crashed() : this.decodeError(err));
        }, EXIT_GRACE_MS);
        this.child.once("exit", () => clearTimeout(timer));
      });
    });
  }

  /** gRPC errors carry ErrorResourceInitFailed in grpc-status-details-bin for partial creates. */
  private decodeError(err: any): InitError {
    const out: InitError = new Error(err.details ?? err.message);
    const bin = err.metadata?.get?.("grpc-status-details-bin")?.[0];
    if (bin) {
      const status = this.s.statusproto.Status.deserializeBinary(bin);
      for (const any of status.getDetailsList()) {
        if (any.getTypeUrl().endsWith("pulumirpc.ErrorResourceInitFailed")) {
          const d = this.s.provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
          out.partial = { id: d.getId(), properties: d.getProperties()?.toJavaScript() ?? {}, reasons: d.getReasonsList() };
        }
      }
    }
    return out;
  }

  async configure(config: Props): Promise<void> {
    const req = new this.s.provproto.ConfigureRequest();
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    await this.call("configure", req, [[2, config]]);
  }

  async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const req = new this.s.provproto.CheckRequest();
    req.setUrn(urn);
    const res: any = await this.call("check", req, [[2, olds], [3, news]]);
    return {
      inputs: res.getInputs()?.toJavaScript() ?? {},
      failures: res.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(urn: string, id: string, oldOutputs: Props, oldInputs: Props, news: Props): Promise<DiffResponse> {
    const req = new this.s.provproto.DiffRequest();
    req.setUrn(urn);
    req.setId(id);
    const res: any = await this.call("diff", req, [[3, oldOutputs], [4, news], [6, oldInputs]]);
    const C = this.s.provproto.DiffResponse.DiffChanges;
    const changes = res.getChanges() === C.DIFF_SOME ? "some" : res.getChanges() === C.DIFF_NONE ? "none" : "unknown";
    return { changes, replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
  }

  async create(urn: string, inputs: Props): Promise<{ id: string; outputs: Props }> {
    const req = new this.s.provproto.CreateRequest();
    req.setUrn(urn);
    const res: any = await this.call("create", req, [[2, inputs]]);
    return { id: res.getId(), outputs: res.getProperties()?.toJavaScript() ?? {} };
  }

  async read(urn: string, id: string, outputs: Props, inputs: Props): Promise<{ id: string; outputs: Props; inputs?: Props }> {
    const req = new this.s.provproto.ReadRequest();
    req.setUrn(urn);
    req.setId(id);
    const res: any = await this.call("read", req, [[3, outputs], [4, inputs]]);
    return { id: res.getId(), outputs: res.getProperties()?.toJavaScript() ?? {}, inputs: res.getInputs()?.toJavaScript() };
  }

  async update(urn: string, id: string, oldOutputs: Props, oldInputs: Props, news: Props): Promise<Props> {
    const req = new this.s.provproto.UpdateRequest();
    req.setUrn(urn);
    req.setId(id);
    const res: any = await this.call("update", req, [[3, oldOutputs], [4, news], [8, oldInputs]]);
    return res.getProperties()?.toJavaScript() ?? {};
  }

  async delete(urn: string, id: string, outputs: Props, inputs: Props): Promise<void> {
    const req = new this.s.provproto.DeleteRequest();
    req.setUrn(urn);
    req.setId(id);
    await this.call("delete", req, [[3, outputs], [5, inputs]]);
  }
}

export const programDir = (file: string) => path.dirname(file);
