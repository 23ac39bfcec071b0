// The realtime gateway: uWebSockets.js speaking the OpenClaw gateway protocol to the user's apps
// (operators) and device nodes, plus /healthz, /readyz and /metrics over HTTP on the same port.
// Frame handling is a thin state machine per connection (connection.ts): challenge → connect →
// ready, with the method tables in methods.ts and shared state in hub.ts.
import "../lib/polyfills.ts";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type pg from "pg";
import client from "prom-client";
import type { HttpResponse, TemplatedApp, us_listen_socket, WebSocket } from "uWebSockets.js";
import { CHAT_CHANNEL_PATTERN, parseBusMessage, userOfChannel } from "../agent/bus.ts";
import { AgentRuntime } from "../agent/runtime.ts";
import { createAuthenticatorPool } from "../db/pools.ts";
import { startEventsRelay, type EventsRelay } from "../db/events-relay.ts";
import { withAnonymous } from "../db/tenant.ts";
import { clientIp } from "../lib/client-ip.ts";
import { createEmbedder } from "../lib/embeddings/index.ts";
import { loadConfig, ROOT_DIR, type Config } from "../lib/config.ts";
import { parseEvent, USER_CHANNEL_PATTERN } from "../lib/events.ts";
import { createLogger, type Logger } from "../lib/logger.ts";
import { createMetrics, watchPool, type Metrics } from "../lib/metrics.ts";
import { publishGatewayPresence } from "../lib/presence.ts";
import { createRedis, type Redis } from "../lib/redis.ts";
import { runService } from "../lib/service.ts";
import { createTokenService } from "../lib/tokens.ts";
import { createSessionGuard } from "../db/sessions.ts";
import { Connection, type SocketData } from "./connection.ts";
import { busChannel, Hub } from "./hub.ts";
import { dispatch, EVENTS, NODE_METHODS, OPERATOR_METHODS, type MethodContext } from "./methods.ts";
import { GatewayError, parseRequestFrame, type ErrorShape } from "./protocol/frames.ts";
import { authenticate, PROTOCOL_VERSION, type HandshakeDeps } from "./protocol/handshake.ts";
import { isNativeUws, requireNativeUws } from "./uws.ts";

