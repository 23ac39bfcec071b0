// Runs once before the suite: the tests' Redis database starts empty (rate-limit counters and
// dedupe keys from an earlier run would otherwise leak into this one).
import { Redis } from "ioredis";

export default async function setup(): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379/1");
  await redis.flushdb();
  await redis.quit();
}
