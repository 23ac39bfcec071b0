// Verifies an AWS Signature Version 4 on an S3 request exactly as it arrived: signed in the
// Authorization header (what the `minio` client sends) or presigned in the query string (the URLs
// lib/storage.ts hands out). This is the embedded S3 server's gate (scripts/local-s3.ts); s3rver
// itself checks only the access key id.
//
// The canonical request follows the SigV4 spec for S3: each path segment and each query name and
// value is decoded, then URI-encoded once (RFC 3986 unreserved characters kept); the query is
// sorted by name, then value; the signed headers' values are trimmed, inner runs of spaces
// collapsed, repeated headers joined by ",". Decoding the way the server behind will decode
// (`+` in the query is a space) keeps "what was signed" and "what is done" the same request.
//
// The payload: a header-signed request's x-amz-content-sha256 (a hex SHA-256, or UNSIGNED-PAYLOAD)
// is part of what is signed, but the body is not hashed here; like s3rver, the declared hash is
// trusted. Presigned requests are UNSIGNED-PAYLOAD by definition. aws-chunked streaming uploads
// (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) are refused: the minio client never sends them.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export type SignatureErrorCode =
  | "AccessDenied"
  | "SignatureDoesNotMatch"
  | "InvalidAccessKeyId"
  | "RequestTimeTooSkewed"
  | "AuthorizationHeaderMalformed"
  | "AuthorizationQueryParametersError"
  | "InvalidArgument"
  | "InvalidURI";

