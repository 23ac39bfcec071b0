// What the gateway hands the agent runtime when it starts it; shared by the runtime's parts.
import type pg from "pg";
import type { AgentConfig } from "../lib/config.ts";
import type { Embedder } from "../lib/embeddings/index.ts";
import type { Logger } from "../lib/logger.ts";
import type { Redis } from "../lib/redis.ts";
import type { DeviceAccess } from "./tools.ts";

export interface AgentDeps {
  instanceId: string;
  pool: pg.Pool;
  redis: Redis;
  embedder: Embedder;
  devices: DeviceAccess;
  config: AgentConfig;
  invokeTimeoutMs: number;
  maxInvokeTimeoutMs: number;
  logger: Logger;
}
