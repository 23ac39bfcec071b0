// The isolation audit must fail for the mistakes it exists to catch: shown on deliberately
// broken tables in a scratch schema (dropped afterwards).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES } from "../lib/config.ts";
import { authenticatorPool, rootPool } from "./support/db.ts";
import { auditIsolation, type IsolationReport } from "./support/isolation.ts";
import type { TableFixture } from "./support/tenant-fixtures.ts";
import { fixtures as realFixtures } from "./support/tenant-fixtures.ts";

const root = rootPool();
const app = authenticatorPool();
const schema = `scratch_isolation_${process.pid}`;
let report: IsolationReport;

const noteRow: TableFixture = { kind: "tenant", row: (ctx) => ({ user_id: ctx.userId, note: `note ${ctx.n}` }) };

beforeAll(async () => {
  const { user, anonymous } = ROLES;
  await root.query(`
    create schema ${schema};
    grant usage on schema ${schema} to ${user}, ${anonymous};
    create table ${schema}.leaky (id uuid primary key default gen_random_uuid(), user_id uuid not null references app_public.users, note text);
    grant select, insert, update, delete on ${schema}.leaky to ${user};
    create table ${schema}.no_policy (id uuid primary key default gen_random_uuid(), user_id uuid not null, note text);
    alter table ${schema}.no_policy enable row level security;
    alter table ${schema}.no_policy force row level security;
    grant select on ${schema}.no_policy to ${user};
    create table ${schema}.lax_check (id uuid primary key default gen_random_uuid(),
      user_id uuid not null default app_public.current_user_id(), note text);
    alter table ${schema}.lax_check enable row level security;
    alter table ${schema}.lax_check force row level security;
    create policy own on ${schema}.lax_check for select to ${user} using (user_id = (select app_public.current_user_id()));
    create policy ins on ${schema}.lax_check for insert to ${user} with check (true);
    create policy upd on ${schema}.lax_check for update to ${user} using (user_id = (select app_public.current_user_id())) with check (true);
    grant select, insert (note), update (note) on ${schema}.lax_check to ${user};
    -- Postgres also checks an updated row against the SELECT policies, so a lax UPDATE check only
    -- leaks when reads are lax too.
    create table ${schema}.lax_update (id uuid primary key default gen_random_uuid(),
      user_id uuid not null default app_public.current_user_id(), note text);
    alter table ${schema}.lax_update enable row level security;
    alter table ${schema}.lax_update force row level security;
    create policy anyone on ${schema}.lax_update for select to ${user} using (true);
    create policy upd on ${schema}.lax_update for update to ${user} using (user_id = (select app_public.current_user_id())) with check (true);
    grant select, update (note) on ${schema}.lax_update to ${user};
    create table ${schema}.unfixtured (id uuid primary key default gen_random_uuid(), user_id uuid not null);
  `);
  report = await auditIsolation({
    schemas: [schema],
    fixtures: {
      ...realFixtures,
      [`${schema}.leaky`]: noteRow,
      [`${schema}.no_policy`]: noteRow,
      [`${schema}.lax_check`]: noteRow,
      [`${schema}.lax_update`]: noteRow,
    },
    root,
    app,
  });
});

afterAll(async () => {
  await root.query(`drop schema if exists ${schema} cascade`);
  await Promise.all([root.end(), app.end()]);
});

describe("the isolation audit catches broken tables", () => {
  it("a table without RLS leaks on every operation", () => {
    const leaky = report.findings.filter((f) => f.startsWith(`${schema}.leaky:`));
    expect(leaky).toEqual(
      expect.arrayContaining([
        `${schema}.leaky: user B can read A's row`,
        `${schema}.leaky: user B can update A's row`,
        `${schema}.leaky: user B can delete A's row`,
        `${schema}.leaky: user B can insert a row owned by A`,
      ]),
    );
  });

  it("a table with RLS but no policy fails the positive control", () => {
    expect(report.findings).toContain(`${schema}.no_policy: B cannot read its own row (missing policy or grant?)`);
    expect(report.findings.filter((f) => f.startsWith(`${schema}.no_policy: user B can`))).toEqual([]);
  });

  it("policies without a real WITH CHECK are caught at the policy layer", () => {
    const lax = report.findings.filter((f) => f.startsWith(`${schema}.lax_check:`));
    expect(lax.some((f) => f.includes("the insert policy does not stop B inserting a row owned by A"))).toBe(true);
    const laxUpdate = report.findings.filter((f) => f.startsWith(`${schema}.lax_update:`));
    expect(laxUpdate.some((f) => f.includes("the update policy does not stop B giving its row to A"))).toBe(true);
  });

  it("a table with no fixture fails the suite", () => {
    expect(report.findings).toContain(`${schema}.unfixtured: no isolation fixture (add one to test/support/tenant-fixtures.ts)`);
  });
});
