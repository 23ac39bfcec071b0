// scripts/setup.ts (what `npm start`, `npm test` and `npm run migrate` run first): creates the
// database and applies the migrations; a second run changes nothing; failures say what to do.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT_DIR, withDatabase } from "../lib/config.ts";
import { config } from "./support/db.ts";

const database = `openclaw_bootstrap_${process.pid}`;
const url = withDatabase(config.databaseUrl, database);

function setup(env: Record<string, string>, ...args: string[]) {
  const started = Date.now();
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT_DIR, "scripts", "setup.ts"), ...args], {
    cwd: ROOT_DIR,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { status: result.status, stderr: result.stderr, ms: Date.now() - started };
}

/** A fingerprint of everything the setup creates, with oids so a drop-and-recreate shows up too. */
async function fingerprint(): Promise<string> {
  const c = new pg.Client({ connectionString: withDatabase(config.rootDatabaseUrl, database) });
  await c.connect();
  try {
    const { rows } = await c.query<{ line: string }>(`
      select format('class %s %s %s %s %s %s', c.oid, c.oid::regclass, c.relkind, c.relacl, c.relrowsecurity, c.relforcerowsecurity) as line
        from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
      union all select format('attr %s %s %s %s', a.attrelid, a.attname, a.atttypid, a.attacl)
        from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname like 'app\\_%' and a.attnum > 0
      union all select format('policy %s %s %s %s', p.oid, p.polname, (select array_agg(r order by r) from unnest(p.polroles) r), pg_get_expr(p.polqual, p.polrelid))
        from pg_policy p
      union all select format('proc %s %s %s %s %s', p.oid, p.oid::regprocedure, md5(p.prosrc), p.proacl, p.proconfig)
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname not in ('pg_catalog', 'information_schema')
      union all select format('schema %s %s %s', oid, nspname, nspacl) from pg_namespace
      union all select format('database %s', datacl) from pg_database where datname = current_database()
      union all select format('defacl %s', defaclacl) from pg_default_acl
      union all select format('extension %s %s', extname, extversion) from pg_extension`);
    return createHash("sha256").update(rows.map((r) => r.line).sort().join("\n")).digest("hex");
  } finally {
    await c.end();
  }
}

afterAll(async () => {
  const root = new pg.Client({ connectionString: config.rootDatabaseUrl });
  await root.connect();
  await root.query(`drop database if exists ${database} with (force)`);
  await root.end();
});

describe("bootstrap", () => {
  it("creates and migrates a missing database, then a second run changes nothing", async () => {
    const first = setup({ DATABASE_URL: url }, "--migrate-only");
    expect(first.stderr).toContain(`creating database ${database}`);
    expect(first.status).toBe(0);
    const before = await fingerprint();
    const { rows } = await (async () => {
      const c = new pg.Client({ connectionString: withDatabase(config.rootDatabaseUrl, database) });
      await c.connect();
      try {
        return await c.query("select count(*)::int as n from graphile_migrate.migrations");
      } finally {
        await c.end();
      }
    })();
    expect(rows[0].n).toBeGreaterThanOrEqual(7);

    const second = setup({ DATABASE_URL: url }, "--migrate-only");
    expect(second.status).toBe(0);
    expect(second.stderr).not.toContain("creating database");
    expect(second.stderr).not.toContain("Running migration");
    expect(await fingerprint()).toBe(before);
  });

  it("fails with a clear message when the database server cannot be reached", () => {
    const result = setup({ ROOT_DATABASE_URL: "postgres://postgres@127.0.0.2:5999/postgres", DATABASE_URL: url });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/setup: cannot connect to PostgreSQL at 127\.0\.0\.2/);
  });
});
