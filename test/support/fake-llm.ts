// A stand-in for the model providers (outside services that cannot run here), speaking their real
// streaming wire formats over HTTP so the providers' real SDK code runs against it:
//   POST /v1/chat/completions   OpenAI chat completions, SSE `data:` chunks, then `data: [DONE]`
//   POST /v1/messages           Anthropic messages, SSE `event:`/`data:` pairs
// What it answers is scripted per request (a neutral Reply rendered in whichever format was
// asked for); every request received is kept, body parsed, for the tests to assert on. With no
// script set it answers 500.
//
// Base URLs: the `openai` SDK appends /chat/completions to its baseURL, so it gets `url`
// (http://127.0.0.1:PORT/v1); `@anthropic-ai/sdk` appends /v1/messages itself, so it gets
// `anthropicUrl` (http://127.0.0.1:PORT, no /v1).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedToolCall {
  id?: string;
  name: string;
  arguments: Record<string, unknown> | string;
  /** How many chunks the arguments are split into (default 3). */
  pieces?: number;
}

export interface Reply {
  /** Text streamed in these pieces (a string is one piece). Text comes before any tool call. */
  text?: string | string[];
  toolCalls?: ScriptedToolCall[];
  /** Token counts reported (default 100 prompt, 20 completion). */
  usage?: { prompt: number; completion: number };
  /** The provider's own stop reason (default: tool calls → tool_calls/tool_use, else stop/end_turn). */
  stop?: string;
  /** Pause between chunks. */
  delayMs?: number;
  /** An HTTP error instead of a stream, with this JSON body (default: the API's own error shape). */
  status?: number;
  errorBody?: unknown;
  /**
   * Write this many pieces, then stop writing and keep the connection open (for aborts and
   * timeouts). Pieces are text pieces, tool-call starts and argument chunks, in order.
   */
  hangAfterPieces?: number;
  /** Write this many pieces, then end the response cleanly: an answer cut off before its end. */
  cutAfterPieces?: number;
}

export interface ReceivedRequest {
  path: string;
  /** The parsed JSON body (the raw text if it was not JSON). */
  body: any;
  headers: IncomingHttpHeaders;
}

export interface FakeLlm {
  /** The OpenAI SDK's baseURL: http://127.0.0.1:PORT/v1. */
  url: string;
  /** The Anthropic SDK's baseURL: http://127.0.0.1:PORT (the SDK appends /v1/messages). */
  anthropicUrl: string;
  /** Every request received, in order. */
  requests: ReceivedRequest[];
  /** Sets how model calls are answered; `index` is the request's place in `requests`. */
  script(fn: (body: any, index: number) => Reply): void;
  close(): Promise<void>;
}

/** A reply streaming this text (an array streams each piece separately). */
export const say = (text: string | string[]): Reply => ({ text });
/** A reply asking for one tool call, its arguments split over three chunks. */
export const callTool = (name: string, args: Record<string, unknown>): Reply => ({ toolCalls: [{ name, arguments: args }] });

const DEFAULT_USAGE = { prompt: 100, completion: 20 };

function split(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [""];
}

/** Writes SSE frames one by one, honouring delays and the point where the reply hangs or is cut. */
class Writer {
  private pieces = 0;
  /** Set once the reply stops early: nothing more is written. */
  stopped: "hang" | "cut" | null = null;

  constructor(private readonly res: ServerResponse, private readonly reply: Reply) {}

  async frame(text: string, piece = false): Promise<void> {
    if (this.stopped || this.res.destroyed) return;
    if (piece && this.pieces === this.reply.hangAfterPieces) {
      this.stopped = "hang";
      return;
    }
    if (piece && this.pieces === this.reply.cutAfterPieces) {
      this.stopped = "cut";
      this.res.end();
      return;
    }
    if (piece) this.pieces += 1;
    this.res.write(text);
    if (this.reply.delayMs) await new Promise((resolve) => setTimeout(resolve, this.reply.delayMs));
  }

  /** Ends the response unless it hangs on purpose (or was already cut). */
  end(): void {
    if (!this.stopped) this.res.end();
  }
}

