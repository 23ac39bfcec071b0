// The file upload flow behind api/plugins/files.ts: request (a row in pending_upload and a
// presigned PUT URL), confirm (the server copies the upload to the file's key and verifies the
// copy), presigned download, delete (the objects and the row).
//
// The object store enforces nothing but signatures: a presigned PUT URL made by lib/storage.ts
// binds only the key (not size or type) and stays usable after confirm. So the URL is for the
// upload key beside the file's key; confirm copies the upload to the file's key and checks, on
// that copy, everything the user declared (size, SHA-256, content type and its leading bytes;
// api/uploads.ts, shared with skill packages); downloads serve only the file's key, so a
// confirmed file cannot be replaced. What does not fit is deleted; tenant rows are reached only
// through db/tenant.ts.
//
// Deleting is final: the objects are removed and the row deleted (its chunks go with it by foreign
// key) in one step; the `deleted` status and `deleted_at` are not used by this flow.
import { randomUUID } from "node:crypto";
import { SafeError } from "grafast";
import { withUser, type Tx } from "../db/tenant.ts";
import type { FilesConfig } from "../lib/config.ts";
import type { ApiServices } from "./services.ts";
import { mimeEssence, promoteUpload, uploadKey, type PresignedUpload } from "./uploads.ts";

type FileServices = Pick<ApiServices, "pool" | "storage" | "logger"> & { config: { files: FilesConfig } };

export type FileStatus = "pending_upload" | "uploaded" | "processing" | "ready" | "failed" | "deleted";

interface FileRow {
  id: string;
  user_id: string;
  object_key: string;
  filename: string;
  mime_type: string;
  size_bytes: string; // bigint
  sha256: string | null;
  status: FileStatus;
  error: string | null;
}

export interface RequestUploadInput {
  filename?: unknown;
  mimeType?: unknown;
  sizeBytes?: unknown;
  sha256?: unknown;
}

export interface UploadTicket extends PresignedUpload {
  fileId: string;
}

export interface DownloadTicket {
  fileId: string;
  url: string;
  expiresAt: string;
  filename: string;
  mimeType: string;
}

const SHA256 = /^[0-9a-f]{64}$/;
const MIME = /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/;
// Path separators and control characters never belong in a display name.
// eslint-disable-next-line no-control-regex
const BAD_FILENAME = /[/\\\u0000-\u001f\u007f]/;
/** Statuses whose object has been verified and may be downloaded. */
const DOWNLOADABLE: readonly FileStatus[] = ["uploaded", "processing", "ready"];
const FILE_COLUMNS = "id, user_id, object_key, filename, mime_type, size_bytes, sha256, status, error";

function fail(code: string, message: string, extra: Record<string, unknown> = {}): never {
  throw new SafeError(message, { code, ...extra });
}

function notFound(): never {
  // The same answer for "no such file" and "someone else's file": RLS hides the row either way.
  fail("NOT_FOUND", "File not found.");
}

function requireUser(userId: string | null): string {
  if (!userId) fail("UNAUTHENTICATED", "Sign in to manage files.");
  return userId;
}

/** Where a user's files live; the database refuses any other key for their rows. */
export function userFilePrefix(userId: string): string {
  return `users/${userId}/files/`;
}

async function loadFile(tx: Tx, fileId: string, lock = false): Promise<FileRow | null> {
  const { rows } = await tx.query<FileRow>(
    `select ${FILE_COLUMNS} from app_public.user_files where id = $1${lock ? " for update" : ""}`,
    [fileId],
  );
  return rows[0] ?? null;
}

function validateUpload(config: FilesConfig, input: RequestUploadInput) {
  const { filename, mimeType, sizeBytes, sha256 } = input;
  if (typeof filename !== "string" || filename.length < 1 || filename.length > 255 || BAD_FILENAME.test(filename) || filename.trim() === "") {
    fail("INVALID_INPUT", "The file name must be 1 to 255 characters without slashes or control characters.", { field: "filename" });
  }
  if (typeof mimeType !== "string" || !MIME.test(mimeEssence(mimeType)) || mimeEssence(mimeType).length > 127) {
    fail("INVALID_INPUT", "The content type must look like type/subtype.", { field: "mimeType" });
  }
  const type = mimeEssence(mimeType);
  if (!config.allowedMimeTypes.includes(type)) {
    fail("UNSUPPORTED_TYPE", `Files of type ${type} cannot be uploaded.`, { allowedMimeTypes: [...config.allowedMimeTypes] });
  }
  if (typeof sizeBytes !== "number" || !Number.isSafeInteger(sizeBytes) || sizeBytes < 1) {
    fail("INVALID_INPUT", "The size must be a positive number of bytes.", { field: "sizeBytes" });
  }
  if (sizeBytes > config.maxBytes) {
    fail("FILE_TOO_LARGE", `Files may be at most ${config.maxBytes} bytes.`, { maxBytes: config.maxBytes });
  }
  let hash: string | null = null;
  if (sha256 !== undefined && sha256 !== null) {
    if (typeof sha256 !== "string" || !SHA256.test(sha256.toLowerCase())) {
      fail("INVALID_INPUT", "sha256 must be 64 hexadecimal characters.", { field: "sha256" });
    }
    hash = sha256.toLowerCase();
  }
  return { filename, mimeType: type, sizeBytes, sha256: hash };
}

