// Developer entry to the graphile-migrate CLI with this project's connection strings:
//   npm run db -- watch | commit -m "message" | uncommit | reset --erase | status
// The shadow database (<name>_shadow) is where `commit` proves the migrations apply from zero.
import "../lib/polyfills.ts";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { loadConfig, databaseName, withDatabase, ROOT_DIR } from "../lib/config.ts";

const config = loadConfig();
const shadow = withDatabase(config.ownerUrl, `${databaseName(config.databaseUrl)}_shadow`);
const result = spawnSync(path.join(ROOT_DIR, "node_modules", ".bin", "graphile-migrate"), process.argv.slice(2), {
  cwd: ROOT_DIR,
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: config.ownerUrl,
    SHADOW_DATABASE_URL: shadow,
    ROOT_DATABASE_URL: config.rootDatabaseUrl,
  },
});
process.exit(result.status ?? 1);
