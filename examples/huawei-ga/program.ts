/**
 * Two Global Accelerator endpoint groups on one listener: the primary region takes the traffic, the standby
 * region is declared with `trafficDialPercentage: 0` (sent as 0: it is a real value, not "unset").
 * Config (optional against the emulator): `listenerId`.
 */
import * as pulumi from "@pulumi/pulumi";
import { EndpointGroup } from "pulumi-edgeconf";

export function program() {
  const config = new pulumi.Config();
  const listenerId = config.get("listenerId") ?? "1b11747a-b139-492f-9692-2df0b1c87193";

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
    // GA groups are asynchronous: create waits until ACTIVE, within this deadline (seconds)
    timeouts: { create: 900 },
  });

  return { primaryStatus: primary.status, standbyId: standby.endpointGroupId };
}
