// Helpers shared by the upload suites (files, skill packages): hashing, error codes, the PUT a
// client makes to a presigned URL, and the worker jobs an upload queued.
import { createHash } from "node:crypto";
import type pg from "pg";
import type { ApiServer } from "../../api/server.ts";
import { gql } from "./api.ts";

export const sha256 = (body: Buffer) => createHash("sha256").update(body).digest("hex");

export const errorCode = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

export interface PresignedPut {
  uploadUrl: string;
  uploadMethod: string;
  requiredHeaders: { name: string; value: string }[];
}

/** PUTs `body` to a presigned upload URL with the headers the ticket asks for (or `headers`); returns the status. */
export async function putToPresigned(ticket: PresignedPut, body: Buffer, headers?: Record<string, string>): Promise<number> {
  const res = await fetch(ticket.uploadUrl, {
    method: ticket.uploadMethod,
    body: new Uint8Array(body),
    headers: headers ?? Object.fromEntries(ticket.requiredHeaders.map((h) => [h.name, h.value])),
  });
  await res.arrayBuffer();
  return res.status;
}

/** The object key a presigned URL reads or writes (path-style: /<bucket>/<key>). */
export function presignedKey(url: string, bucket: string): string {
  const path = decodeURIComponent(new URL(url).pathname);
  if (!path.startsWith(`/${bucket}/`)) throw new Error(`${url} is not in bucket ${bucket}`);
  return path.slice(bucket.length + 2);
}

/** graphile-worker jobs whose payload has `payloadKey` = `id` (read as the superuser). */
export async function queuedJobs(root: pg.Pool, payloadKey: string, id: string) {
  const { rows } = await root.query<{ task_identifier: string; key: string; payload: Record<string, string>; revision: number }>(
    `select t.identifier as task_identifier, j.key, j.payload, j.revision
       from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where j.payload->>$1 = $2`,
    [payloadKey, id],
  );
  return rows;
}

/** The whole client flow for a file: request a ticket, PUT the bytes, confirm. Returns the file id. */
export async function uploadAndConfirmFile(
  api: ApiServer,
  user: { accessToken: string },
  file: { filename: string; mimeType: string; body: Buffer },
): Promise<string> {
  const r = await gql<{ requestFileUpload: PresignedPut & { fileId: string } }>(
    api,
    `mutation ($input: RequestFileUploadInput!) { requestFileUpload(input: $input) { fileId uploadUrl uploadMethod requiredHeaders { name value } } }`,
    { input: { filename: file.filename, mimeType: file.mimeType, sizeBytes: file.body.length, sha256: sha256(file.body) } },
    user.accessToken,
  );
  if (r.errors) throw new Error(`requestFileUpload: ${JSON.stringify(r.errors)}`);
  const ticket = r.data!.requestFileUpload;
  const status = await putToPresigned(ticket, file.body);
  if (status !== 200) throw new Error(`upload PUT answered ${status}`);
  const c = await gql(api, "mutation ($id: UUID!) { confirmFileUpload(input: {fileId: $id}) { fileId } }", { id: ticket.fileId }, user.accessToken);
  if (c.errors) throw new Error(`confirmFileUpload: ${JSON.stringify(c.errors)}`);
  return ticket.fileId;
}
