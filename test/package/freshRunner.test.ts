/**
 * The install path of the README on a fresh CI runner: a clean `git clone` of the user's repository and `npm ci`
 * with an EMPTY npm cache (`--cache` a new directory), as GitHub's hosted runners start. Dependencies come from
 * the npm registry, as on the runner; the package itself only from what the repository holds.
 *
 * (a) The README's path: the tarball committed in the repository (`infra/vendor/`) and installed from there, so
 *     package.json and the lock file say `file:vendor/…`. The clone installs; the package loads; its bins run.
 * (b) The path the README used to give: the tarball installed from outside the repository
 *     (`npm install ../pulumi-edgeconf/pulumi-edgeconf-0.1.0.tgz`). The clone fails with ENOENT; with the cache of
 *     the machine that installed it, it passes, which is why it worked on the developer's machine.
 */
import { execFileSync, type ExecFileSyncOptions } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANIFEST, pack, ROOT } from "./pack";

/** The @pulumi/pulumi a user's `pulumi new typescript` project has: the one this repository is tested with. */
const PULUMI = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")).version;

/** The environment without what `npm test` sets for its scripts (npm_config_*, npm_package_*...): a user's shell. */
const userEnv = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

const sh = (cmd: string, args: string[], cwd: string, opts: ExecFileSyncOptions = {}): string =>
  execFileSync(cmd, args, { cwd, env: userEnv(), encoding: "utf8", maxBuffer: 20 << 20, stdio: ["ignore", "pipe", "pipe"], ...opts }) as string;
const git = (cwd: string, ...args: string[]) => sh("git", ["-c", "user.name=Edge Dev", "-c", "user.email=dev@example.com", ...args], cwd);
const NPM_QUIET = ["--no-audit", "--no-fund"];

/** `npm ci` in `dir` with the cache given: exit status, what npm said, seconds. */
function npmCi(dir: string, cache: string): { status: number; output: string; seconds: number } {
  const t0 = Date.now();
  try {
    const output = sh("npm", ["ci", ...NPM_QUIET, "--cache", cache], dir);
    return { status: 0, output, seconds: (Date.now() - t0) / 1000 };
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string };
    return { status: e.status ?? 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}`, seconds: (Date.now() - t0) / 1000 };
  }
}

/** A user's repository: a Pulumi TypeScript project at `project` (relative to the repository root), committed. */
function userRepository(root: string, project: string, install: (projectDir: string) => string): string {
  const dir = path.join(root, project);
  fs.mkdirSync(dir, { recursive: true });
  git(root, "init", "-q", "-b", "main");
  fs.writeFileSync(path.join(root, ".gitignore"), "node_modules/\n");
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: edge\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "edge", private: true, main: "index.ts" }, null, 2));
  fs.writeFileSync(path.join(dir, "index.ts"), `import { OriginGroup } from "pulumi-edgeconf";\nexport const kind = OriginGroup.name;\n`);
  // The developer's machine: the user's own npm cache, warm or not.
  sh("npm", ["install", ...NPM_QUIET, install(dir), `@pulumi/pulumi@${PULUMI}`], dir);
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "infrastructure");
  return root;
}

describe("a fresh CI runner installs the package from a clean checkout with an empty npm cache", () => {
  let work: string;
  let filename: string;
  let tarball: string;
  const timings: string[] = [];

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-fresh-runner-"));
    ({ tarball, packed: { filename } } = pack(work));
  }, 60_000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
    console.log(`test/package fresh runner: ${timings.join(", ")}`);
  });

  // The README's commands: copy the tarball into the repository, install it by that relative path.
  let runnerCache: string;
  it("(a) from the tarball committed in the repository: file:vendor/…", () => {
    const repo = userRepository(path.join(work, "dev", "edge"), "infra", (dir) => {
      fs.mkdirSync(path.join(dir, "vendor"));
      fs.copyFileSync(tarball, path.join(dir, "vendor", filename));
      return `./vendor/${filename}`;
    });
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, "infra", "package.json"), "utf8"));
    expect(manifest.dependencies[MANIFEST.name]).toBe(`file:vendor/${filename}`);
    const lock = JSON.parse(fs.readFileSync(path.join(repo, "infra", "package-lock.json"), "utf8"));
    expect(lock.packages[`node_modules/${MANIFEST.name}`]).toMatchObject({ version: MANIFEST.version, resolved: `file:vendor/${filename}` });
    expect(git(repo, "ls-files", "infra")).toContain(`infra/vendor/${filename}`);

    // The runner: another directory, at another depth; nothing but the clone; a cache that has never been used.
    const checkout = path.join(work, "runner", "_work", "edge", "edge");
    git(work, "clone", "-q", repo, checkout);
    runnerCache = path.join(work, "runner-cache");
    const ci = npmCi(path.join(checkout, "infra"), runnerCache);
    timings.push(`npm ci (vendored tarball, empty cache) ${ci.seconds.toFixed(1)}s`);
    expect(ci.output).not.toMatch(/ENOENT|npm error/);
    expect(ci.status).toBe(0);

    const infra = path.join(checkout, "infra");
    const loaded = sh(process.execPath, ["-e", `
      const p = require("pulumi-edgeconf"), e = require("pulumi-edgeconf/emulator");
      console.log(JSON.stringify({ classes: ["OriginGroup", "SecurityIPGroup", "UserGroup", "EndpointGroup"].filter((c) => typeof p[c] === "function"),
        emulator: typeof e.startEmulator, from: require.resolve("pulumi-edgeconf") }));`], infra);
    expect(JSON.parse(loaded)).toEqual({
      classes: ["OriginGroup", "SecurityIPGroup", "UserGroup", "EndpointGroup"],
      emulator: "function",
      from: path.join(fs.realpathSync(infra), "node_modules", MANIFEST.name, "dist", "provider", "index.js"),
    });
    expect(sh("npx", ["--no-install", "edgeconf", "--version"], infra).trim()).toBe(MANIFEST.version);
    expect(sh("npx", ["--no-install", "edgeconf-emulator", "--version"], infra).trim()).toContain(MANIFEST.version);
  }, 300_000);

  it("(b) not from a tarball outside the repository: ENOENT with an empty cache, hidden by a warm one", () => {
    const outside = path.join(work, "dev", "pulumi-edgeconf");
    fs.mkdirSync(outside, { recursive: true });
    fs.copyFileSync(tarball, path.join(outside, filename));
    const repo = userRepository(path.join(work, "dev", "my-pulumi-project"), ".", () => `../pulumi-edgeconf/${filename}`);
    expect(JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")).dependencies[MANIFEST.name]).toBe(`file:../pulumi-edgeconf/${filename}`);

    const checkout = path.join(work, "runner", "_work", "my-pulumi-project", "my-pulumi-project");
    git(work, "clone", "-q", repo, checkout);
    const fresh = npmCi(checkout, path.join(work, "empty-cache"));
    timings.push(`npm ci (outside tarball, empty cache) ${fresh.seconds.toFixed(1)}s, failed`);
    expect(fresh.status).not.toBe(0);
    expect(fresh.output).toContain(`ENOENT: no such file or directory, open '${path.join(path.dirname(checkout), "pulumi-edgeconf", filename)}'`);

    // The same tarball (same integrity) is in the cache of (a)'s runner: npm takes it from there and never opens the path.
    if (runnerCache) expect(npmCi(checkout, runnerCache).status).toBe(0);
  }, 300_000);
});
