// GraphQL isolation sweep over real HTTP. The schema is read by introspection; for every query,
// connection and mutation that takes an id, a node id, a foreign key or a unique key, calls are
// built with user A's values (test/support/graphql-sweep.ts) and run as user B and as anonymous:
// no response may contain A's data and A's rows must be exactly as before. The same calls run as
// A are the positive control: they must reach A's data, which shows the calls are well formed,
// that a refusal of B comes from isolation rather than from a broken call, and that the leak and
// write detectors fire. A new field is swept without touching this file; one the builder cannot
// call fails the suite until it is handled or listed below with a reason.
// SWEEP_DEBUG=1 prints every control call that did not reach A's data, with its response.
import type { IntrospectionField } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../api/server.ts";
import { getApiServices } from "../api/services.ts";
import { EXPOSED_SCHEMAS, ROLES } from "../lib/config.ts";
import { gql, signUp, startTestApi, type Session } from "./support/api.ts";
import { registerUser, rootPool, signedInToken } from "./support/db.ts";
import {
  CallBuilder,
  Model,
  Planter,
  decodeNodeId,
  diffSnapshots,
  gqlName,
  introspect,
  markersOf,
  named,
  readCatalog,
  runCall,
  snapshot,
  type Schema,
  type SweepCall,
  type TableInfo,
  type Victim,
  type VictimRow,
} from "./support/graphql-sweep.ts";
import { fixtures } from "./support/tenant-fixtures.ts";

/** Root fields that take no id of anyone's data: not swept, each with the reason. */
const OUT_OF_SCOPE: Record<string, string> = {
  "Mutation.register": "creates an account from an email and password; no id (api-auth.test.ts)",
  "Mutation.login": "email and password, no id; calls would also spend the shared per-IP login limit (api-auth.test.ts)",
  "Mutation.refreshToken": "an opaque refresh token, not an id (api-auth.test.ts)",
  "Mutation.logout": "an opaque refresh token, not an id (api-auth.test.ts)",
  "Mutation.changePassword": "the caller's own password; no id (api-auth.test.ts)",
  "Subscription.myMessages": "no arguments: the caller's own event stream, over graphql-ws rather than HTTP POST",
  "Subscription.myDevices": "no arguments: the caller's own event stream, over graphql-ws rather than HTTP POST",
};

/** Root fields the builder cannot make a call for, with the reason. */
const CANNOT_BUILD: Record<string, string> = {};

/** Generated CRUD fields whose positive control (A on A's own row) is expected to fail although
 *  the user role holds the grant, with the reason. Anything else that fails its control fails the
 *  suite, since B's refusal on such a field would prove nothing. */
const CONTROL_EXCEPTIONS: Record<string, string> = {};

/** Fields whose calls reach A's data neither as A nor as an admin, with the reason. For these the
 *  sweep still shows B gets nothing, but no positive control proves the call could have worked. */
const CONTROL_UNPROVEN: Record<string, string> = {
  "Query.fileDownloadUrl": "needs a verified object in S3; the fixture file is a row only (A gets FILE_NOT_AVAILABLE)",
  "Mutation.confirmFileUpload": "checks the uploaded object in S3, and this suite runs no S3 server",
  "Mutation.deleteFile": "removes the object from S3, and this suite runs no S3 server",
  "Mutation.createOrder": "orders are for active plans; the fixtures' plans are inactive (hidden shared rows), so A gets NOT_FOUND",
  "Mutation.requestSkillVersionUpload": "the sweep's generated sha256 is not 64 hex digits, so A gets INVALID_INPUT; the flow is tested in api-skills.test.ts",
  "Mutation.confirmSkillVersionUpload": "checks the uploaded package in S3, and this suite runs no S3 server",
  "Mutation.submitSkillVersionToStore": "needs a valid version whose package is in S3",
  "Mutation.deleteSkillVersion": "removes the package from S3, and this suite runs no S3 server",
  "Mutation.deleteUserById": "not run in the control: deleting A ends the control; the admin path is tested in api-operations.test.ts",
  "Mutation.deleteUser": "not run in the control: deleting A ends the control; the admin path is tested in api-operations.test.ts",
  "Mutation.deleteUserByEmail": "not run in the control: deleting A ends the control; the admin path is tested in api-operations.test.ts",
};

