// The node family apart from invoking: operators list and describe their nodes; nodes report
// events (host stats are kept, exec.finished goes to the owner's operators).
import { validateNodeEventParams } from "@openclaw/gateway-protocol";
import { invalidRequest, type SchemaValidator } from "../protocol/frames.ts";
import type { NodePrincipal } from "../protocol/principal.ts";
import type { MethodFamily } from "./types.ts";

const MAX_EVENT_JSON = 256 * 1024;
const MAX_HOST_STATS_JSON = 8192;

function parseJSON(text: unknown, max: number): unknown {
  if (typeof text !== "string") return undefined;
  if (text.length > max) throw invalidRequest("payloadJSON too large");
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest("payloadJSON is not valid JSON");
  }
}

export const nodeMethods: MethodFamily = {
  operator: {
    "node.list": {
      scope: "operator.read",
      async run(ctx) {
        return { ts: Date.now(), nodes: await ctx.registry.list(ctx.conn.userId!) };
      },
    },
    "node.describe": {
      scope: "operator.read",
      async run(ctx, params) {
        if (typeof params.nodeId !== "string" || params.nodeId === "") throw invalidRequest("nodeId required");
        return { ts: Date.now(), ...(await ctx.registry.describe(ctx.conn.userId!, params.nodeId)) };
      },
    },
  },
  node: {
    "node.event": {
      schema: validateNodeEventParams as SchemaValidator,
      async run(ctx, params) {
        const event = params.event as string;
        const payload = params.payloadJSON !== undefined ? parseJSON(params.payloadJSON, MAX_EVENT_JSON) : params.payload;
        if (event === "node.host.stats" && payload && typeof payload === "object" && !Array.isArray(payload) &&
            JSON.stringify(payload).length <= MAX_HOST_STATS_JSON) {
          await ctx.lifecycle.recordHostStats(ctx.conn, payload as Record<string, unknown>);
          return { ok: true, event, handled: true, reason: "updated" };
        }
        if (event === "exec.finished" && payload && typeof payload === "object") {
          const principal = ctx.conn.principal as NodePrincipal;
          ctx.hub.forwardToOperators(principal.userId, "exec.finished", { ...(payload as object), nodeId: principal.info.nodeId });
          return { ok: true, event, handled: true };
        }
        return { ok: true, event, handled: false };
      },
    },
  },
};
