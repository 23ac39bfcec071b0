// GraphQL isolation sweep: the machinery behind test/api-isolation-sweep.test.ts.
//
// It reads the API's schema by introspection over HTTP and, for every root field, builds real
// calls whose identifying arguments (UUID row ids, global node ids, foreign keys and unique keys,
// also nested in mutation inputs, patches and connection conditions) carry the values of a
// victim's rows. The test runs those calls as an attacker (another user, anonymous) and as the
// victim (positive control), scans every response for the victim's values, and compares the
// victim's rows in the database before and after. Nothing here names a table or a field: a new
// field is swept as soon as the schema has it, and one the builder cannot call is reported.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type {
  IntrospectionEnumType,
  IntrospectionField,
  IntrospectionInputValue,
  IntrospectionQuery,
  IntrospectionSchema,
  IntrospectionType,
  IntrospectionTypeRef,
} from "graphql";
import { getIntrospectionQuery } from "graphql";
import type { ApiServer } from "../../api/server.ts";
import { gql, type GqlResult } from "./api.ts";
import type { FixtureContext, TableFixture } from "./tenant-fixtures.ts";

// ---------------------------------------------------------------------------------------------
// Schema by introspection

export type Row = Record<string, unknown>;

export interface Schema {
  raw: IntrospectionSchema;
  types: Map<string, IntrospectionType>;
  query: string;
  mutation: string | null;
  subscription: string | null;
}

export async function introspect(api: ApiServer): Promise<Schema> {
  const r = await gql<IntrospectionQuery>(api, getIntrospectionQuery());
  if (!r.data) throw new Error(`introspection failed: ${JSON.stringify(r.errors)}`);
  const raw = r.data.__schema;
  return {
    raw,
    types: new Map(raw.types.map((t) => [t.name, t])),
    query: raw.queryType.name,
    mutation: raw.mutationType?.name ?? null,
    subscription: raw.subscriptionType?.name ?? null,
  };
}

export function named(ref: IntrospectionTypeRef): string {
  return "ofType" in ref && ref.ofType ? named(ref.ofType) : (ref as { name: string }).name;
}

export function typeString(ref: IntrospectionTypeRef): string {
  if (ref.kind === "NON_NULL") return `${typeString(ref.ofType)}!`;
  if (ref.kind === "LIST") return `[${typeString(ref.ofType)}]`;
  return ref.name;
}

export const isRequired = (ref: IntrospectionTypeRef) => ref.kind === "NON_NULL";
const isList = (ref: IntrospectionTypeRef): boolean => ref.kind === "LIST" || (ref.kind === "NON_NULL" && ref.ofType.kind === "LIST");

export function fieldsOf(schema: Schema, typeName: string): readonly IntrospectionField[] {
  const t = schema.types.get(typeName);
  return t && (t.kind === "OBJECT" || t.kind === "INTERFACE") ? t.fields : [];
}

function inputFieldsOf(schema: Schema, typeName: string): readonly IntrospectionInputValue[] {
  const t = schema.types.get(typeName);
  return t && t.kind === "INPUT_OBJECT" ? t.inputFields : [];
}

const kindOf = (schema: Schema, typeName: string) => schema.types.get(typeName)?.kind ?? "UNKNOWN";

// ---------------------------------------------------------------------------------------------
// Catalog: which table backs which GraphQL type, its key, columns, foreign keys and grants

export interface TableInfo {
  name: string; // schema-qualified
  kind: string; // relkind
  typeName: string | null; // the GraphQL type, when the API exposes the table
  omitted: boolean; // smart-tagged out of the API (@omit, @behavior -*)
  key: string[]; // primary key columns
  columns: Map<string, string>; // column -> pg type
  writable: Set<string>; // columns a superuser can set (not generated, not identity always)
  fk: Map<string, string>; // column -> referenced table
  unique: Set<string>; // columns in some unique index
  /** Columns the user role may update / insert; whether it may select and delete. */
  userCan: { select: boolean; insert: Set<string>; update: Set<string>; delete: boolean };
}

export const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const pascal = (s: string) => camel(s).replace(/^./, (c) => c.toUpperCase());
export const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

/** PostGraphile's singular for our table names (pluralize's rules for the endings in use). */
function singular(name: string): string {
  if (/ies$/.test(name)) return name.slice(0, -3) + "y";
  if (/(ss|us)$/.test(name)) return name;
  if (/s$/.test(name)) return name.slice(0, -1);
  return name;
}

/** The GraphQL field name of a column: camelCase, and `id` is `rowId` (the node id is `id`). */
export const gqlName = (column: string) => (column === "id" ? "rowId" : camel(column));

function columnOf(info: TableInfo, name: string): string | null {
  if (name === "rowId") return info.columns.has("id") ? "id" : null;
  const col = snake(name);
  return info.columns.has(col) && gqlName(col) === name ? col : null;
}

