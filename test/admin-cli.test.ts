// `npm run admin -- create-admin <email>` on the test database: creates or promotes, audited.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../lib/config.ts";
import { rootPool } from "./support/db.ts";

const root = rootPool();
afterAll(() => root.end());

function admin(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT_DIR, "scripts", "admin.ts"), ...args], { encoding: "utf8", env: process.env });
}

describe("admin CLI", () => {
  it("create-admin creates the account with a one-time password, makes it admin and writes an audit row", async () => {
    const email = `first-admin-${randomUUID().slice(0, 8)}@example.test`;
    const r = admin("create-admin", email, "First Admin");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/one-time password: \S{16}/);
    const { rows } = await root.query("select id, role, display_name from app_public.users where email = $1", [email]);
    expect(rows[0]).toMatchObject({ role: "admin", display_name: "First Admin" });
    const audit = await root.query("select action from app_public.audit_log where target_id = $1 order by id", [rows[0].id]);
    expect(audit.rows.map((a) => a.action)).toEqual(["users.update", "cli.promote_admin"]);
    // Idempotent: running it again promotes (no new password).
    const again = admin("create-admin", email);
    expect(again.status).toBe(0);
    expect(again.stdout).not.toMatch(/one-time password/);
  });

  it("explains bad usage and unknown users", () => {
    expect(admin("frobnicate").status).toBe(2);
    const missing = admin("promote", `nobody-${randomUUID()}@example.test`);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no user with email/);
    expect(admin("create-admin", "not-an-email").stderr).toMatch(/not a valid email address/);
  });
});
