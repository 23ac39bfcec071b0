// Search quality on a labelled fixture (test/fixtures/recall/): recall@5 of the vector leg alone,
// the full-text leg alone and the hybrid search, per language and overall.
//   node --import tsx scripts/recall.ts          (against DATABASE_URL's database; use a disposable one)
// All three go through app_public.search_memories, the API's own function: a null text leaves only
// the vector leg, a null embedding only the full-text leg, so each is measured with exactly the
// SQL the hybrid fuses. Each fixture language gets a throwaway user of its own (a person's
// memories are in one language, and the labels then need no cross-language judgement), deleted
// at the end, also on error. Exits 1 when hybrid recall@5 is below the better single leg.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import pgvector from "pgvector/pg";
import { createAuthenticatorPool, createPool } from "../db/pools.ts";
import { withUser } from "../db/tenant.ts";
import { embedderId } from "../lib/embeddings/index.ts";
import { createLocalEmbedder } from "../lib/embeddings/local.ts";
import { loadConfig, databaseName, withDatabase, ROOT_DIR } from "../lib/config.ts";

const K = 5;
const METHODS = ["vector", "text", "hybrid"] as const;
type Method = (typeof METHODS)[number];

interface FixtureMemory {
  id: string;
  lang: string;
  kind: "fact" | "preference" | "instruction" | "note";
  content: string;
}

interface FixtureQuery {
  id: string;
  lang: string;
  query: string;
  relevant: string[];
}

function readFixture<T>(name: string): T[] {
  return JSON.parse(readFileSync(path.join(ROOT_DIR, "test", "fixtures", "recall", name), "utf8")) as T[];
}

/** Labels must point at memories of the query's own language; anything else is a fixture bug. */
function validate(memories: FixtureMemory[], queries: FixtureQuery[]): void {
  const langOf = new Map<string, string>();
  for (const m of memories) {
    if (langOf.has(m.id)) throw new Error(`memories.json: duplicate id ${m.id}`);
    langOf.set(m.id, m.lang);
  }
  const queryIds = new Set<string>();
  for (const q of queries) {
    if (queryIds.has(q.id)) throw new Error(`queries.json: duplicate id ${q.id}`);
    queryIds.add(q.id);
    if (q.relevant.length < 1 || q.relevant.length > 3) throw new Error(`queries.json: ${q.id} needs 1-3 relevant memories`);
    for (const r of q.relevant) {
      if (langOf.get(r) !== q.lang) throw new Error(`queries.json: ${q.id} labels ${r}, not a ${q.lang} memory`);
    }
  }
}

const config = loadConfig();
const root = createPool(withDatabase(config.rootDatabaseUrl, databaseName(config.databaseUrl)), { max: 2, applicationName: "recall" });
const app = createAuthenticatorPool(config, { max: 2, applicationName: "recall" });
const embedder = createLocalEmbedder(config.embeddingDimensions);

async function registerThrowaway(lang: string): Promise<string> {
  const { rows } = await root.query<{ id: string }>("select app_private.register_user($1, $2, $3) as id", [
    `recall-${lang}-${randomUUID().slice(0, 8)}@recall.invalid`,
    randomUUID(),
    `recall-${lang}`,
  ]);
  return rows[0]!.id;
}

/** Inserts a user's memories as that user (RLS and column grants apply); returns row id → fixture id. */
async function plant(userId: string, memories: FixtureMemory[]): Promise<Map<string, string>> {
  const vectors = await embedder.embed(memories.map((m) => m.content));
  return withUser(app, userId, async (tx) => {
    const fixtureIdOf = new Map<string, string>();
    for (const [i, m] of memories.entries()) {
      const { rows } = await tx.query<{ id: string }>(
        "insert into app_public.user_memories (kind, content, embedding, embedding_model) values ($1, $2, $3, $4) returning id",
        [m.kind, m.content, pgvector.toSql(vectors[i]!), embedderId(embedder)],
      );
      fixtureIdOf.set(rows[0]!.id, m.id);
    }
    return fixtureIdOf;
  });
}