const VERSION = (JSON.parse(readFileSync(path.join(ROOT_DIR, "package.json"), "utf8")) as { version: string }).version;
const PRESENCE_REFRESH_MS = 10_000;
const PRESENCE_TTL_SECONDS = 30;

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

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const config = options.config ?? loadConfig();
  const gw = config.gateway;
  const uws = requireNativeUws(gw.allowUwsFallback);
  const logger = options.logger ?? createLogger("gateway");
  if (!isNativeUws(uws)) logger.warn("uWebSockets.js runs its pure-JS fallback (GATEWAY_ALLOW_UWS_FALLBACK=1)");
  const instanceId = gw.instanceId ?? randomUUID();
  const pool: pg.Pool = createAuthenticatorPool(config, { max: 10, applicationName: "openclaw-gateway", logger });
  const redis: Redis = createRedis(config, "openclaw-gateway");
  const subscriber: Redis = createRedis(config, "openclaw-gateway-sub");
  const tokens = await createTokenService(config);
  const sessions = await createSessionGuard({ pool, subscriber: createRedis(config, "openclaw-gateway-sessions"), auth: config.auth, logger });
  const metrics: Metrics = createMetrics("gateway");
  watchPool(metrics, "authenticator", pool);
  const authFailures = new client.Counter({
    name: "openclaw_gateway_auth_failures_total",
    help: "Rejected connects by error details code",
    labelNames: ["code"],
    registers: [metrics.registry],
  });
  const rejectedFrames = new client.Counter({
    name: "openclaw_gateway_rejected_frames_total",
    help: "Frames refused (malformed, oversized, rate limited, before or after authentication)",
    labelNames: ["reason"],
    registers: [metrics.registry],
  });
  const slowConsumers = new client.Counter({
    name: "openclaw_gateway_slow_consumers_total",
    help: "Connections dropped because they did not read their events",
    registers: [metrics.registry],
  });

  const hub = new Hub({ instanceId, config: gw, pool, redis, logger, metrics, sessions });
  const agent = new AgentRuntime({
    instanceId, pool, redis, embedder: createEmbedder(config.embeddings), devices: hub, config: config.agent,
    invokeTimeoutMs: gw.invokeTimeoutMs, maxInvokeTimeoutMs: gw.maxInvokeTimeoutMs, logger,
  });
  agent.deliver = (userId, event, payload) => hub.deliverAgentEvent(userId, event, payload);
  const handshakeDeps: HandshakeDeps = { config: gw, pool, redis, tokens, sessions };
  const pending = new Set<Connection>();
  const settling = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const settled = p.catch((error: Error) => logger.error({ err: error?.message }, "connection task failed"));
    settling.add(settled);
    void settled.finally(() => settling.delete(settled));
  };

  const presence = () =>
    publishGatewayPresence(redis, {
      instanceId,
      startedAt: new Date(hub.startedAt).toISOString(),
      updatedAt: new Date().toISOString(),
      ...hub.counts(),
    }, PRESENCE_TTL_SECONDS);
  await presence();
  await hub.purgeStaleRoutes();

  await subscriber.subscribe(busChannel(instanceId));
  await subscriber.psubscribe(USER_CHANNEL_PATTERN, CHAT_CHANNEL_PATTERN);
  subscriber.on("message", (_channel: string, text: string) => {
    hub.onBusMessage(text).catch((error: Error) => logger.error({ err: error.message }, "bus message failed"));
  });
  subscriber.on("pmessage", (pattern: string, channel: string, text: string) => {
    if (pattern === CHAT_CHANNEL_PATTERN) {
      const userId = userOfChannel(channel);
      const message = parseBusMessage(text);
      if (userId && message) agent.onBusMessage(userId, message);
      return;
    }
    const event = parseEvent(text);
    if (event) hub.onUserEvent(event).catch((error: Error) => logger.error({ err: error.message }, "user event failed"));
  });
  const relay: EventsRelay = await startEventsRelay(config.authenticatorUrl, redis, logger);

  async function healthPayload(): Promise<Record<string, unknown>> {
    const started = Date.now();
    return { ok: true, ts: started, durationMs: Date.now() - started, instanceId, uptimeMs: Date.now() - hub.startedAt, version: VERSION };
  }

  function ctxFor(conn: Connection): MethodContext {
    return { conn, hub, pool, agent, invokeTimeoutMs: gw.invokeTimeoutMs, maxInvokeTimeoutMs: gw.maxInvokeTimeoutMs, health: healthPayload };
  }

  function helloOk(conn: Connection, snapshotPresence: unknown[]): unknown {
    const p = conn.principal!;
    return {
      type: "hello-ok",
      protocol: PROTOCOL_VERSION,
      server: { version: `openclaw-platform/${VERSION}`, connId: conn.connId },
      features: { methods: p.role === "node" ? NODE_METHODS : OPERATOR_METHODS, events: EVENTS, capabilities: [] },
      snapshot: {
        presence: snapshotPresence,
        health: {},
        stateVersion: { presence: hub.presenceStateVersion, health: 1 },
        uptimeMs: Date.now() - hub.startedAt,
      },
      auth: p.role === "node"
        ? { role: "node", scopes: [], ...(p.deviceToken ? { deviceToken: p.deviceToken, issuedAtMs: Date.now() } : {}) }
        : { role: "operator", scopes: p.scopes },
      policy: { maxPayload: gw.maxPayload, maxBufferedBytes: gw.maxBufferedBytes, tickIntervalMs: gw.tickIntervalMs },
    };
  }

  function rejectFrame(conn: Connection, id: string | null, message: string, reason: string): void {
    rejectedFrames.inc({ reason });
    conn.offences += 1;
    conn.replyError(id ?? "", { code: "INVALID_REQUEST", message });
    if (conn.offences >= gw.maxOffences) conn.close(1008, "too many invalid frames");
  }

  async function connect(conn: Connection, id: string, params: unknown): Promise<void> {
    conn.state = "authenticating";
    try {
      conn.principal = await authenticate(params, { nonce: conn.nonce, remoteIp: conn.remoteIp }, handshakeDeps);
    } catch (error) {
      const shape: ErrorShape = error instanceof GatewayError
        ? error.shape
        : { code: "UNAVAILABLE", message: "gateway unavailable, retry shortly", retryable: true, retryAfterMs: 2000, details: { code: "GATEWAY_UNAVAILABLE" } };
      if (!(error instanceof GatewayError)) logger.error({ err: (error as Error).message, connId: conn.connId }, "connect failed");
      authFailures.inc({ code: String(shape.details?.code ?? shape.code) });
      logger.info({ connId: conn.connId, ip: conn.remoteIp, code: shape.details?.code }, "connect refused");
      conn.replyError(id, shape);
      const close = error instanceof GatewayError && error.close ? error.close : { code: 1013, reason: "try again later" };
      conn.close(close.code, close.reason);
      return;
    }
    pending.delete(conn);
    if (!conn.open) return;
    const p = conn.principal;
    const snapshotPresence = p.role === "operator" ? await hub.presenceEntries(p.userId) : [];
    if (p.role === "node") await hub.attachNode(conn);
    if (!conn.open) return;
    conn.reply(id, helloOk(conn, snapshotPresence));
    conn.state = "ready";
    logger.info({ connId: conn.connId, userId: p.userId, role: p.role, ...(p.role === "node" ? { nodeId: p.info.nodeId } : {}) }, "connected");
    if (p.role === "operator") hub.attachOperator(conn);
    else hub.activateNode(conn);
  }

  function onFrame(conn: Connection, text: string): void {
    const parsed = parseRequestFrame(text);
    if (conn.state === "challenged") {
      if (!parsed.ok || parsed.frame.method !== "connect") {
        rejectedFrames.inc({ reason: "handshake" });
        conn.replyError(parsed.ok ? parsed.frame.id : (parsed.id ?? ""), {
          code: "INVALID_REQUEST",
          message: parsed.ok ? "invalid handshake: the first request must be connect" : `invalid handshake: ${parsed.message}`,
          details: { code: "INVALID_HANDSHAKE" },
        });
        conn.close(1008, "invalid-handshake");
        return;
      }
      track(connect(conn, parsed.frame.id, parsed.frame.params).catch((error: Error) => {
        logger.error({ err: error.message, connId: conn.connId }, "connect handling failed");
        conn.close(1011, "internal error");
      }));
      return;
    }
    if (conn.state === "authenticating") {
      rejectedFrames.inc({ reason: "handshake" });
      conn.close(1008, "invalid-handshake");
      return;
    }
    if (!parsed.ok) return rejectFrame(conn, parsed.id, parsed.message, "malformed");
    const { id, method, params } = parsed.frame;
    if (!conn.takeToken()) {
      rejectedFrames.inc({ reason: "rate" });
      conn.replyError(id, { code: "UNAVAILABLE", message: "rate limited", retryable: true, retryAfterMs: 1000, details: { code: "RATE_LIMITED" } });
      return;
    }
    if (method === "connect") return rejectFrame(conn, id, "already connected", "reconnect");
    track(dispatch(ctxFor(conn), method, params).then(
      (payload) => conn.reply(id, payload),
      (error: unknown) => {
        if (error instanceof GatewayError) return conn.replyError(id, error.shape);
        logger.error({ err: (error as Error).message, method, connId: conn.connId, userId: conn.userId }, "method failed");
        conn.replyError(id, { code: "UNAVAILABLE", message: "internal error", retryable: true });
      },
    ));
  }

  // Detach work runs when a connection ends, whoever ended it.
  const onConnectionClosed = (conn: Connection) => {
    const p = conn.principal;
    if (!p) return;
    if (p.role === "operator") hub.detachOperator(conn);
    else track(hub.detachNode(conn).catch((error: Error) => logger.warn({ err: error.message }, "node detach failed")));
  };

  const app: TemplatedApp = uws.App();
  app.ws<SocketData>("/*", {
    compression: uws.DISABLED,
    maxPayloadLength: gw.maxPayload,
    maxBackpressure: gw.maxBufferedBytes,
    closeOnBackpressureLimit: 1,
    idleTimeout: 60,
    sendPingsAutomatically: true,
    upgrade: (res, req, context) => {
      const remoteIp = clientIp(Buffer.from(res.getRemoteAddressAsText()).toString(), req.getHeader("x-real-ip"), config.trustProxy);
      res.upgrade<SocketData>(
        { remoteIp },
        req.getHeader("sec-websocket-key"),
        req.getHeader("sec-websocket-protocol"),
        req.getHeader("sec-websocket-extensions"),
        context,
      );
    },
    open: (ws: WebSocket<SocketData>) => {
      const data = ws.getUserData();
      const conn = new Connection(ws, data.remoteIp, gw, () => slowConsumers.inc());
      data.conn = conn;
      conn.onClosed = () => onConnectionClosed(conn);
      pending.add(conn);
      conn.sendChallenge();
    },
    message: (ws, message, isBinary) => {
      const conn = ws.getUserData().conn;
      if (!conn?.open) return;
      if (conn.state !== "ready" && message.byteLength > gw.preAuthMaxBytes) {
        rejectedFrames.inc({ reason: "too-large" });
        conn.close(1009, "frame too large before authentication");
        return;
      }
      if (isBinary) {
        if (conn.state !== "ready") return void conn.close(1008, "invalid-handshake");
        return rejectFrame(conn, null, "malformed frame: binary frames are not supported", "binary");
      }
      onFrame(conn, Buffer.from(message).toString("utf8"));
    },
    close: (ws) => {
      const conn = ws.getUserData().conn;
      if (!conn) return;
      pending.delete(conn);
      conn.markClosed();
    },
  });

  const httpRoute = (route: string, handler: () => Promise<{ status: number; type: string; body: string }>) => {
    app.get(route, (res: HttpResponse) => {
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
    });
  };
  httpRoute("/healthz", async () => ({ status: 200, type: "application/json", body: JSON.stringify({ status: "ok", instanceId }) }));
  httpRoute("/readyz", async () => {
    const checks: Record<string, string> = {};
    await Promise.all([
      withAnonymous(pool, (tx) => tx.query("select 1")).then(() => (checks.postgres = "ok"), (e: Error) => (checks.postgres = e.message)),
      redis.ping().then(() => (checks.redis = "ok"), (e: Error) => (checks.redis = e.message)),
    ]);
    const ok = Object.values(checks).every((v) => v === "ok");
    return { status: ok ? 200 : 503, type: "application/json", body: JSON.stringify(checks) };
  });
  httpRoute("/metrics", async () => ({ status: 200, type: metrics.registry.contentType, body: await metrics.registry.metrics() }));
  app.any("/*", (res) => {
    res.writeStatus("404 Not Found").end("not found");
  });

  // Connections this gateway closed linger in TIME_WAIT on its port for a minute, and this uWS
  // build binds without SO_REUSEADDR: a restart on the same port waits for them instead of failing.
  const tryListen = () =>
    new Promise<us_listen_socket | false>((resolve) => app.listen(options.host ?? "127.0.0.1", options.port, (socket) => resolve(socket)));
  let listenSocket = await tryListen();
  const giveUpAt = Date.now() + (options.port === 0 ? 0 : gw.listenRetryMs);
  if (!listenSocket && Date.now() < giveUpAt) logger.warn({ port: options.port }, "port busy (the previous run's connections may be in TIME_WAIT); retrying");
  while (!listenSocket && Date.now() < giveUpAt) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    listenSocket = await tryListen();
  }
  if (!listenSocket) {
    await agent.close(0);
    await relay.close();
    await sessions.close();
    await Promise.allSettled([subscriber.quit(), redis.del(`openclaw:gateway:${instanceId}`).then(() => redis.quit()), pool.end()]);
    throw Object.assign(new Error(`could not listen on port ${options.port}`), { code: "EADDRINUSE" });
  }
  const port = uws.us_socket_local_port(listenSocket);

  const ticker = setInterval(() => {
    const ts = Date.now();
    for (const conn of hub.ready) conn.sendEvent("tick", { ts });
  }, gw.tickIntervalMs);
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const conn of pending) {
      if (now - conn.openedAt > gw.handshakeTimeoutMs) {
        pending.delete(conn);
        conn.close(1008, "handshake timeout");
      }
    }
  }, 1000);
  const presenceTimer = setInterval(() => {
    presence().catch((error: Error) => logger.warn({ err: error.message }, "presence refresh failed"));
  }, PRESENCE_REFRESH_MS);

  logger.info({ port, instanceId, native: isNativeUws(uws) }, "gateway listening");

  let closing: Promise<void> | null = null;
  return {
    port,
    instanceId,
    hub,
    close(code = 1012) {
      closing ??= (async () => {
        clearInterval(ticker);
        clearInterval(sweeper);
        clearInterval(presenceTimer);
        uws.us_listen_socket_close(listenSocket);
        // Turns in progress end as failed (stored, with a final error event) before the sockets go.
        await agent.close(Math.min(5_000, gw.invokeTimeoutMs));
        for (const conn of [...hub.ready]) {
          conn.sendEvent("shutdown", { reason: "service restart", restartExpectedMs: 1000 });
          conn.close(code, "service restart");
        }
        for (const conn of [...pending]) conn.close(code, "service restart");
        hub.close();
        await Promise.allSettled([...settling]);
        await Promise.allSettled([...settling]);
        await redis.del(`openclaw:gateway:${instanceId}`).catch(() => undefined);
        await relay.close();
        await sessions.close();
        await subscriber.quit().catch(() => undefined);
        await redis.quit().catch(() => undefined);
        await pool.end();
        logger.info({ instanceId }, "gateway stopped");
      })();
      return closing;
    },
  };
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
