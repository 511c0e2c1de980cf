/**
 * The package as a user installs it: `npm pack` once, the tarball installed into temporary projects (without
 * network: the tarball is extracted where npm would put it, and its dependencies and the user's own
 * devDependencies are linked from this repository's node_modules, as npm links `file:` dependencies), then
 * `tsc --noEmit` with no `skipLibCheck` under the tsconfigs users have:
 *   (a) today's `pulumi new typescript` (module/moduleResolution nodenext, target es2020, no lib) — plus the
 *       two examples as their READMEs install them, and a file with deliberately wrong property types;
 *   (b) the older template (module commonjs, moduleResolution node, no esModuleInterop);
 *   (c) an ES module project (`"type": "module"`, nodenext).
 * Needs `dist/` built (`npm test` builds first). Slow: one pack and three compiler runs (timing printed).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack, type Packed, ROOT } from "./pack";

const MODULES = path.join(ROOT, "node_modules");
const TSC = path.join(MODULES, "typescript", "bin", "tsc");
const run = promisify(execFile);

/** The tsconfig that `pulumi new typescript` writes, with the module settings given. */
const templateTsconfig = (modules: Record<string, string>, files: string[]) => ({
  compilerOptions: {
    strict: true, outDir: "bin", target: "es2020", sourceMap: true, experimentalDecorators: true, pretty: false,
    noFallthroughCasesInSwitch: true, noImplicitReturns: true, forceConsistentCasingInFileNames: true, ...modules,
  },
  files,
});
const CURRENT = { module: "nodenext", moduleResolution: "nodenext" };
const OLDER = { module: "commonjs", moduleResolution: "node" };

/** A program using every public entry point: the four classes, their get(), duration timeouts, the emulator. */
const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { EndpointGroup, OriginGroup, SecurityIPGroup, UserGroup, ConfigError, type OriginGroupArgs, type EndpointGroupState } from "pulumi-edgeconf";
import { startEmulator, SEED } from "pulumi-edgeconf/emulator";

const config = new pulumi.Config();
const zoneId = config.require("zoneId");
const webArgs: OriginGroupArgs = {
  zoneId, type: "HTTP", hostHeader: "www.example.com",
  records: [{ record: "203.0.113.10", weight: 60 }, { record: "bucket.cos.ap-guangzhou.myqcloud.com", type: "COS", weight: 40, private: true }],
  timeouts: { create: "10m", update: 600 },
};
const web = new OriginGroup("web", webArgs);
const office = new SecurityIPGroup("office", {
  zoneId, content: ["198.51.100.0/24", "2001:db8::/48"],
  ipExpireInfo: [{ expireTime: "2030-01-01T00:00:00+08:00", ipList: ["2001:db8::/48"] }],
});
const ops = new UserGroup("ops", { zoneId: config.require("cicZoneId"), description: web.groupId.apply((id) => "owners of " + id) });
const eu = new EndpointGroup("eu", { listenerId: SEED.gaListenerId, regionId: "eu-west-101", trafficDialPercentage: 0, timeouts: { create: "1h30m" } }, { dependsOn: [ops] });

const existingWeb = OriginGroup.get("existing-web", "origin-0123", { zoneId });
const existingIps = SecurityIPGroup.get("existing-ips", "42", { zoneId });
const existingOps = UserGroup.get("existing-ops", "g-0123", { zoneId: SEED.cicZoneId });
const existingEu = EndpointGroup.get("existing-eu", "6f1d7d3e-0000-4000-8000-000000000001", undefined, { protect: true });

const status: pulumi.Output<EndpointGroupState["status"]> = eu.status;
export const outputs = {
  status, ips: office.ipTotalCount, firstRecord: existingWeb.records.apply((r) => r[0]?.record),
  ipGroup: existingIps.groupId, members: existingOps.memberCount, dial: existingEu.trafficDialPercentage,
};

