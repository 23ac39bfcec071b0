// The worker as a real child process (node --import tsx worker/main.ts), as the suites that test
// its tasks start it: its own port, the suite's S3 server, fast polling, output kept for messages.
import { spawn, type ChildProcess } from "node:child_process";
import type pg from "pg";
import { ROOT_DIR } from "../../lib/config.ts";
import { freePort } from "./ports.ts";

export interface WorkerProcess {
  port: number;
  child: ChildProcess;
  output(): string;
  /** SIGTERM, and the exit code once it is gone. */
  stop(): Promise<number | null>;
  /** SIGKILL: no clean-up of any kind. */
  kill(): Promise<void>;
}

export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const port = await freePort();
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "worker/main.ts"], {
    cwd: ROOT_DIR,
    env: { ...process.env, WORKER_PORT: String(port), WORKER_POLL_INTERVAL_MS: "200", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  for (let i = 0; ; i++) {
    if (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)) break;
    if (i > 300 || child.exitCode !== null) throw new Error(`worker did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Polls `probe` until it returns something other than undefined (or throws with `context()` after the timeout). */
export async function eventually<T>(probe: () => Promise<T | undefined>, context: () => string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting:\n${context().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until no job with this key is left in the queue (the worker took and finished it). */
export async function jobGone(root: pg.Pool, key: string, context: () => string, timeoutMs = 30_000): Promise<void> {
  await eventually(
    async () => ((await root.query("select 1 from graphile_worker.jobs where key = $1", [key])).rowCount === 0 ? true : undefined),
    context,
    timeoutMs,
  );
}
