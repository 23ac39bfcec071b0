// Conventions of the data model that a review would otherwise have to catch by eye.
import { afterAll, describe, expect, it } from "vitest";
import { rootPool } from "./support/db.ts";

const root = rootPool();
const SCHEMAS = ["app_public", "app_hidden", "app_private"];
afterAll(() => root.end());

describe("schema conventions", () => {
  it("every foreign key states what happens on delete", async () => {
    const { rows } = await root.query(
      `select conrelid::regclass::text as tbl, conname from pg_constraint c join pg_namespace n on n.oid = c.connamespace
       where c.contype = 'f' and n.nspname = any($1) and c.confdeltype = 'a'`,
      [SCHEMAS],
    );
    expect(rows).toEqual([]);
  });

  it("every policy that filters rows can use an index: a column of its USING clause leads one", async () => {
    const { rows } = await root.query(
      `select p.polrelid::regclass::text as tbl, p.polname as policy
       from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = any($1) and p.polqual is not null and pg_get_expr(p.polqual, p.polrelid) <> 'true'
         and not exists (
           select 1 from pg_depend d
           join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
           join pg_index i on i.indrelid = d.refobjid and i.indkey[0] = d.refobjsubid
           where d.classid = 'pg_policy'::regclass and d.objid = p.oid and d.refobjsubid > 0
             and pg_get_expr(p.polqual, p.polrelid) ~ ('\\m' || a.attname || '\\M'))`,
      [SCHEMAS],
    );
    expect(rows).toEqual([]);
  });

  it("no function of ours is executable by PUBLIC (each audience is granted explicitly)", async () => {
    const { rows } = await root.query(
      `select p.oid::regprocedure::text as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = any($1) and has_function_privilege('public', p.oid, 'EXECUTE')
         and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')`,
      [SCHEMAS],
    );
    expect(rows).toEqual([]);
  });

  it("tenant tables are reachable from users by their owner column", async () => {
    // Every app_public table with a user_id column references users, so deleting a user deletes their data.
    const { rows } = await root.query(
      `select c.oid::regclass::text as tbl from pg_class c join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attname = 'user_id'
       where n.nspname = 'app_public' and c.relkind = 'r'
         and not exists (select 1 from pg_constraint f where f.conrelid = c.oid and f.contype = 'f'
                         and f.confrelid = 'app_public.users'::regclass and f.conkey = array[a.attnum])`,
    );
    expect(rows).toEqual([]);
  });
});
