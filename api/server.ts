// The API process: PostGraphile (grafserv) at /graphql with Ruru at /graphiql and graphql-ws
// subscriptions on the same path, plus /healthz, /readyz and /metrics.
import "../lib/polyfills.ts";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import preset from "../postgraphile.config.ts";
import { withAnonymous } from "../db/tenant.ts";
import { requestLog } from "../lib/request-log.ts";
import { createMetrics, observe, watchPool } from "../lib/metrics.ts";
import { startEventsRelay } from "../db/events-relay.ts";
import { runService } from "../lib/service.ts";
import { handlePaymentWebhook } from "./payments.ts";
import { closeApiServices, getApiServices } from "./services.ts";

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, type = "application/json"): void {
  const payload = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(payload);
}

export async function startApi(port: number, host = "127.0.0.1"): Promise<ApiServer> {
  const services = await getApiServices();
  const { logger } = services;
  const metrics = createMetrics("api");
  watchPool(metrics, "api", services.pool);

  const relay = await startEventsRelay(services.config.authenticatorUrl, services.redis, logger);
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const graphql = serv.createHandler();

  async function ready(): Promise<Record<string, string>> {
    const checks: Record<string, string> = {};
    await Promise.all([
      withAnonymous(services.pool, (tx) => tx.query("select 1")).then(
        () => (checks.postgres = "ok"),
        (e: Error) => (checks.postgres = e.message),
      ),
      services.redis.ping().then(
        () => (checks.redis = "ok"),
        (e: Error) => (checks.redis = e.message),
      ),
    ]);
    return checks;
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0]!;
    requestLog(logger, req, res, path, randomUUID);
    if (path === "/healthz") {
      observe(metrics, "/healthz", req, res);
      return send(res, 200, { status: "ok" });
    }
    if (path === "/readyz") {
      observe(metrics, "/readyz", req, res);
      ready().then((checks) => send(res, Object.values(checks).every((v) => v === "ok") ? 200 : 503, checks));
      return;
    }
    if (path === "/metrics") {
      observe(metrics, "/metrics", req, res);
      metrics.registry.metrics().then((text) => send(res, 200, text, metrics.registry.contentType));
      return;
    }
    if (path === "/webhooks/payments") {
      observe(metrics, path, req, res);
      handlePaymentWebhook(req, res, services).catch(() => send(res, 500, { error: "INTERNAL" }));
      return;
    }
    observe(metrics, path === "/graphql" || path === "/graphiql" ? path : "other", req, res);
    graphql(req, res);
  });
  const upgrade = await serv.getUpgradeHandler();
  if (upgrade) server.on("upgrade", upgrade);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const url = `http://${host}:${typeof address === "object" && address ? address.port : port}`;
  logger.info({ url }, "API listening");

  return {
    url,
    async close() {
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await serv.release();
      await relay.close();
      await closeApiServices();
    },
  };
}

async function main(): Promise<void> {
  const { config, logger } = await getApiServices();
  await runService({
    name: "API",
    logger,
    port: config.ports.api,
    portEnv: "API_PORT",
    start: () => startApi(config.ports.api, process.env.API_HOST ?? "127.0.0.1"),
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
