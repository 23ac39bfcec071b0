// File uploads over real HTTP against a real S3 server (s3rver on a free loopback port):
// request → PUT to the presigned URL → confirm (the server checks size, hash and type itself and
// deletes what does not fit) → ingestion queued once → presigned download → delete. Another
// user can neither confirm, download nor delete someone's file, and learns nothing about it.
//
// The API's storage is memoized on first use (api/services.ts), so the S3 server starts and
// S3_ENDPOINT is set before the API starts.
process.env.FILE_MAX_BYTES = "65536";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../api/server.ts";
import { getApiServices } from "../api/services.ts";
import type { Storage } from "../lib/storage.ts";
import { gql, signUp, startTestApiWithS3, type ApiWithS3, type Session } from "./support/api.ts";
import { rootPool } from "./support/db.ts";
import { errorCode, presignedKey, putToPresigned, queuedJobs, sha256 } from "./support/uploads.ts";

let api: ApiServer;
let env: ApiWithS3;
let storage: Storage;
let alice: Session;
let bob: Session;
const root = rootPool();
const MAX = 65536;

beforeAll(async () => {
  env = await startTestApiWithS3("files");
  ({ api, storage } = env);
  expect(storage.endpoint).toBe(env.s3Url);
  expect((await getApiServices()).config.files.maxBytes).toBe(MAX);
  alice = await signUp(api, "files-alice");
  bob = await signUp(api, "files-bob");
});

afterAll(async () => {
  await env?.close();
  await root.end();
});

const FILE_FIELDS = "rowId userId objectKey filename mimeType sizeBytes sha256 status error";

interface FileNode {
  rowId: string;
  userId: string;
  objectKey: string;
  filename: string;
  mimeType: string;
  sizeBytes: string;
  sha256: string | null;
  status: string;
  error: string | null;
}
interface Ticket {
  fileId: string;
  file: FileNode | null;
  uploadUrl: string;
  uploadMethod: string;
  requiredHeaders: { name: string; value: string }[];
  objectKey: string;
  expiresAt: string;
  maxBytes: number;
}


function request(user: Session | null, input: Record<string, unknown>) {
  return gql<{ requestFileUpload: Ticket }>(
    api,
    `mutation ($input: RequestFileUploadInput!) { requestFileUpload(input: $input) {
       fileId uploadUrl uploadMethod requiredHeaders { name value } objectKey expiresAt maxBytes file { ${FILE_FIELDS} } } }`,
    { input },
    user?.accessToken,
  );
}
function confirm(user: Session, fileId: string) {
  return gql<{ confirmFileUpload: { fileId: string; file: FileNode | null } }>(
    api,
    `mutation ($id: UUID!) { confirmFileUpload(input: {fileId: $id}) { fileId file { ${FILE_FIELDS} } } }`,
    { id: fileId },
    user.accessToken,
  );
}
function download(user: Session, fileId: string) {
  return gql<{ fileDownloadUrl: { fileId: string; url: string; expiresAt: string; filename: string; mimeType: string; file: FileNode | null } }>(
    api,
    `query ($id: UUID!) { fileDownloadUrl(fileId: $id) { fileId url expiresAt filename mimeType file { rowId status } } }`,
    { id: fileId },
    user.accessToken,
  );
}
function remove(user: Session, fileId: string) {
  return gql<{ deleteFile: { fileId: string; deleted: boolean } }>(
    api,
    "mutation ($id: UUID!) { deleteFile(input: {fileId: $id}) { fileId deleted } }",
    { id: fileId },
    user.accessToken,
  );
}
/** PUTs a body to a ticket's URL with the headers it asks for (or others). */
/** Requests an upload as `user` and PUTs `body` (declared as `declared`), returning the ticket. */
async function upload(user: Session, body: Buffer, declared: Record<string, unknown> = {}, headers?: Record<string, string>) {
  const r = await request(user, { filename: "notes.md", mimeType: "text/markdown", sizeBytes: body.length, ...declared });
  expect(r.errors).toBeUndefined();
  const ticket = r.data!.requestFileUpload;
  expect(await putToPresigned(ticket, body, headers)).toBe(200);
  return ticket;
}
const jobsFor = (fileId: string) => queuedJobs(root, "file_id", fileId);
/** Where a ticket's PUT goes: beside the file's own key, which only confirm writes. */
const uploadKeyOf = (ticket: Ticket) => presignedKey(ticket.uploadUrl, storage.bucket);
async function row(fileId: string) {
  const { rows } = await root.query<{ status: string; error: string | null; sha256: string | null; size_bytes: string; object_key: string }>(
    "select status, error, sha256, size_bytes, object_key from app_public.user_files where id = $1",
    [fileId],
  );
  return rows[0] ?? null;
}
const code = errorCode;

