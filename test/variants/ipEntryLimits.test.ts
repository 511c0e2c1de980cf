/**
 * SecurityIPGroup under per-request entry limits nobody documents (emulator `ipEntriesPerRequest`) and plan quotas
 * (`ipEntriesPerGroup`), through the provider runtime over real HTTP: the request size is found from the cloud's
 * refusals with few wasted calls and kept for the process; a full group is reported as such, not split forever.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, SEED } from "../../emulator";
import { startHarness, type Harness } from "../support/harness";

const KIND = "SecurityIPGroup" as const;
let h: Harness;
let n = 0;
const ips = (from: number, count: number) => Array.from({ length: count }, (_, i) => `10.0.${from}.${i + 1}`);
const writes = () => h.calls().filter((c) => c.action === "CreateSecurityIPGroup" || c.action === "ModifySecurityIPGroup");
const refused = () => writes().filter((c) => c.errorCode === "LimitExceeded.Security");
const live = (id: string) => h.emulator.services.teo.backend.admin("getSecurityIPGroup", { groupId: Number(id) }) as any;

async function create(content: string[]) {
  const { inputs, failures } = await h.rt.check(KIND, undefined, { zoneId: SEED.teoZoneId, name: `limits-${++n}`, content });
  expect(failures).toEqual([]);
  return { inputs, ...(await h.rt.create(KIND, inputs)) };
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.admin.settings({ ...DEFAULT_SETTINGS });
  h.resetCalls();
});

describe("SecurityIPGroup under undocumented entry limits", () => {
  it("finds a per-request limit of 3 by halving refused requests, then keeps it for the process", async () => {
    await h.admin.settings({ ipEntriesPerRequest: 3 });
    const first = await create(ips(1, 10));
    expect(live(first.id).Content.sort()).toEqual(ips(1, 10).sort());
    // 10 refused, 5 refused, then requests of 3: two wasted calls, none over the limit accepted
    expect(refused().length).toBe(2);
    expect(writes().filter((c) => !c.errorCode)).toHaveLength(4);

    h.resetCalls();
    const second = await create(ips(2, 7));
    expect(live(second.id).Content).toHaveLength(7);
    expect(refused()).toEqual([]);
    expect(writes()).toHaveLength(3);

    h.resetCalls();
    const { outs } = await h.rt.update(KIND, first.id, first.outs, { ...first.inputs, content: [...ips(1, 10), ...ips(3, 4)] });
    expect(outs.ipTotalCount).toBe(14);
    expect(refused()).toEqual([]);
    expect(writes()).toHaveLength(2);
  });

  it("reports a group at its entry quota as such, after a bounded number of refused requests", async () => {
    await h.admin.settings({ ipEntriesPerGroup: 6 });
    const g = await create(ips(4, 4));
    h.resetCalls();
    await expect(h.rt.update(KIND, g.id, g.outs, { ...g.inputs, content: [...ips(4, 4), ...ips(5, 5)] }))
      .rejects.toThrow(/LimitExceeded\.Security.*the group is at the entry quota of the plan.*declare fewer entries/);
    expect(refused().length).toBeLessThanOrEqual(4);
    expect(live(g.id).Content.length).toBeLessThanOrEqual(6);
  });
});
