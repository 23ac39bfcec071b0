// The gateway's own Prometheus series, registered in one place (beside the process-wide ones from
// lib/metrics.ts). Names and labels are what dashboards and tests read: change them only with those.
import client from "prom-client";
import type { Metrics } from "../lib/metrics.ts";

export interface GatewayMetrics {
  authFailures: client.Counter<"code">;
  rejectedFrames: client.Counter<"reason">;
  slowConsumers: client.Counter;
  nodeInvokes: client.Counter<"outcome" | "route">;
}

/** `counts` is read at each scrape for the connections gauge. */
export function createGatewayMetrics(metrics: Metrics, counts: () => { operators: number; devices: number }): GatewayMetrics {
  const registers = [metrics.registry];
  const gateway: GatewayMetrics = {
    authFailures: new client.Counter({
      name: "openclaw_gateway_auth_failures_total",
      help: "Rejected connects by error details code",
      labelNames: ["code"],
      registers,
    }),
    rejectedFrames: new client.Counter({
      name: "openclaw_gateway_rejected_frames_total",
      help: "Frames refused (malformed, oversized, rate limited, before or after authentication)",
      labelNames: ["reason"],
      registers,
    }),
    slowConsumers: new client.Counter({
      name: "openclaw_gateway_slow_consumers_total",
      help: "Connections dropped because they did not read their events",
      registers,
    }),
    nodeInvokes: new client.Counter({
      name: "openclaw_gateway_node_invokes_total",
      help: "node.invoke calls by outcome and route (local or relayed to another instance)",
      labelNames: ["outcome", "route"],
      registers,
    }),
  };
  new client.Gauge({
    name: "openclaw_gateway_connections",
    help: "Authenticated WebSocket connections on this instance by role",
    labelNames: ["role"],
    registers,
    collect() {
      const now = counts();
      this.set({ role: "operator" }, now.operators);
      this.set({ role: "node" }, now.devices);
    },
  });
  return gateway;
}