describe("upload, confirm, download, delete", () => {
  it("the whole flow for the owner", async () => {
    const body = Buffer.from("# Trip notes\n\nPack the blue tent.\n");
    const r = await request(alice, { filename: "trip notes.md", mimeType: "text/markdown", sizeBytes: body.length, sha256: sha256(body) });
    expect(r.errors).toBeUndefined();
    const ticket = r.data!.requestFileUpload;
    expect(ticket.objectKey).toMatch(new RegExp(`^users/${alice.userId}/files/[0-9a-f-]{36}$`));
    expect(ticket.uploadUrl.startsWith(`${env.s3Url}/`)).toBe(true);
    // The URL writes beside the file's key, inside the user's prefix; never to the file's key.
    expect(uploadKeyOf(ticket)).toMatch(new RegExp(`^users/${alice.userId}/files/`));
    expect(uploadKeyOf(ticket)).not.toBe(ticket.objectKey);
    expect(ticket.file?.objectKey).toBe(ticket.objectKey);
    expect(ticket.uploadMethod).toBe("PUT");
    expect(ticket.requiredHeaders).toEqual([{ name: "Content-Type", value: "text/markdown" }]);
    expect(new Date(ticket.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(ticket.maxBytes).toBe(MAX);
    expect(ticket.file).toMatchObject({ rowId: ticket.fileId, userId: alice.userId, status: "pending_upload", sizeBytes: String(body.length) });

    // Confirming before anything is stored says so and leaves the file pending.
    expect(code(await confirm(alice, ticket.fileId))).toBe("UPLOAD_MISSING");
    expect((await row(ticket.fileId))?.status).toBe("pending_upload");
    expect(await jobsFor(ticket.fileId)).toEqual([]);

    expect(await putToPresigned(ticket, body)).toBe(200);
    const c = await confirm(alice, ticket.fileId);
    expect(c.errors).toBeUndefined();
    expect(c.data!.confirmFileUpload.file).toMatchObject({ status: "uploaded", sha256: sha256(body), error: null, objectKey: ticket.objectKey });
    // The upload was copied to the file's key and is gone from the upload key.
    expect(await storage.statObject(ticket.objectKey)).toMatchObject({ size: body.length, contentType: "text/markdown" });
    expect(await storage.statObject(uploadKeyOf(ticket))).toBeNull();

    const jobs = await jobsFor(ticket.fileId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      task_identifier: "ingest_file",
      key: `ingest_file:${ticket.fileId}`,
      payload: { file_id: ticket.fileId, user_id: alice.userId },
      revision: 0,
    });

    const d = await download(alice, ticket.fileId);
    expect(d.errors).toBeUndefined();
    expect(d.data!.fileDownloadUrl).toMatchObject({ fileId: ticket.fileId, filename: "trip notes.md", mimeType: "text/markdown", file: { status: "uploaded" } });
    expect(presignedKey(d.data!.fileDownloadUrl.url, storage.bucket)).toBe(ticket.objectKey);
    const got = await fetch(d.data!.fileDownloadUrl.url);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(body);

    const del = await remove(alice, ticket.fileId);
    expect(del.errors).toBeUndefined();
    expect(del.data!.deleteFile).toEqual({ fileId: ticket.fileId, deleted: true });
    expect(await storage.statObject(ticket.objectKey)).toBeNull();
    expect(await row(ticket.fileId)).toBeNull();
    expect(code(await download(alice, ticket.fileId))).toBe("NOT_FOUND");
    expect(code(await remove(alice, ticket.fileId))).toBe("NOT_FOUND");
  });

  it("confirming twice, or at the same time, queues ingestion once", async () => {
    const body = Buffer.from("The quick brown fox.\n");
    const ticket = await upload(alice, body, { filename: "fox.txt", mimeType: "text/plain" });
    const [a, b] = await Promise.all([confirm(alice, ticket.fileId), confirm(alice, ticket.fileId)]);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(a.data!.confirmFileUpload.file?.status).toBe("uploaded");
    expect(b.data!.confirmFileUpload.file?.status).toBe("uploaded");
    const jobs = await jobsFor(ticket.fileId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.revision).toBe(0); // never re-added under its key

    // Even after the worker has taken the job off the queue, a later confirm adds nothing.
    await root.query("delete from graphile_worker._private_jobs where key = $1", [`ingest_file:${ticket.fileId}`]);
    expect((await confirm(alice, ticket.fileId)).errors).toBeUndefined();
    expect(await jobsFor(ticket.fileId)).toEqual([]);
  });

  it("a pending or failed file cannot be downloaded", async () => {
    const r = await request(alice, { filename: "later.txt", mimeType: "text/plain", sizeBytes: 5 });
    expect(code(await download(alice, r.data!.requestFileUpload.fileId))).toBe("FILE_NOT_AVAILABLE");
  });

  it("a user may rename a file through the generated API but not change what the server verified, nor delete the row around the object", async () => {
    const body = Buffer.from("rename me\n");
    const ticket = await upload(alice, body, { filename: "a.txt", mimeType: "text/plain" });
    const forged = await gql(
      api,
      "mutation ($id: UUID!) { updateUserFile(input: {rowId: $id, patch: {status: uploaded, sizeBytes: \"1\"}}) { userFile { status } } }",
      { id: ticket.fileId },
      alice.accessToken,
    );
    expect(forged.errors?.[0]?.message).toMatch(/"status" is not defined by type "UserFilePatch"/);
    expect((await row(ticket.fileId))?.status).toBe("pending_upload");
    expect(await jobsFor(ticket.fileId)).toEqual([]);
    const renamed = await gql<{ updateUserFile: { userFile: { filename: string } } }>(
      api,
      "mutation ($id: UUID!) { updateUserFile(input: {rowId: $id, patch: {filename: \"b.txt\"}}) { userFile { filename } } }",
      { id: ticket.fileId },
      alice.accessToken,
    );
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data!.updateUserFile.userFile.filename).toBe("b.txt");
    const generatedDelete = await gql(api, "mutation ($id: UUID!) { deleteUserFile(input: {rowId: $id}) { deletedUserFileId } }", { id: ticket.fileId }, alice.accessToken);
    expect(generatedDelete.errors?.[0]?.message).toMatch(/Cannot query field "deleteUserFile"/);
    expect(await row(ticket.fileId)).not.toBeNull();
  });
});

