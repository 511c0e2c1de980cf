/**
 * The peers' documented examples (terraform-provider-tencentcloud, pulumi-tencentcloud,
 * terraform-provider-huaweicloud), translated as docs/migration.md says: each passes preview (`check`), is
 * created in the emulator, survives the acceptance test's update steps, and refreshes with no diff. Pasted with
 * the peers' own spellings, they are refused with what to write instead. Sources: peerExamples.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyFingerprint } from "../../provider/resources/originGroup";
import { startHarness, type Harness } from "../support/harness";
import { EXAMPLE_ZONES, PEER_EXAMPLES, UNTRANSLATED, type PeerExample } from "./peerExamples";

type Props = Record<string, any>;

let h: Harness;

beforeAll(async () => {
  // GA groups leave at once, so one example's listener slot is free for the next.
  h = await startHarness({ settings: { gaPendingMs: 0 } });
  for (const zoneId of EXAMPLE_ZONES.teo) h.emulator.services.teo.backend.admin("addZone", { zoneId });
  for (const zoneId of EXAMPLE_ZONES.cic) await h.admin.admin("organization", "addZone", { zoneId });
});
afterAll(() => h.close());

/** `pulumi preview` then `pulumi up` for one step: check against the previous inputs, then create or update. */
async function apply(ex: PeerExample, news: Props, prior?: { id: string; inputs: Props; outs: Props }) {
  const { inputs, failures, warnings } = await h.rt.check(ex.kind, prior?.inputs, { ...news, logicalName: "example" });
  expect(failures).toEqual([]);
  if (!prior) {
    const { id, outs } = await h.rt.create(ex.kind, inputs);
    return { id, inputs, outs, warnings };
  }
  const diff = await h.rt.diff(ex.kind, prior.id, prior.outs, inputs);
  expect(diff).toMatchObject({ changes: true, replaces: [] });
  const { outs } = await h.rt.update(ex.kind, prior.id, prior.outs, inputs);
  return { id: prior.id, inputs, outs, warnings };
}

/** `pulumi preview --refresh --expect-no-changes`: the live resource reads back as exactly the declaration. */
async function expectNoDrift(ex: PeerExample, step: { id: string; inputs: Props; outs: Props }) {
  const read = await h.rt.read(ex.kind, step.id, step.outs);
  expect(read.id).toBe(step.id);
  expect(await h.rt.diff(ex.kind, step.id, read.props!, step.inputs)).toMatchObject({ changes: false });
}

describe("the peers' documented examples, translated", () => {
  it.each(PEER_EXAMPLES)("$kind from $source: preview, create, update steps, no drift", async (ex) => {
    let step = await apply(ex, ex.inputs);
    expect(step.warnings.map((w) => w.property)).toEqual(ex.warnings ?? []);
    expect(step.id).not.toBe("");
    await expectNoDrift(ex, step);
    for (const update of ex.updates ?? []) {
      step = await apply(ex, update, step);
      await expectNoDrift(ex, step);
    }
    await h.rt.remove(ex.kind, step.id, step.outs);
    expect((await h.rt.read(ex.kind, step.id, step.outs)).id).toBe("");
  });

  it("stores the origin example's ignored fields as sent: private and the parameter read back from the API", async () => {
    const ex = PEER_EXAMPLES[0]!;
    const step = await apply(ex, ex.inputs);
    const live = h.emulator.services.teo.backend.admin("getOriginGroup", { groupId: step.id }) as Props;
    // what the peer's acceptance test checks after its update step: private = true, the parameter present
    expect(live.Records).toEqual([expect.objectContaining({ Record: "tf-teo.xyz", Private: true, PrivateParameters: [{ Name: "SecretAccessKey", Value: "test" }] })]);
    // state keeps the key's fingerprint, never the key (issue 15)
    expect(step.outs.records[0]).toMatchObject({ private: true, privateParameters: [{ name: "SecretAccessKey", value: keyFingerprint("SecretAccessKey", "test") }] });
    await h.rt.remove(ex.kind, step.id, step.outs);
  });
});

describe("the peers' spellings, pasted as they are", () => {
  it.each(UNTRANSLATED)("$kind from $source: refused with what to write instead", async ({ kind, inputs, hints }) => {
    const { failures } = await h.rt.check(kind, undefined, { ...inputs, logicalName: "example" });
    for (const [property, hint] of Object.entries(hints)) {
      expect(failures).toContainEqual({ property, reason: expect.stringMatching(hint) });
    }
    for (const f of failures) expect(f.reason).not.toBe("is not a property of this resource");
    // the property a peer's key stands for is not reported missing as well
    expect(failures.filter((f) => /received undefined/.test(f.reason))).toEqual([]);
  });

  it("still names a plain typo as not a property", async () => {
    const { failures } = await h.rt.check("UserGroup", undefined, { zoneId: "z-xxxxxx", groupName: "g", descriptoin: "x" });
    expect(failures).toEqual([{ property: "descriptoin", reason: "is not a property of this resource" }]);
  });
});
