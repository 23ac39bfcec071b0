// A worker process killed (SIGKILL) in the middle of its jobs, and a new one started: every job
// completes exactly once. The jobs are caught mid-way by an embeddings server (a stand-in for an
// outside model API) that keeps their requests unanswered; the killed worker's heartbeat lapses,
// the new worker takes its jobs back at once (not after graphile-worker's four-hour lock), and
// the file's chunks and the message's memories exist once each. Running the same jobs again
// afterwards (the case "killed after its commit, before the job was marked done") changes nothing.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withUser } from "../db/tenant.ts";
import { chunkText } from "../worker/documents/chunk.ts";
import { signUp, startTestApiWithS3, type ApiWithS3, type Session } from "./support/api.ts";
import { authenticatorPool, rootPool } from "./support/db.ts";
import { startFakeEmbeddings, type FakeEmbeddings } from "./support/fake-embeddings.ts";
import { uploadAndConfirmFile } from "./support/uploads.ts";
import { eventually, jobGone, startWorkerProcess, type WorkerProcess } from "./support/worker.ts";

let env: ApiWithS3;
let fake: FakeEmbeddings;
let alice: Session;
const workers: WorkerProcess[] = [];
const root = rootPool();
const app = authenticatorPool();

const TEXT = Array.from({ length: 12 }, (_, i) =>
  `Paragraph ${i + 1} of the boat manual. The bilge pump switch number ${i + 1} sits behind the ${i % 2 ? "port" : "starboard"} panel, and the engine must be cold before the oil is checked. `.repeat(2),
).join("\n\n");

beforeAll(async () => {
  env = await startTestApiWithS3("worker-crash");
  fake = await startFakeEmbeddings();
  alice = await signUp(env.api, "crash-alice");
});

afterAll(async () => {
  for (const w of workers) await w.stop();
  await fake?.close();
  await env?.close();
  await app.end();
  await root.end();
});

function startWorker() {
  return startWorkerProcess({
    S3_ENDPOINT: env.s3Url,
    EMBEDDING_PROVIDER: "openai",
    EMBEDDING_BASE_URL: fake.url,
    EMBEDDING_API_KEY: "test-key",
    EMBEDDING_MODEL: "fake-embedding-1",
    EMBEDDING_TIMEOUT_MS: "120000",
    WORKER_CONCURRENCY: "4",
    WORKER_LIVENESS_TTL_MS: "1000",
  }).then((w) => (workers.push(w), w));
}

async function state(fileId: string, messageId: string) {
  const file = await root.query("select status, error from app_public.user_files where id = $1", [fileId]);
  const chunks = await root.query<{ id: string; chunk_index: number; embedding_model: string }>(
    "select id, chunk_index, embedding_model from app_public.file_chunks where file_id = $1 order by chunk_index",
    [fileId],
  );
  const message = await root.query("select memories_extracted_at from app_public.messages where id = $1", [messageId]);
  const memories = await root.query<{ id: string; memory_key: string | null; content: string }>(
    "select id, memory_key, content from app_public.user_memories where user_id = $1 order by id",
    [alice.userId],
  );
  return { file: file.rows[0], chunks: chunks.rows, extractedAt: message.rows[0].memories_extracted_at, memories: memories.rows };
}

