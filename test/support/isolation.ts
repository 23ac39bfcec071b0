// Catalog-driven tenant isolation audit. For every table and view that pg_catalog lists in the
// given schemas, with rows of users A and B present, it attacks A's rows as user B and as
// anonymous through the real tenant-context helper (db/tenant.ts) on the authenticator pool:
// SELECT, UPDATE and DELETE must touch none of A's rows and INSERT of a row owned by A must be
// refused. Positive controls (B reads, inserts, updates, deletes its own rows where granted) make
// a deny-everything table (RLS with no policy) fail too. Policy-layer checks temporarily grant the
// owner column (rolled back) to prove the WITH CHECK clauses hold even if a grant is widened.
// Returns findings (empty = isolated); every check runs in a transaction that is rolled back.
import type pg from "pg";
import { withAnonymous, withUser, type Tx } from "../../db/tenant.ts";
import { ROLES } from "../../lib/config.ts";
import type { FixtureContext, TableFixture } from "./tenant-fixtures.ts";
import { registerUser } from "./db.ts";

export interface IsolationReport {
  relations: string[];
  checks: number;
  findings: string[];
}

interface Relation {
  name: string;
  kind: string;
}

const ROLLBACK = new Error("rollback");
const ident = (name: string) => name.split(".").map((p) => `"${p.replace(/"/g, '""')}"`).join(".");

class Seeder {
  private n = 1000 + Math.floor(Math.random() * 1_000_000);
  private cache = new Map<string, string>();
  constructor(private root: pg.Pool, private fixtures: Record<string, TableFixture>) {}

  next(): number {
    return this.n++;
  }

  fixture(table: string): TableFixture {
    const f = this.fixtures[table];
    if (!f) throw new Error(`no fixture for ${table} (needed as a parent)`);
    return f;
  }

  /** Context whose ref() resolves parents of `refOwner` (which may differ from the row's owner). */
  /** Context whose parents belong to `refOwner` (which may differ from the row's owner);
   *  `tenantRefs` collects the ids of tenant-owned parents handed out. */
  context(userId: string | null, refOwner: string | null, tenantRefs?: Set<string>): FixtureContext {
    const parent = async (table: string, fresh: boolean) => {
      const f = this.fixture(table);
      const owner = f.kind === "tenant" ? refOwner : null;
      const id = fresh ? await this.insert(table, owner) : await this.cached(table, owner);
      if (f.kind === "tenant") tenantRefs?.add(id);
      return id;
    };
    return { userId, n: this.next(), ref: (table) => parent(table, false), create: (table) => parent(table, true) };
  }

  async cached(table: string, owner: string | null): Promise<string> {
    const k = `${table}|${owner}`;
    let id = this.cache.get(k);
    if (!id) {
      id = await this.insert(table, owner);
      this.cache.set(k, id);
    }
    return id;
  }

  /** Inserts a fresh fixture row as the superuser and returns its key. */
  async insert(table: string, owner: string | null): Promise<string> {
    const f = this.fixture(table);
    const ctx = this.context(owner, owner);
    if (f.existing) return f.existing(ctx);
    const row = await f.row(ctx);
    const cols = Object.keys(row);
    const sql = `insert into ${ident(table)} (${cols.map((c) => `"${c}"`).join(", ")}) values (${cols
      .map((_, i) => `$${i + 1}`)
      .join(", ")}) returning "${f.key ?? "id"}"::text as key`;
    const { rows } = await this.root.query<{ key: string }>(sql, cols.map((c) => row[c]));
    return rows[0]!.key;
  }
}

/** Writable columns (not identity or generated), optionally only those `role` holds `privilege` on. */
async function columnsWith(root: pg.Pool, table: string, role: string | null, privilege: "INSERT" | "UPDATE"): Promise<string[]> {
  const { rows } = await root.query<{ attname: string }>(
    `select a.attname from pg_attribute a
     where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped
       and a.attidentity = '' and a.attgenerated = ''
       and ($2::text is null or has_column_privilege($2, a.attrelid, a.attnum, $3))
     order by a.attnum`,
    [table, role, privilege],
  );
  return rows.map((r) => r.attname);
}

