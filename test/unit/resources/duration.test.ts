import { describe, expect, it } from "vitest";
import { toSeconds } from "../../../provider/resources/duration";

/** Pulumi `customTimeouts` spellings (Go durations without µs/ns), and seconds as numbers. */
const VALID: [unknown, number][] = [
  [90, 90], [0.5, 0.5], ["90s", 90], ["10m", 600], ["1h", 3600], ["1h30m", 5400], ["1.5h", 5400],
  ["2m30s", 150], ["500ms", 0.5], ["1h0m0s", 3600], [" 10m ", 600],
];
const INVALID: unknown[] = [0, -5, Number.NaN, Number.POSITIVE_INFINITY, "", "600", "10 minutes", "-5s", "0s", "1d", "10M", "m", "1h30", true, null, {}];

describe("timeouts durations", () => {
  it.each(VALID)("reads %j as %d seconds", (value, seconds) => {
    expect(toSeconds(value)).toBe(seconds);
  });

  it.each(INVALID.map((v) => [v]))("refuses %j", (value) => {
    expect(toSeconds(value)).toBeUndefined();
  });
});
