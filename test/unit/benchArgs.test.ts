/**
 * `npm run bench -- --help` must answer and stop, not start a ten-minute run; a misspelt option must be refused
 * rather than ignored (a run without the intended --only costs minutes).
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../../bench/run";

const RUN = path.resolve(__dirname, "../../dist/bench/run.js");

const run = (args: string[]) =>
  new Promise<{ code: number; out: string; err: string }>((resolve) =>
    execFile(process.execPath, [RUN, ...args], { encoding: "utf8", timeout: 30_000 }, (error, out, err) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out, err })));

describe("bench command line", () => {
  it("--help prints the scenarios and options and exits 0 without starting the emulator", async () => {
    const r = await run(["--help"]);
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toMatch(/^usage: npm run bench/);
    for (const option of ["--only", "--count", "--kinds", "--scale"]) expect(r.out).toContain(option);
    expect(r.out).toContain("7  the real pulumi CLI");
  });

  it("refuses an unknown option or scenario with exit 1 and the usage", async () => {
    const r = await run(["--onyl", "1"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^bench: unknown argument --onyl\nusage: npm run bench/);
    expect(r.out).toBe("");
  });

  it("reads every option, in both spellings, and checks each value", () => {
    expect(parseArgs(["--only", "1,7", "--count=200", "--kinds", "OriginGroup", "--scale", "4"], {})).toEqual({
      scale: 4, only: new Set([1, 7]), count: 200, kinds: ["OriginGroup"], help: false,
    });
    expect(parseArgs([], { BENCH_SCALE: "2" })).toMatchObject({ scale: 2, only: undefined, count: 1000, help: false });
    const refused: [string[], RegExp][] = [
      [["--only", "8"], /--only: no scenario 8/],
      [["--count", "many"], /--count must be an integer/],
      [["--kinds", "Bucket"], /--kinds: unknown Bucket/],
      [["--scale", "0.5"], /--scale must be a positive integer/],
      [["--only"], /--only needs a value/],
    ];
    for (const [argv, message] of refused) {
      expect(() => parseArgs(argv, {}), argv.join(" ")).toThrow(UsageError);
      expect(() => parseArgs(argv, {})).toThrow(message);
    }
  });
});
