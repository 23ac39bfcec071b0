// One interface for every embedding provider. Each stored embedding records embedderId() of what
// made it, so rows made by another model can be found and re-embedded.
export interface Embedder {
  readonly provider: "local" | "openai";
  readonly model: string;
  readonly dimensions: number;
  /** One vector per text, in order; each of `dimensions` numbers. */
  embed(texts: string[]): Promise<number[][]>;
}

export function embedderId(e: Pick<Embedder, "provider" | "model" | "dimensions">): string {
  return `${e.provider}:${e.model}:${e.dimensions}`;
}
