/**
 * The serialized provider: its size budget, that it captures nothing but the kind, and that the runtime's
 * dispatcher routes each of Pulumi's call shapes to the right method.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { PROVIDERS } from "../../provider/stub";
import { dispatch } from "../../provider/runtime";

const serialize = async (p: unknown) => (await pulumi.runtime.serializeFunction(() => p, { allowSecrets: true })).text;

describe("serialized provider", () => {
  it.each(Object.keys(PROVIDERS))("%s serializes under 2 KB, holding only its kind and the runtime's name", async (kind) => {
    const text = await serialize(PROVIDERS[kind as keyof typeof PROVIDERS]);
    expect(Buffer.byteLength(text)).toBeLessThan(2048);
    expect(text).toContain(`kind: "${kind}"`);
    expect(text).toContain("pulumi-edgeconf/runtime");
    expect(text).not.toMatch(/secret|AKID|password/i);
  });

  it("is the same text every time for a kind (Pulumi stores and compares it per resource)", async () => {
    expect(await serialize(PROVIDERS.OriginGroup)).toBe(await serialize(PROVIDERS.OriginGroup));
    expect(await serialize(PROVIDERS.OriginGroup)).not.toBe(await serialize(PROVIDERS.UserGroup));
  });
});

describe("runtime.dispatch routes Pulumi's call shapes", () => {
  const news = { zoneId: "z-s64jh54hbcra", groupName: "ops", description: "x".repeat(2000) };

  it("configure(req): one argument with config.get", async () => {
    await expect(dispatch("UserGroup", "read", [{ config: { get: () => undefined } }])).resolves.toBeUndefined();
  });

  it("check(olds, news): two arguments, an object first", async () => {
    const r = (await dispatch("UserGroup", "read", [{}, news])) as { failures: { property: string }[] };
    expect(r.failures.map((f) => f.property)).toEqual(["description"]);
  });

  it("diff(id, olds, news): three arguments on the read side", async () => {
    const olds = { zoneId: "z-s64jh54hbcra", groupName: "ops", description: "", groupType: "Manual", groupId: "g-1" };
    const r = (await dispatch("UserGroup", "read", ["g-1", olds, { ...olds, groupType: "Synchronized" }])) as { replaces: string[] };
    expect(r.replaces).toEqual(["groupType"]);
  });

  it("refuses a shape Pulumi never sends", async () => {
    await expect(dispatch("UserGroup", "read", [])).rejects.toThrow(/unexpected provider call with 0 arguments/);
  });
});
