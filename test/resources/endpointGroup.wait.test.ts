/**
 * waitUntil, the poll loop behind EndpointGroup's waits, on a fake clock: backoff, progress lines,
 * the deadline (never a poll past it), and which errors end the wait.
 */
import { describe, expect, it } from "vitest";
import { TransportError } from "../../provider/clients/errors";
import type { OperationContext } from "../../provider/resources/context";
import { waitUntil, type Poll } from "../../provider/resources/wait";

function fakeClock(start = 1_000_000) {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => (t += ms),
    sleeps,
  };
}

const opFor = (clock: { now(): number }, seconds: number): OperationContext => ({
  deadline: clock.now() + seconds * 1000,
  description: "creating EndpointGroup",
  timeoutSeconds: seconds,
});

function recorder() {
  const lines: string[] = [];
  return { lines, log: { info: (m: string) => lines.push(m), warn: () => {}, debug: () => {} } };
}

/** A poll that answers the given statuses in turn, then "done". */
function scripted(statuses: string[]) {
  let i = 0;
  return async (): Promise<Poll<string>> => (i < statuses.length ? { done: false, status: statuses[i++]! } : { done: true, value: "ready" });
}

describe("waitUntil", () => {
  it("backs off exponentially up to the cap and returns the value", async () => {
    const clock = fakeClock();
    const { log } = recorder();
    const value = await waitUntil(opFor(clock, 600), scripted(Array(7).fill("PENDING")), {
      what: "g", log, initialDelayMs: 250, maxDelayMs: 2000, sleep: clock.sleep, now: clock.now,
    });
    expect(value).toBe("ready");
    expect(clock.sleeps).toEqual([250, 500, 1000, 2000, 2000, 2000, 2000]);
  });

  it("logs when the status changes, and again every progressEveryMs while it stays the same", async () => {
    const clock = fakeClock();
    const { lines, log } = recorder();
    await waitUntil(opFor(clock, 600), scripted([...Array(10).fill("PENDING"), "DELETING"]), {
      what: "endpoint group x to settle", log, initialDelayMs: 10_000, maxDelayMs: 10_000, progressEveryMs: 30_000,
      sleep: clock.sleep, now: clock.now,
    });
    expect(lines).toEqual([
      "waiting for endpoint group x to settle (status PENDING, 0s elapsed)",
      "waiting for endpoint group x to settle (status PENDING, 30s elapsed)",
      "waiting for endpoint group x to settle (status PENDING, 60s elapsed)",
      "waiting for endpoint group x to settle (status PENDING, 90s elapsed)",
      "waiting for endpoint group x to settle (status DELETING, 100s elapsed)",
    ]);
  });

  it("fails at the deadline with the last status and the input to raise, without polling past it", async () => {
    const clock = fakeClock();
    const { log } = recorder();
    let polls = 0;
    const op = opFor(clock, 3);
    const err = await waitUntil(op, async () => {
      polls++;
      expect(clock.now()).toBeLessThan(op.deadline);
      return { done: false, status: "PENDING" };
    }, { what: "endpoint group x to become ACTIVE", log, initialDelayMs: 1000, sleep: clock.sleep, now: clock.now }).catch((e) => e);
    expect(err.code).toBe("EDGECONF_DEADLINE");
    expect(err.message).toBe(
      "timed out after 3s creating EndpointGroup: endpoint group x to become ACTIVE is still PENDING; raise the resource's timeouts input to wait longer",
    );
    expect(polls).toBe(2); // at 0 s and 1 s; the next one would fall at 3 s
    expect(clock.sleeps).toEqual([1000, 2000]);
  });

  it("turns a poll the client refused for the deadline into the deadline error", async () => {
    const clock = fakeClock();
    const { log } = recorder();
    const op = opFor(clock, 1);
    let first = true;
    const err = await waitUntil(op, async () => {
      if (first) {
        first = false;
        return { done: false, status: "PENDING" };
      }
      clock.advance(600); // the request ran into the deadline
      throw new TransportError("the deadline passed before the request was sent", { service: "ga", action: "ShowEndpointGroup", mayHaveApplied: false });
    }, { what: "g", log, initialDelayMs: 500, sleep: clock.sleep, now: clock.now })
      .catch((e) => e);
    expect(err.code).toBe("EDGECONF_DEADLINE");
    expect(err.message).toMatch(/g is still PENDING/);
    expect(err.cause).toBeInstanceOf(TransportError);
  });

  it("lets other failures of the poll end the wait as they are", async () => {
    const clock = fakeClock();
    const { log } = recorder();
    const boom = new Error("endpoint group x is in status ERROR");
    await expect(waitUntil(opFor(clock, 60), async () => { throw boom; }, { what: "g", log, sleep: clock.sleep, now: clock.now }))
      .rejects.toBe(boom);
    // A transport failure before the deadline is not a timeout either.
    const refused = new TransportError("connection refused", { service: "ga", action: "ShowEndpointGroup", mayHaveApplied: false });
    await expect(waitUntil(opFor(clock, 60), async () => { throw refused; }, { what: "g", log, sleep: clock.sleep, now: clock.now }))
      .rejects.toBe(refused);
  });
});
