import { defineConfig } from "vitest/config";
import { loadConfig, databaseName, withDatabase } from "./lib/config.ts";

// The suite runs against "<name>_test", which `npm test` (scripts/setup.ts --test) recreates
// from the committed migrations before vitest starts.
const base = loadConfig().databaseUrl;
const testDatabaseUrl = withDatabase(base, `${databaseName(base)}_test`);
// A Redis database of its own (flushed by global-setup.ts), so a dev stack's keys stay untouched.
const testRedisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/1";
process.env.REDIS_URL = testRedisUrl;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    env: {
      DATABASE_URL: testDatabaseUrl,
      REDIS_URL: testRedisUrl,
      LOG_LEVEL: "warn",
      // Every test signs in from 127.0.0.1; the per-IP limit has its own test.
      LOGIN_LIMIT_PER_IP: "10000",
      // Likewise for failed gateway connects per address; authority.test.ts tests a small one.
      GATEWAY_AUTH_FAIL_LIMIT_PER_IP: "100000",
    },
    globalSetup: ["test/global-setup.ts"],
    // Files share one database and the cluster's roles; running them one at a time keeps
    // catalog-wide checks from seeing another file's scratch objects half-made.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
