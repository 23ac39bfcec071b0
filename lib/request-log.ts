// One structured log line per API request when it finishes: its id (the caller's X-Request-Id
// when it is a sane token, else a fresh one, echoed back in the response), method, route,
// status, duration and the signed-in user's id. Never the query, variables, headers or body:
// they hold passwords, tokens and message text. Health and metrics probes log at debug.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "./logger.ts";

const SANE_ID = /^[A-Za-z0-9._-]{8,128}$/;
const PROBES = new Set(["/healthz", "/readyz", "/metrics"]);

export function requestLog(logger: Logger, req: IncomingMessage, res: ServerResponse, path: string, newId: () => string): string {
  const given = req.headers["x-request-id"];
  const reqId = typeof given === "string" && SANE_ID.test(given) ? given : newId();
  res.setHeader("X-Request-Id", reqId);
  const started = performance.now();
  res.once("finish", () => {
    const entry = {
      reqId,
      method: req.method,
      route: path.length > 100 ? `${path.slice(0, 100)}…` : path,
      status: res.statusCode,
      ms: Math.round((performance.now() - started) * 10) / 10,
      userId: (req as { openclawUserId?: string }).openclawUserId,
    };
    if (PROBES.has(path)) logger.debug(entry, "request");
    else logger.info(entry, "request");
  });
  return reqId;
}