/** Why a request was refused, as an S3 error code and message. */
export class SignatureError extends Error {
  constructor(
    readonly code: SignatureErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SignedRequest {
  method: string;
  /** The request target as received: path and query, still percent-encoded. */
  url: string;
  /** Every value of every header, by lower-case name (Node's `IncomingMessage.headersDistinct`). */
  headers: Partial<Record<string, string[]>>;
}

export interface S3Credentials {
  accessKey: string;
  secretKey: string;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
/** How far a header-signed request's date may be from the server's clock (as S3: 15 minutes). */
const MAX_SKEW_MS = 15 * 60_000;
/** The longest a presigned URL may be valid (as S3: 7 days). */
const MAX_EXPIRES_SECONDS = 604_800;

/** What each way of signing puts where; the rest of the check is shared. */
interface Claimed {
  credential: string;
  signedHeaders: string;
  signature: string;
  amzDate: string;
  payloadHash: string;
  /** The query as [name, value] pairs, decoded, without X-Amz-Signature. */
  query: [string, string][];
  malformed: SignatureErrorCode;
}

/**
 * Throws SignatureError unless `request` carries a valid SigV4 signature made with `credentials`
 * for `region`, and is within its time window at `now`.
 */
export function verifySignatureV4(request: SignedRequest, credentials: S3Credentials, region: string, now = new Date()): void {
  const { url, headers } = request;
  // Anything but origin-form ("/path?query") could be routed differently from how it is read here.
  if (!url.startsWith("/") || url.includes("#")) throw new SignatureError("InvalidURI", "Couldn't parse the specified URI.");
  const queryStart = url.indexOf("?");
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = parseQuery(queryStart === -1 ? "" : url.slice(queryStart + 1));

  const inHeader = headers.authorization !== undefined;
  const inQuery = query.some(([name]) => QUERY_AUTH_PARAMS.includes(name));
  if (inHeader && inQuery) {
    throw new SignatureError("InvalidArgument", "Only one auth mechanism allowed: the Authorization header or the X-Amz-* query parameters.");
  }
  if (!inHeader && !inQuery) {
    throw new SignatureError("AccessDenied", "Anonymous access is not allowed: sign the request with AWS Signature Version 4.");
  }
  const claimed = inHeader ? fromHeader(headers, query, now) : fromQuery(query, now);

  const scope = checkScope(claimed, credentials, region);
  const signedHeaders = claimed.signedHeaders.split(";");
  if (!signedHeaders.includes("host") || signedHeaders.some((name) => name === "" || name !== name.toLowerCase())) {
    throw new SignatureError(claimed.malformed, "SignedHeaders must be lower-case header names and include host.");
  }
  const unsigned = Object.keys(headers).filter((name) => name.startsWith("x-amz-") && !signedHeaders.includes(name));
  if (unsigned.length > 0) {
    throw new SignatureError("AccessDenied", `There were headers present in the request which were not signed: ${unsigned.sort().join(", ")}.`);
  }

  const canonicalRequest = [
    request.method,
    canonicalPath(rawPath),
    canonicalQuery(claimed.query),
    signedHeaders.map((name) => `${name}:${canonicalHeaderValue(headers[name])}\n`).join(""),
    claimed.signedHeaders,
    claimed.payloadHash,
  ].join("\n");
  const stringToSign = [ALGORITHM, claimed.amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const [date, scopeRegion] = scope.split("/") as [string, string];
  let key = hmac(`AWS4${credentials.secretKey}`, date);
  for (const part of [scopeRegion, "s3", "aws4_request"]) key = hmac(key, part);
  const expected = hmac(key, stringToSign);
  // Compared in constant time, so the answer's timing says nothing about how much of it was right.
  if (!/^[0-9a-f]{64}$/.test(claimed.signature) || !timingSafeEqual(expected, Buffer.from(claimed.signature, "hex"))) {
    throw new SignatureError(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    );
  }
}

const QUERY_AUTH_PARAMS = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"];

function fromHeader(headers: SignedRequest["headers"], query: [string, string][], now: Date): Claimed {
  const malformed = "AuthorizationHeaderMalformed";
  const authorization = single(headers, "authorization", malformed);
  if (!authorization.startsWith(`${ALGORITHM} `)) {
    throw new SignatureError("AccessDenied", `Only AWS Signature Version 4 (${ALGORITHM}) is accepted.`);
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(ALGORITHM.length + 1).split(",")) {
    const eq = part.indexOf("=");
    const name = part.slice(0, eq).trim();
    if (eq === -1 || fields.has(name)) throw new SignatureError(malformed, "The authorization header is malformed.");
    fields.set(name, part.slice(eq + 1).trim());
  }
  const credential = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (fields.size !== 3 || credential === undefined || signedHeaders === undefined || signature === undefined) {
    throw new SignatureError(malformed, "The authorization header requires exactly Credential, SignedHeaders and Signature.");
  }
  const amzDate = single(headers, "x-amz-date", malformed);
  const payloadHash = single(headers, "x-amz-content-sha256", malformed);
  if (payloadHash !== UNSIGNED_PAYLOAD && !/^[0-9a-f]{64}$/.test(payloadHash)) {
    throw new SignatureError("InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a hex SHA-256 (streaming uploads are not supported).");
  }
  const signedAt = parseAmzDate(amzDate, malformed);
  if (Math.abs(now.getTime() - signedAt) > MAX_SKEW_MS) {
    throw new SignatureError("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
  }
  return { credential, signedHeaders, signature, amzDate, payloadHash, query, malformed };
}

function fromQuery(query: [string, string][], now: Date): Claimed {
  const malformed = "AuthorizationQueryParametersError";
  const param = (name: string): string => {
    const values = query.filter(([n]) => n === name);
    if (values.length !== 1) throw new SignatureError(malformed, `Presigned requests need exactly one ${name} query parameter.`);
    return values[0]![1];
  };
  if (param("X-Amz-Algorithm") !== ALGORITHM) throw new SignatureError(malformed, `X-Amz-Algorithm only supports "${ALGORITHM}".`);
  const amzDate = param("X-Amz-Date");
  const signedAt = parseAmzDate(amzDate, malformed);
  const expires = param("X-Amz-Expires");
  if (!/^\d{1,6}$/.test(expires) || Number(expires) < 1 || Number(expires) > MAX_EXPIRES_SECONDS) {
    throw new SignatureError(malformed, `X-Amz-Expires must be between 1 and ${MAX_EXPIRES_SECONDS} seconds.`);
  }
  if (signedAt - now.getTime() > MAX_SKEW_MS) throw new SignatureError("AccessDenied", "Request is not valid yet.");
  if (now.getTime() > signedAt + Number(expires) * 1000) throw new SignatureError("AccessDenied", "Request has expired.");
  const hashes = query.filter(([name]) => name === "X-Amz-Content-Sha256");
  return {
    credential: param("X-Amz-Credential"),
    signedHeaders: param("X-Amz-SignedHeaders"),
    signature: param("X-Amz-Signature"),
    amzDate,
    payloadHash: hashes.length === 1 ? hashes[0]![1] : UNSIGNED_PAYLOAD,
    query: query.filter(([name]) => name !== "X-Amz-Signature"),
    malformed,
  };
}

/** Checks the credential scope (key id, date, region, service) and returns it without the key id. */
function checkScope(claimed: Claimed, credentials: S3Credentials, region: string): string {
  const parts = claimed.credential.split("/");
  const [date, scopeRegion, service, terminator] = parts.slice(-4);
  const accessKey = parts.slice(0, -4).join("/");
  if (parts.length < 5 || accessKey === "") throw new SignatureError(claimed.malformed, "The credential is malformed.");
  if (accessKey !== credentials.accessKey) {
    throw new SignatureError("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
  }
  if (date !== claimed.amzDate.slice(0, 8) || service !== "s3" || terminator !== "aws4_request") {
    throw new SignatureError(claimed.malformed, "The credential scope must be <date>/<region>/s3/aws4_request, dated as the request.");
  }
  if (scopeRegion !== region) throw new SignatureError(claimed.malformed, `The region '${scopeRegion}' is wrong; expecting '${region}'.`);
  return parts.slice(-4).join("/");
}

function single(headers: SignedRequest["headers"], name: string, malformed: SignatureErrorCode): string {
  const values = headers[name];
  if (values?.length !== 1) throw new SignatureError(malformed, `The request needs exactly one ${name} header.`);
  return values[0]!;
}

/** "20130524T000000Z" → epoch milliseconds. */
function parseAmzDate(value: string, malformed: SignatureErrorCode): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  const time = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
  if (Number.isNaN(time)) throw new SignatureError(malformed, "X-Amz-Date must be in the ISO 8601 basic format yyyyMMdd'T'HHmmss'Z'.");
  return time;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new SignatureError("InvalidURI", "Couldn't parse the specified URI.");
  }
}

/** S3's URI encoding: everything but A-Z a-z 0-9 - . _ ~ as %XX of its UTF-8 bytes. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function parseQuery(raw: string): [string, string][] {
  return raw
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const [name, value] = eq === -1 ? [pair, ""] : [pair.slice(0, eq), pair.slice(eq + 1)];
      return [decode(name.replace(/\+/g, " ")), decode(value.replace(/\+/g, " "))];
    });
}

function canonicalPath(rawPath: string): string {
  return rawPath.split("/").map((segment) => encode(decode(segment))).join("/");
}

function canonicalQuery(pairs: [string, string][]): string {
  return pairs
    .map(([name, value]) => [encode(name), encode(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
}

function canonicalHeaderValue(values: string[] | undefined): string {
  return (values ?? []).map((value) => value.trim().replace(/ +/g, " ")).join(",");
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}
