import * as path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Example programs import the package by name, as users do; in this repository that is the source.
    alias: [{ find: /^pulumi-edgeconf$/, replacement: path.resolve(__dirname, "provider/index.ts") }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
