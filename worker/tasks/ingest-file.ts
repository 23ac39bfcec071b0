// ingest_file: queued when a file's upload is confirmed. Reads the confirmed bytes, extracts the
// text (plain, Markdown, HTML, PDF, DOCX), chunks it with overlap, embeds the chunks and stores
// them; the file ends `ready`, or `failed` with a reason the user can read. Exactly once: the
// chunks are replaced and the status set in one transaction, so a run that dies halfway leaves
// nothing behind and the next run starts clean.
import pgvector from "pgvector/pg";
import type pg from "pg";
import type { FilesConfig, WorkerConfig } from "../../lib/config.ts";
import { embedderId, type Embedder } from "../../lib/embeddings/index.ts";
import type { Logger } from "../../lib/logger.ts";
import type { Storage } from "../../lib/storage.ts";
import { chunkText } from "../documents/chunk.ts";
import { ExtractError, extractText } from "../documents/extract.ts";
import { userJob, type Attempt, type UserJob } from "../job-context.ts";
import { readConfirmedObject } from "../stored-object.ts";

export interface IngestFileDeps {
  pool: pg.Pool;
  storage: Storage;
  embedder: Embedder;
  files: FilesConfig;
  ingest: WorkerConfig["ingest"];
  logger: Logger;
}

export function ingestFileTask(deps: IngestFileDeps) {
  const model = embedderId(deps.embedder);
  return async (raw: unknown, attempt: Attempt = { last: false }): Promise<void> => {
    const job = userJob(deps.pool, raw, ["file_id"] as const);
    const fileId = job.payload.file_id;
    const file = await job.asUser(async (tx) => {
      const r = await tx.query<{ object_key: string; size_bytes: string; sha256: string | null; mime_type: string; filename: string }>(
        `update app_public.user_files set status = 'processing', error = null
          where id = $1 and status in ('uploaded', 'processing')
          returning object_key, size_bytes, sha256, mime_type, filename`,
        [fileId],
      );
      return r.rows[0];
    });
    if (!file) return; // deleted, finished already, or not this user's

    const fail = async (reason: string) => {
      await job.asUser((tx) =>
        tx.query("update app_public.user_files set status = 'failed', error = $2 where id = $1 and status = 'processing'", [fileId, reason.slice(0, 2000)]),
      );
      deps.logger.info({ fileId, userId: job.userId, reason }, "file ingestion failed");
    };

    try {
      await ingest(fileId, file, fail, job);
    } catch (error) {
      // The object store or the embedder failed: retried with backoff, until the last attempt,
      // which tells the user instead of leaving the file `processing` for ever.
      if (!attempt.last) throw error;
      deps.logger.error({ fileId, userId: job.userId, err: (error as Error).message }, "file ingestion gave up after its last attempt");
      return fail("the file could not be processed (the file store or the embedding service kept failing); upload it again");
    }
  };

  async function ingest(
    fileId: string,
    file: { object_key: string; size_bytes: string; sha256: string | null; mime_type: string; filename: string },
    fail: (reason: string) => Promise<void>,
    job: UserJob<Record<"file_id", string>>,
  ): Promise<void> {
    const stored = await readConfirmedObject(deps.storage, file, deps.files.maxBytes, "file");
    if ("problem" in stored) return fail(stored.problem);
    let text: string;
    let pageCount: number | null;
    try {
      ({ text, pageCount } = await extractText(stored.body, {
        mimeType: file.mime_type,
        filename: file.filename,
        maxPages: deps.ingest.maxPages,
        maxChars: deps.ingest.maxChars,
      }));
    } catch (error) {
      if (error instanceof ExtractError) return fail(error.message);
      throw error;
    }
    const chunks = chunkText(text, { size: deps.ingest.chunkSize, overlap: deps.ingest.chunkOverlap });
    if (chunks.length === 0) return fail("the file has no text to search");
    const vectors: number[][] = [];
    for (let i = 0; i < chunks.length; i += 256) vectors.push(...(await deps.embedder.embed(chunks.slice(i, i + 256))));

    const written = await job.asUser(async (tx) => {
      const still = await tx.query("select 1 from app_public.user_files where id = $1 and status = 'processing' for update", [fileId]);
      if (still.rowCount === 0) return false; // deleted (or finished by another run) meanwhile
      await tx.query("delete from app_public.file_chunks where file_id = $1", [fileId]);
      for (let i = 0; i < chunks.length; i += 100) {
        const part = chunks.slice(i, i + 100);
        await tx.query(
          `insert into app_public.file_chunks (file_id, chunk_index, content, token_count, embedding, embedding_model)
           select $1, i, c, t, e::vector, $6 from unnest($2::int[], $3::text[], $4::int[], $5::text[]) as u(i, c, t, e)`,
          [
            fileId,
            part.map((_, j) => i + j),
            part,
            part.map((c) => c.split(/\s+/).filter(Boolean).length),
            part.map((_, j) => pgvector.toSql(vectors[i + j]!) as string),
            model,
          ],
        );
      }
      await tx.query("update app_public.user_files set status = 'ready', error = null, page_count = $2 where id = $1", [fileId, pageCount]);
      return true;
    });
    if (written) deps.logger.info({ fileId, userId: job.userId, chunks: chunks.length, pages: pageCount }, "file ingested");
  }
}
