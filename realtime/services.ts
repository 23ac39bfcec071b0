// What the gateway talks to, opened together at start: the authenticator pool, Redis (commands,
// a subscriber, and the session guard's own subscriber), the token verifier, the session guard,
// and the process's metrics registry.
import type pg from "pg";
import { createAuthenticatorPool } from "../db/pools.ts";
import { createSessionGuard, type SessionGuard } from "../db/sessions.ts";
import type { Config } from "../lib/config.ts";
import type { Logger } from "../lib/logger.ts";
import { createMetrics, watchPool, type Metrics } from "../lib/metrics.ts";
import { createRedis, type Redis } from "../lib/redis.ts";
import { createTokenService, type TokenService } from "../lib/tokens.ts";

export interface GatewayServices {
  pool: pg.Pool;
  redis: Redis;
  subscriber: Redis;
  tokens: TokenService;
  sessions: SessionGuard;
  metrics: Metrics;
}

export async function openServices(config: Config, logger: Logger): Promise<GatewayServices> {
  const pool = createAuthenticatorPool(config, { max: 10, applicationName: "openclaw-gateway", logger });
  const redis = createRedis(config, "openclaw-gateway");
  const subscriber = createRedis(config, "openclaw-gateway-sub");
  const tokens = await createTokenService(config);
  const sessions = await createSessionGuard({ pool, subscriber: createRedis(config, "openclaw-gateway-sessions"), auth: config.auth, logger });
  const metrics = createMetrics("gateway");
  watchPool(metrics, "authenticator", pool);
  return { pool, redis, subscriber, tokens, sessions, metrics };
}
