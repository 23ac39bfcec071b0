// The scheduled tasks. They are not one tenant's work: they call the SECURITY DEFINER
// housekeeping functions (owned by the NOLOGIN maintenance role, callable only by the worker's
// login), which state in SQL exactly what they may read and change.
//   quota_rollover: ends expired subscriptions, opens every user's usage period for now.
//   retention: drops expired pairing codes and requests, old usage events, dead refresh tokens;
//   removes the objects of deleted files and of uploads never confirmed, and stored objects no
//   row refers to any more (left by deleted users or skills), then forgets those files.
import type pg from "pg";
import type { WorkerConfig } from "../../lib/config.ts";
import type { Logger } from "../../lib/logger.ts";
import type { Storage } from "../../lib/storage.ts";

export interface HousekeepingDeps {
  pool: pg.Pool;
  storage: Storage;
  retention: WorkerConfig["retention"];
  logger: Logger;
}

export function quotaRolloverTask(deps: Pick<HousekeepingDeps, "pool" | "logger">) {
  return async (): Promise<void> => {
    const { rows } = await deps.pool.query<{ expired_subscriptions: number; quota_periods: number }>(
      "select * from app_hidden.quota_rollover()",
    );
    deps.logger.info({ ...rows[0] }, "quota rollover");
  };
}

export function retentionTask(deps: HousekeepingDeps) {
  const abandoned = `${deps.retention.abandonedHours} hours`;
  return async (): Promise<void> => {
    const swept = await deps.pool.query("select * from app_hidden.retention_sweep($1::interval, $2::interval)", [
      `${deps.retention.usageEventsDays} days`,
      `${deps.retention.expiredDays} days`,
    ]);
    const sessions = await deps.pool.query<{ n: number }>("select app_hidden.retention_sweep_sessions($1::interval) as n", [
      `${deps.retention.expiredDays} days`,
    ]);

    // Files: objects first, rows after, so a crash in between only leaves rows to purge again.
    let files = 0;
    for (;;) {
      const { rows } = await deps.pool.query<{ id: string; object_key: string }>(
        "select id, object_key from app_hidden.files_to_purge($1::interval, 200)",
        [abandoned],
      );
      if (rows.length === 0) break;
      for (const r of rows) await deps.storage.removeObject(r.object_key);
      const gone = await deps.pool.query<{ n: number }>("select app_hidden.forget_purged_files($1::uuid[], $2::interval) as n", [
        rows.map((r) => r.id),
        abandoned,
      ]);
      files += gone.rows[0]!.n;
      if (gone.rows[0]!.n === 0) break;
    }

    // Objects nobody refers to, older than the upload grace period (a fresh upload is not yet confirmed).
    const cutoff = Date.now() - deps.retention.abandonedHours * 3_600_000;
    let orphans = 0;
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const { rows } = await deps.pool.query<{ key: string }>("select k as key from app_hidden.unreferenced_object_keys($1::text[]) k", [batch]);
      for (const r of rows) await deps.storage.removeObject(r.key);
      orphans += rows.length;
      batch = [];
    };
    for await (const o of deps.storage.listObjects("users/")) {
      if (o.lastModified.getTime() > cutoff) continue;
      batch.push(o.key);
      if (batch.length >= 500) await flush();
    }
    await flush();
    deps.logger.info({ ...swept.rows[0], sessions: sessions.rows[0]!.n, files, orphanObjects: orphans }, "retention sweep");
  };
}
