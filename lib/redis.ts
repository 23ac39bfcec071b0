// The one Redis connection factory (ioredis). Processes make a command connection and, when they
// subscribe, a second one (a subscribed connection cannot run other commands).
import { Redis } from "ioredis";
import type { Config } from "./config.ts";

export type { Redis };

export function createRedis(config: Pick<Config, "redisUrl">, name: string): Redis {
  return new Redis(config.redisUrl, {
    connectionName: name,
    // Fail commands fast while Redis is down instead of queueing them forever.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
}
