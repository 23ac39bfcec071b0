// The `npm start` supervisor as real processes: it starts the local S3 server on a free port,
// says when it is ready, refuses to start twice on the same ports, and stops cleanly on SIGINT.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, localS3Credentials, ROOT_DIR } from "../lib/config.ts";
import { createStorage } from "../lib/storage.ts";
import { freePort } from "./support/ports.ts";

interface Supervisor {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startSupervisor(env: NodeJS.ProcessEnv): Supervisor {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/supervisor.ts"], {
    cwd: ROOT_DIR,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so cleanup can take down the supervisor and its children together.
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

async function waitForOutput(supervisor: Supervisor, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(supervisor.output())) {
    if (supervisor.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`no ${pattern} in supervisor output:\n${supervisor.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms)),
  ]);
}


function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer().once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

let dataDir: string;
let port: number;
let apiPort: number;
let gatewayPort: number;
let workerPort: number;
let env: NodeJS.ProcessEnv;
const started: Supervisor[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "openclaw-supervisor-"));
  port = await freePort();
  apiPort = await freePort();
  gatewayPort = await freePort();
  workerPort = await freePort();
  env = {
    ...process.env,
    S3_PORT: String(port),
    API_PORT: String(apiPort),
    GATEWAY_PORT: String(gatewayPort),
    WORKER_PORT: String(workerPort),
    DATA_DIR: dataDir,
  };
  // The local S3 server only runs when no external endpoint is configured.
  delete env.S3_ENDPOINT;
});

afterAll(async () => {
  for (const supervisor of started) {
    if (supervisor.child.exitCode === null && supervisor.child.signalCode === null) {
      process.kill(-supervisor.child.pid!, "SIGKILL");
    }
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("supervisor", () => {
  it("runs the local stack, refuses a second start on the same ports, and stops on SIGINT", async () => {
    const first = startSupervisor(env);
    started.push(first);
    await waitForOutput(first, new RegExp(`\\[supervisor\\] ready: s3 http://127\\.0\\.0\\.1:${port}`), 30_000);
    // The API answers too, ready (Postgres and Redis reachable) and serving GraphQL.
    expect((await fetch(`http://127.0.0.1:${apiPort}/readyz`)).status).toBe(200);
    const typename = await fetch(`http://127.0.0.1:${apiPort}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(await typename.json()).toEqual({ data: { __typename: "Query" } });
    // The gateway answers on its port: ready, and a WebSocket gets the OpenClaw challenge.
    expect(first.output()).toContain(`gateway ws://127.0.0.1:${gatewayPort}`);
    expect((await fetch(`http://127.0.0.1:${gatewayPort}/readyz`)).status).toBe(200);
    const challenge = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${gatewayPort}`);
      ws.once("message", (data) => {
        resolve(data.toString());
        ws.close();
      });
      ws.once("error", reject);
    });
    expect(JSON.parse(challenge)).toMatchObject({ type: "event", event: "connect.challenge" });
    // The worker is up and reports its metrics.
    expect(first.output()).toContain(`worker http://127.0.0.1:${workerPort}/metrics`);
    expect((await fetch(`http://127.0.0.1:${workerPort}/readyz`)).status).toBe(200);

    // The S3 server it started answers through lib/storage.ts, with the configured bucket made,
    // to the key pair its processes generated into their data folder, and to no other.
    const s3 = { ...loadConfig().s3, endpoint: null, port };
    const storage = createStorage({ s3: { ...s3, ...localS3Credentials(dataDir) } });
    expect(await storage.ping()).toBe(true);
    await expect(createStorage({ s3: { ...s3, accessKey: "S3RVER", secretKey: "S3RVER" } }).ping()).rejects.toThrow();
    const key = `supervisor-test/${randomUUID()}`;
    await storage.putObject(key, "ping", "text/plain");
    expect(await storage.statObject(key)).toMatchObject({ size: 4, contentType: "text/plain" });

    const second = startSupervisor(env);
    started.push(second);
    const secondExit = await withTimeout(second.exited, 15_000, "the second supervisor's exit");
    expect(secondExit.code).not.toBe(0);
    expect(second.output()).toContain(
      `port ${port} (s3) is already in use: is another "npm start" running? Stop it or set S3_PORT.`,
    );
    expect(second.output()).not.toContain("[s3]"); // it spawned nothing

    first.child.kill("SIGINT");
    const firstExit = await withTimeout(first.exited, 10_000, "shutdown after SIGINT");
    expect(firstExit).toEqual({ code: 0, signal: null });
    expect(first.output()).toContain("[supervisor] stopped.");
    expect(await portIsFree(port)).toBe(true);
    expect(await portIsFree(apiPort)).toBe(true);
    expect(await portIsFree(gatewayPort)).toBe(true);
    expect(await portIsFree(workerPort)).toBe(true);
  }, 90_000);
});
