import type pg from "pg";

/** Plants `count` memories with seeded random embeddings for one user, generated server-side. */
export async function plantRandomMemories(root: pg.Pool, userId: string, count: number, seedBase: number): Promise<void> {
  await root.query(
    `insert into app_public.user_memories (user_id, content, embedding, embedding_model)
     select $1, 'memory ' || i, v.embedding, 'test-random'
     from generate_series(1, $2) i,
     lateral (select setseed((($3 + i) % 1000000) / 1000000.0)) s,
     lateral (select array_agg(random() - 0.5)::vector(384) as embedding from generate_series(1, 384) d where i > 0) v`,
    [userId, count, seedBase],
  );
}
