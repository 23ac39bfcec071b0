// lib/storage.ts against a real embedded S3 server (scripts/local-s3.ts) on a free loopback port:
// the same client calls, presigned URLs and missing-object handling the file features rely on.
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "../lib/config.ts";
import { createStorage, type Storage } from "../lib/storage.ts";
import { startLocalS3, type LocalS3 } from "../scripts/local-s3.ts";

let dataDir: string;
let server: LocalS3;
let s3: Config["s3"];
let storage: Storage;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "openclaw-storage-"));
  const config = loadConfig();
  // Port 0: the OS picks a free port, so this never collides with a running `npm start`.
  server = await startLocalS3({ dataDir, s3: { ...config.s3, endpoint: null, port: 0 } });
  s3 = { ...config.s3, endpoint: null, port: Number(new URL(server.url).port) };
  storage = createStorage({ s3 });
});

afterAll(async () => {
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const key = () => `test/${randomUUID()}`;

describe("storage", () => {
  it("points at the embedded server when S3_ENDPOINT is unset, and the bucket exists", async () => {
    expect(storage.endpoint).toBe(server.url);
    expect(await storage.ping()).toBe(true);
    await storage.ensureBucket(); // idempotent on an existing bucket
  });

  it("creates a missing bucket", async () => {
    const other = createStorage({ s3: { ...s3, bucket: `scratch-${randomUUID().slice(0, 8)}` } });
    expect(await other.ping()).toBe(false);
    await other.ensureBucket();
    expect(await other.ping()).toBe(true);
  });

  it("puts and stats an object, and returns null for a missing one", async () => {
    const k = key();
    const body = Buffer.from("hello, object store\n");
    const { etag } = await storage.putObject(k, body, "text/plain");
    const stat = await storage.statObject(k);
    expect(stat).toMatchObject({ size: body.length, contentType: "text/plain", etag });
    // For a single-part upload the etag is the body's MD5.
    expect(stat?.etag).toBe(createHash("md5").update(body).digest("hex"));
    expect(await storage.statObject(key())).toBeNull();
  });

  it("uploads through a presigned PUT and downloads through a presigned GET", async () => {
    const k = key();
    const body = Buffer.from(JSON.stringify({ attachment: true, n: 42 }));
    const putUrl = await storage.presignedPut(k, 60);
    const put = await fetch(putUrl, { method: "PUT", body, headers: { "content-type": "application/json" } });
    expect(put.status).toBe(200);

    const stat = await storage.statObject(k);
    expect(stat).toMatchObject({ size: body.length, contentType: "application/json" });

    const got = await fetch(await storage.presignedGet(k, 60));
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(body);
  });

  it("gets and lists objects whose keys and prefixes need URI encoding (the server checks signatures over them)", async () => {
    const prefix = `test/${randomUUID()}/a b=c&d`;
    const k = `${prefix}/ünï cødé (1)*!~.txt`;
    const body = Buffer.from("encoded key\n");
    await storage.putObject(k, body, "text/plain");
    expect(await storage.getObject(k, 1000)).toEqual(body);
    expect(await storage.getObject(`${prefix}/missing`, 1000)).toBeNull();
    const listed: string[] = [];
    for await (const item of storage.listObjects(`${prefix}/`)) listed.push(item.key);
    expect(listed).toEqual([k]);

    const replaced = Buffer.from("replaced through a presigned URL\n");
    const put = await fetch(await storage.presignedPut(k, 60), { method: "PUT", body: replaced, headers: { "content-type": "text/plain" } });
    expect(put.status).toBe(200);
    const got = await fetch(await storage.presignedGet(k, 60));
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(replaced);
  });

  it("removes objects, and removing a missing one succeeds", async () => {
    const k = key();
    await storage.putObject(k, "bye", "text/plain");
    await storage.removeObject(k);
    expect(await storage.statObject(k)).toBeNull();
    await storage.removeObject(k);
  });

  it("ping rejects when the server refuses the access key", async () => {
    const stranger = createStorage({ s3: { ...s3, accessKey: `unknown-${randomUUID()}` } });
    await expect(stranger.ping()).rejects.toThrow();
  });
});