describe("what is refused when the upload is requested", () => {
  async function rowsOf(user: Session) {
    const { rows } = await root.query<{ n: number }>("select count(*)::int as n from app_public.user_files where user_id = $1", [user.userId]);
    return rows[0]!.n;
  }

  it("a declared size over the limit, an unsupported type, bad names and hashes, anonymous callers", async () => {
    const carol = await signUp(api, "files-carol");
    const base = { filename: "x.pdf", mimeType: "application/pdf", sizeBytes: 100 };
    const tooBig = await request(carol, { ...base, sizeBytes: MAX + 1 });
    expect(code(tooBig)).toBe("FILE_TOO_LARGE");
    expect(tooBig.errors![0]!.extensions!.maxBytes).toBe(MAX);
    expect(code(await request(carol, { ...base, sizeBytes: 2_000_000_000 }))).toBe("FILE_TOO_LARGE");
    expect(code(await request(carol, { ...base, mimeType: "application/x-msdownload" }))).toBe("UNSUPPORTED_TYPE");
    expect(code(await request(carol, { ...base, mimeType: "not a type" }))).toBe("INVALID_INPUT");
    expect(code(await request(carol, { ...base, filename: "../../etc/passwd" }))).toBe("INVALID_INPUT");
    expect(code(await request(carol, { ...base, filename: "" }))).toBe("INVALID_INPUT");
    expect(code(await request(carol, { ...base, filename: "a\nb.pdf" }))).toBe("INVALID_INPUT");
    expect(code(await request(carol, { ...base, sizeBytes: 0 }))).toBe("INVALID_INPUT");
    expect(code(await request(carol, { ...base, sizeBytes: -1 }))).toBe("INVALID_INPUT");
    expect(code(await request(carol, { ...base, sha256: "abc" }))).toBe("INVALID_INPUT");
    expect(code(await request(null, base))).toBe("UNAUTHENTICATED");
    expect(await rowsOf(carol)).toBe(0);
    // A content type with parameters is taken by its essence.
    const ok = await request(carol, { ...base, mimeType: "Application/PDF; charset=binary" });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.requestFileUpload.file?.mimeType).toBe("application/pdf");
    expect(await rowsOf(carol)).toBe(1);
  });
});