export async function readCatalog(root: pg.Pool, schemas: readonly string[], schema: Schema, userRole: string): Promise<Map<string, TableInfo>> {
  const { rows } = await root.query<{
    name: string;
    kind: string;
    comment: string | null;
    key: string[] | null;
    columns: [string, string, boolean, boolean, boolean][];
    fks: [string, string][] | null;
    uniq: string[] | null;
    can_select: boolean;
    can_delete: boolean;
  }>(
    `select n.nspname || '.' || c.relname as name, c.relkind::text as kind, obj_description(c.oid, 'pg_class') as comment,
       (select array_agg(a.attname::text order by k.ord) from pg_index i
          cross join unnest(i.indkey) with ordinality k(attnum, ord)
          join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
         where i.indrelid = c.oid and i.indisprimary) as key,
       (select json_agg(json_build_array(a.attname, format_type(a.atttypid, a.atttypmod),
                 has_column_privilege($2, c.oid, a.attnum, 'INSERT'), has_column_privilege($2, c.oid, a.attnum, 'UPDATE'),
                 a.attgenerated = '' and a.attidentity <> 'a') order by a.attnum)
          from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
       (select json_agg(json_build_array(a.attname, fn.nspname || '.' || fc.relname) order by con.oid, k.ord)
          from pg_constraint con
          cross join unnest(con.conkey) with ordinality k(attnum, ord)
          join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
          join pg_class fc on fc.oid = con.confrelid join pg_namespace fn on fn.oid = fc.relnamespace
         where con.conrelid = c.oid and con.contype = 'f') as fks,
       (select array_agg(distinct a.attname::text) from pg_index i
          cross join unnest(i.indkey) k(attnum)
          join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
         where i.indrelid = c.oid and i.indisunique) as uniq,
       has_table_privilege($2, c.oid, 'SELECT') as can_select, has_table_privilege($2, c.oid, 'DELETE') as can_delete
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'f')
     order by 1`,
    [schemas, userRole],
  );
  const tables = new Map<string, TableInfo>();
  for (const r of rows) {
    const tag = /@name\s+(\S+)/.exec(r.comment ?? "")?.[1];
    const candidate = pascal(singular(tag ?? r.name.split(".")[1]!));
    const fk = new Map<string, string>();
    // Composite parent keys (parent_id, user_id) also list the owner column: keep the first target.
    for (const [col, target] of r.fks ?? []) if (!fk.has(col)) fk.set(col, target);
    tables.set(r.name, {
      name: r.name,
      kind: r.kind,
      typeName: kindOf(schema, candidate) === "OBJECT" ? candidate : null,
      omitted: /@omit\b|@behavior\s+-\*/.test(r.comment ?? ""),
      key: r.key ?? [],
      columns: new Map(r.columns.map(([c, t]) => [c, t])),
      writable: new Set(r.columns.filter((c) => c[4]).map((c) => c[0])),
      fk,
      unique: new Set(r.uniq ?? []),
      userCan: {
        select: r.can_select,
        insert: new Set(r.columns.filter((c) => c[2]).map((c) => c[0])),
        update: new Set(r.columns.filter((c) => c[3]).map((c) => c[0])),
        delete: r.can_delete,
      },
    });
  }
  return tables;
}

// ---------------------------------------------------------------------------------------------
// Planting rows (as the superuser, from the shared fixtures)

const ident = (name: string) => name.split(".").map((p) => `"${p.replace(/"/g, '""')}"`).join(".");
const TEXT_TYPES = /^(text|character varying|citext)/;

export class Planter {
  private n = 1_000 + Math.floor(Math.random() * 1_000_000);
  private cache = new Map<string, string>();
  constructor(
    private root: pg.Pool,
    private fixtures: Record<string, TableFixture>,
    private tables: Map<string, TableInfo>,
  ) {}

  next(): number {
    return this.n++;
  }

  private fixture(table: string): TableFixture {
    const f = this.fixtures[table];
    if (!f) throw new Error(`no fixture for ${table} (add one to test/support/tenant-fixtures.ts)`);
    return f;
  }

  keyColumn(table: string): string {
    return this.tables.get(table)?.key[0] ?? this.fixture(table).key ?? "id";
  }

  context(owner: string | null): FixtureContext {
    const parent = async (table: string, fresh: boolean) => {
      const owned = this.fixture(table).kind === "tenant" ? owner : null;
      return fresh ? this.insert(table, owned) : this.cached(table, owned);
    };
    return { userId: owner, n: this.next(), ref: (t) => parent(t, false), create: (t) => parent(t, true) };
  }

  /** A parent row shared by later rows of the same owner; planted again if it was deleted meanwhile. */
  private async cached(table: string, owner: string | null): Promise<string> {
    const k = `${table}|${owner}`;
    const id = this.cache.get(k);
    if (id && (await this.read(table, id))) return id;
    const fresh = await this.insert(table, owner);
    this.cache.set(k, fresh);
    return fresh;
  }

  /** Inserts a fixture row (with `override` applied) and returns its key. */
  async insert(table: string, owner: string | null, override?: (ctx: FixtureContext) => Promise<Row> | Row): Promise<string> {
    const f = this.fixture(table);
    const ctx = this.context(owner);
    if (f.existing && !override) return f.existing(ctx);
    const row = { ...(await f.row(ctx)), ...(override ? await override(ctx) : {}) };
    const cols = Object.keys(row);
    const { rows } = await this.root.query<{ key: string }>(
      `insert into ${ident(table)} (${cols.map((c) => `"${c}"`).join(", ")}) values (${cols.map((_, i) => `$${i + 1}`).join(", ")})
       returning "${this.keyColumn(table)}"::text as key`,
      cols.map((c) => row[c]),
    );
    const key = rows[0]!.key;
    // Nullable text columns of unique keys (idempotency keys...) get a value, so that the API's
    // lookups by those keys have something to find.
    const info = this.tables.get(table);
    for (const col of info?.unique ?? []) {
      if (!TEXT_TYPES.test(info?.columns.get(col) ?? "") || info?.fk.has(col)) continue;
      await this.root
        .query(`update ${ident(table)} set "${col}" = $1 where "${this.keyColumn(table)}"::text = $2 and "${col}" is null`, [`sweep-${col.replace(/_/g, "-")}-${this.next()}`, key])
        .catch(() => undefined);
    }
    return key;
  }

