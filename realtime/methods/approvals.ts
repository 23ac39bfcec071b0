// exec.approval.resolve: the operator's decision on a sensitive command the agent paused for.
import { isUuid } from "../../lib/events.ts";
import type { Connection } from "../connection.ts";
import { GatewayError, invalidRequest } from "../protocol/frames.ts";
import { agentCall, str } from "./params.ts";
import type { MethodFamily } from "./types.ts";

const APPROVE = new Set(["allow-once", "allow-always", "allow", "approve", "approved"]);
const DENY = new Set(["deny", "denied", "reject"]);

/** Who decided, as stored on the approval: the operator client and its connection. */
function decider(conn: Connection): string {
  const p = conn.principal;
  const client = p?.role === "operator" && p.deviceId ? `device ${p.deviceId.slice(0, 16)}` : `connection ${conn.connId}`;
  return `operator ${client}`;
}

export const approvalMethods: MethodFamily = {
  operator: {
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
  },
};