/** Top-K fixture ids of one query by each method. */
async function retrieve(userId: string, query: string, fixtureIdOf: Map<string, string>): Promise<Record<Method, string[]>> {
  const [vector] = await embedder.embed([query]);
  const embedding = pgvector.toSql(vector!) as string;
  const args: Record<Method, [string | null, string | null]> = {
    vector: [null, embedding],
    text: [query, null],
    hybrid: [query, embedding],
  };
  return withUser(app, userId, async (tx) => {
    const hits = {} as Record<Method, string[]>;
    for (const method of METHODS) {
      const { rows } = await tx.query<{ id: string }>("select id from app_public.search_memories($1, $2::vector, $3)", [...args[method], K]);
      hits[method] = rows.map((r) => fixtureIdOf.get(r.id) ?? r.id);
    }
    return hits;
  });
}

interface Outcome {
  query: FixtureQuery;
  recall: Record<Method, number>;
  hits: Record<Method, string[]>;
}

const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

function report(outcomes: Outcome[], langs: string[]): Record<Method, number> {
  const groups: [string, Outcome[]][] = [...langs.map((l) => [l, outcomes.filter((o) => o.query.lang === l)] as [string, Outcome[]]), ["all", outcomes]];
  const overall = {} as Record<Method, number>;
  const lines = [
    `recall@${K}  ${groups.map(([g]) => g.padStart(6)).join("")}`,
    `queries    ${groups.map(([, os]) => String(os.length).padStart(6)).join("")}`,
  ];
  for (const method of METHODS) {
    const figures = groups.map(([, os]) => mean(os.map((o) => o.recall[method])));
    overall[method] = figures[figures.length - 1]!;
    lines.push(`${method.padEnd(10)} ${figures.map((f) => f.toFixed(3).padStart(6)).join("")}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return overall;
}

/** With --misses: each query some method did not fully recall, with what each method returned. */
function printMisses(outcomes: Outcome[]): void {
  for (const o of outcomes) {
    if (METHODS.every((m) => o.recall[m] === 1)) continue;
    process.stdout.write(`\n${o.query.id}: "${o.query.query}" wants ${o.query.relevant.join(", ")}\n`);
    for (const m of METHODS) process.stdout.write(`  ${m.padEnd(7)} ${o.recall[m].toFixed(2)}  ${o.hits[m].join(", ") || "(nothing)"}\n`);
  }
}

async function main(): Promise<number> {
  const memories = readFixture<FixtureMemory>("memories.json");
  const queries = readFixture<FixtureQuery>("queries.json");
  validate(memories, queries);
  const langs = [...new Set(memories.map((m) => m.lang))];
  const users: string[] = [];
  try {
    const outcomes: Outcome[] = [];
    for (const lang of langs) {
      const userId = await registerThrowaway(lang);
      users.push(userId);
      const fixtureIdOf = await plant(userId, memories.filter((m) => m.lang === lang));
      for (const query of queries.filter((q) => q.lang === lang)) {
        const hits = await retrieve(userId, query.query, fixtureIdOf);
        const recall = {} as Record<Method, number>;
        for (const m of METHODS) recall[m] = query.relevant.filter((r) => hits[m].includes(r)).length / query.relevant.length;
        outcomes.push({ query, recall, hits });
      }
    }
    process.stdout.write(`${memories.length} memories, ${queries.length} queries, embedder ${embedderId(embedder)}, database ${databaseName(config.databaseUrl)}\n`);
    const overall = report(outcomes, langs);
    if (process.argv.includes("--misses")) printMisses(outcomes);
    const bestSingle = Math.max(overall.vector, overall.text);
    if (overall.hybrid < bestSingle) {
      process.stderr.write(`recall: hybrid recall@${K} ${overall.hybrid.toFixed(3)} is below the better single method (${bestSingle.toFixed(3)})\n`);
      return 1;
    }
    return 0;
  } finally {
    if (users.length > 0) await root.query("delete from app_public.users where id = any($1::uuid[])", [users]);
  }
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => Promise.all([root.end(), app.end()]));