  /** Appends `tag` to every free text column of the row that accepts it, so the row's content is
   *  unmistakable in a response (fixtures reuse values like "a chat" for every owner). */
  async mark(table: string, key: string, tag: string): Promise<void> {
    const info = this.tables.get(table)!;
    for (const [col, type] of info.columns) {
      if (!TEXT_TYPES.test(type) || info.unique.has(col) || info.fk.has(col) || info.key.includes(col)) continue;
      await this.root
        .query(`update ${ident(table)} set "${col}" = "${col}" || $1 where "${this.keyColumn(table)}"::text = $2 and "${col}" is not null`, [` ${tag}`, key])
        .catch(() => undefined); // a check constraint or trigger refused: leave the column as it is
    }
  }

  /** Puts a row back as it was (`row` from read()): the columns that differ, as the superuser. */
  async restore(table: string, key: string, row: Row): Promise<void> {
    const now = await this.read(table, key);
    if (!now) return;
    const info = this.tables.get(table)!;
    const cols = [...info.writable].filter((c) => JSON.stringify(now[c]) !== JSON.stringify(row[c]));
    if (cols.length === 0) return;
    await this.root.query(
      `update ${ident(table)} t set (${cols.map((c) => `"${c}"`).join(", ")}) = (select ${cols.map((c) => `r."${c}"`).join(", ")}
         from jsonb_populate_record(null::${ident(table)}, $1) r) where t."${this.keyColumn(table)}"::text = $2`,
      [JSON.stringify(row), key],
    );
  }

  /** The row as JSON (column names), read as the superuser. */
  async read(table: string, key: string): Promise<Row | null> {
    const { rows } = await this.root.query<{ row: Row }>(`select to_jsonb(t) as row from ${ident(table)} t where "${this.keyColumn(table)}"::text = $1`, [key]);
    return rows[0]?.row ?? null;
  }
}

// ---------------------------------------------------------------------------------------------
// Victims: one user's rows (or planted shared rows) per table

export interface VictimRow {
  table: string;
  key: string;
  row: Row; // column -> JSON value
}

export interface Victim {
  label: string;
  userId: string;
  /** Rows per table; the first is the default target, later ones cover keys the first lacks. */
  rows: Map<string, VictimRow[]>;
}

/** PostGraphile v5 global object identifiers: base64 of JSON [TypeName, ...primary key]. */
export function nodeId(typeName: string, key: unknown[]): string {
  return Buffer.from(JSON.stringify([typeName, ...key])).toString("base64");
}

export function decodeNodeId(id: string): unknown {
  try {
    return JSON.parse(Buffer.from(id, "base64").toString("utf8"));
  } catch {
    return null;
  }
}

export class Model {
  readonly tableOfType = new Map<string, string>();
  constructor(
    readonly schema: Schema,
    readonly tables: Map<string, TableInfo>,
  ) {
    for (const t of tables.values()) if (t.typeName) this.tableOfType.set(t.typeName, t.name);
  }

  /** Node id of a row as the API encodes it (bigint keys as text, as the API serialises them). */
  nodeIdOf(v: VictimRow): string | null {
    const info = this.tables.get(v.table);
    if (!info?.typeName || info.key.length === 0) return null;
    if (!fieldsOf(this.schema, info.typeName).some((f) => f.name === "id" && named(f.type) === "ID")) return null;
    return nodeId(
      info.typeName,
      info.key.map((k) => (typeof v.row[k] === "number" && /bigint/.test(info.columns.get(k) ?? "") ? String(v.row[k]) : v.row[k])),
    );
  }

  /** Tables matching an argument-name stem: `conversation` → conversations, `version` → both *_versions. */
  tablesForStem(stem: string): string[] {
    const words = snake(stem).split("_");
    const exposed = [...this.tables.values()].filter((t) => t.typeName);
    for (let i = 0; i < words.length; i++) {
      const suffix = words.slice(i).join("_");
      const exact = exposed.filter((t) => singular(t.name.split(".")[1]!) === suffix);
      if (exact.length) return exact.map((t) => t.name);
      const ending = exposed.filter((t) => singular(t.name.split(".")[1]!).endsWith(`_${suffix}`));
      if (ending.length) return ending.map((t) => t.name);
    }
    return [];
  }

  /** The table a root field works on: its return type, a connection's node type, a payload's record. */
  contextTable(field: IntrospectionField, isMutation: boolean): string | null {
    const ret = named(field.type);
    if (this.tableOfType.has(ret)) return this.tableOfType.get(ret)!;
    const nodes = fieldsOf(this.schema, ret).find((f) => f.name === "nodes");
    if (nodes && this.tableOfType.has(named(nodes.type))) return this.tableOfType.get(named(nodes.type))!;
    if (isMutation) {
      const entity = field.name.replace(/^(create|update|delete)/, "").replace(/By[A-Z].*$/, "");
      if (this.tableOfType.has(entity)) return this.tableOfType.get(entity)!;
      const records = fieldsOf(this.schema, ret).filter((f) => this.tableOfType.has(named(f.type)));
      if (records.length === 1) return this.tableOfType.get(named(records[0]!.type))!;
    }
    // Functions returning records of their own: `searchMemories` → user_memories.
    const stem = field.name.replace(/^(search|get|find|list)/, "");
    const byName = [...this.tables.values()].filter((t) => t.typeName && stem !== field.name && `${t.typeName}s`.replace(/ys$/, "ies").endsWith(stem));
    return byName.length === 1 ? byName[0]!.name : null;
  }

  /** Whether the field is PostGraphile's CRUD for its table (not a custom function). */
  isCrud(field: IntrospectionField, isMutation: boolean): boolean {
    const table = this.contextTable(field, isMutation);
    if (!table) return false;
    const typeName = this.tables.get(table)!.typeName!;
    if (!isMutation) {
      const ret = named(field.type);
      return ret === typeName || ret === `${typeName}Connection`;
    }
    return new RegExp(`^(create|update|delete)${typeName}(By[A-Z]\\w*)?$`).test(field.name);
  }
}

