// Prints the plans Postgres chooses for hybrid search's vector leg, for a small and a large
// tenant among many, and shows why the search does not simply let HNSW filter by tenant:
//   npm run explain:search        (runs against the disposable test database)
// 1. exact path (default, tenant rows <= app.search_exact_limit): the tenant's rows via the
//    user_id index, then an exact sort: always the true top-k.
// 2. HNSW path (above the limit) with pgvector's iterative scan.
// 3. the naive query with HNSW forced: RLS filters after the index scan, so a small tenant gets
//    fewer rows than asked for.
import "../lib/polyfills.ts";
import { randomUUID } from "node:crypto";
import { withUser, type Tx } from "../db/tenant.ts";
import { createAuthenticatorPool, createPool } from "../db/pools.ts";
import { loadConfig, databaseName, withDatabase } from "../lib/config.ts";
import { plantRandomMemories } from "../test/support/memories.ts";
import { seededVector } from "../test/support/vectors.ts";

const config = loadConfig();
const testDb = `${databaseName(config.databaseUrl)}_test`;
const dbConfig = { ...config, authenticatorUrl: withDatabase(config.authenticatorUrl, testDb) };
const root = createPool(withDatabase(config.rootDatabaseUrl, testDb), { max: 2 });
const app = createAuthenticatorPool(dbConfig, { max: 2 });

async function register(label: string): Promise<string> {
  const { rows } = await root.query<{ id: string }>("select app_private.register_user($1, 'explain-password', $2) as id", [
    `${label}-${randomUUID().slice(0, 8)}@explain.invalid`,
    label,
  ]);
  return rows[0]!.id;
}

async function explain(tx: Tx, sql: string, params: unknown[]): Promise<string> {
  const { rows } = await tx.query<{ "QUERY PLAN": string }>(`explain (analyze, costs off, timing off, summary off) ${sql}`, params);
  // Vector literals are 384 numbers long; elide them so the plans stay readable.
  return rows.map((r) => `    ${r["QUERY PLAN"].replace(/'\[[^\]]*\]'::vector/g, "'[…]'::vector")}`).join("\n");
}

const EXACT = `with mine as materialized (select id, embedding from app_public.user_memories where user_id = $1 and embedding is not null)
  select id from mine order by embedding <=> $2, id limit 10`;
const ANN = `select id from app_public.user_memories where user_id = $1 and embedding is not null order by embedding <=> $2 limit 10`;
const NAIVE = `select id from app_public.user_memories order by embedding <=> $1 limit 10`;

async function main() {
  const tag = Date.now();
  const small = await register("explain-small");
  const large = await register("explain-large");
  process.stdout.write("planting: 1 large tenant (6000 rows), 30 others (100 each), 1 small tenant (6 rows)...\n");
  await plantRandomMemories(root, large, 6000, tag % 100000);
  for (let u = 0; u < 30; u++) await plantRandomMemories(root, await register(`explain-other-${u}`), 100, 200_000 + u * 100);
  await plantRandomMemories(root, small, 6, 900_000);
  await root.query("analyze app_public.user_memories");
  const q = seededVector(42);

  for (const [label, userId] of [["small tenant (6 rows)", small], ["large tenant (6000 rows)", large]] as const) {
    await withUser(app, userId, async (tx) => {
      process.stdout.write(`\n=== ${label}\n-- 1. exact path (the default):\n${await explain(tx, EXACT, [userId, q])}\n`);
      await tx.query("select set_config('hnsw.iterative_scan', 'strict_order', true), set_config('hnsw.ef_search', '200', true)");
      process.stdout.write(`-- 2. HNSW path with iterative scan (above app.search_exact_limit):\n${await explain(tx, ANN, [userId, q])}\n`);
      await tx.query("select set_config('hnsw.iterative_scan', 'off', true), set_config('hnsw.ef_search', '40', true)");
      await tx.query("select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)");
      const { rows } = await tx.query(NAIVE, [q]);
      process.stdout.write(`-- 3. naive HNSW scan, RLS as a post-filter: ${rows.length} of 10 rows returned\n${await explain(tx, NAIVE, [q])}\n`);
    });
  }
  const searched = await withUser(app, small, (tx) => tx.query("select id from app_public.search_memories(null, $1, 10)", [q]));
  process.stdout.write(`\nsummary: search_memories returned ${searched.rows.length} of the small tenant's 6 rows; the naive HNSW query is shown above.\n`);
  await root.query("delete from app_public.users where email like '%@explain.invalid'");
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => Promise.all([root.end(), app.end()]));
