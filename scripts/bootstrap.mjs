#!/usr/bin/env node
// First step of `npm start`, `npm test` and `npm run migrate` on any machine, fresh or not.
// Plain JavaScript with no dependencies because it runs before node_modules exists:
// it installs npm dependencies when the lockfile changed, then hands over to the
// TypeScript setup (services, pgvector, roles, database, migrations).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const lockfile = path.join(root, "package-lock.json");
const stamp = path.join(root, "node_modules", ".openclaw-lock-hash");

function fail(message) {
  console.error(`bootstrap: ${message}`);
  process.exit(1);
}

function ensureDependencies() {
  if (!existsSync(lockfile)) fail("package-lock.json is missing; the repository checkout is incomplete.");
  const hash = createHash("sha256").update(readFileSync(lockfile)).digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return;
  console.error("bootstrap: installing npm dependencies (npm ci)...");
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  if (result.error) fail(`could not run npm: ${result.error.message}`);
  if (result.status !== 0) fail("`npm ci` failed (see above). Is the npm registry reachable?");
  writeFileSync(stamp, hash);
}

ensureDependencies();
const setup = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts", "setup.ts"), ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
if (setup.error) fail(setup.error.message);
process.exit(setup.status ?? 1);
