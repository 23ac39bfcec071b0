import pgvector from "pgvector/pg";
import { EMBEDDING_DIMENSIONS } from "../../lib/config.ts";

/** A unit vector along the given axes (weights), as SQL parameter text. */
export function axisVector(weights: Record<number, number>): string {
  const v = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
  for (const [axis, w] of Object.entries(weights)) v[Number(axis)] = w;
  const norm = Math.hypot(...v) || 1;
  return pgvector.toSql(v.map((x) => x / norm)) as string;
}

/** Deterministic pseudo-random vector (mulberry32), as SQL parameter text. */
export function seededVector(seed: number): string {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return pgvector.toSql(Array.from({ length: EMBEDDING_DIMENSIONS }, next)) as string;
}
