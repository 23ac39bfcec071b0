// The one configuration loader: environment variables with local defaults.
// Every process reads its settings from here, never from process.env directly.
import { randomBytes } from "node:crypto";
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Database roles. Cluster-wide, created by migrations/roles.sql; names are fixed so a DBA reads them in SQL. */
export const ROLES = {
  owner: "openclaw_owner",
  authenticator: "openclaw_authenticator",
  worker: "openclaw_worker",
  anonymous: "openclaw_anonymous",
  user: "openclaw_user",
  admin: "openclaw_admin",
  auth: "openclaw_auth",
  auditor: "openclaw_auditor",
  jobs: "openclaw_jobs",
  billing: "openclaw_billing",
} as const;

/** Login roles a running process may use; the private schema must stay out of their reach. */
export const RUNTIME_ROLES = [ROLES.authenticator, ROLES.worker, ROLES.anonymous, ROLES.user, ROLES.admin] as const;

export const EXPOSED_SCHEMAS = ["app_public"] as const;
export const PRIVATE_SCHEMA = "app_private";

function env(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === "" ? fallback : value;
}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

/** Replace the user (and password) of a postgres URL, keeping host, port, database and options. */
export function withRole(url: string, role: string, password?: string): string {
  const u = new URL(url);
  u.username = role;
  u.password = password ?? "";
  return u.toString();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

export interface Config {
  /** Where migrations are applied (as the owner role). */
  databaseUrl: string;
  /** A superuser on the maintenance database: creates roles, the database and extensions. */
  rootDatabaseUrl: string;
  ownerUrl: string;
  authenticatorUrl: string;
  workerUrl: string;
  redisUrl: string;
  s3: { endpoint: string | null; port: number; accessKey: string; secretKey: string; bucket: string; region: string };
  ports: { api: number; gateway: number; worker: number; s3: number };
  /** Behind a reverse proxy that sets X-Real-IP (TRUST_PROXY=1): client addresses come from it. */
  trustProxy: boolean;
  dataDir: string;
  embeddingDimensions: number;
  auth: AuthConfig;
  files: FilesConfig;
  skills: SkillsConfig;
  payments: { webhookSecret: string | null; toleranceSeconds: number };
  gateway: GatewayConfig;
  worker: WorkerConfig;
  embeddings: EmbeddingsConfig;
  agent: AgentConfig;
}

export type ProviderName = "local" | "openai" | "anthropic";

/** One model provider's endpoint and key (keys come only from the environment). */
export interface ProviderEndpoint {
  /** OPENAI_API_KEY / ANTHROPIC_API_KEY; null when unset. */
  apiKey: string | null;
  /** OPENAI_BASE_URL / ANTHROPIC_BASE_URL; null means the provider's public API. */
  baseUrl: string | null;
  /** OPENAI_MODEL / ANTHROPIC_MODEL: the model a user gets when they chose none. */
  model: string;
}

/** The agent runtime (agent/): providers, the tool loop, confirmations. */
export interface AgentConfig {
  /** The provider for users whose assistant config names none (AGENT_PROVIDER, default local). */
  defaultProvider: ProviderName;
  openai: ProviderEndpoint;
  anthropic: ProviderEndpoint;
  /** Model calls per turn before the run stops with what it has (AGENT_MAX_STEPS). */
  maxSteps: number;
  /** Largest completion asked of the model per call (AGENT_MAX_TOKENS). */
  maxTokens: number;
  /** One model call's time limit (AGENT_MODEL_TIMEOUT_MS). */
  modelTimeoutMs: number;
  /** How long a sensitive command waits for the user's decision; no answer is a deny (AGENT_APPROVAL_TIMEOUT_MS). */
  approvalTimeoutMs: number;
  /** Earlier messages of the session sent with each turn (AGENT_HISTORY_MESSAGES). */
  historyMessages: number;
  /** A running turn renews its lease in Redis; one whose lease lapsed (its gateway died) is marked failed (AGENT_RUN_LEASE_MS). */
  runLeaseMs: number;
}

/** The realtime gateway (realtime/). Limits follow the OpenClaw gateway's own defaults. */
export interface GatewayConfig {
  /** This instance's id in Redis (presence, cross-instance routing); random per process by default. */
  instanceId: string | null;
  tickIntervalMs: number;
  handshakeTimeoutMs: number;
  preAuthMaxBytes: number;
  maxPayload: number;
  maxBufferedBytes: number;
  invokeTimeoutMs: number;
  maxInvokeTimeoutMs: number;
  /** Failed connects per IP and credential within authFailWindowSeconds before AUTH_RATE_LIMITED. */
  authFailLimit: number;
  authFailWindowSeconds: number;
  /** Failed connects per IP (any credential) within authFailWindowSeconds before AUTH_RATE_LIMITED. */
  authFailLimitPerIp: number;
  /** Requests per second per connection (sustained) and the burst above it. */
  requestsPerSecond: number;
  requestBurst: number;
  /** Malformed frames tolerated on an authenticated connection before it is closed. */
  maxOffences: number;
  /** How long to keep trying a busy port at start (a restart waits out TIME_WAIT). */
  listenRetryMs: number;
  /** Start even when uWebSockets.js fell back to its pure-JS implementation (slow; never in production). */
  allowUwsFallback: boolean;
}

/** File uploads (api/plugins/files.ts). The object store enforces none of this; the API does. */
export interface FilesConfig {
  /** Largest file a user may upload, in bytes (FILE_MAX_BYTES, default 25 MiB). */
  maxBytes: number;
  /** Content types a user may upload (FILE_ALLOWED_MIME_TYPES, comma-separated). */
  allowedMimeTypes: readonly string[];
  /** How long a presigned upload URL works (FILE_UPLOAD_URL_TTL, default 15 minutes). */
  uploadUrlTtlSeconds: number;
  /** How long a presigned download URL works (FILE_DOWNLOAD_URL_TTL, default 5 minutes). */
  downloadUrlTtlSeconds: number;
}

/** Custom skill packages (api/plugins/skills.ts): zip archives uploaded like files. */
export interface SkillsConfig {
  /** Largest package a user may upload, in bytes (SKILL_PACKAGE_MAX_BYTES, default 5 MiB). */
  maxPackageBytes: number;
  /** How long a presigned package upload URL works (SKILL_UPLOAD_URL_TTL, default 15 minutes). */
  uploadUrlTtlSeconds: number;
  /** What the worker's package check accepts (SKILL_PACKAGE_MAX_FILES, SKILL_FILE_MAX_BYTES, SKILL_PACKAGE_MAX_UNPACKED_BYTES). */
  maxFiles: number;
  maxFileBytes: number;
  maxUnpackedBytes: number;
}

/** Embeddings (lib/embeddings/): the built-in local embedder, or an OpenAI-compatible server. */
export interface EmbeddingsConfig {
  provider: "local" | "openai";
  model: string;
  baseUrl: string;
  apiKey: string | null;
  dimensions: number;
  sendDimensions: boolean;
  batchSize: number;
  timeoutMs: number;
  maxRetries: number;
}

/** The worker (worker/): graphile-worker concurrency and polling, and what its tasks do. */
export interface WorkerConfig {
  concurrency: number;
  pollIntervalMs: number;
  /** A job locked by a worker whose heartbeat is older than this is given to another (WORKER_LIVENESS_TTL_MS). */
  livenessTtlMs: number;
  /** On SIGTERM, how long running jobs may finish before they are released to the queue (WORKER_SHUTDOWN_GRACE_MS). */
  shutdownGraceMs: number;
  memory: {
    /** A candidate at least this similar (cosine) to an existing memory is a duplicate (MEMORY_SKIP_SIMILARITY). */
    skipSimilarity: number;
    /** A slot-less candidate at least this similar updates the closest memory (MEMORY_UPDATE_SIMILARITY). */
    updateSimilarity: number;
  };
  summary: {
    /** New messages since the last summary before a conversation is summarised again (SUMMARY_EVERY_MESSAGES). */
    everyMessages: number;
    /** The latest messages left out of the summary: the agent sends them verbatim (SUMMARY_KEEP_RECENT). */
    keepRecent: number;
    /** Longest summary kept, in characters (SUMMARY_MAX_CHARS). */
    maxChars: number;
  };
  ingest: {
    /** Pages read from a PDF before the file is refused (FILE_MAX_PAGES). */
    maxPages: number;
    /** Characters of text extracted from one file before it is refused (FILE_MAX_TEXT_CHARS). */
    maxChars: number;
    /** Chunk size and overlap in characters (CHUNK_SIZE, CHUNK_OVERLAP). */
    chunkSize: number;
    chunkOverlap: number;
  };
  retention: {
    /** Usage events older than this many days are deleted (RETENTION_USAGE_EVENTS_DAYS). */
    usageEventsDays: number;
    /** Expired pairing codes/requests and dead refresh tokens are kept this long (RETENTION_EXPIRED_DAYS). */
    expiredDays: number;
    /** Uploads never confirmed, and unreferenced stored objects, are removed after this many hours (RETENTION_ABANDONED_HOURS; 0: at once). */
    abandonedHours: number;
  };
  /** graphile-worker crontab lines for the scheduled tasks (WORKER_CRONTAB; default hourly rollover, nightly retention). */
  crontab: string;
}

export const DEFAULT_ALLOWED_MIME_TYPES = [
  "text/plain",
  "text/markdown",
  "text/html",
  "text/csv",
  "application/json",
  "application/pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
] as const;

export type JwtAlgorithm = "HS256" | "RS256" | "ES256";

export interface AuthConfig {
  algorithm: JwtAlgorithm;
  /** HS256 secret; when unset a random one is generated into <dataDir>/jwt-secret on first start. */
  secret: string | null;
  /** PEM files for RS256/ES256. */
  privateKeyFile: string | null;
  publicKeyFile: string | null;
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Login attempts per IP, and failed logins per account, within the window. */
  loginLimitPerIp: number;
  loginLimitPerAccount: number;
  loginWindowSeconds: number;
  /** How long a session's live state (not revoked, user active, role) may be served from memory; at most 1000. */
  sessionCheckMs: number;
  /** How often open sockets' sessions are re-read, in case a revocation event was lost. */
  sessionSweepMs: number;
}

export const EMBEDDING_DIMENSIONS = 384;

export function loadConfig(): Config {
  const databaseUrl = env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/openclaw");
  const rootDatabaseUrl = env("ROOT_DATABASE_URL", withDatabase(withRole(databaseUrl, "postgres"), "postgres"));
  const s3Port = intEnv("S3_PORT", 9000);
  const dataDir = path.resolve(ROOT_DIR, env("DATA_DIR", "data"));
  return {
    databaseUrl,
    rootDatabaseUrl,
    ownerUrl: env("OWNER_DATABASE_URL", withRole(databaseUrl, ROLES.owner, process.env.OWNER_PASSWORD)),
    authenticatorUrl: env(
      "AUTHENTICATOR_DATABASE_URL",
      withRole(databaseUrl, ROLES.authenticator, process.env.AUTHENTICATOR_PASSWORD),
    ),
    workerUrl: env("WORKER_DATABASE_URL", withRole(databaseUrl, ROLES.worker, process.env.WORKER_PASSWORD)),
    redisUrl: env("REDIS_URL", "redis://127.0.0.1:6379"),
    s3: {
      endpoint: process.env.S3_ENDPOINT || null,
      port: s3Port,
      ...s3Credentials(dataDir),
      bucket: env("S3_BUCKET", "openclaw"),
      region: env("S3_REGION", "us-east-1"),
    },
    ports: {
      api: intEnv("API_PORT", 3000),
      gateway: intEnv("GATEWAY_PORT", 18789),
      worker: intEnv("WORKER_PORT", 3100),
      s3: s3Port,
    },
    trustProxy: process.env.TRUST_PROXY === "1",
    dataDir,
    embeddingDimensions: EMBEDDING_DIMENSIONS,
    auth: loadAuthConfig(),
    files: loadFilesConfig(),
    skills: loadSkillsConfig(),
    payments: {
      // HMAC-SHA256 secret shared with the payment provider; the webhook answers 503 without one.
      webhookSecret: process.env.PAYMENT_WEBHOOK_SECRET || null,
      toleranceSeconds: intEnv("PAYMENT_WEBHOOK_TOLERANCE", 300),
    },
    gateway: loadGatewayConfig(),
    embeddings: loadEmbeddingsConfig(),
    worker: loadWorkerConfig(),
    agent: loadAgentConfig(),
  };
}

/** S3_ACCESS_KEY and S3_SECRET_KEY (e.g. MinIO's), or else this install's own pair for the embedded server. */
function s3Credentials(dataDir: string): { accessKey: string; secretKey: string } {
  const accessKey = process.env.S3_ACCESS_KEY || null;
  const secretKey = process.env.S3_SECRET_KEY || null;
  if (accessKey && secretKey) return { accessKey, secretKey };
  if (accessKey || secretKey) throw new Error("S3_ACCESS_KEY and S3_SECRET_KEY must be set together (or neither, for the embedded server)");
  return localS3Credentials(dataDir);
}

/**
 * The embedded S3 server's key pair, generated once into <dataDir>/s3-credentials.json (owner-only)
 * and read by every process of the install, so the server and its clients agree without settings.
 */
export function localS3Credentials(dataDir: string): { accessKey: string; secretKey: string } {
  const file = path.join(dataDir, "s3-credentials.json");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    // Written whole under a private name, then linked into place: processes starting together
    // never read a half-written file, and link() never replaces a pair another one made first.
    const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    const pair = { accessKey: `openclaw-${randomBytes(6).toString("hex")}`, secretKey: randomBytes(30).toString("base64url") };
    writeFileSync(draft, `${JSON.stringify(pair)}\n`, { mode: 0o600, flag: "wx" });
    try {
      linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      unlinkSync(draft);
    }
  }
  const pair = JSON.parse(readFileSync(file, "utf8")) as { accessKey?: unknown; secretKey?: unknown };
  if (typeof pair.accessKey !== "string" || pair.accessKey === "" || typeof pair.secretKey !== "string" || pair.secretKey === "") {
    throw new Error(`${file} does not hold an accessKey and a secretKey; delete it to have a new pair generated`);
  }
  return { accessKey: pair.accessKey, secretKey: pair.secretKey };
}

