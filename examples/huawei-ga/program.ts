/**
 * Two Global Accelerator endpoint groups on one listener: the primary region takes the traffic, the standby
 * region is declared with `trafficDialPercentage: 0` (sent as 0: it is a real value, not "unset").
 * Config (required): `listenerId`. No default: an unset id fails the preview instead of sending a real-cloud run
 * to the emulator's seeded listener.
 */
import * as pulumi from "@pulumi/pulumi";
import { EndpointGroup } from "pulumi-edgeconf";

export function program() {
  const config = new pulumi.Config();
  const listenerId = config.require("listenerId");

  const primary = new EndpointGroup("primary", {
    listenerId,
    regionId: "ap-southeast-1",
    description: "serves all traffic",
    trafficDialPercentage: 100,
  });

  const standby = new EndpointGroup("standby", {
    listenerId,
    regionId: "cn-south-1",
    description: "warm standby",
    trafficDialPercentage: 0,
    // GA groups are asynchronous: create waits until ACTIVE, within this deadline (seconds or "15m")
    timeouts: { create: "15m" },
  });

  return { primaryStatus: primary.status, standbyId: standby.endpointGroupId };
}
