/**
 * The README as npm shows it: the copy inside the packed tarball, read by someone who has only the package. Every
 * link must resolve there: a relative link to a file the tarball ships, an anchor to a heading (GitHub's and npm's
 * slugs), or an absolute URL; links into this repository (https://github.com/edgeconf/pulumi-edgeconf/blob/main/…
 * or /tree/main/…) must name a path that exists in the repository.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack, ROOT } from "./pack";

const REPOSITORY = "https://github.com/edgeconf/pulumi-edgeconf/";

/** Markdown with fenced code blocks blanked (line numbers kept) and inline code spans removed. */
const prose = (markdown: string): string[] => {
  let fenced = false;
  return markdown.split("\n").map((line) => {
    if (/^\s*```/.test(line)) { fenced = !fenced; return ""; }
    return fenced ? "" : line.replace(/(`+)[^`]*?\1/g, "");
  });
};

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  let fenced = false;
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = fenced ? undefined : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[`*_]/g, (c) => (c === "_" ? "_" : ""));
    const slug = text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** Every inline link `[text](target)` outside code, with its line. */
const links = (markdown: string): { line: number; target: string }[] =>
  prose(markdown).flatMap((text, i) => [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => ({ line: i + 1, target: m[1] })));

/** What is wrong with each link of `markdown` (a file at `file` inside `root`): empty when every link resolves. */
function brokenLinks(root: string, file: string, markdown: string): string[] {
  const problems: string[] = [];
  for (const { line, target } of links(markdown)) {
    const where = `${file}:${line}: ${target}`;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      if (target.startsWith(REPOSITORY)) {
        const m = /^(?:blob|tree)\/main\/([^#?]*)(?:#(.*))?$/.exec(target.slice(REPOSITORY.length));
        const [, file, anchor] = m ?? [];
        if (!m) problems.push(`${where}: a repository link other than blob/main/… or tree/main/…`);
        else if (!fs.existsSync(path.join(ROOT, decodeURIComponent(file)))) problems.push(`${where}: no ${file} in the repository`);
        else if (anchor !== undefined && file.endsWith(".md") && !headingAnchors(fs.readFileSync(path.join(ROOT, file), "utf8")).has(anchor)) {
          problems.push(`${where}: no heading #${anchor} in ${file}`);
        }
      }
      continue;
    }
    const [ref, anchor] = target.split("#", 2);
    const resolved = path.join(root, path.dirname(file), decodeURIComponent(ref));
    if (ref !== "" && !fs.existsSync(resolved)) { problems.push(`${where}: not in the package`); continue; }
    const linked = ref === "" ? markdown : resolved.endsWith(".md") ? fs.readFileSync(resolved, "utf8") : undefined;
    if (anchor !== undefined && linked !== undefined && !headingAnchors(linked).has(anchor)) {
      problems.push(`${where}: no heading #${anchor}`);
    }
  }
  return problems;
}

describe("the packed README", () => {
  let work: string;
  let extracted: string;
  let readme: string;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "edgeconf-readme-"));
    ({ extracted } = pack(work));
    readme = fs.readFileSync(path.join(extracted, "README.md"), "utf8");
  }, 60_000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("is the repository's README", () => {
    expect(readme).toBe(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"));
  });

  it("has links that all resolve inside the package or point at the repository by absolute URL", () => {
    expect(links(readme).length).toBeGreaterThan(5);
    expect(brokenLinks(extracted, "README.md", readme)).toEqual([]);
  });

  it("and the repository's other READMEs and docs have links that resolve in the repository", () => {
    const files = ["examples", "docs"].flatMap((dir) => fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".md")).map((f) => path.join(dir, f)));
    expect(files).toEqual(expect.arrayContaining(["examples/ci/README.md", "docs/migration.md"]));
    expect(files.flatMap((f) => brokenLinks(ROOT, f, fs.readFileSync(path.join(ROOT, f), "utf8")))).toEqual([]);
  });

  it("finds what is broken (the check really checks)", () => {
    const broken = "# Top\n\n## A `b`: c\n\n[ok](#a-b-c) [ok](#top) [gone](#nope) [ok](LICENSE) [gone](bench/README.md) " +
      "[ok](https://example.com/x) [ok](https://github.com/edgeconf/pulumi-edgeconf/blob/main/bench/README.md) " +
      "[ok](https://github.com/edgeconf/pulumi-edgeconf/blob/main/README.md#install) " +
      "[gone](https://github.com/edgeconf/pulumi-edgeconf/blob/main/README.md#instal) " +
      "[gone](https://github.com/edgeconf/pulumi-edgeconf/blob/main/shared/reference/x.md)\n```\n[code](not/a/link.md)\n```\n";
    expect(brokenLinks(extracted, "README.md", broken).map((p) => p.replace(/^README\.md:\d+: /, ""))).toEqual([
      "#nope: no heading #nope",
      "bench/README.md: not in the package",
      "https://github.com/edgeconf/pulumi-edgeconf/blob/main/README.md#instal: no heading #instal in README.md",
      "https://github.com/edgeconf/pulumi-edgeconf/blob/main/shared/reference/x.md: no shared/reference/x.md in the repository",
    ]);
  });

  it("sends readers to no file outside the package by a bare path, and to nothing private", () => {
    // Paths in prose are not links, but a reader of the npm page cannot open them either.
    const bare = prose(readme).flatMap((text, i) =>
      [...text.replace(/\[[^\]]*\]\([^)]*\)/g, "").matchAll(/(?<![\w/.-])([\w.-]+\/)+[\w.-]+\.md\b/g)].map((m) => `README.md:${i + 1}: ${m[0]}`));
    expect(bare).toEqual([]);
    // Our tracker's numbers and internal notes mean nothing to a reader; another project's owner/repo#N does.
    expect(readme.match(/shared\/reference|\bissues? \d+|(?<![\w.-]+\/[\w.-]+)#\d+\b/gi)).toBeNull();
  });
});