function loadAgentConfig(): AgentConfig {
  const provider = env("AGENT_PROVIDER", "local");
  if (!["local", "openai", "anthropic"].includes(provider)) {
    throw new Error(`AGENT_PROVIDER must be local, openai or anthropic, got "${provider}"`);
  }
  return {
    defaultProvider: provider as ProviderName,
    openai: {
      apiKey: process.env.OPENAI_API_KEY || null,
      baseUrl: process.env.OPENAI_BASE_URL || null,
      model: env("OPENAI_MODEL", "gpt-4o-mini"),
    },
    anthropic: {
      apiKey: process.env.ANTHROPIC_API_KEY || null,
      baseUrl: process.env.ANTHROPIC_BASE_URL || null,
      model: env("ANTHROPIC_MODEL", "claude-sonnet-4-5"),
    },
    maxSteps: Math.max(1, intEnv("AGENT_MAX_STEPS", 8)),
    maxTokens: Math.max(16, intEnv("AGENT_MAX_TOKENS", 1024)),
    modelTimeoutMs: Math.max(1000, intEnv("AGENT_MODEL_TIMEOUT_MS", 120_000)),
    approvalTimeoutMs: Math.max(100, intEnv("AGENT_APPROVAL_TIMEOUT_MS", 120_000)),
    historyMessages: Math.max(0, intEnv("AGENT_HISTORY_MESSAGES", 20)),
    runLeaseMs: Math.max(300, intEnv("AGENT_RUN_LEASE_MS", 15_000)),
  };
}

function similarityEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > 1) throw new Error(`${name} must be a number in (0, 1], got "${raw}"`);
  return value;
}

function loadWorkerConfig(): WorkerConfig {
  const memory = { skipSimilarity: similarityEnv("MEMORY_SKIP_SIMILARITY", 0.92), updateSimilarity: similarityEnv("MEMORY_UPDATE_SIMILARITY", 0.8) };
  if (memory.updateSimilarity > memory.skipSimilarity) {
    throw new Error("MEMORY_UPDATE_SIMILARITY must not be above MEMORY_SKIP_SIMILARITY");
  }
  const chunkSize = intEnv("CHUNK_SIZE", 1200);
  const chunkOverlap = intEnv("CHUNK_OVERLAP", 200);
  if (chunkSize < 100 || chunkSize > 20_000 || chunkOverlap >= chunkSize) {
    throw new Error(`CHUNK_SIZE must be 100..20000 and CHUNK_OVERLAP below it, got ${chunkSize} and ${chunkOverlap}`);
  }
  return {
    concurrency: Math.max(1, intEnv("WORKER_CONCURRENCY", 2)),
    pollIntervalMs: Math.max(100, intEnv("WORKER_POLL_INTERVAL_MS", 2000)),
    livenessTtlMs: Math.max(1000, intEnv("WORKER_LIVENESS_TTL_MS", 30_000)),
    shutdownGraceMs: intEnv("WORKER_SHUTDOWN_GRACE_MS", 7000),
    memory,
    summary: {
      everyMessages: Math.max(2, intEnv("SUMMARY_EVERY_MESSAGES", 20)),
      keepRecent: intEnv("SUMMARY_KEEP_RECENT", 10),
      maxChars: Math.min(20_000, Math.max(200, intEnv("SUMMARY_MAX_CHARS", 4000))),
    },
    ingest: {
      maxPages: Math.max(1, intEnv("FILE_MAX_PAGES", 500)),
      maxChars: Math.max(1, intEnv("FILE_MAX_TEXT_CHARS", 5_000_000)),
      chunkSize,
      chunkOverlap,
    },
    retention: {
      usageEventsDays: Math.max(1, intEnv("RETENTION_USAGE_EVENTS_DAYS", 400)),
      expiredDays: intEnv("RETENTION_EXPIRED_DAYS", 7),
      abandonedHours: intEnv("RETENTION_ABANDONED_HOURS", 24),
    },
    crontab: process.env.WORKER_CRONTAB ?? "0 * * * * quota_rollover ?max=1\n30 3 * * * retention ?max=1",
  };
}

