// The realtime gateway: uWebSockets.js speaking the OpenClaw gateway protocol to the user's apps
// (operators) and device nodes, plus /healthz, /readyz and /metrics over HTTP on the same port.
// This file is the composition root: it builds the parts and wires them, in start-up order, and
// stops them in the reverse. Where each part lives:
//   frame-router.ts, connect.ts   a connection's frames: challenge → connect → ready → methods
//   methods/                      the method registry, one file per method family
//   protocol/                     frames, the handshake, principals and scope policy
//   hub.ts                        the connections this instance holds
//   nodes/                        devices (registry), routes, presence, lifecycle, the invoke path
//   install/                      the uWS endpoints, Redis subscriptions, timers, listening
import "../lib/polyfills.ts";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { us_listen_socket } from "uWebSockets.js";
import { AgentRuntime } from "../agent/runtime.ts";
import { startEventsRelay, type EventsRelay } from "../db/events-relay.ts";
import { loadConfig, ROOT_DIR, type Config } from "../lib/config.ts";
import { createEmbedder } from "../lib/embeddings/index.ts";
import { createLogger, type Logger } from "../lib/logger.ts";
import { redisKeys } from "../lib/redis-keys.ts";
import { runService } from "../lib/service.ts";
import { ConnectHandler } from "./connect.ts";
import { FrameRouter } from "./frame-router.ts";
import { Hub } from "./hub.ts";
import { installHttpRoutes } from "./install/http-routes.ts";
import { listen } from "./install/listen.ts";
import { installSubscriptions } from "./install/subscriptions.ts";
import { installTimers, publishInstancePresence } from "./install/timers.ts";
import { installWebSocket } from "./install/websocket.ts";
import type { MethodServices } from "./methods/types.ts";
import { createGatewayMetrics, type GatewayMetrics } from "./metrics.ts";
import type { InvokeRequest } from "./nodes/invoke.ts";
import { NodeInvoker } from "./nodes/invoker.ts";
import { NodeLifecycle } from "./nodes/lifecycle.ts";
import { NodePresence } from "./nodes/presence.ts";
import { NodeRegistry } from "./nodes/registry.ts";
import { openServices, type GatewayServices } from "./services.ts";
import { isNativeUws, requireNativeUws, type Uws } from "./uws.ts";

const VERSION = (JSON.parse(readFileSync(path.join(ROOT_DIR, "package.json"), "utf8")) as { version: string }).version;

export interface Gateway {
  port: number;
  instanceId: string;
  hub: Hub;
  /** Sends `shutdown`, closes every connection with `code` (1012: service restart) and stops. */
  close(code?: number): Promise<void>;
}

export interface GatewayOptions {
  port: number;
  host?: string;
  config?: Config;
  logger?: Logger;
}

/** The gateway's own parts, built once per start on top of its services. */
interface Parts extends MethodServices {
  metrics: GatewayMetrics;
}