/** Extra victim rows, for unique keys the fixtures' default row leaves empty. */
const EXTRA_ROWS: Record<string, (p: Planter, owner: string) => Promise<string>> = {
  // The fixture installs a custom skill; lookups by store skill need an installed store skill.
  "app_public.installed_skills": (p, owner) =>
    p.insert("app_public.installed_skills", owner, async (ctx) => ({ custom_skill_id: null, store_skill_id: await ctx.create("app_public.store_skills") })),
};

const MIN_SWEPT_ID_FIELDS = 30;

let api: ApiServer;
const root = rootPool();
let schema: Schema;
let model: Model;
let builder: CallBuilder;
let planter: Planter;
let tables: Map<string, TableInfo>;
let alice: Session; // the victim
let bob: Session; // the attacker
let admin: Session; // positive control for what users may not do
let victimA: Victim;
let victimB: Victim;
let markersA: Set<string>;
const markTag = `mk-A-${Math.random().toString(36).slice(2, 10)}`;
const setupFindings: string[] = [];
const patchHints = Object.fromEntries(Object.entries(fixtures).map(([t, f]) => [t, f.ownUpdate]));

/** Signs up through the API; when other runs on this machine have spent the shared per-IP login
 *  limit (register signs in), registers with the database function and signs a token with the
 *  API's own key instead. */
async function user(label: string): Promise<Session> {
  try {
    return await signUp(api, label);
  } catch (error) {
    if (!/RATE_LIMITED/.test((error as Error).message)) throw error;
    const userId = await registerUser(root, label);
    const { token } = await signedInToken(root, userId);
    const { rows } = await root.query<{ email: string }>("select email from app_public.users where id = $1", [userId]);
    return { userId, email: rows[0]!.email, password: "correct horse battery", accessToken: token, refreshToken: "" };
  }
}

const planted = (t: TableInfo) => ["r", "p"].includes(t.kind);

async function plantRow(table: string, owner: string, extra: boolean, mark: string | null): Promise<VictimRow> {
  const f = fixtures[table]!;
  const key = extra ? await EXTRA_ROWS[table]!(planter, owner) : await planter.insert(table, f.kind === "tenant" ? owner : null);
  if (mark) await planter.mark(table, key, `${mark}-${planter.next()}`);
  return { table, key, row: {} };
}

async function plantVictim(label: string, owner: string, mark: string | null): Promise<Victim> {
  const rows = new Map<string, VictimRow[]>();
  for (const t of tables.values()) {
    if (!planted(t)) continue; // views: their rows come from their tables
    if (!fixtures[t.name]) {
      setupFindings.push(`${t.name}: no fixture in test/support/tenant-fixtures.ts, so the sweep cannot plant rows for it`);
      continue;
    }
    const list = [await plantRow(t.name, owner, false, mark)];
    if (EXTRA_ROWS[t.name] && fixtures[t.name]!.kind === "tenant") list.push(await plantRow(t.name, owner, true, mark));
    rows.set(t.name, list);
  }
  // Read back only once everything is planted (rows planted later may touch earlier ones).
  for (const list of rows.values()) {
    for (const v of list) {
      const row = await planter.read(v.table, v.key);
      if (!row) throw new Error(`${v.table}: planted row ${v.key} vanished`);
      v.row = row;
    }
  }
  return { label, userId: owner, rows };
}

/** Keys of the rows `owner` owns in each tenant table. */
async function ownedKeys(owner: string): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const t of tables.values()) {
    const f = fixtures[t.name];
    if (!planted(t) || f?.kind !== "tenant" || f.existing) continue;
    const col = (f.owner ?? "user_id").replace(/"/g, '""');
    const { rows } = await root.query<{ key: string }>(`select "${planter.keyColumn(t.name)}"::text as key from ${t.name} where "${col}" = $1`, [owner]);
    out.set(t.name, new Set(rows.map((r) => r.key)));
  }
  return out;
}
let baselineA: Map<string, Set<string>> | null = null;

/** A's rows put back as planted (the control changes them): rows the control created for A are
 *  deleted, changed ones restored, deleted ones planted (and marked) again. */
