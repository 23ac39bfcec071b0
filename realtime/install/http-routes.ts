// Plain HTTP on the gateway's port: /healthz (the process answers), /readyz (Postgres and Redis
// answer), /metrics (Prometheus), and 404 for anything else that is not a WebSocket upgrade.
import type pg from "pg";
import type { HttpResponse, TemplatedApp } from "uWebSockets.js";
import { withAnonymous } from "../../db/tenant.ts";
import type { Metrics } from "../../lib/metrics.ts";
import type { Redis } from "../../lib/redis.ts";

export interface HttpRoutesDeps {
  instanceId: string;
  pool: pg.Pool;
  redis: Redis;
  metrics: Metrics;
}

interface HttpAnswer {
  status: number;
  type: string;
  body: string;
}

export function installHttpRoutes(app: TemplatedApp, deps: HttpRoutesDeps): void {
  const { instanceId, pool, redis, metrics } = deps;
  const route = (path: string, handler: () => Promise<HttpAnswer>) => app.get(path, (res) => answer(res, path, metrics, handler));
  route("/healthz", async () => ({ status: 200, type: "application/json", body: JSON.stringify({ status: "ok", instanceId }) }));
  route("/readyz", async () => {
    const checks: Record<string, string> = {};
    await Promise.all([
      withAnonymous(pool, (tx) => tx.query("select 1")).then(() => (checks.postgres = "ok"), (e: Error) => (checks.postgres = e.message)),
      redis.ping().then(() => (checks.redis = "ok"), (e: Error) => (checks.redis = e.message)),
    ]);
    const ok = Object.values(checks).every((v) => v === "ok");
    return { status: ok ? 200 : 503, type: "application/json", body: JSON.stringify(checks) };
  });
  route("/metrics", async () => ({ status: 200, type: metrics.registry.contentType, body: await metrics.registry.metrics() }));
  app.any("/*", (res) => {
    res.writeStatus("404 Not Found").end("not found");
  });
}

/** Runs the handler, counts and times it, and writes the answer unless the client went away first. */
function answer(res: HttpResponse, route: string, metrics: Metrics, handler: () => Promise<HttpAnswer>): void {
  let aborted = false;
  res.onAborted(() => (aborted = true));
  const end = metrics.httpDuration.startTimer({ route, method: "GET" });
  handler().then(
    (r) => {
      end();
      metrics.httpRequests.inc({ route, method: "GET", status: String(r.status) });
      if (!aborted) res.cork(() => res.writeStatus(`${r.status} ${r.status === 200 ? "OK" : "Service Unavailable"}`).writeHeader("content-type", r.type).end(r.body));
    },
    () => {
      if (!aborted) res.cork(() => res.writeStatus("500 Internal Server Error").end());
    },
  );
}
