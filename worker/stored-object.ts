// The bytes of an uploaded object, checked against what the upload's confirm step recorded. No
// upload URL writes a row's object key (confirm copies the upload there; api/uploads.ts), so this
// is the second line: tasks work only on the confirmed bytes, whatever else wrote to the store.
import { createHash } from "node:crypto";
import { ObjectTooLargeError, type Storage } from "../lib/storage.ts";

export interface ConfirmedUpload {
  object_key: string;
  size_bytes: string | number;
  sha256: string | null;
}

/** The confirmed bytes, or the reason there are none. A store that cannot be reached throws (retry later). */
export async function readConfirmedObject(
  storage: Storage,
  upload: ConfirmedUpload,
  maxBytes: number,
  what: string,
): Promise<{ body: Buffer } | { problem: string }> {
  let body: Buffer | null = null;
  try {
    body = await storage.getObject(upload.object_key, maxBytes);
  } catch (error) {
    if (!(error instanceof ObjectTooLargeError)) throw error;
  }
  if (body === null) return { problem: `the uploaded ${what} is missing or larger than allowed` };
  if (body.length !== Number(upload.size_bytes) || createHash("sha256").update(body).digest("hex") !== upload.sha256) {
    return { problem: `the stored ${what} is not the one that was confirmed (it changed after upload)` };
  }
  return { body };
}
