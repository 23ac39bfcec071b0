// Gateway presence in Redis: every gateway instance refreshes one key with its connection counts
// (a few times per TTL); an instance that stops refreshing drops out when its key expires.
//   openclaw:gateway:<instanceId>   JSON GatewayPresence, EX ttl
import type { Redis } from "./redis.ts";
import { redisKeys } from "./redis-keys.ts";

export interface GatewayPresence {
  instanceId: string;
  startedAt: string;
  updatedAt: string;
  devices: number;
  operators: number;
  users: number;
}

const PREFIX = redisKeys.gatewayPresencePrefix;

export async function publishGatewayPresence(redis: Redis, presence: GatewayPresence, ttlSeconds = 30): Promise<void> {
  await redis.set(`${PREFIX}${presence.instanceId}`, JSON.stringify(presence), "EX", ttlSeconds);
}

export async function readGatewayPresence(redis: Redis): Promise<GatewayPresence[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", `${PREFIX}*`, "COUNT", 200);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== "0");
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  return values
    .flatMap((v) => {
      try {
        return v ? [JSON.parse(v) as GatewayPresence] : [];
      } catch {
        return [];
      }
    })
    .sort((a, b) => a.instanceId.localeCompare(b.instanceId));
}
