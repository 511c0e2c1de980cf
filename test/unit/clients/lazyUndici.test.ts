/**
 * The runtime leaves undici unloaded until the first request (transport.ts): loading it is ~130 ms of the
 * provider process's start-up that an operation without API calls never needs. Needs `dist/` built.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../../..");

const loadedAfter = (script: string): string[] =>
  JSON.parse(execFileSync(process.execPath, ["-e", `
    ${script}
    const deps = ["undici", "zod"].filter((d) => Object.keys(require.cache).some((f) => f.includes("/node_modules/" + d + "/")));
    process.stdout.write(JSON.stringify(deps));`], { cwd: ROOT, encoding: "utf8" }));

describe("undici is loaded on the first request", () => {
  it("is not loaded with the runtime", () => {
    expect(loadedAfter(`require("pulumi-edgeconf/runtime");`)).toEqual(["zod"]);
  });

  it("is loaded when the transport makes its first pool", () => {
    expect(loadedAfter(`
      require("pulumi-edgeconf/runtime");
      new (require("./dist/provider/clients/transport").Transport)().send(
        { origin: "http://127.0.0.1:9", method: "GET", path: "/", headers: {} }, { service: "t", action: "a", timeoutMs: 1 }).catch(() => {});`))
      .toEqual(["undici", "zod"]);
  });
});