function assemble(config: Config, instanceId: string, services: GatewayServices, logger: Logger): Parts {
  const { pool, redis, sessions } = services;
  const { invokeTimeoutMs, maxInvokeTimeoutMs } = config.gateway;
  const hub = new Hub(sessions);
  const metrics = createGatewayMetrics(services.metrics, () => hub.counts());
  const presence = new NodePresence({ instanceId, redis, hub });
  const registry = new NodeRegistry({ pool, redis, instanceId, onRouteDied: presence.routeDied });
  const invoker = new NodeInvoker({ instanceId, pool, redis, hub, registry, onRouteDied: presence.routeDied, invokes: metrics.nodeInvokes });
  const lifecycle = new NodeLifecycle({ instanceId, redis, hub, registry, presence, logger });
  // The agent sees the user's devices as node.list does and invokes through the same gates.
  const devices = {
    listNodes: (userId: string) => registry.list(userId),
    invoke: (userId: string, request: InvokeRequest) => invoker.invoke(userId, request),
  };
  const agent = new AgentRuntime({
    instanceId, pool, redis, embedder: createEmbedder(config.embeddings), devices, config: config.agent,
    invokeTimeoutMs, maxInvokeTimeoutMs, logger,
  });
  agent.deliver = (userId, event, payload) => hub.deliverAgentEvent(userId, event, payload);
  return { instanceId, version: VERSION, hub, registry, invoker, lifecycle, presence, agent, invokeTimeoutMs, maxInvokeTimeoutMs, metrics };
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const config = options.config ?? loadConfig();
  const gw = config.gateway;
  const uws = requireNativeUws(gw.allowUwsFallback);
  const logger = options.logger ?? createLogger("gateway");
  if (!isNativeUws(uws)) logger.warn("uWebSockets.js runs its pure-JS fallback (GATEWAY_ALLOW_UWS_FALLBACK=1)");
  const instanceId = gw.instanceId ?? randomUUID();
  const services = await openServices(config, logger);
  const parts = assemble(config, instanceId, services, logger);
  const { hub, lifecycle, metrics } = parts;

  await publishInstancePresence({ instanceId, redis: services.redis, hub });
  await lifecycle.purgeStaleRoutes();
  await installSubscriptions({ ...parts, subscriber: services.subscriber, logger });
  const relay = await startEventsRelay(config.authenticatorUrl, services.redis, logger);

  const handshake = { config: gw, registry: parts.registry, redis: services.redis, tokens: services.tokens, sessions: services.sessions };
  const connect = new ConnectHandler({ ...parts, config: gw, logger, handshake });
  const router = new FrameRouter({ config: gw, logger, metrics, connect, services: parts, hub, lifecycle });
  const app = uws.App();
  installWebSocket(app, uws, { config, router, metrics });
  installHttpRoutes(app, { instanceId, pool: services.pool, redis: services.redis, metrics: services.metrics });

  const listenSocket = await listen(app, { host: options.host ?? "127.0.0.1", port: options.port, retryMs: gw.listenRetryMs, logger });
  if (!listenSocket) {
    await abandonStart({ instanceId, services, parts, relay });
    throw Object.assign(new Error(`could not listen on port ${options.port}`), { code: "EADDRINUSE" });
  }
  const port = uws.us_socket_local_port(listenSocket);
  const stopTimers = installTimers({ instanceId, config: gw, redis: services.redis, hub, router, logger });
  logger.info({ port, instanceId, native: isNativeUws(uws) }, "gateway listening");

  const running: Running = { instanceId, config, logger, uws, listenSocket, stopTimers, services, parts, relay, router };
  let closing: Promise<void> | null = null;
  return {
    port,
    instanceId,
    hub,
    close(code = 1012) {
      closing ??= stop(running, code);
      return closing;
    },
  };
}

interface Running {
  instanceId: string;
  config: Config;
  logger: Logger;
  uws: Uws;
  listenSocket: us_listen_socket;
  stopTimers: () => void;
  services: GatewayServices;
  parts: Parts;
  relay: EventsRelay;
  router: FrameRouter;
}

async function stop(g: Running, code: number): Promise<void> {
  const { hub, invoker, agent } = g.parts;
  const { pool, redis, subscriber, sessions } = g.services;
  g.stopTimers();
  g.uws.us_listen_socket_close(g.listenSocket);
  // Turns in progress end as failed (stored, with a final error event) before the sockets go.
  await agent.close(Math.min(5_000, g.config.gateway.invokeTimeoutMs));
  for (const conn of [...hub.ready]) {
    conn.sendEvent("shutdown", { reason: "service restart", restartExpectedMs: 1000 });
    conn.close(code, "service restart");
  }
  for (const conn of [...g.router.pending]) conn.close(code, "service restart");
  hub.close();
  invoker.close();
  await g.router.drain();
  // Out of the presence list at once, rather than when the key expires.
  await redis.del(redisKeys.gatewayPresence(g.instanceId)).catch(() => undefined);
  await g.relay.close();
  await sessions.close();
  await subscriber.quit().catch(() => undefined);
  await redis.quit().catch(() => undefined);
  await pool.end();
  g.logger.info({ instanceId: g.instanceId }, "gateway stopped");
}

/** The port stayed busy: undo what start-up opened (nothing is connected yet). */
async function abandonStart(g: Pick<Running, "instanceId" | "services" | "parts" | "relay">): Promise<void> {
  const { pool, redis, subscriber, sessions } = g.services;
  await g.parts.agent.close(0);
  await g.relay.close();
  await sessions.close();
  await Promise.allSettled([subscriber.quit(), redis.del(redisKeys.gatewayPresence(g.instanceId)).then(() => redis.quit()), pool.end()]);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger("gateway");
  await runService({
    name: "gateway",
    logger,
    port: config.ports.gateway,
    portEnv: "GATEWAY_PORT",
    // 1012 "service restart": nodes and apps reconnect by themselves.
    start: async () => {
      const gateway = await startGateway({ port: config.ports.gateway, host: process.env.GATEWAY_HOST ?? "127.0.0.1", config, logger });
      return { close: () => gateway.close(1012) };
    },
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
