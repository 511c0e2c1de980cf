/**
 * A tiny client of the emulator's control plane (`/_emulator/*`), for tests that drive an emulator running in
 * another process. Uses Node's global `fetch`; every non-2xx answer throws with the control plane's `error` text.
 */
import type { EmulatorSettings } from "./core/contract";
import type { Fault, FaultSpec } from "./core/faults";
import type { CallRecord } from "./core/server";

export class EmulatorAdmin {
  private readonly base: string;

  /** @param url the emulator base URL, e.g. `http://127.0.0.1:8080` */
  constructor(url: string) {
    this.base = url.replace(/\/+$/, "");
  }

  health(): Promise<{ ok: boolean }> {
    return this.call("GET", "health");
  }
  state(): Promise<{ settings: EmulatorSettings; services: Record<string, unknown> }> {
    return this.call("GET", "state");
  }
  counts(): Promise<Record<string, number>> {
    return this.call("GET", "counts");
  }
  async reset(): Promise<void> {
    await this.call("POST", "reset");
  }
  settings(patch: Partial<EmulatorSettings> = {}): Promise<EmulatorSettings> {
    return this.call("POST", "settings", patch);
  }
  async admin<T = unknown>(service: string, op: string, args: Record<string, unknown> = {}): Promise<T> {
    const answer = await this.call<{ result: T }>("POST", `admin/${encodeURIComponent(service)}`, { op, args });
    return answer.result;
  }
  async inject(fault: FaultSpec): Promise<string> {
    return (await this.call<{ id: string }>("POST", "faults", fault)).id;
  }
  faults(): Promise<Fault[]> {
    return this.call("GET", "faults");
  }
  async clearFaults(): Promise<void> {
    await this.call("DELETE", "faults");
  }
  calls(): Promise<CallRecord[]> {
    return this.call("GET", "calls");
  }
  async clearCalls(): Promise<void> {
    await this.call("DELETE", "calls");
  }

  private async call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}/_emulator/${route}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let data: any;
    try {
      data = text === "" ? undefined : JSON.parse(text);
    } catch {
      data = undefined;
    }
    if (!res.ok) {
      throw new Error(`emulator control plane ${method} /_emulator/${route}: HTTP ${res.status}: ${data?.error ?? text.slice(0, 200)}`);
    }
    return data as T;
  }
}
