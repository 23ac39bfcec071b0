// The real API process code, started in the test process on a free port against the test
// database, and a small GraphQL-over-HTTP client.
import { randomUUID } from "node:crypto";
import { startApi, type ApiServer } from "../../api/server.ts";

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
