// What may each role do, read from pg_catalog and printed in one place (`npm run policies`):
// per table, row level security (enabled, forced), every policy with its USING and WITH CHECK,
// and each reviewed role's privileges; then every function with its security mode, owner and
// who may execute it. The definitions themselves are in db/schema.sql.
import type pg from "pg";
import { ROLES } from "../lib/config.ts";
import { writableColumns } from "./security-lints.ts";

type Queryable = Pick<pg.Pool, "query">;

export const APP_SCHEMAS = ["app_public", "app_hidden", "app_private"] as const;

/** The runtime roles, then the NOLOGIN roles that own SECURITY DEFINER functions. */
export const REVIEWED_ROLES = [
  ROLES.anonymous, ROLES.user, ROLES.admin, ROLES.authenticator, ROLES.worker,
  ROLES.auth, ROLES.auditor, ROLES.jobs, ROLES.billing, "openclaw_maintenance",
] as const;

/** PUBLIC (every role) is always checked too: a grant to it reaches everyone. */
const PUBLIC = "public";
const TABLE_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"] as const;
const COMMAND_ORDER = ["ALL", "SELECT", "INSERT", "UPDATE", "DELETE"];

export interface RoleInfo {
  name: string;
  login: boolean;
  inherit: boolean;
  memberOf: string[];
  comment: string | null;
}

export interface Policy {
  name: string;
  command: string;
  permissive: boolean;
  roles: string[];
  using: string | null;
  withCheck: string | null;
}

/** One privilege of one role: table-wide (columns null) or on the listed columns only. */
export interface Privilege {
  privilege: string;
  columns: string[] | null;
}

export interface RelationSecurity {
  oid: number;
  name: string;
  kind: "table" | "partitioned table" | "view" | "materialized view" | "foreign table";
  owner: string;
  rlsEnabled: boolean;
  rlsForced: boolean;
  securityInvoker: boolean;
  /** Outside the application's schemas (the job queue): listed because the migrations grant on it. */
  external: boolean;
  policies: Policy[];
  grants: Map<string, Privilege[]>;
}

export interface FunctionSecurity {
  signature: string;
  securityDefiner: boolean;
  owner: string;
  searchPath: string | null;
  executors: string[];
}

export interface TenancyReport {
  roles: RoleInfo[];
  relations: RelationSecurity[];
  functions: FunctionSecurity[];
}

const KINDS: Record<string, RelationSecurity["kind"]> = {
  r: "table", p: "partitioned table", v: "view", m: "materialized view", f: "foreign table",
};

async function readRoles(db: Queryable, roles: readonly string[]): Promise<RoleInfo[]> {
  const { rows } = await db.query(
    `select r.rolname as name, r.rolcanlogin as login, r.rolinherit as inherit,
            shobj_description(r.oid, 'pg_authid') as comment,
            array(select g.rolname::text from pg_auth_members m join pg_roles g on g.oid = m.roleid
                  where m.member = r.oid order by 1) as "memberOf"
       from pg_roles r where r.rolname = any($1) order by array_position($1, r.rolname::text)`,
    [roles],
  );
  return rows as RoleInfo[];
}

/** The app schemas' relations, and any other relation a reviewed role (or PUBLIC) may use. */
async function readRelations(db: Queryable, schemas: readonly string[], grantees: readonly string[]): Promise<RelationSecurity[]> {
  const { rows } = await db.query(
    `select c.oid::int as oid, n.nspname || '.' || c.relname as name, c.relkind::text as kind, pg_get_userbyid(c.relowner) as owner,
            c.relrowsecurity as "rlsEnabled", c.relforcerowsecurity as "rlsForced", n.nspname <> all($1) as external,
            coalesce((select o.option_value::boolean from pg_options_to_table(c.reloptions) o
                      where o.option_name = 'security_invoker'), false) as "securityInvoker"
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'f')
        and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
        and (n.nspname = any($1)
             or (n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
                 and exists (select 1 from unnest($2::text[]) g(role)
                              where has_table_privilege(g.role, c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                                 or has_any_column_privilege(g.role, c.oid, 'SELECT, INSERT, UPDATE, REFERENCES'))))
      order by n.nspname <> all($1), array_position($1, n.nspname::text), n.nspname, c.relname`,
    [schemas, grantees],
  );
  return rows.map((r) => ({ ...r, kind: KINDS[r.kind]!, policies: [], grants: new Map() }));
}

async function readPolicies(db: Queryable, relations: readonly number[]): Promise<Map<number, Policy[]>> {
  const { rows } = await db.query(
    `select p.polrelid::int as relation, p.polname as name, p.polpermissive as permissive,
            case p.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE' when 'd' then 'DELETE' else 'ALL' end as command,
            case when p.polroles = '{0}' then array['public'] else array(select pg_get_userbyid(r)::text from unnest(p.polroles) r order by 1) end as roles,
            pg_get_expr(p.polqual, p.polrelid) as using, pg_get_expr(p.polwithcheck, p.polrelid) as "withCheck"
       from pg_policy p where p.polrelid = any($1::oid[])
      order by 1, array_position($2, case p.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE' when 'd' then 'DELETE' else 'ALL' end), p.polname`,
    [relations, COMMAND_ORDER],
  );
  const byRelation = new Map<number, Policy[]>();
  for (const { relation, ...policy } of rows) byRelation.set(relation, [...(byRelation.get(relation) ?? []), policy as Policy]);
  return byRelation;
}

