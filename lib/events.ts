// Change events between processes, over Redis pub/sub. One channel per user:
//   openclaw:user:<userId>   JSON { id, type, userId, subjectId }
// types: persona.changed, skill.installed, skill.updated, skill.removed, device.revoked,
//        node_token.revoked, user.suspended, session.revoked (subjectId: the session id) (from
//        database triggers, relayed by db/events-relay.ts);
//        node.presence (a gateway instance saw one of the user's nodes connect or leave)
// Events carry ids only; a receiver re-reads what it needs under the user's RLS.
import { redisChannels } from "./redis-keys.ts";

export const EVENT_TYPES = [
  "persona.changed",
  "skill.installed",
  "skill.updated",
  "skill.removed",
  "device.revoked",
  "node_token.revoked",
  "user.suspended",
  "session.revoked",
  "node.presence",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export interface PlatformEvent {
  id: string;
  type: EventType;
  userId: string;
  subjectId: string;
}

export const USER_CHANNEL_PATTERN = redisChannels.userPattern;

export function userChannel(userId: string): string {
  return redisChannels.user(userId);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A user, row or request id as the platform makes them (a UUID). */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** Parses and validates an event payload; null for anything malformed. */
export function parseEvent(text: string): PlatformEvent | null {
  try {
    const e = JSON.parse(text) as Partial<PlatformEvent>;
    if (typeof e.id === "string" && UUID.test(e.id) && typeof e.userId === "string" && UUID.test(e.userId) &&
        typeof e.subjectId === "string" && EVENT_TYPES.includes(e.type as EventType)) {
      return { id: e.id, type: e.type as EventType, userId: e.userId, subjectId: e.subjectId };
    }
  } catch {
    // fall through
  }
  return null;
}
