import { defineConfig } from "vitest/config";
import { loadConfig, databaseName, withDatabase } from "./lib/config.ts";

// The suite runs against "<name>_test", which `npm test` (scripts/setup.ts --test) recreates
// from the committed migrations before vitest starts.
const base = loadConfig().databaseUrl;
const testDatabaseUrl = withDatabase(base, `${databaseName(base)}_test`);

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    env: { DATABASE_URL: testDatabaseUrl, LOG_LEVEL: "warn" },
    // Files share one database and the cluster's roles; running them one at a time keeps
    // catalog-wide checks from seeing another file's scratch objects half-made.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
