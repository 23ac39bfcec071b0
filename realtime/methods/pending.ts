// node.pending.pull|ack: the node host's queue of deferred actions. This platform queues none: a
// pull is always empty and an ack has nothing to remove.
import type { NodePrincipal } from "../protocol/principal.ts";
import type { MethodFamily } from "./types.ts";

export const pendingMethods: MethodFamily = {
  node: {
    "node.pending.pull": {
      async run(ctx) {
        return { nodeId: (ctx.conn.principal as NodePrincipal).info.nodeId, actions: [] };
      },
    },
    "node.pending.ack": { async run() { return { ok: true }; } },
  },
};
