// The `anthropic` provider: the messages API with streaming and tool use, through
// `@anthropic-ai/sdk`. Tool results go back as `tool_result` blocks in a user message, and
// consecutive messages of one role are merged: the API wants user and assistant turns to alternate.
import Anthropic from "@anthropic-ai/sdk";
import type { ProviderEndpoint } from "../../lib/config.ts";
import { classifyProviderError, shownUrl, withSilenceLimit } from "./errors.ts";
import { ProviderError, type AgentMessage, type ModelProvider, type ModelRequest, type ModelTurn, type StopReason, type ToolCall } from "./types.ts";

const DEFAULT_BASE_URL = "https://api.anthropic.com";

interface Turn {
  role: "user" | "assistant";
  content: Anthropic.ContentBlockParam[];
}

/** A tool call's arguments as the `input` object the API wants; text that is not a JSON object becomes {}. */
function parseInput(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function toMessages(messages: AgentMessage[]): Turn[] {
  const out: Turn[] = [];
  const push = (role: Turn["role"], blocks: Anthropic.ContentBlockParam[]) => {
    // The API rejects empty text blocks and empty messages.
    if (blocks.length === 0) return;
    const last = out.at(-1);
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  const text = (t: string): Anthropic.ContentBlockParam[] => (t === "" ? [] : [{ type: "text", text: t }]);
  for (const m of messages) {
    if (m.role === "user") push("user", text(m.text));
    else if (m.role === "tool") push("user", [{ type: "tool_result", tool_use_id: m.toolCallId, content: m.content }]);
    else {
      push("assistant", [
        ...text(m.text),
        ...(m.toolCalls ?? []).map((c): Anthropic.ContentBlockParam => ({ type: "tool_use", id: c.id, name: c.name, input: parseInput(c.argumentsJson) })),
      ]);
    }
  }
  return out;
}

const STOP: Record<string, StopReason> = {
  end_turn: "stop", stop_sequence: "stop", tool_use: "tool_calls", max_tokens: "length", model_context_window_exceeded: "length", refusal: "refusal",
};

export function createAnthropicProvider(endpoint: ProviderEndpoint, options: { timeoutMs: number }): ModelProvider {
  const target = { provider: "anthropic" as const, baseUrl: endpoint.baseUrl ?? DEFAULT_BASE_URL, apiKey: endpoint.apiKey };
  // A compatible proxy may need no key, but without one the SDK goes looking for credentials in
  // ANTHROPIC_* variables and config files: a placeholder keeps it to what we configured.
  // No retries here: the runtime decides what a failed call means for the run.
  const client = new Anthropic({ apiKey: endpoint.apiKey ?? "not-needed", baseURL: target.baseUrl, maxRetries: 0, timeout: options.timeoutMs });
  return {
    name: "anthropic",
    async complete(request: ModelRequest): Promise<ModelTurn> {
      let text = "";
      const calls = new Map<number, ToolCall>();
      let stop: string | null = null;
      const usage = { promptTokens: 0, completionTokens: 0 };
      try {
        const stream = await client.messages.create({
          model: request.model,
          system: request.system,
          max_tokens: request.maxTokens,
          messages: toMessages(request.messages),
          ...(request.tools.length > 0
            ? { tools: request.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters as Anthropic.Tool.InputSchema })) }
            : {}),
          stream: true,
        }, { signal: request.signal });
        for await (const event of withSilenceLimit(stream, () => stream.controller.abort(), options.timeoutMs, "anthropic")) {
          switch (event.type) {
            case "message_start":
              usage.promptTokens = event.message.usage.input_tokens;
              usage.completionTokens = event.message.usage.output_tokens;
              break;
            case "content_block_start":
              if (event.content_block.type === "tool_use") {
                calls.set(event.index, { id: event.content_block.id, name: event.content_block.name, argumentsJson: "" });
              }
              break;
            case "content_block_delta":
              if (event.delta.type === "text_delta") {
                text += event.delta.text;
                request.onText(event.delta.text);
              } else if (event.delta.type === "input_json_delta") {
                const call = calls.get(event.index);
                if (call) call.argumentsJson += event.delta.partial_json;
              }
              break;
            case "message_delta":
              stop = event.delta.stop_reason ?? stop;
              // Counts here are cumulative for the whole message.
              usage.completionTokens = event.usage.output_tokens;
              if (event.usage.input_tokens != null) usage.promptTokens = event.usage.input_tokens;
              break;
            default:
              break;
          }
        }
      } catch (error) {
        if (request.signal.aborted) throw error;
        throw classifyProviderError(error, target);
      }
      // The SDK ends a stream quietly when its signal fires, and so does a server that closes early.
      request.signal.throwIfAborted();
      if (stop === null) throw new ProviderError(`the anthropic model's answer from ${shownUrl(target.baseUrl)} was cut off`, "unknown");
      const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, c]) => ({ ...c, argumentsJson: c.argumentsJson || "{}" }));
      return { text, toolCalls, usage, stopReason: STOP[stop] ?? "stop" };
    },
  };
}
