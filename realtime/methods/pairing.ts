// node.pair.list|approve|reject: the user's pending pairing requests and their decisions, the same
// database functions GraphQL's approveDevicePairing / rejectDevicePairing call.
import { isUuid } from "../../lib/events.ts";
import { deviceLimitReached } from "../nodes/registry.ts";
import { invalidRequest } from "../protocol/frames.ts";
import type { Method, MethodFamily } from "./types.ts";

function pairingDecision(decision: "approve" | "reject"): Method {
  return {
    scope: "operator.pairing",
    async run(ctx, params) {
      const requestId = params.requestId;
      if (!isUuid(requestId)) throw invalidRequest("requestId must be a pairing request id");
      try {
        await ctx.registry.decidePairing(ctx.conn.userId!, requestId, decision);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === "P0002") throw invalidRequest("unknown requestId", { code: "PAIRING_REQUEST_NOT_FOUND" });
        if (code === "PAIRX") throw invalidRequest("the pairing request is no longer pending", { code: "PAIRING_REQUEST_NOT_PENDING" });
        const limit = deviceLimitReached(error);
        if (limit) throw invalidRequest(limit.message, limit.details);
        throw error;
      }
      return { ok: true, requestId, decision: decision === "approve" ? "approved" : "rejected" };
    },
  };
}

export const pairingMethods: MethodFamily = {
  operator: {
    "node.pair.list": {
      scope: "operator.pairing",
      async run(ctx) {
        const userId = ctx.conn.userId!;
        const pending = await ctx.registry.pendingPairings(userId);
        const paired = await ctx.registry.list(userId);
        return {
          pending: pending.map((r) => ({
            requestId: r.id, nodeId: r.device_key_id, displayName: r.name, platform: r.platform ?? undefined, caps: r.caps,
            commands: r.commands, remoteIp: r.remote_address ?? undefined, ts: r.created_at.getTime(), expiresAtMs: r.expires_at.getTime(),
          })),
          paired,
        };
      },
    },
    "node.pair.approve": pairingDecision("approve"),
    "node.pair.reject": pairingDecision("reject"),
  },
};
