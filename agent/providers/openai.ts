// The `openai` provider: OpenAI-compatible chat completions with streaming and tool calls, through
// the official `openai` package with a configurable base URL (OpenAI, DeepSeek, Qwen, Ollama,
// vLLM...). Tool-call arguments arrive in pieces per call index and are put back together here.
import OpenAI from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import type { ProviderEndpoint } from "../../lib/config.ts";
import { classifyProviderError, shownUrl, withSilenceLimit } from "./errors.ts";
import { ProviderError, type AgentMessage, type ModelProvider, type ModelRequest, type ModelTurn, type StopReason, type ToolCall } from "./types.ts";

const DEFAULT_BASE_URL = "https://api.openai.com/v1";

function toMessages(system: string, messages: AgentMessage[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [{ role: "system", content: system }];
  for (const m of messages) {
    if (m.role === "user") out.push({ role: "user", content: m.text });
    else if (m.role === "tool") out.push({ role: "tool", tool_call_id: m.toolCallId, content: m.content });
    else if (m.toolCalls && m.toolCalls.length > 0) {
      out.push({
        role: "assistant",
        content: m.text === "" ? null : m.text,
        tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.argumentsJson || "{}" } })),
      });
    } else out.push({ role: "assistant", content: m.text });
  }
  return out;
}

const STOP: Record<string, StopReason> = { stop: "stop", tool_calls: "tool_calls", function_call: "tool_calls", length: "length", content_filter: "refusal" };

export function createOpenAIProvider(endpoint: ProviderEndpoint, options: { timeoutMs: number }): ModelProvider {
  const target = { provider: "openai" as const, baseUrl: endpoint.baseUrl ?? DEFAULT_BASE_URL, apiKey: endpoint.apiKey };
  // Servers such as Ollama or vLLM need no key; the SDK refuses to start without one all the same.
  // No retries here: the runtime decides what a failed call means for the run.
  const client = new OpenAI({ apiKey: endpoint.apiKey ?? "not-needed", baseURL: target.baseUrl, maxRetries: 0, timeout: options.timeoutMs });
  return {
    name: "openai",
    async complete(request: ModelRequest): Promise<ModelTurn> {
      const tools: ChatCompletionTool[] = request.tools.map((t) => ({
        type: "function", function: { name: t.name, description: t.description, parameters: t.parameters },
      }));
      let text = "";
      const calls = new Map<number, ToolCall>();
      let finish: string | null = null;
      let refused = false;
      const usage = { promptTokens: 0, completionTokens: 0 };
      try {
        const stream = await client.chat.completions.create({
          model: request.model,
          messages: toMessages(request.system, request.messages),
          ...(tools.length > 0 ? { tools } : {}),
          max_tokens: request.maxTokens,
          stream: true,
          stream_options: { include_usage: true },
        }, { signal: request.signal });
        for await (const chunk of withSilenceLimit(stream, () => stream.controller.abort(), options.timeoutMs, "openai")) {
          if (chunk.usage) {
            usage.promptTokens = chunk.usage.prompt_tokens ?? 0;
            usage.completionTokens = chunk.usage.completion_tokens ?? 0;
          }
          // Compatible servers differ on the usage chunk: some leave `choices` out altogether.
          const choice = chunk.choices?.[0];
          if (!choice) continue;
          // A refusal comes as its own text field; the user sees it like any answer.
          const piece = choice.delta.content || choice.delta.refusal;
          if (piece) {
            if (choice.delta.refusal) refused = true;
            text += piece;
            request.onText(piece);
          }
          for (const d of choice.delta.tool_calls ?? []) {
            const call = calls.get(d.index) ?? { id: "", name: "", argumentsJson: "" };
            if (d.id) call.id = d.id;
            if (d.function?.name && !call.name) call.name = d.function.name;
            if (d.function?.arguments) call.argumentsJson += d.function.arguments;
            calls.set(d.index, call);
          }
          if (choice.finish_reason) finish = choice.finish_reason;
        }
      } catch (error) {
        if (request.signal.aborted) throw error;
        throw classifyProviderError(error, target);
      }
      // The SDK ends a stream quietly when its signal fires, and so does a server that closes early.
      request.signal.throwIfAborted();
      if (finish === null) throw new ProviderError(`the openai model's answer from ${shownUrl(target.baseUrl)} was cut off`, "unknown");
      const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b)
        .map(([i, c]) => ({ id: c.id || `call_${i}`, name: c.name, argumentsJson: c.argumentsJson || "{}" }));
      const mapped = refused ? "refusal" : (STOP[finish] ?? "stop");
      // Some compatible servers finish a tool-calling turn with "stop".
      const stopReason: StopReason = mapped === "stop" && toolCalls.length > 0 ? "tool_calls" : mapped;
      return { text, toolCalls, usage, stopReason };
    },
  };
}
