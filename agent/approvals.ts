// Confirmations of sensitive commands. A tool call that needs one stores a pending approval,
// announces it (exec.approval.requested) and waits for the first of: the user's decision
// (exec.approval.resolve on any instance, heard over the bus, and the row polled every few seconds
// in case that message was lost), the timeout (expired, a deny), or the run being stopped
// (denied). Every update is conditional on the row still being pending, so each approval ends once.
import type pg from "pg";
import { withUser, type Tx } from "../db/tenant.ts";
import type { Logger } from "../lib/logger.ts";
import type { Redis } from "../lib/redis.ts";
import { publishChat, type EmitAgentEvent } from "./bus.ts";
import { AgentError } from "./errors.ts";
import { unlessAborted, type ActiveRun } from "./runs.ts";
import type { ApprovalStatus } from "./tools.ts";

const APPROVAL_POLL_MS = 2_000;

export interface ApprovalRequest {
  nodeId: string;
  deviceName: string;
  command: string;
  params: unknown;
  toolCallId: string;
}

type Decision = { approved: boolean; decidedBy: string };

interface Waiter {
  userId: string;
  resolve(decision: Decision): void;
}

export interface ApprovalsDeps {
  pool: pg.Pool;
  redis: Redis;
  logger: Logger;
  timeoutMs: number;
  emit: EmitAgentEvent;
}

/** Pending approvals of runs that were lost with their gateway end as expired (inside the caller's transaction). */
export async function expireApprovalsOfLostRuns(tx: Tx, runIds: string[]): Promise<void> {
  await tx.query(
    "update app_public.approvals set status = 'expired', decided_at = now(), decided_by = 'run lost' where status = 'pending' and run_id = any($1)",
    [runIds],
  );
}

export class Approvals {
  /** The runs here waiting for a decision, by approval id. */
  private readonly waiters = new Map<string, Waiter>();

  constructor(private readonly deps: ApprovalsDeps) {}

  /** Asks the user to confirm a command for the run and waits for the outcome (a timeout is a deny). */
  async request(run: ActiveRun, request: ApprovalRequest): Promise<{ status: ApprovalStatus; decidedBy: string | null }> {
    const expiresAt = new Date(Date.now() + this.deps.timeoutMs);
    const row = await withUser(this.deps.pool, run.userId, async (tx) =>
      (await tx.query<{ id: string; requested_at: Date }>(
        `insert into app_public.approvals (device_id, conversation_id, run_id, command, params, expires_at, tool_call_id)
           values ((select id from app_public.devices where device_key_id = $1), $2, $3, $4, $5, $6, $7)
           returning id, requested_at`,
        [request.nodeId, run.conversationId, run.runId, request.command, JSON.stringify(request.params ?? {}), expiresAt, request.toolCallId.slice(0, 200)],
      )).rows[0]!,
    );
    const { decided, stopWaiting } = this.awaitDecision(run.userId, row.id);
    this.deps.emit(run.userId, "exec.approval.requested", {
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
    let decision: Decision | null;
    try {
      decision = await unlessAborted(decided, run.controller.signal);
    } catch (error) {
      await this.close(run.userId, row.id, "denied", "run aborted");
      throw error;
    } finally {
      stopWaiting();
      this.waiters.delete(row.id);
    }
    if (decision) return { status: decision.approved ? "approved" : "denied", decidedBy: decision.decidedBy };
    // No answer in time: a deny, unless a decision landed in the database at the last moment.
    return this.close(run.userId, row.id, "expired", "timeout");
  }

  /** The decision over Redis, or read from the row every few seconds in case that message was lost; null at the timeout. */
  private awaitDecision(userId: string, id: string): { decided: Promise<Decision | null>; stopWaiting: () => void } {
    let stopWaiting = () => undefined as void;
    const decided = new Promise<Decision | null>((resolve) => {
      this.waiters.set(id, { userId, resolve });
      const timeout = setTimeout(() => resolve(null), this.deps.timeoutMs);
      const poll = setInterval(() => {
        withUser(this.deps.pool, userId, async (tx) =>
          (await tx.query<{ status: string; decided_by: string | null }>("select status, decided_by from app_public.approvals where id = $1", [id])).rows[0],
        ).then((r) => {
          if (r?.status === "approved" || r?.status === "denied") resolve({ approved: r.status === "approved", decidedBy: r.decided_by ?? "" });
        }, () => undefined);
      }, APPROVAL_POLL_MS);
      stopWaiting = () => {
        clearTimeout(timeout);
        clearInterval(poll);
      };
    });
    return { decided, stopWaiting };
  }

  /** Ends a pending approval (timeout or abort); returns what it ended as. */
  private async close(userId: string, id: string, status: "expired" | "denied", by: string): Promise<{ status: ApprovalStatus; decidedBy: string | null }> {
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
      this.deps.emit(userId, "exec.approval.resolved", { id, decision: status === "expired" ? "expired" : "deny", resolvedBy: by, ts: Date.now() });
    }
    return { status: row.status, decidedBy: row.decided_by };
  }

  /** exec.approval.resolve: the user's decision, stored once; the waiting run hears it on any instance. */
  async resolve(userId: string, id: string, approved: boolean, decidedBy: string): Promise<{ ok: true; id: string; decision: string }> {
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
    await publishChat(this.deps.redis, userId, { t: "approval", id, approved, decidedBy })
      .catch((error: Error) => this.deps.logger.warn({ err: error.message, userId }, "approval decision not published"));
    this.deps.emit(userId, "exec.approval.resolved", { id, decision: approved ? "allow-once" : "deny", resolvedBy: decidedBy, ts: Date.now() });
    return { ok: true, id, decision: approved ? "allow-once" : "deny" };
  }

  /** A decision heard over the bus: wakes the run waiting for it here, if it is the user's. */
  onDecision(userId: string, message: { id: string; approved: boolean; decidedBy: string }): void {
    const waiter = this.waiters.get(message.id);
    if (waiter && waiter.userId === userId) waiter.resolve({ approved: message.approved, decidedBy: message.decidedBy });
  }
}
