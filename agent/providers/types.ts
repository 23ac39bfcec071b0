// The one interface every model provider implements. A provider makes one model call: it takes
// the system prompt, the conversation so far (with earlier tool calls and their results) and the
// tool list, streams the reply's text through onText as it arrives, and returns the whole turn:
// its text, the tool calls the model asked for, the token counts and why it stopped.
// The agent loop (agent/run.ts) executes tool calls and calls the provider again.

/** A tool the model may call; parameters is a JSON Schema object. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A tool call as the model produced it; arguments stay text until the loop validates them. */
export interface ToolCall {
  id: string;
  name: string;
  argumentsJson: string;
}

export type AgentMessage =
  | { role: "user"; text: string }
  | { role: "assistant"; text: string; toolCalls?: ToolCall[] }
  | { role: "tool"; toolCallId: string; name: string; content: string };

export interface ModelRequest {
  model: string;
  system: string;
  messages: AgentMessage[];
  tools: ToolSpec[];
  maxTokens: number;
  signal: AbortSignal;
  /** Called with each appended piece of reply text, in order. */
  onText(delta: string): void;
}

export type StopReason = "stop" | "tool_calls" | "length" | "refusal";

export interface ModelTurn {
  text: string;
  toolCalls: ToolCall[];
  usage: { promptTokens: number; completionTokens: number };
  stopReason: StopReason;
}

export interface ModelProvider {
  readonly name: "local" | "openai" | "anthropic";
  complete(request: ModelRequest): Promise<ModelTurn>;
}

/** The error kinds OpenClaw's `chat` error event carries (errorKind). */
export type ProviderErrorKind = "refusal" | "timeout" | "rate_limit" | "context_length" | "unknown";

/** A failed model call, classified for the user; message is safe to show (no keys, no request bodies). */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly kind: ProviderErrorKind,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}
