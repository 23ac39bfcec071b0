// One chat turn, from chat.send to its end event. Before the ack, the user's message and an empty
// `streaming` assistant message are stored (openTurn). Then the turn reserves quota, loads the
// context, calls the model, runs the tools it asks for, and finally stores the answer, tool calls
// and tokens before its one end event (final, aborted or error) goes out.
import type pg from "pg";
import { withUser } from "../db/tenant.ts";
import type { Approvals } from "./approvals.ts";
import type { EmitAgentEvent } from "./bus.ts";
import { loadTurnContext, systemPrompt, type TurnContext } from "./context.ts";
import type { AgentDeps } from "./deps.ts";
import type { Providers } from "./providers/index.ts";
import { ProviderError, type AgentMessage, type ModelProvider, type ModelTurn, type StopReason, type ToolCall } from "./providers/types.ts";
import { recordTokens, reserveTurn, type QuotaPeriod } from "./quota.ts";
import { RunEvents } from "./run-events.ts";
import { Aborted, STALE_RUN_ERROR, unlessAborted, type ActiveRun, type RunRegistry } from "./runs.ts";
import { executeTool, TOOL_SPECS, type ToolContext, type ToolRecord } from "./tools.ts";

const SHUTDOWN_ERROR = "The gateway restarted during this reply. Send the message again.";

/** Roughly four characters a token: for calls that ended before the provider said. */
const estimateTokens = (chars: number) => Math.ceil(chars / 4);

/** The turn's rows, or, for an idempotency key already used, how that earlier run ended. */
export type OpenedTurn = { replay: string } | { conversationId: string; userMessageId: string; assistantMessageId: string };

/** Stores the user's message and the empty `streaming` answer; the caller holds the run's lease. */
export function openTurn(pool: pg.Pool, userId: string, turn: { sessionKey: string; message: string; runId: string }): Promise<OpenedTurn> {
  const { sessionKey, message, runId } = turn;
  return withUser(pool, userId, async (tx) => {
    const conversationId = (await tx.query<{ id: string }>(
      `insert into app_public.conversations (session_key) values ($1)
         on conflict (user_id, session_key) do update set last_message_at = now() returning id`,
      [sessionKey],
    )).rows[0]!.id;
    const user = await tx.query<{ id: string }>(
      `insert into app_public.messages (conversation_id, role, content, run_id, idempotency_key)
         values ($1, 'user', $2, $3, $3) on conflict (user_id, idempotency_key) do nothing returning id`,
      [conversationId, message, runId],
    );
    if (user.rowCount === 0) {
      // A replay. We hold the lease, so no live run has it: one still "streaming" died with its gateway.
      const prior = (await tx.query<{ status: string }>(
        `update app_public.messages set status = case when status = 'streaming' then 'failed'::app_public.message_status else status end,
                error = case when status = 'streaming' then $2 else error end
          where run_id = $1 and role = 'assistant' returning status`,
        [runId, STALE_RUN_ERROR],
      )).rows[0];
      return { replay: prior?.status ?? "failed" };
    }
    const assistant = await tx.query<{ id: string }>(
      `insert into app_public.messages (conversation_id, role, content, run_id, status)
         values ($1, 'assistant', '', $2, 'streaming') returning id`,
      [conversationId, runId],
    );
    return { conversationId, userMessageId: user.rows[0]!.id, assistantMessageId: assistant.rows[0]!.id };
  });
}

/** How a turn ended, as stored on its assistant message and the quota. */
interface TurnOutcome {
  status: "complete" | "aborted" | "failed";
  error: string | null;
  text: string;
  records: ToolRecord[];
  usage: { promptTokens: number; completionTokens: number };
  model: string | null;
  period: QuotaPeriod | null;
}

/** Stores how the run ended on its assistant message, and its tokens on the quota; false if the message was not stored. */
async function closeTurn(deps: AgentDeps, run: ActiveRun, outcome: TurnOutcome): Promise<boolean> {
  const { pool, redis, logger } = deps;
  const { status, error, text, records, usage, model, period } = outcome;
  const stored = await withUser(pool, run.userId, async (tx) => {
    await tx.query(
      `update app_public.messages set content = $2, tool_calls = $3, status = $4, prompt_tokens = $5, completion_tokens = $6,
              model = $7, error = $8 where id = $1`,
      [run.assistantMessageId, text.slice(0, 200_000), records.length > 0 ? JSON.stringify(records) : null, status,
       usage.promptTokens, usage.completionTokens, model, error],
    );
    await tx.query("update app_public.conversations set last_message_at = now() where id = $1", [run.conversationId]);
  }).then(() => true, (e: Error) => {
    logger.error({ err: e.message, userId: run.userId, runId: run.runId }, "run result not stored");
    return false;
  });
  await recordTokens(pool, redis, run.userId, period, usage.promptTokens + usage.completionTokens, { runId: run.runId, model })
    .catch((e: Error) => logger.error({ err: e.message, userId: run.userId, runId: run.runId }, "token usage not recorded"));
  return stored;
}