function loadEmbeddingsConfig(): EmbeddingsConfig {
  const provider = env("EMBEDDING_PROVIDER", "local");
  if (provider !== "local" && provider !== "openai") throw new Error(`EMBEDDING_PROVIDER must be local or openai, got "${provider}"`);
  const dimensions = intEnv("EMBEDDING_DIMENSIONS", EMBEDDING_DIMENSIONS);
  if (dimensions !== EMBEDDING_DIMENSIONS) {
    throw new Error(`EMBEDDING_DIMENSIONS must be ${EMBEDDING_DIMENSIONS} (the size of the database's vector columns), got ${dimensions}`);
  }
  return {
    provider,
    model: env("EMBEDDING_MODEL", provider === "local" ? "hash-v1" : "text-embedding-3-small"),
    baseUrl: env("EMBEDDING_BASE_URL", "https://api.openai.com/v1"),
    apiKey: process.env.EMBEDDING_API_KEY || null,
    dimensions,
    // OpenAI's text-embedding-3 models shorten to 384 when asked; other servers may reject the field.
    sendDimensions: process.env.EMBEDDING_SEND_DIMENSIONS === "1",
    batchSize: Math.max(1, intEnv("EMBEDDING_BATCH_SIZE", 64)),
    timeoutMs: Math.max(1, intEnv("EMBEDDING_TIMEOUT_MS", 30_000)),
    maxRetries: intEnv("EMBEDDING_MAX_RETRIES", 3),
  };
}

