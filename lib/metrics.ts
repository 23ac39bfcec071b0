// Prometheus metrics (prom-client): one registry per process with Node's default metrics,
// plus the helpers every HTTP surface uses.
import type { IncomingMessage, ServerResponse } from "node:http";
import client from "prom-client";
import type pg from "pg";

export interface Metrics {
  registry: client.Registry;
  httpRequests: client.Counter<"route" | "method" | "status">;
  httpDuration: client.Histogram<"route" | "method">;
}

export function createMetrics(processName: string): Metrics {
  const registry = new client.Registry();
  registry.setDefaultLabels({ process: processName });
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new client.Counter({
      name: "openclaw_http_requests_total",
      help: "HTTP requests by route, method and status",
      labelNames: ["route", "method", "status"],
      registers: [registry],
    }),
    httpDuration: new client.Histogram({
      name: "openclaw_http_request_duration_seconds",
      help: "HTTP request latency",
      labelNames: ["route", "method"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

/** Gauges for a pg pool's connections (total, idle, waiting clients). */
export function watchPool(metrics: Metrics, name: string, pool: pg.Pool): void {
  const gauge = (suffix: string, help: string, read: () => number) =>
    new client.Gauge({
      name: `openclaw_db_pool_${suffix}`,
      help,
      labelNames: ["pool"],
      registers: [metrics.registry],
      collect() {
        this.set({ pool: name }, read());
      },
    });
  gauge("connections", "Open connections in the pool", () => pool.totalCount);
  gauge("idle", "Idle connections in the pool", () => pool.idleCount);
  gauge("waiting", "Callers waiting for a connection", () => pool.waitingCount);
}

/** Times a request and counts it under `route` when the response finishes. */
export function observe(metrics: Metrics, route: string, req: IncomingMessage, res: ServerResponse): void {
  const end = metrics.httpDuration.startTimer({ route, method: req.method ?? "?" });
  res.once("finish", () => {
    end();
    metrics.httpRequests.inc({ route, method: req.method ?? "?", status: String(res.statusCode) });
  });
}
