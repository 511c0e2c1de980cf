/**
 * Fixed ids and credentials of the default seed, documented in emulator/README.md and printed at start,
 * so a program runs against a fresh emulator with no setup.
 */
export const SEED = {
  /** EdgeOne site (teo ZoneId) */
  teoZoneId: "zone-2kblak89bkx1",
  teoZoneName: "example.com",
  /** CIC space (organization ZoneId) */
  cicZoneId: "z-s64jh54hbcra",
  /** Huawei GA: one accelerator with one listener */
  gaAcceleratorId: "7a1e4c58-2f0b-4d7e-9c55-0d3c1f0e9a01",
  gaListenerId: "1b11747a-b139-492f-9692-2df0b1c87193",
  /** regions where the seeded accelerator can place endpoint groups */
  gaRegions: ["ap-southeast-1", "cn-south-1", "cn-north-4", "cn-east-3", "eu-west-101"],
  /** Huawei account (domain) id shown in endpoint groups */
  gaDomainId: "99a3fff0d03c428eac3678da6a7d0f24",
} as const;

/** Credentials accepted when the environment provides none (TENCENTCLOUD_SECRET_ID/_KEY, HW_ACCESS_KEY/_SECRET_KEY...). */
export const DEFAULT_CREDENTIALS = {
  tencentSecretId: "AKIDEDGECONFEMULATOR0000000000000000",
  tencentSecretKey: "edgeconfEmulatorSecretKey0000000",
  huaweiAccessKey: "EDGECONFEMULATORAK00",
  huaweiSecretKey: "edgeconfEmulatorHuaweiSecretKey000000000",
  huaweiProjectId: "0123456789abcdef0123456789abcdef",
  /** accepted as X-Auth-Token */
  huaweiAuthToken: "edgeconf-emulator-token",
} as const;
