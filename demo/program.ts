/**
 * The demo stack: one of each resource, pointed at the emulator's seeded zone, space and listener unless the
 * stack config names real ones (`edgeconf-demo:teoZoneId`, `:cicZoneId`, `:gaListenerId`, `:gaRegionId`).
 */
import * as pulumi from "@pulumi/pulumi";
import { EndpointGroup, OriginGroup, SecurityIPGroup, UserGroup } from "../provider";
import { SEED } from "../emulator/core/defaults";

export function demoProgram() {
  const config = new pulumi.Config("edgeconf-demo");
  const zoneId = config.get("teoZoneId") ?? SEED.teoZoneId;

  const web = new OriginGroup("web", {
    zoneId,
    name: "web-origins",
    type: "HTTP",
    hostHeader: "www.example.com",
    records: [
      { record: "203.0.113.10", weight: 60 },
      { record: "origin.example.com", weight: 40 },
    ],
  });

  const office = new SecurityIPGroup("office", {
    zoneId,
    name: "office-allowlist",
    content: ["198.51.100.0/24", "203.0.113.7", "2001:db8::/48"],
    ipExpireInfo: [{ expireTime: config.get("contractorExpiry") ?? "2030-01-01T00:00:00+08:00", ipList: ["203.0.113.7"] }],
  });

  const ops = new UserGroup("ops", {
    zoneId: config.get("cicZoneId") ?? SEED.cicZoneId,
    groupName: "edge-operators",
    description: "People who may change edge configuration",
  });

  const eu = new EndpointGroup("eu", {
    listenerId: config.get("gaListenerId") ?? SEED.gaListenerId,
    regionId: config.get("gaRegionId") ?? "eu-west-101",
    name: "web-eu",
    trafficDialPercentage: 0, // standby region: declared, receiving no traffic
  });

  return {
    originGroupId: web.groupId,
    ipGroupId: office.groupId,
    userGroupId: ops.groupId,
    endpointGroupStatus: eu.status,
  };
}
