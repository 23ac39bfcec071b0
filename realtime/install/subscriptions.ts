// What the gateway hears on Redis: its own bus channel (other instances), every user's channel
// (platform events: presence, revocations, suspensions) and every user's chat channel (agent
// runs on any instance, for this instance's operators).
import { CHAT_CHANNEL_PATTERN, parseBusMessage, userOfChannel } from "../../agent/bus.ts";
import type { AgentRuntime } from "../../agent/runtime.ts";
import { parseEvent, USER_CHANNEL_PATTERN } from "../../lib/events.ts";
import type { Logger } from "../../lib/logger.ts";
import type { Redis } from "../../lib/redis.ts";
import { busChannel, parseBus } from "../bus.ts";
import type { Hub } from "../hub.ts";
import type { NodeInvoker } from "../nodes/invoker.ts";
import type { NodePresence } from "../nodes/presence.ts";
import { onUserEvent } from "../user-events.ts";

export interface SubscriptionsDeps {
  instanceId: string;
  subscriber: Redis;
  logger: Logger;
  hub: Hub;
  invoker: NodeInvoker;
  presence: NodePresence;
  agent: AgentRuntime;
}

export async function installSubscriptions(deps: SubscriptionsDeps): Promise<void> {
  const { subscriber, logger, hub, presence, agent } = deps;
  await subscriber.subscribe(busChannel(deps.instanceId));
  await subscriber.psubscribe(USER_CHANNEL_PATTERN, CHAT_CHANNEL_PATTERN);
  subscriber.on("message", (_channel: string, text: string) => {
    onBusMessage(deps, text).catch((error: Error) => logger.error({ err: error.message }, "bus message failed"));
  });
  subscriber.on("pmessage", (pattern: string, channel: string, text: string) => {
    if (pattern === CHAT_CHANNEL_PATTERN) {
      const userId = userOfChannel(channel);
      const message = parseBusMessage(text);
      if (userId && message) agent.onBusMessage(userId, message);
      return;
    }
    const event = parseEvent(text);
    if (event) onUserEvent(event, hub, presence).catch((error: Error) => logger.error({ err: error.message }, "user event failed"));
  });
}

async function onBusMessage(deps: SubscriptionsDeps, text: string): Promise<void> {
  const message = parseBus(text);
  if (!message) return;
  switch (message.t) {
    case "invoke":
      await deps.invoker.answerRelayed(message);
      return;
    case "result":
      deps.invoker.settleRelayed(message.corr, message.outcome);
      return;
    case "replaced":
      deps.hub.closeReplaced(message.userId, message.nodeId, message.connId);
      return;
  }
}
