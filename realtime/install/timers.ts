// The gateway's clocks: `tick` to every ready connection, the handshake deadline, and this
// instance's presence key in Redis (other instances treat routes of an instance without one as dead).
import type { GatewayConfig } from "../../lib/config.ts";
import type { Logger } from "../../lib/logger.ts";
import { publishGatewayPresence } from "../../lib/presence.ts";
import type { Redis } from "../../lib/redis.ts";
import type { FrameRouter } from "../frame-router.ts";
import type { Hub } from "../hub.ts";

const PRESENCE_REFRESH_MS = 10_000;
const PRESENCE_TTL_SECONDS = 30;
const HANDSHAKE_SWEEP_MS = 1000;

export interface TimersDeps {
  instanceId: string;
  config: GatewayConfig;
  redis: Redis;
  hub: Hub;
  router: FrameRouter;
  logger: Logger;
}

/** Refreshes openclaw:gateway:<instanceId> with this instance's connection counts. */
export function publishInstancePresence(deps: Pick<TimersDeps, "instanceId" | "redis" | "hub">): Promise<void> {
  const { instanceId, redis, hub } = deps;
  return publishGatewayPresence(redis, {
    instanceId,
    startedAt: new Date(hub.startedAt).toISOString(),
    updatedAt: new Date().toISOString(),
    ...hub.counts(),
  }, PRESENCE_TTL_SECONDS);
}

/** Starts the timers; the returned function stops them. */
export function installTimers(deps: TimersDeps): () => void {
  const { config, hub, router, logger } = deps;
  const ticker = setInterval(() => {
    const ts = Date.now();
    for (const conn of hub.ready) conn.sendEvent("tick", { ts });
  }, config.tickIntervalMs);
  const sweeper = setInterval(() => router.expireHandshakes(), HANDSHAKE_SWEEP_MS);
  const presence = setInterval(() => {
    publishInstancePresence(deps).catch((error: Error) => logger.warn({ err: error.message }, "presence refresh failed"));
  }, PRESENCE_REFRESH_MS);
  return () => {
    clearInterval(ticker);
    clearInterval(sweeper);
    clearInterval(presence);
  };
}
