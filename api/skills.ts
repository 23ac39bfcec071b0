// Custom skill packages behind api/plugins/skills.ts, uploaded the way files are (api/files.ts):
// request (a user_custom_skill_versions row in pending_upload and a presigned PUT URL for a zip
// under users/<id>/skills/<skill id>/), confirm (the server checks the stored object itself with
// api/uploads.ts and deletes what does not fit; a trigger queues the check_skill_package job),
// submit a version the worker marked valid to the store (a pending store_skill_versions row for
// admin review, pointing at the same object and hash), and delete (the object and the row).
//
// Everything runs as the signed-in user through db/tenant.ts, so row-level security decides what
// exists: another user's skill or version is NOT_FOUND, exactly like one that does not exist.
import { randomUUID } from "node:crypto";
import { SafeError } from "grafast";
import { withUser, type Tx } from "../db/tenant.ts";
import type { SkillsConfig } from "../lib/config.ts";
import type { ApiServices } from "./services.ts";
import { digestObject, promoteUpload, uploadKey, type PresignedUpload } from "./uploads.ts";
import { isUuid } from "../lib/events.ts";

type SkillServices = Pick<ApiServices, "pool" | "storage" | "logger"> & { config: { skills: SkillsConfig } };

export type SkillVersionStatus = "pending_upload" | "uploaded" | "validating" | "valid" | "invalid";

export const SKILL_PACKAGE_TYPE = "application/zip";

interface VersionRow {
  id: string;
  user_id: string;
  skill_id: string;
  version: string;
  object_key: string;
  size_bytes: string; // bigint
  sha256: string | null;
  manifest: Record<string, unknown> | null;
  status: SkillVersionStatus;
  problems: string[];
}

export interface RequestVersionUploadInput {
  skillId?: unknown;
  version?: unknown;
  sizeBytes?: unknown;
  sha256?: unknown;
}

export interface SubmitToStoreInput {
  versionId?: unknown;
  storeSkillSlug?: unknown;
  title?: unknown;
  categoryId?: unknown;
}

export interface SkillUploadTicket extends PresignedUpload {
  versionId: string;
}

export interface StoreSubmission {
  versionId: string;
  storeSkillId: string;
  storeSkillVersionId: string;
}

const SHA256 = /^[0-9a-f]{64}$/;
// As the database checks it (000005).
const VERSION = /^\d{1,5}\.\d{1,5}\.\d{1,5}(-[0-9A-Za-z.-]{1,40})?$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Statuses whose object has been verified by confirm. */
const CONFIRMED: readonly SkillVersionStatus[] = ["uploaded", "validating", "valid"];
const VERSION_COLUMNS = "id, user_id, skill_id, version, object_key, size_bytes, sha256, manifest, status, problems";

function fail(code: string, message: string, extra: Record<string, unknown> = {}): never {
  throw new SafeError(message, { code, ...extra });
}

function requireUser(userId: string | null): string {
  if (!userId) fail("UNAUTHENTICATED", "Sign in to manage skills.");
  return userId;
}

// The same answers for "no such row" and "someone else's row": RLS hides the row either way.
function skillNotFound(): never {
  fail("NOT_FOUND", "Skill not found.");
}
function versionNotFound(): never {
  fail("NOT_FOUND", "Skill version not found.");
}

/** Where a user's skill packages live; the database refuses any other key for their rows. */
export function userSkillPrefix(userId: string): string {
  return `users/${userId}/skills/`;
}

function pgError(error: unknown): { code?: string; constraint?: string } {
  return (error ?? {}) as { code?: string; constraint?: string };
}

async function loadVersion(tx: Tx, versionId: string, lock = false): Promise<VersionRow | null> {
  const { rows } = await tx.query<VersionRow>(
    `select ${VERSION_COLUMNS} from app_public.user_custom_skill_versions where id = $1${lock ? " for update" : ""}`,
    [versionId],
  );
  return rows[0] ?? null;
}