describe("confirm checks the stored object itself and deletes what does not fit", () => {
  async function expectRejected(ticket: Ticket, reason: RegExp) {
    expect(await storage.statObject(uploadKeyOf(ticket))).not.toBeNull();
    const c = await confirm(alice, ticket.fileId);
    expect(code(c)).toBe("UPLOAD_MISMATCH");
    expect(String(c.errors![0]!.extensions!.reason)).toMatch(reason);
    expect(await storage.statObject(uploadKeyOf(ticket))).toBeNull();
    expect(await storage.statObject(ticket.objectKey)).toBeNull();
    const r = await row(ticket.fileId);
    expect(r?.status).toBe("failed");
    expect(r?.error).toMatch(reason);
    expect(await jobsFor(ticket.fileId)).toEqual([]);
    // It stays rejected; nothing can be downloaded.
    expect(code(await confirm(alice, ticket.fileId))).toBe("UPLOAD_FAILED");
    expect(code(await download(alice, ticket.fileId))).toBe("FILE_NOT_AVAILABLE");
  }

  it("more bytes than declared", async () => {
    const r = await request(alice, { filename: "small.txt", mimeType: "text/plain", sizeBytes: 10 });
    const ticket = r.data!.requestFileUpload;
    expect(await putToPresigned(ticket, Buffer.alloc(5000, "a"))).toBe(200); // the store takes it anyway
    await expectRejected(ticket, /5000 bytes, not the 10 declared/);
  });

  it("fewer bytes than declared", async () => {
    const r = await request(alice, { filename: "short.txt", mimeType: "text/plain", sizeBytes: 100 });
    const ticket = r.data!.requestFileUpload;
    expect(await putToPresigned(ticket, Buffer.from("tiny"))).toBe(200);
    await expectRejected(ticket, /4 bytes, not the 100 declared/);
  });

  it("more than the limit", async () => {
    const r = await request(alice, { filename: "big.txt", mimeType: "text/plain", sizeBytes: MAX });
    const ticket = r.data!.requestFileUpload;
    expect(await putToPresigned(ticket, Buffer.alloc(MAX * 2, "b"))).toBe(200);
    await expectRejected(ticket, /more than the 65536 allowed/);
  });

  it("a different hash than declared", async () => {
    const body = Buffer.from("what was uploaded\n");
    const ticket = await upload(alice, body, { filename: "h.txt", mimeType: "text/plain", sha256: sha256(Buffer.from("what was meant!!\n\n")) });
    await expectRejected(ticket, /SHA-256/);
  });

  it("stored with another content type than declared", async () => {
    const body = Buffer.from("%PDF-1.7 pretending\n");
    const ticket = await upload(alice, body, { filename: "t.txt", mimeType: "text/plain" }, { "content-type": "application/pdf" });
    await expectRejected(ticket, /stored as application\/pdf, not text\/plain/);
  });

  it("stored without the required content type", async () => {
    const r = await request(alice, { filename: "n.txt", mimeType: "text/plain", sizeBytes: 3 });
    const ticket = r.data!.requestFileUpload;
    expect(await putToPresigned(ticket, Buffer.from("abc"), {})).toBe(200);
    // fetch sends no Content-Type for a Buffer body; s3rver records its default.
    expect((await storage.statObject(uploadKeyOf(ticket)))?.contentType).toBe("binary/octet-stream");
    await expectRejected(ticket, /stored as binary\/octet-stream, not text\/plain/);
  });

  it("content that is not what its type says (a text file labelled as a PNG)", async () => {
    const body = Buffer.from("definitely not a png\n");
    const ticket = await upload(alice, body, { filename: "pic.png", mimeType: "image/png" });
    await expectRejected(ticket, /does not look like image\/png/);
  });

  it("a real PNG header passes", async () => {
    const body = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
    const ticket = await upload(alice, body, { filename: "pic.png", mimeType: "image/png", sha256: sha256(body) });
    const c = await confirm(alice, ticket.fileId);
    expect(c.errors).toBeUndefined();
    expect(c.data!.confirmFileUpload.file?.status).toBe("uploaded");
  });
});

