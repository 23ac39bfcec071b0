// The embedded S3 server (scripts/local-s3.ts) as another local process sees it: every request
// must carry an AWS Signature V4 made with this install's key pair, over exactly the method, path,
// query and headers sent. Unsigned, wrongly signed, re-pathed and expired requests get an S3 error
// before s3rver sees them, and another tenant's object is left as it was.
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Client, CopyDestinationOptions, CopySourceOptions } from "minio";
import { signV4 } from "minio/dist/esm/signing.mjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "../lib/config.ts";
import { SignatureError, verifySignatureV4, type SignedRequest } from "../lib/sigv4.ts";
import { createStorage, type Storage } from "../lib/storage.ts";
import { startLocalS3, type LocalS3 } from "../scripts/local-s3.ts";

let dataDir: string;
let server: LocalS3;
let s3: Config["s3"];
let storage: Storage;
let client: Client;
let host: string;

const VICTIM_BYTES = Buffer.from("tenant b's private notes\n");
let victimKey: string;
let victimEtag: string;

function clientFor(credentials: { accessKey: string; secretKey: string }): Client {
  return new Client({ endPoint: "127.0.0.1", port: s3.port, useSSL: false, region: s3.region, pathStyle: true, ...credentials });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "openclaw-local-s3-"));
  const config = loadConfig();
  server = await startLocalS3({ dataDir, s3: { ...config.s3, endpoint: null, port: 0 } });
  s3 = { ...config.s3, endpoint: null, port: Number(new URL(server.url).port) };
  host = new URL(server.url).host;
  storage = createStorage({ s3 });
  client = clientFor(s3);
  victimKey = `tenant-b/${randomUUID()}/notes.txt`;
  victimEtag = (await storage.putObject(victimKey, VICTIM_BYTES, "text/plain")).etag;
});

