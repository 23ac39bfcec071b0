// The agent runtime inside a gateway instance: conversation turns for chat.send, their events,
// aborts, confirmations of sensitive commands, history and sessions.
//
// A turn: the user's message and an empty `streaming` assistant message are stored before the
// ack; the run holds a lease in Redis while it works; it reserves quota, loads the context, calls
// the model, runs the tools it asks for, and finally stores the answer, tool calls and tokens.
// A run whose lease has lapsed (its gateway died) is marked failed the next time the user's
// sessions are read, so a message is never left "in progress" forever.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { withUser } from "../db/tenant.ts";
import type { AgentConfig } from "../lib/config.ts";
import type { Embedder } from "../lib/embeddings/index.ts";
import type { Logger } from "../lib/logger.ts";
import type { Redis } from "../lib/redis.ts";
import { chatChannel, type AgentEventName, type ChatBusMessage } from "./bus.ts";
import { loadTurnContext, systemPrompt, type SkillSource } from "./context.ts";
import { Providers } from "./providers/index.ts";
import { ProviderError, type AgentMessage, type StopReason } from "./providers/types.ts";
import { recordTokens, reserveTurn, type QuotaPeriod } from "./quota.ts";
import { RunEvents } from "./run-events.ts";
import { executeTool, TOOL_SPECS, type ApprovalStatus, type DeviceAccess, type ToolContext, type ToolRecord } from "./tools.ts";

export interface AgentDeps {
  instanceId: string;
  pool: pg.Pool;
  redis: Redis;
  embedder: Embedder;
  devices: DeviceAccess;
  config: AgentConfig;
  invokeTimeoutMs: number;
  maxInvokeTimeoutMs: number;
  logger: Logger;
}

/** A refusal the gateway turns into an error response (code goes to error.details.code). */
export class AgentError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

export const SESSION_KEY = /^[A-Za-z0-9:_.-]{1,200}$/;
const MAX_MESSAGE_CHARS = 100_000;
const APPROVAL_POLL_MS = 2_000;
const STALE_RUN_ERROR = "The gateway stopped before this reply finished. Send the message again.";
const SHUTDOWN_ERROR = "The gateway restarted during this reply. Send the message again.";

interface ActiveRun {
  userId: string;
  runId: string;
  sessionKey: string;
  conversationId: string;
  userMessageId: string;
  assistantMessageId: string;
  message: string;
  /** A skill test run: only this skill is offered. */
  onlySkill?: SkillSource;
  controller: AbortController;
  /** Why it was stopped: by the user, or because this gateway is shutting down. */
  stopped: "aborted" | "shutdown" | null;
  done: Promise<void>;
}

interface Waiter {
  userId: string;
  resolve(decision: { approved: boolean; decidedBy: string }): void;
}

export type SendResult = { runId: string; status: "started" | "in_flight" | "ok"; finalState?: string };

const runKey = (userId: string, runId: string) => `${userId}:${runId}`;
const leaseKey = (userId: string, runId: string) => `openclaw:run:${userId}:${runId}`;
/** Set by chat.abort for a run, in case the pub/sub message misses it (checked before each step). */
const abortKey = (userId: string, runId: string) => `openclaw:run-abort:${userId}:${runId}`;

class Aborted extends Error {}

/** Roughly four characters a token: for calls that ended before the provider said. */
const estimateTokens = (chars: number) => Math.ceil(chars / 4);

