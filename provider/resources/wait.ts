import { DeadlineError } from "../clients/errors";
import type { Log, OperationContext } from "./context";

export interface WaitOptions {
  /** first poll delay and cap of the backoff, ms */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** what is being waited for, for progress lines: `endpoint group 3a9f… to become ACTIVE` */
  what: string;
  log: Log;
  sleep?: (ms: number) => Promise<void>;
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
  let delay = opts.initialDelayMs ?? 250;
  const maxDelay = opts.maxDelayMs ?? 5000;
  const started = Date.now();
  let lastStatus: string | undefined;
  for (;;) {
    const result = await poll();
    if (result.done) return result.value;
    if (result.status !== lastStatus) {
      opts.log.info(`waiting for ${opts.what} (status ${result.status}, ${Math.round((Date.now() - started) / 1000)}s elapsed)`);
      lastStatus = result.status;
    }
    const remaining = op.deadline - Date.now();
    if (remaining <= 0) {
      throw new DeadlineError(
        `timed out after ${op.timeoutSeconds}s ${op.description}: ${opts.what} is still ${result.status}; ` +
          `raise the resource's timeouts input to wait longer`,
      );
    }
    await sleep(Math.min(delay, remaining));
    delay = Math.min(delay * 2, maxDelay);
  }
}
