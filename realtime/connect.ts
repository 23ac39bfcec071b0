// The connect request, the only one a challenged connection may send: the handshake decides who
// is connecting (protocol/handshake.ts); then the connection is either refused (a structured
// error, a counted failure, the close code the client expects) or admitted (a node is stored and
// routed first, then hello-ok, then it is ready and attached).
import type { GatewayConfig } from "../lib/config.ts";
import type { Logger } from "../lib/logger.ts";
import type { Connection } from "./connection.ts";
import type { Hub } from "./hub.ts";
import { EVENTS, NODE_METHODS, OPERATOR_METHODS } from "./methods/index.ts";
import type { GatewayMetrics } from "./metrics.ts";
import type { NodeLifecycle } from "./nodes/lifecycle.ts";
import type { NodePresence } from "./nodes/presence.ts";
import { GatewayError, type ErrorShape } from "./protocol/frames.ts";
import { authenticate, PROTOCOL_VERSION, type HandshakeDeps } from "./protocol/handshake.ts";

export interface ConnectDeps {
  config: GatewayConfig;
  logger: Logger;
  metrics: GatewayMetrics;
  handshake: HandshakeDeps;
  hub: Hub;
  lifecycle: NodeLifecycle;
  presence: NodePresence;
  version: string;
}

/** Anything but a GatewayError (the database or Redis failed): the client should retry. */
const UNAVAILABLE: ErrorShape = {
  code: "UNAVAILABLE", message: "gateway unavailable, retry shortly", retryable: true, retryAfterMs: 2000, details: { code: "GATEWAY_UNAVAILABLE" },
};

export class ConnectHandler {
  constructor(private readonly deps: ConnectDeps) {}

  /** Answers `connect`; `authenticated` runs as soon as the credentials are accepted (the handshake deadline stops). */
  async run(conn: Connection, id: string, params: unknown, authenticated: () => void): Promise<void> {
    conn.state = "authenticating";
    try {
      conn.principal = await authenticate(params, { nonce: conn.nonce, remoteIp: conn.remoteIp }, this.deps.handshake);
    } catch (error) {
      this.refuse(conn, id, error);
      return;
    }
    authenticated();
    if (!conn.open) return;
    await this.admit(conn, id);
  }

  private refuse(conn: Connection, id: string, error: unknown): void {
    const { logger, metrics } = this.deps;
    const shape: ErrorShape = error instanceof GatewayError ? error.shape : UNAVAILABLE;
    if (!(error instanceof GatewayError)) logger.error({ err: (error as Error).message, connId: conn.connId }, "connect failed");
    metrics.authFailures.inc({ code: String(shape.details?.code ?? shape.code) });
    logger.info({ connId: conn.connId, ip: conn.remoteIp, code: shape.details?.code }, "connect refused");
    conn.replyError(id, shape);
    const close = error instanceof GatewayError && error.close ? error.close : { code: 1013, reason: "try again later" };
    conn.close(close.code, close.reason);
  }

  private async admit(conn: Connection, id: string): Promise<void> {
    const { hub, lifecycle, presence, logger } = this.deps;
    const p = conn.principal!;
    const snapshotPresence = p.role === "operator" ? await presence.entries(p.userId) : [];
    if (p.role === "node") await lifecycle.attach(conn);
    if (!conn.open) return;
    conn.reply(id, this.helloOk(conn, snapshotPresence));
    conn.state = "ready";
    logger.info({ connId: conn.connId, userId: p.userId, role: p.role, ...(p.role === "node" ? { nodeId: p.info.nodeId } : {}) }, "connected");
    if (p.role === "operator") hub.attachOperator(conn);
    else lifecycle.activate(conn);
  }

  private helloOk(conn: Connection, snapshotPresence: unknown[]): unknown {
    const { config, hub, presence, version } = this.deps;
    const p = conn.principal!;
    return {
      type: "hello-ok",
      protocol: PROTOCOL_VERSION,
      server: { version: `openclaw-platform/${version}`, connId: conn.connId },
      features: { methods: p.role === "node" ? NODE_METHODS : OPERATOR_METHODS, events: EVENTS, capabilities: [] },
      snapshot: {
        presence: snapshotPresence,
        health: {},
        stateVersion: { presence: presence.stateVersion, health: 1 },
        uptimeMs: Date.now() - hub.startedAt,
      },
      auth: p.role === "node"
        ? { role: "node", scopes: [], ...(p.deviceToken ? { deviceToken: p.deviceToken, issuedAtMs: Date.now() } : {}) }
        : { role: "operator", scopes: p.scopes },
      policy: { maxPayload: config.maxPayload, maxBufferedBytes: config.maxBufferedBytes, tickIntervalMs: config.tickIntervalMs },
    };
  }
}
