// Relays the database's change events (NOTIFY openclaw_events, sent at commit by triggers) to
// Redis, where gateways subscribe. Every API and gateway instance relays; a Redis SET NX on the event id
// makes sure each event is published once however many instances heard it.
import pg from "pg";
import type { Logger } from "../lib/logger.ts";
import { parseEvent, userChannel } from "../lib/events.ts";
import type { Redis } from "../lib/redis.ts";
import { redisKeys } from "../lib/redis-keys.ts";

export interface EventsRelay {
  close(): Promise<void>;
}

export async function startEventsRelay(connectionString: string, redis: Redis, logger: Logger): Promise<EventsRelay> {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  async function relay(payload: string | undefined): Promise<void> {
    const event = payload ? parseEvent(payload) : null;
    if (!event) {
      logger.warn("ignored a malformed event notification");
      return;
    }
    const first = await redis.set(redisKeys.eventSeen(event.id), "1", "EX", 300, "NX");
    if (first === "OK") await redis.publish(userChannel(event.userId), JSON.stringify(event));
  }

  async function connect(delayMs: number): Promise<void> {
    if (closed) return;
    const c = new pg.Client({ connectionString, application_name: "openclaw-events-relay" });
    c.on("notification", (n) => {
      relay(n.payload).catch((error: Error) => logger.error({ err: error.message }, "could not relay an event"));
    });
    c.on("error", (error) => {
      logger.warn({ err: error.message }, "event listener connection lost; reconnecting");
      c.end().catch(() => undefined);
      if (client === c) client = null;
      retry = setTimeout(() => void connect(Math.min(delayMs * 2, 10_000)), delayMs);
    });
    try {
      await c.connect();
      await c.query("listen openclaw_events");
      client = c;
    } catch (error) {
      logger.warn({ err: (error as Error).message }, "event listener could not connect; retrying");
      c.end().catch(() => undefined);
      retry = setTimeout(() => void connect(Math.min(delayMs * 2, 10_000)), delayMs);
    }
  }

  await connect(500);
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