function requireUuid(value: unknown, field: string): string {
  if (typeof value !== "string" || !isUuid(value)) fail("INVALID_INPUT", `${field} must be a UUID.`, { field });
  return value.toLowerCase();
}

function validateRequest(config: SkillsConfig, input: RequestVersionUploadInput) {
  const skillId = requireUuid(input.skillId, "skillId");
  const { version, sizeBytes, sha256 } = input;
  if (typeof version !== "string" || !VERSION.test(version)) {
    fail("INVALID_INPUT", "The version must look like 1.2.3 (optionally with a -suffix).", { field: "version" });
  }
  if (typeof sizeBytes !== "number" || !Number.isSafeInteger(sizeBytes) || sizeBytes < 1) {
    fail("INVALID_INPUT", "The size must be a positive number of bytes.", { field: "sizeBytes" });
  }
  if (sizeBytes > config.maxPackageBytes) {
    fail("PACKAGE_TOO_LARGE", `Skill packages may be at most ${config.maxPackageBytes} bytes.`, { maxBytes: config.maxPackageBytes });
  }
  if (typeof sha256 !== "string" || !SHA256.test(sha256.toLowerCase())) {
    fail("INVALID_INPUT", "sha256 must be 64 hexadecimal characters.", { field: "sha256" });
  }
  return { skillId, version, sizeBytes, sha256: sha256.toLowerCase() };
}

function versionExists(version: string, existing?: { id: string; status: string }): never {
  fail(
    "VERSION_EXISTS",
    `This skill already has version ${version}; choose another version (or delete that one first).`,
    existing ? { versionId: existing.id, status: existing.status } : {},
  );
}

/** Creates the pending version row and a presigned PUT URL for its package. */
export async function requestVersionUpload(
  services: SkillServices,
  userId: string | null,
  input: RequestVersionUploadInput,
): Promise<SkillUploadTicket> {
  const me = requireUser(userId);
  const skills = services.config.skills;
  const valid = validateRequest(skills, input);
  const ttl = skills.uploadUrlTtlSeconds;
  return withUser(services.pool, me, async (tx) => {
    const skill = await tx.query("select id from app_public.user_custom_skills where id = $1", [valid.skillId]);
    if (skill.rowCount === 0) skillNotFound();
    const existing = await tx.query<{ id: string; status: string }>(
      "select id, status from app_public.user_custom_skill_versions where skill_id = $1 and version = $2",
      [valid.skillId, valid.version],
    );
    if (existing.rows[0]) versionExists(valid.version, existing.rows[0]);
    const objectKey = `${userSkillPrefix(me)}${valid.skillId}/${randomUUID()}.zip`;
    let id: string;
    try {
      const { rows } = await tx.query<{ id: string }>(
        `insert into app_public.user_custom_skill_versions (skill_id, version, object_key, size_bytes, sha256, status)
         values ($1, $2, $3, $4, $5, 'pending_upload') returning id`,
        [valid.skillId, valid.version, objectKey, valid.sizeBytes, valid.sha256],
      );
      id = rows[0]!.id;
    } catch (error) {
      // A concurrent request for the same version won the unique key.
      if (pgError(error).code === "23505") versionExists(valid.version);
      throw error;
    }
    // Signed inside the transaction: if signing fails, no row is left behind. The URL writes
    // beside the version's key, which only confirm writes (api/uploads.ts).
    const uploadUrl = await services.storage.presignedPut(uploadKey(objectKey), ttl);
    return {
      versionId: id,
      objectKey,
      uploadUrl,
      uploadMethod: "PUT",
      expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
      requiredHeaders: [{ name: "Content-Type", value: SKILL_PACKAGE_TYPE }],
      maxBytes: skills.maxPackageBytes,
    };
  });
}

function checkKey(row: VersionRow, me: string): void {
  // The database checks the prefix; check it (and the skill) here too before touching the store.
  if (row.user_id !== me || !row.object_key.startsWith(`${userSkillPrefix(me)}${row.skill_id}/`)) {
    throw new Error(`user_custom_skill_versions ${row.id} has an object key outside its owner's prefix`);
  }
}

