// The embedded S3-compatible server for local use and tests: s3rver on loopback, storing under
// <dataDir>/s3. The supervisor runs it only when S3_ENDPOINT is unset; everything else reaches it
// through lib/storage.ts, the same code path that talks to MinIO in docker compose.
//
// s3rver checks the access key id but not SigV4 signatures (so any secret works) and ignores
// POST-policy limits: nothing may rely on it to enforce size, type or ownership.
import "../lib/polyfills.ts";
import { mkdir } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadConfig, type Config } from "../lib/config.ts";
import { createLogger } from "../lib/logger.ts";

// s3rver is CommonJS without type declarations; these are the parts we use.
interface S3rverOptions {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string }[];
}
interface S3rver {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
interface S3rverAccount {
  createKeyPair(accessKeyId: string, secretAccessKey: string): void;
}
const require = createRequire(import.meta.url);
const S3rver = require("s3rver") as new (options: S3rverOptions) => S3rver;

export interface LocalS3 {
  url: string;
  close(): Promise<void>;
}

/** Starts s3rver with the configured bucket already created (s3rver makes it before listening). */
export async function startLocalS3(config: Pick<Config, "s3" | "dataDir">): Promise<LocalS3> {
  const directory = path.join(config.dataDir, "s3");
  await mkdir(directory, { recursive: true });
  // s3rver only knows its built-in "S3RVER" key id; register the configured one so a custom
  // S3_ACCESS_KEY works locally exactly as it would against MinIO.
  const { DUMMY_ACCOUNT } = require("s3rver/lib/models/account.js") as { DUMMY_ACCOUNT: S3rverAccount };
  DUMMY_ACCOUNT.createKeyPair(config.s3.accessKey, config.s3.secretKey);

  const server = new S3rver({
    address: "127.0.0.1",
    port: config.s3.port,
    directory,
    // Its own logger is unstructured text; we log start and stop ourselves.
    silent: true,
    configureBuckets: [{ name: config.s3.bucket }],
  });
  const address = await server.run();
  return {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      const closed = server.close();
      // Idle keep-alive sockets from clients would otherwise hold close() open.
      server.httpServer?.closeIdleConnections();
      await closed;
    },
  };
}

async function main(): Promise<void> {
  const log = createLogger("local-s3");
  const config = loadConfig();
  let s3: LocalS3;
  try {
    s3 = await startLocalS3(config);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      code === "EADDRINUSE" ? `port ${config.s3.port} is already in use (set S3_PORT)` : (error as Error).message;
    log.error({ port: config.s3.port, code }, `local S3 server could not start: ${reason}`);
    process.exit(1);
  }
  log.info({ url: s3.url, bucket: config.s3.bucket, dataDir: path.join(config.dataDir, "s3") }, "local S3 server listening");

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping local S3 server");
    // Requests still in flight after a few seconds are abandoned rather than blocking shutdown.
    setTimeout(() => {
      log.warn("open connections did not finish in time; exiting anyway");
      process.exit(0);
    }, 5_000).unref();
    s3.close().then(
      () => {
        log.info("local S3 server stopped");
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, "local S3 server failed to close cleanly");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
