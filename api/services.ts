// What the API's own code (plugins, health checks) needs, made once per process: the
// authenticator pool for db/tenant.ts, Redis, the token service, object storage. PostGraphile keeps its own pool.
import type pg from "pg";
import { createAuthenticatorPool } from "../db/pools.ts";
import { createSessionGuard, type SessionGuard } from "../db/sessions.ts";
import { loadConfig, type Config } from "../lib/config.ts";
import { createEmbedder, type Embedder } from "../lib/embeddings/index.ts";
import { createLogger, type Logger } from "../lib/logger.ts";
import { createRedis, type Redis } from "../lib/redis.ts";
import { createStorage, type Storage } from "../lib/storage.ts";
import { createTokenService, type TokenService } from "../lib/tokens.ts";

export interface ApiServices {
  config: Config;
  pool: pg.Pool;
  redis: Redis;
  tokens: TokenService;
  /** Whether a verified token's sign-in is still live, and its user's current role. */
  sessions: SessionGuard;
  logger: Logger;
  /** Object storage (S3/MinIO, or the embedded server on loopback). */
  storage: Storage;
  /** Embeds search texts with the model the worker embeds rows with. */
  embedder: Embedder;
}

let services: Promise<ApiServices> | null = null;

export function getApiServices(): Promise<ApiServices> {
  services ??= (async () => {
    const config = loadConfig();
    const logger = createLogger("api");
    const pool = createAuthenticatorPool(config, { max: 5, applicationName: "openclaw-api", logger });
    return {
      config,
      logger,
      pool,
      redis: createRedis(config, "openclaw-api"),
      tokens: await createTokenService(config),
      sessions: await createSessionGuard({ pool, subscriber: createRedis(config, "openclaw-api-sessions"), auth: config.auth, logger }),
      storage: createStorage(config),
      embedder: createEmbedder(config.embeddings),
    };
  })();
  return services;
}

export async function closeApiServices(): Promise<void> {
  if (!services) return;
  const s = await services;
  services = null;
  await s.sessions.close();
  await Promise.allSettled([s.pool.end(), s.redis.quit()]);
}
