// What the upload flows (api/files.ts, api/skills.ts) share: where the client's PUT goes, and
// checking a stored object against what the uploader declared. The object store enforces nothing
// (lib/storage.ts), so the size, the content type it was stored with, its SHA-256 and its leading
// bytes are all checked here, on the stored object itself, streaming it rather than holding it in
// memory.
//
// A presigned PUT URL stays usable until it expires, confirm or not. So the URL never names the
// row's object key: the client uploads to a key beside it (`uploadKey`), and confirm copies that
// object to the row's key on the server and verifies the copy (`promoteUpload`). Only that copy is
// ever downloaded or read by the worker; a later PUT to the URL only makes an object no row refers
// to, which the retention task removes (worker/tasks/housekeeping.ts).
import { createHash } from "node:crypto";
import type { Storage, StoredObject } from "../lib/storage.ts";

/** What a client needs to PUT an object: the presigned URL, its method and required headers. */
export interface PresignedUpload {
  /** The object's key once confirmed; the URL writes to its `uploadKey`, never to this key. */
  objectKey: string;
  uploadUrl: string;
  uploadMethod: "PUT";
  expiresAt: string;
  requiredHeaders: { name: string; value: string }[];
  maxBytes: number;
}

/**
 * The only key an upload URL is signed for: beside the row's object key, in the same prefix, and
 * never a key any row refers to (rows get server-made keys without this suffix).
 */
export function uploadKey(objectKey: string): string {
  return `${objectKey}.upload`;
}

/** "Text/Plain; charset=utf-8" → "text/plain". */
export function mimeEssence(value: string): string {
  return value.split(";")[0]!.trim().toLowerCase();
}

const ZIP_LOCAL_FILE_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]); // "PK\x03\x04"

/** Whether a buffer starts with a zip local file header (an empty archive has none). */
export function looksLikeZip(head: Buffer): boolean {
  return head.subarray(0, 4).equals(ZIP_LOCAL_FILE_HEADER);
}

// Leading bytes each binary type must start with; text types must not contain NUL bytes.
const SIGNATURES: Record<string, (head: Buffer) => boolean> = {
  "application/pdf": (h) => h.subarray(0, 5).toString("latin1") === "%PDF-",
  "image/png": (h) => h.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  "image/jpeg": (h) => h.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])),
  "image/gif": (h) => ["GIF87a", "GIF89a"].includes(h.subarray(0, 6).toString("latin1")),
  "image/webp": (h) => h.subarray(0, 4).toString("latin1") === "RIFF" && h.subarray(8, 12).toString("latin1") === "WEBP",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": looksLikeZip,
  "application/zip": looksLikeZip,
};
const HEAD_BYTES = 8192;

/** Whether the first bytes of an object fit its declared type (unknown types are not sniffed). */
export function contentMatchesType(mimeType: string, head: Buffer): boolean {
  const signature = SIGNATURES[mimeType];
  if (signature) return signature(head);
  if (mimeType.startsWith("text/") || mimeType === "application/json") return !head.includes(0);
  return true;
}

export interface Digest {
  size: number;
  sha256: string;
  head: Buffer;
  /** True when the read stopped early because the object was larger than `limit`. */
  truncated: boolean;
}

/** Streams an object through SHA-256 without holding it in memory; stops past `limit` bytes. */
export async function digestObject(storage: Storage, key: string, limit: number): Promise<Digest> {
  const res = await fetch(await storage.presignedGet(key, 60));
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new Error(`reading ${key} from object storage failed with HTTP ${res.status}`);
  }
  const hash = createHash("sha256");
  const head: Buffer[] = [];
  let headLength = 0;
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return { size, sha256: "", head: Buffer.concat(head), truncated: true };
    }
    hash.update(value);
    if (headLength < HEAD_BYTES) {
      const part = Buffer.from(value.subarray(0, HEAD_BYTES - headLength));
      head.push(part);
      headLength += part.length;
    }
  }
  return { size, sha256: hash.digest("hex"), head: Buffer.concat(head), truncated: false };
}

/** What an uploaded object must be. */
export interface ExpectedObject {
  key: string;
  /** The size the uploader declared. */
  size: number;
  /** The largest object the flow accepts. */
  maxBytes: number;
  /** The content type (essence) it must have been stored with, and whose leading bytes it must have. */
  mimeType: string;
  /** Hex SHA-256 the uploader declared, or null when they declared none. */
  sha256: string | null;
}

export type Verdict = { ok: true; sha256: string } | { ok: false; reason: string };

const reject = (reason: string): Verdict => ({ ok: false, reason });

/** What the store says about an object that already rules it out (size, content type), or null. */
function statMismatch(expected: ExpectedObject, stat: StoredObject): Verdict | null {
  const { size: declared, maxBytes, mimeType } = expected;
  if (stat.size > maxBytes) return reject(`the object is ${stat.size} bytes, more than the ${maxBytes} allowed`);
  if (stat.size !== declared) return reject(`the object is ${stat.size} bytes, not the ${declared} declared`);
  const storedType = stat.contentType === null ? null : mimeEssence(stat.contentType);
  if (storedType !== mimeType) {
    return reject(`the object was stored as ${storedType ?? "no content type"}, not ${mimeType} (send the Content-Type header)`);
  }
  return null;
}

/** Whether a stored object (`stat` from storage.statObject) fits what was declared: its SHA-256 when it does, what is wrong when not. */
async function verifyStoredObject(storage: Storage, expected: ExpectedObject, stat: StoredObject): Promise<Verdict> {
  const mismatch = statMismatch(expected, stat);
  if (mismatch) return mismatch;
  const { key, size: declared, maxBytes, mimeType } = expected;
  const digest = await digestObject(storage, key, Math.min(declared, maxBytes));
  if (digest.truncated || digest.size !== declared) return reject(`the object changed while it was checked (${digest.size} bytes read)`);
  if (expected.sha256 !== null && digest.sha256 !== expected.sha256) return reject("the object's SHA-256 differs from the one declared");
  if (!contentMatchesType(mimeType, digest.head)) return reject(`the content does not look like ${mimeType}`);
  // An object replaced while it was read has another etag.
  const after = await storage.statObject(key);
  if (!after || after.etag !== stat.etag || after.size !== stat.size) return reject("the object changed while it was checked");
  return { ok: true, sha256: digest.sha256 };
}

/**
 * Copies what the client uploaded (at `uploadKey(expected.key)`) to `expected.key` on the server
 * and verifies the copy, which no URL can write to; null when nothing has been uploaded. An
 * upload the store already rules out is not copied. On a rejection the copy may be left at
 * `expected.key`: the caller removes both keys. Call it with the row locked, so that one confirm
 * at a time writes the row's key, and only while the row is still unconfirmed.
 */
export async function promoteUpload(storage: Storage, expected: ExpectedObject): Promise<Verdict | null> {
  const from = uploadKey(expected.key);
  const uploaded = await storage.statObject(from);
  if (!uploaded) return null;
  const mismatch = statMismatch(expected, uploaded);
  if (mismatch) return mismatch;
  if (!(await storage.copyObject(from, expected.key))) return null;
  const copy = await storage.statObject(expected.key);
  if (!copy) throw new Error(`copying ${from} left nothing at ${expected.key}`);
  return verifyStoredObject(storage, expected, copy);
}
