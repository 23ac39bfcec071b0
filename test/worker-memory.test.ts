// The memory pipeline through a real worker process: a user's message queues extract_memories
// (trigger, job key per message), the worker extracts facts under that user's tenant context and
// adds, updates (keeping history) or skips them; another user sees none of it, and a job naming
// another user's message changes nothing. Also: reembed for memories written through the API,
// rolling conversation summaries, and the scheduled housekeeping tasks.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withUser } from "../db/tenant.ts";
import { createLocalEmbedder } from "../lib/embeddings/local.ts";
import { embedderId } from "../lib/embeddings/types.ts";
import { gql, signUp, startTestApiWithS3, type ApiWithS3, type Session } from "./support/api.ts";
import { authenticatorPool, rootPool } from "./support/db.ts";
import { eventually, jobGone, startWorkerProcess, type WorkerProcess } from "./support/worker.ts";

let env: ApiWithS3;
let worker: WorkerProcess;
let alice: Session;
let bob: Session;
const root = rootPool();
const app = authenticatorPool();
const MODEL = embedderId(createLocalEmbedder(384));

beforeAll(async () => {
  env = await startTestApiWithS3("worker-memory");
  alice = await signUp(env.api, "memory-alice");
  bob = await signUp(env.api, "memory-bob");
  worker = await startWorkerProcess({
    S3_ENDPOINT: env.s3Url,
    SUMMARY_EVERY_MESSAGES: "4",
    SUMMARY_KEEP_RECENT: "2",
    RETENTION_ABANDONED_HOURS: "0",
  });
});

afterAll(async () => {
  await worker?.stop();
  await env?.close();
  await app.end();
  await root.end();
});

/** A conversation of `user`, created as that user. */
async function conversation(user: Session): Promise<string> {
  return withUser(app, user.userId, async (tx) => {
    const r = await tx.query<{ id: string }>("insert into app_public.conversations (session_key) values ($1) returning id", [`s-${randomUUID().slice(0, 8)}`]);
    return r.rows[0]!.id;
  });
}

/** A message written as `user` (as the gateway will), which queues its jobs through the trigger. */
async function say(user: Session, conversationId: string, content: string, role = "user"): Promise<string> {
  return withUser(app, user.userId, async (tx) => {
    const r = await tx.query<{ id: string }>(
      "insert into app_public.messages (conversation_id, role, content) values ($1, $2, $3) returning id",
      [conversationId, role, content],
    );
    return r.rows[0]!.id;
  });
}

async function extracted(messageId: string): Promise<void> {
  await eventually(
    async () => {
      const { rows } = await root.query("select memories_extracted_at from app_public.messages where id = $1", [messageId]);
      return rows[0]?.memories_extracted_at ? true : undefined;
    },
    worker.output,
  );
}

async function memoriesOf(userId: string) {
  const { rows } = await root.query<{ id: string; kind: string; content: string; memory_key: string | null; embedding_model: string | null; source_message_id: string | null }>(
    "select id, kind, content, memory_key, embedding_model, source_message_id from app_public.user_memories where user_id = $1 order by created_at, id",
    [userId],
  );
  return rows;
}

