// Auth over real HTTP: register, login, refresh rotation and reuse, logout, password change,
// rate limits, and every way an access token can be wrong.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import * as jose from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../api/server.ts";
import { getApiServices } from "../api/services.ts";
import { AUTH_FIELDS, gql, signUp, startTestApi, type Session } from "./support/api.ts";

let api: ApiServer;
let alice: Session;
const ME = "query { currentUserId }";

beforeAll(async () => {
  api = await startTestApi();
  alice = await signUp(api, "auth-alice");
});
afterAll(() => api.close());

const login = (email: string, password: string) =>
  gql<{ login: { accessToken: string; refreshToken: string } }>(
    api,
    `mutation ($input: LoginInput!) { login(input: $input) { ${AUTH_FIELDS} } }`,
    { input: { email, password } },
  );
const refresh = (refreshToken: string) =>
  gql<{ refreshToken: { accessToken: string; refreshToken: string } }>(
    api,
    `mutation ($input: RefreshTokenInput!) { refreshToken(input: $input) { ${AUTH_FIELDS} } }`,
    { input: { refreshToken } },
  );

describe("sign-up and sign-in", () => {
  it("a registered user's token runs real database queries as that user", async () => {
    const r = await gql<{ currentUserId: string }>(api, ME, {}, alice.accessToken);
    expect(r.errors).toBeUndefined();
    expect(r.data?.currentUserId).toBe(alice.userId);
    // Rows through RLS (not just introspection): the polyfill and pgSettings both work.
    const rows = await gql<{ users: { nodes: { id: string; email: string }[] } }>(api, "{ users { nodes { id email } } }", {}, alice.accessToken);
    expect(rows.errors).toBeUndefined();
    expect(rows.data?.users.nodes.map((u) => u.email)).toEqual([alice.email]);
  });

  it("anonymous requests run as the anonymous role", async () => {
    const r = await gql<{ currentUserId: string | null }>(api, ME);
    expect(r.data?.currentUserId).toBeNull();
    const rows = await gql(api, "{ users { nodes { id } } }");
    expect(rows.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("registering an email twice is refused with a clear code", async () => {
    const r = await gql(api, `mutation { register(input: {email: "${alice.email}", password: "another-password"}) { userId } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe("EMAIL_TAKEN");
  });

  it("a weak password is refused", async () => {
    const r = await gql(api, `mutation { register(input: {email: "weak-${randomUUID()}@example.test", password: "short"}) { userId } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe("WEAK_PASSWORD");
  });

  it("a wrong password gets one message that does not say whether the account exists", async () => {
    const wrong = await login(alice.email, "not-the-password");
    const unknown = await login(`nobody-${randomUUID()}@example.test`, "not-the-password");
    expect(wrong.errors?.[0]?.extensions?.code).toBe("INVALID_CREDENTIALS");
    expect(unknown.errors?.[0]?.message).toBe(wrong.errors?.[0]?.message);
  });

  it("a wrong password counts as one failed login, however many users exist", async () => {
    const bob = await signUp(api, "auth-bob");
    await signUp(api, "auth-carol");
    const { rootPool } = await import("./support/db.ts");
    const root = rootPool();
    try {
      await login(bob.email, "not-the-password");
      const r = await root.query("select failed_logins from app_private.user_secrets where user_id = $1", [bob.userId]);
      expect(r.rows[0].failed_logins).toBe(1);
    } finally {
      await root.end();
    }
  });
});

describe("refresh tokens", () => {
  it("rotate on every use; reusing a rotated token revokes the whole family", async () => {
    const s = await login(alice.email, alice.password);
    const first = s.data!.login.refreshToken;
    const second = (await refresh(first)).data!.refreshToken.refreshToken;
    const third = (await refresh(second)).data!.refreshToken.refreshToken;
    expect(new Set([first, second, third]).size).toBe(3);
    // A thief replays the first token: refused, and the legitimate latest token dies with it.
    expect((await refresh(first)).errors?.[0]?.extensions?.code).toBe("INVALID_REFRESH_TOKEN");
    expect((await refresh(third)).errors?.[0]?.extensions?.code).toBe("INVALID_REFRESH_TOKEN");
    // Other sign-ins (other families) are untouched.
    expect((await refresh(alice.refreshToken)).errors).toBeUndefined();
  });

  it("logout revokes the family; a garbage token is refused", async () => {
    const s = await login(alice.email, alice.password);
    const out = await gql<{ logout: { success: boolean } }>(api, "mutation ($t: String!) { logout(input: {refreshToken: $t}) { success } }", {
      t: s.data!.login.refreshToken,
    });
    expect(out.data?.logout.success).toBe(true);
    expect((await refresh(s.data!.login.refreshToken)).errors?.[0]?.extensions?.code).toBe("INVALID_REFRESH_TOKEN");
    expect((await refresh("garbage")).errors?.[0]?.extensions?.code).toBe("INVALID_REFRESH_TOKEN");
  });

  it("changing the password ends every other sign-in (this one stays) and keeps the new password", async () => {
    const bob = await signUp(api, "auth-bob");
    const elsewhere = (await login(bob.email, bob.password)).data!.login;
    const change = await gql(
      api,
      "mutation ($o: String!, $n: String!) { changePassword(input: {oldPassword: $o, newPassword: $n}) { success } }",
      { o: bob.password, n: "a-brand-new-password" },
      bob.accessToken,
    );
    expect(change.errors).toBeUndefined();
    expect((await refresh(elsewhere.refreshToken)).errors?.[0]?.extensions?.code).toBe("INVALID_REFRESH_TOKEN");
    // The other sign-in's access token is refused as soon as the revocation reaches this API (≤ 1 s).
    const deadline = Date.now() + 1000;
    let status = (await gql(api, "{ currentUser { rowId } }", {}, elsewhere.accessToken)).status;
    while (status !== 401 && Date.now() < deadline) status = (await gql(api, "{ currentUser { rowId } }", {}, elsewhere.accessToken)).status;
    expect(status).toBe(401);
    expect((await refresh(bob.refreshToken)).errors).toBeUndefined();
    expect((await login(bob.email, bob.password)).errors?.[0]?.extensions?.code).toBe("INVALID_CREDENTIALS");
    expect((await login(bob.email, "a-brand-new-password")).errors).toBeUndefined();
    const wrongOld = await gql(
      api,
      "mutation { changePassword(input: {oldPassword: \"wrong-old-password\", newPassword: \"whatever-else\"}) { success } }",
      {},
      bob.accessToken,
    );
    expect(wrongOld.errors?.[0]?.extensions?.code).toBe("INVALID_CREDENTIALS");
  });

  it("a suspended user's refresh fails at once", async () => {
    const carol = await signUp(api, "auth-carol");
    const { pool } = await getApiServices();
    // Suspension is an admin action; here the database's own owner does it directly.
    const { rootPool } = await import("./support/db.ts");
    const root = rootPool();
    await root.query("update app_public.users set status = 'suspended' where id = $1", [carol.userId]);
    await root.end();
    expect((await refresh(carol.refreshToken)).errors?.[0]?.extensions?.code).toBe("INVALID_REFRESH_TOKEN");
    expect((await login(carol.email, carol.password)).errors?.[0]?.extensions?.code).toBe("INVALID_CREDENTIALS");
    expect(pool.totalCount).toBeGreaterThan(0);
  });
});

describe("login rate limits", () => {
  it("locks an account after repeated failures, across IPs, and says when to retry", async () => {
    const dave = await signUp(api, "auth-dave");
    const { config } = await getApiServices();
    for (let i = 0; i < config.auth.loginLimitPerAccount; i++) {
      expect((await login(dave.email, "wrong-password")).errors?.[0]?.extensions?.code).toBe("INVALID_CREDENTIALS");
    }
    const limited = await login(dave.email, dave.password);
    expect(limited.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect(Number(limited.errors?.[0]?.extensions?.retryAfterSeconds)).toBeGreaterThan(0);
  });

  it("limits attempts per IP", async () => {
    const { config, redis } = await getApiServices();
    // This test's address has already used some attempts; fill the window up to the limit.
    await redis.set("login:ip:127.0.0.1", String(config.auth.loginLimitPerIp), "EX", 60);
    const r = await login(alice.email, alice.password);
    expect(r.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    await redis.del("login:ip:127.0.0.1");
    expect((await login(alice.email, alice.password)).errors).toBeUndefined();
  });
});

describe("access tokens: every bad token is an authentication error, never anonymous access", () => {
  async function expect401(authorization: string) {
    const res = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      body: JSON.stringify({ query: ME }),
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { data?: unknown; errors: { message: string }[] };
    expect(body.data ?? null).toBeNull();
    expect(body.errors[0]!.message).toMatch(/token|Authorization/);
  }
  const claims = () => ({ role: "user", sub: alice.userId });
  const { config } = { config: { iss: "openclaw", aud: "openclaw" } };
  async function hsSecret() {
    return new TextEncoder().encode(
      (await import("node:fs")).readFileSync(`${(await getApiServices()).config.dataDir}/jwt-secret`, "utf8").trim(),
    );
  }

  it("garbage and malformed headers", async () => {
    await expect401("Bearer not.a.jwt");
    await expect401("Bearer ");
    await expect401("Basic dXNlcjpwYXNz");
  });

  it("expired", async () => {
    const t = await new jose.SignJWT(claims()).setProtectedHeader({ alg: "HS256" }).setIssuer(config.iss).setAudience(config.aud)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600).setExpirationTime(Math.floor(Date.now() / 1000) - 60).setJti(randomUUID()).sign(await hsSecret());
    await expect401(`Bearer ${t}`);
  });

  it("alg: none", async () => {
    const t = new jose.UnsecuredJWT(claims()).setIssuer(config.iss).setAudience(config.aud).setIssuedAt().setExpirationTime("10m").setJti(randomUUID()).encode();
    await expect401(`Bearer ${t}`);
  });

  it("signed with the wrong key", async () => {
    const t = await new jose.SignJWT(claims()).setProtectedHeader({ alg: "HS256" }).setIssuer(config.iss).setAudience(config.aud)
      .setIssuedAt().setExpirationTime("10m").setJti(randomUUID()).sign(new TextEncoder().encode("x".repeat(48)));
    await expect401(`Bearer ${t}`);
  });

  it("signed with another algorithm (an RSA key instead of the HMAC secret)", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const t = await new jose.SignJWT(claims()).setProtectedHeader({ alg: "RS256" }).setIssuer(config.iss).setAudience(config.aud)
      .setIssuedAt().setExpirationTime("10m").setJti(randomUUID()).sign(privateKey);
    await expect401(`Bearer ${t}`);
  });

  it("wrong issuer, wrong audience", async () => {
    const base = () => new jose.SignJWT(claims()).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("10m").setJti(randomUUID());
    await expect401(`Bearer ${await base().setIssuer("someone-else").setAudience(config.aud).sign(await hsSecret())}`);
    await expect401(`Bearer ${await base().setIssuer(config.iss).setAudience("another-app").sign(await hsSecret())}`);
  });

  it("a correctly signed token asking for a role we do not issue, or with a bad subject", async () => {
    const sign = (payload: Record<string, unknown>) =>
      hsSecret().then((key) =>
        new jose.SignJWT(payload).setProtectedHeader({ alg: "HS256" }).setIssuer(config.iss).setAudience(config.aud).setIssuedAt().setExpirationTime("10m").setJti(randomUUID()).sign(key),
      );
    await expect401(`Bearer ${await sign({ role: "openclaw_owner", sub: alice.userId })}`);
    await expect401(`Bearer ${await sign({ role: "user", sub: "not-a-uuid" })}`);
    await expect401(`Bearer ${await sign({ role: "user" })}`);
  });

  it("a tampered payload", async () => {
    const [h, , s] = alice.accessToken.split(".");
    const forged = Buffer.from(JSON.stringify({ role: "admin", sub: alice.userId, iss: config.iss, aud: config.aud, exp: 9999999999, iat: 1, jti: "x" })).toString("base64url");
    await expect401(`Bearer ${h}.${forged}.${s}`);
  });
});
