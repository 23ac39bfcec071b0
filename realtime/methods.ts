// The method tables: one small handler per method, keyed by name, per role. Params are checked
// against the published protocol schema (leniently) before a handler runs; scopes are checked
// from the table. Methods not listed answer `unknown method: <m>`, which the node host reads as
// "not supported" for its optional publications.
import {
  validateNodeEventParams,
  validateNodeInvokeParams,
  validateNodeInvokeResultParams,
} from "@openclaw/gateway-protocol";
import type { AgentRuntime } from "../agent/runtime.ts";
import { AGENT_EVENTS } from "../agent/bus.ts";
import { withUser } from "../db/tenant.ts";
import { isUuid } from "../lib/events.ts";
import { chatMethods } from "./chat-methods.ts";
import type { Connection } from "./connection.ts";
import type { Hub } from "./hub.ts";
import { GatewayError, invalidRequest, leniently, missingScope, unknownMethod, type SchemaValidator } from "./protocol/frames.ts";
import { deviceLimitReached, type Principal } from "./protocol/handshake.ts";
import type { InvokeOutcome } from "./nodes/invoke.ts";
import type pg from "pg";

export interface MethodContext {
  conn: Connection;
  hub: Hub;
  pool: pg.Pool;
  agent: AgentRuntime;
  invokeTimeoutMs: number;
  maxInvokeTimeoutMs: number;
  health: () => Promise<Record<string, unknown>>;
}

type Scope = "operator.read" | "operator.write" | "operator.admin" | "operator.pairing" | "operator.approvals";

export interface Method {
  scope?: Scope;
  schema?: SchemaValidator;
  run(ctx: MethodContext, params: Record<string, unknown>): Promise<unknown>;
}


export function hasScope(principal: Principal, scope: Scope): boolean {
  if (principal.role !== "operator") return false;
  const s = principal.scopes;
  if (s.includes("operator.admin")) return true;
  if (scope === "operator.read") return s.includes("operator.read") || s.includes("operator.write");
  return s.includes(scope);
}

function parseJSON(text: unknown, max: number): unknown {
  if (typeof text !== "string") return undefined;
  if (text.length > max) throw invalidRequest("payloadJSON too large");
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest("payloadJSON is not valid JSON");
  }
}

const health: Method = {
  async run(ctx) {
    return ctx.health();
  },
};

// ---- operator ------------------------------------------------------------------------------

async function listPairing(ctx: MethodContext): Promise<unknown> {
  const userId = ctx.conn.userId!;
  const pending = await withUser(ctx.pool, userId, async (tx) =>
    (await tx.query<{ id: string; device_key_id: string; name: string; platform: string | null; caps: string[]; commands: string[];
      remote_address: string | null; created_at: Date; expires_at: Date }>(
      `select id, device_key_id, name, platform, caps, commands, host(remote_address) as remote_address, created_at, expires_at
         from app_public.device_pairing_requests where status = 'pending' and expires_at > now() order by created_at`,
    )).rows,
  );
  const paired = await ctx.hub.listNodes(userId);
  return {
    pending: pending.map((r) => ({
      requestId: r.id, nodeId: r.device_key_id, displayName: r.name, platform: r.platform ?? undefined, caps: r.caps,
      commands: r.commands, remoteIp: r.remote_address ?? undefined, ts: r.created_at.getTime(), expiresAtMs: r.expires_at.getTime(),
    })),
    paired,
  };
}

function pairingDecision(fn: "approve_device_pairing" | "reject_device_pairing"): Method {
  return {
    scope: "operator.pairing",
    async run(ctx, params) {
      const requestId = params.requestId;
      if (!isUuid(requestId)) throw invalidRequest("requestId must be a pairing request id");
      try {
        await withUser(ctx.pool, ctx.conn.userId!, (tx) => tx.query(`select app_public.${fn}($1)`, [requestId]));
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === "P0002") throw invalidRequest("unknown requestId", { code: "PAIRING_REQUEST_NOT_FOUND" });
        if (code === "PAIRX") throw invalidRequest("the pairing request is no longer pending", { code: "PAIRING_REQUEST_NOT_PENDING" });
        const limit = deviceLimitReached(error);
        if (limit) throw invalidRequest(limit.message, limit.details);
        throw error;
      }
      return { ok: true, requestId, decision: fn === "approve_device_pairing" ? "approved" : "rejected" };
    },
  };
}

