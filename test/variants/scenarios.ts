/**
 * The variant matrix as data: each scenario is one reading of the points the cloud documentation leaves open
 * (emulator settings, emulator/README.md "Variants"), and the resources whose behaviour that reading changes.
 * Every named value of every switch appears in at least one scenario; the first and the last scenarios run the
 * whole stack, under the documented defaults and under every other reading at once.
 */
import type { EmulatorSettings } from "../../emulator";

/** Logical names of the four resources of the stack (test/variants/matrix.test.ts). */
export type Member = "web" | "office" | "ops" | "eu";
export const WHOLE_STACK: readonly Member[] = ["web", "office", "ops", "eu"];

export interface Scenario {
  name: string;
  settings: Partial<EmulatorSettings>;
  members: readonly Member[];
}

export const SCENARIOS: Scenario[] = [
  { name: "documented defaults", settings: {}, members: WHOLE_STACK },
  { name: "secretsOnRead=masked", settings: { secretsOnRead: "masked" }, members: ["web"] },
  { name: "secretsOnRead=omitted", settings: { secretsOnRead: "omitted" }, members: ["web"] },
  { name: "hostHeaderOnOmit=keeps", settings: { hostHeaderOnOmit: "keeps" }, members: ["web"] },
  { name: "recordIdsOnModify=kept", settings: { recordIdsOnModify: "kept" }, members: ["web"] },
  { name: "emptyDescription=ignored", settings: { emptyDescription: "ignored" }, members: ["ops"] },
  { name: "gaNameCharset=chinese", settings: { gaNameCharset: "chinese" }, members: ["eu"] },
  { name: "gaPendingMs=0", settings: { gaPendingMs: 0 }, members: ["eu"] },
  { name: "ipContentOrder=sorted", settings: { ipContentOrder: "sorted" }, members: ["office"] },
  { name: "ipEntriesPerRequest=2", settings: { ipEntriesPerRequest: 2 }, members: ["office"] },
  {
    name: "every other reading at once",
    settings: {
      secretsOnRead: "masked",
      emptyDescription: "ignored",
      hostHeaderOnOmit: "keeps",
      gaNameCharset: "chinese",
      ipContentOrder: "sorted",
      recordIdsOnModify: "kept",
      ipEntriesPerRequest: 3,
      gaPendingMs: 0,
    },
    members: WHOLE_STACK,
  },
];