async function resetVictim(v: Victim): Promise<void> {
  if (baselineA) {
    for (const [table, keys] of await ownedKeys(v.userId)) {
      const extra = [...keys].filter((k) => !baselineA!.get(table)?.has(k));
      if (extra.length) await root.query(`delete from ${table} where "${planter.keyColumn(table)}"::text = any($1)`, [extra]);
    }
  }
  for (const [table, list] of v.rows) {
    for (let i = 0; i < list.length; i++) {
      if (await planter.read(table, list[i]!.key)) await planter.restore(table, list[i]!.key, list[i]!.row);
      else {
        const fresh = await plantRow(table, v.userId, i > 0, markTag);
        fresh.row = (await planter.read(table, fresh.key))!;
        list[i] = fresh;
      }
    }
  }
  baselineA = await ownedKeys(v.userId);
}

const isTenant = (table: string) => fixtures[table]?.kind === "tenant";
const isPublic = (table: string) => fixtures[table]?.kind === "global" && !!fixtures[table]?.public;
// UUID keys are searched for in every uuid column; other keys (bigint ids, text keys) are watched by key.
const distinctive = (key: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key);
const tenantKeys = (v: Victim) => [v.userId, ...[...v.rows].filter(([t]) => isTenant(t)).flatMap(([, l]) => l.map((r) => r.key))].filter(distinctive);
const exactRows = (v: Victim) =>
  [...v.rows]
    .flatMap(([t, l]) => l.filter((r) => !isTenant(t) || !distinctive(r.key)))
    .map((r) => ({ table: r.table, column: planter.keyColumn(r.table), key: r.key }));
/** A's rows, every row that mentions one of A's keys, and the planted shared rows, as JSON. */
const watch = () => snapshot(root, [...tables.values()].filter(planted), tenantKeys(victimA), exactRows(victimA));

function rootFields(): { root: string; name: string; field: IntrospectionField }[] {
  const out: { root: string; name: string; field: IntrospectionField }[] = [];
  for (const rootName of [schema.query, schema.mutation, schema.subscription]) {
    const t = rootName ? schema.types.get(rootName) : undefined;
    if (t?.kind !== "OBJECT") continue;
    for (const field of t.fields) out.push({ root: rootName!, name: `${rootName}.${field.name}`, field });
  }
  return out;
}

beforeAll(async () => {
  api = await startTestApi();
  schema = await introspect(api);
  tables = await readCatalog(root, EXPOSED_SCHEMAS, schema, ROLES.user);
  model = new Model(schema, tables);
  builder = new CallBuilder(model);
  planter = new Planter(root, fixtures, tables);
  alice = await user("victim-alice");
  bob = await user("attacker-bob");
  admin = await user("control-admin");
  // An admin as api-operations.test.ts makes one; the token comes from the API's own token service
  // rather than from login, which would spend the shared per-IP login limit.
  await root.query("update app_public.users set role = 'admin' where id = $1", [admin.userId]);
  admin.accessToken = (await signedInToken(root, admin.userId, "admin")).token;
  victimA = await plantVictim("A", alice.userId, markTag);
  victimB = await plantVictim("B", bob.userId, null);
  // Rows of shared tables everyone may read are not A's secrets (they stay write-protected).
  const secret: Victim = { ...victimA, rows: new Map([...victimA.rows].filter(([t]) => !isPublic(t))) };
  markersA = markersOf(model, secret, [victimB], [alice.email]);
});

afterAll(async () => {
  await api?.close();
  await root.end();
});

