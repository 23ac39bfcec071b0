// The operator methods of the agent, in OpenClaw's names and shapes: chat.send (ack at once with
// {runId, status:"started"}, then `chat` events), chat.history, chat.abort, sessions.list, and
// exec.approval.resolve for confirmations of sensitive commands, and skills.test (a turn with
// only one of the user's own skill versions, answered with its transcript). The work is in
// agent/runtime.ts.
import { AgentError } from "../agent/runtime.ts";
import { isUuid } from "../lib/events.ts";
import type { Connection } from "./connection.ts";
import { GatewayError, invalidRequest } from "./protocol/frames.ts";
import type { Method, MethodContext } from "./methods.ts";

const APPROVE = new Set(["allow-once", "allow-always", "allow", "approve", "approved"]);
const DENY = new Set(["deny", "denied", "reject"]);

function str(params: Record<string, unknown>, name: string): string {
  const value = params[name];
  if (typeof value !== "string" || value === "") throw invalidRequest(`${name} required`);
  return value;
}

function int(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw invalidRequest(`${name} must be a non-negative integer`);
  return Math.min(value, max);
}

/** Runs an agent call, turning its refusals into INVALID_REQUEST with the reason's code. */
async function agentCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof AgentError) throw invalidRequest(error.message, { code: error.code });
    throw error;
  }
}

/** Who decided, as stored on the approval: the operator client and its connection. */
function decider(conn: Connection): string {
  const p = conn.principal;
  const client = p?.role === "operator" && p.deviceId ? `device ${p.deviceId.slice(0, 16)}` : `connection ${conn.connId}`;
  return `operator ${client}`;
}

export const chatMethods: Record<string, Method> = {
  "chat.send": {
    scope: "operator.write",
    async run(ctx: MethodContext, params) {
      const sessionKey = str(params, "sessionKey");
      const idempotencyKey = str(params, "idempotencyKey");
      if (typeof params.message !== "string") throw invalidRequest("message required");
      return agentCall(() => ctx.agent.send(ctx.conn.userId!, { sessionKey, message: params.message as string, idempotencyKey }));
    },
  },
  "chat.history": {
    scope: "operator.read",
    async run(ctx, params) {
      const sessionKey = str(params, "sessionKey");
      return ctx.agent.history(ctx.conn.userId!, sessionKey, Math.max(1, int(params.limit, "limit", 200, 1000)));
    },
  },
  "chat.abort": {
    scope: "operator.write",
    async run(ctx, params) {
      const sessionKey = str(params, "sessionKey");
      const runId = params.runId === undefined || params.runId === null ? null : str(params, "runId");
      return ctx.agent.abort(ctx.conn.userId!, sessionKey, runId);
    },
  },
  "sessions.list": {
    scope: "operator.read",
    async run(ctx, params) {
      return ctx.agent.sessions(ctx.conn.userId!, Math.max(1, int(params.limit, "limit", 50, 500)), int(params.offset, "offset", 0, 1_000_000));
    },
  },
  "skills.test": {
    scope: "operator.write",
    async run(ctx, params) {
      const versionId = str(params, "versionId");
      if (!isUuid(versionId)) throw invalidRequest("unknown skill version", { code: "SKILL_VERSION_NOT_FOUND" });
      if (typeof params.message !== "string") throw invalidRequest("message required");
      return agentCall(() => ctx.agent.testSkill(ctx.conn.userId!, versionId, params.message as string));
    },
  },
  "exec.approval.resolve": {
    scope: "operator.approvals",
    async run(ctx, params) {
      const id = str(params, "id");
      if (!isUuid(id)) throw new GatewayError({ code: "INVALID_REQUEST", message: "unknown approval id", details: { code: "APPROVAL_NOT_FOUND" } });
      const decision = str(params, "decision");
      if (!APPROVE.has(decision) && !DENY.has(decision)) throw invalidRequest('decision must be "allow-once" or "deny"');
      return agentCall(() => ctx.agent.resolveApproval(ctx.conn.userId!, id, APPROVE.has(decision), decider(ctx.conn)));
    },
  },
};
