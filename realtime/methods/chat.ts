// The agent's conversation methods in OpenClaw's names and shapes: chat.send (acked at once with
// {runId, status:"started"}, then `chat` events), chat.history, chat.abort and sessions.list.
// The work is in agent/.
import { invalidRequest } from "../protocol/frames.ts";
import { agentCall, int, str } from "./params.ts";
import type { MethodFamily } from "./types.ts";

export const chatMethods: MethodFamily = {
  operator: {
    "chat.send": {
      scope: "operator.write",
      async run(ctx, params) {
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
  },
};
