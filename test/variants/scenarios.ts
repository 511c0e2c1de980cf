/**
 * The variant matrix as data: each scenario is a set of readings of the points the cloud documentation leaves open
 * (emulator settings, emulator/README.md "Variants"). Every named value of every switch appears in at least one
 * scenario, each scenario runs the whole stack, and the first is the documented defaults. Readings are grouped
 * (rather than one scenario per switch) because every scenario starts a new provider process to see console edits,
 * as a new `pulumi` command would, and that start dominates the matrix's time on a loaded machine.
 */
import type { EmulatorSettings } from "../../emulator";

/** Logical names of the four resources of the stack (test/variants/matrix.test.ts). */
export type Member = "web" | "office" | "ops" | "eu";
export const WHOLE_STACK: readonly Member[] = ["web", "office", "ops", "eu"];

export interface Scenario {
  name: string;
  settings: Partial<EmulatorSettings>;
  members: readonly Member[];
  /** members declared without a name (autonamed) */
  autonamed?: readonly Member[];
}

export const SCENARIOS: Scenario[] = [
  { name: "documented defaults", settings: {}, members: WHOLE_STACK },
  {
    name: "every other reading at once",
    settings: {
      secretsOnRead: "masked",
      emptyDescription: "ignored",
      hostHeaderOnOmit: "keeps",
      gaNameCharset: "chinese",
      ipContentOrder: "sorted",
      recordIdsOnModify: "kept",
      unknownIpGroupIds: "error",
      ipEntriesPerRequest: 3,
      gaPendingMs: 0,
    },
    members: WHOLE_STACK,
    // a Chinese console rename of an autonamed group: a fresh autoname, not a preview failure on every run
    autonamed: ["eu"],
  },
  {
    name: "the remaining readings",
    settings: { secretsOnRead: "omitted", ipEntriesPerRequest: 2 },
    members: WHOLE_STACK,
  },
];
