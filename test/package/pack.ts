/**
 * The package as npm would publish it, for the test/package suites: `npm pack` of this repository (dist/ as built:
 * `npm test` builds first, so the prepack build is skipped) and the tarball extracted, as npm installs it.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const MANIFEST: { name: string; version: string } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

/** One entry of `npm pack --json` (and of `npm publish --json`, which reports the same fields). */
export interface Packed {
  name: string;
  version: string;
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

/** Packs into `dir`; `extracted` is the tarball's `package/` folder unpacked into `dir/extracted`. */
export function pack(dir: string): { packed: Packed; tarball: string; extracted: string } {
  if (!fs.existsSync(path.join(ROOT, "dist", "provider", "index.d.ts"))) throw new Error("dist/ is missing: run npm run build first");
  // --ignore-scripts: dist is already built (npm test builds first); prepack would build it a second time, under
  // the feet of the suites running beside this one.
  const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], { cwd: ROOT, encoding: "utf8" });
  const packed: Packed = JSON.parse(out)[0];
  const tarball = path.join(dir, packed.filename);
  const extracted = path.join(dir, "extracted");
  fs.mkdirSync(extracted);
  execFileSync("tar", ["xzf", tarball, "-C", extracted, "--strip-components=1"]);
  return { packed, tarball, extracted };
}
