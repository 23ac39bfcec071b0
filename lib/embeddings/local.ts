// The built-in embedder: no model, no download. Signed feature hashing of normalised words and
// character n-grams into a fixed number of buckets, sublinear term weights, L2-normalised.
// Chinese (and other text without spaces) contributes character unigrams and bigrams, so
// 我喜欢喝咖啡 and 我爱喝咖啡 share most of their features. Deterministic everywhere.
import type { Embedder } from "./types.ts";

export const LOCAL_MODEL = "hash-v1";

/** FNV-1a, 32 bits, over the UTF-16 code units of `text`, from a seed. */
function fnv1a(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/u;

/** The features of a text with their counts: words, word 3-grams with boundaries, CJK 1- and 2-grams. */
export function features(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (f: string, weight = 1) => counts.set(f, (counts.get(f) ?? 0) + weight);
  const normal = text.normalize("NFKC").toLowerCase();
  for (const token of normal.match(/[\p{L}\p{N}]+/gu) ?? []) {
    const chars = [...token];
    if (chars.some((c) => CJK.test(c))) {
      // Runs of CJK: unigrams and bigrams (no word boundaries to rely on).
      for (let i = 0; i < chars.length; i++) {
        add(`u:${chars[i]}`);
        if (i + 1 < chars.length) add(`b:${chars[i]}${chars[i + 1]}`, 1.5);
      }
      continue;
    }
    add(`w:${token}`, 2);
    const padded = `<${token}>`;
    const p = [...padded];
    for (let i = 0; i + 3 <= p.length; i++) add(`g:${p.slice(i, i + 3).join("")}`);
  }
  return counts;
}

export function embedLocal(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const [feature, count] of features(text)) {
    const bucket = fnv1a(feature, 0) % dimensions;
    const sign = fnv1a(feature, 0x9e3779b9) & 1 ? 1 : -1;
    vector[bucket]! += sign * (1 + Math.log(count));
  }
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
  if (norm === 0) throw new EmptyTextError();
  return vector.map((v) => v / norm);
}

/** Text with no letters or digits has no embedding (pgvector's cosine distance of a zero vector is NaN). */
export class EmptyTextError extends Error {
  constructor() {
    super("text has no letters or digits to embed");
  }
}

export function createLocalEmbedder(dimensions: number): Embedder {
  return {
    provider: "local",
    model: LOCAL_MODEL,
    dimensions,
    async embed(texts) {
      return texts.map((t) => embedLocal(t, dimensions));
    },
  };
}
