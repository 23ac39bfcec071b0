// Plan quotas for chat turns. Postgres holds the truth (usage_quotas, written only through
// SECURITY DEFINER functions); Redis holds the counters every gateway instance checks and bumps
// atomically, seeded from Postgres for each period, so two turns sent at once to two instances
// cannot both take the last message. A turn reserves one message before any model call and adds
// its tokens when it ends. The limits are read from Postgres on every turn, never cached: a plan
// change rewrites the current period's limits in place (same period start, so the same counters),
// and the next turn obeys it.
import type pg from "pg";
import { withUser } from "../db/tenant.ts";
import type { Redis } from "../lib/redis.ts";
import { redisKeys } from "../lib/redis-keys.ts";

export interface QuotaPeriod {
  key: string;
  periodEnd: Date;
}

export type Reservation =
  | { ok: true; period: QuotaPeriod | null }
  | { ok: false; quota: "messages" | "tokens"; limit: number; used: number; periodEnd: Date; message: string };

interface QuotaRow {
  period_start: Date;
  period_end: Date;
  messages_limit: number;
  tokens_limit: string;
  messages_used: number;
  tokens_used: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Takes one message from the user's quota, or says why not. No plan at all means no limits. */
export async function reserveTurn(pool: pg.Pool, redis: Redis, userId: string, details: Record<string, unknown>): Promise<Reservation> {
  const row = await withUser(pool, userId, async (tx) =>
    (await tx.query<QuotaRow>("select * from app_hidden.turn_quota()")).rows[0],
  );
  if (!row) return { ok: true, period: null };
  const key = redisKeys.quotaCounter(userId, row.period_start.getTime());
  await redis
    .multi()
    .hsetnx(key, "messages", String(row.messages_used))
    .hsetnx(key, "tokens", String(row.tokens_used))
    .pexpireat(key, row.period_end.getTime() + 60_000)
    .exec();
  const tokensUsed = Number(await redis.hget(key, "tokens"));
  const tokensLimit = Number(row.tokens_limit);
  if (tokensUsed >= tokensLimit) {
    return {
      ok: false, quota: "tokens", limit: tokensLimit, used: tokensUsed, periodEnd: row.period_end,
      message: `Token quota reached: ${tokensUsed} of ${tokensLimit} tokens used this period (renews ${day(row.period_end)}). ` +
        "Upgrade your plan or wait for the next period.",
    };
  }
  const messages = await redis.hincrby(key, "messages", 1);
  if (messages > row.messages_limit) {
    await redis.hincrby(key, "messages", -1);
    return {
      ok: false, quota: "messages", limit: row.messages_limit, used: messages - 1, periodEnd: row.period_end,
      message: `Message quota reached: ${messages - 1} of ${row.messages_limit} messages used this period ` +
        `(renews ${day(row.period_end)}). Upgrade your plan or wait for the next period.`,
    };
  }
  try {
    await withUser(pool, userId, (tx) => tx.query("select app_hidden.record_turn_usage(1, 0, $1)", [details]));
  } catch (error) {
    await redis.hincrby(key, "messages", -1);
    throw error;
  }
  return { ok: true, period: { key, periodEnd: row.period_end } };
}

/** Adds a finished turn's tokens to the counters and the ledger. */
export async function recordTokens(pool: pg.Pool, redis: Redis, userId: string, period: QuotaPeriod | null, tokens: number,
  details: Record<string, unknown>): Promise<void> {
  if (tokens <= 0) return;
  if (period) await redis.hincrby(period.key, "tokens", tokens);
  await withUser(pool, userId, (tx) => tx.query("select app_hidden.record_turn_usage(0, $1, $2)", [tokens, details]));
}
