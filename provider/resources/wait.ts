import { DeadlineError } from "../clients/errors";
import type { Log, OperationContext } from "./context";

export interface WaitOptions {
  /** first poll delay and cap of the backoff, ms */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** what is being waited for, for progress lines: `endpoint group 3a9f… to become ACTIVE` */
  what: string;
  log: Log;
  /** a progress line at least this often while the status stays the same, ms (default 30 s) */
  progressEveryMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** the clock (epoch ms); tests pass a fake one together with `sleep` */
  now?: () => number;
}

export type Poll<T> = { done: true; value: T } | { done: false; status: string };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Poll until `poll` says done, with capped exponential backoff, never past the operation's deadline.
 * Progress goes to the engine log whenever the observed status changes, so a long wait is visible.
 * A DeadlineError names what was awaited, the last status and the deadline the user can raise.
 */
export async function waitUntil<T>(op: OperationContext, poll: () => Promise<Poll<T>>, opts: WaitOptions): Promise<T> {
  const sleep = opts.sleep ?? defaultSleep;
  const now = opts.now ?? Date.now;
  let delay = opts.initialDelayMs ?? 250;
  const maxDelay = opts.maxDelayMs ?? 5000;
  const every = opts.progressEveryMs ?? 30_000;
  const started = now();
  let lastStatus: string | undefined;
  let lastLine = started;
  const expired = (status: string | undefined, cause?: unknown) =>
    new DeadlineError(
      `timed out after ${op.timeoutSeconds}s ${op.description}: ${opts.what} is still ${status ?? "not confirmed"}; ` +
        `raise the resource's timeouts input to wait longer`,
      cause === undefined ? undefined : { cause },
    );
  for (;;) {
    let result: Poll<T>;
    try {
      result = await poll();
    } catch (err) {
      // Past the deadline the client refuses (or aborts) the poll: that is this wait timing out, say so.
      if (now() >= op.deadline && (err as { code?: unknown } | undefined)?.code === "EDGECONF_TRANSPORT") throw expired(lastStatus, err);
      throw err;
    }
    if (result.done) return result.value;
    // A line when the status changes, and again every `every` ms: a 10-minute PENDING must not look hung.
    if (result.status !== lastStatus || now() - lastLine >= every) {
      opts.log.info(`waiting for ${opts.what} (status ${result.status}, ${Math.round((now() - started) / 1000)}s elapsed)`);
      lastLine = now();
    }
    lastStatus = result.status;
    const remaining = op.deadline - now();
    if (remaining <= 0) throw expired(result.status);
    await sleep(Math.min(delay, remaining));
    // A poll sent at the deadline would only be refused by the client (a transport error, not a timeout).
    if (now() >= op.deadline) throw expired(result.status);
    delay = Math.min(delay * 2, maxDelay);
  }
}