function loadGatewayConfig(): GatewayConfig {
  const instanceId = process.env.GATEWAY_INSTANCE_ID || null;
  if (instanceId !== null && !/^[A-Za-z0-9_.-]{1,64}$/.test(instanceId)) {
    throw new Error(`GATEWAY_INSTANCE_ID must be 1-64 letters, digits, "_", "." or "-", got "${instanceId}"`);
  }
  const tickIntervalMs = intEnv("GATEWAY_TICK_MS", 15_000);
  if (tickIntervalMs < 100) throw new Error("GATEWAY_TICK_MS must be at least 100");
  return {
    instanceId,
    tickIntervalMs,
    handshakeTimeoutMs: intEnv("GATEWAY_HANDSHAKE_TIMEOUT_MS", 15_000),
    preAuthMaxBytes: intEnv("GATEWAY_PREAUTH_MAX_BYTES", 64 * 1024),
    maxPayload: intEnv("GATEWAY_MAX_PAYLOAD", 25 * 1024 * 1024),
    maxBufferedBytes: intEnv("GATEWAY_MAX_BUFFERED_BYTES", 50 * 1024 * 1024),
    invokeTimeoutMs: intEnv("GATEWAY_INVOKE_TIMEOUT_MS", 30_000),
    maxInvokeTimeoutMs: intEnv("GATEWAY_INVOKE_MAX_TIMEOUT_MS", 300_000),
    authFailLimit: intEnv("GATEWAY_AUTH_FAIL_LIMIT", 10),
    authFailWindowSeconds: intEnv("GATEWAY_AUTH_FAIL_WINDOW", 60),
    authFailLimitPerIp: intEnv("GATEWAY_AUTH_FAIL_LIMIT_PER_IP", 50),
    requestsPerSecond: intEnv("GATEWAY_REQUESTS_PER_SECOND", 100),
    requestBurst: intEnv("GATEWAY_REQUEST_BURST", 200),
    maxOffences: intEnv("GATEWAY_MAX_OFFENCES", 5),
    listenRetryMs: intEnv("GATEWAY_LISTEN_RETRY_MS", 90_000),
    allowUwsFallback: process.env.GATEWAY_ALLOW_UWS_FALLBACK === "1",
  };
}

