// Every job carries the id of the user it works for, and every task body runs inside db/'s tenant
// context for that user: row-level security applies to the worker exactly as to the API.
import type pg from "pg";
import { withUser, type Tx } from "../db/tenant.ts";
import { isUuid } from "../lib/events.ts";


/** Which run of its job a task body is in: on the last one, a task that cannot finish should say so
 *  on the row it works for (rather than leave it waiting forever) before the error ends the job. */
export interface Attempt {
  last: boolean;
}

/** A payload we cannot act on: retrying would not help, so the job fails permanently. */
export class BadPayloadError extends Error {}

export interface UserJob<P> {
  userId: string;
  payload: P;
  /** One transaction as the job's user. */
  asUser<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

/** Reads `user_id` and the listed uuid fields from a payload. */
export function userJob<K extends string>(pool: pg.Pool, raw: unknown, uuidFields: readonly K[]): UserJob<Record<K, string>> {
  const p = (raw ?? {}) as Record<string, unknown>;
  const userId = p.user_id;
  if (typeof userId !== "string" || !isUuid(userId)) throw new BadPayloadError("job payload has no valid user_id");
  const payload = {} as Record<K, string>;
  for (const field of uuidFields) {
    const value = p[field];
    if (typeof value !== "string" || !isUuid(value)) throw new BadPayloadError(`job payload has no valid ${field}`);
    payload[field] = value;
  }
  return { userId, payload, asUser: (fn) => withUser(pool, userId, fn) };
}
