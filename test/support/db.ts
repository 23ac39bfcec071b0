// Test access to the real test database. Fixtures are written through a superuser connection
// (the one place that is not under RLS, on purpose: it plants rows for the checks to attack);
// everything under test goes through db/ on pools of the real run-time roles.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { createAuthenticatorPool, createPool } from "../../db/pools.ts";
import { loadConfig, withDatabase, databaseName, withRole } from "../../lib/config.ts";

export const config = loadConfig();

/** Superuser on the test database: fixtures and catalog setup only. */
export function rootPool(): pg.Pool {
  return createPool(withDatabase(config.rootDatabaseUrl, databaseName(config.databaseUrl)), { max: 4 });
}

export function authenticatorPool(max = 4): pg.Pool {
  return createAuthenticatorPool(config, { max });
}

export function poolAs(role: string, max = 2): pg.Pool {
  return createPool(withRole(config.databaseUrl, role), { max });
}

/** Creates a user through the real registration function (SECURITY DEFINER, owned by openclaw_auth). */
export async function registerUser(root: pg.Pool, label: string): Promise<string> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.test`;
  const { rows } = await root.query<{ id: string }>("select app_private.register_user($1, $2, $3) as id", [
    email,
    "correct horse battery",
    label,
  ]);
  return rows[0]!.id;
}

/** The SQLSTATE of a rejected promise, or null when it resolved. */
export async function sqlState(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? "no-sqlstate";
  }
}

/** Opens a sign-in for a user directly (as login does) and signs an access token for it with the
 *  API's own key: for tests that must not spend the shared per-IP login limit. */
export async function signedInToken(root: pg.Pool, userId: string, role: "user" | "admin" = "user"): Promise<{ token: string; sessionId: string }> {
  const { rows } = await root.query<{ id: string }>("insert into app_private.sessions (user_id) values ($1) returning id", [userId]);
  const sessionId = rows[0]!.id;
  const { createTokenService } = await import("../../lib/tokens.ts");
  const { token } = await (await createTokenService(config)).sign({ userId, role, sessionId });
  return { token, sessionId };
}