afterAll(async () => {
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const objectUrl = (key: string) => `${server.url}/${s3.bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;

/** A request sent exactly as written: no URL normalisation, no added headers but Host. */
function rawRequest(method: string, pathAndQuery: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: s3.port, method, path: pathAndQuery, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The victim's object still holds exactly its own bytes. */
async function expectVictimUnchanged(): Promise<void> {
  expect(await storage.getObject(victimKey, 1 << 20)).toEqual(VICTIM_BYTES);
  expect((await storage.statObject(victimKey))?.etag).toBe(victimEtag);
}

/** The S3 error code of an XML error body (S3 and s3rver answer `<Error><Code>…</Code>…`). */
async function s3ErrorCode(res: Response): Promise<string | null> {
  const body = await res.text();
  return /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? null;
}

const EMPTY_SHA256 = createHash("sha256").digest("hex");
const amzDate = (date: Date) => date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/** Headers of a request signed in the Authorization header, as the minio client signs them. */
function headerSigned(method: string, pathAndQuery: string, secretKey: string, date = new Date()): Record<string, string> {
  const headers = { "x-amz-date": amzDate(date), "x-amz-content-sha256": EMPTY_SHA256 };
  // Host is signed too; fetch sends it itself, with the same value.
  const request = { protocol: "http:", method, path: pathAndQuery, headers: { host, ...headers } };
  return { ...headers, authorization: signV4(request, s3.accessKey, secretKey, s3.region, date, EMPTY_SHA256) };
}

describe("the local S3 server refuses what this install did not sign", () => {
  it("refuses unsigned reads, writes, deletes and listings", async () => {
    for (const method of ["GET", "HEAD"]) {
      const res = await fetch(objectUrl(victimKey), { method });
      expect({ method, status: res.status }).toEqual({ method, status: 403 });
      if (method === "GET") expect(await s3ErrorCode(res)).toBe("AccessDenied");
      else await res.body?.cancel();
    }
    const put = await fetch(objectUrl(victimKey), { method: "PUT", body: "overwritten", headers: { "content-type": "text/plain" } });
    expect(put.status).toBe(403);
    expect(await s3ErrorCode(put)).toBe("AccessDenied");
    const del = await fetch(objectUrl(victimKey), { method: "DELETE" });
    expect(del.status).toBe(403);
    await del.body?.cancel();

    for (const listing of [`/${s3.bucket}`, `/${s3.bucket}?list-type=2&prefix=tenant-b/`, `/${s3.bucket}/`, "/"]) {
      const res = await fetch(`${server.url}${listing}`);
      const body = await res.text();
      expect({ listing, status: res.status }).toEqual({ listing, status: 403 });
      expect(body).toContain("<Code>AccessDenied</Code>");
      expect(body).not.toContain("tenant-b");
    }
    await expectVictimUnchanged();
  });

  it("refuses requests signed with a wrong secret, in the header or presigned", async () => {
    const forger = createStorage({ s3: { ...s3, secretKey: `${s3.secretKey}x` } });
    await expect(forger.getObject(victimKey, 1 << 20)).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });
    await expect(forger.putObject(victimKey, "overwritten", "text/plain")).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });
    await expect(forger.removeObject(victimKey)).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });
    await expect(forger.ping()).rejects.toThrow();
    await expect(forger.statObject(victimKey)).rejects.toThrow();
    await expect(
      (async () => {
        for await (const item of forger.listObjects("tenant-b/")) void item;
      })(),
    ).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });

    const get = await fetch(await forger.presignedGet(victimKey, 60));
    expect(get.status).toBe(403);
    expect(await s3ErrorCode(get)).toBe("SignatureDoesNotMatch");
    const put = await fetch(await forger.presignedPut(victimKey, 60), { method: "PUT", body: "overwritten" });
    expect(put.status).toBe(403);
    await put.body?.cancel();

    // The key id s3rver ships with is not accepted either.
    const builtIn = createStorage({ s3: { ...s3, accessKey: "S3RVER", secretKey: "S3RVER" } });
    await expect(builtIn.getObject(victimKey, 1 << 20)).rejects.toMatchObject({ code: "InvalidAccessKeyId" });
    await expectVictimUnchanged();
  });

  it("refuses a presigned PUT re-pathed to another key, used with another method, or carrying unsigned x-amz headers", async () => {
    const ownKey = `tenant-a/${randomUUID()}/upload`;
    const url = new URL(await storage.presignedPut(ownKey, 60));

    const repathed = new URL(url);
    repathed.pathname = new URL(objectUrl(victimKey)).pathname;
    const put = await fetch(repathed, { method: "PUT", body: "overwritten", headers: { "content-type": "text/plain" } });
    expect(put.status).toBe(403);
    expect(await s3ErrorCode(put)).toBe("SignatureDoesNotMatch");

    // Dot segments and an encoded slash, sent as they are (fetch would normalise them away).
    for (const pathname of [`${url.pathname}/../../../${victimKey}`, `/${s3.bucket}/tenant-a%2F..%2F${victimKey}`]) {
      const res = await rawRequest("PUT", `${pathname}${url.search}`, {}, "overwritten");
      expect({ pathname, status: res.status }).toEqual({ pathname, status: 403 });
    }

    // GET with a PUT's signature: the method is signed too.
    const get = await fetch(url);
    expect(get.status).toBe(403);
    await get.body?.cancel();

    // A server-side copy of the victim's object into the uploader's own key, through their own URL.
    const copy = await fetch(url, { method: "PUT", headers: { "x-amz-copy-source": `/${s3.bucket}/${victimKey}` } });
    expect(copy.status).toBe(403);
    expect(await s3ErrorCode(copy)).toBe("AccessDenied");
    expect(await storage.statObject(ownKey)).toBeNull();

    await expectVictimUnchanged();
  });

  it("refuses expired and not-yet-valid presigned URLs", async () => {
    const ownKey = `tenant-a/${randomUUID()}/old`;
    await storage.putObject(ownKey, "mine", "text/plain");
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    for (const method of ["GET", "PUT"]) {
      const expired = await client.presignedUrl(method, s3.bucket, ownKey, 60, {}, twoMinutesAgo);
      const res = await fetch(expired, { method, ...(method === "PUT" ? { body: "replaced" } : {}) });
      expect({ method, status: res.status, code: await s3ErrorCode(res) }).toEqual({ method, status: 403, code: "AccessDenied" });
    }
    const future = await client.presignedUrl("GET", s3.bucket, ownKey, 60, {}, new Date(Date.now() + 3_600_000));
    const res = await fetch(future);
    expect(res.status).toBe(403);
    await res.body?.cancel();
    expect(await storage.getObject(ownKey, 100)).toEqual(Buffer.from("mine"));
  });

  it("refuses a header-signed request replayed to another key, or signed too long ago", async () => {
    const ownKey = `tenant-a/${randomUUID()}/own`;
    await storage.putObject(ownKey, "mine", "text/plain");
    const ownPath = new URL(objectUrl(ownKey)).pathname;
    const headers = headerSigned("GET", ownPath, s3.secretKey);
    const ok = await fetch(`${server.url}${ownPath}`, { headers });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("mine");

    const replayed = await fetch(objectUrl(victimKey), { headers });
    expect(replayed.status).toBe(403);
    expect(await s3ErrorCode(replayed)).toBe("SignatureDoesNotMatch");
    const withQuery = await fetch(`${server.url}${ownPath}?acl`, { headers });
    expect(withQuery.status).toBe(403);
    await withQuery.body?.cancel();

    const stale = headerSigned("GET", ownPath, s3.secretKey, new Date(Date.now() - 20 * 60_000));
    const old = await fetch(`${server.url}${ownPath}`, { headers: stale });
    expect(old.status).toBe(403);
    expect(await s3ErrorCode(old)).toBe("RequestTimeTooSkewed");
  });
});

describe("lib/sigv4.ts against the S3 examples of AWS's Signature Version 4 documentation", () => {
  const example = { accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
  const at = new Date("2013-05-24T00:00:00Z");
  const refusal = (request: SignedRequest, now = at) => {
    try {
      verifySignatureV4(request, example, "us-east-1", now);
      return null;
    } catch (error) {
      if (error instanceof SignatureError) return error.code;
      throw error;
    }
  };

  it("accepts the header-signed GET Object example, and not one byte changed", () => {
    const headers = {
      host: ["examplebucket.s3.amazonaws.com"],
      range: ["bytes=0-9"],
      "x-amz-content-sha256": [EMPTY_SHA256],
      "x-amz-date": ["20130524T000000Z"],
      authorization: [
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request," +
          "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date," +
          "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
      ],
    };
    expect(refusal({ method: "GET", url: "/test.txt", headers })).toBeNull();
    expect(refusal({ method: "GET", url: "/test.txT", headers })).toBe("SignatureDoesNotMatch");
    expect(refusal({ method: "GET", url: "/test.txt", headers: { ...headers, range: ["bytes=0-8"] } })).toBe("SignatureDoesNotMatch");
    expect(refusal({ method: "GET", url: "/test.txt", headers }, new Date("2013-05-24T00:16:00Z"))).toBe("RequestTimeTooSkewed");
  });

  it("accepts the presigned GET Object example until it expires", () => {
    const url =
      "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
      "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
      "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    const headers = { host: ["examplebucket.s3.amazonaws.com"] };
    expect(refusal({ method: "GET", url, headers }, new Date("2013-05-24T23:59:59Z"))).toBeNull();
    expect(refusal({ method: "GET", url, headers }, new Date("2013-05-25T00:00:01Z"))).toBe("AccessDenied");
    expect(refusal({ method: "PUT", url, headers })).toBe("SignatureDoesNotMatch");
    expect(refusal({ method: "GET", url: url.replace("/test.txt", "/other.txt"), headers })).toBe("SignatureDoesNotMatch");
    expect(refusal({ method: "GET", url: `${url}&acl`, headers })).toBe("SignatureDoesNotMatch");
    expect(refusal({ method: "GET", url, headers: { host: ["otherbucket.s3.amazonaws.com"] } })).toBe("SignatureDoesNotMatch");
    expect(refusal({ method: "GET", url, headers: { ...headers, "x-amz-copy-source": ["/examplebucket/secret"] } })).toBe("AccessDenied");
    expect(refusal({ method: "GET", url: url.replace("us-east-1", "eu-west-1"), headers })).toBe("AuthorizationQueryParametersError");
  });
});

describe("the minio client with this install's keys", () => {
  it("copies an object server-side (the upload confirm step)", async () => {
    const from = `tenant-a/${randomUUID()}/upload`;
    const to = `tenant-a/${randomUUID()}/file`;
    await storage.putObject(from, "copied bytes", "text/markdown");
    await client.copyObject(new CopySourceOptions({ Bucket: s3.bucket, Object: from }), new CopyDestinationOptions({ Bucket: s3.bucket, Object: to }));
    expect(await storage.getObject(to, 100)).toEqual(Buffer.from("copied bytes"));
    expect(await storage.statObject(to)).toMatchObject({ contentType: "text/markdown" });
  });
});

describe("per-install S3 credentials", () => {
  const saved = { DATA_DIR: process.env.DATA_DIR, S3_ACCESS_KEY: process.env.S3_ACCESS_KEY, S3_SECRET_KEY: process.env.S3_SECRET_KEY };
  function withEnv<T>(env: Record<string, string | undefined>, fn: () => T): T {
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    try {
      return fn();
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }

  it("are generated once into the data folder (owner-only) and read back by every later load", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "openclaw-s3-keys-"));
    try {
      const first = withEnv({ DATA_DIR: dir, S3_ACCESS_KEY: undefined, S3_SECRET_KEY: undefined }, () => loadConfig().s3);
      expect(first.secretKey).not.toBe("S3RVER");
      expect(first.secretKey.length).toBeGreaterThanOrEqual(32);
      const file = path.join(dir, "s3-credentials.json");
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ accessKey: first.accessKey, secretKey: first.secretKey });
      const again = withEnv({ DATA_DIR: dir, S3_ACCESS_KEY: undefined, S3_SECRET_KEY: undefined }, () => loadConfig().s3);
      expect(again).toMatchObject({ accessKey: first.accessKey, secretKey: first.secretKey });

      const other = await mkdtemp(path.join(os.tmpdir(), "openclaw-s3-keys-"));
      const elsewhere = withEnv({ DATA_DIR: other, S3_ACCESS_KEY: undefined, S3_SECRET_KEY: undefined }, () => loadConfig().s3);
      await rm(other, { recursive: true, force: true });
      expect(elsewhere.secretKey).not.toBe(first.secretKey);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("come from S3_ACCESS_KEY and S3_SECRET_KEY when both are set, and one without the other is an error", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "openclaw-s3-keys-"));
    try {
      const set = withEnv({ DATA_DIR: dir, S3_ACCESS_KEY: "minio-user", S3_SECRET_KEY: "minio-secret-123" }, () => loadConfig().s3);
      expect(set).toMatchObject({ accessKey: "minio-user", secretKey: "minio-secret-123" });
      await expect(stat(path.join(dir, "s3-credentials.json"))).rejects.toMatchObject({ code: "ENOENT" });
      expect(() => withEnv({ DATA_DIR: dir, S3_ACCESS_KEY: "minio-user", S3_SECRET_KEY: undefined }, loadConfig)).toThrow(/S3_SECRET_KEY/);
      expect(() => withEnv({ DATA_DIR: dir, S3_ACCESS_KEY: undefined, S3_SECRET_KEY: "minio-secret-123" }, loadConfig)).toThrow(/S3_ACCESS_KEY/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
