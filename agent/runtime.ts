// The agent runtime inside a gateway instance: what the gateway calls for chat.send, chat.abort,
// chat.history, sessions.list, skill tests and confirmations, and for the agent's bus messages.
// The parts: a turn (turn.ts), the runs here and their leases (runs.ts), confirmations of
// sensitive commands (approvals.ts), and conversation reads (conversations.ts).
//
// A run holds a lease in Redis while it works. A run whose lease has lapsed (its gateway died) is
// marked failed the next time the user's sessions are read, so a message is never left "in
// progress" forever.
import { randomUUID } from "node:crypto";
import { withUser } from "../db/tenant.ts";
import { Approvals } from "./approvals.ts";
import { publishChat, type AgentEventName, type ChatBusMessage, type EmitAgentEvent } from "./bus.ts";
import type { SkillSource } from "./context.ts";
import { failLostRuns, listSessions, readHistory, streamingRuns, streamingRunsOfSession } from "./conversations.ts";
import type { AgentDeps } from "./deps.ts";
import { AgentError } from "./errors.ts";
import { Providers } from "./providers/index.ts";
import { RunRegistry, STALE_RUN_ERROR, type ActiveRun } from "./runs.ts";
import { openTurn, Turn, type OpenedTurn, type TurnServices } from "./turn.ts";

export type { AgentDeps } from "./deps.ts";
export { AgentError } from "./errors.ts";

export const SESSION_KEY = /^[A-Za-z0-9:_.-]{1,200}$/;
const MAX_MESSAGE_CHARS = 100_000;

export type SendResult = { runId: string; status: "started" | "in_flight" | "ok"; finalState?: string };

export class AgentRuntime {
  private readonly runs: RunRegistry;
  private readonly approvals: Approvals;
  private readonly turns: TurnServices;
  private closing = false;
  /** Hands an agent event to this instance's connections of the user; set by the gateway. */
  deliver: (userId: string, event: AgentEventName, payload: Record<string, unknown>) => void = () => undefined;

  constructor(private readonly deps: AgentDeps) {
    const emit: EmitAgentEvent = (userId, event, payload) =>
      publishChat(deps.redis, userId, { t: "event", event, payload }).catch((error: Error) =>
        deps.logger.warn({ err: error.message, userId }, "agent event not published"));
    this.runs = new RunRegistry({ instanceId: deps.instanceId, redis: deps.redis, logger: deps.logger, leaseMs: deps.config.runLeaseMs });
    this.approvals = new Approvals({ pool: deps.pool, redis: deps.redis, logger: deps.logger, timeoutMs: deps.config.approvalTimeoutMs, emit });
    this.turns = { deps, providers: new Providers(deps.config), runs: this.runs, approvals: this.approvals, emit };
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
    if (this.runs.has(userId, runId)) return { runId, status: "in_flight" };
    // The lease first: whoever holds it owns the run, and a replay meanwhile is "in flight".
    if (!(await this.runs.claim(userId, runId))) return { runId, status: "in_flight" };
    let opened: OpenedTurn;
    try {
      opened = await openTurn(this.deps.pool, userId, { sessionKey, message, runId });
    } catch (error) {
      await this.runs.release(userId, runId);
      throw error;
    }
    if ("replay" in opened) {
      await this.runs.release(userId, runId);
      return { runId, status: "ok", finalState: opened.replay === "complete" ? "final" : opened.replay === "aborted" ? "aborted" : "error" };
    }
    const run: ActiveRun = {
      userId, runId, sessionKey, message, ...opened, onlySkill: options.onlySkill, controller: new AbortController(), stopped: null,
      done: Promise.resolve(),
    };
    this.runs.start(run, (r) => new Turn(this.turns, r).execute());
    return { runId, status: "started" };
  }

  /** exec.approval.resolve: the user's decision, stored once; the waiting run hears it on any instance. */
  resolveApproval(userId: string, id: string, approved: boolean, decidedBy: string): Promise<{ ok: true; id: string; decision: string }> {
    return this.approvals.resolve(userId, id, approved, decidedBy);
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
    await this.runs.get(userId, runId)?.done;
    const transcript = await this.history(userId, sessionKey, 1000);
    await withUser(this.deps.pool, userId, (tx) => tx.query("delete from app_public.conversations where session_key = $1", [sessionKey]));
    return { skill: version.name, runId, messages: transcript.messages };
  }

  // ---- chat.abort, chat.history, sessions.list ----------------------------------------------

  async abort(userId: string, sessionKey: string, runId: string | null): Promise<{ ok: true; aborted: boolean; runIds: string[] }> {
    await this.repairStaleRuns(userId);
    const runIds = await streamingRunsOfSession(this.deps.pool, userId, sessionKey, runId);
    if (runIds.length > 0) {
      await this.runs.markAborted(userId, runIds);
      await publishChat(this.deps.redis, userId, { t: "abort", sessionKey, runId });
    }
    return { ok: true, aborted: runIds.length > 0, runIds };
  }

  async history(userId: string, sessionKey: string, limit: number): Promise<Record<string, unknown>> {
    await this.repairStaleRuns(userId);
    return readHistory(this.deps.pool, userId, sessionKey, limit);
  }

  async sessions(userId: string, limit: number, offset: number): Promise<Record<string, unknown>> {
    await this.repairStaleRuns(userId);
    return listSessions(this.deps.pool, userId, limit, offset);
  }

  /** Runs whose gateway died (lease gone) are marked failed, so nothing stays "in progress". */
  private async repairStaleRuns(userId: string): Promise<void> {
    const stale = await this.runs.lost(userId, await streamingRuns(this.deps.pool, userId));
    if (stale.length === 0) return;
    await failLostRuns(this.deps.pool, userId, stale, STALE_RUN_ERROR);
  }

  // ---- between instances ---------------------------------------------------------------------

  onBusMessage(userId: string, message: ChatBusMessage): void {
    switch (message.t) {
      case "event":
        this.deliver(userId, message.event, message.payload);
        return;
      case "abort":
        this.runs.abortLocal(userId, message.sessionKey, message.runId);
        return;
      case "approval":
        this.approvals.onDecision(userId, message);
        return;
    }
  }

  /** Stops every run here (each ends failed, with a final error event) and waits briefly for them to be stored. */
  async close(graceMs = 5_000): Promise<void> {
    this.closing = true;
    await this.runs.stopAll(graceMs);
  }
}