// ---------------------------------------------------------------------------------------------
// Building calls

export type CallKind = "read" | "create" | "update" | "delete" | "other";

export interface SweepCall {
  field: string; // "Query.conversation"
  kind: CallKind;
  table: string | null;
  variant: string;
  document: string;
  variables: Record<string, unknown>;
  /** Every string the call supplied (and decoded node ids): a value the caller sent is not a leak. */
  supplied: Set<string>;
  /** The call carries at least one id, node id, foreign key or unique key of the victim. */
  targetsVictim: boolean;
  /** For mutations: the payload field holding the changed row, if any. */
  recordField: string | null;
  /** For updates: the patch changes a value (rather than setting a column to itself). */
  changes: boolean;
}

export type BuildResult = { calls: SweepCall[] } | { skip: string };

interface Alt {
  value: unknown; // undefined = leave the argument out
  notes: string[];
  victim: boolean; // carries a victim id or key
  exact: boolean; // taken from the target row itself (not a parent, a guess or a made-up value)
  changes?: boolean;
}

const FREE_TEXT = ["title", "display_name", "label", "reason", "description", "instructions", "assistant_name", "summary", "content", "filename", "suspended_reason", "review_reason"];
const SCALAR_DEFAULTS: Record<string, unknown> = {
  String: "sweep",
  Int: 1,
  Float: 1,
  Boolean: true,
  BigInt: "1",
  BigFloat: "1",
  Datetime: new Date(Date.UTC(2031, 0, 1)).toISOString(),
  Date: "2031-01-01",
  Time: "12:00:00",
  JSON: {},
  UUID: "00000000-0000-4000-8000-000000000000",
};

export interface BuildOptions {
  /** Whose ids fill the call. */
  victim: Victim;
  /** For "attach" variants of updates: the caller's own row, re-pointed at the victim's rows. */
  attacker?: Victim;
  /** Written into the free-text field a patch changes. */
  tag: string;
  /** Preferred patch per table (column -> value): the fixtures' `ownUpdate`. */
  patchHints?: Record<string, Row | undefined>;
  /** Selection depth below the root field (wrappers: payloads, connections, edges). */
  depth?: number;
}

type Mode = "wrapper" | "record" | "patch" | "attach-patch" | "condition";

export class CallBuilder {
  private counter = 0;
  constructor(readonly model: Model) {}

  private get schema() {
    return this.model.schema;
  }

  // -- values --------------------------------------------------------------------------------