/** What a turn works with besides its run. */
export interface TurnServices {
  deps: AgentDeps;
  providers: Providers;
  runs: RunRegistry;
  approvals: Approvals;
  emit: EmitAgentEvent;
}

/** A turn ready for the model: the chosen provider and model, the prompt, and the tools. */
interface Conversation {
  provider: ModelProvider;
  model: string;
  system: string;
  messages: AgentMessage[];
  tools: ToolContext;
}

/** The tools' view of the turn: the user's data and devices, confirmations, and progress events. */
function toolContext({ deps, approvals }: TurnServices, run: ActiveRun, ctx: TurnContext, events: RunEvents): ToolContext {
  return {
    userId: run.userId, runId: run.runId, pool: deps.pool, embedder: deps.embedder, devices: deps.devices,
    invokeTimeoutMs: deps.invokeTimeoutMs, maxInvokeTimeoutMs: deps.maxInvokeTimeoutMs, sensitiveCommands: ctx.sensitiveCommands, skills: ctx.skills,
    requestApproval: (request) => approvals.request(run, request),
    status: (phase, extra) => events.status(phase, extra),
  };
}

export class Turn {
  private readonly events: RunEvents;
  private readonly signal: AbortSignal;
  private readonly records: ToolRecord[] = [];
  private readonly usage = { promptTokens: 0, completionTokens: 0 };
  private period: QuotaPeriod | null = null;
  private model: string | null = null;
  private toolInFlight: Promise<unknown> | null = null;
  /** The model call under way, to estimate its tokens if it does not finish. */
  private pendingCall: { promptChars: number; streamed: () => number } | null = null;

  constructor(private readonly services: TurnServices, private readonly run: ActiveRun) {
    this.events = new RunEvents(run.runId, run.sessionKey, (payload) => services.emit(run.userId, "chat", payload));
    this.signal = run.controller.signal;
  }

  /** Runs the turn to its end event; never throws. */
  async execute(): Promise<void> {
    try {
      this.events.status("preparing_context");
      const conversation = await this.prepare();
      if (!conversation) return;
      const stopReason = await this.converse(conversation);
      if (await this.store("complete", null)) this.events.final(stopReason, this.usage);
      else this.events.error("The answer could not be saved. Send the message again.", "unknown", { code: "STORE_FAILED" });
    } catch (error) {
      await this.stop(error);
    }
  }

  /** Quota, context and provider; null if the turn ended here (its error event sent). */
  private async prepare(): Promise<Conversation | null> {
    const { deps, providers } = this.services;
    const run = this.run;
    const reservation = await unlessAborted(reserveTurn(deps.pool, deps.redis, run.userId, { runId: run.runId }), this.signal);
    if (!reservation.ok) {
      await this.store("failed", reservation.message);
      this.events.error(reservation.message, "rate_limit", {
        code: "QUOTA_EXCEEDED", quota: reservation.quota, limit: reservation.limit, used: reservation.used,
        periodEnd: reservation.periodEnd.toISOString(),
      });
      return null;
    }
    this.period = reservation.period;
    const ctx = await unlessAborted(loadTurnContext({
      pool: deps.pool, embedder: deps.embedder, devices: deps.devices, agent: deps.config,
      userId: run.userId, conversationId: run.conversationId, message: run.message, messageId: run.userMessageId, onlySkill: run.onlySkill,
    }), this.signal);
    const choice = providers.choose(ctx.provider, ctx.model, ctx.allowedModels);
    if (!choice.ok) {
      await this.store("failed", choice.message);
      this.events.error(choice.message, "unknown", { code: "PROVIDER_UNAVAILABLE" });
      return null;
    }
    this.model = choice.model;
    const messages: AgentMessage[] = [...ctx.history, { role: "user", text: run.message }];
    return { provider: choice.provider, model: choice.model, system: systemPrompt(ctx), messages, tools: toolContext(this.services, run, ctx, this.events) };
  }

