// The `openai` and `anthropic` providers' real code (the official SDKs) against a local server
// speaking each API's streaming wire format: text in pieces, tool calls whose arguments arrive
// split, parallel calls, usage, how tool results are sent back, error classification, aborts and
// an unreachable server. No database: these are the provider layer alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnthropicProvider } from "../agent/providers/anthropic.ts";
import { createOpenAIProvider } from "../agent/providers/openai.ts";
import { ProviderError, type AgentMessage, type ModelProvider, type ModelRequest } from "../agent/providers/types.ts";
import { freePort } from "./support/ports.ts";
import { startFakeLlm, type FakeLlm } from "./support/fake-llm.ts";

let fake: FakeLlm;
const KEY = "sk-secret-key-that-must-not-leak";

beforeAll(async () => {
  fake = await startFakeLlm();
});
afterAll(async () => {
  await fake.close();
});

const TOOLS = [{ name: "lookup", description: "Look something up", parameters: { type: "object", properties: { q: { type: "string" } } } }];

function request(over: Partial<ModelRequest> = {}): ModelRequest & { pieces: string[] } {
  const pieces: string[] = [];
  return {
    model: "m-1", system: "You are a test.", messages: [{ role: "user", text: "hello" }], tools: TOOLS, maxTokens: 64,
    signal: new AbortController().signal, onText: (p) => pieces.push(p), pieces, ...over,
  };
}

const providers: [string, () => ModelProvider, string][] = [
  ["openai", () => createOpenAIProvider({ apiKey: KEY, baseUrl: fake.url, model: "m-1" }, { timeoutMs: 5000 }), "/v1/chat/completions"],
  ["anthropic", () => createAnthropicProvider({ apiKey: KEY, baseUrl: fake.anthropicUrl, model: "m-1" }, { timeoutMs: 5000 }), "/v1/messages"],
];

describe.each(providers)("the %s provider", (name, make, path) => {
  it("streams text in pieces and returns it with usage", async () => {
    fake.script(() => ({ text: ["Hel", "lo ", "there"], usage: { prompt: 11, completion: 7 } }));
    const req = request();
    const turn = await make().complete(req);
    expect(req.pieces).toEqual(["Hel", "lo ", "there"]);
    expect(turn).toEqual({ text: "Hello there", toolCalls: [], usage: { promptTokens: 11, completionTokens: 7 }, stopReason: "stop" });
    const sent = fake.requests.at(-1)!;
    expect(sent.path).toBe(path);
    expect(sent.body.model).toBe("m-1");
    expect(JSON.stringify(sent.body)).toContain("You are a test.");
  });

  it("reassembles tool calls whose arguments arrive split, two at once", async () => {
    fake.script(() => ({
      toolCalls: [
        { id: "c1", name: "lookup", arguments: { q: "the first question, long enough to be split" }, pieces: 5 },
        { id: "c2", name: "lookup", arguments: { q: "second" }, pieces: 2 },
      ],
    }));
    const turn = await make().complete(request());
    expect(turn.stopReason).toBe("tool_calls");
    expect(turn.toolCalls.map((c) => ({ id: c.id, name: c.name, args: JSON.parse(c.argumentsJson) }))).toEqual([
      { id: "c1", name: "lookup", args: { q: "the first question, long enough to be split" } },
      { id: "c2", name: "lookup", args: { q: "second" } },
    ]);
    const body = fake.requests.at(-1)!.body;
    const tool = name === "openai" ? body.tools[0].function : body.tools[0];
    expect(tool.name).toBe("lookup");
    expect(name === "openai" ? tool.parameters : tool.input_schema).toEqual(TOOLS[0]!.parameters);
  });

  it("sends earlier tool calls and their results back in the provider's format", async () => {
    fake.script(() => ({ text: "ok" }));
    const messages: AgentMessage[] = [
      { role: "user", text: "look up two things" },
      { role: "assistant", text: "", toolCalls: [{ id: "c1", name: "lookup", argumentsJson: '{"q":"a"}' }, { id: "c2", name: "lookup", argumentsJson: '{"q":"b"}' }] },
      { role: "tool", toolCallId: "c1", name: "lookup", content: '{"answer":"A"}' },
      { role: "tool", toolCallId: "c2", name: "lookup", content: '{"answer":"B"}' },
    ];
    await make().complete(request({ messages }));
    const sent = fake.requests.at(-1)!.body.messages;
    if (name === "openai") {
      expect(sent.map((m: any) => m.role)).toEqual(["system", "user", "assistant", "tool", "tool"]);
      expect(sent[2].tool_calls.map((c: any) => [c.id, c.function.name, c.function.arguments])).toEqual([["c1", "lookup", '{"q":"a"}'], ["c2", "lookup", '{"q":"b"}']]);
      expect(sent.slice(3).map((m: any) => [m.tool_call_id, m.content])).toEqual([["c1", '{"answer":"A"}'], ["c2", '{"answer":"B"}']]);
    } else {
      // Turns alternate: both results go back in one user message.
      expect(sent.map((m: any) => m.role)).toEqual(["user", "assistant", "user"]);
      expect(sent[1].content).toEqual([
        { type: "tool_use", id: "c1", name: "lookup", input: { q: "a" } },
        { type: "tool_use", id: "c2", name: "lookup", input: { q: "b" } },
      ]);
      expect(sent[2].content).toEqual([
        { type: "tool_result", tool_use_id: "c1", content: '{"answer":"A"}' },
        { type: "tool_result", tool_use_id: "c2", content: '{"answer":"B"}' },
      ]);
    }
  });

  it("classifies a 429 as rate_limit and a context-length 400 as context_length", async () => {
    fake.script(() => ({ status: 429 }));
    const limited = await make().complete(request()).catch((e) => e);
    expect(limited).toBeInstanceOf(ProviderError);
    expect(limited.kind).toBe("rate_limit");
    fake.script(() => ({
      status: 400,
      errorBody: name === "openai"
        ? { error: { message: "This model's maximum context length is 8192 tokens", type: "invalid_request_error", code: "context_length_exceeded" } }
        : { type: "error", error: { type: "invalid_request_error", message: "prompt is too long: 210000 tokens > 200000 maximum" } },
    }));
    const long = await make().complete(request()).catch((e) => e);
    expect(long.kind).toBe("context_length");
    expect(long.message).not.toContain(KEY);
  });

  it("stops promptly when the run is aborted mid-stream", async () => {
    fake.script(() => ({ text: ["first", " never"], hangAfterPieces: 1 }));
    const controller = new AbortController();
    const req = request({ signal: controller.signal });
    const started = Date.now();
    const pending = make().complete(req).then(() => "resolved", (e) => e);
    while (req.pieces.length === 0 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(req.pieces).toEqual(["first"]);
    controller.abort();
    const outcome = await pending;
    expect(Date.now() - started).toBeLessThan(2000);
    // Either a thrown abort or a quiet end; never a classified provider failure.
    expect(outcome instanceof ProviderError).toBe(false);
  });

  it("names the unreachable URL, never the key", async () => {
    const port = await freePort();
    const base = name === "openai" ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}`;
    const provider = name === "openai"
      ? createOpenAIProvider({ apiKey: KEY, baseUrl: base, model: "m" }, { timeoutMs: 3000 })
      : createAnthropicProvider({ apiKey: KEY, baseUrl: base, model: "m" }, { timeoutMs: 3000 });
    const error = await provider.complete(request()).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toContain(base);
    expect(error.message).not.toContain(KEY);
  });
});
