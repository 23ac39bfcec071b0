// register, login, refreshToken, logout, changePassword. Database work goes through the
// SECURITY DEFINER functions in app_hidden (owned by openclaw_auth) via db/tenant.ts; this code
// only signs access tokens, makes refresh tokens, and rate-limits logins in Redis.
import { createHash, randomBytes } from "node:crypto";
import { sideEffect, SafeError, type Step } from "grafast";
import { extendSchema, gql } from "graphile-utils";
import { withAnonymous, withUser } from "../../db/tenant.ts";
import { hit, reset } from "../../lib/rate-limit.ts";
import type { TokenRole } from "../../lib/tokens.ts";
import type { ApiServices } from "../services.ts";
import "../context.ts";
import { withRequest, type RequestDeps } from "./request.ts";
import { redisKeys } from "../../lib/redis-keys.ts";

interface Identity {
  user_id: string | null;
  role: TokenRole | null;
  session_id: string | null;
}

const sha256 = (value: string) => createHash("sha256").update(value).digest();
const newRefreshToken = () => randomBytes(32).toString("base64url");
const interval = (seconds: number) => `${seconds} seconds`;

async function issue(services: ApiServices, identity: Identity, refreshToken: string) {
  const { token, expiresAt } = await services.tokens.sign({ userId: identity.user_id!, role: identity.role!, sessionId: identity.session_id! });
  return { accessToken: token, accessTokenExpiresAt: expiresAt.toISOString(), refreshToken, userId: identity.user_id, role: identity.role };
}

function invalidCredentials(): never {
  throw new SafeError("Email or password is incorrect.", { code: "INVALID_CREDENTIALS" });
}

async function login(services: ApiServices, ip: string, email: string, password: string) {
  const { auth } = services.config;
  const account = redisKeys.loginFailures(email.trim().toLowerCase());
  const byIp = await hit(services.redis, redisKeys.loginByAddress(ip), auth.loginLimitPerIp, auth.loginWindowSeconds);
  const failures = Number((await services.redis.get(account)) ?? 0);
  if (!byIp.allowed || failures >= auth.loginLimitPerAccount) {
    const retry = byIp.allowed ? Math.max(await services.redis.ttl(account), 1) : byIp.retryAfterSeconds;
    throw new SafeError(`Too many login attempts. Try again in ${retry} seconds.`, { code: "RATE_LIMITED", retryAfterSeconds: retry });
  }
  const refreshToken = newRefreshToken();
  const identity = await withAnonymous(services.pool, async (tx) => {
    const { rows } = await tx.query<Identity>("select * from app_hidden.auth_login($1, $2, $3, $4::interval)", [
      email,
      password,
      sha256(refreshToken),
      interval(auth.refreshTokenTtlSeconds),
    ]);
    return rows[0]!;
  });
  if (!identity.user_id) {
    await hit(services.redis, account, auth.loginLimitPerAccount, auth.loginWindowSeconds);
    invalidCredentials();
  }
  await reset(services.redis, account);
  return issue(services, identity, refreshToken);
}

type Input = Record<string, string | undefined>;
type Deps = RequestDeps<Input>;

/** The mutation's input plus the request's services, user id and address, as one step for sideEffect. */
const deps = (fieldArgs: { getRaw(name: string): unknown }) => withRequest(fieldArgs.getRaw("input") as Step<Input>);