  /** A database value as the GraphQL input type expects it. */
  private convert(value: unknown, ref: IntrospectionTypeRef): unknown {
    if (value === null || value === undefined) return undefined;
    const n = named(ref);
    const kind = kindOf(this.schema, n);
    if (isList(ref)) {
      if (!Array.isArray(value)) return undefined;
      const inner = (ref.kind === "NON_NULL" ? (ref.ofType as { ofType: IntrospectionTypeRef }) : (ref as { ofType: IntrospectionTypeRef })).ofType;
      return value.map((v) => this.convert(v, inner));
    }
    if (kind === "ENUM") {
      const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "_");
      return (this.schema.types.get(n) as IntrospectionEnumType).enumValues.find((e) => norm(e.name) === norm(String(value)))?.name;
    }
    if (kind === "INPUT_OBJECT") return undefined;
    switch (n) {
      case "Int":
      case "Float":
        return Number(value);
      case "BigInt":
      case "BigFloat":
        return String(value);
      case "Boolean":
        return Boolean(value);
      case "JSON":
        return value;
      default:
        return typeof value === "string" ? value : kind === "SCALAR" && typeof value !== "object" ? String(value) : undefined;
    }
  }

  private plausible(ref: IntrospectionTypeRef, name: string): unknown {
    const n = named(ref);
    let v: unknown;
    if (kindOf(this.schema, n) === "ENUM") v = (this.schema.types.get(n) as IntrospectionEnumType).enumValues[0]?.name;
    else if (n === "String" && /email/i.test(name)) v = `sweep-${randomUUID().slice(0, 8)}@example.test`;
    else if (n === "String") v = `sweep-${name}-${randomUUID().slice(0, 8)}`;
    else if (n === "Int" || n === "BigInt") v = n === "Int" ? 1 + (this.counter++ % 1000) : String(1 + (this.counter++ % 1000));
    else v = SCALAR_DEFAULTS[n];
    if (v === undefined) return undefined;
    return isList(ref) ? [v] : v;
  }

  private fresh(like: unknown, ref: IntrospectionTypeRef, name: string): unknown {
    const n = 10_000 + (this.counter++ % 80_000) + Math.floor(Math.random() * 10_000);
    if (typeof like === "string" && named(ref) === "String") {
      if (/@/.test(like)) return `sweep-${n}-${like}`;
      return /\d+(?!.*\d)/.test(like) ? like.replace(/\d+(?!.*\d)/, String(n)) : `${like}-${n}`;
    }
    // Earlier, so that a period starting here still ends after it starts.
    if (typeof like === "string" && /^\d{4}-\d\d-\d\dT/.test(like)) return new Date(Date.parse(like) - n * 86_400_000).toISOString();
    return this.plausible(ref, name);
  }

  /** Whether a scalar argument of this name and type identifies a row. */
  private idLike(name: string, ref: IntrospectionTypeRef, table: string | null): boolean {
    const n = named(ref);
    if (n === "ID") return true;
    if ((name === "rowId" || /Id$/.test(name)) && ["UUID", "BigInt", "Int"].includes(n)) return true;
    const info = table ? this.model.tables.get(table) : undefined;
    const col = info ? columnOf(info, name) : null;
    return !!col && !!info && (info.key.includes(col) || info.fk.has(col) || info.unique.has(col));
  }

  /** Alternatives for one scalar argument, from the victim's rows. */
  private scalarAlts(name: string, ref: IntrospectionTypeRef, table: string | null, o: BuildOptions, row: VictimRow | undefined, who = o.victim.label): Alt[] {
    const n = named(ref);
    const info = table ? this.model.tables.get(table) : undefined;
    if (n === "ID") {
      // Global node ids: of the row itself, or of the table the name points at, or of every table.
      if (name === "id" && row) {
        const id = this.model.nodeIdOf(row);
        if (id) return [{ value: id, notes: [`${name}=nodeId(${who}:${row.table})`], victim: true, exact: true }];
      }
      const stem = name.replace(/(Node)?Id$/, "");
      const targets = stem !== name && stem ? this.model.tablesForStem(stem) : [...this.model.tables.keys()];
      return targets.flatMap((t) => {
        const v = o.victim.rows.get(t)?.[0];
        const id = v ? this.model.nodeIdOf(v) : null;
        return id ? [{ value: id, notes: [`${name}=nodeId(${o.victim.label}:${t})`], victim: true, exact: false }] : [];
      });
    }
    // A column of the context table: the row's own value (its key, a parent's key, a unique key, content).
    const col = info ? columnOf(info, name) : null;
    if (col && row) {
      const value = this.convert(row.row[col], ref);
      if (value !== undefined) return [{ value, notes: [`${name}=${who}:${row.table}.${col}`], victim: this.idLike(name, ref, table), exact: true }];
      // The row leaves it empty (an optional parent): the victim's row of the parent table.
      const target = info?.fk.get(col);
      const parent = target ? o.victim.rows.get(target)?.[0] : undefined;
      if (parent) return [{ value: this.convert(parent.key, ref), notes: [`${name}=${o.victim.label}:${target}`], victim: true, exact: false }];
    }
    // `userId`, `planId`, `subscriptionId`, `versionId`... of a function: the victim's row of that table.
    if (/Id$/.test(name) && ["UUID", "BigInt", "Int"].includes(n)) {
      const alts = this.model.tablesForStem(name.slice(0, -2)).flatMap((t) => {
        const v = o.victim.rows.get(t)?.[0];
        return v ? [{ value: this.convert(v.key, ref), notes: [`${name}=${o.victim.label}:${t}`], victim: true, exact: false }] : [];
      });
      if (alts.length) return alts;
    }
    // Free text a function searches (search_memories(query)): the row's content.
    if (name === "query" && n === "String" && row) {
      const text = ["content", "title", "name"].map((c) => row.row[c]).find((v) => typeof v === "string");
      // The victim's own content is what the search would find: a probe, like an id.
      if (typeof text === "string") return [{ value: text, notes: [`${name}=${who}:${row.table} text`], victim: true, exact: true }];
    }
    return [];
  }

  /** The one change a patch makes: the fixture's own update, else a free-text column the user may
   *  update set to a fresh tag, else an updatable column set to its current value. */
  private patchChange(fields: readonly IntrospectionInputValue[], table: string | null, o: BuildOptions, row: VictimRow | undefined): { name: string; alt: Alt }[] {
    const info = table ? this.model.tables.get(table) : undefined;
    const byCol = new Map(fields.flatMap((f) => {
      const col = info ? columnOf(info, f.name) : null;
      return col ? [[col, f] as const] : [];
    }));
    const hint = table ? o.patchHints?.[table] : undefined;
    if (hint && Object.keys(hint).every((c) => byCol.has(c))) {
      const out = Object.entries(hint).map(([c, v]) => ({ name: byCol.get(c)!.name, alt: { value: this.convert(v, byCol.get(c)!.type), notes: [`${byCol.get(c)!.name}=own update`], victim: false, exact: true, changes: true } }));
      if (out.every((x) => x.alt.value !== undefined)) return out;
    }
    const granted = (c: string) => info?.userCan.update.has(c) ?? false;
    const text = (pred: (c: string) => boolean) => [...byCol].find(([c, f]) => FREE_TEXT.includes(c) && named(f.type) === "String" && pred(c));
    const itself = (pred: (c: string) => boolean) =>
      [...byCol].find(([c, f]) => pred(c) && row && this.convert(row.row[c], f.type) !== undefined && kindOf(this.schema, named(f.type)) !== "INPUT_OBJECT");
    const tagged = (f: IntrospectionInputValue) => [{ name: f.name, alt: { value: `${o.tag} #${++this.counter}`, notes: [`${f.name}=tag`], victim: false, exact: true, changes: true } }];
    const same = (c: string, f: IntrospectionInputValue) => [{ name: f.name, alt: { value: this.convert(row!.row[c], f.type), notes: [`${f.name}=itself`], victim: false, exact: true, changes: false } }];
    const t1 = text(granted);
    if (t1) return tagged(t1[1]);
    const s1 = itself(granted);
    if (s1) return same(s1[0], s1[1]);
    const t2 = text(() => true);
    if (t2) return tagged(t2[1]);
    const s2 = itself(() => true);
    if (s2) return same(s2[0], s2[1]);
    const first = fields.find((f) => kindOf(this.schema, named(f.type)) !== "INPUT_OBJECT");
    const v = first ? this.plausible(first.type, first.name) : undefined;
    return first && v !== undefined ? [{ name: first.name, alt: { value: v, notes: [`${first.name}=plausible`], victim: false, exact: false, changes: true } }] : [];
  }

  /** Alternatives for an input object: a mutation's input, a create's record, a patch, a condition. */
  private objectAlts(typeName: string, table: string | null, o: BuildOptions, row: VictimRow | undefined, mode: Mode, keyRow?: VictimRow): Alt[] | null {
    // Inputs named after a table type work on that table.
    const entity = typeName.replace(/^(Create|Update|Delete)/, "").replace(/(By[A-Z]\w*)?(Input|Patch|Condition|Filter)$/, "");
    const entityTable = this.model.tableOfType.get(entity);
    if (entityTable && entityTable !== table) {
      table = entityTable;
      row = o.victim.rows.get(table)?.[0];
    }
    const info = table ? this.model.tables.get(table) : undefined;
    const fields = inputFieldsOf(this.schema, typeName).filter((f) => f.name !== "clientMutationId");
    // PostGraphile's own inputs (CreateXInput, UpdateXByYInput...) versus a custom function's.
    const crud = /^(Create|Update|Delete)/.test(typeName) && !!entityTable;

    if (mode === "patch") return zip(this.patchChange(fields, table, o, row).map((c) => ({ name: c.name, alts: [c.alt] })));

    const required: { name: string; alts: Alt[] }[] = [];
    const optional: { name: string; alts: Alt[] }[] = [];
    for (const f of fields) {
      const n = named(f.type);
      if (kindOf(this.schema, n) === "INPUT_OBJECT") {
        const sub = /Patch$/.test(n) ? (keyRow ? "attach-patch" : "patch") : /Condition$/.test(n) ? "condition" : entity && n === `${entity}Input` ? "record" : this.model.tableOfType.has(n.replace(/Input$/, "")) ? "record" : "wrapper";
        if (!isRequired(f.type) && sub !== "patch" && sub !== "attach-patch") continue;
        const alts = this.objectAlts(n, table, o, row, sub);
        if (!alts || alts.length === 0) {
          if (isRequired(f.type)) return null;
          continue;
        }
        (isRequired(f.type) ? required : optional).push({ name: f.name, alts });
        continue;
      }
      if (mode === "attach-patch") {
        // The attacker's own row re-pointed at the victim's rows: one reference at a time.
        if (!this.idLike(f.name, f.type, table) || (info && columnOf(info, f.name) && info.key.includes(columnOf(info, f.name)!))) continue;
        const alts = this.scalarAlts(f.name, f.type, table, o, row).filter((a) => a.victim);
        if (alts.length) optional.push({ name: f.name, alts });
        continue;
      }
      const source = keyRow ?? row;
      const who = keyRow ? "own" : o.victim.label;
      let alts = this.scalarAlts(f.name, f.type, table, o, source, who);
      const idish = this.idLike(f.name, f.type, table);
      const col = info ? columnOf(info, f.name) : null;
      if (mode === "condition") {
        alts = idish ? alts.filter((a) => a.exact) : [];
        if (alts.length) optional.push({ name: f.name, alts });
        continue;
      }
      if (mode === "record" && col && info?.unique.has(col) && !info.fk.has(col)) {
        // A new row must not collide with the victim's unique values (that would only prove the
        // collision): the victim's value with a fresh number, so its format stays valid.
        const v = this.fresh(source?.row[col], f.type, f.name);
        alts = v === undefined ? [] : [{ value: v, notes: [`${f.name}=fresh`], victim: false, exact: false }];
      }
      // A function's arguments are all optional in GraphQL but rarely in SQL: fill them all.
      const functionArg = mode === "wrapper" && !crud;
      if (isRequired(f.type) || functionArg) {
        if (alts.length === 0) {
          const v = this.plausible(f.type, f.name);
          if (v === undefined && isRequired(f.type)) return null;
          alts = v === undefined ? [] : [{ value: v, notes: [`${f.name}=plausible`], victim: false, exact: false }];
        }
        if (alts.length) required.push({ name: f.name, alts });
      } else if (alts.some((a) => a.victim)) optional.push({ name: f.name, alts: alts.filter((a) => a.victim) });
      // A new row is the victim's row again (other than its keys): realistic values that pass the checks.
      else if (mode === "record" && alts.length) required.push({ name: f.name, alts });
    }
    if (mode === "condition") return optional.length ? zip(optional) : [];
    if (mode === "attach-patch") {
      // Each reference alone (a check constraint on a combination would otherwise hide the others).
      return optional.flatMap((p) => zip([p]));
    }
    // All victim references together, and (for records) each alone: a constraint on combinations
    // (exactly one of two parents) must not be what stops the others.
    const variants = [zip([...required, ...optional])];
    if (mode === "record" && optional.length > 1) for (const p of optional) variants.push(zip([...required, p]));
    return variants.flat();
  }

  // -- selections ----------------------------------------------------------------------------

  /** Every column of the rows the field returns. A row's relations are not followed: they would
   *  pull in tables the caller may not read at all, and one forbidden table fails the whole field. */
  selection(typeName: string, depth: number, alias = ""): string {
    const t = this.schema.types.get(typeName);
    if (!t) return "__typename";
    if (typeName === this.schema.query) return "__typename";
    if (t.kind === "INTERFACE" || t.kind === "UNION") {
      // Same-named fields of different types would conflict across the fragments: alias them.
      const possible = (t as { possibleTypes: readonly { name: string }[] }).possibleTypes;
      return ["__typename", ...possible.map((p) => `... on ${p.name} { ${this.selection(p.name, Math.min(depth, 1), `${p.name}_`)} }`)].join(" ");
    }
    if (t.kind !== "OBJECT") return "";
    const parts = ["__typename"];
    for (const f of t.fields) {
      if (f.args.some((a) => isRequired(a.type) && a.defaultValue == null)) continue;
      const n = named(f.type);
      const kind = kindOf(this.schema, n);
      const as = alias ? `${alias}${f.name}: ${f.name}` : f.name;
      if (kind === "SCALAR" || kind === "ENUM") parts.push(as);
      else if (n !== this.schema.query && depth > 0 && !this.model.tableOfType.has(typeName)) parts.push(`${as} { ${this.selection(n, depth - 1)} }`);
    }
    return parts.join(" ");
  }

  // -- calls ---------------------------------------------------------------------------------

  build(rootType: string, field: IntrospectionField, o: BuildOptions): BuildResult {
    const isMutation = rootType === this.schema.mutation;
    const table = this.model.contextTable(field, isMutation);
    const kind: CallKind = !isMutation ? "read" : ((/^(create|update|delete)[A-Z]/.exec(field.name)?.[1] as CallKind | undefined) ?? "other");
    const rows = table ? o.victim.rows.get(table) ?? [] : [];
    const retType = named(field.type);
    const leaf = ["SCALAR", "ENUM"].includes(kindOf(this.schema, retType));
    const tableType = table ? this.model.tables.get(table)!.typeName : null;
    const recordField = isMutation ? fieldsOf(this.schema, retType).find((f) => named(f.type) === tableType)?.name ?? null : null;

    const argAlts = (row: VictimRow | undefined, keyRow?: VictimRow): { name: string; alts: Alt[] }[] | null => {
      const perArg: { name: string; alts: Alt[] }[] = [];
      for (const a of field.args) {
        const n = named(a.type);
        let alts: Alt[];
        if (kindOf(this.schema, n) === "INPUT_OBJECT") {
          const mode: Mode = /Condition$/.test(n) ? "condition" : /Patch$/.test(n) ? "patch" : "wrapper";
          const built = this.objectAlts(n, table, o, row, mode, keyRow);
          if (built === null) return null;
          alts = isRequired(a.type) ? built : built.filter((x) => x.victim);
        } else {
          alts = this.scalarAlts(a.name, a.type, table, o, keyRow ?? row);
          if (!isRequired(a.type)) alts = alts.filter((x) => x.victim || a.name === "query");
        }
        if (alts.length === 0 && isRequired(a.type)) {
          const v = this.plausible(a.type, a.name);
          if (v === undefined) return null;
          alts = [{ value: v, notes: [`${a.name}=plausible`], victim: false, exact: false }];
        }
        if (alts.length) perArg.push({ name: a.name, alts });
      }
      return perArg;
    };
    const score = (perArg: { alts: Alt[] }[]) => perArg.reduce((s, p) => s + p.alts.filter((a) => !a.exact).length, 0);

    const variants: { label: string; args: Record<string, Alt> }[] = [];
    const add = (perArg: { name: string; alts: Alt[] }[], label: string) => {
      const count = Math.max(1, ...perArg.map((p) => p.alts.length));
      for (let i = 0; i < count; i++) variants.push({ label, args: Object.fromEntries(perArg.map((p) => [p.name, p.alts[i % p.alts.length]!])) });
    };
    // The victim's row; a later one when the first lacks a value this field looks rows up by.
    let best: { name: string; alts: Alt[] }[] | null = null;
    for (const row of rows.length ? rows : [undefined]) {
      const perArg = argAlts(row);
      if (perArg && (!best || score(perArg) < score(best))) best = perArg;
    }
    if (best) add(best, "");
    // Attach: the caller's own row with the victim's rows put into its references.
    if (o.attacker && kind === "update" && table && rows[0]) {
      const own = o.attacker.rows.get(table)?.[0];
      const perArg = own ? argAlts(rows[0], own) : null;
      if (perArg && perArg.some((p) => p.alts.some((a) => a.victim))) add(perArg, "attach");
    }
    // Connections: also with no arguments at all.
    if (!isMutation && fieldsOf(this.schema, retType).some((f) => f.name === "nodes") && field.args.every((a) => !isRequired(a.type))) variants.push({ label: "bare", args: {} });
    if (variants.length === 0) return { skip: "no call could be built (an argument of a type the builder cannot fill)" };

    const op = isMutation ? "mutation" : "query";
    const selection = leaf ? "" : ` { ${this.selection(retType, o.depth ?? 3)} }`;
    const calls: SweepCall[] = [];
    const seen = new Set<string>();
    for (const v of variants) {
      const used = Object.entries(v.args).filter(([, alt]) => alt.value !== undefined);
      const defs = used.map(([name]) => `$${name}: ${typeString(field.args.find((a) => a.name === name)!.type)}`);
      const argText = used.map(([name]) => `${name}: $${name}`).join(", ");
      const document = `${op} Sweep${defs.length ? `(${defs.join(", ")})` : ""} { ${field.name}${argText ? `(${argText})` : ""}${selection} }`;
      const variables = Object.fromEntries(used.map(([name, alt]) => [name, alt.value]));
      const key = document + JSON.stringify(variables);
      if (seen.has(key)) continue;
      seen.add(key);
      calls.push({
        field: `${rootType}.${field.name}`,
        kind,
        table,
        variant: [v.label, ...used.flatMap(([, alt]) => alt.notes)].filter(Boolean).join(" "),
        document,
        variables,
        supplied: new Set(readable(variables)),
        targetsVictim: used.some(([, alt]) => alt.victim),
        recordField,
        changes: used.some(([, alt]) => alt.changes !== false),
      });
    }
    return { calls };
  }
}

