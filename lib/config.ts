// The one configuration loader: environment variables with local defaults.
// Every process reads its settings from here, never from process.env directly.
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
  dataDir: string;
  embeddingDimensions: number;
  auth: AuthConfig;
}

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
}

export const EMBEDDING_DIMENSIONS = 384;

export function loadConfig(): Config {
  const databaseUrl = env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/openclaw");
  const rootDatabaseUrl = env("ROOT_DATABASE_URL", withDatabase(withRole(databaseUrl, "postgres"), "postgres"));
  const s3Port = intEnv("S3_PORT", 9000);
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
      accessKey: env("S3_ACCESS_KEY", "S3RVER"),
      secretKey: env("S3_SECRET_KEY", "S3RVER"),
      bucket: env("S3_BUCKET", "openclaw"),
      region: env("S3_REGION", "us-east-1"),
    },
    ports: {
      api: intEnv("API_PORT", 3000),
      gateway: intEnv("GATEWAY_PORT", 18789),
      worker: intEnv("WORKER_PORT", 3100),
      s3: s3Port,
    },
    dataDir: path.resolve(ROOT_DIR, env("DATA_DIR", "data")),
    embeddingDimensions: EMBEDDING_DIMENSIONS,
    auth: loadAuthConfig(),
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
  };
}