/** Resolves or rejects with the promise, or rejects with Aborted as soon as the signal fires. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Aborted());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

export class AgentRuntime {
  private readonly runs = new Map<string, ActiveRun>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly providers: Providers;
  private readonly leaseMs: number;
  private readonly leaseTimer: NodeJS.Timeout;
  private closing = false;
  /** Hands an agent event to this instance's connections of the user; set by the gateway. */
  deliver: (userId: string, event: AgentEventName, payload: Record<string, unknown>) => void = () => undefined;

  constructor(private readonly deps: AgentDeps) {
    this.providers = new Providers(deps.config);
    this.leaseMs = deps.config.runLeaseMs;
    this.leaseTimer = setInterval(() => void this.renewLeases(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.leaseTimer.unref();
  }

  /** SET, not PEXPIRE: a lease lost once (a Redis restart, a long pause) is taken back while the run lives. */
  private async renewLeases(): Promise<void> {
    if (this.runs.size === 0) return;
    const multi = this.deps.redis.multi();
    for (const run of this.runs.values()) multi.set(leaseKey(run.userId, run.runId), this.deps.instanceId, "PX", this.leaseMs);
    await multi.exec().catch((error: Error) => this.deps.logger.warn({ err: error.message }, "run lease renewal failed"));
  }

  /** Deletes a lease only if this instance holds it. */
  private async releaseLease(key: string): Promise<void> {
    await this.deps.redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", 1, key, this.deps.instanceId,
    ).catch(() => undefined);
  }

  private async publish(userId: string, message: ChatBusMessage): Promise<void> {
    await this.deps.redis.publish(chatChannel(userId), JSON.stringify(message));
  }

  private emit(userId: string, event: AgentEventName, payload: Record<string, unknown>): void {
    this.publish(userId, { t: "event", event, payload }).catch((error: Error) =>
      this.deps.logger.warn({ err: error.message, userId }, "agent event not published"));
  }

  // ---- chat.send -----------------------------------------------------------------------------

  async send(userId: string, params: { sessionKey: string; message: string; idempotencyKey: string },
    options: { onlySkill?: SkillSource } = {}): Promise<SendResult> {
    const { sessionKey, message, idempotencyKey: runId } = params;
    if (!SESSION_KEY.test(sessionKey)) throw new AgentError("sessionKey must be 1-200 letters, digits, ':', '_', '.' or '-'", "INVALID_SESSION_KEY");
    if (message.trim() === "") throw new AgentError("message is empty", "EMPTY_MESSAGE");
    if (message.length > MAX_MESSAGE_CHARS) throw new AgentError(`message is longer than ${MAX_MESSAGE_CHARS} characters`, "MESSAGE_TOO_LONG");
    if (runId.length < 1 || runId.length > 200) throw new AgentError("idempotencyKey must be 1-200 characters", "INVALID_IDEMPOTENCY_KEY");
    if (this.closing) throw new AgentError("this gateway is restarting; send the message again in a moment", "GATEWAY_RESTARTING");
    if (this.runs.has(runKey(userId, runId))) return { runId, status: "in_flight" };
    // The lease first: whoever holds it owns the run, and a replay meanwhile is "in flight".
    const lease = leaseKey(userId, runId);
    if ((await this.deps.redis.set(lease, this.deps.instanceId, "PX", this.leaseMs, "NX")) !== "OK") return { runId, status: "in_flight" };
    let stored: { replay: string } | { conversationId: string; userMessageId: string; assistantMessageId: string };
    try {
      stored = await withUser(this.deps.pool, userId, async (tx) => {
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
    } catch (error) {
      await this.releaseLease(lease);
      throw error;
    }
    if ("replay" in stored) {
      await this.releaseLease(lease);
      return { runId, status: "ok", finalState: stored.replay === "complete" ? "final" : stored.replay === "aborted" ? "aborted" : "error" };
    }
    const run: ActiveRun = {
      userId, runId, sessionKey, message, ...stored, onlySkill: options.onlySkill, controller: new AbortController(), stopped: null,
      done: Promise.resolve(),
    };
    this.runs.set(runKey(userId, runId), run);
    run.done = this.execute(run).finally(async () => {
      this.runs.delete(runKey(userId, runId));
      await this.releaseLease(lease);
    });
    return { runId, status: "started" };
  }

  private async execute(run: ActiveRun): Promise<void> {
    const { userId, runId } = run;
    const events = new RunEvents(runId, run.sessionKey, (payload) => this.emit(userId, "chat", payload));
    const records: ToolRecord[] = [];
    const usage = { promptTokens: 0, completionTokens: 0 };
    let period: QuotaPeriod | null = null;
    let model: string | null = null;
    const signal = run.controller.signal;
    let toolInFlight: Promise<unknown> | null = null;
    let pendingCall: { promptChars: number; streamed: () => number } | null = null;
    try {
      events.status("preparing_context");
      const reservation = await unlessAborted(reserveTurn(this.deps.pool, this.deps.redis, userId, { runId }), signal);
      if (!reservation.ok) {
        await this.finish(run, "failed", events.text, records, usage, null, reservation.message, period);
        events.error(reservation.message, "rate_limit", {
          code: "QUOTA_EXCEEDED", quota: reservation.quota, limit: reservation.limit, used: reservation.used,
          periodEnd: reservation.periodEnd.toISOString(),
        });
        return;
      }
      period = reservation.period;
      const ctx = await unlessAborted(loadTurnContext({
        pool: this.deps.pool, embedder: this.deps.embedder, devices: this.deps.devices, agent: this.deps.config,
        userId, conversationId: run.conversationId, message: run.message, messageId: run.userMessageId, onlySkill: run.onlySkill,
      }), signal);
      const choice = this.providers.choose(ctx.provider, ctx.model, ctx.allowedModels);
      if (!choice.ok) {
        await this.finish(run, "failed", events.text, records, usage, null, choice.message, period);
        events.error(choice.message, "unknown", { code: "PROVIDER_UNAVAILABLE" });
        return;
      }
      model = choice.model;
      const system = systemPrompt(ctx);
      const messages: AgentMessage[] = [...ctx.history, { role: "user", text: run.message }];
      const tools: ToolContext = {
        userId, runId, pool: this.deps.pool, embedder: this.deps.embedder, devices: this.deps.devices,
        invokeTimeoutMs: this.deps.invokeTimeoutMs, maxInvokeTimeoutMs: this.deps.maxInvokeTimeoutMs, sensitiveCommands: ctx.sensitiveCommands, skills: ctx.skills,
        requestApproval: (request) => this.requestApproval(run, request),
        status: (phase, extra) => events.status(phase, extra),
      };
      let stopReason: StopReason | "max_steps" = "stop";
      for (let step = 0; ; step++) {
        if (step >= this.deps.config.maxSteps) {
          stopReason = "max_steps";
          events.paragraph();
          events.delta(`(I stopped after ${this.deps.config.maxSteps} steps.)`);
          break;
        }
        await this.checkAbortMarker(run);
        events.status("starting_model", { step: step + 1, model });
        events.paragraph();
        // A call that does not finish (aborted, failed) reports no usage: it is estimated, so stopping
        // an answer just before its end does not make it free.
        let streamed = 0;
        pendingCall = choice.provider.name === "local" ? null : { promptChars: system.length + JSON.stringify(messages).length, streamed: () => streamed };
        const turn = await choice.provider.complete({
          model, system, messages, tools: TOOL_SPECS, maxTokens: this.deps.config.maxTokens, signal,
          onText: (piece) => {
            streamed += piece.length;
            events.delta(piece);
          },
        });
        // An SDK may end a stream quietly when its signal fires: a stopped run never counts as answered.
        if (signal.aborted) throw new Aborted();
        pendingCall = null;
        usage.promptTokens += turn.usage.promptTokens;
        usage.completionTokens += turn.usage.completionTokens;
        stopReason = turn.stopReason;
        messages.push({ role: "assistant", text: turn.text, toolCalls: turn.toolCalls });
        if (turn.toolCalls.length === 0) break;
        for (const call of turn.toolCalls) {
          events.status("tool_call", { tool: call.name, toolCallId: call.id });
          const execution = executeTool(tools, call);
          toolInFlight = execution.catch(() => undefined);
          const { content, record } = await unlessAborted(execution, signal);
          records.push(record);
          messages.push({ role: "tool", toolCallId: call.id, name: call.name, content });
          events.status("tool_result", { tool: call.name, toolCallId: call.id, ok: !(record.result as { error?: unknown })?.error });
        }
      }
      if (await this.finish(run, "complete", events.text, records, usage, model, null, period)) events.final(stopReason, usage);
      else events.error("The answer could not be saved. Send the message again.", "unknown", { code: "STORE_FAILED" });
    } catch (error) {
      if (pendingCall) {
        usage.promptTokens += estimateTokens(pendingCall.promptChars);
        usage.completionTokens += estimateTokens(pendingCall.streamed());
      }
      // A stopped tool call tidies up first (a pending confirmation is closed), briefly.
      if (toolInFlight) await Promise.race([toolInFlight, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      if (run.stopped === "aborted" || (signal.aborted && run.stopped !== "shutdown")) {
        await this.finish(run, "aborted", events.text, records, usage, model, "Stopped by the user.", period);
        events.aborted();
      } else if (run.stopped === "shutdown") {
        await this.finish(run, "failed", events.text, records, usage, model, SHUTDOWN_ERROR, period);
        events.error(SHUTDOWN_ERROR, "unknown", { code: "GATEWAY_RESTART" });
      } else if (error instanceof ProviderError) {
        await this.finish(run, "failed", events.text, records, usage, model, error.message, period);
        events.error(error.message, error.kind, { code: "PROVIDER_ERROR", status: error.status });
      } else {
        this.deps.logger.error({ err: (error as Error).message, userId, runId }, "agent run failed");
        await this.finish(run, "failed", events.text, records, usage, model, "internal error", period);
        events.error("The assistant failed on the server. Try again in a moment.", "unknown", { code: "INTERNAL" });
      }
    }
  }

  private async checkAbortMarker(run: ActiveRun): Promise<void> {
    if (run.stopped === null && (await this.deps.redis.exists(abortKey(run.userId, run.runId))) > 0) {
      run.stopped = "aborted";
      run.controller.abort();
    }
    if (run.controller.signal.aborted) throw new Aborted();
  }

  /** Stores how the run ended on its assistant message, and its tokens on the quota (before the end event goes out). */
  private async finish(run: ActiveRun, status: "complete" | "aborted" | "failed", text: string, records: ToolRecord[],
    usage: { promptTokens: number; completionTokens: number }, model: string | null, error: string | null, period: QuotaPeriod | null): Promise<boolean> {
    const stored = await withUser(this.deps.pool, run.userId, async (tx) => {
      await tx.query(
        `update app_public.messages set content = $2, tool_calls = $3, status = $4, prompt_tokens = $5, completion_tokens = $6,
                model = $7, error = $8 where id = $1`,
        [run.assistantMessageId, text.slice(0, 200_000), records.length > 0 ? JSON.stringify(records) : null, status,
         usage.promptTokens, usage.completionTokens, model, error],
      );
      await tx.query("update app_public.conversations set last_message_at = now() where id = $1", [run.conversationId]);
    }).then(() => true, (e: Error) => {
      this.deps.logger.error({ err: e.message, userId: run.userId, runId: run.runId }, "run result not stored");
      return false;
    });
    await recordTokens(this.deps.pool, this.deps.redis, run.userId, period, usage.promptTokens + usage.completionTokens, { runId: run.runId, model })
      .catch((e: Error) => this.deps.logger.error({ err: e.message, userId: run.userId, runId: run.runId }, "token usage not recorded"));
    return stored;
  }

  // ---- confirmations -------------------------------------------------------------------------

  private async requestApproval(run: ActiveRun, request: { nodeId: string; deviceName: string; command: string; params: unknown; toolCallId: string }):
    Promise<{ status: ApprovalStatus; decidedBy: string | null }> {
    const expiresAt = new Date(Date.now() + this.deps.config.approvalTimeoutMs);
    const row = await withUser(this.deps.pool, run.userId, async (tx) =>
      (await tx.query<{ id: string; requested_at: Date }>(
        `insert into app_public.approvals (device_id, conversation_id, run_id, command, params, expires_at, tool_call_id)
           values ((select id from app_public.devices where device_key_id = $1), $2, $3, $4, $5, $6, $7)
           returning id, requested_at`,
        [request.nodeId, run.conversationId, run.runId, request.command, JSON.stringify(request.params ?? {}), expiresAt, request.toolCallId.slice(0, 200)],
      )).rows[0]!,
    );
    // The decision arrives over Redis; the row is also read every few seconds in case that message was lost.
    let stopWaiting = () => undefined as void;
    const decided = new Promise<{ approved: boolean; decidedBy: string } | null>((resolve) => {
      this.waiters.set(row.id, { userId: run.userId, resolve });
      const timeout = setTimeout(() => resolve(null), this.deps.config.approvalTimeoutMs);
      const poll = setInterval(() => {
        withUser(this.deps.pool, run.userId, async (tx) =>
          (await tx.query<{ status: string; decided_by: string | null }>("select status, decided_by from app_public.approvals where id = $1", [row.id])).rows[0],
        ).then((r) => {
          if (r?.status === "approved" || r?.status === "denied") resolve({ approved: r.status === "approved", decidedBy: r.decided_by ?? "" });
        }, () => undefined);
      }, APPROVAL_POLL_MS);
      stopWaiting = () => {
        clearTimeout(timeout);
        clearInterval(poll);
      };
    });
    this.emit(run.userId, "exec.approval.requested", {
      id: row.id,
      request: {
        command: request.command,
        commandArgv: request.command === "system.run" ? (request.params as { command?: unknown })?.command : undefined,
        params: request.params,
        nodeId: request.nodeId,
        device: request.deviceName,
        sessionKey: run.sessionKey,
        runId: run.runId,
        toolCallId: request.toolCallId,
      },
      createdAtMs: row.requested_at.getTime(),
      expiresAtMs: expiresAt.getTime(),
    });
    let decision: { approved: boolean; decidedBy: string } | null;
    try {
      decision = await unlessAborted(decided, run.controller.signal);
    } catch (error) {
      await this.closeApproval(run.userId, row.id, "denied", "run aborted");
      throw error;
    } finally {
      stopWaiting();
      this.waiters.delete(row.id);
    }
    if (decision) return { status: decision.approved ? "approved" : "denied", decidedBy: decision.decidedBy };
    // No answer in time: a deny, unless a decision landed in the database at the last moment.
    return this.closeApproval(run.userId, row.id, "expired", "timeout");
  }

  /** Ends a pending approval (timeout or abort); returns what it ended as. */
  private async closeApproval(userId: string, id: string, status: "expired" | "denied", by: string): Promise<{ status: ApprovalStatus; decidedBy: string | null }> {
    const row = await withUser(this.deps.pool, userId, async (tx) => {
      const closed = await tx.query<{ status: ApprovalStatus; decided_by: string | null }>(
        `update app_public.approvals set status = $2, decided_at = now(), decided_by = $3
          where id = $1 and status = 'pending' returning status, decided_by`,
        [id, status, by],
      );
      return closed.rows[0] ?? (await tx.query<{ status: ApprovalStatus; decided_by: string | null }>(
        "select status, decided_by from app_public.approvals where id = $1", [id])).rows[0]!;
    });
    if (row.status === status && row.decided_by === by) {
      this.emit(userId, "exec.approval.resolved", { id, decision: status === "expired" ? "expired" : "deny", resolvedBy: by, ts: Date.now() });
    }
    return { status: row.status, decidedBy: row.decided_by };
  }

  /** exec.approval.resolve: the user's decision, stored once; the waiting run hears it on any instance. */
  async resolveApproval(userId: string, id: string, approved: boolean, decidedBy: string): Promise<{ ok: true; id: string; decision: string }> {
    const row = await withUser(this.deps.pool, userId, async (tx) => {
      const updated = await tx.query(
        `update app_public.approvals set status = $2, decided_at = now(), decided_by = $3
          where id = $1 and status = 'pending' and expires_at > now() returning id`,
        [id, approved ? "approved" : "denied", decidedBy.slice(0, 200)],
      );
      if (updated.rowCount) return { found: true, pending: true };
      const existing = await tx.query<{ status: string }>("select status from app_public.approvals where id = $1", [id]);
      return { found: existing.rowCount! > 0, pending: false, status: existing.rows[0]?.status };
    });
    if (!row.found) throw new AgentError("unknown approval id", "APPROVAL_NOT_FOUND");
    if (!row.pending) throw new AgentError(`this approval is no longer pending (${row.status ?? "expired"})`, "APPROVAL_NOT_PENDING");
    // Stored is decided: the waiting run also reads the row, so a lost message only delays it.
    await this.publish(userId, { t: "approval", id, approved, decidedBy })
      .catch((error: Error) => this.deps.logger.warn({ err: error.message, userId }, "approval decision not published"));
    this.emit(userId, "exec.approval.resolved", { id, decision: approved ? "allow-once" : "deny", resolvedBy: decidedBy, ts: Date.now() });
    return { ok: true, id, decision: approved ? "allow-once" : "deny" };
  }

  // ---- skill test runs ----------------------------------------------------------------------

  /**
   * A test of one of the user's own skill versions: a turn in a throwaway session with only that
   * skill offered; the transcript comes back and the session is deleted.
   */
  async testSkill(userId: string, versionId: string, message: string): Promise<Record<string, unknown>> {
    const version = await withUser(this.deps.pool, userId, async (tx) =>
      (await tx.query<{ status: string; name: string; description: string; instructions: string | null }>(
        `select v.status, coalesce(v.manifest ->> 'name', s.name) as name, coalesce(v.manifest ->> 'description', s.description) as description,
                v.manifest ->> 'instructions' as instructions
           from app_public.user_custom_skill_versions v join app_public.user_custom_skills s on s.id = v.skill_id where v.id = $1`,
        [versionId],
      )).rows[0],
    );
    if (!version) throw new AgentError("unknown skill version", "SKILL_VERSION_NOT_FOUND");
    if (version.status !== "valid") throw new AgentError(`this skill version is ${version.status}, not valid; only a checked package can be tested`, "SKILL_VERSION_NOT_VALID");
    const sessionKey = `skill-test:${randomUUID()}`;
    const runId = randomUUID();
    await this.send(userId, { sessionKey, message, idempotencyKey: runId }, { onlySkill: version });
    await this.runs.get(runKey(userId, runId))?.done;
    const transcript = await this.history(userId, sessionKey, 1000);
    await withUser(this.deps.pool, userId, (tx) => tx.query("delete from app_public.conversations where session_key = $1", [sessionKey]));
    return { skill: version.name, runId, messages: transcript.messages };
  }

  // ---- chat.abort, chat.history, sessions.list ----------------------------------------------

  async abort(userId: string, sessionKey: string, runId: string | null): Promise<{ ok: true; aborted: boolean; runIds: string[] }> {
    await this.repairStaleRuns(userId);
    const runIds = await withUser(this.deps.pool, userId, async (tx) =>
      (await tx.query<{ run_id: string }>(
        `select m.run_id from app_public.messages m join app_public.conversations c on c.id = m.conversation_id
          where c.session_key = $1 and m.role = 'assistant' and m.status = 'streaming' and ($2::text is null or m.run_id = $2)`,
        [sessionKey, runId],
      )).rows.map((r) => r.run_id),
    );
    if (runIds.length > 0) {
      const multi = this.deps.redis.multi();
      for (const id of runIds) multi.set(abortKey(userId, id), "1", "PX", 10 * 60_000);
      await multi.exec();
      await this.publish(userId, { t: "abort", sessionKey, runId });
    }
    return { ok: true, aborted: runIds.length > 0, runIds };
  }

  /** Runs whose gateway died (lease gone) are marked failed, so nothing stays "in progress". */
  private async repairStaleRuns(userId: string): Promise<void> {
    const streaming = await withUser(this.deps.pool, userId, async (tx) =>
      (await tx.query<{ run_id: string }>("select run_id from app_public.messages where role = 'assistant' and status = 'streaming'")).rows,
    );
    const stale: string[] = [];
    for (const { run_id } of streaming) {
      if (this.runs.has(runKey(userId, run_id))) continue;
      if ((await this.deps.redis.exists(leaseKey(userId, run_id))) === 0) stale.push(run_id);
    }
    if (stale.length === 0) return;
    await withUser(this.deps.pool, userId, async (tx) => {
      await tx.query(
        "update app_public.messages set status = 'failed', error = $2 where role = 'assistant' and status = 'streaming' and run_id = any($1)",
        [stale, STALE_RUN_ERROR],
      );
      await tx.query(
        "update app_public.approvals set status = 'expired', decided_at = now(), decided_by = 'run lost' where status = 'pending' and run_id = any($1)",
        [stale],
      );
    });
  }

  async history(userId: string, sessionKey: string, limit: number): Promise<Record<string, unknown>> {
    await this.repairStaleRuns(userId);
    return withUser(this.deps.pool, userId, async (tx) => {
      const conversation = (await tx.query<{ id: string }>("select id from app_public.conversations where session_key = $1", [sessionKey])).rows[0];
      if (!conversation) return { sessionKey, messages: [], hasMore: false };
      const rows = (await tx.query<{ id: string; role: string; content: string; created_at: Date; run_id: string | null; status: string;
        error: string | null; tool_calls: unknown; more: boolean }>(
        `select id, role, content, created_at, run_id, status, error, tool_calls, count(*) over () > $2 as more from (
           select * from app_public.messages where conversation_id = $1 and role in ('user', 'assistant')
            order by created_at desc, role desc) m
          order by created_at desc, role desc limit $2`,
        [conversation.id, limit],
      )).rows.reverse();
      return {
        sessionKey,
        sessionId: conversation.id,
        messages: rows.map((m) => ({
          role: m.role,
          content: [{ type: "text", text: m.content }],
          timestamp: m.created_at.getTime(),
          __openclaw: { id: m.id, runId: m.run_id ?? undefined, status: m.status, error: m.error ?? undefined, toolCalls: m.tool_calls ?? undefined },
        })),
        hasMore: rows[0]?.more ?? false,
      };
    });
  }

  async sessions(userId: string, limit: number, offset: number): Promise<Record<string, unknown>> {
    await this.repairStaleRuns(userId);
    const rows = await withUser(this.deps.pool, userId, async (tx) =>
      (await tx.query<{ id: string; session_key: string; title: string | null; last_message_at: Date | null; created_at: Date; total: string }>(
        `select id, session_key, title, last_message_at, created_at, count(*) over () as total from app_public.conversations
          where archived_at is null order by coalesce(last_message_at, created_at) desc limit $1 offset $2`,
        [limit, offset],
      )).rows,
    );
    const totalCount = rows.length > 0 ? Number(rows[0]!.total) : 0;
    const hasMore = offset + rows.length < totalCount;
    return {
      ts: Date.now(), count: rows.length, totalCount, hasMore, nextOffset: hasMore ? offset + rows.length : null, defaults: {},
      sessions: rows.map((r) => ({
        key: r.session_key, kind: "direct", sessionId: r.id, displayName: r.title ?? undefined,
        updatedAt: (r.last_message_at ?? r.created_at).getTime(),
      })),
    };
  }

  // ---- between instances ---------------------------------------------------------------------

  onBusMessage(userId: string, message: ChatBusMessage): void {
    switch (message.t) {
      case "event":
        this.deliver(userId, message.event, message.payload);
        return;
      case "abort":
        for (const run of this.runs.values()) {
          if (run.userId === userId && run.sessionKey === message.sessionKey && (message.runId === null || message.runId === run.runId)) {
            run.stopped = "aborted";
            run.controller.abort();
          }
        }
        return;
      case "approval": {
        const waiter = this.waiters.get(message.id);
        if (waiter && waiter.userId === userId) waiter.resolve({ approved: message.approved, decidedBy: message.decidedBy });
        return;
      }
    }
  }

  /** Stops every run here (each ends failed, with a final error event) and waits briefly for them to be stored. */
  async close(graceMs = 5_000): Promise<void> {
    this.closing = true;
    clearInterval(this.leaseTimer);
    const runs = [...this.runs.values()];
    for (const run of runs) {
      run.stopped = "shutdown";
      run.controller.abort();
    }
    await Promise.race([Promise.allSettled(runs.map((r) => r.done)), new Promise((resolve) => setTimeout(resolve, graceMs))]);
  }
}
