/**
 * SecurityIPGroup reads by id under both readings of unknown `GroupIds` (emulator `unknownIpGroupIds`), through the
 * provider runtime over real HTTP: a group deleted in the console reads as gone, never as a failed read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, SEED } from "../../emulator";
import { startHarness, type Harness } from "../support/harness";

const KIND = "SecurityIPGroup" as const;
let h: Harness;
let n = 0;

async function create(content: string[]) {
  const { inputs, failures } = await h.rt.check(KIND, undefined, { zoneId: SEED.teoZoneId, name: `unknown-ids-${++n}`, content });
  expect(failures).toEqual([]);
  return h.rt.create(KIND, inputs);
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("SecurityIPGroup reads of a group deleted in the console", () => {
  it.each(["absent", "error"] as const)("unknownIpGroupIds=%s: the deleted group reads as gone, the other as it is", async (mode) => {
    await h.admin.settings({ ...DEFAULT_SETTINGS, unknownIpGroupIds: mode });
    const kept = await create(["192.0.2.1"]);
    const deleted = await create(["192.0.2.2"]);
    h.emulator.services.teo.backend.admin("deleteSecurityIPGroup", { groupId: Number(deleted.id) });
    h.resetCalls();
    expect((await h.rt.read(KIND, deleted.id, deleted.outs)).id).toBe("");
    const refused = h.calls().filter((c) => c.action === "DescribeSecurityIPGroup" && c.errorCode === "ResourceNotFound");
    expect(refused.length).toBe(mode === "error" ? 1 : 0);
    const [a, b] = await Promise.all([h.rt.read(KIND, kept.id, kept.outs), h.rt.read(KIND, deleted.id, deleted.outs)]);
    expect(a.id).toBe(kept.id);
    expect(a.props!.content).toEqual(["192.0.2.1"]);
    expect(b.id).toBe("");
    await h.rt.remove(KIND, kept.id, kept.outs);
  });
});
