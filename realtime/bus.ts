// Messages between gateway instances, each instance listening on its own Redis channel
// openclaw:gateway-bus:<instanceId>: an invoke relayed to the instance that holds the node, its
// outcome coming back under the same correlation id, and "your connection of this node was replaced".
import { redisChannels } from "../lib/redis-keys.ts";
import type { Redis } from "../lib/redis.ts";
import type { InvokeOutcome, InvokeRequest } from "./nodes/invoke.ts";

export type RelayedInvoke = { t: "invoke"; corr: string; from: string; userId: string } & InvokeRequest;

export type BusMessage =
  | RelayedInvoke
  | { t: "result"; corr: string; outcome: InvokeOutcome }
  | { t: "replaced"; userId: string; nodeId: string; connId: string };

export const busChannel = redisChannels.gatewayBus;

/** Publishes to another instance; false when no instance listens on that channel any more. */
export async function publishBus(redis: Redis, instanceId: string, message: BusMessage): Promise<boolean> {
  return (await redis.publish(busChannel(instanceId), JSON.stringify(message))) > 0;
}

/** Only gateways publish here; text that is not JSON is ignored. */
export function parseBus(text: string): BusMessage | null {
  try {
    return JSON.parse(text) as BusMessage;
  } catch {
    return null;
  }
}