export async function emulatorUrl(): Promise<string> {
  const emulator = await startEmulator({ port: 0, quiet: true });
  await emulator.close();
  return emulator.url;
}
export const isConfigError = (e: unknown): boolean => e instanceof ConfigError && e.code === "EDGECONF_CONFIG";
`;

/** Each line a property of the wrong type; every one must be reported, on its own line. */
const WRONG = `
import { EndpointGroup, OriginGroup, SecurityIPGroup, UserGroup } from "pulumi-edgeconf";
new OriginGroup("w1", { zoneId: 42, type: "HTTP", records: [] });
new SecurityIPGroup("w2", { zoneId: "zone-1", content: "198.51.100.0/24" });
new UserGroup("w3", { zoneId: "z-1", groupType: "Automatic" });
new EndpointGroup("w4", { listenerId: "l", regionId: "r", trafficDialPercentage: "100" });
new UserGroup("w5", { zoneId: "z-1", timeouts: { create: true } });
`;
const WRONG_LINES = [3, 4, 5, 6, 7];

describe("the packed package, installed into user projects", () => {
  let work: string;
  let packed: Packed;
  let packageDir: string;
  const started = Date.now();
  const timings: string[] = [];

  /** A project with the tarball where npm installs it and everything else linked from this repository. */
  const project = (name: string, files: Record<string, string>): string => {
    const dir = path.join(work, name);
    fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
    fs.mkdirSync(path.join(dir, "node_modules", "@types"), { recursive: true });
    fs.cpSync(packageDir, path.join(dir, "node_modules", "pulumi-edgeconf"), { recursive: true });
    for (const dep of ["@pulumi/pulumi", "@types/node", "zod", "undici"]) {
      fs.symlinkSync(path.join(MODULES, dep), path.join(dir, "node_modules", dep), "dir");
    }
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    return dir;
  };

  /** `tsc --noEmit -p dir`: exit code and the diagnostics, one per line. */
  const typeCheck = async (dir: string, what: string): Promise<{ code: number; out: string }> => {
    const t0 = Date.now();
    try {
      const { stdout } = await run(process.execPath, [TSC, "--noEmit", "-p", dir], { cwd: dir, maxBuffer: 10 << 20 });
      return { code: 0, out: stdout };
    } catch (err) {
      const e = err as { code?: number; stdout?: string };
      return { code: e.code ?? 1, out: e.stdout ?? String(err) };
    } finally {
      timings.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    }
  };

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-package-"));
    const t0 = Date.now();
    ({ packed, extracted: packageDir } = pack(work));
    timings.push(`pack+extract ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }, 120_000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
    console.log(`test/package: ${timings.join(", ")}; total ${((Date.now() - started) / 1000).toFixed(1)}s`);
  });

  it("ships LICENSE, README, the compiled provider, commands and emulator, and nothing else", () => {
    const files = packed.files.map((f) => f.path).sort();
    expect(files).toEqual(expect.arrayContaining([
      "LICENSE", "README.md", "package.json",
      "dist/provider/index.js", "dist/provider/index.d.ts", "dist/provider/runtime.js",
      "dist/emulator/index.js", "dist/emulator/index.d.ts", "dist/emulator/cli.js", "dist/commands/main.js",
    ]));
    expect(files.filter((f) => !/^(LICENSE|README\.md|package\.json|dist\/(provider|commands|emulator)\/.*\.(js|d\.ts))$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
  });

  it("has no source-map reference to a file it does not ship", () => {
    const dangling = packed.files
      .filter((f) => f.path.endsWith(".js"))
      .flatMap((f) => {
        const ref = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(fs.readFileSync(path.join(packageDir, f.path), "utf8"))?.[1];
        return ref && !fs.existsSync(path.join(packageDir, path.dirname(f.path), ref)) ? [`${f.path} -> ${ref}`] : [];
      });
    expect(dangling).toEqual([]);
  });

  it("shows consumers no install script, and states its Node and Pulumi requirements", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8"));
    expect(Object.keys(manifest.scripts ?? {}).filter((s) => /^(pre|post)?install$|^prepare$/.test(s))).toEqual([]);
    expect(manifest).toMatchObject({ license: "Apache-2.0", engines: { node: ">=22" }, peerDependencies: { "@pulumi/pulumi": "^3.216.0" } });
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\//);
    expect(manifest.keywords).toEqual(expect.arrayContaining(["pulumi", "tencentcloud", "huaweicloud"]));
    // One Node story: the CI workflows users copy run the Node major that `engines` asks for.
    for (const workflow of ["drift-check.yml", "pr-preview.yml"]) {
      const pinned = /node-version:\s*['"]?(\d+)/.exec(fs.readFileSync(path.join(ROOT, "examples", "ci", workflow), "utf8"))?.[1];
      expect(`${workflow}: node ${pinned}`).toBe(`${workflow}: node ${/\d+/.exec(manifest.engines.node)![0]}`);
    }
    // The examples install exactly this tarball (their READMEs: `npm pack` at the root, then `npm install`).
    for (const example of ["tencent-edgeone", "huawei-ga"]) {
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "examples", example, "package.json"), "utf8"));
      expect(pkg.dependencies["pulumi-edgeconf"]).toBe(`file:../../${packed.filename}`);
      expect(pkg.engines).toEqual(manifest.engines);
      expect(pkg.dependencies["@pulumi/pulumi"]).toBe(manifest.peerDependencies["@pulumi/pulumi"]);
    }
  });

  it("type-checks under the three user tsconfigs, and reports each wrong property type", async () => {
    const exampleFiles = (example: string) => Object.fromEntries(
      ["index.ts", "program.ts", "tsconfig.json"].map((f) => [`examples/${example}/${f}`, fs.readFileSync(path.join(ROOT, "examples", example, f), "utf8")]),
    );
    const current = project("current", {
      "index.ts": PROGRAM,
      "wrong.ts": WRONG,
      "tsconfig.json": JSON.stringify(templateTsconfig(CURRENT, ["index.ts", "wrong.ts", "examples/tencent-edgeone/index.ts", "examples/huawei-ga/index.ts"])),
      ...exampleFiles("tencent-edgeone"),
      ...exampleFiles("huawei-ga"),
    });
    const older = project("older", { "index.ts": PROGRAM, "tsconfig.json": JSON.stringify(templateTsconfig(OLDER, ["index.ts"])) });
    const esm = project("esm", {
      "package.json": JSON.stringify({ name: "esm-user", private: true, type: "module" }),
      "index.ts": PROGRAM,
      "tsconfig.json": JSON.stringify(templateTsconfig(CURRENT, ["index.ts"])),
    });
    // The examples' own tsconfig is the current template: the same compiler run covers them.
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "huawei-ga", "tsconfig.json"), "utf8")).compilerOptions).toMatchObject({ ...CURRENT, target: "es2020", strict: true });

    const [a, b, c] = await Promise.all([
      typeCheck(current, "tsc (a) current template + examples + wrong.ts"),
      typeCheck(older, "tsc (b) older template"),
      typeCheck(esm, "tsc (c) ESM nodenext"),
    ]);
    expect(b).toEqual({ code: 0, out: "" });
    expect(c).toEqual({ code: 0, out: "" });

    // (a) fails, and only because of wrong.ts: one error on each wrong line, none anywhere else.
    expect(a.code).not.toBe(0);
    const errors = a.out.split("\n").filter((l) => /error TS\d+/.test(l));
    expect(errors.filter((l) => !l.startsWith("wrong.ts("))).toEqual([]);
    expect([...new Set(errors.map((l) => Number(/^wrong\.ts\((\d+),/.exec(l)![1])))]).toEqual(WRONG_LINES);
    expect(a.out).toContain("Type 'number' is not assignable to type 'Input<string>'");
  }, 600_000);
});