type Confirmation = { row: VersionRow } | { rejected: string };

/**
 * Copies the uploaded package to the version's key, verifies the copy and marks the version
 * `uploaded` (a trigger queues check_skill_package, which reads that copy). A package that does
 * not fit is deleted and the version marked `invalid` with the reason in `problems`. Confirming a
 * version that is already confirmed returns it unchanged.
 */
export async function confirmVersionUpload(
  services: SkillServices,
  userId: string | null,
  versionId: string,
): Promise<{ versionId: string; status: SkillVersionStatus }> {
  const me = requireUser(userId);
  const { storage, pool } = services;
  const skills = services.config.skills;
  // The row stays locked from the copy to the commit: the version's key is written by one
  // confirm only, a concurrent confirm waits and finds it confirmed, and a concurrent delete waits
  // and removes what was confirmed. The trigger queues the package check exactly once.
  const done = await withUser(pool, me, async (tx): Promise<Confirmation> => {
    const row = await loadVersion(tx, versionId, true);
    if (!row) versionNotFound();
    if (CONFIRMED.includes(row.status)) return { row };
    if (row.status === "invalid") {
      fail("UPLOAD_FAILED", `This package was rejected (${row.problems.join("; ") || "unknown reason"}); delete this version and upload again.`, {
        problems: row.problems,
      });
    }
    checkKey(row, me);
    const verdict = await promoteUpload(storage, {
      key: row.object_key,
      size: Number(row.size_bytes),
      maxBytes: skills.maxPackageBytes,
      mimeType: SKILL_PACKAGE_TYPE,
      sha256: row.sha256,
    });
    if (verdict === null) fail("UPLOAD_MISSING", "Nothing has been uploaded for this version yet; PUT the package to the upload URL first.");
    if (!verdict.ok) {
      const reason = verdict.reason.replace(`does not look like ${SKILL_PACKAGE_TYPE}`, "is not a zip archive");
      await storage.removeObject(row.object_key);
      await storage.removeObject(uploadKey(row.object_key));
      await tx.query("update app_public.user_custom_skill_versions set status = 'invalid', problems = array[$2::text] where id = $1", [row.id, reason]);
      return { rejected: reason };
    }
    const { rows } = await tx.query<VersionRow>(
      `update app_public.user_custom_skill_versions set status = 'uploaded', sha256 = $2, problems = '{}'
        where id = $1 returning ${VERSION_COLUMNS}`,
      [row.id, verdict.sha256],
    );
    return { row: rows[0]! };
  });
  if ("rejected" in done) {
    const reason = done.rejected;
    services.logger.info({ versionId, userId: me, reason }, "rejected a skill package upload");
    fail("UPLOAD_MISMATCH", `The package was rejected and deleted: ${reason}.`, { reason });
  }
  // Confirmed: the upload key is of no more use (a later PUT to the URL makes an object no row
  // refers to, which the retention task removes).
  await storage.removeObject(uploadKey(done.row.object_key)).catch((error: unknown) => {
    services.logger.warn({ versionId, userId: me, err: error }, "could not remove a confirmed package's upload object");
  });
  return { versionId: done.row.id, status: done.row.status };
}

function validateSubmit(input: SubmitToStoreInput) {
  const versionId = requireUuid(input.versionId, "versionId");
  const { storeSkillSlug, title, categoryId } = input;
  if (storeSkillSlug !== undefined && storeSkillSlug !== null && (typeof storeSkillSlug !== "string" || !SLUG.test(storeSkillSlug))) {
    fail("INVALID_INPUT", "The store slug must be lowercase letters, digits and dashes (at most 63).", { field: "storeSkillSlug" });
  }
  if (title !== undefined && title !== null && (typeof title !== "string" || title.trim().length < 1 || title.length > 100)) {
    fail("INVALID_INPUT", "The title must be 1 to 100 characters.", { field: "title" });
  }
  return {
    versionId,
    slug: typeof storeSkillSlug === "string" ? storeSkillSlug : null,
    title: typeof title === "string" ? title.trim() : null,
    categoryId: categoryId === undefined || categoryId === null ? null : requireUuid(categoryId, "categoryId"),
  };
}