describe("a worker killed mid-job", () => {
  it("completes its jobs exactly once after a restart", async () => {
    const first = await startWorker();
    // Hold the two jobs' embedding calls: the file's chunks and the message's facts.
    fake.hold = (inputs) => inputs.some((t) => t.includes("bilge pump") || t.toLowerCase().includes("mango"));
    const fileId = await uploadAndConfirmFile(env.api, alice, { filename: "manual.txt", mimeType: "text/plain", body: Buffer.from(TEXT) });
    const messageId = await withUser(app, alice.userId, async (tx) => {
      const c = await tx.query<{ id: string }>("insert into app_public.conversations (session_key) values ($1) returning id", [`crash-${randomUUID().slice(0, 8)}`]);
      const m = await tx.query<{ id: string }>(
        "insert into app_public.messages (conversation_id, role, content) values ($1, 'user', 'My name is Crash Tester. I love mango.') returning id",
        [c.rows[0]!.id],
      );
      return m.rows[0]!.id;
    });
    await eventually(
      async () =>
        fake.requests.some((r) => r.some((t) => t.includes("bilge pump"))) && fake.requests.some((r) => r.some((t) => t.toLowerCase().includes("mango")))
          ? true
          : undefined,
      first.output,
    );
    // Both jobs are mid-way: locked, nothing written yet.
    const locked = await root.query("select key from graphile_worker.jobs where key = any($1) and locked_by is not null", [
      [`ingest_file:${fileId}`, `extract_memories:${messageId}`],
    ]);
    expect(locked.rowCount).toBe(2);
    expect(await state(fileId, messageId)).toMatchObject({ file: { status: "processing" }, chunks: [], extractedAt: null, memories: [] });

    await first.kill();
    fake.hold = null;
    const second = await startWorker();
    await jobGone(root, `ingest_file:${fileId}`, second.output);
    await jobGone(root, `extract_memories:${messageId}`, second.output);
    expect(second.output()).toContain("unlocked the jobs of workers that stopped");

    const done = await state(fileId, messageId);
    const expected = chunkText(TEXT, { size: 1200, overlap: 200 });
    expect(done.file).toEqual({ status: "ready", error: null });
    expect(done.chunks.map((c) => c.chunk_index)).toEqual(expected.map((_, i) => i));
    expect(new Set(done.chunks.map((c) => c.embedding_model))).toEqual(new Set(["openai:fake-embedding-1:384"]));
    expect(done.extractedAt).not.toBeNull();
    expect(done.memories.map((m) => m.memory_key).sort()).toEqual(["name", "pref:mango"]);

    // The same jobs again: nothing changes (no second set of chunks, no duplicate memories).
    await root.query("select graphile_worker.add_job('ingest_file', json_build_object('file_id', $1::uuid, 'user_id', $2::uuid), job_key := 'again:' || $1)", [fileId, alice.userId]);
    await root.query("select graphile_worker.add_job('extract_memories', json_build_object('message_id', $1::uuid, 'user_id', $2::uuid), job_key := 'again:' || $1)", [messageId, alice.userId]);
    await jobGone(root, `again:${fileId}`, second.output);
    await jobGone(root, `again:${messageId}`, second.output);
    expect(await state(fileId, messageId)).toEqual(done);
  });

  it("SIGTERM during a job ends the worker within 10 s and gives the job back; it completes once", async () => {
    for (const w of workers) await w.stop(); // only this test's worker may take the job
    const first = await startWorker();
    fake.hold = (inputs) => inputs.some((t) => t.includes("anchor windlass"));
    const body = Buffer.from(TEXT.replace(/bilge pump/g, "anchor windlass"));
    const fileId = await uploadAndConfirmFile(env.api, alice, { filename: "windlass.txt", mimeType: "text/plain", body });
    await eventually(async () => (fake.requests.some((r) => r.some((t) => t.includes("anchor windlass"))) ? true : undefined), first.output);
    const stopAt = Date.now();
    const code = await first.stop();
    const seconds = (Date.now() - stopAt) / 1000;
    expect({ code, fast: seconds < 10, output: seconds < 10 ? "" : first.output().slice(-3000) }).toEqual({ code: 0, fast: true, output: "" });
    expect(first.output()).toContain("releasing them");
    // Released at once (not left locked for the liveness check), with the attempt counted.
    const job = await root.query("select locked_by, attempts from graphile_worker.jobs where key = $1", [`ingest_file:${fileId}`]);
    expect(job.rows).toEqual([{ locked_by: null, attempts: 1 }]);
    fake.hold = null;
    const second = await startWorker();
    await jobGone(root, `ingest_file:${fileId}`, second.output, 60_000);
    const chunks = await root.query("select chunk_index from app_public.file_chunks where file_id = $1 order by chunk_index", [fileId]);
    expect(chunks.rows.map((r) => r.chunk_index)).toEqual(chunkText(body.toString(), { size: 1200, overlap: 200 }).map((_, i) => i));
    expect((await root.query("select status from app_public.user_files where id = $1", [fileId])).rows[0].status).toBe("ready");
  }, 90_000);

  it("a file whose ingestion keeps failing for outside reasons ends failed on its last attempt, not processing for ever", async () => {
    for (const w of workers) await w.stop();
    fake.refuse = (inputs) => inputs.some((t) => t.includes("poisoned cargo"));
    const fileId = await uploadAndConfirmFile(env.api, alice, { filename: "cargo.txt", mimeType: "text/plain", body: Buffer.from("The poisoned cargo manifest.") });
    // Its job gets a single attempt, so that attempt is the last.
    await root.query("update graphile_worker._private_jobs set max_attempts = 1 where key = $1", [`ingest_file:${fileId}`]);
    const w = await startWorker();
    await jobGone(root, `ingest_file:${fileId}`, w.output);
    const row = await root.query("select status, error from app_public.user_files where id = $1", [fileId]);
    expect(row.rows[0].status).toBe("failed");
    expect(row.rows[0].error).toMatch(/could not be processed.*upload it again/);
    expect(w.output()).toContain("gave up after its last attempt");
    fake.refuse = null;
  });
});
