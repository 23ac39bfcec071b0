// The `chat` events of one run, in OpenClaw's ChatEvent shape: a per-run seq, `delta` events
// whose deltaText is the appended suffix and whose message is the cumulative text, then exactly
// one of `final`, `aborted` or `error`. `status` events report phases (context, model, tools,
// waiting for a confirmation).
import type { ProviderErrorKind } from "./providers/types.ts";

export type ChatPayload = Record<string, unknown>;

export class RunEvents {
  private seq = 0;
  private textSoFar = "";
  private breakPending = false;
  private ended = false;

  constructor(
    private readonly runId: string,
    private readonly sessionKey: string,
    private readonly emit: (payload: ChatPayload) => void,
  ) {}

  get text(): string {
    return this.textSoFar;
  }

  private send(payload: ChatPayload): void {
    this.seq += 1;
    this.emit({ runId: this.runId, sessionKey: this.sessionKey, seq: this.seq, ...payload });
  }

  private message(withTimestamp = false): ChatPayload {
    return { role: "assistant", content: [{ type: "text", text: this.textSoFar }], ...(withTimestamp ? { timestamp: Date.now() } : {}) };
  }

  status(phase: string, extra: ChatPayload = {}): void {
    if (!this.ended) this.send({ state: "status", phase, ...extra });
  }

  /** The next model call's text starts a new paragraph (after tool calls). */
  paragraph(): void {
    this.breakPending = this.textSoFar !== "";
  }

  delta(piece: string): void {
    if (this.ended || piece === "") return;
    const deltaText = this.breakPending ? `\n\n${piece}` : piece;
    this.breakPending = false;
    this.textSoFar += deltaText;
    this.send({ state: "delta", deltaText, message: this.message() });
  }

  final(stopReason: string, usage: { promptTokens: number; completionTokens: number }): void {
    if (this.ended) return;
    this.ended = true;
    this.send({ state: "final", message: this.message(true), stopReason, usage: { input: usage.promptTokens, output: usage.completionTokens } });
  }

  aborted(): void {
    if (this.ended) return;
    this.ended = true;
    this.send({ state: "aborted", message: this.message(true), stopReason: "aborted" });
  }

  error(errorMessage: string, errorKind: ProviderErrorKind, errorDetail?: ChatPayload): void {
    if (this.ended) return;
    this.ended = true;
    this.send({ state: "error", errorMessage, errorKind, ...(errorDetail ? { errorDetail } : {}), message: this.message(true) });
  }
}
