// The worker: graphile-worker running the platform's tasks, each in its job user's tenant context,
// with /healthz, /readyz and /metrics on WORKER_PORT. SIGTERM stops taking jobs and lets running
// ones finish (graphile-worker releases what it cannot finish, so it runs again later).
import "../lib/polyfills.ts";
import { createServer, type Server } from "node:http";
import { pathToFileURL } from "node:url";
import { Logger as WorkerLogger, run, type Runner, type TaskList } from "graphile-worker";
import type pg from "pg";
import client from "prom-client";
import { createWorkerPool } from "../db/pools.ts";
import { loadConfig, type Config } from "../lib/config.ts";
import { createLogger, type Logger } from "../lib/logger.ts";
import { createMetrics, watchPool } from "../lib/metrics.ts";
import { runService } from "../lib/service.ts";
import { createStorage } from "../lib/storage.ts";
import { BadPayloadError } from "./job-context.ts";
import { checkSkillPackageTask } from "./tasks/check-skill-package.ts";

export interface Worker {
  port: number;
  close(): Promise<void>;
}

export async function startWorker(options: { port: number; config?: Config; logger?: Logger }): Promise<Worker> {
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? createLogger("worker");
  const pool: pg.Pool = createWorkerPool(config, { max: config.worker.concurrency + 2, applicationName: "openclaw-worker", logger });
  // graphile-worker wants an error handler on every client, not only on the pool.
  pool.on("connect", (c) => c.on("error", (error) => logger.warn({ err: error.message }, "worker database connection error")));
  const storage = createStorage(config);
  const metrics = createMetrics("worker");
  watchPool(metrics, "worker", pool);
  const jobs = new client.Counter({
    name: "openclaw_worker_jobs_total",
    help: "Jobs run by task and outcome",
    labelNames: ["task", "outcome"],
    registers: [metrics.registry],
  });
  const duration = new client.Histogram({
    name: "openclaw_worker_job_duration_seconds",
    help: "Job run time by task",
    labelNames: ["task"],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
    registers: [metrics.registry],
  });

  /** Counts, times and logs each run; a payload we cannot act on is logged and dropped, not retried. */
  const task = (name: string, body: (payload: unknown) => Promise<void>) => async (payload: unknown) => {
    const end = duration.startTimer({ task: name });
    try {
      await body(payload);
      jobs.inc({ task: name, outcome: "ok" });
    } catch (error) {
      if (error instanceof BadPayloadError) {
        jobs.inc({ task: name, outcome: "dropped" });
        logger.error({ task: name, err: error.message }, "job dropped: bad payload");
        return;
      }
      jobs.inc({ task: name, outcome: "failed" });
      logger.warn({ task: name, err: (error as Error).message }, "job failed; it will be retried");
      throw error;
    } finally {
      end();
    }
  };

  const taskList: TaskList = {
    check_skill_package: task("check_skill_package", checkSkillPackageTask({ pool, storage, skills: config.skills, logger })),
  };

  const runner: Runner = await run({
    pgPool: pool,
    taskList,
    concurrency: config.worker.concurrency,
    pollInterval: config.worker.pollIntervalMs,
    noHandleSignals: true,
    // Scheduled tasks are added with their issue; no crontab file is read.
    crontab: "",
    logger: new WorkerLogger(() => (level, message, meta) => {
      const method = level === "error" ? "error" : level === "warning" ? "warn" : level === "info" ? "info" : "debug";
      logger[method]({ ...(meta ?? {}) }, message);
    }),
  });

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const send = (status: number, type: string, body: string) => res.writeHead(status, { "content-type": type }).end(body);
    if (path === "/healthz") return send(200, "application/json", JSON.stringify({ status: "ok" }));
    if (path === "/readyz") {
      // A liveness query on the worker's own login (no tenant data: the worker role has no anonymous identity).
      void pool.query("select 1").then(
        () => send(200, "application/json", JSON.stringify({ postgres: "ok" })),
        (error: Error) => send(503, "application/json", JSON.stringify({ postgres: error.message })),
      );
      return;
    }
    if (path === "/metrics") {
      void metrics.registry.metrics().then((text) => send(200, metrics.registry.contentType, text));
      return;
    }
    send(404, "text/plain", "not found");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, process.env.WORKER_HOST ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  logger.info({ port, concurrency: config.worker.concurrency }, "worker running");

  let closing: Promise<void> | null = null;
  return {
    port,
    close() {
      closing ??= (async () => {
        await runner.stop();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await pool.end();
        logger.info("worker stopped");
      })();
      return closing;
    },
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger("worker");
  await runService({ name: "worker", logger, port: config.ports.worker, portEnv: "WORKER_PORT", start: () => startWorker({ port: config.ports.worker, config, logger }) });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
