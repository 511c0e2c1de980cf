import * as fs from "node:fs";
import * as path from "node:path";

/** The version in pulumi-edgeconf's own package.json, found from dist/ or from the sources, whichever runs. */
export function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
      if (pkg.name === "pulumi-edgeconf") return pkg.version;
    }
  }
  return "unknown";
}
