// Security lints over the real catalog, and each lint shown to fire on a bad object in a scratch schema.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LINT_NAMES, runSecurityLints, type LintTarget } from "../db/security-lints.ts";
import { EXPOSED_SCHEMAS, PRIVATE_SCHEMA, ROLES, RUNTIME_ROLES } from "../lib/config.ts";
import { rootPool } from "./support/db.ts";

const root = rootPool();
const real: LintTarget = {
  exposedSchemas: EXPOSED_SCHEMAS,
  appSchemas: [...EXPOSED_SCHEMAS, "app_hidden", PRIVATE_SCHEMA],
  privateSchema: PRIVATE_SCHEMA,
  runtimeRoles: RUNTIME_ROLES,
  authenticator: ROLES.authenticator,
  owner: ROLES.owner,
};

const tag = `${process.pid}`;
const bad = `scratch_lint_${tag}`;
const badPrivate = `scratch_lint_private_${tag}`;
const badAuthenticator = `scratch_lint_auth_${tag}`;
const scratch: LintTarget = {
  exposedSchemas: [bad],
  appSchemas: [bad, badPrivate],
  privateSchema: badPrivate,
  runtimeRoles: RUNTIME_ROLES,
  authenticator: badAuthenticator,
  owner: ROLES.owner,
};

beforeAll(async () => {
  await root.query(`
    create schema ${bad};
    create schema ${badPrivate};
    grant usage on schema ${badPrivate} to ${ROLES.user};
    create table ${bad}.no_rls (id int primary key, user_id uuid);
    create table ${bad}.not_forced (id int primary key, user_id uuid);
    alter table ${bad}.not_forced enable row level security;
    create table ${bad}.no_policy (id int primary key, user_id uuid);
    alter table ${bad}.no_policy enable row level security;
    alter table ${bad}.no_policy force row level security;
    create materialized view ${bad}.snapshot as select 1 as n;
    create view ${bad}.owner_view as select * from app_public.messages;
    create view ${bad}.invoker_view with (security_invoker = true) as select * from app_public.messages;
    create function ${bad}.unpinned() returns int language sql security definer as 'select 1';
    create function ${bad}.pinned() returns int language sql security definer set search_path = pg_catalog as 'select 1';
    create role ${badAuthenticator} login inherit;
    grant ${ROLES.owner} to ${badAuthenticator};
  `);
});

afterAll(async () => {
  await root.query(`drop schema if exists ${bad} cascade; drop schema if exists ${badPrivate} cascade; drop role if exists ${badAuthenticator};`);
  await root.end();
});

describe("security lints", () => {
  it("find nothing on the real schemas and roles", async () => {
    expect(await runSecurityLints(root, real)).toEqual([]);
  });

  it("each lint fires on its deliberately bad object, and only there", async () => {
    const findings = await runSecurityLints(root, scratch);
    const by = (lint: string) => findings.filter((f) => f.lint === lint).map((f) => `${f.object}: ${f.detail}`).sort();
    expect(by("rls_not_forced")).toEqual([
      `${bad}.no_rls: row level security is disabled`,
      `${bad}.not_forced: row level security is enabled but not forced`,
      `${bad}.snapshot: materialized views and foreign tables cannot have RLS; do not expose them`,
    ]);
    expect(by("rls_without_policy")).toEqual([
      `${bad}.no_policy: row level security with no policy denies everyone; say who may do what`,
      `${bad}.not_forced: row level security with no policy denies everyone; say who may do what`,
    ]);
    expect(by("definer_without_search_path")).toEqual([`${bad}.unpinned(): SECURITY DEFINER function without a pinned search_path`]);
    expect(by("view_without_security_invoker")).toEqual([
      `${bad}.owner_view: view over row-level-secured data without security_invoker = true`,
    ]);
    expect(by("private_schema_reachable")).toEqual([
      `${badPrivate} by ${ROLES.admin}: USAGE`,
      `${badPrivate} by ${ROLES.user}: USAGE`,
    ]);
    expect(by("authenticator_too_powerful")).toEqual([
      `${badAuthenticator}: is INHERIT (must be NOINHERIT so it only gains privileges by SET ROLE)`,
      `${badAuthenticator}: is a member of the owner role ${ROLES.owner}`,
    ]);
    // Every lint is covered by this test.
    expect(new Set(findings.map((f) => f.lint))).toEqual(new Set(LINT_NAMES));
  });
});