describe("extract_memories in the worker process", () => {
  let c: string;

  it("turns a user's message into memories of that user only, embedded by the configured model", async () => {
    c = await conversation(alice);
    const m = await say(alice, c, "Hi! My name is Alice Chen. I like green tea. Remember that the spare key is under the blue pot.");
    const jobs = await root.query("select key from graphile_worker.jobs where key = $1", [`extract_memories:${m}`]);
    expect(jobs.rowCount).toBe(1);
    await extracted(m);
    const mine = await memoriesOf(alice.userId);
    expect(mine.map((x) => x.memory_key).sort()).toEqual(expect.arrayContaining(["name", expect.stringMatching(/^pref:/)]));
    expect(mine.length).toBe(3);
    expect(mine.find((x) => x.memory_key === "name")!.content).toContain("Alice Chen");
    expect(mine.some((x) => x.kind === "note" && x.content.includes("blue pot"))).toBe(true);
    for (const memory of mine) {
      expect(memory.embedding_model).toBe(MODEL);
      expect(memory.source_message_id).toBe(m);
    }
    expect(await memoriesOf(bob.userId)).toEqual([]);
    // Bob's own API sees none of Alice's memories, by listing or by searching.
    const seen = await gql<{ userMemories: { nodes: unknown[] } }>(env.api, "{ userMemories { nodes { rowId } } }", {}, bob.accessToken);
    expect(seen.data!.userMemories.nodes).toEqual([]);
    const search = (user: Session, q: string) =>
      gql<{ memorySearch: { id: string; content: string; kind: string }[] }>(env.api, "query ($q: String!) { memorySearch(query: $q, first: 3) { id content kind } }", { q }, user.accessToken);
    expect((await search(bob, "where is the spare key")).data!.memorySearch).toEqual([]);
    // Alice finds hers by meaning and words (the API embeds the query).
    const hits = (await search(alice, "where is the spare key")).data!.memorySearch;
    expect(hits[0]!.content).toContain("blue pot");
  });

  it("updates a fact in its slot and keeps the old text; skips a repeat; extracts Chinese", async () => {
    const before = await memoriesOf(alice.userId);
    const tea = before.find((x) => x.memory_key?.startsWith("pref:"))!;
    const m1 = await say(alice, c, "Actually, I don't like green tea.");
    await extracted(m1);
    const m2 = await say(alice, c, "my name is Alice Chen");
    await extracted(m2);
    const after = await memoriesOf(alice.userId);
    expect(after.length).toBe(3);
    const updated = after.find((x) => x.id === tea.id)!;
    expect(updated.content).not.toBe(tea.content);
    expect(updated.content.toLowerCase()).toMatch(/not like|dislike/);
    expect(updated.source_message_id).toBe(m1);
    const revisions = await root.query("select content, user_id from app_public.user_memory_revisions where memory_id = $1", [tea.id]);
    expect(revisions.rows).toEqual([{ content: tea.content, user_id: alice.userId }]);

    const m3 = await say(alice, c, "我叫小明。我喜欢喝咖啡。");
    await extracted(m3);
    const withChinese = await memoriesOf(alice.userId);
    // The name slot is updated (one current name), the coffee preference is new.
    expect(withChinese.length).toBe(4);
    expect(withChinese.find((x) => x.memory_key === "name")!.content).toContain("小明");
    expect(withChinese.some((x) => x.content.includes("咖啡"))).toBe(true);
  });

  it("questions and other people's statements add nothing; the assistant's messages are not mined", async () => {
    const count = (await memoriesOf(alice.userId)).length;
    const q = await say(alice, c, "Do you know what my name is? What do I like?");
    const a = await say(alice, c, "My name is Assistant and I like helping.", "assistant");
    await extracted(q);
    expect((await memoriesOf(alice.userId)).length).toBe(count);
    const { rows } = await root.query("select 1 from graphile_worker.jobs where key = $1", [`extract_memories:${a}`]);
    expect(rows).toEqual([]);
  });

  it("a job for user B naming user A's message changes nothing (RLS inside the task)", async () => {
    const cb = await conversation(alice);
    const client = await root.connect();
    let m: string;
    try {
      // One transaction: the job the insert queues is gone before the worker can see it.
      await client.query("begin");
      const r = await client.query<{ id: string }>(
        "insert into app_public.messages (user_id, conversation_id, role, content) values ($1, $2, 'user', 'My name is Mallory Target.') returning id",
        [alice.userId, cb],
      );
      m = r.rows[0]!.id;
      await client.query("select graphile_worker.remove_job('extract_memories:' || $1)", [m]);
      await client.query("commit");
    } finally {
      client.release();
    }
    const before = await memoriesOf(alice.userId);
    await root.query(
      "select graphile_worker.add_job('extract_memories', json_build_object('message_id', $1::uuid, 'user_id', $2::uuid), job_key := 'forged:' || $1)",
      [m!, bob.userId],
    );
    await jobGone(root, `forged:${m!}`, worker.output, 10_000);
    const { rows } = await root.query("select memories_extracted_at from app_public.messages where id = $1", [m!]);
    expect(rows[0].memories_extracted_at).toBeNull();
    expect(await memoriesOf(bob.userId)).toEqual([]);
    expect(await memoriesOf(alice.userId)).toEqual(before);
    // The rightful job does the work.
    await root.query(
      "select graphile_worker.add_job('extract_memories', json_build_object('message_id', $1::uuid, 'user_id', $2::uuid), job_key := 'extract_memories:' || $1)",
      [m!, alice.userId],
    );
    await extracted(m!);
    expect((await memoriesOf(alice.userId)).find((x) => x.memory_key === "name")!.content).toContain("Mallory Target");
  });
});