describe("a confirmed file is immutable", () => {
  /** What a presigned download URL of the file serves. */
  async function served(fileId: string): Promise<Buffer> {
    const d = await download(alice, fileId);
    expect(d.errors).toBeUndefined();
    const res = await fetch(d.data!.fileDownloadUrl.url);
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  }

  it("a PUT to the upload URL after confirm changes neither what is downloaded nor the row", async () => {
    const body = Buffer.from("# Verified\n\nThe bytes the server checked.\n");
    const ticket = await upload(alice, body, { filename: "verified.md", sha256: sha256(body) });
    expect((await confirm(alice, ticket.fileId)).errors).toBeUndefined();
    const confirmed = await row(ticket.fileId);
    expect(confirmed).toMatchObject({ status: "uploaded", sha256: sha256(body), size_bytes: String(body.length) });

    // The upload URL is still within its lifetime and the store takes the PUT: bigger, other bytes.
    const replacement = Buffer.from("#!/bin/sh\necho replaced after the checks\n".repeat(50));
    expect(await putToPresigned(ticket, replacement)).toBe(200);

    expect(sha256(await served(ticket.fileId))).toBe(sha256(body));
    expect(await row(ticket.fileId)).toEqual(confirmed);
    // The late PUT made an object no row refers to: the retention task's sweep removes it.
    expect(await storage.statObject(uploadKeyOf(ticket))).toMatchObject({ size: replacement.length });
    const { rows: orphans } = await root.query<{ k: string }>("select k from app_hidden.unreferenced_object_keys($1::text[]) k", [
      [uploadKeyOf(ticket), ticket.objectKey],
    ]);
    expect(orphans.map((o) => o.k)).toEqual([uploadKeyOf(ticket)]);
    // Confirming again changes nothing either.
    const again = await confirm(alice, ticket.fileId);
    expect(again.errors).toBeUndefined();
    expect(again.data!.confirmFileUpload.file).toMatchObject({ status: "uploaded", sha256: sha256(body), sizeBytes: String(body.length) });
    expect(sha256(await served(ticket.fileId))).toBe(sha256(body));
    // Deleting removes both objects.
    expect((await remove(alice, ticket.fileId)).errors).toBeUndefined();
    expect(await storage.statObject(ticket.objectKey)).toBeNull();
    expect(await storage.statObject(uploadKeyOf(ticket))).toBeNull();
  });

  it("deleting a file that was never confirmed removes its upload", async () => {
    const ticket = await upload(alice, Buffer.from("never confirmed\n"), { filename: "draft.txt", mimeType: "text/plain" });
    expect(await storage.statObject(uploadKeyOf(ticket))).not.toBeNull();
    expect((await remove(alice, ticket.fileId)).errors).toBeUndefined();
    expect(await storage.statObject(uploadKeyOf(ticket))).toBeNull();
    expect(await row(ticket.fileId)).toBeNull();
  });

  it("PUTs racing a confirm never leave the row describing other bytes than the ones served", async () => {
    // Same size and type, no declared hash: either body passes the checks, so only the row can
    // say which one was verified.
    const first = Buffer.from("first version of the note\n");
    const second = Buffer.from("other version of the note\n");
    const third = Buffer.from("third version of the note\n");
    expect(new Set([first.length, second.length, third.length]).size).toBe(1);
    const ticket = await upload(alice, first, { filename: "race.txt", mimeType: "text/plain" });
    let confirming = true;
    const racer = (async () => {
      // s3rver's file store may answer 500 to a PUT that races a copy or delete of the same key.
      for (let puts = 0; confirming || puts < 6; puts++) expect([200, 500]).toContain(await putToPresigned(ticket, puts % 2 === 0 ? second : first));
    })();
    const c = await confirm(alice, ticket.fileId).finally(() => (confirming = false));
    await racer;
    expect(await putToPresigned(ticket, third)).toBe(200);
    const r = (await row(ticket.fileId))!;
    if (c.errors) {
      // Caught changing under the checks (or the store failed the copy): nothing to download.
      expect(r.status).not.toBe("uploaded");
      expect(code(await download(alice, ticket.fileId))).toBe("FILE_NOT_AVAILABLE");
      return;
    }
    expect(r.status).toBe("uploaded");
    const bytes = await served(ticket.fileId);
    expect(sha256(bytes)).toBe(r.sha256);
    expect(String(bytes.length)).toBe(r.size_bytes);
  });
});

