/**
 * The pinned toolchain stays one version: the Pulumi CLI that toolchain/build.sh builds (go.mod) is the version of
 * the `@pulumi/pulumi` the tests load (package.json, lock file), and the built CLI says so.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { pulumiToolchain } from "../support/pulumiCli";

const ROOT = path.resolve(__dirname, "..", "..");
const goMod = fs.readFileSync(path.join(ROOT, "toolchain/go.mod"), "utf8");
const pinned = /^\s*github\.com\/pulumi\/pulumi\/pkg\/v3 (v\S+)/m.exec(goMod)?.[1];

describe("the pinned Pulumi toolchain", () => {
  it("builds the CLI at the version of the @pulumi/pulumi devDependency and its lock entry", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
    expect(pinned).toMatch(/^v3\.\d+\.\d+$/);
    expect(`v${pkg.devDependencies["@pulumi/pulumi"]}`).toBe(pinned);
    expect(`v${lock.packages["node_modules/@pulumi/pulumi"].version}`).toBe(pinned);
    expect(goMod).toMatch(new RegExp(`github\\.com/pulumi/pulumi/sdk/v3 ${pinned!.replace(/\./g, "\\.")}`));
  });

  it.skipIf(!pulumiToolchain())("is built with the CLI, our language host and the dynamic-provider launcher at that version", () => {
    const { binDir, version } = pulumiToolchain()!;
    expect(version).toBe(pinned);
    for (const tool of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
      expect(fs.statSync(path.join(binDir, tool)).mode & 0o111, tool).not.toBe(0);
    }
    expect(execFileSync(path.join(binDir, "pulumi-language-nodejs"), ["-version"], { encoding: "utf8" }).trim()).toBe(pinned);
  });
});