function zip(perField: { name: string; alts: Alt[] }[]): Alt[] {
  const count = Math.max(1, ...perField.map((p) => p.alts.length));
  const out: Alt[] = [];
  for (let i = 0; i < count; i++) {
    const value: Record<string, unknown> = {};
    const alt: Alt = { value, notes: [], victim: false, exact: true };
    for (const p of perField) {
      const a = p.alts[i % p.alts.length]!;
      if (a.value === undefined) continue;
      value[p.name] = a.value;
      alt.notes.push(...a.notes);
      alt.victim ||= a.victim;
      alt.exact &&= a.exact;
      if (a.changes !== undefined) alt.changes = (alt.changes ?? false) || a.changes;
    }
    out.push(alt);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Running calls and looking for the victim's data

export function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** Every string in a value, plus the decoded form of those that are base64 (node ids, cursors). */
function readable(value: unknown): string[] {
  const out: string[] = [];
  for (const s of strings(value)) {
    out.push(s);
    if (s.length >= 8 && /^[A-Za-z0-9+/]+={0,2}$/.test(s)) {
      const decoded = Buffer.from(s, "base64").toString("utf8");
      if (/^[\x20-\x7e]+$/.test(decoded)) out.push(decoded);
    }
  }
  return out;
}

/** Values that identify the victim's data: keys, node ids, and strings no one else's rows contain. */
export function markersOf(model: Model, victim: Victim, others: Victim[], extra: string[] = []): Set<string> {
  const foreign = new Set<string>();
  for (const o of others) for (const rows of o.rows.values()) for (const r of rows) for (const s of strings(r.row)) foreign.add(s);
  const markers = new Set<string>(extra);
  for (const rows of victim.rows.values()) {
    for (const r of rows) {
      markers.add(r.key);
      const id = model.nodeIdOf(r);
      if (id) markers.add(id);
      for (const [col, v] of Object.entries(r.row)) {
        // Timestamps the database set itself are not content (and are formatted differently).
        if (typeof v === "string" && !(/_at$/.test(col) && /^\d{4}-\d\d-\d\dT/.test(v))) markers.add(v);
      }
    }
  }
  for (const s of [...markers]) if (foreign.has(s) || s.length < 6) markers.delete(s);
  return markers;
}

export interface CallOutcome {
  call: SweepCall;
  actor: string;
  status: number;
  /** The field returned a row (a non-empty list, a payload holding its record). */
  gotData: boolean;
  codes: string[];
  messages: string[];
  /** Victim markers in the response that the call did not supply itself. */
  leaked: string[];
  body: { data: unknown; errors: unknown };
}

export async function runCall(api: ApiServer, call: SweepCall, actor: string, token: string | undefined, markers: Set<string>): Promise<CallOutcome> {
  let r: GqlResult;
  try {
    r = await gql(api, call.document, call.variables, token);
  } catch (error) {
    r = { status: 0, data: null, errors: [{ message: `request failed: ${(error as Error).message}` }] };
  }
  const value = r.data ? (r.data as Record<string, unknown>)[call.field.split(".")[1]!] : null;
  let gotData = value !== null && value !== undefined;
  if (gotData && typeof value === "object" && value !== null) {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.nodes)) gotData = v.nodes.length > 0;
    else if (call.recordField) gotData = v[call.recordField] !== null && v[call.recordField] !== undefined;
  }
  const found = new Set<string>();
  for (const s of readable({ data: r.data, errors: r.errors })) for (const m of markers) if (s.includes(m)) found.add(m);
  const supplied = [...call.supplied];
  return {
    call,
    actor,
    status: r.status,
    gotData,
    codes: (r.errors ?? []).map((e) => String(e.extensions?.code ?? "NO_CODE")),
    messages: (r.errors ?? []).map((e) => e.message),
    leaked: [...found].filter((m) => !supplied.some((s) => s.includes(m))),
    body: { data: r.data, errors: r.errors },
  };
}