describe("reembed, summaries and housekeeping", () => {
  it("embeds a memory written through the API, and again after its text changes", async () => {
    const created = await gql<{ createUserMemory: { userMemory: { rowId: string } } }>(
      env.api,
      'mutation { createUserMemory(input: {userMemory: {content: "Prefers window seats on flights", kind: preference}}) { userMemory { rowId } } }',
      {},
      bob.accessToken,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createUserMemory.userMemory.rowId;
    const model = async () => (await root.query("select embedding_model from app_public.user_memories where id = $1", [id])).rows[0]?.embedding_model ?? undefined;
    expect(await eventually(model, worker.output)).toBe(MODEL);
    const changed = await gql(env.api, 'mutation ($id: UUID!) { updateUserMemory(input: {rowId: $id, patch: {content: "Prefers aisle seats on flights"}}) { userMemory { rowId } } }', { id }, bob.accessToken);
    expect(changed.errors).toBeUndefined();
    expect(await eventually(model, worker.output)).toBe(MODEL);
    const hit = await withUser(app, bob.userId, (tx) =>
      tx.query("select content from app_public.search_memories('aisle', null, 3)"),
    );
    expect(hit.rows[0]?.content).toBe("Prefers aisle seats on flights");
    const history = await root.query("select content from app_public.user_memory_revisions where memory_id = $1", [id]);
    expect(history.rows).toEqual([{ content: "Prefers window seats on flights" }]);
  });

  it("summarises a long conversation once enough messages came in", async () => {
    const c = await conversation(bob);
    const ids: string[] = [];
    for (let i = 1; i <= 7; i++) ids.push(await say(bob, c, `Message number ${i} about the trip to Lisbon. More detail follows here.`, i % 2 ? "user" : "assistant"));
    const summary = await eventually(
      async () => (await root.query("select * from app_public.conversation_summaries where conversation_id = $1", [c])).rows[0] ?? undefined,
      worker.output,
      30_000,
    );
    // Seven messages, the two most recent kept out: five summarised, one line each.
    expect(summary.user_id).toBe(bob.userId);
    expect(summary.message_count).toBe(5);
    expect(summary.up_to_message_id).toBe(ids[4]);
    expect(summary.summary.split("\n")).toEqual([1, 2, 3, 4, 5].map((i) => `- ${i % 2 ? "User" : "Assistant"}: Message number ${i} about the trip to Lisbon.`));
  });

  it("quota_rollover gives every user a current period; retention removes expired codes, dead refresh tokens and orphaned objects", async () => {
    await root.query("delete from app_public.usage_quotas where user_id = $1", [alice.userId]);
    await root.query("select graphile_worker.add_job('quota_rollover', '{}'::json, job_key := 'test-rollover')");
    await jobGone(root, "test-rollover", worker.output);
    const q = await root.query("select period_start <= now() and period_end > now() as current from app_public.usage_quotas where user_id = $1", [alice.userId]);
    expect(q.rows).toEqual([{ current: true }]);

    const code = await root.query<{ id: string }>(
      "insert into app_public.device_pairing_codes (user_id, created_at, expires_at) values ($1, now() - interval '30 days', now() - interval '30 days' + interval '10 minutes') returning id",
      [alice.userId],
    );
    const token = (hash: string, expires: string) => root.query<{ id: string }>(
      `with s as (insert into app_private.sessions (user_id) values ($1) returning id)
       insert into app_private.refresh_tokens (user_id, family_id, token_hash, created_at, expires_at)
       select $1, s.id, digest($2, 'sha256'), now() - interval '40 days', now() + $3::interval from s returning id`,
      [alice.userId, hash, expires]);
    const deadToken = (await token(`dead-${randomUUID()}`, "-30 days")).rows[0]!.id;
    const liveToken = (await token(`live-${randomUUID()}`, "10 days")).rows[0]!.id;
    const orphan = `users/${randomUUID()}/files/${randomUUID()}/left-behind.txt`;
    await env.storage.putObject(orphan, "nobody refers to me", "text/plain");
    const kept = `users/${alice.userId}/files/${randomUUID()}/kept.txt`;
    await env.storage.putObject(kept, "a row refers to me", "text/plain");
    await root.query(
      "insert into app_public.user_files (user_id, object_key, filename, mime_type, size_bytes, status) values ($1, $2, 'kept.txt', 'text/plain', 18, 'uploaded')",
      [alice.userId, kept],
    );
    await new Promise((resolve) => setTimeout(resolve, 1100)); // object times have one-second resolution
    await root.query("select graphile_worker.add_job('retention', '{}'::json, job_key := 'test-retention')");
    await jobGone(root, "test-retention", worker.output);
    expect((await root.query("select 1 from app_public.device_pairing_codes where id = $1", [code.rows[0]!.id])).rowCount).toBe(0);
    const tokens = await root.query<{ id: string }>("select id from app_private.refresh_tokens where id = any($1)", [[deadToken, liveToken]]);
    expect(tokens.rows.map((r) => r.id)).toEqual([liveToken]);
    expect(await env.storage.statObject(orphan)).toBeNull();
    expect(await env.storage.statObject(kept)).not.toBeNull();
    expect(worker.output()).toContain("retention sweep");
  });
});
