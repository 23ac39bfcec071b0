// The `openai` and `anthropic` providers' real code (the official SDKs) against a local server
// speaking each API's streaming wire format: text in pieces, tool calls whose arguments arrive
// split, parallel calls, usage, what is sent (system prompt, tool schemas, earlier tool results),
// stop reasons, error classification, aborts, a server gone quiet or cut off mid-answer, and an
// unreachable server. No database: these are the provider layer alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnthropicProvider } from "../agent/providers/anthropic.ts";
import { createOpenAIProvider } from "../agent/providers/openai.ts";
import { ProviderError, type AgentMessage, type ModelProvider, type ModelRequest } from "../agent/providers/types.ts";
import { freePort } from "./support/ports.ts";
import { startFakeLlm, type FakeLlm, type Reply } from "./support/fake-llm.ts";

let fake: FakeLlm;
const KEY = "sk-secret-key-that-must-not-leak";
const SYSTEM = "You are a test.";

beforeAll(async () => {
  fake = await startFakeLlm();
});
afterAll(async () => {
  await fake.close();
});

const TOOLS = [{ name: "lookup", description: "Look something up", parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } }];

function request(over: Partial<ModelRequest> = {}): ModelRequest & { pieces: string[] } {
  const pieces: string[] = [];
  return {
    model: "m-1", system: SYSTEM, messages: [{ role: "user", text: "hello" }], tools: TOOLS, maxTokens: 64,
    signal: new AbortController().signal, onText: (p) => pieces.push(p), pieces, ...over,
  };
}

/** The error a call fails with ("resolved" if it did not fail). */
const failure = (p: Promise<unknown>): Promise<any> => p.then(() => "resolved", (e: unknown) => e);