function loadFilesConfig(): FilesConfig {
  const raw = process.env.FILE_ALLOWED_MIME_TYPES;
  const allowedMimeTypes = raw
    ? raw.split(",").map((t) => t.trim().toLowerCase()).filter((t) => t !== "")
    : [...DEFAULT_ALLOWED_MIME_TYPES];
  for (const type of allowedMimeTypes) {
    if (!/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(type)) {
      throw new Error(`FILE_ALLOWED_MIME_TYPES has an invalid content type "${type}"`);
    }
  }
  const uploadUrlTtlSeconds = intEnv("FILE_UPLOAD_URL_TTL", 900);
  const downloadUrlTtlSeconds = intEnv("FILE_DOWNLOAD_URL_TTL", 300);
  // S3 presigned URLs live at most 7 days; zero would make them useless.
  for (const [name, value] of [["FILE_UPLOAD_URL_TTL", uploadUrlTtlSeconds], ["FILE_DOWNLOAD_URL_TTL", downloadUrlTtlSeconds]] as const) {
    if (value < 1 || value > 604_800) throw new Error(`${name} must be between 1 and 604800 seconds, got ${value}`);
  }
  return {
    maxBytes: intEnv("FILE_MAX_BYTES", 25 * 1024 * 1024),
    allowedMimeTypes,
    uploadUrlTtlSeconds,
    downloadUrlTtlSeconds,
  };
}

function loadSkillsConfig(): SkillsConfig {
  const maxPackageBytes = intEnv("SKILL_PACKAGE_MAX_BYTES", 5 * 1024 * 1024);
  if (maxPackageBytes < 1) throw new Error("SKILL_PACKAGE_MAX_BYTES must be at least 1");
  const uploadUrlTtlSeconds = intEnv("SKILL_UPLOAD_URL_TTL", 900);
  if (uploadUrlTtlSeconds < 1 || uploadUrlTtlSeconds > 604_800) {
    throw new Error(`SKILL_UPLOAD_URL_TTL must be between 1 and 604800 seconds, got ${uploadUrlTtlSeconds}`);
  }
  return {
    maxPackageBytes,
    uploadUrlTtlSeconds,
    maxFiles: Math.max(1, intEnv("SKILL_PACKAGE_MAX_FILES", 200)),
    maxFileBytes: Math.max(1, intEnv("SKILL_FILE_MAX_BYTES", 1024 * 1024)),
    maxUnpackedBytes: Math.max(1, intEnv("SKILL_PACKAGE_MAX_UNPACKED_BYTES", 20 * 1024 * 1024)),
  };
}

function loadAuthConfig(): AuthConfig {
  const algorithm = env("JWT_ALG", "HS256");
  if (algorithm !== "HS256" && algorithm !== "RS256" && algorithm !== "ES256") {
    throw new Error(`JWT_ALG must be HS256, RS256 or ES256, got "${algorithm}"`);
  }
  const privateKeyFile = process.env.JWT_PRIVATE_KEY_FILE || null;
  const publicKeyFile = process.env.JWT_PUBLIC_KEY_FILE || null;
  if (algorithm !== "HS256" && (!privateKeyFile || !publicKeyFile)) {
    throw new Error(`JWT_ALG=${algorithm} needs JWT_PRIVATE_KEY_FILE and JWT_PUBLIC_KEY_FILE (PEM)`);
  }
  return {
    algorithm,
    secret: process.env.JWT_SECRET || null,
    privateKeyFile,
    publicKeyFile,
    issuer: env("JWT_ISSUER", "openclaw"),
    audience: env("JWT_AUDIENCE", "openclaw"),
    accessTokenTtlSeconds: intEnv("ACCESS_TOKEN_TTL", 900),
    refreshTokenTtlSeconds: intEnv("REFRESH_TOKEN_TTL", 30 * 86_400),
    loginLimitPerIp: intEnv("LOGIN_LIMIT_PER_IP", 30),
    loginLimitPerAccount: intEnv("LOGIN_LIMIT_PER_ACCOUNT", 5),
    loginWindowSeconds: intEnv("LOGIN_WINDOW", 900),
    sessionCheckMs: Math.min(intEnv("SESSION_CHECK_MS", 1000), 1000),
    sessionSweepMs: intEnv("SESSION_SWEEP_MS", 5000),
  };
}
