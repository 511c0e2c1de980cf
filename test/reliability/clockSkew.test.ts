/**
 * End to end through the provider runtime: with the server clock an hour ahead of ours, the first signed call
 * is refused as expired, the clients correct their clock from the server's `Date`, and creates still succeed
 * (each client's skew handling has its own unit tests in test/unit/clients).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED } from "../../emulator/core/defaults";
import { startHarness, type Harness } from "../support/harness";

describe("clock skew end to end", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { now: () => Date.now() + 3_600_000 }, settings: { gaPendingMs: 5 } });
  });
  afterAll(async () => h?.close());

  it("creates and deletes a resource of each cloud while the server clock is an hour ahead", async () => {
    const ug = await h.rt.check("UserGroup", undefined, { zoneId: SEED.cicZoneId, groupName: "skewed" });
    const made = await h.rt.create("UserGroup", ug.inputs);
    expect(made.id).toBeTruthy();
    await h.rt.remove("UserGroup", made.id, made.outs);
    const eg = await h.rt.check("EndpointGroup", undefined, { listenerId: SEED.gaListenerId, regionId: "cn-east-3", name: "skewed" });
    const group = await h.rt.create("EndpointGroup", eg.inputs);
    expect(group.outs.status).toBe("ACTIVE");
    await h.rt.remove("EndpointGroup", group.id, group.outs);
    expect(h.calls().some((c) => /SignatureExpire|0301/.test(String(c.errorCode ?? "")))).toBe(true);
  }, 60_000);
});