/** Creates the pending row and a presigned PUT URL for its object. */
export async function requestUpload(services: FileServices, userId: string | null, input: RequestUploadInput): Promise<UploadTicket> {
  const me = requireUser(userId);
  const files = services.config.files;
  const valid = validateUpload(files, input);
  const objectKey = `${userFilePrefix(me)}${randomUUID()}`;
  const ttl = files.uploadUrlTtlSeconds;
  return withUser(services.pool, me, async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `insert into app_public.user_files (object_key, filename, mime_type, size_bytes, sha256, status)
       values ($1, $2, $3, $4, $5, 'pending_upload') returning id`,
      [objectKey, valid.filename, valid.mimeType, valid.sizeBytes, valid.sha256],
    );
    // Signed inside the transaction: if signing fails, no row is left behind.
    const uploadUrl = await services.storage.presignedPut(uploadKey(objectKey), ttl);
    return {
      fileId: rows[0]!.id,
      objectKey,
      uploadUrl,
      uploadMethod: "PUT",
      expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
      requiredHeaders: [{ name: "Content-Type", value: valid.mimeType }],
      maxBytes: files.maxBytes,
    };
  });
}

type Confirmation = { row: FileRow } | { rejected: string };

/**
 * Copies the upload to the file's key, verifies the copy and marks the file `uploaded` (a trigger
 * queues ingestion). An upload that does not fit is deleted and the row marked `failed`.
 * Confirming a file that is already confirmed returns it unchanged.
 */
export async function confirmUpload(services: FileServices, userId: string | null, fileId: string): Promise<{ fileId: string; status: FileStatus }> {
  const me = requireUser(userId);
  const { storage, pool } = services;
  const files = services.config.files;
  // The row stays locked from the copy to the commit: the file's key is written by one confirm
  // only, a concurrent confirm waits and finds the file confirmed, and a concurrent delete waits
  // and removes what was confirmed. The trigger queues ingestion exactly once.
  const done = await withUser(pool, me, async (tx): Promise<Confirmation> => {
    const row = await loadFile(tx, fileId, true);
    if (!row || row.status === "deleted") notFound();
    if (DOWNLOADABLE.includes(row.status)) return { row };
    if (row.status === "failed") {
      fail("UPLOAD_FAILED", `This upload was rejected (${row.error ?? "unknown reason"}); request a new upload.`, { reason: row.error });
    }
    // The row's key is checked by the database; check it here too before touching the store.
    if (row.user_id !== me || !row.object_key.startsWith(userFilePrefix(me))) {
      throw new Error(`user_files ${row.id} has an object key outside its owner's prefix`);
    }
    const verdict = await promoteUpload(storage, {
      key: row.object_key,
      size: Number(row.size_bytes),
      maxBytes: files.maxBytes,
      mimeType: row.mime_type,
      sha256: row.sha256,
    });
    if (verdict === null) fail("UPLOAD_MISSING", "Nothing has been uploaded for this file yet; PUT it to the upload URL first.");
    if (!verdict.ok) {
      await storage.removeObject(row.object_key);
      await storage.removeObject(uploadKey(row.object_key));
      await tx.query("update app_public.user_files set status = 'failed', error = $2 where id = $1", [row.id, verdict.reason]);
      return { rejected: verdict.reason };
    }
    const { rows } = await tx.query<FileRow>(
      `update app_public.user_files set status = 'uploaded', sha256 = $2, error = null where id = $1 returning ${FILE_COLUMNS}`,
      [row.id, verdict.sha256],
    );
    return { row: rows[0]! };
  });
  if ("rejected" in done) {
    const reason = done.rejected;
    services.logger.info({ fileId, userId: me, reason }, "rejected an upload");
    fail("UPLOAD_MISMATCH", `The upload was rejected and deleted: ${reason}.`, { reason });
  }
  // Confirmed: the upload key is of no more use (a later PUT to the URL makes an object no row
  // refers to, which the retention task removes).
  await storage.removeObject(uploadKey(done.row.object_key)).catch((error: unknown) => {
    services.logger.warn({ fileId, userId: me, err: error }, "could not remove a confirmed file's upload object");
  });
  return { fileId: done.row.id, status: done.row.status };
}

/** A presigned GET URL for one of the caller's verified files. */
export async function downloadUrl(services: FileServices, userId: string | null, fileId: string): Promise<DownloadTicket> {
  const me = requireUser(userId);
  const row = await withUser(services.pool, me, (tx) => loadFile(tx, fileId));
  if (!row || row.status === "deleted") notFound();
  if (!DOWNLOADABLE.includes(row.status)) {
    fail("FILE_NOT_AVAILABLE", `This file cannot be downloaded while it is ${row.status}.`, { status: row.status });
  }
  const ttl = services.config.files.downloadUrlTtlSeconds;
  return {
    fileId: row.id,
    url: await services.storage.presignedGet(row.object_key, ttl),
    expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
    filename: row.filename,
    mimeType: row.mime_type,
  };
}

/**
 * Removes the objects (the file's and its upload's) and deletes the row (chunks follow by foreign
 * key), any status. The row is locked and deleted first and the transaction commits only once the
 * objects are gone, so a failure leaves the file in place to delete again.
 */
export async function deleteFile(services: FileServices, userId: string | null, fileId: string): Promise<{ fileId: string; deleted: true }> {
  const me = requireUser(userId);
  return withUser(services.pool, me, async (tx) => {
    const row = await loadFile(tx, fileId, true);
    if (!row) notFound();
    await tx.query("delete from app_public.user_files where id = $1", [row.id]);
    if (row.object_key.startsWith(userFilePrefix(me))) {
      await services.storage.removeObject(row.object_key);
      await services.storage.removeObject(uploadKey(row.object_key));
    }
    return { fileId: row.id, deleted: true as const };
  });
}
