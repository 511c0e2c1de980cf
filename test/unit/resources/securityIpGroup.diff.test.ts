/**
 * SecurityIPGroup's diff finds changed properties without building its content sets (`changedProperties`, by
 * entry keys); `comparable` stays the reference that preview reports and adoption use. Both must give the same
 * answer on every pair: reorders, other spellings, entries added, removed or replaced anywhere, state entries
 * written with host bits or twice, schedules pending or fired.
 */
import { describe, expect, it } from "vitest";
import { securityIpGroup } from "../../../provider/resources/securityIpGroup";
import { changedProperties } from "../../../provider/resources/lifecycle";
import { deepEqual } from "../../../provider/resources/equality";
import { scanIpEntry } from "../../../provider/resources/net";
import { createRng } from "../../../emulator/core/env";
import { realisticMix } from "../../../bench/mix";
import * as rt from "../../../provider/runtime";

type Inputs = { zoneId: string; name: string; content: string[]; ipExpireInfo?: { expireTime: string; ipList: string[] }[] };

const ZONE = "zone-2o0i1xk4lu5b";
const canonical = (e: string) => scanIpEntry(e)?.canonical ?? e;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

/** What comparing `comparable` values finds changed: the reference. */
function byComparable(olds: Inputs, news: Inputs): string[] {
  const before = securityIpGroup.comparable(olds);
  const after = securityIpGroup.comparable(news);
  return Object.keys(before).filter((k) => !deepEqual(before[k], after[k])).sort();
}

/** The fast path as diff runs it: the new inputs have just passed the schema. */
function fast(olds: Inputs, news: Inputs): string[] {
  const parsed = securityIpGroup.schema.safeParse(news);
  if (!parsed.success) throw new Error(`news refused: ${parsed.error.issues[0]?.message}`);
  return changedProperties(securityIpGroup, olds, parsed.data).sort();
}

/** An IPv4 network entry written with a host bit set (`10.0.0.4/30` → `10.0.0.5/30`): the same network. */
function withHostBit(entry: string): string | undefined {
  const [address, prefix] = entry.split("/");
  if (!prefix || address.includes(":") || Number(prefix) > 30) return undefined;
  const parts = address.split(".").map(Number);
  parts[3] += 1;
  return `${parts.join(".")}/${prefix}`;
}

function shuffle<T>(list: T[], rnd: () => number): T[] {
  const out = list.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Random pairs: the state side canonical (as reads write it) or not, the new side edited in one of many ways. */
function* pairs(count: number): Generator<[string, Inputs, Inputs]> {
  const rnd = createRng(2026);
  for (let n = 0; n < count; n++) {
    const size = 1 + Math.floor(rnd() * (n % 4 === 0 ? 3000 : 40));
    const written = realisticMix(size, 100 + n);
    const state: Inputs = { zoneId: ZONE, name: "g", content: written.map(canonical) };
    let content = written.slice();
    const extra = realisticMix(5, 10_000 + n);
    const at = Math.floor(rnd() * content.length);
    const edit = n % 9;
    let label = "";
    switch (edit) {
      case 0: label = "same list"; break;
      case 1: label = "reordered"; content = shuffle(content, rnd); break;
      case 2: label = "other spellings"; content = content.map((e) => (e.includes(":") ? e.toUpperCase() : e)); break;
      case 3: label = "one removed"; if (content.length > 1) content.splice(at, 1); else content = [extra[0]]; break;
      case 4: label = "one added"; content.splice(at, 0, extra[0]); break;
      case 5: label = "one replaced"; content[at] = extra[1]; break;
      case 6: {
        label = "state entry with host bits";
        const i = state.content.findIndex((e) => withHostBit(e) !== undefined);
        if (i >= 0) state.content[i] = withHostBit(state.content[i])!;
        break;
      }
      case 7: label = "state entry twice"; state.content.push(state.content[at]); break;
      default: label = "state entry not an address"; state.content[at] = "not-an-ip"; break;
    }
    yield [`#${n} ${label} (${size})`, state, { zoneId: ZONE, name: "g", content }];
  }
}

describe("SecurityIPGroup changedProperties agrees with comparable", () => {
  it("on 400 random pairs of every kind of edit", () => {
    const wrong: string[] = [];
    const seen = { changed: 0, same: 0 };
    for (const [label, olds, news] of pairs(400)) {
      const expected = byComparable(olds, news);
      const got = fast(olds, news);
      if (!deepEqual(got, expected)) wrong.push(`${label}: ${JSON.stringify(got)} != ${JSON.stringify(expected)}`);
      seen[expected.includes("content") ? "changed" : "same"]++;
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    // both answers were exercised, many times
    expect(seen.changed).toBeGreaterThan(100);
    expect(seen.same).toBeGreaterThan(100);
  });

  it("with schedules: pending ones compared, fired ones taking their entries out of both sides", () => {
    const now = Date.now();
    const content = realisticMix(50, 7);
    const state: Inputs = { zoneId: ZONE, name: "g", content: content.map(canonical) };
    const cases: [string, Inputs, Inputs, string[]][] = [
      ["pending schedule added", state, { ...state, content, ipExpireInfo: [{ expireTime: iso(now + HOUR), ipList: [content[3]] }] }, ["ipExpireInfo"]],
      // the state no longer lists the entry whose schedule fired: no change
      ["fired schedule, entry gone from state", { ...state, content: state.content.filter((_, i) => i !== 3) },
        { ...state, content, ipExpireInfo: [{ expireTime: iso(now - HOUR), ipList: [content[3]] }] }, []],
      ["fired schedule, another entry missing", { ...state, content: state.content.filter((_, i) => i !== 4) },
        { ...state, content, ipExpireInfo: [{ expireTime: iso(now - HOUR), ipList: [content[3]] }] }, ["content"]],
      ["renamed", state, { ...state, content, name: "h" }, ["name"]],
      ["other zone, same entries", state, { ...state, content: content.slice().reverse(), zoneId: "zone-3abcdefghijk" }, ["zoneId"]],
    ];
    for (const [label, olds, news, expected] of cases) {
      expect([label, fast(olds, news)]).toEqual([label, expected]);
      expect([label, byComparable(olds, news)]).toEqual([label, expected]);
    }
  });

  it("through the provider's diff: a 20,000-entry group against its state, unchanged, reordered, one entry replaced", async () => {
    const content = realisticMix(20_000, 41);
    const state = { zoneId: ZONE, name: "big", content: content.map(canonical), ipExpireInfo: [], groupId: 7, ipTotalCount: content.length };
    const diffOf = async (news: string[]) => {
      const checked = await rt.check("SecurityIPGroup", { zoneId: ZONE, name: "big", content }, { zoneId: ZONE, name: "big", content: news });
      expect(checked.failures).toEqual([]);
      return rt.diff("SecurityIPGroup", "7", state, checked.inputs);
    };
    expect(await diffOf(content.slice())).toMatchObject({ changes: false, replaces: [] });
    expect(await diffOf(content.slice().reverse())).toMatchObject({ changes: false });
    const replaced = content.slice();
    replaced[19_999] = "198.51.100.0/24";
    expect(await diffOf(replaced)).toMatchObject({ changes: true, replaces: [] });
  });
});
