// node.invoke (operators ask one of their nodes to run a command, through nodes/invoker.ts's
// gates and routing) and node.invoke.result (the node's answer to a node.invoke.request).
import { validateNodeInvokeParams, validateNodeInvokeResultParams } from "@openclaw/gateway-protocol";
import type { InvokeOutcome } from "../nodes/invoke.ts";
import { GatewayError, invalidRequest, type SchemaValidator } from "../protocol/frames.ts";
import type { NodePrincipal } from "../protocol/principal.ts";
import type { MethodFamily } from "./types.ts";

/** Failures the gateway itself reports as they are; anything else is the node's error, wrapped. */
const GATEWAY_INVOKE_FAILURES = ["INVOKE_TIMEOUT", "NODE_NOT_CONNECTED"];

export const invokeMethods: MethodFamily = {
  operator: {
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
        const outcome: InvokeOutcome = await ctx.invoker.invoke(ctx.conn.userId!, {
          nodeId, command, paramsJSON, timeoutMs, idempotencyKey: params.idempotencyKey as string,
        });
        if (!outcome.ok) {
          const ours = typeof outcome.error.details?.code === "string" && GATEWAY_INVOKE_FAILURES.includes(outcome.error.details.code);
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
  },
  node: {
    "node.invoke.result": {
      schema: validateNodeInvokeResultParams as SchemaValidator,
      async run(ctx, params) {
        const principal = ctx.conn.principal as NodePrincipal;
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
  },
};
