// Searching a user's memories and file passages by a text: the text is embedded with the
// configured model and handed, with the text itself, to the hybrid SQL functions (vector
// similarity fused with full-text rank), inside the user's tenant context. Used by the API and
// by the agent.
import type pg from "pg";
import pgvector from "pgvector/pg";
import type { Embedder } from "../lib/embeddings/index.ts";
import { withUser } from "./tenant.ts";

export interface MemoryHit {
  id: string;
  kind: string;
  content: string;
  importance: number;
  score: number;
}

export interface FileChunkHit {
  id: string;
  fileId: string;
  chunkIndex: number;
  content: string;
  score: number;
}

const clamp = (k: number | null | undefined) => Math.min(Math.max(Math.trunc(k ?? 10), 1), 100);

async function queryVector(embedder: Embedder, query: string): Promise<string | null> {
  if (query.trim() === "") return null;
  const [v] = await embedder.embed([query]);
  return pgvector.toSql(v!) as string;
}

export async function searchMemories(pool: pg.Pool, userId: string, embedder: Embedder, query: string, first?: number | null): Promise<MemoryHit[]> {
  const vector = await queryVector(embedder, query);
  return withUser(pool, userId, async (tx) => {
    const { rows } = await tx.query<MemoryHit>(
      "select id, kind, content, importance, score from app_public.search_memories($1, $2::vector, $3)",
      [query, vector, clamp(first)],
    );
    return rows;
  });
}

export async function searchFileChunks(pool: pg.Pool, userId: string, embedder: Embedder, query: string, first?: number | null): Promise<FileChunkHit[]> {
  const vector = await queryVector(embedder, query);
  return withUser(pool, userId, async (tx) => {
    const { rows } = await tx.query<FileChunkHit>(
      `select id, file_id as "fileId", chunk_index as "chunkIndex", content, score
         from app_public.search_file_chunks($1, $2::vector, $3)`,
      [query, vector, clamp(first)],
    );
    return rows;
  });
}