/**
 * Submits one of the caller's versions that the package check marked `valid` to the store: the
 * caller's store skill for it is reused (the one an earlier version of the same custom skill went
 * to, or the one with the slug) or created, unpublished; the store version starts pending review
 * and points at the same object and SHA-256. The stored package is hashed again first, so what
 * goes to review is what was checked.
 */
export async function submitVersionToStore(services: SkillServices, userId: string | null, input: SubmitToStoreInput): Promise<StoreSubmission> {
  const me = requireUser(userId);
  const { storage, pool } = services;
  const valid = validateSubmit(input);
  const row = await withUser(pool, me, (tx) => loadVersion(tx, valid.versionId));
  if (!row) versionNotFound();
  if (row.status !== "valid" || row.sha256 === null) {
    fail("NOT_VALIDATED", `Only a version whose package was checked and found valid can be submitted (this one is ${row.status}).`, {
      status: row.status,
    });
  }
  checkKey(row, me);

  // The upload URL may still work: make sure the object is still what was confirmed and checked.
  const digest = await digestObject(storage, row.object_key, Number(row.size_bytes));
  if (digest.truncated || digest.size !== Number(row.size_bytes) || digest.sha256 !== row.sha256) {
    const reason = "the stored package changed after it was checked";
    await storage.removeObject(row.object_key);
    await withUser(pool, me, (tx) =>
      tx.query(
        "update app_public.user_custom_skill_versions set status = 'invalid', problems = array[$2::text] where id = $1 and sha256 = $3",
        [row.id, reason, row.sha256],
      ),
    );
    fail("PACKAGE_CHANGED", `The package was deleted: ${reason}. Upload it again as a new version.`, { reason });
  }

  try {
    return await withUser(pool, me, async (tx) => {
      // Locked, and checked again: a concurrent delete or re-check wins cleanly.
      const current = await loadVersion(tx, row.id, true);
      if (!current) versionNotFound();
      if (current.status !== "valid" || current.sha256 !== row.sha256) {
        fail("NOT_VALIDATED", `Only a version whose package was checked and found valid can be submitted (this one is ${current.status}).`, {
          status: current.status,
        });
      }
      const { rows: skills } = await tx.query<{ name: string; title: string; description: string }>(
        "select name, title, description from app_public.user_custom_skills where id = $1",
        [current.skill_id],
      );
      const skill = skills[0];
      if (!skill) versionNotFound();

      const storeSkillId = await storeSkillFor(tx, me, current, skill, valid);

      const { rows: existing } = await tx.query<{ id: string; source_version_id: string | null; review_state: string }>(
        "select id, source_version_id, review_state from app_public.store_skill_versions where store_skill_id = $1 and version = $2",
        [storeSkillId, current.version],
      );
      const already = existing[0];
      if (already) {
        // Submitting the same version again is answered with the submission it already made.
        if (already.source_version_id === current.id && ["pending", "approved"].includes(already.review_state)) {
          return { versionId: current.id, storeSkillId, storeSkillVersionId: already.id };
        }
        fail("VERSION_EXISTS", `The store skill already has version ${current.version}; submit a new version.`, { reviewState: already.review_state });
      }
      const { rows: created } = await tx.query<{ id: string }>(
        `insert into app_public.store_skill_versions (store_skill_id, source_version_id, version, object_key, sha256, manifest)
         values ($1, $2, $3, $4, $5, coalesce($6::jsonb, '{}'::jsonb)) returning id`,
        [storeSkillId, current.id, current.version, current.object_key, current.sha256, current.manifest === null ? null : JSON.stringify(current.manifest)],
      );
      return { versionId: current.id, storeSkillId, storeSkillVersionId: created[0]!.id };
    });
  } catch (error) {
    const { code, constraint } = pgError(error);
    if (code === "23505" && constraint === "store_skills_slug_key") slugTaken();
    if (code === "23505" && constraint === "store_skill_versions_store_skill_id_version_key") {
      fail("VERSION_EXISTS", `The store skill already has version ${row.version}; submit a new version.`);
    }
    if (code === "23503" && constraint === "store_skills_category_id_fkey") {
      fail("INVALID_REFERENCE", "There is no such skill category.", { field: "categoryId" });
    }
    throw error;
  }
}

