// The one way run-time code touches tenant data. Each call is one transaction on a pooled
// connection of a login role (authenticator or worker) that:
//   begin → set_config('role', …, true) + set_config('app.user_id', …, true) → fn → commit/rollback
// Both settings are transaction-local, so a connection goes back to the pool with no identity,
// and row-level security in Postgres decides what the statements inside can see and change.
import type pg from "pg";
import { ROLES } from "../lib/config.ts";
import { isUuid } from "../lib/events.ts";

// Statements that would end the transaction or change identity beyond it are refused: inside
// the helper, identity belongs to the helper.
const FORBIDDEN = /^\s*(begin|start\s+transaction|commit|end|rollback|abort|prepare\s+transaction|set\s+(session\s+)?(role|session\s+authorization)|reset\s+(role|all|session)|discard)\b/i;

export type DbRole = "anonymous" | "user" | "admin";

export interface Tx {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export class TenantContextError extends Error {
  readonly code = "TENANT_CONTEXT";
}

function roleName(role: DbRole): string {
  return role === "anonymous" ? ROLES.anonymous : role === "admin" ? ROLES.admin : ROLES.user;
}

async function inContext<T>(pool: pg.Pool, role: DbRole, userId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (role !== "anonymous" && (typeof userId !== "string" || !isUuid(userId))) {
    throw new TenantContextError(`a ${role} context needs a user id (uuid), got ${JSON.stringify(userId)}`);
  }
  const client = await pool.connect();
  // A connection that dies while checked out emits 'error' as well as failing the query; the
  // failed query is what the caller sees, the event must not crash the process.
  const swallow = () => undefined;
  client.on("error", swallow);
  const release = (destroy = false) => {
    client.off("error", swallow);
    client.release(destroy);
  };
  let open = false;
  const tx: Tx = {
    query(text, values) {
      if (!open) return Promise.reject(new TenantContextError("this transaction has already ended"));
      if (FORBIDDEN.test(text)) {
        return Promise.reject(new TenantContextError("transaction control and role changes are not allowed inside a tenant context"));
      }
      return client.query(text, values);
    },
  };
  try {
    await client.query("begin");
    open = true;
    await client.query("select set_config('role', $1, true), set_config('app.user_id', $2, true)", [roleName(role), userId ?? ""]);
    const result = await fn(tx);
    open = false;
    await client.query("commit");
    release();
    return result;
  } catch (error) {
    open = false;
    try {
      await client.query("rollback");
      release();
    } catch {
      // The connection is unusable (e.g. it was killed): destroy it rather than pool it.
      release(true);
    }
    throw error;
  }
}

/** Runs fn as the signed-in user: RLS shows and changes only that user's rows. */
export function withUser<T>(pool: pg.Pool, userId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inContext(pool, "user", userId, fn);
}

/** Runs fn as an admin (a user with the admin role's extra policies). Call only for a verified admin. */
export function withAdmin<T>(pool: pg.Pool, adminUserId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inContext(pool, "admin", adminUserId, fn);
}

/** Runs fn with no identity (public data only). */
export function withAnonymous<T>(pool: pg.Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inContext(pool, "anonymous", null, fn);
}
