// Connection pools for the run-time login roles. No process connects as the owner or a superuser
// at run time: the API and gateway use the authenticator, the worker its own role. Tenant data is
// reached only through db/tenant.ts on these pools.
import pg from "pg";
import pgvector from "pgvector/pg";
import type { Config } from "../lib/config.ts";
import type { Logger } from "../lib/logger.ts";

export type Pool = pg.Pool;

export interface PoolOptions {
  max?: number;
  applicationName?: string;
  logger?: Logger;
}

export function createPool(connectionString: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "openclaw",
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    // Vectors come back as number[] and go in with pgvector.toSql().
    onConnect: (client) => pgvector.registerTypes(client),
  } as pg.PoolConfig & { onConnect: (client: pg.ClientBase) => Promise<void> });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on("error", (error) => options.logger?.warn({ err: error.message }, "idle database connection failed"));
  return pool;
}

/** The API's and gateway's pool: it can do nothing until db/tenant.ts switches role. */
export function createAuthenticatorPool(config: Config, options: PoolOptions = {}): pg.Pool {
  return createPool(config.authenticatorUrl, options);
}

/** The worker's pool: the job queue directly, tenant data only through db/tenant.ts. */
export function createWorkerPool(config: Config, options: PoolOptions = {}): pg.Pool {
  return createPool(config.workerUrl, options);
}
