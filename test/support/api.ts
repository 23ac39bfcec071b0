// The real API process code, started in the test process on a free port against the test
// database, and a small GraphQL-over-HTTP client.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { startApi, type ApiServer } from "../../api/server.ts";
import { getApiServices } from "../../api/services.ts";
import { loadConfig } from "../../lib/config.ts";
import type { Storage } from "../../lib/storage.ts";
import { startLocalS3 } from "../../scripts/local-s3.ts";

export async function startTestApi(): Promise<ApiServer> {
  return startApi(0);
}

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors: { message: string; extensions?: Record<string, unknown>; path?: (string | number)[] }[] | undefined;
}

export async function gql<T = Record<string, unknown>>(
  api: ApiServer,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GqlResult<T>> {
  const res = await fetch(`${api.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: GqlResult["errors"] };
  return { status: res.status, data: body.data ?? null, errors: body.errors };
}

export interface Session {
  userId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

const AUTH_FIELDS = "accessToken accessTokenExpiresAt refreshToken userId role";

/** Registers a new user through the API and returns their tokens. */
export async function signUp(api: ApiServer, label: string): Promise<Session> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.test`;
  const password = `pw-${randomUUID()}`;
  const r = await gql<{ register: { accessToken: string; refreshToken: string; userId: string } }>(
    api,
    `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`,
    { input: { email, password, displayName: label } },
  );
  if (!r.data?.register) throw new Error(`register failed: ${JSON.stringify(r.errors)}`);
  return { ...r.data.register, email, password };
}

export { AUTH_FIELDS };

/** Signs a new user up, makes them an admin (as the admin CLI would) and signs in again. */
export async function signUpAdmin(api: ApiServer, root: pg.Pool, label: string): Promise<Session> {
  const s = await signUp(api, label);
  await root.query("update app_public.users set role = 'admin' where id = $1", [s.userId]);
  const r = await gql<{ login: Session }>(api, `mutation ($i: LoginInput!) { login(input: $i) { ${AUTH_FIELDS} } }`, {
    i: { email: s.email, password: s.password },
  });
  if (!r.data?.login) throw new Error(`admin login failed: ${JSON.stringify(r.errors)}`);
  return { ...s, ...r.data.login };
}

export interface ApiWithS3 {
  api: ApiServer;
  storage: Storage;
  s3Url: string;
  close(): Promise<void>;
}

/** The API with its own S3 server (s3rver) on a free port. The API's storage is memoized on first
 *  use, so the S3 server starts and S3_ENDPOINT is set before the API does. */
export async function startTestApiWithS3(label: string): Promise<ApiWithS3> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `openclaw-${label}-`));
  const s3 = await startLocalS3({ dataDir: dir, s3: { ...loadConfig().s3, endpoint: null, port: 0 } });
  process.env.S3_ENDPOINT = s3.url;
  const api = await startTestApi();
  const { storage } = await getApiServices();
  return {
    api,
    storage,
    s3Url: s3.url,
    async close() {
      await api.close();
      await s3.close();
      await rm(dir, { recursive: true, force: true });
      delete process.env.S3_ENDPOINT;
    },
  };
}
