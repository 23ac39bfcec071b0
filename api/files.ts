// The file upload flow behind api/plugins/files.ts: request (a row in pending_upload and a
// presigned PUT URL), confirm (the server verifies the stored object itself), presigned download,
// delete (the object and the row).
//
// The object store enforces nothing: s3rver ignores signatures' secrets and POST-policy limits,
// and a presigned PUT URL made by lib/storage.ts binds only the key. So confirm checks, on the
// stored object, everything the user declared (size, SHA-256, content type and its leading
// bytes; api/uploads.ts, shared with skill packages) and deletes what does not fit; tenant rows are
// reached only through db/tenant.ts.
//
// Deleting is final: the object is removed and the row deleted (its chunks go with it by foreign
// key) in one step; the `deleted` status and `deleted_at` are not used by this flow.
import { randomUUID } from "node:crypto";
import { SafeError } from "grafast";
import { withUser, type Tx } from "../db/tenant.ts";
import type { FilesConfig } from "../lib/config.ts";
import type { Storage, StoredObject } from "../lib/storage.ts";
import type { ApiServices } from "./services.ts";
import { mimeEssence, verifyStoredObject, type PresignedUpload, type Verdict } from "./uploads.ts";

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
    const uploadUrl = await services.storage.presignedPut(objectKey, ttl);
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

/** Whether a stored object fits its row: its SHA-256 when it does, what is wrong when not. */
function verifyObject(storage: Storage, files: FilesConfig, row: FileRow, stat: StoredObject): Promise<Verdict> {
  return verifyStoredObject(
    storage,
    { key: row.object_key, size: Number(row.size_bytes), maxBytes: files.maxBytes, mimeType: row.mime_type, sha256: row.sha256 },
    stat,
  );
}

/**
 * Verifies the uploaded object and marks the file `uploaded` (a trigger queues ingestion). An
 * object that does not fit is deleted and the row marked `failed`. Confirming a file that is
 * already confirmed returns it unchanged.
 */
export async function confirmUpload(services: FileServices, userId: string | null, fileId: string): Promise<{ fileId: string; status: FileStatus }> {
  const me = requireUser(userId);
  const { storage, pool } = services;
  const files = services.config.files;
  const row = await withUser(pool, me, (tx) => loadFile(tx, fileId));
  if (!row || row.status === "deleted") notFound();
  if (DOWNLOADABLE.includes(row.status)) return { fileId: row.id, status: row.status };
  if (row.status === "failed") {
    fail("UPLOAD_FAILED", `This upload was rejected (${row.error ?? "unknown reason"}); request a new upload.`, { reason: row.error });
  }
  // The row's key is checked by the database; check it here too before touching the store.
  if (row.user_id !== me || !row.object_key.startsWith(userFilePrefix(me))) {
    throw new Error(`user_files ${row.id} has an object key outside its owner's prefix`);
  }

  const stat = await storage.statObject(row.object_key);
  if (!stat) fail("UPLOAD_MISSING", "Nothing has been uploaded for this file yet; PUT it to the upload URL first.");

  const verdict = await verifyObject(storage, files, row, stat);
  if (!verdict.ok) {
    const { reason } = verdict;
    await storage.removeObject(row.object_key);
    await withUser(pool, me, (tx) =>
      tx.query("update app_public.user_files set status = 'failed', error = $2 where id = $1 and status = 'pending_upload'", [row.id, reason]),
    );
    services.logger.info({ fileId: row.id, reason }, "rejected an upload");
    fail("UPLOAD_MISMATCH", `The upload was rejected and deleted: ${reason}.`, { reason });
  }

  const updated = await withUser(pool, me, async (tx) => {
    // Only a pending row moves: a concurrent confirm or delete wins cleanly, and the
    // trigger queues ingestion exactly once.
    const { rows } = await tx.query<{ status: FileStatus }>(
      "update app_public.user_files set status = 'uploaded', sha256 = $2, error = null where id = $1 and status = 'pending_upload' returning status",
      [row.id, verdict.sha256],
    );
    return rows[0] ?? (await loadFile(tx, row.id));
  });
  if (!updated) notFound();
  if (!DOWNLOADABLE.includes(updated.status)) fail("UPLOAD_FAILED", "This upload was rejected; request a new upload.");
  return { fileId: row.id, status: updated.status };
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
 * Removes the object and deletes the row (chunks follow by foreign key), any status. The row is
 * locked and deleted first and the transaction commits only once the object is gone, so a
 * failure leaves the file in place to delete again.
 */
export async function deleteFile(services: FileServices, userId: string | null, fileId: string): Promise<{ fileId: string; deleted: true }> {
  const me = requireUser(userId);
  return withUser(services.pool, me, async (tx) => {
    const row = await loadFile(tx, fileId, true);
    if (!row) notFound();
    await tx.query("delete from app_public.user_files where id = $1", [row.id]);
    if (row.object_key.startsWith(userFilePrefix(me))) await services.storage.removeObject(row.object_key);
    return { fileId: row.id, deleted: true as const };
  });
}
