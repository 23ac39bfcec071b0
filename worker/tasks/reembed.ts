// reembed: embeds a user's memories and file chunks that the configured model did not make (none
// yet, another model, or a memory whose text changed). Queued by a trigger for a memory without
// an embedding, and for every such user when the worker starts with a different model. Batches
// of rows are read, embedded and written back only if their text did not change meanwhile;
// running it again finds nothing left to do.
import pgvector from "pgvector/pg";
import type pg from "pg";
import { embedderId, type Embedder } from "../../lib/embeddings/index.ts";
import type { Logger } from "../../lib/logger.ts";
import { userJob } from "../job-context.ts";

export interface ReembedDeps {
  pool: pg.Pool;
  embedder: Embedder;
  logger: Logger;
  batchSize?: number;
}

const SOURCES = ["user_memories", "file_chunks"] as const;

export function reembedTask(deps: ReembedDeps) {
  const model = embedderId(deps.embedder);
  const batch = deps.batchSize ?? 64;
  return async (raw: unknown): Promise<void> => {
    const job = userJob(deps.pool, raw, [] as const);
    let total = 0;
    for (const source of SOURCES) {
      // Rows skipped in this run (their text changed under us) are not read again by it.
      let after = "00000000-0000-0000-0000-000000000000";
      for (;;) {
        const rows = await job.asUser(async (tx) => {
          const r = await tx.query<{ id: string; content: string }>(
            `select id, content from app_public.${source}
              where embedding_model is distinct from $1 and id > $2 order by id limit $3`,
            [model, after, batch],
          );
          return r.rows;
        });
        if (rows.length === 0) break;
        after = rows.at(-1)!.id;
        const vectors = await deps.embedder.embed(rows.map((r) => r.content));
        await job.asUser(async (tx) => {
          for (const [i, row] of rows.entries()) {
            await tx.query(
              `update app_public.${source} set embedding = $2, embedding_model = $3 where id = $1 and content = $4`,
              [row.id, pgvector.toSql(vectors[i]!), model, row.content],
            );
          }
        });
        total += rows.length;
      }
    }
    if (total > 0) deps.logger.info({ userId: job.userId, rows: total, model }, "embeddings made");
  };
}