  /** Model calls and the tools they ask for, until an answer without tool calls (or the step limit). */
  private async converse(c: Conversation): Promise<StopReason | "max_steps"> {
    const { maxSteps } = this.services.deps.config;
    for (let step = 0; ; step++) {
      if (step >= maxSteps) {
        this.events.paragraph();
        this.events.delta(`(I stopped after ${maxSteps} steps.)`);
        return "max_steps";
      }
      await this.services.runs.checkAbortMarker(this.run);
      const answer = await this.callModel(c, step);
      c.messages.push({ role: "assistant", text: answer.text, toolCalls: answer.toolCalls });
      if (answer.toolCalls.length === 0) return answer.stopReason;
      await this.runTools(c, answer.toolCalls);
    }
  }

  private async callModel(c: Conversation, step: number): Promise<ModelTurn> {
    this.events.status("starting_model", { step: step + 1, model: c.model });
    this.events.paragraph();
    // A call that does not finish (aborted, failed) reports no usage: it is estimated, so stopping
    // an answer just before its end does not make it free.
    let streamed = 0;
    this.pendingCall = c.provider.name === "local" ? null : { promptChars: c.system.length + JSON.stringify(c.messages).length, streamed: () => streamed };
    const answer = await c.provider.complete({
      model: c.model, system: c.system, messages: c.messages, tools: TOOL_SPECS, maxTokens: this.services.deps.config.maxTokens, signal: this.signal,
      onText: (piece) => {
        streamed += piece.length;
        this.events.delta(piece);
      },
    });
    // An SDK may end a stream quietly when its signal fires: a stopped run never counts as answered.
    if (this.signal.aborted) throw new Aborted();
    this.pendingCall = null;
    this.usage.promptTokens += answer.usage.promptTokens;
    this.usage.completionTokens += answer.usage.completionTokens;
    return answer;
  }

  private async runTools(c: Conversation, calls: ToolCall[]): Promise<void> {
    for (const call of calls) {
      this.events.status("tool_call", { tool: call.name, toolCallId: call.id });
      const execution = executeTool(c.tools, call);
      this.toolInFlight = execution.catch(() => undefined);
      const { content, record } = await unlessAborted(execution, this.signal);
      this.records.push(record);
      c.messages.push({ role: "tool", toolCallId: call.id, name: call.name, content });
      this.events.status("tool_result", { tool: call.name, toolCallId: call.id, ok: !(record.result as { error?: unknown })?.error });
    }
  }

  /** The turn was stopped or failed: stores how it ended, then sends the matching end event. */
  private async stop(error: unknown): Promise<void> {
    if (this.pendingCall) {
      this.usage.promptTokens += estimateTokens(this.pendingCall.promptChars);
      this.usage.completionTokens += estimateTokens(this.pendingCall.streamed());
    }
    // A stopped tool call tidies up first (a pending confirmation is closed), briefly.
    if (this.toolInFlight) await Promise.race([this.toolInFlight, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    const { stopped } = this.run;
    if (stopped === "aborted" || (this.signal.aborted && stopped !== "shutdown")) {
      await this.store("aborted", "Stopped by the user.");
      this.events.aborted();
    } else if (stopped === "shutdown") {
      await this.store("failed", SHUTDOWN_ERROR);
      this.events.error(SHUTDOWN_ERROR, "unknown", { code: "GATEWAY_RESTART" });
    } else if (error instanceof ProviderError) {
      await this.store("failed", error.message);
      this.events.error(error.message, error.kind, { code: "PROVIDER_ERROR", status: error.status });
    } else {
      this.services.deps.logger.error({ err: (error as Error).message, userId: this.run.userId, runId: this.run.runId }, "agent run failed");
      await this.store("failed", "internal error");
      this.events.error("The assistant failed on the server. Try again in a moment.", "unknown", { code: "INTERNAL" });
    }
  }

  /** Stores how the run ended (before its end event goes out); false if the message could not be stored. */
  private store(status: TurnOutcome["status"], error: string | null): Promise<boolean> {
    return closeTurn(this.services.deps, this.run, {
      status, error, text: this.events.text, records: this.records, usage: this.usage, model: this.model, period: this.period,
    });
  }
}
