// The one S3 wrapper. Every process talks to object storage through this module, with the same
// `minio` client code path whether the far end is real MinIO (docker compose) or the embedded
// s3rver that `npm start` and the tests run on loopback (scripts/local-s3.ts).
//
// Never rely on the store to enforce size, type or ownership: a presigned URL binds only the key
// and s3rver ignores POST-policy limits (ARCHITECTURE.md §8). Callers check what `statObject`
// returns.
import type { Readable } from "node:stream";
import { Client, CopyDestinationOptions, CopySourceOptions } from "minio";
import type { Config } from "./config.ts";

export interface StoredObject {
  size: number;
  etag: string;
  /** As stored with the object; null when the uploader sent none. */
  contentType: string | null;
  lastModified: Date;
}

export interface Storage {
  readonly bucket: string;
  /** The base URL requests go to (the embedded server's loopback URL when S3_ENDPOINT is unset). */
  readonly endpoint: string;
  /** Creates the bucket when it does not exist yet; safe to call on every start. */
  ensureBucket(): Promise<void>;
  putObject(key: string, body: Buffer | string | Readable, contentType: string): Promise<{ etag: string }>;
  /** Size, etag and content type of a stored object, or null when there is no such object. */
  statObject(key: string): Promise<StoredObject | null>;
  /**
   * The object's bytes, or null when there is no such object. Refuses (throws ObjectTooLargeError)
   * past `maxBytes`, counting what actually arrives, not what the store says.
   */
  getObject(key: string, maxBytes: number): Promise<Buffer | null>;
  /**
   * A server-side copy of `fromKey` to `toKey`, content type included; false when there is no
   * object at `fromKey`. The copy is only as consistent as the store makes it (s3rver copies the
   * bytes and the metadata in two steps), so check what arrived with `statObject`.
   */
  copyObject(fromKey: string, toKey: string): Promise<boolean>;
  /** Idempotent: removing a missing key succeeds, as in S3. */
  removeObject(key: string): Promise<void>;
  /** Every object under `prefix` (recursively) with its size and last change. */
  listObjects(prefix: string): AsyncIterable<{ key: string; size: number; lastModified: Date }>;
  /** A URL a client can PUT the object body to, without credentials, for `expirySeconds`. */
  presignedPut(key: string, expirySeconds: number): Promise<string>;
  presignedGet(key: string, expirySeconds: number): Promise<string>;
  /** Whether the bucket exists; rejects when the server cannot be reached or refuses the keys. */
  ping(): Promise<boolean>;
}

export class ObjectTooLargeError extends Error {
  constructor(key: string, readonly maxBytes: number) {
    super(`object ${key} is larger than ${maxBytes} bytes`);
  }
}

/** Where the object store is: S3_ENDPOINT, or the embedded local server on loopback. */
export function s3Endpoint(s3: Config["s3"]): string {
  return s3.endpoint ?? `http://127.0.0.1:${s3.port}`;
}

export function createStorage(config: Pick<Config, "s3">): Storage {
  const { s3 } = config;
  const endpoint = s3Endpoint(s3);
  const url = new URL(endpoint);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`S3_ENDPOINT must be an http(s) URL, got "${endpoint}"`);
  }
  const useSSL = url.protocol === "https:";
  const client = new Client({
    endPoint: url.hostname,
    port: url.port === "" ? (useSSL ? 443 : 80) : Number(url.port),
    useSSL,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    // A fixed region spares a GetBucketLocation round trip before every first request.
    region: s3.region,
    // Path-style (`host/bucket/key`): service hostnames like `minio` and loopback IPs have no
    // per-bucket subdomains.
    pathStyle: true,
  });
  const bucket = s3.bucket;

  return {
    bucket,
    endpoint,

    async ensureBucket() {
      if (await client.bucketExists(bucket)) return;
      try {
        await client.makeBucket(bucket, s3.region);
      } catch (error) {
        // Another process may have created it between the check and the create.
        if (!isErrorCode(error, "BucketAlreadyOwnedByYou", "BucketAlreadyExists")) throw error;
      }
    },

    async putObject(key, body, contentType) {
      const size = typeof body === "string" ? Buffer.byteLength(body) : Buffer.isBuffer(body) ? body.length : undefined;
      const { etag } = await client.putObject(bucket, key, body, size, { "Content-Type": contentType });
      return { etag };
    },

    async getObject(key, maxBytes) {
      let stream: Readable;
      try {
        stream = await client.getObject(bucket, key);
      } catch (error) {
        if (isErrorCode(error, "NotFound", "NoSuchKey")) return null;
        throw error;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of stream) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) {
          stream.destroy();
          throw new ObjectTooLargeError(key, maxBytes);
        }
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks);
    },
    async statObject(key) {
      try {
        const stat = await client.statObject(bucket, key);
        const contentType = stat.metaData["content-type"];
        return {
          size: stat.size,
          etag: stat.etag,
          contentType: typeof contentType === "string" && contentType !== "" ? contentType : null,
          lastModified: stat.lastModified,
        };
      } catch (error) {
        // A HEAD on a missing key has no body, so the client only knows "404 NotFound".
        if (isErrorCode(error, "NotFound", "NoSuchKey")) return null;
        throw error;
      }
    },

    async copyObject(fromKey, toKey) {
      try {
        await client.copyObject(
          new CopySourceOptions({ Bucket: bucket, Object: fromKey }),
          new CopyDestinationOptions({ Bucket: bucket, Object: toKey }),
        );
        return true;
      } catch (error) {
        if (isErrorCode(error, "NotFound", "NoSuchKey")) return false;
        throw error;
      }
    },

    async removeObject(key) {
      await client.removeObject(bucket, key);
    },

    async *listObjects(prefix) {
      for await (const item of client.listObjectsV2(bucket, prefix, true)) {
        const o = item as { name?: string; size?: number; lastModified?: Date };
        if (o.name) yield { key: o.name, size: o.size ?? 0, lastModified: o.lastModified ?? new Date(0) };
      }
    },

    presignedPut(key, expirySeconds) {
      return client.presignedPutObject(bucket, key, expirySeconds);
    },

    presignedGet(key, expirySeconds) {
      return client.presignedGetObject(bucket, key, expirySeconds);
    },

    ping() {
      return client.bucketExists(bucket);
    },
  };
}

function isErrorCode(error: unknown, ...codes: string[]): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && codes.includes(code);
}
