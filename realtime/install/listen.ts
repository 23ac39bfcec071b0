// Listening on the gateway's port. Connections this gateway closed linger in TIME_WAIT on its
// port for a minute, and this uWS build binds without SO_REUSEADDR: a restart on the same port
// waits for them (up to retryMs) instead of failing.
import type { TemplatedApp, us_listen_socket } from "uWebSockets.js";
import type { Logger } from "../../lib/logger.ts";

const RETRY_EVERY_MS = 500;

/** The listen socket, or false when the port stayed busy. Port 0 (any free port) is tried once. */
export async function listen(
  app: TemplatedApp,
  options: { host: string; port: number; retryMs: number; logger: Logger },
): Promise<us_listen_socket | false> {
  const { host, port, logger } = options;
  const tryListen = () => new Promise<us_listen_socket | false>((resolve) => app.listen(host, port, (socket) => resolve(socket)));
  let socket = await tryListen();
  const giveUpAt = Date.now() + (port === 0 ? 0 : options.retryMs);
  if (!socket && Date.now() < giveUpAt) logger.warn({ port }, "port busy (the previous run's connections may be in TIME_WAIT); retrying");
  while (!socket && Date.now() < giveUpAt) {
    await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
    socket = await tryListen();
  }
  return socket;
}
