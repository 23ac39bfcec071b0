// The embedder the configuration asks for.
import type { EmbeddingsConfig } from "../config.ts";
import { createLocalEmbedder } from "./local.ts";
import { createOpenAiEmbedder } from "./openai.ts";
import type { Embedder } from "./types.ts";

export type { Embedder } from "./types.ts";
export { embedderId } from "./types.ts";

export function createEmbedder(c: EmbeddingsConfig): Embedder {
  if (c.provider === "local") return createLocalEmbedder(c.dimensions);
  return createOpenAiEmbedder({
    baseUrl: c.baseUrl,
    apiKey: c.apiKey,
    model: c.model,
    dimensions: c.dimensions,
    sendDimensions: c.sendDimensions,
    batchSize: c.batchSize,
    timeoutMs: c.timeoutMs,
    maxRetries: c.maxRetries,
  });
}
