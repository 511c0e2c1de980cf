/**
 * What an update of a large SecurityIPGroup reads back: appending 3 entries to a 5000-entry group does not
 * download the group; the state it reports is what a whole read reports; and when the server's count shows the
 * group held something the state did not know, the update reads the group whole and reports that.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED } from "../../emulator";
import { startHarness, type Harness } from "../support/harness";

const KIND = "SecurityIPGroup" as const;
type Props = Record<string, any>;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ logBodies: true, settings: { rateLimit: 0 } });
});
afterAll(() => h.close());
beforeEach(() => h.resetCalls());

const ip = (i: number, first: number) => `${first}.${(i >> 8) & 255}.${i & 255}.1`;
const inFuture = new Date(Date.now() + 30 * 86_400_000).toISOString().replace(/\.\d+Z$/, "+00:00");

async function create(name: string, content: string[], extra: Props = {}) {
  const checked = await h.rt.check(KIND, undefined, { zoneId: SEED.teoZoneId, name, content, ...extra, logicalName: name });
  expect(checked.failures).toEqual([]);
  const { id, outs } = await h.rt.create(KIND, checked.inputs);
  return { id, outs, inputs: checked.inputs };
}

async function update(g: { id: string; outs: Props; inputs: Props }, next: Props) {
  const checked = await h.rt.check(KIND, g.inputs, { ...g.inputs, ...next });
  expect(checked.failures).toEqual([]);
  h.resetCalls();
  const { outs } = await h.rt.update(KIND, g.id, g.outs, checked.inputs);
  return { outs, calls: h.calls() };
}

/** The group read whole, straight from the API as the emulator serves it. */
function live(id: string): { Content: string[]; IPTotalCount: number; IPExpireInfo: unknown[] } {
  return h.emulator.services.teo.backend.admin("getSecurityIPGroup", { groupId: Number(id) }) as any;
}

describe("SecurityIPGroup update read-back", () => {
  it("appending 3 entries to a 5000-entry group: one append, then the count (one entry, under 1 KB received), and the full state", async () => {
    const content = Array.from({ length: 5000 }, (_, i) => ip(i, 70));
    const g = await create("rb-append", content);
    const added = [ip(1, 71), "2001:db8::7", ip(2, 71)];
    const { outs, calls } = await update(g, { content: [...content, ...added] });
    expect(calls.map((c) => c.action)).toEqual(["ModifySecurityIPGroup", "DescribeSecurityIPGroupContent"]);
    expect(JSON.parse(calls[1].requestBody!)).toMatchObject({ Limit: 1 });
    const received = calls.filter((c) => c.action.startsWith("Describe")).reduce((n, c) => n + c.responseBytes, 0);
    expect(received).toBeLessThan(1024);
    const server = live(g.id);
    expect(outs.ipTotalCount).toBe(5003);
    expect(outs.content).toEqual(server.Content); // same entries, in the server's order
    expect(outs.content).toEqual([...content, ...added]);
  }, 60_000);

  it("reads the group whole when its count differs from what the update left (an entry added out of band)", async () => {
    const content = Array.from({ length: 3000 }, (_, i) => ip(i, 72));
    const g = await create("rb-drifted", content);
    h.emulator.services.teo.backend.admin("patchSecurityIPGroup", { groupId: Number(g.id), Content: [...content, "198.51.100.99"] });
    const { outs, calls } = await update(g, { content: [...content.slice(1), ip(9, 73)] });
    const actions = calls.map((c) => c.action);
    expect(actions.slice(0, 2)).toEqual(["ModifySecurityIPGroup", "ModifySecurityIPGroup"]);
    expect(actions).toContain("DescribeSecurityIPGroupContent");
    expect(actions).toContain("DescribeSecurityIPGroup");
    expect(outs.content).toContain("198.51.100.99"); // the truth, not what the update assumed
    expect([...outs.content].sort()).toEqual([...live(g.id).Content].sort());
    expect(outs.ipTotalCount).toBe(3001);
  }, 60_000);

  it("with a schedule involved, confirms with DescribeSecurityIPGroup by id (its IPExpireInfo), not the content pages", async () => {
    const content = Array.from({ length: 2500 }, (_, i) => ip(i, 74));
    const g = await create("rb-sched", content, { ipExpireInfo: [{ expireTime: inFuture, ipList: [content[5]] }] });
    const { outs, calls } = await update(g, { content: [...content, ip(3, 75)] });
    expect(calls.map((c) => c.action)).toEqual(["ModifySecurityIPGroup", "DescribeSecurityIPGroup"]);
    const whole = await h.rt.read(KIND, g.id, outs);
    expect(outs).toEqual(whole.props);
  }, 60_000);
});
