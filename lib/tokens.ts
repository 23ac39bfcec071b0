// Access tokens: short-lived JWTs signed by the API and verified by the API and the gateway.
// HS256 by default (secret from JWT_SECRET, or generated once into <dataDir>/jwt-secret),
// RS256/ES256 with PEM key files. Verification pins the algorithm, issuer and audience, and
// requires every claim we rely on, so "alg: none", key confusion and foreign tokens all fail.
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as jose from "jose";
import type { AuthConfig, Config } from "./config.ts";
import { isUuid } from "./events.ts";

export type TokenRole = "user" | "admin";

export interface AccessClaims {
  userId: string;
  /** The role when the token was signed; what counts is the session's current role (db/sessions.ts). */
  role: TokenRole;
  /** The sign-in (app_private.sessions) this token belongs to: claim sid. */
  sessionId: string;
  jti: string;
  expiresAt: Date;
}

/** What a client is told when a token is refused, by code (api/errors.ts gives the code back). */
export const TOKEN_ERROR_MESSAGES = {
  INVALID_TOKEN: "the access token is invalid",
  TOKEN_EXPIRED: "the access token has expired",
} as const;

export class AuthenticationError extends Error {
  constructor(
    message: string,
    readonly code: "INVALID_TOKEN" | "TOKEN_EXPIRED" | "SESSION_ENDED" | "ACCOUNT_SUSPENDED",
  ) {
    super(message);
  }
}

export interface TokenService {
  sign(identity: { userId: string; role: TokenRole; sessionId: string }): Promise<{ token: string; expiresAt: Date }>;
  verify(token: string): Promise<AccessClaims>;
}

/** The HS256 secret: JWT_SECRET, or a random one kept in the data folder across restarts. */
function hmacSecret(auth: AuthConfig, dataDir: string): Uint8Array {
  if (auth.secret) {
    if (Buffer.byteLength(auth.secret) < 32) throw new Error("JWT_SECRET must be at least 32 bytes");
    return new TextEncoder().encode(auth.secret);
  }
  const file = path.join(dataDir, "jwt-secret");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    // "wx": never overwrite a secret another process wrote a moment ago.
    try {
      writeFileSync(file, randomBytes(48).toString("base64url"), { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return new TextEncoder().encode(readFileSync(file, "utf8").trim());
}

export async function createTokenService(config: Pick<Config, "auth" | "dataDir">): Promise<TokenService> {
  const { auth } = config;
  let signKey: jose.CryptoKey | Uint8Array;
  let verifyKey: jose.CryptoKey | Uint8Array;
  if (auth.algorithm === "HS256") {
    signKey = verifyKey = hmacSecret(auth, config.dataDir);
  } else {
    signKey = await jose.importPKCS8(readFileSync(auth.privateKeyFile!, "utf8"), auth.algorithm);
    verifyKey = await jose.importSPKI(readFileSync(auth.publicKeyFile!, "utf8"), auth.algorithm);
  }

  return {
    async sign({ userId, role, sessionId }) {
      const now = Math.floor(Date.now() / 1000);
      const exp = now + auth.accessTokenTtlSeconds;
      const token = await new jose.SignJWT({ role, sid: sessionId })
        .setProtectedHeader({ alg: auth.algorithm, typ: "JWT" })
        .setSubject(userId)
        .setIssuer(auth.issuer)
        .setAudience(auth.audience)
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .setJti(randomUUID())
        .sign(signKey);
      return { token, expiresAt: new Date(exp * 1000) };
    },

    async verify(token) {
      let payload: jose.JWTPayload;
      try {
        ({ payload } = await jose.jwtVerify(token, verifyKey, {
          algorithms: [auth.algorithm],
          issuer: auth.issuer,
          audience: auth.audience,
          requiredClaims: ["sub", "exp", "iat", "jti", "sid"],
          clockTolerance: 5,
        }));
      } catch (error) {
        if (error instanceof jose.errors.JWTExpired) throw new AuthenticationError(TOKEN_ERROR_MESSAGES.TOKEN_EXPIRED, "TOKEN_EXPIRED");
        throw new AuthenticationError(TOKEN_ERROR_MESSAGES.INVALID_TOKEN, "INVALID_TOKEN");
      }
      const { role, sid } = payload;
      if (typeof payload.sub !== "string" || !isUuid(payload.sub) || (role !== "user" && role !== "admin") ||
          typeof sid !== "string" || !isUuid(sid)) {
        throw new AuthenticationError(TOKEN_ERROR_MESSAGES.INVALID_TOKEN, "INVALID_TOKEN");
      }
      return { userId: payload.sub, role, sessionId: sid, jti: payload.jti!, expiresAt: new Date(payload.exp! * 1000) };
    },
  };
}
