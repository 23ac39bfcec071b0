// An OpenAI-compatible embeddings client (POST {baseUrl}/embeddings): OpenAI, and the many servers
// that speak its wire format (vLLM, Ollama, DeepSeek/Qwen gateways...). Batches inputs, orders the
// answer by index, checks every vector's size, retries 429/5xx/network errors with backoff
// (honouring Retry-After), and fails at once on other 4xx with the server's own message.
// Never logs the key or the texts.
import type { Embedder } from "./types.ts";

export interface OpenAiEmbeddingsOptions {
  baseUrl: string;
  apiKey: string | null;
  model: string;
  dimensions: number;
  /** Send `dimensions` in the request (many compatible servers reject the field). */
  sendDimensions: boolean;
  batchSize: number;
  timeoutMs: number;
  maxRetries: number;
  /** Base delay of the exponential backoff (tests shorten it). */
  backoffMs?: number;
}

export class EmbeddingsError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createOpenAiEmbedder(o: OpenAiEmbeddingsOptions): Embedder {
  const url = `${o.baseUrl.replace(/\/+$/, "")}/embeddings`;

  async function once(input: string[]): Promise<number[][]> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}) },
        body: JSON.stringify({ model: o.model, input, ...(o.sendDimensions ? { dimensions: o.dimensions } : {}) }),
        signal: AbortSignal.timeout(o.timeoutMs),
      });
    } catch (error) {
      throw new EmbeddingsError(`embeddings request failed: ${(error as Error).message}`, null, true);
    }
    const text = await res.text();
    if (!res.ok) {
      let detail = text.slice(0, 300);
      try {
        detail = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? detail;
      } catch {
        // not JSON
      }
      const retryable = res.status === 429 || res.status >= 500;
      const error = new EmbeddingsError(`embeddings server answered ${res.status}: ${detail}`, res.status, retryable);
      (error as EmbeddingsError & { retryAfterMs?: number }).retryAfterMs = retryAfter(res.headers.get("retry-after"));
      throw error;
    }
    let body: { data?: { index: number; embedding: number[] }[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new EmbeddingsError("embeddings server answered with something that is not JSON", res.status, true);
    }
    const data = [...(body.data ?? [])].sort((a, b) => a.index - b.index);
    if (data.length !== input.length) {
      throw new EmbeddingsError(`embeddings server returned ${data.length} vectors for ${input.length} inputs`, res.status, false);
    }
    for (const d of data) {
      if (!Array.isArray(d.embedding) || d.embedding.length !== o.dimensions) {
        throw new EmbeddingsError(
          `model ${o.model} returned vectors of ${d.embedding?.length ?? "no"} dimensions; the database stores ${o.dimensions}`,
          res.status,
          false,
        );
      }
    }
    return data.map((d) => d.embedding);
  }

  async function withRetries(input: string[]): Promise<number[][]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await once(input);
      } catch (error) {
        const e = error as EmbeddingsError & { retryAfterMs?: number };
        if (!(e instanceof EmbeddingsError) || !e.retryable || attempt >= o.maxRetries) throw error;
        const base = (o.backoffMs ?? 500) * 2 ** attempt;
        await sleep(Math.min(e.retryAfterMs ?? base + Math.random() * base, 30_000));
      }
    }
  }

  return {
    provider: "openai",
    model: o.model,
    dimensions: o.dimensions,
    async embed(texts) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += o.batchSize) out.push(...(await withRetries(texts.slice(i, i + o.batchSize))));
      return out;
    },
  };
}

function retryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, 30_000) : undefined;
}
