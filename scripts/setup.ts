// Prepares everything the stack needs, idempotently (called by scripts/bootstrap.mjs):
// local Postgres and Redis running, pgvector installed, roles, database, extensions,
// the job-queue schema and the committed migrations.
//   (no flag)        the dev database from DATABASE_URL
//   --test           a fresh "<name>_test" database, recreated from scratch for the suite
//   --migrate-only   no service start or package install: roles, database, migrations (also for docker)
//   --roles-only     roles only (graphile-migrate's beforeReset hook)
import "../lib/polyfills.ts";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { createRequire } from "node:module";
import pg from "pg";
import { migrate } from "graphile-migrate";
import { Logger as WorkerLogger, runMigrations as installWorkerSchema } from "graphile-worker";
import { loadConfig, databaseName, withDatabase, withRole, ROLES, ROOT_DIR, type Config } from "../lib/config.ts";

class SetupError extends Error {}

const args = new Set(process.argv.slice(2));
const started = Date.now();
const say = (message: string) => console.error(`setup: ${message}`);

const isLocal = (host: string) => ["127.0.0.1", "localhost", "::1", "[::1]"].includes(host);

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function canConnect(url: string): Promise<boolean> {
  try {
    await withClient(url, (c) => c.query("select 1"));
    return true;
  } catch {
    return false;
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 4; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new SetupError(`${what} did not come up within ${seconds} s`);
}

function run(command: string, argv: string[], what: string): void {
  const result = spawnSync(command, argv, { stdio: ["ignore", "inherit", "inherit"] });
  if (result.error) throw new SetupError(`${what}: ${result.error.message}`);
  if (result.status !== 0) throw new SetupError(`${what} failed (exit ${result.status})`);
}

async function ensurePostgres(config: Config): Promise<void> {
  if (await canConnect(config.rootDatabaseUrl)) return;
  const host = new URL(config.rootDatabaseUrl).hostname;
  if (!isLocal(host)) throw new SetupError(`cannot connect to PostgreSQL at ${host}; check ROOT_DATABASE_URL / DATABASE_URL`);
  if (!existsSync("/etc/postgresql")) {
    throw new SetupError("PostgreSQL is not installed (no /etc/postgresql); install PostgreSQL 15+, see README");
  }
  for (const version of readdirSync("/etc/postgresql")) {
    say(`starting PostgreSQL ${version}`);
    run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"], `pg_ctlcluster ${version} main start`);
  }
  await waitFor("PostgreSQL", () => canConnect(config.rootDatabaseUrl), 30);
}

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

async function ensureRedis(config: Config): Promise<void> {
  const url = new URL(config.redisUrl);
  const host = url.hostname || "127.0.0.1";
  const port = Number(url.port || 6379);
  if (await tcpOpen(host, port)) return;
  if (!isLocal(host)) throw new SetupError(`cannot connect to Redis at ${host}:${port}; check REDIS_URL`);
  const which = spawnSync("sh", ["-c", "command -v redis-server"]);
  if (which.status !== 0) throw new SetupError("Redis is not installed (no redis-server); install Redis, see README");
  say(`starting Redis on port ${port}`);
  const dir = existsSync("/var/lib/redis") ? "/var/lib/redis" : "/tmp";
  const logfile = existsSync("/var/log/redis") ? "/var/log/redis/ci.log" : "/tmp/redis.log";
  run("redis-server", ["--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", String(port), "--save", "", "--appendonly", "no", "--dir", dir, "--logfile", logfile], "redis-server");
  await waitFor("Redis", () => tcpOpen(host, port), 15);
}

async function ensurePgvector(config: Config, mayInstall: boolean): Promise<void> {
  const { available, major } = await withClient(config.rootDatabaseUrl, async (c) => {
    const r = await c.query<{ available: boolean; major: string }>(
      "select exists (select 1 from pg_available_extensions where name = 'vector') as available, current_setting('server_version_num')::int / 10000 as major",
    );
    return r.rows[0]!;
  });
  if (available) return;
  const host = new URL(config.rootDatabaseUrl).hostname;
  if (!mayInstall || !isLocal(host)) {
    throw new SetupError(`the pgvector extension is not installed on the PostgreSQL server at ${host}; install pgvector 0.8 (README)`);
  }
  say(`pgvector is missing: installing it for PostgreSQL ${major} (about 30 s, once)`);
  run("bash", [path.join(ROOT_DIR, "scripts", "install-pgvector.sh"), String(major)], "installing pgvector");
}

async function ensureRoles(config: Config): Promise<void> {
  await withClient(config.rootDatabaseUrl, async (c) => {
    const passwords: Record<string, string | undefined> = {
      [ROLES.owner]: process.env.OWNER_PASSWORD,
      [ROLES.authenticator]: process.env.AUTHENTICATOR_PASSWORD,
      [ROLES.worker]: process.env.WORKER_PASSWORD,
    };
    await c.query("begin");
    for (const [role, password] of Object.entries(passwords)) {
      await c.query("select set_config($1, $2, true)", [`openclaw.${role}_password`, password ?? ""]);
    }
    await c.query(readFileSync(path.join(ROOT_DIR, "migrations", "roles.sql"), "utf8"));
    await c.query("commit");
  });
}

/** Creates the database if missing (or, with fresh, drops and recreates it). Returns whether it was created. */
async function ensureDatabase(config: Config, url: string, fresh: boolean): Promise<boolean> {
  const name = databaseName(url);
  return withClient(config.rootDatabaseUrl, async (c) => {
    const ident = c.escapeIdentifier(name);
    if (fresh) await c.query(`drop database if exists ${ident} with (force)`);
    const exists = (await c.query("select 1 from pg_database where datname = $1", [name])).rowCount === 1;
    if (!exists) {
      say(`creating database ${name}`);
      await c.query(`create database ${ident} owner ${ROLES.owner}`);
    }
    await c.query(`revoke all on database ${ident} from public`);
    await c.query(`grant connect on database ${ident} to ${ROLES.authenticator}, ${ROLES.worker}`);
    return !exists;
  });
}

async function migrateDatabase(config: Config, url: string): Promise<void> {
  const rootOnDb = withDatabase(config.rootDatabaseUrl, databaseName(url));
  const ownerUrl = databaseName(url) === databaseName(config.databaseUrl) && process.env.OWNER_DATABASE_URL
    ? config.ownerUrl
    : withRole(url, ROLES.owner, process.env.OWNER_PASSWORD);
  await withClient(rootOnDb, (c) => c.query(readFileSync(path.join(ROOT_DIR, "migrations", "afterReset.sql"), "utf8")));
  await installWorkerSchema({ connectionString: ownerUrl, logger: quietWorkerLogger() });
  const settings = createRequire(import.meta.url)(path.join(ROOT_DIR, ".gmrc.cjs"));
  await migrate({ ...settings, connectionString: ownerUrl, migrationsFolder: path.join(ROOT_DIR, "migrations") });
}

function quietWorkerLogger(): WorkerLogger {
  // Only warnings and errors reach stderr; a normal run stays quiet.
  return new WorkerLogger(() => (level: string, message: string) => {
    if (level === "error" || level === "warning") console.error(`graphile-worker: ${message}`);
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const local = !args.has("--migrate-only") && !args.has("--roles-only");
  if (local) {
    await ensurePostgres(config);
    await ensureRedis(config);
  }
  await ensurePgvector(config, local);
  await ensureRoles(config);
  if (args.has("--roles-only")) return;
  const testing = args.has("--test");
  const url = testing ? withDatabase(config.databaseUrl, `${databaseName(config.databaseUrl)}_test`) : config.databaseUrl;
  await ensureDatabase(config, url, testing);
  await migrateDatabase(config, url);
  say(`ready: ${databaseName(url)} migrated (${Date.now() - started} ms)`);
}

main().catch((error: unknown) => {
  const message = error instanceof SetupError ? error.message : error instanceof Error ? error.stack ?? error.message : String(error);
  console.error(`setup: ${message}`);
  process.exit(1);
});