describe("another user's files", () => {
  it("B cannot confirm, download or delete A's file, and learns nothing about it", async () => {
    const confirmed = await upload(alice, Buffer.from("alice's diary\n"), { filename: "diary.txt", mimeType: "text/plain" });
    expect((await confirm(alice, confirmed.fileId)).errors).toBeUndefined();
    const pending = await upload(alice, Buffer.from("alice's draft\n"), { filename: "draft.txt", mimeType: "text/plain" });
    const nobody = randomUUID();

    for (const id of [confirmed.fileId, pending.fileId]) {
      const attempts = [await confirm(bob, id), await download(bob, id), await remove(bob, id)];
      for (const a of attempts) {
        expect(code(a)).toBe("NOT_FOUND");
        expect(JSON.stringify(a.errors)).not.toContain(alice.userId);
      }
    }
    // Exactly what a file that does not exist gets.
    const missing = [await confirm(bob, nobody), await download(bob, nobody), await remove(bob, nobody)];
    expect(missing.map((m) => m.errors?.[0]?.message)).toEqual(
      [await confirm(bob, pending.fileId), await download(bob, pending.fileId), await remove(bob, pending.fileId)].map((m) => m.errors?.[0]?.message),
    );

    // A's objects and rows are untouched; the pending one was not confirmed or queued by B.
    expect(await storage.statObject(confirmed.objectKey)).not.toBeNull();
    expect(await storage.statObject(uploadKeyOf(pending))).not.toBeNull();
    expect((await row(confirmed.fileId))?.status).toBe("uploaded");
    expect((await row(pending.fileId))?.status).toBe("pending_upload");
    expect(await jobsFor(pending.fileId)).toEqual([]);
    // And A still can do all of it.
    expect((await confirm(alice, pending.fileId)).errors).toBeUndefined();
    expect((await download(alice, confirmed.fileId)).errors).toBeUndefined();
    expect((await remove(alice, confirmed.fileId)).errors).toBeUndefined();
    expect(await storage.statObject(confirmed.objectKey)).toBeNull();
  });

  it("B's upload lands under B's own prefix", async () => {
    const r = await request(bob, { filename: "b.txt", mimeType: "text/plain", sizeBytes: 3 });
    expect(r.data!.requestFileUpload.objectKey.startsWith(`users/${bob.userId}/files/`)).toBe(true);
  });
});
