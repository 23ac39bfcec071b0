// Operator commands for a deployment (`npm run admin -- <command>`), run by whoever holds the
// database superuser credentials (ROOT_DATABASE_URL). Every change goes through the same
// functions, triggers and audit trail as the API.
//   create-admin <email> [display name]   create the account (printing a one-time password) or promote it
//   promote <email>                        make an existing user an admin
//   list-users                             email, role, status, created
import "../lib/polyfills.ts";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { databaseName, loadConfig, withDatabase } from "../lib/config.ts";

const config = loadConfig();
const [command, email, ...rest] = process.argv.slice(2);
const usage = "usage: npm run admin -- create-admin <email> [display name] | promote <email> | list-users";

async function main(): Promise<number> {
  const client = new pg.Client({ connectionString: withDatabase(config.rootDatabaseUrl, databaseName(config.databaseUrl)) });
  await client.connect();
  try {
    if (command === "list-users") {
      const { rows } = await client.query("select email, role, status, created_at from app_public.users order by created_at");
      for (const r of rows) console.log(`${r.email}\t${r.role}\t${r.status}\t${r.created_at.toISOString()}`);
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
