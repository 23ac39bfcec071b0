// The WebSocket endpoint on every path: uWS limits (payload cap, backpressure close, idle pings),
// the client's address at upgrade, and a Connection per socket handed to the frame router.
import type { TemplatedApp, WebSocket } from "uWebSockets.js";
import type { Config } from "../../lib/config.ts";
import { clientIp } from "../../lib/client-ip.ts";
import { Connection, type SocketData } from "../connection.ts";
import type { FrameRouter } from "../frame-router.ts";
import type { GatewayMetrics } from "../metrics.ts";
import type { Uws } from "../uws.ts";

export function installWebSocket(app: TemplatedApp, uws: Uws, deps: { config: Config; router: FrameRouter; metrics: GatewayMetrics }): void {
  const { config, router, metrics } = deps;
  const gw = config.gateway;
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
      const conn = new Connection(ws, data.remoteIp, gw, () => metrics.slowConsumers.inc());
      data.conn = conn;
      router.opened(conn);
    },
    message: (ws, message, isBinary) => {
      const conn = ws.getUserData().conn;
      if (conn) router.onMessage(conn, message, isBinary);
    },
    close: (ws) => {
      const conn = ws.getUserData().conn;
      if (conn) router.socketClosed(conn);
    },
  });
}