export const AuthPlugin = extendSchema(() => ({
  typeDefs: gql`
    type AuthPayload {
      "Short-lived JWT for the Authorization header (Bearer)."
      accessToken: String!
      accessTokenExpiresAt: Datetime!
      "Single-use token for refreshToken; a used one revokes its whole family."
      refreshToken: String!
      userId: UUID!
      role: String!
    }
    input RegisterInput {
      email: String!
      password: String!
      displayName: String
    }
    input LoginInput {
      email: String!
      password: String!
    }
    input RefreshTokenInput {
      refreshToken: String!
    }
    input LogoutInput {
      refreshToken: String!
    }
    type LogoutPayload {
      success: Boolean!
    }
    input ChangePasswordInput {
      oldPassword: String!
      newPassword: String!
    }
    type ChangePasswordPayload {
      success: Boolean!
    }
    extend type Mutation {
      "Creates an account and signs it in."
      register(input: RegisterInput!): AuthPayload
      "Exchanges email and password for tokens. Rate-limited per account and per IP."
      login(input: LoginInput!): AuthPayload
      "Exchanges a refresh token for new tokens; the old refresh token stops working."
      refreshToken(input: RefreshTokenInput!): AuthPayload
      "Ends this sign-in: its refresh token family and every access token of it stop working at once, and its open subscriptions and gateway connections close."
      logout(input: LogoutInput!): LogoutPayload
      "Changes the signed-in user's password and ends every other sign-in (their tokens stop working and their sockets close)."
      changePassword(input: ChangePasswordInput!): ChangePasswordPayload
    }
  `,
  objects: {
    Mutation: {
      plans: {
        register(_, fieldArgs) {
          return sideEffect(deps(fieldArgs), async ([input, services, , ip]: Deps) => {
            const { email = "", password = "", displayName } = input;
            await withAnonymous(services.pool, (tx) =>
              tx.query("select app_hidden.auth_register($1, $2, $3)", [email, password, displayName ?? null]),
            ).catch((error: { code?: string; constraint?: string }) => {
              if (error.code === "23505") throw new SafeError("An account with this email already exists.", { code: "EMAIL_TAKEN" });
              if (error.code === "23514") throw new SafeError("The email address or display name is not valid.", { code: "INVALID_INPUT" });
              if (error.code === "WEAKP") throw new SafeError("The password must be 8 to 200 characters.", { code: "WEAK_PASSWORD" });
              throw error;
            });
            return login(services, ip, email, password);
          });
        },
        login(_, fieldArgs) {
          return sideEffect(deps(fieldArgs), async ([input, services, , ip]: Deps) => login(services, ip, input.email ?? "", input.password ?? ""));
        },
        refreshToken(_, fieldArgs) {
          return sideEffect(deps(fieldArgs), async ([input, services]: Deps) => {
            const next = newRefreshToken();
            const identity = await withAnonymous(services.pool, async (tx) => {
              const { rows } = await tx.query<Identity>("select * from app_hidden.auth_refresh($1, $2, $3::interval)", [
                sha256(input.refreshToken!),
                sha256(next),
                interval(services.config.auth.refreshTokenTtlSeconds),
              ]);
              return rows[0]!;
            });
            if (!identity.user_id) {
              throw new SafeError("The refresh token is invalid, expired or already used; sign in again.", { code: "INVALID_REFRESH_TOKEN" });
            }
            return issue(services, identity, next);
          });
        },
        logout(_, fieldArgs) {
          return sideEffect(deps(fieldArgs), async ([input, services]: Deps) => {
            const success = await withAnonymous(services.pool, async (tx) => {
              const { rows } = await tx.query<{ ok: boolean }>("select app_hidden.auth_logout($1) as ok", [sha256(input.refreshToken!)]);
              return rows[0]!.ok;
            });
            return { success };
          });
        },
        changePassword(_, fieldArgs) {
          return sideEffect(deps(fieldArgs), async ([input, services, userId, , sessionId]: Deps) => {
            if (!userId) throw new SafeError("Sign in to change your password.", { code: "UNAUTHENTICATED" });
            const success = await withUser(services.pool, userId, async (tx) => {
              // This sign-in stays; every other one ends.
              const { rows } = await tx.query<{ ok: boolean }>("select app_hidden.auth_change_password($1, $2, $3) as ok", [
                input.oldPassword,
                input.newPassword,
                sessionId,
              ]);
              return rows[0]!.ok;
            }).catch((error: { code?: string }) => {
              if (error.code === "WEAKP") throw new SafeError("The password must be 8 to 200 characters.", { code: "WEAK_PASSWORD" });
              throw error;
            });
            if (!success) throw new SafeError("The current password is incorrect.", { code: "INVALID_CREDENTIALS" });
            return { success };
          });
        },
      },
    },
  },
}), "AuthPlugin");
