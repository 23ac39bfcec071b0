// extract_memories: queued for every message a user writes. Finds durable facts and preferences
// in it (the rule-based English and Chinese extractor), embeds them, and adds, updates or skips
// each against the user's memories. Exactly once: the memories and the message's
// memories_extracted_at mark commit in one transaction, and a message already marked is left
// alone, so a job that runs again (retry, or after a crash) changes nothing.
import type pg from "pg";
import { embedderId, type Embedder } from "../../lib/embeddings/index.ts";
import type { WorkerConfig } from "../../lib/config.ts";
import type { Logger } from "../../lib/logger.ts";
import { userJob } from "../job-context.ts";
import { extractMemoryCandidates } from "../memory/rules.ts";
import { lockUserMemories, storeMemory, type MemoryDecision } from "../memory/store.ts";

export interface ExtractMemoriesDeps {
  pool: pg.Pool;
  embedder: Embedder;
  memory: WorkerConfig["memory"];
  logger: Logger;
}

export function extractMemoriesTask(deps: ExtractMemoriesDeps) {
  const model = embedderId(deps.embedder);
  return async (raw: unknown): Promise<void> => {
    const job = userJob(deps.pool, raw, ["message_id"] as const);
    const messageId = job.payload.message_id;
    const message = await job.asUser(async (tx) => {
      const r = await tx.query<{ role: string; content: string; memories_extracted_at: Date | null }>(
        "select role, content, memories_extracted_at from app_public.messages where id = $1",
        [messageId],
      );
      return r.rows[0];
    });
    if (!message || message.memories_extracted_at !== null) {
      // Deleted, done already, or not this user's (RLS hides other users' rows): nothing to do.
      return;
    }
    const candidates = message.role === "user" ? extractMemoryCandidates(message.content) : [];
    // Embedding may call a remote model: done before the transaction, not while holding the lock.
    const vectors = candidates.length > 0 ? await deps.embedder.embed(candidates.map((c) => c.content)) : [];
    const decisions = await job.asUser(async (tx) => {
      await lockUserMemories(tx, job.userId);
      const again = await tx.query<{ memories_extracted_at: Date | null }>(
        "select memories_extracted_at from app_public.messages where id = $1 for update",
        [messageId],
      );
      if (!again.rows[0] || again.rows[0].memories_extracted_at !== null) return null;
      const out: MemoryDecision[] = [];
      for (const [i, candidate] of candidates.entries()) {
        out.push(
          await storeMemory(tx, candidate, vectors[i]!, {
            model,
            skipSimilarity: deps.memory.skipSimilarity,
            updateSimilarity: deps.memory.updateSimilarity,
            sourceMessageId: messageId,
          }),
        );
      }
      await tx.query("update app_public.messages set memories_extracted_at = now() where id = $1", [messageId]);
      return out;
    });
    if (decisions === null) return;
    const count = (d: MemoryDecision) => decisions.filter((x) => x === d).length;
    deps.logger.info(
      { messageId, userId: job.userId, candidates: candidates.length, added: count("added"), updated: count("updated"), skipped: count("skipped") },
      "memories extracted",
    );
  };
}
