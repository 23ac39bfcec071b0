// The worker: graphile-worker running the platform's tasks, each in its job user's tenant context,
// with /healthz, /readyz and /metrics on WORKER_PORT. SIGTERM stops taking jobs and lets running
// ones finish (graphile-worker releases what it cannot finish, so it runs again later).
import "../lib/polyfills.ts";
import { createServer, type Server } from "node:http";
import { pathToFileURL } from "node:url";
import { EventEmitter } from "node:events";
import { Logger as WorkerLogger, run, type JobHelpers, type Runner, type TaskList, type WorkerEvents } from "graphile-worker";
import type pg from "pg";
import client from "prom-client";
import { createWorkerPool } from "../db/pools.ts";
import { loadConfig, type Config } from "../lib/config.ts";
import { createLogger, type Logger } from "../lib/logger.ts";
import { createMetrics, watchPool } from "../lib/metrics.ts";
import { runService } from "../lib/service.ts";
import { createEmbedder, embedderId } from "../lib/embeddings/index.ts";
import { createRedis } from "../lib/redis.ts";
import { createStorage } from "../lib/storage.ts";
import { BadPayloadError, type Attempt } from "./job-context.ts";
import { createLiveness } from "./liveness.ts";
import { checkSkillPackageTask } from "./tasks/check-skill-package.ts";
import { extractMemoriesTask } from "./tasks/extract-memories.ts";
import { quotaRolloverTask, retentionTask } from "./tasks/housekeeping.ts";
import { ingestFileTask } from "./tasks/ingest-file.ts";
import { reembedTask } from "./tasks/reembed.ts";
import { summarizeConversationTask } from "./tasks/summarize-conversation.ts";

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
  const embedder = createEmbedder(config.embeddings);
  const redis = createRedis(config, "openclaw-worker");
  const liveness = createLiveness({ pool, redis, ttlMs: config.worker.livenessTtlMs, logger });
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
  const task = (name: string, body: (payload: unknown, attempt: Attempt) => Promise<void>) => async (payload: unknown, helpers: JobHelpers) => {
    const end = duration.startTimer({ task: name });
    try {
      await body(payload, { last: helpers.job.attempts >= helpers.job.max_attempts });
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

  const w = config.worker;
  const taskList: TaskList = {
    check_skill_package: task("check_skill_package", checkSkillPackageTask({ pool, storage, skills: config.skills, logger })),
    extract_memories: task("extract_memories", extractMemoriesTask({ pool, embedder, memory: w.memory, logger })),
    summarize_conversation: task("summarize_conversation", summarizeConversationTask({ pool, summary: w.summary, logger })),
    ingest_file: task("ingest_file", ingestFileTask({ pool, storage, embedder, files: config.files, ingest: w.ingest, logger })),
    reembed: task("reembed", reembedTask({ pool, embedder, logger })),
    quota_rollover: task("quota_rollover", quotaRolloverTask({ pool, logger })),
    retention: task("retention", retentionTask({ pool, storage, retention: w.retention, logger })),
  };

  // Listeners go on before run(): graphile-worker creates its workers (worker:create) inside it.
  const events: WorkerEvents = new EventEmitter() as WorkerEvents;
  events.on("worker:create", ({ worker }) => liveness.add(worker.workerId));
  events.on("worker:stop", ({ worker }) => liveness.remove(worker.workerId));
  const runner: Runner = await run({
    events,
    pgPool: pool,
    taskList,
    concurrency: config.worker.concurrency,
    pollInterval: config.worker.pollIntervalMs,
    noHandleSignals: true,
    // ";" separates lines too, so the whole crontab fits in one environment variable.
    crontab: w.crontab.replace(/;/g, "\n"),
    logger: new WorkerLogger(() => (level, message, meta) => {
      const method = level === "error" ? "error" : level === "warning" ? "warn" : level === "info" ? "info" : "debug";
      logger[method]({ ...(meta ?? {}) }, message);
    }),
  });

  // Jobs held by workers that died are given back now rather than in four hours.
  void liveness.reap().catch((error: Error) => logger.warn({ err: error.message }, "dead worker check failed"));
  // Rows another embedding model made (or none made yet) are embedded again with this one.
  void queueReembeds().catch((error: Error) => logger.warn({ err: error.message }, "could not queue re-embedding"));

  async function queueReembeds(): Promise<void> {
    const { rows } = await pool.query<{ id: string }>("select id from app_hidden.users_needing_reembed($1, 10000) id", [embedderId(embedder)]);
    for (const r of rows) await runner.addJob("reembed", { user_id: r.id }, { jobKey: `reembed:${r.id}` });
    if (rows.length > 0) logger.info({ users: rows.length, model: embedderId(embedder) }, "re-embedding queued");
  }

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
        // Running jobs get the grace period to finish; what is still running then is failed back
        // to the queue (released, to run again after a short backoff), so SIGTERM ends the process
        // in bounded time and loses nothing.
        let graceTimer: NodeJS.Timeout | undefined;
        const graceOver = new Promise<"over">((resolve) => (graceTimer = setTimeout(() => resolve("over"), config.worker.shutdownGraceMs)));
        const stopped = runner.stop().then(() => "stopped" as const);
        if ((await Promise.race([stopped, graceOver])) === "over") {
          logger.warn({ graceMs: config.worker.shutdownGraceMs }, "jobs still running at the end of the grace period: releasing them");
          // The job's own code may still be waiting (e.g. on a model API); the process ends anyway.
          await runner.kill("shutdown grace period over").catch((error: Error) => logger.error({ err: error.message }, "releasing running jobs failed"));
          stopped.catch(() => undefined);
        }
        clearTimeout(graceTimer);
        await liveness.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await pool.end();
        redis.disconnect();
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