async function tableGrants(root: pg.Pool, table: string, role: string) {
  const { rows } = await root.query<{ ins: boolean; del: boolean }>(
    "select has_any_column_privilege($2, $1::regclass, 'INSERT') as ins, has_table_privilege($2, $1::regclass, 'DELETE') as del",
    [table, role],
  );
  return rows[0]!;
}

function insertSql(table: string, row: Record<string, unknown>) {
  const cols = Object.keys(row);
  if (cols.length === 0) return { text: `insert into ${ident(table)} default values`, values: [] };
  return {
    text: `insert into ${ident(table)} (${cols.map((c) => `"${c}"`).join(", ")}) values (${cols
      .map((_, i) => `$${i + 1}`)
      .join(", ")})`,
    values: cols.map((c) => row[c]),
  };
}

function pick(row: Record<string, unknown>, cols: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([c]) => cols.includes(c)));
}

type Outcome = { ok: true; rowCount: number; value?: number } | { ok: false; code: string; message: string };

export async function auditIsolation(opts: {
  schemas: readonly string[];
  fixtures: Record<string, TableFixture>;
  root: pg.Pool;
  app: pg.Pool;
}): Promise<IsolationReport> {
  const { root, app, fixtures } = opts;
  const findings: string[] = [];
  let checks = 0;
  const { rows: relations } = await root.query<Relation>(
    `select n.nspname || '.' || c.relname as name, c.relkind::text as kind
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'f')
     order by c.relkind in ('v', 'm'), 1`,
    [opts.schemas],
  );
  const userA = await registerUser(root, "isolation-a");
  const userB = await registerUser(root, "isolation-b");
  const seeder = new Seeder(root, fixtures);

  /** Runs fn in the actor's context and always rolls back; reports the outcome instead of throwing. */
  async function attempt(actor: "user" | "anonymous", fn: (tx: Tx) => Promise<pg.QueryResult>): Promise<Outcome> {
    checks++;
    let outcome: Outcome | undefined;
    const body = async (tx: Tx) => {
      const r = await fn(tx);
      outcome = { ok: true, rowCount: r.rowCount ?? 0, value: r.rows[0]?.n as number | undefined };
      throw ROLLBACK;
    };
    try {
      await (actor === "user" ? withUser(app, userB, body) : withAnonymous(app, body));
    } catch (error) {
      if (error !== ROLLBACK) {
        const e = error as { code?: string; message?: string };
        outcome = { ok: false, code: e.code ?? "?", message: e.message ?? String(error) };
      }
    }
    return outcome!;
  }

  /** As a superuser: grant `grant` to the user role inside a transaction, act as B, roll back. */
  async function attemptWithGrant(grant: string, text: string, values: unknown[]): Promise<Outcome> {
    checks++;
    const client = await root.connect();
    try {
      await client.query("begin");
      await client.query(grant);
      await client.query("select set_config('role', $1, true), set_config('app.user_id', $2, true)", [ROLES.user, userB]);
      const r = await client.query(text, values);
      return { ok: true, rowCount: r.rowCount ?? 0 };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      return { ok: false, code: e.code ?? "?", message: e.message ?? String(error) };
    } finally {
      await client.query("rollback").catch(() => undefined);
      client.release();
    }
  }

  const denied = (o: Outcome) => !o.ok && o.code === "42501";

  for (const rel of relations) {
    const f = fixtures[rel.name];
    if (!f) {
      findings.push(`${rel.name}: no isolation fixture (add one to test/support/tenant-fixtures.ts)`);
      continue;
    }
    const key = f.key ?? "id";
    const owner = f.owner ?? "user_id";
    const isView = rel.kind === "v" || rel.kind === "m";
    const T = ident(rel.name);
    try {
      if (isView) {
        // Views: rows come from their base tables' fixtures; B must see none of A's, some of its own.
        for (const actor of ["user", "anonymous"] as const) {
          const o = await attempt(actor, (tx) => tx.query(`select count(*)::int as n from ${T} where "${owner}" = $1`, [userA]));
          if (o.ok && (o.value ?? 0) > 0) findings.push(`${rel.name}: ${actor} reads A's rows through the view`);
        }
        const own = await attempt("user", (tx) => tx.query(`select count(*)::int as n from ${T} where "${owner}" = $1`, [userB]));
        if (!own.ok || (own.value ?? 0) === 0) findings.push(`${rel.name}: B cannot read its own rows through the view`);
        continue;
      }

      const tenant = f.kind === "tenant";
      const keyA = await seeder.insert(rel.name, tenant ? userA : null);
      const keyB = tenant ? await seeder.insert(rel.name, userB) : null;

      for (const actor of ["user", "anonymous"] as const) {
        const who = actor === "user" ? "user B" : "anonymous";
        const roleName = actor === "user" ? ROLES.user : ROLES.anonymous;

        const read = await attempt(actor, (tx) => tx.query(`select count(*)::int as n from ${T} where "${key}"::text = $1`, [keyA]));
        if (!read.ok && read.code !== "42501") findings.push(`${rel.name}: ${who} SELECT failed oddly: ${read.message}`);
        if (read.ok && (read.value ?? 0) > 0 && !(f.kind === "global" && f.public)) {
          findings.push(`${rel.name}: ${who} can read ${tenant ? "A's" : "a non-public"} row`);
        }

        const updatable = await columnsWith(root, rel.name, roleName, "UPDATE");
        const col = updatable[0] ?? (await columnsWith(root, rel.name, null, "UPDATE"))[0]!;
        const upd = await attempt(actor, (tx) => tx.query(`update ${T} set "${col}" = "${col}" where "${key}"::text = $1`, [keyA]));
        if (upd.ok && upd.rowCount > 0) findings.push(`${rel.name}: ${who} can update ${tenant ? "A's" : "a shared"} row`);
        if (!upd.ok && !denied(upd)) findings.push(`${rel.name}: ${who} UPDATE failed oddly: ${upd.message}`);

        const del = await attempt(actor, (tx) => tx.query(`delete from ${T} where "${key}"::text = $1`, [keyA]));
        if (del.ok && del.rowCount > 0) findings.push(`${rel.name}: ${who} can delete ${tenant ? "A's" : "a shared"} row`);
        if (!del.ok && !denied(del)) findings.push(`${rel.name}: ${who} DELETE failed oddly: ${del.message}`);

        // INSERT a row owned by A (or a shared row): the role's insertable columns plus the owner column.
        const insertable = await columnsWith(root, rel.name, roleName, "INSERT");
        const rowA = await f.row(seeder.context(tenant ? userA : null, tenant ? userA : null));
        const ins = await attempt(actor, (tx) => {
          const q = insertSql(rel.name, pick(rowA, tenant ? [...insertable, owner] : Object.keys(rowA)));
          return tx.query(q.text, q.values);
        });
        if (ins.ok) findings.push(`${rel.name}: ${who} can insert a row ${tenant ? "owned by A" : "into a shared table"}`);
        else if (!denied(ins)) findings.push(`${rel.name}: ${who} INSERT refused for another reason (${ins.code}): ${ins.message}`);

        if (actor === "user" && tenant) {
          // B's own row, but hung under A's parent rows (foreign keys do not see RLS), by insert
          // and by re-pointing B's existing row.
          const refs = new Set<string>();
          const rowAttach = await f.row(seeder.context(userB, userA, refs));
          const refColumns = Object.keys(rowAttach).filter((c) => refs.has(rowAttach[c] as string));
          const refused = (o: Outcome) => !o.ok && ["42501", "23503"].includes(o.code);
          if (refColumns.some((c) => insertable.includes(c))) {
            const att = await attempt("user", (tx) => {
              const q = insertSql(rel.name, pick(rowAttach, insertable));
              return tx.query(q.text, q.values);
            });
            if (!refused(att)) findings.push(`${rel.name}: B can insert a row under A's ${refColumns.join(", ")} (${att.ok ? "inserted" : att.message})`);
          }
          for (const c of refColumns.filter((c) => updatable.includes(c))) {
            const att = await attempt("user", (tx) => tx.query(`update ${T} set "${c}" = $1 where "${key}"::text = $2`, [rowAttach[c], keyB]));
            if (!refused(att)) findings.push(`${rel.name}: B can point its row's ${c} at A's row (${att.ok ? "updated" : att.message})`);
          }
        }
      }

      if (f.kind !== "tenant" || keyB === null) continue;

      // Positive controls: B works with its own rows wherever it is granted to.
      const own = await attempt("user", (tx) => tx.query(`select count(*)::int as n from ${T} where "${key}"::text = $1`, [keyB]));
      if (!own.ok || own.value !== 1) findings.push(`${rel.name}: B cannot read its own row (missing policy or grant?)`);

      const grants = await tableGrants(root, rel.name, ROLES.user);
      if (grants.ins) {
        const insertable = await columnsWith(root, rel.name, ROLES.user, "INSERT");
        const rowB = pick(await f.row(seeder.context(userB, userB)), insertable);
        const mine = await attempt("user", async (tx) => {
          if (f.singleton) await tx.query(`delete from ${T} where "${key}"::text = $1`, [keyB]);
          const q = insertSql(rel.name, rowB);
          return tx.query(q.text, q.values);
        });
        if (!mine.ok || mine.rowCount !== 1) {
          findings.push(`${rel.name}: B cannot insert its own row: ${mine.ok ? "0 rows" : mine.message}`);
        }
      }
      const updatable = await columnsWith(root, rel.name, ROLES.user, "UPDATE");
      if (updatable.length > 0) {
        const patch = Object.entries(f.ownUpdate ?? { [updatable[0]!]: null });
        const set = patch.map(([c], i) => (f.ownUpdate ? `"${c}" = $${i + 2}` : `"${c}" = "${c}"`)).join(", ");
        const values = f.ownUpdate ? patch.map(([, v]) => v) : [];
        const o = await attempt("user", (tx) => tx.query(`update ${T} set ${set} where "${key}"::text = $1`, [keyB, ...values]));
        if (!o.ok || o.rowCount !== 1) findings.push(`${rel.name}: B cannot update its own row: ${o.ok ? "0 rows" : o.message}`);
      }
      if (grants.del) {
        const o = await attempt("user", (tx) => tx.query(`delete from ${T} where "${key}"::text = $1`, [keyB]));
        if (!o.ok || o.rowCount !== 1) findings.push(`${rel.name}: B cannot delete its own row: ${o.ok ? "0 rows" : o.message}`);
      }

      // Policy layer, independent of column grants: even with the owner column granted,
      // B can neither insert a row owned by A nor move its own row to A.
      const rowOwnedByA = await f.row(seeder.context(userA, userB));
      const cols = Object.keys(rowOwnedByA);
      const q = insertSql(rel.name, rowOwnedByA);
      const forged = await attemptWithGrant(`grant insert (${cols.map((c) => `"${c}"`).join(", ")}) on ${T} to ${ROLES.user}`, q.text, q.values);
      if (forged.ok || !/row-level security/.test(forged.message)) {
        findings.push(`${rel.name}: the insert policy does not stop B inserting a row owned by A (${forged.ok ? "inserted" : forged.message})`);
      }
      const moved = await attemptWithGrant(
        `grant select, update ("${owner}") on ${T} to ${ROLES.user}`,
        `update ${T} set "${owner}" = $1 where "${key}"::text = $2`,
        [userA, keyB],
      );
      if (moved.ok ? moved.rowCount > 0 : !/row-level security/.test(moved.message)) {
        findings.push(`${rel.name}: the update policy does not stop B giving its row to A (${moved.ok ? "updated" : moved.message})`);
      }
    } catch (error) {
      findings.push(`${rel.name}: the audit itself failed: ${(error as Error).message}`);
    }
  }
  return { relations: relations.map((r) => r.name), checks, findings };
}
