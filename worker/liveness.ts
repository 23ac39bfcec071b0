// Jobs of a worker that died. graphile-worker gives a locked job to another worker only after
// four hours; a worker process killed mid-job (SIGKILL, OOM, a lost machine) would hold its jobs
// that long. Every worker of this process keeps a heartbeat key in Redis; every process
// periodically looks at the queue's lock holders and unlocks the jobs of workers without a
// heartbeat (graphile_worker.force_unlock_workers), so they run again within about one TTL.
// Tasks are idempotent, so a job that did finish its work before the crash changes nothing the
// second time.
import type pg from "pg";
import type { Logger } from "../lib/logger.ts";
import type { Redis } from "../lib/redis.ts";
import { redisKeys } from "../lib/redis-keys.ts";

const key = redisKeys.workerAlive;

export interface Liveness {
  /** Starts beating for a worker of this process. */
  add(workerId: string): void;
  /** Stops beating for it (it stopped cleanly) and forgets its key. */
  remove(workerId: string): void;
  /** One pass: unlocks the jobs of lock holders without a heartbeat; returns their ids. */
  reap(): Promise<string[]>;
  close(): Promise<void>;
}

export function createLiveness(options: { pool: pg.Pool; redis: Redis; ttlMs: number; logger: Logger }): Liveness {
  const { pool, redis, ttlMs, logger } = options;
  const mine = new Set<string>();
  const beat = async () => {
    if (mine.size === 0) return;
    const multi = redis.multi();
    for (const id of mine) multi.set(key(id), String(process.pid), "PX", ttlMs);
    await multi.exec();
  };
  const reap = async (): Promise<string[]> => {
    // Only locks older than a TTL: a worker that just took a job has surely beaten by then.
    const { rows } = await pool.query<{ locked_by: string }>(
      `select distinct locked_by from graphile_worker._private_jobs
        where locked_by is not null and locked_at < now() - make_interval(secs => $1::double precision / 1000)`,
      [ttlMs],
    );
    const holders = rows.map((r) => r.locked_by).filter((id) => !mine.has(id));
    if (holders.length === 0) return [];
    const alive = await redis.mget(holders.map(key));
    const dead = holders.filter((_, i) => alive[i] === null);
    if (dead.length > 0) {
      await pool.query("select graphile_worker.force_unlock_workers($1::text[])", [dead]);
      logger.warn({ workers: dead }, "unlocked the jobs of workers that stopped without releasing them");
    }
    return dead;
  };
  const beatTimer = setInterval(() => void beat().catch((e: Error) => logger.warn({ err: e.message }, "worker heartbeat failed")), Math.max(250, Math.floor(ttlMs / 3)));
  const reapTimer = setInterval(() => void reap().catch((e: Error) => logger.warn({ err: e.message }, "dead worker check failed")), ttlMs);
  beatTimer.unref();
  reapTimer.unref();
  return {
    add(workerId) {
      mine.add(workerId);
      void redis.set(key(workerId), String(process.pid), "PX", ttlMs).catch(() => undefined);
    },
    remove(workerId) {
      mine.delete(workerId);
      void redis.del(key(workerId)).catch(() => undefined);
    },
    reap,
    async close() {
      clearInterval(beatTimer);
      clearInterval(reapTimer);
      if (mine.size > 0) await redis.del(...[...mine].map(key)).catch(() => undefined);
      mine.clear();
    },
  };
}
