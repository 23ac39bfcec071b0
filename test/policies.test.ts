// `npm run policies` prints the tenancy model of the migrated database, table by table.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { APP_SCHEMAS, readTenancy } from "../db/policies.ts";
import { ROOT_DIR } from "../lib/config.ts";
import { rootPool } from "./support/db.ts";

const root = rootPool();
afterAll(() => root.end());

/** The block of the report that starts with "<relation>:" and ends at the next blank line. */
function section(report: string, relation: string): string {
  const start = report.indexOf(`\n${relation}: `);
  expect(start, `${relation} is not in the report`).toBeGreaterThan(-1);
  const end = report.indexOf("\n\n", start + 1);
  return report.slice(start + 1, end < 0 ? undefined : end);
}

describe("npm run policies", () => {
  it("prints each table's row level security, policies and grants (app_public.devices)", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT_DIR, "scripts", "policies.ts")], { encoding: "utf8", env: process.env });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const devices = section(run.stdout, "app_public.devices");
    expect(devices).toMatch(/^app_public\.devices: table, RLS enabled and forced$/m);
    expect(devices).toMatch(/^ {4}select_own: SELECT to openclaw_user\n {6}using {7}\(user_id = \( SELECT app_public\.current_user_id\(\) AS current_user_id\)\)$/m);
    expect(devices).toMatch(/^ {4}auth_revoke: UPDATE to openclaw_auth\n {6}using {7}true\n {6}with check {2}\(status = 'revoked'::app_public\.device_status\)$/m);
    // Users rename their devices and delete them; revocation and pairing state are the auth role's.
    expect(devices).toMatch(/^ {4}openclaw_user +SELECT, DELETE\n +UPDATE \(name\)$/m);
    expect(devices).toMatch(/^ {4}openclaw_auth +SELECT\n +INSERT \([^)]*\bstatus\b[^)]*\)\n +UPDATE \([^)]*\brevoked_at\b[^)]*\)$/m);
    // The job queue's grants and policies (000023) are listed too, and the functions with their audience.
    expect(section(run.stdout, "graphile_worker._private_jobs")).toMatch(/worker_all: ALL to openclaw_worker/);
    expect(run.stdout).toMatch(/^ {2}app_hidden\.auth_login\([^)]*\)\n {6}SECURITY DEFINER as openclaw_auth, search_path pg_catalog, pg_temp; execute: openclaw_anonymous, openclaw_auth$/m);
  });

  it("lists every table and view of the application's schemas", async () => {
    const { rows } = await root.query<{ name: string }>(
      `select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'f')`,
      [APP_SCHEMAS],
    );
    const report = await readTenancy(root);
    expect(report.relations.filter((r) => !r.external).map((r) => r.name).sort()).toEqual(rows.map((r) => r.name).sort());
  });
});
