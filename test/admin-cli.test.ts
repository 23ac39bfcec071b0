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

  it("reset-password gives a new one-time password that signs in, signs the user out everywhere, audited", async () => {
    const email = `reset-${randomUUID().slice(0, 8)}@example.test`;
    const { rows } = await root.query<{ id: string }>("select app_private.register_user($1, 'old password 123', 'R') as id", [email]);
    const id = rows[0]!.id;
    await root.query(
      `with s as (insert into app_private.sessions (user_id) values ($1) returning id)
       insert into app_private.refresh_tokens (user_id, family_id, token_hash, expires_at) select $1, s.id, gen_random_bytes(32), now() + interval '1 day' from s`,
      [id],
    );
    const r = admin("reset-password", email);
    expect(r.status).toBe(0);
    const password = r.stdout.match(/one-time password for \S+: (\S+)/)![1]!;
    const check = await root.query("select crypt($2, password_hash) = password_hash as ok, crypt('old password 123', password_hash) = password_hash as old from app_private.user_secrets where user_id = $1", [id, password]);
    expect(check.rows[0]).toEqual({ ok: true, old: false });
    const live = await root.query("select count(*)::int as n from app_private.refresh_tokens where user_id = $1 and revoked_at is null", [id]);
    expect(live.rows[0].n).toBe(0);
    const sessions = await root.query("select count(*)::int as n from app_private.sessions where user_id = $1 and revoked_at is null", [id]);
    expect(sessions.rows[0].n).toBe(0);
    const audit = await root.query("select action from app_public.audit_log where target_id = $1 and action = 'cli.password_reset'", [id]);
    expect(audit.rowCount).toBe(1);
    expect(admin("reset-password", `nobody-${randomUUID()}@example.test`).status).toBe(1);
  });

  it("revoke-device revokes the device (its status trigger announces it to the gateways) and writes an audit row", async () => {
    const { rows } = await root.query<{ id: string }>("select app_private.register_user($1, 'a password 123', 'D') as id", [`dev-${randomUUID().slice(0, 8)}@example.test`]);
    const device = await root.query<{ id: string }>(
      "insert into app_public.devices (user_id, device_key_id, public_key, status, name) values ($1, $2, $3, 'paired', 'laptop') returning id",
      [rows[0]!.id, randomUUID().replace(/-/g, ""), "A".repeat(43)],
    );
    const deviceId = device.rows[0]!.id;
    const r = admin("revoke-device", deviceId);
    expect(r.status).toBe(0);
    const d = await root.query("select status, revoked_at is not null as revoked from app_public.devices where id = $1", [deviceId]);
    expect(d.rows[0]).toEqual({ status: "revoked", revoked: true });
    const audit = await root.query("select action from app_public.audit_log where target_id = $1 and action = 'cli.device_revoked'", [deviceId]);
    expect(audit.rowCount).toBe(1);
    expect(admin("revoke-device", deviceId).status).toBe(1);
    expect(admin("revoke-device", "not-a-uuid").status).toBe(2);
  });

  it("explains bad usage and unknown users", () => {
    expect(admin("frobnicate").status).toBe(2);
    const missing = admin("promote", `nobody-${randomUUID()}@example.test`);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no user with email/);
    expect(admin("create-admin", "not-an-email").stderr).toMatch(/not a valid email address/);
  });
});