/**
 * Effective privileges (what the role may do while it is the current role, including what it
 * inherits): table-wide ones, then column lists where only some columns are granted. INSERT and
 * UPDATE columns come from writableColumns, the same list test/writable-columns.test.ts reviews.
 */
async function readGrants(db: Queryable, relations: readonly RelationSecurity[], grantees: readonly string[]): Promise<Map<string, Map<string, Privilege[]>>> {
  // Relations are named as writableColumns names them: schema.table, unquoted.
  const name = `n.nspname || '.' || c.relname`;
  const tableWide = await db.query<{ relation: string; role: string; privilege: string }>(
    `select ${name} as relation, g.role, p.privilege
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       cross join unnest($2::text[]) g(role) cross join unnest($3::text[]) p(privilege)
      where c.oid = any($1::oid[]) and has_table_privilege(g.role, c.oid, p.privilege)`,
    [relations.map((r) => r.oid), grantees, TABLE_PRIVILEGES],
  );
  const readColumns = await db.query<{ relation: string; role: string; privilege: string; columns: string[] }>(
    `select ${name} as relation, g.role, p.privilege, array_agg(a.attname::text order by a.attname) as columns
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       cross join unnest($2::text[]) g(role) cross join unnest(array['SELECT', 'REFERENCES']) p(privilege)
      where c.oid = any($1::oid[]) and not has_table_privilege(g.role, c.oid, p.privilege)
        and has_column_privilege(g.role, c.oid, a.attnum, p.privilege)
      group by 1, 2, 3`,
    [relations.map((r) => r.oid), grantees],
  );
  const schemas = [...new Set(relations.map((r) => r.name.slice(0, r.name.indexOf("."))))];
  const writable = new Map<string, string[]>();
  for (const line of await writableColumns(db, grantees, schemas)) {
    const [role, privilege, target] = line.split(" ") as [string, string, string];
    const [schema, table, column] = target.split(".");
    if (column === undefined) continue; // DELETE is table-wide: already in tableWide.
    const key = `${schema}.${table} ${role} ${privilege.toUpperCase()}`;
    writable.set(key, [...(writable.get(key) ?? []), column]);
  }

  const result = new Map<string, Map<string, Privilege[]>>();
  const add = (relation: string, role: string, privilege: Privilege) => {
    const byRole = result.get(relation) ?? new Map<string, Privilege[]>();
    byRole.set(role, [...(byRole.get(role) ?? []), privilege]);
    result.set(relation, byRole);
  };
  const wide = new Set(tableWide.rows.map((r) => `${r.relation} ${r.role} ${r.privilege}`));
  for (const r of tableWide.rows) add(r.relation, r.role, { privilege: r.privilege, columns: null });
  for (const r of readColumns.rows) add(r.relation, r.role, { privilege: r.privilege, columns: r.columns });
  for (const [key, columns] of writable) {
    if (wide.has(key)) continue;
    const [relation, role, privilege] = key.split(" ") as [string, string, string];
    add(relation, role, { privilege, columns });
  }
  // Roles in the order they were asked for; privileges table-wide first, each in TABLE_PRIVILEGES order.
  const rank = (p: Privilege) => (p.columns ? TABLE_PRIVILEGES.length : 0) + TABLE_PRIVILEGES.indexOf(p.privilege as (typeof TABLE_PRIVILEGES)[number]);
  for (const [relation, byRole] of result) {
    const ordered = grantees.filter((role) => byRole.has(role)).map((role) => [role, byRole.get(role)!.sort((a, b) => rank(a) - rank(b))] as const);
    result.set(relation, new Map(ordered));
  }
  return result;
}

async function readFunctions(db: Queryable, schemas: readonly string[], grantees: readonly string[]): Promise<FunctionSecurity[]> {
  const { rows } = await db.query(
    `select p.oid::regprocedure::text as signature, p.prosecdef as "securityDefiner", pg_get_userbyid(p.proowner) as owner,
            (select substr(s, length('search_path=') + 1) from unnest(p.proconfig) s where s like 'search\\_path=%') as "searchPath",
            array(select g.role from unnest($2::text[]) with ordinality g(role, i)
                  where has_function_privilege(g.role, p.oid, 'EXECUTE') order by g.i) as executors
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = any($1)
        and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
      order by array_position($1, n.nspname::text), p.proname, 1`,
    [schemas, grantees],
  );
  return rows as FunctionSecurity[];
}

/** Reads the tenancy model of the given schemas for the given roles (and PUBLIC). */
export async function readTenancy(
  db: Queryable,
  schemas: readonly string[] = APP_SCHEMAS,
  roles: readonly string[] = REVIEWED_ROLES,
): Promise<TenancyReport> {
  const roleInfo = await readRoles(db, roles);
  // Only roles that exist: the privilege functions raise on an unknown role.
  const grantees = [...roleInfo.map((r) => r.name), PUBLIC];
  const relations = await readRelations(db, schemas, grantees);
  // One query at a time: db may be a single client.
  const policies = await readPolicies(db, relations.map((r) => r.oid));
  const grants = await readGrants(db, relations, grantees);
  const functions = await readFunctions(db, schemas, grantees);
  for (const relation of relations) {
    relation.policies = policies.get(relation.oid) ?? [];
    relation.grants = grants.get(relation.name) ?? new Map();
  }
  return { roles: roleInfo, relations, functions };
}
