// Where a connection's frames go, by its state (connection.ts):
//   challenged      size cap, text only, and the first request must be `connect` (connect.ts);
//   authenticating  anything more is a handshake violation;
//   ready           rate limit, then the method registry (methods/index.ts) for the principal's role.
// It also keeps the connections still in the handshake (for the deadline) and every task a frame
// or a close started, so shutdown can wait for them.
import type { GatewayConfig } from "../lib/config.ts";
import type { Logger } from "../lib/logger.ts";
import type { ConnectHandler } from "./connect.ts";
import type { Connection } from "./connection.ts";
import type { Hub } from "./hub.ts";
import { dispatch } from "./methods/index.ts";
import type { MethodServices } from "./methods/types.ts";
import type { GatewayMetrics } from "./metrics.ts";
import type { NodeLifecycle } from "./nodes/lifecycle.ts";
import { GatewayError, parseRequestFrame, type RequestFrame } from "./protocol/frames.ts";

export interface FrameRouterDeps {
  config: GatewayConfig;
  logger: Logger;
  metrics: GatewayMetrics;
  connect: ConnectHandler;
  services: MethodServices;
  hub: Hub;
  lifecycle: NodeLifecycle;
}

export class FrameRouter {
  /** Connections that have not authenticated yet (challenged or authenticating). */
  readonly pending = new Set<Connection>();
  private readonly tasks = new Set<Promise<unknown>>();

  constructor(private readonly deps: FrameRouterDeps) {}

  opened(conn: Connection): void {
    conn.onClosed = () => this.ended(conn);
    this.pending.add(conn);
    conn.sendChallenge();
  }

  /** uWS reports the socket closed (by either side). */
  socketClosed(conn: Connection): void {
    this.pending.delete(conn);
    conn.markClosed();
  }

  onMessage(conn: Connection, message: ArrayBuffer, isBinary: boolean): void {
    if (!conn.open) return;
    if (conn.state !== "ready" && message.byteLength > this.deps.config.preAuthMaxBytes) {
      this.deps.metrics.rejectedFrames.inc({ reason: "too-large" });
      conn.close(1009, "frame too large before authentication");
      return;
    }
    if (isBinary) {
      if (conn.state !== "ready") return void conn.close(1008, "invalid-handshake");
      return this.reject(conn, null, "malformed frame: binary frames are not supported", "binary");
    }
    this.onText(conn, Buffer.from(message).toString("utf8"));
  }

  private onText(conn: Connection, text: string): void {
    const { metrics, logger } = this.deps;
    const parsed = parseRequestFrame(text);
    if (conn.state === "challenged") {
      if (!parsed.ok || parsed.frame.method !== "connect") {
        metrics.rejectedFrames.inc({ reason: "handshake" });
        conn.replyError(parsed.ok ? parsed.frame.id : (parsed.id ?? ""), {
          code: "INVALID_REQUEST",
          message: parsed.ok ? "invalid handshake: the first request must be connect" : `invalid handshake: ${parsed.message}`,
          details: { code: "INVALID_HANDSHAKE" },
        });
        conn.close(1008, "invalid-handshake");
        return;
      }
      const connecting = this.deps.connect.run(conn, parsed.frame.id, parsed.frame.params, () => this.pending.delete(conn));
      this.track(connecting.catch((error: Error) => {
        logger.error({ err: error.message, connId: conn.connId }, "connect handling failed");
        conn.close(1011, "internal error");
      }));
      return;
    }
    if (conn.state === "authenticating") {
      metrics.rejectedFrames.inc({ reason: "handshake" });
      conn.close(1008, "invalid-handshake");
      return;
    }
    if (!parsed.ok) return this.reject(conn, parsed.id, parsed.message, "malformed");
    this.request(conn, parsed.frame);
  }

  private request(conn: Connection, { id, method, params }: RequestFrame): void {
    const { metrics, logger, services } = this.deps;
    if (!conn.takeToken()) {
      metrics.rejectedFrames.inc({ reason: "rate" });
      conn.replyError(id, { code: "UNAVAILABLE", message: "rate limited", retryable: true, retryAfterMs: 1000, details: { code: "RATE_LIMITED" } });
      return;
    }
    if (method === "connect") return this.reject(conn, id, "already connected", "reconnect");
    this.track(dispatch({ ...services, conn }, method, params).then(
      (payload) => conn.reply(id, payload),
      (error: unknown) => {
        if (error instanceof GatewayError) return conn.replyError(id, error.shape);
        logger.error({ err: (error as Error).message, method, connId: conn.connId, userId: conn.userId }, "method failed");
        conn.replyError(id, { code: "UNAVAILABLE", message: "internal error", retryable: true });
      },
    ));
  }

  /** A bad frame after the handshake: answered, counted, and too many of them close the connection. */
  private reject(conn: Connection, id: string | null, message: string, reason: string): void {
    this.deps.metrics.rejectedFrames.inc({ reason });
    conn.offences += 1;
    conn.replyError(id ?? "", { code: "INVALID_REQUEST", message });
    if (conn.offences >= this.deps.config.maxOffences) conn.close(1008, "too many invalid frames");
  }

  /** Detach work runs when a connection ends, whoever ended it. */
  private ended(conn: Connection): void {
    const p = conn.principal;
    if (!p) return;
    if (p.role === "operator") this.deps.hub.detachOperator(conn);
    else this.track(this.deps.lifecycle.detach(conn).catch((error: Error) => this.deps.logger.warn({ err: error.message }, "node detach failed")));
  }

  /** Closes connections still unauthenticated after the handshake deadline. */
  expireHandshakes(now = Date.now()): void {
    for (const conn of this.pending) {
      if (now - conn.openedAt > this.deps.config.handshakeTimeoutMs) {
        this.pending.delete(conn);
        conn.close(1008, "handshake timeout");
      }
    }
  }

  /** Waits for every task a frame or a close started, including those started meanwhile (a closing node's detach). */
  async drain(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }

  private track(task: Promise<unknown>): void {
    const settled = task.catch((error: Error) => this.deps.logger.error({ err: error?.message }, "connection task failed"));
    this.tasks.add(settled);
    void settled.finally(() => this.tasks.delete(settled));
  }
}