function slugTaken(): never {
  fail("SLUG_TAKEN", "Another skill in the store has that slug; choose another storeSkillSlug.", { field: "storeSkillSlug" });
}

/** The caller's store skill for a submission: reused (updating title and category when given) or created. */
async function storeSkillFor(
  tx: Tx,
  me: string,
  version: VersionRow,
  skill: { name: string; title: string; description: string },
  input: { slug: string | null; title: string | null; categoryId: string | null },
): Promise<string> {
  let storeSkillId: string | null = null;
  if (input.slug === null) {
    // Where earlier versions of this custom skill went.
    const { rows } = await tx.query<{ store_skill_id: string }>(
      `select sv.store_skill_id from app_public.store_skill_versions sv
         join app_public.user_custom_skill_versions uv on uv.id = sv.source_version_id
        where uv.skill_id = $1 and sv.author_id = $2
        order by sv.created_at desc limit 1`,
      [version.skill_id, me],
    );
    storeSkillId = rows[0]?.store_skill_id ?? null;
  }
  if (storeSkillId === null) {
    const slug = input.slug ?? skill.name;
    // RLS shows published store skills and the caller's own; someone else's unpublished one
    // surfaces as the unique key on insert.
    const { rows } = await tx.query<{ id: string; author_id: string | null }>("select id, author_id from app_public.store_skills where slug = $1", [slug]);
    const found = rows[0];
    if (found && found.author_id !== me) slugTaken();
    if (!found) {
      const { rows: created } = await tx.query<{ id: string }>(
        "insert into app_public.store_skills (slug, title, description, category_id) values ($1, $2, $3, $4) returning id",
        [slug, input.title ?? skill.title, skill.description, input.categoryId],
      );
      return created[0]!.id;
    }
    storeSkillId = found.id;
  }
  if (input.title !== null || input.categoryId !== null) {
    await tx.query("update app_public.store_skills set title = coalesce($2, title), category_id = coalesce($3, category_id) where id = $1", [
      storeSkillId,
      input.title,
      input.categoryId,
    ]);
  }
  return storeSkillId;
}

/**
 * Removes the package and deletes the version row, any status, unless a store submission of the
 * caller's that is pending review or published still uses the package (withdraw a pending one
 * first). The row is locked and deleted first and the transaction commits only once the object
 * is gone, so a failure leaves the version in place to delete again.
 */
export async function deleteVersion(services: SkillServices, userId: string | null, versionId: string): Promise<{ versionId: string; deleted: true }> {
  const me = requireUser(userId);
  return withUser(services.pool, me, async (tx) => {
    const row = await loadVersion(tx, versionId, true);
    if (!row) versionNotFound();
    const { rows: inStore } = await tx.query<{ review_state: string }>(
      `select review_state from app_public.store_skill_versions
        where (source_version_id = $1 or object_key = $2) and author_id = $3 and review_state in ('pending', 'approved')
        limit 1`,
      [row.id, row.object_key, me],
    );
    if (inStore[0]) {
      fail("VERSION_IN_STORE", "This version's package is in the store (pending review or published); withdraw a pending submission first.", {
        reviewState: inStore[0].review_state,
      });
    }
    await tx.query("delete from app_public.user_custom_skill_versions where id = $1", [row.id]);
    if (row.object_key.startsWith(userSkillPrefix(me))) {
      await services.storage.removeObject(row.object_key);
      await services.storage.removeObject(uploadKey(row.object_key));
    }
    return { versionId: row.id, deleted: true as const };
  });
}