// ---------------------------------------------------------------------------------------------
// The victim's rows in the database, before and after

/** Every row of every table with one of `ids` in a uuid column (the victim's own rows by owner
 *  column, and anything pointing at them), plus the `exact` rows by key (shared rows, rows with
 *  short keys), as sorted JSON. Searches uuid columns only, so it stays cheap on big tables. */
export async function snapshot(
  root: pg.Pool,
  tables: Iterable<TableInfo>,
  ids: string[],
  exact: { table: string; column: string; key: string }[] = [],
): Promise<Map<string, string[]>> {
  const list = [...tables].filter((t) => [...t.columns.values()].some((type) => type === "uuid"));
  const parts = list.map((t, i) => {
    const where = [...t.columns].filter(([, type]) => type === "uuid").map(([c]) => `r."${c}" = any($1::uuid[])`).join(" or ");
    return `select '${i}' as label, coalesce(json_agg(to_jsonb(r)::text order by to_jsonb(r)::text), '[]') as rows from ${ident(t.name)} r where ${where}`;
  });
  const values: unknown[] = [ids];
  exact.forEach((e, i) => {
    values.push(e.key);
    parts.push(`select 'x${i}' as label, coalesce(json_agg(to_jsonb(r)::text), '[]') as rows from ${ident(e.table)} r where "${e.column}"::text = $${values.length}`);
  });
  const { rows } = await root.query<{ label: string; rows: string[] }>(parts.join(" union all "), values);
  return new Map(
    rows.map((r) => {
      const e = r.label.startsWith("x") ? exact[Number(r.label.slice(1))]! : null;
      return [e ? `${e.table} (shared row ${e.key})` : list[Number(r.label)]!.name, r.rows];
    }),
  );
}

export function diffSnapshots(before: Map<string, string[]>, after: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [table, rows] of before) {
    const now = after.get(table) ?? [];
    const gone = rows.filter((r) => !now.includes(r));
    const added = now.filter((r) => !rows.includes(r));
    if (gone.length || added.length) out.push(`${table}: ${gone.length} row(s) changed or removed, ${added.length} row(s) new or changed`);
  }
  return out;
}
