// health (both roles), status and system-presence: what the gateway says about itself and about
// which of the user's nodes are online.
import type { Method, MethodContext, MethodFamily } from "./types.ts";

/**
 * OpenClaw's health summary, without durationMs: that field times health probes, and this
 * gateway runs none (its readiness probes are /readyz).
 */
function healthSummary(ctx: MethodContext): Record<string, unknown> {
  return { ok: true, ts: Date.now(), instanceId: ctx.instanceId, uptimeMs: Date.now() - ctx.hub.startedAt, version: ctx.version };
}

const health: Method = {
  async run(ctx) {
    return healthSummary(ctx);
  },
};

export const systemMethods: MethodFamily = {
  operator: {
    health,
    status: {
      scope: "operator.read",
      async run(ctx) {
        return { ...healthSummary(ctx), nodes: (await ctx.registry.list(ctx.conn.userId!)).length };
      },
    },
    "system-presence": {
      scope: "operator.read",
      async run(ctx) {
        return ctx.presence.entries(ctx.conn.userId!);
      },
    },
  },
  node: { health },
};
