// Where a candidate memory goes: compared with the user's existing memories, it is added, updates
// an existing one (the old text is kept in user_memory_revisions by a trigger), or is skipped as a
// duplicate. Runs inside the job's tenant transaction, after the user's memory lock is taken, so
// two jobs of one user never decide against the same stale picture.
import pgvector from "pgvector/pg";
import type { Tx } from "../../db/tenant.ts";
import type { MemoryCandidate } from "./rules.ts";

export type MemoryDecision = "added" | "updated" | "skipped";

export interface DecideOptions {
  /** embedderId() of the model that made `embedding`. */
  model: string;
  skipSimilarity: number;
  updateSimilarity: number;
  sourceMessageId: string | null;
}

const same = (a: string, b: string) => a.normalize("NFKC").trim().toLowerCase() === b.normalize("NFKC").trim().toLowerCase();

/** Serialises the memory pipeline of one user (transaction-scoped advisory lock). */
export async function lockUserMemories(tx: Tx, userId: string): Promise<void> {
  await tx.query("select pg_advisory_xact_lock(hashtextextended('openclaw:memories:' || $1, 0))", [userId]);
}

export async function storeMemory(tx: Tx, c: MemoryCandidate, embedding: number[], o: DecideOptions): Promise<MemoryDecision> {
  const vector = pgvector.toSql(embedding) as string;
  const update = async (id: string) => {
    await tx.query(
      `update app_public.user_memories
          set content = $2, kind = $3, importance = greatest(importance, $4), memory_key = coalesce(memory_key, $5),
              embedding = $6, embedding_model = $7, source_message_id = coalesce($8, source_message_id)
        where id = $1`,
      [id, c.content, c.kind, c.importance, c.key, vector, o.model, o.sourceMessageId],
    );
    return "updated" as const;
  };

  // A fact with one current value: the memory in its slot is the one to compare with.
  if (c.key !== null) {
    const slot = await tx.query<{ id: string; content: string }>(
      "select id, content from app_public.user_memories where memory_key = $1",
      [c.key],
    );
    const existing = slot.rows[0];
    if (existing) return same(existing.content, c.content) ? "skipped" : update(existing.id);
  }

  // Otherwise the closest memory by meaning (made by the same model), or an identical text.
  const near = await tx.query<{ id: string; content: string; memory_key: string | null; similarity: number }>(
    `(select id, content, memory_key, 1 - (embedding <=> $1::vector) as similarity
        from app_public.user_memories where embedding_model = $2
       order by embedding <=> $1::vector, id limit 1)
     union all
     (select id, content, memory_key, 1.0 from app_public.user_memories
       where lower(content) = lower($3) limit 1)
     order by similarity desc limit 1`,
    [vector, o.model, c.content],
  );
  const closest = near.rows[0];
  if (closest && (same(closest.content, c.content) || closest.similarity >= o.skipSimilarity)) return "skipped";
  // A slot-less candidate very like an existing slot-less memory restates it: the newer text wins.
  if (closest && c.key === null && closest.memory_key === null && closest.similarity >= o.updateSimilarity) {
    return update(closest.id);
  }
  await tx.query(
    `insert into app_public.user_memories (kind, content, importance, memory_key, source_message_id, embedding, embedding_model)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [c.kind, c.content, c.importance, c.key, o.sourceMessageId, vector, o.model],
  );
  return "added";
}
