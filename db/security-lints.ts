// Security lints over pg_catalog (in the spirit of Supabase's database advisors). Each returns
// the objects that break one rule of the tenancy model; an empty list means the rule holds.
// Run by the test suite over the real schemas and shown to fire on deliberately bad objects.
import type pg from "pg";

export interface LintTarget {
  /** Schemas the API exposes (every table: RLS enabled and forced). */
  exposedSchemas: readonly string[];
  /** All schemas of the application (for policy-less tables and SECURITY DEFINER functions). */
  appSchemas: readonly string[];
  privateSchema: string;
  /** Roles a running process uses; none may reach the private schema. */
  runtimeRoles: readonly string[];
  authenticator: string;
  owner: string;
}

export interface LintFinding {
  lint: string;
  object: string;
  detail: string;
}

type Queryable = Pick<pg.Pool, "query">;

const lints: Record<string, (db: Queryable, t: LintTarget) => Promise<LintFinding[]>> = {
  async rls_not_forced(db, t) {
    const { rows } = await db.query(
      `select n.nspname || '.' || c.relname as object, c.relkind::text as kind, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = any($1) and c.relkind in ('r', 'p', 'm', 'f')
         and (c.relkind in ('m', 'f') or not c.relrowsecurity or not c.relforcerowsecurity)`,
      [t.exposedSchemas],
    );
    return rows.map((r) => ({
      lint: "rls_not_forced",
      object: r.object,
      detail: r.kind === "m" || r.kind === "f" ? "materialized views and foreign tables cannot have RLS; do not expose them"
        : !r.enabled ? "row level security is disabled" : "row level security is enabled but not forced",
    }));
  },

  async rls_without_policy(db, t) {
    const { rows } = await db.query(
      `select n.nspname || '.' || c.relname as object
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = any($1) and c.relkind in ('r', 'p') and c.relrowsecurity
         and not exists (select 1 from pg_policy p where p.polrelid = c.oid)`,
      [t.appSchemas],
    );
    return rows.map((r) => ({ lint: "rls_without_policy", object: r.object, detail: "row level security with no policy denies everyone; say who may do what" }));
  },

  async definer_without_search_path(db, t) {
    const { rows } = await db.query(
      `select p.oid::regprocedure::text as object
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = any($1) and p.prosecdef
         and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search\\_path=%')
         and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')`,
      [t.appSchemas],
    );
    return rows.map((r) => ({ lint: "definer_without_search_path", object: r.object, detail: "SECURITY DEFINER function without a pinned search_path" }));
  },

  async view_without_security_invoker(db, t) {
    // Views that read a table with row level security but run as their owner bypass it.
    const { rows } = await db.query(
      `select distinct v.oid::regclass::text as object
       from pg_class v join pg_namespace n on n.oid = v.relnamespace
       join pg_rewrite rw on rw.ev_class = v.oid
       join pg_depend d on d.objid = rw.oid and d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass
       join pg_class base on base.oid = d.refobjid and base.oid <> v.oid
       where n.nspname = any($1) and v.relkind = 'v' and base.relrowsecurity
         and not coalesce((select option_value::boolean from pg_options_to_table(v.reloptions) where option_name = 'security_invoker'), false)`,
      [t.appSchemas],
    );
    return rows.map((r) => ({ lint: "view_without_security_invoker", object: r.object, detail: "view over row-level-secured data without security_invoker = true" }));
  },

  async private_schema_reachable(db, t) {
    const { rows } = await db.query(
      `select r.rolname as role,
              has_schema_privilege(r.oid, n.oid, 'USAGE') as usage,
              has_schema_privilege(r.oid, n.oid, 'CREATE') as create,
              (select count(*) from pg_class c where c.relnamespace = n.oid and c.relkind in ('r', 'p', 'v', 'm')
                 and (has_table_privilege(r.oid, c.oid, 'SELECT') or has_table_privilege(r.oid, c.oid, 'INSERT')
                      or has_table_privilege(r.oid, c.oid, 'UPDATE') or has_table_privilege(r.oid, c.oid, 'DELETE')))::int as tables
       from pg_roles r, pg_namespace n
       where r.rolname = any($1) and n.nspname = $2`,
      [t.runtimeRoles, t.privateSchema],
    );
    return rows
      .filter((r) => r.usage || r.create || r.tables > 0)
      .map((r) => ({
        lint: "private_schema_reachable",
        object: `${t.privateSchema} by ${r.role}`,
        detail: [r.usage && "USAGE", r.create && "CREATE", r.tables > 0 && `privileges on ${r.tables} table(s)`].filter(Boolean).join(", "),
      }));
  },

  async authenticator_too_powerful(db, t) {
    const { rows } = await db.query(
      `select r.rolname, r.rolsuper, r.rolinherit, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb,
              pg_has_role(r.oid, $2::regrole, 'MEMBER') as member_of_owner,
              (select count(*) from pg_database d where d.datdba = r.oid)::int as owns_databases,
              (select count(*) from pg_class c where c.relowner = r.oid)::int
                + (select count(*) from pg_proc p where p.proowner = r.oid)::int
                + (select count(*) from pg_namespace s where s.nspowner = r.oid)::int as owns_objects
       from pg_roles r where r.rolname = $1`,
      [t.authenticator, t.owner],
    );
    const findings: LintFinding[] = [];
    if (rows.length === 0) return [{ lint: "authenticator_too_powerful", object: t.authenticator, detail: "role does not exist" }];
    const r = rows[0]!;
    const add = (cond: boolean, detail: string) => cond && findings.push({ lint: "authenticator_too_powerful", object: t.authenticator, detail });
    add(r.rolsuper, "is a superuser");
    add(r.rolinherit, "is INHERIT (must be NOINHERIT so it only gains privileges by SET ROLE)");
    add(r.rolbypassrls, "has BYPASSRLS");
    add(r.rolcreaterole || r.rolcreatedb, "can create roles or databases");
    add(r.member_of_owner, `is a member of the owner role ${t.owner}`);
    add(r.owns_databases > 0 || r.owns_objects > 0, "owns databases, schemas, tables or functions");
    return findings;
  },
};

export const LINT_NAMES = Object.keys(lints);

export async function runSecurityLints(db: Queryable, target: LintTarget): Promise<LintFinding[]> {
  const results = await Promise.all(Object.values(lints).map((lint) => lint(db, target)));
  return results.flat();
}

/**
 * Every table column a runtime role may INSERT or UPDATE, and every table it may DELETE from, in
 * the application's schemas, one line each: `<role> <privilege> <schema.table[.column]>`, sorted.
 * Compared by the suite with the reviewed list in db/writable-columns.txt, so a new grant is a
 * visible change.
 */
export async function writableColumns(db: Queryable, roles: readonly string[], schemas: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ line: string }>(
    `select r.rolname || ' ' || lower(p.priv) || ' ' || n.nspname || '.' || c.relname || '.' || a.attname as line
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       cross join unnest($1::text[]) as r(rolname)
       cross join (values ('INSERT'), ('UPDATE')) as p(priv)
      where n.nspname = any($2) and c.relkind in ('r', 'p', 'v')
        and has_column_privilege(r.rolname, c.oid, a.attnum, p.priv)
     union all
     select r.rolname || ' delete ' || n.nspname || '.' || c.relname
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       cross join unnest($1::text[]) as r(rolname)
      where n.nspname = any($2) and c.relkind in ('r', 'p', 'v')
        and has_table_privilege(r.rolname, c.oid, 'DELETE')
     order by 1`,
    [roles, schemas],
  );
  return rows.map((r) => r.line);
}
