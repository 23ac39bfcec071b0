// The `anthropic` provider: the messages API with streaming and tool use, through
// `@anthropic-ai/sdk`. Tool results go back as `tool_result` blocks in a user message (one
// message for all the results of a step: the API wants user and assistant turns to alternate).
import Anthropic from "@anthropic-ai/sdk";
import type { ProviderEndpoint } from "../../lib/config.ts";
import { classifyProviderError } from "./errors.ts";
import type { AgentMessage, ModelProvider, ModelRequest, ModelTurn, StopReason, ToolCall } from "./types.ts";

const DEFAULT_BASE_URL = "https://api.anthropic.com";

type Block = Record<string, unknown>;
interface Turn {
  role: "user" | "assistant";
  content: Block[];
}

function parseInput(json: string): unknown {
  try {
    const value = JSON.parse(json || "{}");
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

function toMessages(messages: AgentMessage[]): Turn[] {
  const out: Turn[] = [];
  const push = (role: Turn["role"], blocks: Block[]) => {
    if (blocks.length === 0) return;
    const last = out.at(-1);
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const m of messages) {
    if (m.role === "user") push("user", [{ type: "text", text: m.text }]);
    else if (m.role === "tool") push("user", [{ type: "tool_result", tool_use_id: m.toolCallId, content: m.content }]);
    else {
      const blocks: Block[] = m.text !== "" ? [{ type: "text", text: m.text }] : [];
      for (const c of m.toolCalls ?? []) blocks.push({ type: "tool_use", id: c.id, name: c.name, input: parseInput(c.argumentsJson) });
      push("assistant", blocks.length > 0 ? blocks : [{ type: "text", text: "(no answer)" }]);
    }
  }
  return out;
}

const STOP: Record<string, StopReason> = { end_turn: "stop", stop_sequence: "stop", tool_use: "tool_calls", max_tokens: "length", refusal: "refusal" };

export function createAnthropicProvider(endpoint: ProviderEndpoint, options: { timeoutMs: number }): ModelProvider {
  const baseURL = endpoint.baseUrl ?? DEFAULT_BASE_URL;
  const client = new Anthropic({ apiKey: endpoint.apiKey ?? "not-needed", baseURL, maxRetries: 0, timeout: options.timeoutMs });
  return {
    name: "anthropic",
    async complete(request: ModelRequest): Promise<ModelTurn> {
      let text = "";
      const blocks = new Map<number, ToolCall>();
      let stop: string | null = null;
      const usage = { promptTokens: 0, completionTokens: 0 };
      try {
        const stream = await client.messages.create({
          model: request.model,
          system: request.system,
          max_tokens: request.maxTokens,
          messages: toMessages(request.messages) as unknown as Anthropic.MessageParam[],
          ...(request.tools.length > 0
            ? { tools: request.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters as Anthropic.Tool.InputSchema })) }
            : {}),
          stream: true,
        }, { signal: request.signal });
        for await (const event of stream) {
          switch (event.type) {
            case "message_start":
              usage.promptTokens = event.message.usage?.input_tokens ?? 0;
              usage.completionTokens = event.message.usage?.output_tokens ?? 0;
              break;
            case "content_block_start":
              if (event.content_block.type === "tool_use") {
                blocks.set(event.index, { id: event.content_block.id, name: event.content_block.name, argumentsJson: "" });
              }
              break;
            case "content_block_delta":
              if (event.delta.type === "text_delta") {
                text += event.delta.text;
                request.onText(event.delta.text);
              } else if (event.delta.type === "input_json_delta") {
                const call = blocks.get(event.index);
                if (call) call.argumentsJson += event.delta.partial_json;
              }
              break;
            case "message_delta":
              if (event.delta.stop_reason) stop = event.delta.stop_reason;
              if (event.usage?.output_tokens !== undefined && event.usage.output_tokens !== null) usage.completionTokens = event.usage.output_tokens;
              break;
            default:
              break;
          }
        }
      } catch (error) {
        if (request.signal.aborted) throw error;
        throw classifyProviderError(error, "anthropic", baseURL);
      }
      const toolCalls = [...blocks.entries()].sort(([a], [b]) => a - b).map(([, c]) => ({ ...c, argumentsJson: c.argumentsJson || "{}" }));
      const stopReason: StopReason = toolCalls.length > 0 ? "tool_calls" : (STOP[stop ?? "end_turn"] ?? "stop");
      return { text, toolCalls, usage, stopReason };
    },
  };
}
