// The local embedder (deterministic, normalised, similar texts close, English and Chinese) and the
// OpenAI-compatible client against a real local HTTP server speaking that API.
import { execFileSync } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../lib/config.ts";
import { createLocalEmbedder, EmptyTextError } from "../lib/embeddings/local.ts";
import { createOpenAiEmbedder, EmbeddingsError } from "../lib/embeddings/openai.ts";
import { embedderId } from "../lib/embeddings/types.ts";

const cosine = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
const local = createLocalEmbedder(384);

describe("local embedder", () => {
  it("is deterministic across processes, 384 numbers, unit length", async () => {
    const [v] = await local.embed(["Remember that my sister lives in Lyon"]);
    expect(v).toHaveLength(384);
    expect(Math.abs(Math.sqrt(cosine(v!, v!)) - 1)).toBeLessThan(1e-9);
    const other = execFileSync(process.execPath, ["--import", "tsx", "-e",
      "import('./lib/embeddings/local.ts').then(m => process.stdout.write(JSON.stringify(m.embedLocal('Remember that my sister lives in Lyon', 384))))"],
      { cwd: ROOT_DIR }).toString();
    expect(JSON.parse(other)).toEqual(v);
    expect(embedderId(local)).toBe("local:hash-v1:384");
  });

  it("puts related English and Chinese texts closer than unrelated ones", async () => {
    const [a, b, c] = await local.embed(["I like drinking coffee in the morning", "I love coffee every morning", "The train to Berlin was late"]);
    expect(cosine(a!, b!)).toBeGreaterThan(cosine(a!, c!) + 0.1);
    const [x, y, z] = await local.embed(["我喜欢喝咖啡", "我爱喝咖啡", "今天天气很好"]);
    expect(cosine(x!, y!)).toBeGreaterThan(cosine(x!, z!) + 0.1);
    const [mixed] = await local.embed(["我喜欢 coffee"]);
    expect(cosine(mixed!, x!)).toBeGreaterThan(0);
  });

  it("refuses text with nothing to embed", async () => {
    await expect(local.embed(["  ?! "])).rejects.toBeInstanceOf(EmptyTextError);
  });
});

describe("OpenAI-compatible client", () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = null;
  });

  /** A server whose answers follow `script` (one per request), recording what it was sent. */
  async function fake(script: Array<(req: IncomingMessage, body: any, res: ServerResponse) => void>) {
    const seen: { auth: string | undefined; body: any }[] = [];
    server = createServer((req, res) => {
      let raw = "";
      req.on("data", (d) => (raw += d));
      req.on("end", () => {
        const body = JSON.parse(raw);
        seen.push({ auth: req.headers.authorization, body });
        const step = script[Math.min(seen.length - 1, script.length - 1)]!;
        step(req, body, res);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(server!.address() as AddressInfo).port}/v1`;
    return { seen, baseUrl };
  }
  const vectors = (body: any, dims = 384) => ({
    object: "list",
    model: body.model,
    // Out of order on purpose: the client must sort by index.
    data: body.input.map((_: string, i: number) => ({ object: "embedding", index: i, embedding: Array.from({ length: dims }, () => i) })).reverse(),
    usage: { prompt_tokens: 1, total_tokens: 1 },
  });
  const ok = (dims = 384) => (_req: IncomingMessage, body: any, res: ServerResponse) =>
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(vectors(body, dims)));
  const options = (baseUrl: string) => ({ baseUrl, apiKey: "sk-test", model: "text-embedding-3-small", dimensions: 384, sendDimensions: true, batchSize: 2, timeoutMs: 2000, maxRetries: 2, backoffMs: 10 });

  it("batches, authenticates, and orders results by index", async () => {
    const { seen, baseUrl } = await fake([ok()]);
    const e = createOpenAiEmbedder(options(baseUrl));
    const out = await e.embed(["a", "b", "c"]);
    expect(out.map((v) => v[0])).toEqual([0, 1, 0]);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual({ auth: "Bearer sk-test", body: { model: "text-embedding-3-small", input: ["a", "b"], dimensions: 384 } });
    expect(seen[1]!.body.input).toEqual(["c"]);
    expect(embedderId(e)).toBe("openai:text-embedding-3-small:384");
  });

  it("retries a 500 and a 429 with Retry-After, then succeeds", async () => {
    const { seen, baseUrl } = await fake([
      (_q, _b, res) => res.writeHead(500).end("boom"),
      (_q, _b, res) => res.writeHead(429, { "retry-after": "0", "content-type": "application/json" }).end(JSON.stringify({ error: { message: "slow down" } })),
      ok(),
    ]);
    const out = await createOpenAiEmbedder(options(baseUrl)).embed(["x"]);
    expect(out).toHaveLength(1);
    expect(seen).toHaveLength(3);
  });

  it("fails at once on a 400 with the server's message, and on vectors of the wrong size", async () => {
    const bad = await fake([(_q, _b, res) => res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "bad input" } }))]);
    const error = await createOpenAiEmbedder(options(bad.baseUrl)).embed(["x"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingsError);
    expect((error as Error).message).toContain("bad input");
    expect(bad.seen).toHaveLength(1);
    await new Promise((resolve) => server!.close(resolve));
    const wrong = await fake([ok(128)]);
    await expect(createOpenAiEmbedder(options(wrong.baseUrl)).embed(["x"])).rejects.toThrow(/128 dimensions/);
  });

  it("gives up after its retries when the server never answers in time", async () => {
    const { seen, baseUrl } = await fake([() => undefined]);
    const started = Date.now();
    await expect(createOpenAiEmbedder({ ...options(baseUrl), timeoutMs: 200, maxRetries: 1 }).embed(["x"])).rejects.toThrow(/embeddings request failed/);
    expect(seen).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
