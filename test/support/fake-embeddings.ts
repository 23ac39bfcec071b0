// A stand-in for an OpenAI-compatible embeddings server (an outside service), speaking its wire
// format over real HTTP: POST /v1/embeddings {model, input[]} → {data: [{index, embedding}]}.
// Vectors come from the local embedder, so search still means something. Requests `hold` picks
// are kept open unanswered (a model that is slow to answer), to catch a worker mid-job.
import { createServer, type ServerResponse } from "node:http";
import { createLocalEmbedder } from "../../lib/embeddings/local.ts";

export interface FakeEmbeddings {
  url: string;
  /** The inputs of every request received, in order. */
  requests: string[][];
  /** Requests whose inputs match are kept open unanswered (null: answer everything). */
  hold: ((inputs: string[]) => boolean) | null;
  /** Requests whose inputs match are refused (400, which the client does not retry). */
  refuse: ((inputs: string[]) => boolean) | null;
  close(): Promise<void>;
}

export async function startFakeEmbeddings(): Promise<FakeEmbeddings> {
  const local = createLocalEmbedder(384);
  const held: ServerResponse[] = [];
  const state: FakeEmbeddings = { url: "", requests: [], hold: null, refuse: null, close: async () => undefined };
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/embeddings") return void res.writeHead(404).end();
      const body = JSON.parse(raw) as { model: string; input: string[] };
      state.requests.push(body.input);
      if (state.hold?.(body.input)) return void held.push(res);
      if (state.refuse?.(body.input)) {
        return void res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "refused by the test", type: "invalid_request_error" } }));
      }
      void local.embed(body.input).then((vectors) => {
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            object: "list",
            model: body.model,
            data: vectors.map((embedding, index) => ({ object: "embedding", index, embedding })),
            usage: { prompt_tokens: 1, total_tokens: 1 },
          }),
        );
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  state.close = async () => {
    for (const res of held) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