describe("GraphQL isolation sweep (introspection-driven, over HTTP)", () => {
  it("maps every exposed table to its GraphQL type; node ids are base64 JSON [Type, key] (checked on B's own rows)", async () => {
    expect(setupFindings).toEqual([]);
    const unmapped = [...tables.values()].filter((t) => !t.typeName && !t.omitted).map((t) => t.name);
    expect(unmapped, "tables with no GraphQL type under the naming the sweep assumes").toEqual([]);
    const checked = new Set<string>();
    const mismatches: string[] = [];
    for (const { field, name } of rootFields().filter((f) => f.root === schema.query)) {
      const t = model.contextTable(field, false);
      const ret = schema.types.get(named(field.type));
      if (!t || !model.isCrud(field, false) || ret?.kind !== "OBJECT" || !ret.fields.some((f) => f.name === "nodes")) continue;
      const info = tables.get(t)!;
      const keyFields = info.key.map(gqlName);
      const r = await gql<Record<string, { nodes: Record<string, unknown>[] }>>(api, `{ ${field.name} { nodes { id ${keyFields.join(" ")} } } }`, {}, bob.accessToken);
      for (const node of r.data?.[field.name]?.nodes ?? []) {
        const own: VictimRow = { table: t, key: String(node[keyFields[0]!]), row: Object.fromEntries(info.key.map((k, i) => [k, node[keyFields[i]!]])) };
        const expected = model.nodeIdOf(own);
        if (expected !== node.id) mismatches.push(`${name}: ${String(node.id)} = ${JSON.stringify(decodeNodeId(String(node.id)))}, computed ${expected}`);
        else checked.add(info.typeName!);
      }
    }
    expect(mismatches).toEqual([]);
    console.info(`node id encoding verified on B's own rows of ${checked.size} types: ${[...checked].join(", ")}`);
    expect(checked.size).toBeGreaterThanOrEqual(15);
  });

  it("as user B and as anonymous, no call with A's ids reads or writes A's data", async () => {
    expect(markersA.size).toBeGreaterThan(50);
    const findings: string[] = [];
    const notes: string[] = [];
    const unlisted: string[] = [];
    const swept = new Set<string>();
    const sweptWithIds = new Set<string>();
    const codes = new Map<string, number>();
    const byOutcome = new Map<string, Set<string>>(); // B's mutations on A's rows, by answer
    let callCount = 0;
    const started = Date.now();

    const initial = await watch();
    let before = initial;
    for (const { root: rootName, name, field } of rootFields()) {
      if (OUT_OF_SCOPE[name] || CANNOT_BUILD[name]) continue;
      if (rootName === schema.subscription) {
        unlisted.push(`${name}: a subscription (graphql-ws) is not swept over HTTP`);
        continue;
      }
      const built = builder.build(rootName, field, { victim: victimA, attacker: victimB, tag: "swept by B", patchHints });
      if ("skip" in built) {
        unlisted.push(`${name}: ${built.skip}`);
        continue;
      }
      const table = built.calls[0]?.table;
      if (table && !victimA.rows.get(table)?.length) {
        unlisted.push(`${name}: works on ${table}, for which no rows of A are planted (a view?)`);
        continue;
      }
      swept.add(name);
      if (built.calls.some((c) => c.targetsVictim)) sweptWithIds.add(name);
      for (const call of built.calls) {
        for (const [actor, token] of [["B", bob.accessToken], ["anonymous", undefined]] as const) {
          const out = await runCall(api, call, actor, token, markersA);
          callCount++;
          const outcome = out.codes.length ? out.codes.join(",") : out.gotData ? "data" : rootName === schema.mutation ? "null record, no error" : "null/empty";
          codes.set(`${actor} ${outcome}`, (codes.get(`${actor} ${outcome}`) ?? 0) + 1);
          if (actor === "B" && call.targetsVictim && rootName === schema.mutation && !call.variant.startsWith("attach")) {
            byOutcome.set(`${call.kind} ${outcome}`, new Set([...(byOutcome.get(`${call.kind} ${outcome}`) ?? []), name.split(".")[1]!]));
          }
          if (out.leaked.length) findings.push(`READ ${name} [${call.variant}] as ${actor}: the response holds A's ${out.leaked.slice(0, 5).join(", ")}`);
          if (out.status >= 500 || out.codes.includes("NO_CODE") || out.status === 400) {
            notes.push(`${name} [${call.variant}] as ${actor}: HTTP ${out.status} ${out.codes.join(",")} ${out.messages.join("; ").slice(0, 200)}`);
          }
          if (rootName === schema.mutation) {
            const after = await watch();
            const diff = diffSnapshots(before, after);
            if (diff.length) findings.push(`WRITE ${name} [${call.variant}] as ${actor}: ${diff.join("; ")} (response ${JSON.stringify(out.body).slice(0, 300)})`);
            before = after;
            if (out.gotData && call.targetsVictim && call.kind !== "create" && !call.variant.startsWith("attach")) {
              notes.push(`${name} [${call.variant}] as ${actor} returned a row without error (none of A's, A's rows unchanged)`);
            }
          }
        }
      }
    }
    findings.push(...diffSnapshots(initial, await watch()).map((d) => `A's rows differ after the sweep: ${d}`));

    console.info(
      [
        `sweep: ${rootFields().length} root fields; ${swept.size} swept (${sweptWithIds.size} with A's ids, keys or content), ` +
          `${Object.keys(OUT_OF_SCOPE).length} out of scope, ${Object.keys(CANNOT_BUILD).length} listed as not buildable; ` +
          `${callCount} calls as B and anonymous in ${Date.now() - started} ms; ${markersA.size} markers of A's data`,
        `swept although they take nothing of A's: ${[...swept].filter((f) => !sweptWithIds.has(f)).join(" ")}`,
        `outcomes: ${[...codes].sort().map(([k, v]) => `${k} ×${v}`).join(", ")}`,
        ...[...byOutcome].sort().map(([k, v]) => `B's ${k}: ${[...v].join(" ")}`),
        ...notes.map((n) => `note: ${n}`),
      ].join("\n"),
    );
    expect(unlisted, "fields neither swept nor listed in OUT_OF_SCOPE / CANNOT_BUILD").toEqual([]);
    expect(findings).toEqual([]);
    const names = new Set(rootFields().map((f) => f.name));
    expect(Object.keys({ ...OUT_OF_SCOPE, ...CANNOT_BUILD }).filter((f) => !names.has(f)), "list entries for fields the schema no longer has").toEqual([]);
    expect(swept.size + Object.keys(CANNOT_BUILD).length + Object.keys(OUT_OF_SCOPE).length).toBe(names.size);
    expect(sweptWithIds.size).toBeGreaterThanOrEqual(MIN_SWEPT_ID_FIELDS);
  });

  it("positive control: the same calls reach A's data as A (or as an admin), so refusals are isolation, and the detectors fire", async () => {
    const rank = (c: SweepCall) => ({ read: 0, create: 1, other: 2, update: 3, delete: c.table === "app_public.users" ? 5 : 4 })[c.kind];
    const buildFor = (f: { root: string; field: IntrospectionField }) => {
      const built = builder.build(f.root, f.field, { victim: victimA, tag: "control", patchHints });
      return "calls" in built ? built.calls.filter((c) => c.targetsVictim && !c.variant.startsWith("attach")) : [];
    };
    const plans = rootFields()
      .filter((f) => f.root !== schema.subscription && !OUT_OF_SCOPE[f.name] && !CANNOT_BUILD[f.name])
      .map((f) => ({ ...f, calls: buildFor(f) }))
      .filter((p) => p.calls.length)
      .sort((a, b) => rank(a.calls[0]!) - rank(b.calls[0]!));

    /** A must succeed on generated CRUD over its own rows (or a public shared row) where the user role holds the grant. */
    const expectedForA = (p: (typeof plans)[number]) => {
      const isMutation = p.root === schema.mutation;
      const call = p.calls[0]!;
      if (!call.table || !model.isCrud(p.field, isMutation)) return false;
      const can = tables.get(call.table)!.userCan;
      if (!isMutation) return can.select && (isTenant(call.table) || isPublic(call.table));
      if (!isTenant(call.table)) return false;
      return call.kind === "create" ? can.insert.size > 0 : call.kind === "update" ? can.update.size > 0 : call.kind === "delete" ? can.delete : false;
    };

    const markersAll = () => markersOf(model, victimA, [victimB], [alice.email]);
    let markers = markersAll();
    const reachedBy = new Map<string, string>(); // field -> "A" | "admin"
    const misses = new Map<string, string[]>();
    let callCount = 0;
    let writesSeen = 0;
    let leaksSeen = 0;

    /** Runs the field's calls as one actor; true when one of them reached A's data. */
    async function attempt(p: (typeof plans)[number], actor: string, token: string): Promise<boolean> {
      const isMutation = p.root === schema.mutation;
      let calls = p.calls;
      if (isMutation) {
        // Mutations change A's rows: put them back, and rebuild the calls (deleted rows have new keys).
        await resetVictim(victimA);
        markers = markersAll();
        calls = buildFor(p);
      }
      let reached = false;
      for (const call of calls) {
        const before = isMutation ? await watch() : null;
        const out = await runCall(api, call, actor, token, markers);
        callCount++;
        let success: boolean;
        let why = out.codes.join(",") || (out.gotData ? "" : "no row returned");
        if (!isMutation) {
          success = out.gotData && out.leaked.length > 0;
          if (out.gotData && !out.leaked.length) why = "a row, but none of A's markers in it";
          if (success) leaksSeen++;
        } else {
          const changed = diffSnapshots(before!, await watch()).length > 0;
          if (changed) writesSeen++;
          // A new row need not mention A; a change must show in A's rows unless it set a value to itself.
          success = out.codes.length === 0 && out.gotData && (changed || !call.changes || call.kind === "create");
          if (out.codes.length === 0 && out.gotData && !success) why = "answered, but A's rows did not change";
        }
        reached ||= success;
        if (!success) misses.set(p.name, [...(misses.get(p.name) ?? []), `${actor} [${call.variant}] ${why}`]);
        if (!success && process.env.SWEEP_DEBUG) console.info(actor, call.document.slice(0, 300), JSON.stringify(call.variables), JSON.stringify(out.body).slice(0, 600));
        if (reached && isMutation) break;
      }
      if (reached) reachedBy.set(p.name, actor);
      return reached;
    }

    baselineA = await ownedKeys(alice.userId);
    for (const p of plans) {
      // Deleting A's own account would remove the rows every later control call needs.
      if (/^Mutation\.deleteUser(ById|ByEmail)?$/.test(p.name)) continue;
      if (!(await attempt(p, "A", alice.accessToken))) await attempt(p, "admin", admin.accessToken);
    }

    const byKind = new Map<string, [number, number, number]>();
    for (const p of plans) {
      const k = p.root === schema.query ? "read" : p.calls[0]!.kind;
      const [a, ad, total] = byKind.get(k) ?? [0, 0, 0];
      byKind.set(k, [a + (reachedBy.get(p.name) === "A" ? 1 : 0), ad + (reachedBy.get(p.name) === "admin" ? 1 : 0), total + 1]);
    }
    const failedForA = plans.filter((p) => expectedForA(p) && reachedBy.get(p.name) !== "A" && !CONTROL_EXCEPTIONS[p.name]);
    const unproven = plans.filter((p) => !reachedBy.has(p.name));
    const unlistedUnproven = unproven.filter((p) => !CONTROL_UNPROVEN[p.name]);
    const stale = Object.keys(CONTROL_UNPROVEN).filter((f) => reachedBy.has(f));
    console.info(
      [
        `control: ${callCount} calls; fields that reached A's data as A / as admin / of: ` +
          `${[...byKind].map(([k, [a, ad, t]]) => `${k} ${a}/${ad}/${t}`).join(", ")}; ` +
          `leak detector fired on ${leaksSeen} reads, write detector on ${writesSeen} mutations`,
        `reached by no one (CONTROL_UNPROVEN): ${unproven.map((p) => `${p.name} (${misses.get(p.name)?.at(-1) ?? ""})`).join("; ") || "none"}`,
        ...(stale.length ? [`CONTROL_UNPROVEN entries whose control now succeeds (remove them): ${stale.join(", ")}`] : []),
      ].join("\n"),
    );
    expect(
      failedForA.map((p) => `${p.name}: ${misses.get(p.name)?.join(" | ")}`),
      "CRUD fields whose control failed for A although the user role holds the grant: B's refusal there proves nothing",
    ).toEqual([]);
    expect(
      unlistedUnproven.map((p) => `${p.name}: ${misses.get(p.name)?.join(" | ")}`),
      "fields whose calls reach A's data for no one: fix the call or list the field in CONTROL_UNPROVEN with the reason",
    ).toEqual([]);
    expect(plans.filter(expectedForA).length).toBeGreaterThanOrEqual(MIN_SWEPT_ID_FIELDS);
    expect(leaksSeen).toBeGreaterThanOrEqual(30);
    expect(writesSeen).toBeGreaterThanOrEqual(20);
  });
});
