/**
 * What a release publishes, and the workflows that do it (.github/workflows/release.yml, ci.yml).
 *
 * `npm publish --dry-run` of this repository, exactly as the release job runs it less `--provenance` (which needs
 * GitHub's OIDC token) and with the prepack build skipped (`npm test` has built dist/; a rebuild would pull dist/
 * from under the suites running beside this one). The registry is a recording stand-in on loopback, and every
 * proxy variable points at it too, so anything npm contacts is seen: a dry run asks the registry for the package's
 * document (is this version already published?) and nothing else.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectPinned } from "../ci/pins";
import { loadWorkflow, runWorkflow, type Step, type Workflow } from "../ci/workflow";
import { MANIFEST, pack, type Packed, ROOT } from "./pack";

const run = promisify(execFile);
const WORKFLOWS = path.join(ROOT, ".github", "workflows");

describe("npm publish --dry-run", () => {
  let work: string;
  let registry: http.Server;
  let registryUrl: string;
  const contacted: string[] = [];
  let published: Packed;
  let notice: string;
  let packed: Packed;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-publish-"));
    // Not published yet: 404 for the package document, as the registry answers for a new name.
    registry = http.createServer((req, res) => {
      contacted.push(`${req.method} ${req.url}`);
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "Not found" }));
    });
    registry.on("connect", (req, socket) => { contacted.push(`CONNECT ${req.url}`); socket.destroy(); });
    await new Promise<void>((resolve) => registry.listen(0, "127.0.0.1", resolve));
    registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
    const proxy = registryUrl.slice(0, -1);
    const t0 = Date.now();
    const { stdout, stderr } = await run("npm", [
      "publish", "--dry-run", "--json", "--access", "public", "--ignore-scripts",
      "--registry", registryUrl, "--cache", path.join(work, "cache"),
    ], {
      cwd: ROOT,
      env: {
        ...process.env, HTTP_PROXY: proxy, HTTPS_PROXY: proxy, http_proxy: proxy, https_proxy: proxy, NO_PROXY: "", no_proxy: "",
        npm_config_proxy: proxy, npm_config_https_proxy: proxy, NODE_AUTH_TOKEN: "",
      },
      maxBuffer: 10 << 20,
    });
    const result = JSON.parse(stdout);
    published = result[MANIFEST.name] ?? result; // npm 11 keys the result by package name, npm 10 does not
    notice = stderr;
    ({ packed } = pack(work));
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    console.log(`test/package publish: dry run ${Date.now() - t0} ms, ${published.files.length} files, ${kb(published.size)} packed, ${kb(published.unpackedSize)} unpacked; contacted: ${contacted.join(", ")}`);
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => registry?.close(resolve));
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("publishes this name and version, publicly, to the registry it was given", () => {
    expect({ name: published.name, version: published.version }).toEqual({ name: MANIFEST.name, version: MANIFEST.version });
    expect(notice).toContain(`Publishing to ${registryUrl} with tag latest and public access (dry-run)`);
  });

  it("publishes the same files as npm pack: no tests, benchmarks, sources or source maps", () => {
    const files = published.files.map((f) => f.path).sort();
    expect(files).toEqual(packed.files.map((f) => f.path).sort());
    expect(files.filter((f) => /^(test|bench|demo|engine|examples|toolchain|docs|dist\/(test|bench|demo|engine))\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".map") || (f.endsWith(".ts") && !f.endsWith(".d.ts")))).toEqual([]);
    expect(published.size).toBe(packed.size);
  });

  it("contacts the registry for the package's document and nothing else", () => {
    expect(contacted.length).toBeGreaterThan(0);
    const registryPath = new URL(registryUrl).pathname;
    expect(contacted.filter((r) => r !== `GET ${registryPath}${MANIFEST.name}` && r !== `GET ${registryUrl}${MANIFEST.name}`)).toEqual([]);
  });

  it("is configured to publish publicly to the npm registry, whatever a user's .npmrc says", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(manifest.publishConfig).toEqual({ access: "public", registry: "https://registry.npmjs.org/" });
  });
});

describe("the release and CI workflows", () => {
  const release = loadWorkflow(path.join(WORKFLOWS, "release.yml"));
  const ci = loadWorkflow(path.join(WORKFLOWS, "ci.yml"));
  const steps = (w: Workflow) => Object.entries(w.jobs).flatMap(([job, j]) => (j.steps ?? []).map((s) => ({ job, ...s })));
  const publishStep = (): Step & { job: string } => {
    const found = steps(release).filter((s) => /\bnpm publish\b/.test(s.run ?? ""));
    expect(found).toHaveLength(1);
    return found[0];
  };

  it("releases on a v* tag, publishing with provenance after the whole CI", () => {
    expect(release.on).toEqual({ push: { tags: ["v*"] } });
    const step = publishStep();
    expect(step.run!.trim()).toBe("npm publish --provenance --access public");
    const job = release.jobs[step.job] as unknown as { needs: string[] };
    expect(job.needs).toEqual(expect.arrayContaining(["version", "ci"]));
    expect((release.jobs.ci as unknown as { uses: string }).uses).toBe("./.github/workflows/ci.yml");
    expect(ci.on).toMatchObject({ workflow_call: null });
  });

  it("grants an id token to the publish job alone, and the npm token to the publish step alone", () => {
    const step = publishStep();
    expect(release.permissions).toEqual({ contents: "read" });
    for (const [id, job] of Object.entries(release.jobs) as [string, { permissions?: Record<string, string> }][]) {
      expect(`${id}: ${JSON.stringify(job.permissions ?? null)}`).toBe(
        id === step.job ? `${id}: ${JSON.stringify({ contents: "read", "id-token": "write" })}` : `${id}: null`);
    }
    expect(step.env).toEqual({ NODE_AUTH_TOKEN: "${{ secrets.NPM_TOKEN }}" });
    // Nowhere else: no workflow, job or other step env, no `with:` (comments aside).
    const code = fs.readFileSync(path.join(WORKFLOWS, "release.yml"), "utf8").replace(/(^|\s)#.*$/gm, "");
    expect(code.match(/secrets\.|NODE_AUTH_TOKEN/g)).toEqual(["NODE_AUTH_TOKEN", "secrets."]);
  });

  it.each([["v" + MANIFEST.version, "success"], ["v" + MANIFEST.version + "1", "failure"], [MANIFEST.version, "failure"]])(
    "the version job, run as GitHub would on tag %s: %s", async (tag, conclusion) => {
      const temp = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-release-job-"));
      try {
        // the version job alone: the others call a reusable workflow and publish
        const run = await runWorkflow({ ...release, jobs: { version: release.jobs.version } }, {
          workspace: ROOT, runnerTemp: temp, env: { PATH: process.env.PATH!, HOME: temp }, github: { ref_name: tag, ref: `refs/tags/${tag}` },
        });
        const result = run.job("version");
        expect(result.conclusion).toBe(conclusion);
        if (conclusion === "failure") expect(result.steps.at(-1)!.stdout).toContain(`::error::tag ${tag} is not package.json's version ${MANIFEST.version}`);
      } finally {
        fs.rmSync(temp, { recursive: true, force: true });
      }
    });

  it("CI runs .ci/run on push and pull request, read-only, with the toolchain's Go", () => {
    expect(ci.on).toMatchObject({ push: { branches: ["main"] }, pull_request: null });
    expect(ci.permissions).toEqual({ contents: "read" });
    const all = steps(ci);
    expect(all.filter((s) => s.run).map((s) => s.run!.trim())).toEqual(["bash .ci/run"]);
    expect(all.find((s) => s.uses?.startsWith("actions/setup-go@"))?.with).toMatchObject({ "go-version-file": "toolchain/go.mod" });
  });

  it("pins every action to its latest release's commit, with its version in a comment", () => {
    for (const file of ["ci.yml", "release.yml"]) expectPinned(path.join(WORKFLOWS, file));
  });
});
