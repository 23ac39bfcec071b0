// Operator commands for a deployment (`npm run admin -- <command>`), run by whoever holds the
// database superuser credentials (ROOT_DATABASE_URL). Every change goes through the same
// functions, triggers and audit trail as the API.
//   create-admin <email> [display name]   create the account (printing a one-time password) or promote it
//   promote <email>                        make an existing user an admin
//   list-users                             email, role, status, created
//   reset-password <email>                 a new one-time password; signs the user out everywhere
//   revoke-device <device id>              revokes a device (its gateway connections close at once)
import "../lib/polyfills.ts";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { databaseName, loadConfig, withDatabase } from "../lib/config.ts";
import { isUuid } from "../lib/events.ts";

const config = loadConfig();
const [command, email, ...rest] = process.argv.slice(2);
const usage =
  "usage: npm run admin -- create-admin <email> [display name] | promote <email> | list-users | reset-password <email> | revoke-device <device id>";

async function main(): Promise<number> {
  const client = new pg.Client({ connectionString: withDatabase(config.rootDatabaseUrl, databaseName(config.databaseUrl)) });
  await client.connect();
  try {
    if (command === "list-users") {
      const { rows } = await client.query("select email, role, status, created_at from app_public.users order by created_at");
      for (const r of rows) console.log(`${r.email}\t${r.role}\t${r.status}\t${r.created_at.toISOString()}`);
      return 0;
    }
    if (command === "reset-password" && email) {
      const password = randomBytes(12).toString("base64url");
      await client.query("begin");
      const { rows } = await client.query<{ id: string }>("select id from app_public.users where email = lower(trim($1))", [email]);
      if (rows.length === 0) {
        await client.query("rollback");
        console.error(`no user with email ${email}`);
        return 1;
      }
      // Every sign-in ends: tokens are refused at once, open sockets close (app_private.reset_password).
      await client.query("select app_private.reset_password($1, $2)", [rows[0]!.id, password]);
      await client.query("select app_private.audit('cli.password_reset', 'app_public.users', $1, jsonb_build_object('by', session_user))", [rows[0]!.id]);
      await client.query("commit");
      console.log(`new one-time password for ${email}: ${password}\nevery session of this user is signed out; they should sign in and change it.`);
      return 0;
    }
    if (command === "revoke-device" && email) {
      const deviceId = email;
      if (!isUuid(deviceId)) {
        console.error(`not a device id (uuid): ${deviceId}`);
        return 2;
      }
      await client.query("begin");
      const { rows } = await client.query<{ user_id: string }>(
        "update app_public.devices set status = 'revoked', revoked_at = now() where id = $1 and status <> 'revoked' returning user_id",
        [deviceId],
      );
      if (rows.length === 0) {
        await client.query("rollback");
        console.error(`no device ${deviceId} that is not already revoked`);
        return 1;
      }
      await client.query("select app_private.audit('cli.device_revoked', 'app_public.devices', $1, jsonb_build_object('by', session_user, 'user_id', $2::text))", [deviceId, rows[0]!.user_id]);
      await client.query("commit");
      console.log(`device ${deviceId} revoked; its connections are closed.`);
      return 0;
    }
    if ((command !== "create-admin" && command !== "promote") || !email) {
      console.error(usage);
      return 2;
    }
    await client.query("begin");
    let { rows } = await client.query<{ id: string }>("select id from app_public.users where email = lower(trim($1))", [email]);
    if (rows.length === 0) {
      if (command === "promote") {
        console.error(`no user with email ${email}`);
        await client.query("rollback");
        return 1;
      }
      const password = randomBytes(12).toString("base64url");
      ({ rows } = await client.query("select app_private.register_user($1, $2, $3) as id", [email, password, rest.join(" ") || null]));
      console.log(`created ${email} with the one-time password: ${password}\nsign in and change it (changePassword).`);
    }
    const id = rows[0]!.id;
    await client.query("update app_public.users set role = 'admin' where id = $1", [id]);
    await client.query("select app_private.audit('cli.promote_admin', 'app_public.users', $1, jsonb_build_object('by', session_user))", [id]);
    await client.query("commit");
    console.log(`${email} is an admin (user id ${id}); new sign-ins carry the admin role.`);
    return 0;
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    const e = error as { code?: string; message: string };
    console.error(e.code === "23514" ? `not a valid email address: ${email}` : e.message);
    return 1;
  } finally {
    await client.end();
  }
}

process.exit(await main());