async function openAiStream(res: ServerResponse, body: any, reply: Reply): Promise<void> {
  const w = new Writer(res, reply);
  const id = `chatcmpl-${randomUUID()}`;
  // With include_usage, OpenAI puts `usage: null` on every chunk but the last.
  const usageField = body.stream_options?.include_usage ? { usage: null } : {};
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: body.model, choices, ...usageField, ...extra })}\n\n`;
  const delta = (d: unknown, finish: string | null = null) => chunk([{ index: 0, delta: d, finish_reason: finish }]);
  await w.frame(delta({ role: "assistant", content: "" }));
  const texts = reply.text === undefined ? [] : Array.isArray(reply.text) ? reply.text : [reply.text];
  for (const piece of texts) await w.frame(delta({ content: piece }), true);
  for (const [index, call] of (reply.toolCalls ?? []).entries()) {
    const args = typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments);
    await w.frame(delta({ tool_calls: [{ index, id: call.id ?? `call_${randomUUID().slice(0, 8)}`, type: "function", function: { name: call.name, arguments: "" } }] }), true);
    for (const part of split(args, call.pieces ?? 3)) await w.frame(delta({ tool_calls: [{ index, function: { arguments: part } }] }), true);
  }
  const finish = reply.stop ?? (reply.toolCalls?.length ? "tool_calls" : "stop");
  await w.frame(delta({}, finish));
  const usage = reply.usage ?? DEFAULT_USAGE;
  if (body.stream_options?.include_usage) {
    await w.frame(chunk([], { usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion } }));
  }
  await w.frame("data: [DONE]\n\n");
  w.end();
}

async function anthropicStream(res: ServerResponse, body: any, reply: Reply): Promise<void> {
  const w = new Writer(res, reply);
  const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const usage = reply.usage ?? DEFAULT_USAGE;
  await w.frame(event("message_start", {
    message: { id: `msg_${randomUUID().slice(0, 12)}`, type: "message", role: "assistant", model: body.model, content: [],
      stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.prompt, output_tokens: 1 } },
  }));
  await w.frame(event("ping", {}));
  let index = 0;
  const texts = reply.text === undefined ? [] : Array.isArray(reply.text) ? reply.text : [reply.text];
  if (texts.length > 0) {
    await w.frame(event("content_block_start", { index, content_block: { type: "text", text: "" } }));
    for (const piece of texts) await w.frame(event("content_block_delta", { index, delta: { type: "text_delta", text: piece } }), true);
    await w.frame(event("content_block_stop", { index }));
    index += 1;
  }
  for (const call of reply.toolCalls ?? []) {
    const args = typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments);
    await w.frame(event("content_block_start", { index, content_block: { type: "tool_use", id: call.id ?? `toolu_${randomUUID().slice(0, 12)}`, name: call.name, input: {} } }), true);
    for (const part of split(args, call.pieces ?? 3)) {
      await w.frame(event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: part } }), true);
    }
    await w.frame(event("content_block_stop", { index }));
    index += 1;
  }
  const stop = reply.stop ?? (reply.toolCalls?.length ? "tool_use" : "end_turn");
  await w.frame(event("message_delta", { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.completion } }));
  await w.frame(event("message_stop", {}));
  w.end();
}

export async function startFakeLlm(): Promise<FakeLlm> {
  let responder: (body: any, index: number) => Reply = () => ({ status: 500, errorBody: { error: { message: "no script set" } } });
  const requests: ReceivedRequest[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0]!;
      let body: any;
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
      requests.push({ path, body, headers: req.headers });
      if (req.method !== "POST" || (path !== "/v1/chat/completions" && path !== "/v1/messages")) return void res.writeHead(404).end();
      if (typeof body !== "object" || body === null) return void res.writeHead(400).end();
      let reply: Reply;
      try {
        reply = responder(body, requests.length - 1);
      } catch (error) {
        // A broken script shows up as a failed model call, not as a crashed test process.
        reply = { status: 500, errorBody: { error: { message: `the fake's script threw: ${(error as Error).message}` } } };
      }
      if (reply.status) {
        const fallback = path === "/v1/messages"
          ? { type: "error", error: { type: "api_error", message: `status ${reply.status}` } }
          : { error: { message: `status ${reply.status}`, type: "api_error" } };
        res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.errorBody ?? fallback));
        return;
      }
      open.add(res);
      res.on("close", () => open.delete(res));
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
      const stream = path === "/v1/messages" ? anthropicStream(res, body, reply) : openAiStream(res, body, reply);
      stream.catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    anthropicUrl: `http://127.0.0.1:${port}`,
    requests,
    script(fn) {
      responder = fn;
    },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
