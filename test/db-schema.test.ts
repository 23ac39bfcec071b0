// The checked-in db/schema.sql is what the committed migrations build: a dump of the migrated test
// database, normalised as `npm run schema:export` normalises it, equals the file byte for byte.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dumpedByMajor, dumpSchema, normaliseDump, SCHEMA_FILE } from "../db/schema-dump.ts";
import { config } from "./support/db.ts";

/** The first line where two texts differ, with a little context; null when they are equal. */
function firstDifference(committed: string, dumped: string): string | null {
  if (committed === dumped) return null;
  const a = committed.split("\n");
  const b = dumped.split("\n");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const show = (lines: string[], sign: string) => lines.slice(i, i + 5).map((l) => `${sign} ${l}`).join("\n");
  return `db/schema.sql line ${i + 1} (- committed, + migrated database):\n${show(a, "-")}\n${show(b, "+")}`;
}

describe("db/schema.sql", () => {
  it("matches a dump of the migrated database (run `npm run schema:export` and commit db/schema.sql)", async () => {
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    const { sql, pgDumpMajor } = await dumpSchema(config);
    const committedMajor = dumpedByMajor(committed);
    expect(
      committedMajor,
      `db/schema.sql was written by pg_dump ${committedMajor} and this machine dumps with pg_dump ${pgDumpMajor}: ` +
        "pg_dump's output differs between major versions, so compare with the same major as the committed file " +
        `(install postgresql-client-${committedMajor} against a PostgreSQL ${committedMajor} server)`,
    ).toBe(pgDumpMajor);
    expect(firstDifference(committed, sql), "db/schema.sql is out of date: run `npm run schema:export` and commit it").toBeNull();
  });

  it("keeps no version lines or per-run random keys from pg_dump", () => {
    const raw = [
      "--",
      "-- PostgreSQL database dump",
      "--",
      "",
      "\\restrict AbC123randomKey",
      "",
      "-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)",
      "-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)",
      "",
      "SET statement_timeout = 0;",
      "CREATE SCHEMA app_public;",
      "",
      "\\unrestrict AbC123randomKey",
      "",
      "",
    ].join("\n");
    const normalised = normaliseDump(raw, 15);
    expect(normalised).not.toMatch(/^\\(un)?restrict|AbC123randomKey|Dumped (from|by)|15\.20/m);
    expect(normalised).toMatch(/^-- db\/schema\.sql: .*\n[^]*\n\nSET statement_timeout = 0;\nCREATE SCHEMA app_public;\n$/);
    expect(dumpedByMajor(normalised)).toBe(15);
  });
});
