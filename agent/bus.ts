// The agent's traffic between gateway instances, over Redis pub/sub, one channel per user:
//   openclaw:chat:<userId>   JSON ChatBusMessage
// A run streams its events here, wherever it runs, and every instance hands them to its own
// connections of that user, and to no one else. Aborts and approval decisions travel the same
// way to whichever instance holds the run.
import { isUuid } from "../lib/events.ts";
import type { Redis } from "../lib/redis.ts";
import { redisChannels } from "../lib/redis-keys.ts";

export const CHAT_CHANNEL_PATTERN = redisChannels.chatPattern;
export const chatChannel = redisChannels.chat;

/** Events an operator connection receives from the agent. */
export type AgentEventName = "chat" | "exec.approval.requested" | "exec.approval.resolved";
export const AGENT_EVENTS: readonly AgentEventName[] = ["chat", "exec.approval.requested", "exec.approval.resolved"];

export type ChatBusMessage =
  | { t: "event"; event: AgentEventName; payload: Record<string, unknown> }
  | { t: "abort"; sessionKey: string; runId: string | null }
  | { t: "approval"; id: string; approved: boolean; decidedBy: string };

/** Hands an agent event to the user's connections on every instance; never throws (a lost event is logged). */
export type EmitAgentEvent = (userId: string, event: AgentEventName, payload: Record<string, unknown>) => void;

export async function publishChat(redis: Redis, userId: string, message: ChatBusMessage): Promise<void> {
  await redis.publish(chatChannel(userId), JSON.stringify(message));
}

/** The user id in a chat channel name, or null for anything else. */
export function userOfChannel(channel: string): string | null {
  const id = channel.slice(redisChannels.chatPrefix.length);
  return channel.startsWith(redisChannels.chatPrefix) && isUuid(id) ? id : null;
}

export function parseBusMessage(text: string): ChatBusMessage | null {
  try {
    const m = JSON.parse(text) as ChatBusMessage;
    if (m && typeof m === "object" && (m.t === "event" || m.t === "abort" || m.t === "approval")) return m;
  } catch {
    // fall through
  }
  return null;
}
