// The application's schemas as pg_dump prints them, normalised so that every machine and every
// run produce the same bytes: the committed db/schema.sql (one readable "now" of the database,
// written by `npm run schema:export`, checked by test/db-schema.test.ts).
// Normalising removes only what carries no schema: pg_dump's version lines and its per-run random
// `\restrict` key. Ownership stays, because it is part of the security model here (SECURITY
// DEFINER functions are owned by the definer roles) and the role names are fixed by
// migrations/roles.sql, so it is the same on every machine.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { databaseName, ROOT_DIR, withDatabase, type Config } from "../lib/config.ts";

export const DUMPED_SCHEMAS = ["app_public", "app_hidden", "app_private"] as const;
export const SCHEMA_FILE = path.join(ROOT_DIR, "db", "schema.sql");

export class SchemaDumpError extends Error {}

/** The pg_dump major a dump was written by, from the header dumpSchema() writes; null if absent. */
export function dumpedByMajor(dump: string): number | null {
  const match = /^-- Written by pg_dump (\d+)\b/m.exec(dump);
  return match ? Number(match[1]) : null;
}

function header(pgDumpMajor: number): string {
  return [
    "-- db/schema.sql: the application's schemas as the migrations leave them. GENERATED: do not edit.",
    "-- `npm run schema:export` writes it (with schema.graphql); test/db-schema.test.ts fails when it drifts.",
    `-- Schemas ${DUMPED_SCHEMAS.join(", ")}: types, tables, functions, triggers, row level security, policies,`,
    "-- grants, owners and comments. Roles: migrations/roles.sql. Extensions and default privileges:",
    "-- migrations/afterReset.sql. The job queue (graphile_worker) is graphile-worker's own; the grants and",
    "-- policies the migrations add to it are listed by `npm run policies`, with every table's tenancy rules.",
    `-- Written by pg_dump ${pgDumpMajor} (--schema-only); version lines and the random \\restrict key are removed.`,
    "",
  ].join("\n");
}

/** Strips what differs between machines and runs; the rest of pg_dump's output is deterministic. */
export function normaliseDump(raw: string, pgDumpMajor: number): string {
  const lines = raw.split("\n").filter((line) => !/^\\(un)?restrict\b/.test(line));
  // pg_dump's own preamble ("-- PostgreSQL database dump", the version lines) ends at the first SET.
  const firstSet = lines.findIndex((line) => line.startsWith("SET "));
  if (firstSet < 0) throw new SchemaDumpError("pg_dump printed no SET preamble: unexpected output");
  const body = lines.slice(firstSet).join("\n").replace(/\n+$/, "\n");
  return `${header(pgDumpMajor)}\n${body}`;
}

async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ major: number }>("select current_setting('server_version_num')::int / 10000 as major");
    return rows[0]!.major;
  } finally {
    await client.end();
  }
}

/**
 * The pg_dump to use: the server's own major from Debian's per-version directory when installed
 * (/usr/bin/pg_dump there is a wrapper that may pick another one), else pg_dump on PATH.
 * An older pg_dump refuses a newer server; a newer one prints a different dialect, so the
 * committed file is only comparable with a dump by the same major.
 */
function findPgDump(major: number): { command: string; major: number } {
  const versioned = `/usr/lib/postgresql/${major}/bin/pg_dump`;
  const command = existsSync(versioned) ? versioned : "pg_dump";
  const version = spawnSync(command, ["--version"], { encoding: "utf8" });
  if (version.error || version.status !== 0) {
    throw new SchemaDumpError(`cannot run ${command}: install the PostgreSQL ${major} client (postgresql-client-${major})`);
  }
  const found = /\(PostgreSQL\) (\d+)/.exec(version.stdout);
  if (!found) throw new SchemaDumpError(`cannot read the version of ${command}: ${version.stdout.trim()}`);
  const clientMajor = Number(found[1]);
  if (clientMajor < major) {
    throw new SchemaDumpError(`${command} is PostgreSQL ${clientMajor}, the server is ${major}: install postgresql-client-${major}`);
  }
  return { command, major: clientMajor };
}

/** A normalised schema-only dump of the application's schemas in config's database (as the superuser). */
export async function dumpSchema(config: Config): Promise<{ sql: string; pgDumpMajor: number }> {
  const url = new URL(withDatabase(config.rootDatabaseUrl, databaseName(config.databaseUrl)));
  const pgDump = findPgDump(await serverMajor(url.toString()));
  // The password goes in the environment, not on the command line where `ps` shows it.
  const password = decodeURIComponent(url.password);
  url.password = "";
  const result = spawnSync(
    pgDump.command,
    ["--schema-only", ...DUMPED_SCHEMAS.map((schema) => `--schema=${schema}`), `--dbname=${url.toString()}`],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } },
  );
  if (result.error) throw new SchemaDumpError(`pg_dump: ${result.error.message}`);
  if (result.status !== 0) throw new SchemaDumpError(`pg_dump failed (exit ${result.status}): ${result.stderr.trim()}`);
  return { sql: normaliseDump(result.stdout, pgDump.major), pgDumpMajor: pgDump.major };
}
