/**
 * EdgeOne origins and an IP allow-list, plus the CIC group of the people allowed to change them.
 * Config (required): `zoneId` (EdgeOne site), `cicZoneId` (CIC space). No defaults: an unset id fails the preview
 * instead of sending a real-cloud run to the emulator's seeded ids. Optional: `contractorUntil`.
 */
import * as pulumi from "@pulumi/pulumi";
import { OriginGroup, SecurityIPGroup, UserGroup } from "pulumi-edgeconf";

export function program() {
  const config = new pulumi.Config();
  const zoneId = config.require("zoneId");

  const origins = new OriginGroup("origins", {
    zoneId,
    type: "HTTP",
    hostHeader: "www.example.com",
    records: [
      { record: "203.0.113.10", weight: 70 },
      { record: "203.0.113.11", weight: 30 },
    ],
  });

  const office = new SecurityIPGroup("office", {
    zoneId,
    content: ["198.51.100.0/24", "2001:db8:100::/48", "203.0.113.99"],
    // a contractor's address that leaves the list on its own; a fired expiry is not drift
    ipExpireInfo: [{ expireTime: config.get("contractorUntil") ?? "2030-01-01T00:00:00+08:00", ipList: ["203.0.113.99"] }],
  });

  const editors = new UserGroup("edge-editors", {
    zoneId: config.require("cicZoneId"),
    description: "May change EdgeOne origins and allow-lists",
  });

  return { originGroupId: origins.groupId, allowListId: office.groupId, editorsGroupId: editors.groupId };
}