const operatorMethods: Record<string, Method> = {
  health,
  status: {
    scope: "operator.read",
    async run(ctx) {
      return { ...(await ctx.health()), nodes: (await ctx.hub.listNodes(ctx.conn.userId!)).length };
    },
  },
  "system-presence": {
    scope: "operator.read",
    async run(ctx) {
      return ctx.hub.presenceEntries(ctx.conn.userId!);
    },
  },
  "node.list": {
    scope: "operator.read",
    async run(ctx) {
      return { ts: Date.now(), nodes: await ctx.hub.listNodes(ctx.conn.userId!) };
    },
  },
  "node.describe": {
    scope: "operator.read",
    async run(ctx, params) {
      if (typeof params.nodeId !== "string" || params.nodeId === "") throw invalidRequest("nodeId required");
      return { ts: Date.now(), ...(await ctx.hub.describeNode(ctx.conn.userId!, params.nodeId)) };
    },
  },
  "node.invoke": {
    scope: "operator.write",
    schema: validateNodeInvokeParams as SchemaValidator,
    async run(ctx, params) {
      const nodeId = params.nodeId as string;
      const command = params.command as string;
      const timeoutMs = Math.min(
        typeof params.timeoutMs === "number" && params.timeoutMs > 0 ? params.timeoutMs : ctx.invokeTimeoutMs,
        ctx.maxInvokeTimeoutMs,
      );
      const paramsJSON = params.params === undefined || params.params === null ? null : JSON.stringify(params.params);
      const outcome: InvokeOutcome = await ctx.hub.invoke(ctx.conn.userId!, {
        nodeId, command, paramsJSON, timeoutMs, idempotencyKey: params.idempotencyKey as string,
      });
      if (!outcome.ok) {
        const ours = typeof outcome.error.details?.code === "string" && ["INVOKE_TIMEOUT", "NODE_NOT_CONNECTED"].includes(outcome.error.details.code);
        if (ours) throw new GatewayError(outcome.error);
        throw new GatewayError({
          code: "UNAVAILABLE",
          message: outcome.error.message || "node error",
          details: { code: "NODE_ERROR", nodeError: outcome.error },
        });
      }
      const payloadJSON = outcome.payloadJSON ?? (outcome.payload === undefined ? null : JSON.stringify(outcome.payload));
      const payload = outcome.payload !== undefined ? outcome.payload : payloadJSON === null ? null : JSON.parse(payloadJSON);
      return { ok: true, nodeId, command, payload, payloadJSON };
    },
  },
  "node.pair.list": { scope: "operator.pairing", run: listPairing },
  "node.pair.approve": pairingDecision("approve_device_pairing"),
  "node.pair.reject": pairingDecision("reject_device_pairing"),
  ...chatMethods,
};

// ---- node ----------------------------------------------------------------------------------

const MAX_EVENT_JSON = 256 * 1024;

const nodeMethods: Record<string, Method> = {
  health,
  "node.event": {
    schema: validateNodeEventParams as SchemaValidator,
    async run(ctx, params) {
      const event = params.event as string;
      const payload = params.payloadJSON !== undefined ? parseJSON(params.payloadJSON, MAX_EVENT_JSON) : params.payload;
      if (event === "node.host.stats" && payload && typeof payload === "object" && !Array.isArray(payload) &&
          JSON.stringify(payload).length <= 8192) {
        await ctx.hub.recordHostStats(ctx.conn, payload as Record<string, unknown>);
        return { ok: true, event, handled: true, reason: "updated" };
      }
      if (event === "exec.finished" && payload && typeof payload === "object") {
        const principal = ctx.conn.principal as Extract<Principal, { role: "node" }>;
        ctx.hub.forwardToOperators(principal.userId, "exec.finished", { ...(payload as object), nodeId: principal.info.nodeId });
        return { ok: true, event, handled: true };
      }
      return { ok: true, event, handled: false };
    },
  },
  "node.invoke.result": {
    schema: validateNodeInvokeResultParams as SchemaValidator,
    async run(ctx, params) {
      const principal = ctx.conn.principal as Extract<Principal, { role: "node" }>;
      if (params.nodeId !== principal.info.nodeId) throw invalidRequest("nodeId mismatch");
      const error = params.error as { code?: string; message?: string } | undefined;
      if (params.ok && typeof params.payloadJSON === "string") {
        try {
          JSON.parse(params.payloadJSON);
        } catch {
          const bad: InvokeOutcome = { ok: false, error: { code: "UNAVAILABLE", message: "node returned invalid payloadJSON", details: { code: "NODE_BAD_PAYLOAD" } } };
          return ctx.hub.settleInvoke(ctx.conn, params.id as string, bad) ? { ok: true } : { ok: true, ignored: true };
        }
      }
      const outcome: InvokeOutcome = params.ok
        ? { ok: true, payload: params.payload, payloadJSON: typeof params.payloadJSON === "string" ? params.payloadJSON : null }
        : {
            ok: false,
            error: {
              code: "UNAVAILABLE",
              message: String(error?.message ?? "node error").slice(0, 2000),
              details: { code: String(error?.code ?? "NODE_ERROR").slice(0, 100) },
            },
          };
      if (!ctx.hub.settleInvoke(ctx.conn, params.id as string, outcome)) return { ok: true, ignored: true };
      return { ok: true };
    },
  },
  "skills.bins": { async run() { return { bins: [] }; } },
  "node.pending.pull": {
    async run(ctx) {
      return { nodeId: (ctx.conn.principal as Extract<Principal, { role: "node" }>).info.nodeId, actions: [] };
    },
  },
  "node.pending.ack": { async run() { return { ok: true }; } },
};

export const OPERATOR_METHODS = Object.keys(operatorMethods);
export const NODE_METHODS = Object.keys(nodeMethods);
export const EVENTS = ["connect.challenge", "tick", "presence", "node.invoke.request", "exec.finished", "shutdown", ...AGENT_EVENTS];

/** Runs one request for an authenticated connection. */
export async function dispatch(ctx: MethodContext, method: string, rawParams: unknown): Promise<unknown> {
  const principal = ctx.conn.principal!;
  const table = principal.role === "node" ? nodeMethods : operatorMethods;
  const entry = Object.hasOwn(table, method) ? table[method] : undefined;
  if (!entry) {
    if (principal.role === "operator" && Object.hasOwn(nodeMethods, method)) throw invalidRequest("unauthorized role: operator");
    if (principal.role === "node" && Object.hasOwn(operatorMethods, method)) throw invalidRequest("unauthorized role: node");
    throw unknownMethod(method);
  }
  if (entry.scope && !hasScope(principal, entry.scope)) throw missingScope(entry.scope);
  const params = (rawParams ?? {}) as Record<string, unknown>;
  if (typeof params !== "object" || Array.isArray(params)) throw invalidRequest("params must be an object");
  if (entry.schema) {
    const checked = leniently(entry.schema, params);
    if (!checked.ok) throw invalidRequest(`invalid ${method} params: ${checked.message}`.slice(0, 500));
  }
  return entry.run(ctx, params);
}
