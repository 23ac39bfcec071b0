// Fixed-window counters in Redis, shared by every API instance.
import type { Redis } from "./redis.ts";

export interface RateLimitResult {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

/** Counts one hit on `key` and says whether it is within `limit` per `windowSeconds`. */
export async function hit(redis: Redis, key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
  const results = await redis.multi().incr(key).expire(key, windowSeconds, "NX").ttl(key).exec();
  const count = Number(results?.[0]?.[1] ?? 0);
  const ttl = Number(results?.[2]?.[1] ?? windowSeconds);
  return { allowed: count <= limit, count, retryAfterSeconds: Math.max(ttl, 1) };
}

/** The current count without counting a hit. */
export async function peek(redis: Redis, key: string): Promise<number> {
  return Number((await redis.get(key)) ?? 0);
}

export async function reset(redis: Redis, key: string): Promise<void> {
  await redis.del(key);
}
