/**
 * The actions every workflow here uses (the templates in examples/ci and this project's .github/workflows), each
 * pinned to the commit of its latest release, the version in a comment. Read from each repository's tags on
 * 2026-12-07: checkout v7.0.1 2026-07-17, setup-node v7.0.0 2026-07-13, upload-artifact v7.0.0 2026-02-25,
 * download-artifact v8.0.1 2026-03-11, pulumi/actions v7.0.0 2026-05-04, setup-go v7.0.0, cache v5.0.5.
 */
import * as fs from "node:fs";
import { expect } from "vitest";

export const PINNED_ACTIONS: Record<string, { sha: string; version: string }> = {
  "actions/checkout": { sha: "3d3c42e5aac5ba805825da76410c181273ba90b1", version: "v7.0.1" },
  "actions/setup-node": { sha: "820762786026740c76f36085b0efc47a31fe5020", version: "v7.0.0" },
  "actions/upload-artifact": { sha: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", version: "v7.0.0" },
  "actions/download-artifact": { sha: "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", version: "v8.0.1" },
  "pulumi/actions": { sha: "8e5e406f4007fca908480587cb9893c07090f58d", version: "v7.0.0" },
  "actions/setup-go": { sha: "b7ad1dad31e06c5925ef5d2fc7ad053ef454303e", version: "v7.0.0" },
  "actions/cache": { sha: "27d5ce7f107fe9357f9df03efb73ab90386fccae", version: "v5.0.5" },
};

/** Every `uses:` of another repository's action in `file` is pinned as above (a local `./` workflow is ours). */
export function expectPinned(file: string): void {
  const lines = fs.readFileSync(file, "utf8").split("\n").filter((l) => /^\s*(- )?uses:/.test(l) && !/uses: \.\//.test(l));
  expect(lines.length, file).toBeGreaterThan(0);
  for (const line of lines) {
    const m = /uses: ([\w-]+\/[\w-]+)@([0-9a-f]{40}) # (v[\d.]+)$/.exec(line);
    expect(m, line).not.toBeNull();
    expect({ sha: m![2], version: m![3] }, line).toEqual(PINNED_ACTIONS[m![1]]);
  }
}