type Name = "openai" | "anthropic";
const baseFor = (name: Name, port: number | string) => (name === "openai" ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}`);
const make = (name: Name, timeoutMs = 5000, baseUrl = name === "openai" ? fake.url : fake.anthropicUrl): ModelProvider =>
  name === "openai"
    ? createOpenAIProvider({ apiKey: KEY, baseUrl, model: "m-1" }, { timeoutMs })
    : createAnthropicProvider({ apiKey: KEY, baseUrl, model: "m-1" }, { timeoutMs });

describe.each(["openai", "anthropic"] as const)("the %s provider", (name) => {
  it("streams text in pieces and returns it with usage, having sent the model, system prompt and key", async () => {
    fake.script(() => ({ text: ["Hel", "lo ", "there"], usage: { prompt: 11, completion: 7 } }));
    const req = request();
    const turn = await make(name).complete(req);
    expect(req.pieces).toEqual(["Hel", "lo ", "there"]);
    expect(turn).toEqual({ text: "Hello there", toolCalls: [], usage: { promptTokens: 11, completionTokens: 7 }, stopReason: "stop" });
    const sent = fake.requests.at(-1)!;
    expect(sent.body).toMatchObject({ model: "m-1", max_tokens: 64, stream: true });
    if (name === "openai") {
      expect(sent.path).toBe("/v1/chat/completions");
      expect(sent.body.stream_options).toEqual({ include_usage: true });
      expect(sent.body.messages).toEqual([{ role: "system", content: SYSTEM }, { role: "user", content: "hello" }]);
      expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    } else {
      expect(sent.path).toBe("/v1/messages");
      expect(sent.body.system).toBe(SYSTEM);
      expect(sent.body.messages).toEqual([{ role: "user", content: [{ type: "text", text: "hello" }] }]);
      // @anthropic-ai/sdk 1.x sends the key as a bearer token (older versions used x-api-key).
      expect(sent.headers["x-api-key"] ?? sent.headers.authorization?.replace(/^Bearer /, "")).toBe(KEY);
      expect(sent.headers["anthropic-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("reassembles two parallel tool calls whose arguments arrive split, and sends the tool schema", async () => {
    const first = { q: "the first question, long enough to be split", n: [1, 2, 3] };
    fake.script(() => ({
      toolCalls: [
        { id: "c1", name: "lookup", arguments: first, pieces: 5 },
        { id: "c2", name: "lookup", arguments: { q: "second" }, pieces: 2 },
      ],
      usage: { prompt: 40, completion: 12 },
    }));
    const req = request();
    const turn = await make(name).complete(req);
    expect(req.pieces).toEqual([]);
    expect(turn.text).toBe("");
    expect(turn.stopReason).toBe("tool_calls");
    expect(turn.usage).toEqual({ promptTokens: 40, completionTokens: 12 });
    expect(turn.toolCalls.map((c) => ({ id: c.id, name: c.name, args: JSON.parse(c.argumentsJson) }))).toEqual([
      { id: "c1", name: "lookup", args: first },
      { id: "c2", name: "lookup", args: { q: "second" } },
    ]);
    const tools = fake.requests.at(-1)!.body.tools;
    expect(tools).toEqual(name === "openai"
      ? [{ type: "function", function: { name: "lookup", description: "Look something up", parameters: TOOLS[0]!.parameters } }]
      : [{ name: "lookup", description: "Look something up", input_schema: TOOLS[0]!.parameters }]);
  });

  it("returns text and a tool call from one turn, and an argument-less call as {}", async () => {
    fake.script(() => ({ text: ["Let me ", "check."], toolCalls: [{ id: "c9", name: "lookup", arguments: "" }] }));
    const req = request();
    const turn = await make(name).complete(req);
    expect(req.pieces).toEqual(["Let me ", "check."]);
    expect(turn.text).toBe("Let me check.");
    expect(turn.toolCalls).toEqual([{ id: "c9", name: "lookup", argumentsJson: "{}" }]);
  });

  it("sends earlier tool calls and their results back in the provider's format", async () => {
    fake.script(() => ({ text: "ok" }));
    const messages: AgentMessage[] = [
      { role: "user", text: "look up two things" },
      { role: "assistant", text: "Looking.", toolCalls: [{ id: "c1", name: "lookup", argumentsJson: '{"q":"a"}' }, { id: "c2", name: "lookup", argumentsJson: "{not json" }] },
      { role: "tool", toolCallId: "c1", name: "lookup", content: '{"answer":"A"}' },
      { role: "tool", toolCallId: "c2", name: "lookup", content: '{"error":"bad arguments"}' },
      { role: "user", text: "and?" },
    ];
    await make(name).complete(request({ messages }));
    const sent = fake.requests.at(-1)!.body.messages;
    if (name === "openai") {
      expect(sent).toEqual([
        { role: "system", content: SYSTEM },
        { role: "user", content: "look up two things" },
        { role: "assistant", content: "Looking.", tool_calls: [
          { id: "c1", type: "function", function: { name: "lookup", arguments: '{"q":"a"}' } },
          { id: "c2", type: "function", function: { name: "lookup", arguments: "{not json" } },
        ] },
        { role: "tool", tool_call_id: "c1", content: '{"answer":"A"}' },
        { role: "tool", tool_call_id: "c2", content: '{"error":"bad arguments"}' },
        { role: "user", content: "and?" },
      ]);
    } else {
      // Turns alternate: both results and the next question go back in one user message.
      expect(sent).toEqual([
        { role: "user", content: [{ type: "text", text: "look up two things" }] },
        { role: "assistant", content: [
          { type: "text", text: "Looking." },
          { type: "tool_use", id: "c1", name: "lookup", input: { q: "a" } },
          { type: "tool_use", id: "c2", name: "lookup", input: {} },
        ] },
        { role: "user", content: [
          { type: "tool_result", tool_use_id: "c1", content: '{"answer":"A"}' },
          { type: "tool_result", tool_use_id: "c2", content: '{"error":"bad arguments"}' },
          { type: "text", text: "and?" },
        ] },
      ]);
    }
  });

  it("maps the provider's stop reasons", async () => {
    const cases: [string, string][] = name === "openai"
      ? [["length", "length"], ["content_filter", "refusal"], ["stop", "stop"]]
      : [["max_tokens", "length"], ["refusal", "refusal"], ["stop_sequence", "stop"], ["end_turn", "stop"]];
    for (const [stop, expected] of cases) {
      fake.script(() => ({ text: "partial", stop }));
      expect((await make(name).complete(request())).stopReason, stop).toBe(expected);
    }
  });

  it("classifies a 429 as rate_limit, a context-length 400 as context_length and a refused key, without the key", async () => {
    fake.script(() => ({ status: 429 }));
    const limited = await failure(make(name).complete(request()));
    expect(limited).toBeInstanceOf(ProviderError);
    expect([limited.kind, limited.status]).toEqual(["rate_limit", 429]);

    fake.script(() => ({
      status: 400,
      errorBody: name === "openai"
        ? { error: { message: "This model's maximum context length is 8192 tokens", type: "invalid_request_error", code: "context_length_exceeded" } }
        : { type: "error", error: { type: "invalid_request_error", message: "prompt is too long: 210000 tokens > 200000 maximum" } },
    }));
    const long = await failure(make(name).complete(request()));
    expect(long).toBeInstanceOf(ProviderError);
    expect([long.kind, long.status]).toEqual(["context_length", 400]);

    // Providers echo (parts of) a bad key back; none of it reaches the message.
    fake.script(() => ({ status: 401, errorBody: { error: { message: `Incorrect API key provided: ${KEY}` } } }));
    const refused = await failure(make(name).complete(request()));
    expect(refused).toBeInstanceOf(ProviderError);
    expect([refused.kind, refused.message]).toEqual(["unknown", `the ${name} model provider refused the API key (401)`]);

    fake.script(() => ({ status: 400, errorBody: { type: "error", error: { type: "invalid_request_error", message: `bad header x-api-key: ${KEY}` } } }));
    const echoed = await failure(make(name).complete(request()));
    expect(echoed.kind).toBe("unknown");
    expect(echoed.message).toContain("bad header x-api-key: [API key]");
    expect(echoed.message).not.toContain(KEY);
  });

  it("rejects promptly with an abort, not a provider error, when the run is aborted mid-stream", async () => {
    fake.script(() => ({ text: ["first", " never"], hangAfterPieces: 1 }));
    const controller = new AbortController();
    const req = request({ signal: controller.signal });
    const pending = failure(make(name, 30_000).complete(req));
    const started = Date.now();
    while (req.pieces.length === 0 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(req.pieces).toEqual(["first"]);
    const abortedAt = Date.now();
    controller.abort();
    const outcome = await pending;
    expect(Date.now() - abortedAt).toBeLessThan(2000);
    expect(outcome).not.toBe("resolved");
    expect(outcome).not.toBeInstanceOf(ProviderError);
    expect(outcome.name).toBe("AbortError");
  });

  it("rejects with an abort when the run was aborted before the answer started", async () => {
    fake.script(() => ({ text: "never seen" }));
    const controller = new AbortController();
    controller.abort();
    const outcome = await failure(make(name).complete(request({ signal: controller.signal })));
    expect(outcome).not.toBe("resolved");
    expect(outcome).not.toBeInstanceOf(ProviderError);
  });

  it("times out when the model goes quiet mid-answer", async () => {
    fake.script(() => ({ text: ["first", " never"], hangAfterPieces: 1 }));
    const req = request();
    const started = Date.now();
    const outcome = await failure(make(name, 400).complete(req));
    expect(req.pieces).toEqual(["first"]);
    expect(outcome).toBeInstanceOf(ProviderError);
    expect(outcome.kind).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("fails, rather than answering with half a reply, when the stream ends before the model finished", async () => {
    fake.script((): Reply => ({ text: ["half", " an answer", " never sent"], cutAfterPieces: 2 }));
    const req = request();
    const outcome = await failure(make(name).complete(req));
    expect(req.pieces).toEqual(["half", " an answer"]);
    expect(outcome).toBeInstanceOf(ProviderError);
    expect([outcome.kind, outcome.message]).toEqual(["unknown", `the ${name} model's answer from ${baseFor(name, new URL(fake.url).port)} was cut off`]);
  });

  it("names the unreachable URL, never the key", async () => {
    const base = baseFor(name, await freePort());
    const error = await failure(make(name, 3000, base).complete(request()));
    expect(error).toBeInstanceOf(ProviderError);
    expect([error.kind, error.message]).toEqual(["unknown", `could not reach the ${name} model provider at ${base}`]);
    expect(error.message).not.toContain(KEY);
  });
});
