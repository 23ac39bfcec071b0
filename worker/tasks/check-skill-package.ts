// check_skill_package: queued when a skill version's upload is confirmed. Reads the object, checks
// it is still the confirmed bytes (a presigned PUT stays usable after confirm), validates the
// archive and marks the version valid (with its manifest) or invalid (with the reasons).
// Idempotent: a version no longer waiting for a check is left alone, so a retried or repeated job
// changes nothing.
import type pg from "pg";
import type { SkillsConfig } from "../../lib/config.ts";
import type { Logger } from "../../lib/logger.ts";
import type { Storage } from "../../lib/storage.ts";
import { userJob } from "../job-context.ts";
import { checkSkillPackage } from "../skill-package.ts";
import { readConfirmedObject } from "../stored-object.ts";

export interface CheckSkillPackageDeps {
  pool: pg.Pool;
  storage: Storage;
  skills: SkillsConfig;
  logger: Logger;
}

export function checkSkillPackageTask(deps: CheckSkillPackageDeps) {
  return async (raw: unknown): Promise<void> => {
    const job = userJob(deps.pool, raw, ["version_id"] as const);
    const versionId = job.payload.version_id;
    const version = await job.asUser(async (tx) => {
      const r = await tx.query<{ object_key: string; size_bytes: string; sha256: string | null }>(
        `update app_public.user_custom_skill_versions set status = 'validating'
           where id = $1 and status in ('uploaded', 'validating') returning object_key, size_bytes, sha256`,
        [versionId],
      );
      return r.rows[0];
    });
    if (!version) {
      // Deleted, already checked, or not this user's: nothing to do (RLS hides other users' rows).
      deps.logger.info({ versionId, userId: job.userId }, "skill package check: nothing waiting");
      return;
    }
    let problems: string[];
    let manifest: Record<string, unknown> | null = null;
    const stored = await readConfirmedObject(deps.storage, version, deps.skills.maxPackageBytes, "package");
    if ("problem" in stored) {
      problems = [stored.problem];
    } else {
      ({ problems, manifest } = await checkSkillPackage(stored.body, {
        maxFiles: deps.skills.maxFiles,
        maxFileBytes: deps.skills.maxFileBytes,
        maxTotalBytes: deps.skills.maxUnpackedBytes,
      }));
    }
    await job.asUser((tx) =>
      tx.query(
        `update app_public.user_custom_skill_versions set status = $2, problems = $3, manifest = $4
           where id = $1 and status = 'validating'`,
        [versionId, problems.length === 0 ? "valid" : "invalid", problems, manifest === null ? null : JSON.stringify(manifest)],
      ),
    );
    deps.logger.info({ versionId, userId: job.userId, valid: problems.length === 0, problems: problems.length }, "skill package checked");
  };
}
