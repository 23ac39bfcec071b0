// The embedded S3-compatible server for local use and tests: s3rver on loopback, storing under
// <dataDir>/s3. The supervisor runs it only when S3_ENDPOINT is unset; everything else reaches it
// through lib/storage.ts, the same code path that talks to MinIO in docker compose.
//
// Loopback is shared with every local process, and s3rver checks only the access key id. So the
// first thing each request meets is a SigV4 check (lib/sigv4.ts) against the configured key pair
// (by default this install's generated one, lib/config.ts): unsigned, wrongly signed, re-pathed
// and expired requests get an S3 error before s3rver routes them. (Browser POST-policy uploads
// carry no request signature, so they are refused too; s3rver would ignore their limits anyway.)
// A valid signature is all it checks: nothing may rely on it to enforce size, type or ownership.
import "../lib/polyfills.ts";
import { mkdir } from "node:fs/promises";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadConfig, type Config } from "../lib/config.ts";
import { createLogger } from "../lib/logger.ts";
import { SignatureError, verifySignatureV4, type S3Credentials } from "../lib/sigv4.ts";

// s3rver is CommonJS without type declarations; these are the parts we use.
interface S3rverOptions {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string }[];
}
/** s3rver is a Koa application: `middleware` runs in array order, and an S3Error thrown by any of it is answered as S3's XML error. */
type Middleware = (ctx: { method: string; req: IncomingMessage }, next: () => Promise<void>) => Promise<void>;
interface S3rver {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
  middleware: Middleware[];
}
interface S3rverAccount {
  createKeyPair(accessKeyId: string, secretAccessKey: string): void;
}
const require = createRequire(import.meta.url);
const S3rver = require("s3rver") as new (options: S3rverOptions) => S3rver;
const S3Error = require("s3rver/lib/models/error.js") as new (code: string, message: string) => Error;

/** Refuses every request not signed with `credentials`, as S3 would, before s3rver sees it. */
function requireSignature(credentials: S3Credentials, region: string): Middleware {
  return async (ctx, next) => {
    try {
      verifySignatureV4({ method: ctx.method, url: ctx.req.url ?? "", headers: ctx.req.headersDistinct }, credentials, region);
    } catch (error) {
      throw error instanceof SignatureError ? new S3Error(error.code, error.message) : error;
    }
    await next();
  };
}

export interface LocalS3 {
  url: string;
  close(): Promise<void>;
}

/** Starts s3rver with the configured bucket already created (s3rver makes it before listening). */
export async function startLocalS3(config: Pick<Config, "s3" | "dataDir">): Promise<LocalS3> {
  const directory = path.join(config.dataDir, "s3");
  await mkdir(directory, { recursive: true });
  // s3rver's own check wants the key id in its registry. Its built-in "S3RVER" pair stays there
  // but gets nowhere: the signature check accepts the configured pair only.
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
  // First in line: no s3rver code (routing, CORS, website hosting) runs for an unsigned request.
  server.middleware.unshift(requireSignature(config.s3, config.s3.region));
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
