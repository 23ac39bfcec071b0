// Prints who may do what in the database, table by table: `npm run policies`.
// Row level security, every policy (command, roles, USING, WITH CHECK) and each reviewed role's
// privileges, then every function's security mode and who may execute it. Read from the catalog
// of the migrated database (db/policies.ts); the definitions behind it are in db/schema.sql.
import "../lib/polyfills.ts";
import pg from "pg";
import { readTenancy, type FunctionSecurity, type Policy, type RelationSecurity, type RoleInfo, type TenancyReport } from "../db/policies.ts";
import { databaseName, loadConfig, ROLES, withDatabase } from "../lib/config.ts";

const shown = (role: string) => (role === "public" ? "PUBLIC" : role);
const indent = (text: string, prefix: string) => text.split("\n").join(`\n${prefix}`);

function formatRoles(roles: RoleInfo[]): string[] {
  const width = Math.max(...roles.map((r) => r.name.length));
  const lines = ["Roles (migrations/roles.sql)"];
  for (const r of roles) {
    const membership = r.memberOf.length === 0 ? ""
      : r.inherit ? `; has the privileges and policies of ${r.memberOf.join(", ")}`
      : `; may SET ROLE to ${r.memberOf.join(", ")} (NOINHERIT: gains nothing without it)`;
    lines.push(`  ${r.name.padEnd(width)}  ${r.login ? "login" : "nologin"}${membership}`);
    if (r.comment) lines.push(`  ${"".padEnd(width)}  ${r.comment}`);
  }
  return lines;
}

function formatPolicy(p: Policy): string[] {
  const head = `    ${p.name}: ${p.command} to ${p.roles.map(shown).join(", ")}${p.permissive ? "" : " (RESTRICTIVE)"}`;
  const lines = [head];
  if (p.using !== null) lines.push(`      using       ${indent(p.using, "                  ")}`);
  if (p.withCheck !== null) lines.push(`      with check  ${indent(p.withCheck, "                  ")}`);
  return lines;
}

function describeRelation(r: RelationSecurity): string {
  const owner = r.owner === ROLES.owner ? "" : `, owned by ${r.owner}`;
  if (r.kind === "view") return `view${r.securityInvoker ? " (security_invoker: the caller's policies apply)" : " (runs as its owner)"}${owner}`;
  if (r.kind !== "table" && r.kind !== "partitioned table") return `${r.kind} (no row level security)${owner}`;
  const rls = !r.rlsEnabled ? "RLS DISABLED" : r.rlsForced ? "RLS enabled and forced" : "RLS enabled, NOT forced (the owner bypasses it)";
  return `${r.kind}, ${rls}${owner}`;
}

function formatRelation(r: RelationSecurity): string[] {
  const lines = [`${r.name}: ${describeRelation(r)}`];
  if (r.kind === "table" || r.kind === "partitioned table") {
    lines.push(r.policies.length === 0 ? "  policies: none" : "  policies");
    for (const p of r.policies) lines.push(...formatPolicy(p));
  }
  if (r.grants.size === 0) {
    lines.push("  grants: none to the reviewed roles");
    return lines;
  }
  lines.push("  grants");
  const width = Math.max(...[...r.grants.keys()].map((role) => shown(role).length));
  for (const [role, privileges] of r.grants) {
    // Table-wide privileges on one line, then one line per privilege limited to columns.
    const tableWide = privileges.filter((p) => !p.columns).map((p) => p.privilege);
    const rows = [
      ...(tableWide.length > 0 ? [tableWide.join(", ")] : []),
      ...privileges.filter((p) => p.columns).map((p) => `${p.privilege} (${p.columns!.join(", ")})`),
    ];
    rows.forEach((row, i) => lines.push(`    ${(i === 0 ? shown(role) : "").padEnd(width)}  ${row}`));
  }
  return lines;
}

function formatFunction(f: FunctionSecurity): string[] {
  const mode = f.securityDefiner
    ? `SECURITY DEFINER as ${f.owner}, search_path ${f.searchPath ?? "NOT PINNED"}`
    : `invoker${f.owner === ROLES.owner ? "" : `, owned by ${f.owner}`}`;
  const executors = f.executors.length === 0 ? "none of the reviewed roles" : f.executors.map(shown).join(", ");
  return [`  ${f.signature}`, `      ${mode}; execute: ${executors}`];
}

function formatReport(report: TenancyReport, database: string): string {
  const app = report.relations.filter((r) => !r.external);
  const external = report.relations.filter((r) => r.external);
  const sections = [
    [
      `Tenancy in database ${database}: row level security, policies and privileges (npm run policies)`,
      "Privileges are effective: what a role may do while it is the current role, including what it inherits.",
      `A privilege without columns covers the whole table; one with columns, only those. Owner is ${ROLES.owner} unless said.`,
    ],
    formatRoles(report.roles),
    ...app.map(formatRelation),
    ...(external.length === 0 ? [] : [
      ["Outside the application's schemas: relations the reviewed roles may use (the job queue; granted by the migrations)"],
      ...external.map(formatRelation),
    ]),
    ["Functions (who may execute them; SECURITY DEFINER ones run with their owner's privileges)", ...report.functions.flatMap(formatFunction)],
  ];
  return `${sections.map((lines) => lines.join("\n")).join("\n\n")}\n`;
}

const config = loadConfig();
const database = databaseName(config.databaseUrl);
const client = new pg.Client({ connectionString: withDatabase(config.rootDatabaseUrl, database) });
await client.connect();
try {
  process.stdout.write(formatReport(await readTenancy(client), database));
} finally {
  await client.end();
}
