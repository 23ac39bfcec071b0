// db/tenant.ts on a pool of two authenticator connections: identity never leaks between calls.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TenantContextError, withAdmin, withAnonymous, withUser } from "../db/tenant.ts";
import { ROLES } from "../lib/config.ts";
import { authenticatorPool, registerUser, rootPool, sqlState } from "./support/db.ts";

const root = rootPool();
const app = authenticatorPool(2);
const users: string[] = [];
const ROWS_PER_USER = [3, 5, 7];

beforeAll(async () => {
  for (const [i, count] of ROWS_PER_USER.entries()) {
    const id = await registerUser(root, `pool-${i}`);
    users.push(id);
    for (let k = 0; k < count; k++) {
      await root.query("insert into app_public.conversations (user_id, session_key) values ($1, $2)", [id, `s${k}`]);
    }
  }
});

afterAll(async () => {
  await Promise.all([root.end(), app.end()]);
});

describe("withUser on a shared pool", () => {
  it("many interleaved calls for different users each see only their own rows", async () => {
    const calls = Array.from({ length: 300 }, (_, i) => {
      const who = i % users.length;
      return withUser(app, users[who]!, async (tx) => {
        const first = await tx.query<{ me: string; role: string }>(
          "select current_setting('app.user_id') as me, current_user as role",
        );
        // Yield inside the transaction so other calls queue up behind the two connections.
        await tx.query("select pg_sleep($1)", [(i % 5) / 1000]);
        const rows = await tx.query<{ user_id: string }>("select user_id from app_public.conversations");
        if (i % 7 === 0) throw new Error(`planned failure ${i}`);
        return { who, me: first.rows[0]!.me, role: first.rows[0]!.role, owners: rows.rows.map((r) => r.user_id) };
      }).catch((error: Error) => ({ who, failed: error.message }));
    });
    const results = await Promise.all(calls);
    let succeeded = 0;
    for (const r of results) {
      if ("failed" in r) {
        expect(r.failed).toMatch(/^planned failure/);
        continue;
      }
      succeeded++;
      expect(r.me).toBe(users[r.who]);
      expect(r.role).toBe(ROLES.user);
      expect(r.owners).toHaveLength(ROWS_PER_USER[r.who]!);
      expect(new Set(r.owners)).toEqual(new Set([users[r.who]]));
    }
    expect(succeeded).toBeGreaterThan(200);
    expect(app.totalCount).toBeLessThanOrEqual(2);
  });

  it("a connection used after withUser carries no identity and no privileges", async () => {
    await withUser(app, users[0]!, (tx) => tx.query("select 1"));
    await withAdmin(app, users[1]!, (tx) => tx.query("select 1"));
    await withUser(app, users[2]!, () => Promise.reject(new Error("boom"))).catch(() => undefined);
    for (let i = 0; i < 2; i++) {
      const clients = await Promise.all([app.connect(), app.connect()]);
      for (const client of clients) {
        const { rows } = await client.query("select current_user as role, coalesce(current_setting('app.user_id', true), '') as me");
        expect(rows[0]).toEqual({ role: ROLES.authenticator, me: "" });
        expect(await sqlState(client.query("select count(*) from app_public.conversations"))).toBe("42501");
      }
      clients.forEach((c) => c.release());
    }
  });

  it("anonymous sees no tenant rows and an admin sees everyone's", async () => {
    expect(await sqlState(withAnonymous(app, (tx) => tx.query("select * from app_public.conversations")))).toBe("42501");
    const all = await withAdmin(app, users[0]!, (tx) =>
      tx.query<{ n: number }>("select count(*)::int as n from app_public.conversations where user_id = any($1)", [users]),
    );
    expect(all.rows[0]!.n).toBe(ROWS_PER_USER.reduce((a, b) => a + b));
  });

  it("refuses a missing or malformed user id and statements that would escape the transaction", async () => {
    await expect(withUser(app, "not-a-uuid", async () => 1)).rejects.toBeInstanceOf(TenantContextError);
    await expect(withUser(app, "", async () => 1)).rejects.toBeInstanceOf(TenantContextError);
    for (const statement of ["commit", "ROLLBACK", "set role openclaw_admin", "set session role openclaw_admin", "reset role", "begin"]) {
      await expect(withUser(app, users[0]!, (tx) => tx.query(statement))).rejects.toBeInstanceOf(TenantContextError);
    }
  });

  it("survives a connection killed mid-transaction: the call fails, nothing is committed, the pool recovers", async () => {
    const marker = `killed-${Date.now()}`;
    const failed = withUser(app, users[0]!, async (tx) => {
      await tx.query("insert into app_public.conversations (session_key) values ($1)", [marker]);
      const { rows } = await tx.query<{ pid: number }>("select pg_backend_pid() as pid");
      await root.query("select pg_terminate_backend($1)", [rows[0]!.pid]);
      await tx.query("select 1");
    });
    await expect(failed).rejects.toThrow();
    const { rows } = await root.query("select count(*)::int as n from app_public.conversations where session_key = $1", [marker]);
    expect(rows[0]!.n).toBe(0);
    const after = await withUser(app, users[0]!, (tx) => tx.query<{ n: number }>("select count(*)::int as n from app_public.conversations"));
    expect(after.rows[0]!.n).toBe(ROWS_PER_USER[0]);
  });
});
