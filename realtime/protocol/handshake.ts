// The connect request: protocol negotiation, then who is connecting.
//   operator (the user's apps): the user's access JWT from the API in auth.token;
//   node (device hosts): an Ed25519 device proof plus a node token / pairing code (enrolment) or
//   the device token this gateway issued in an earlier hello-ok.
// Every failure is a structured error with details.code and a close code, so the real clients
// know whether to stop (bad credentials), wait (pairing) or retry.
import { createHash } from "node:crypto";
import { validateConnectParams } from "@openclaw/gateway-protocol";
import type { SessionGuard } from "../../db/sessions.ts";
import type { GatewayConfig } from "../../lib/config.ts";
import { hit, peek } from "../../lib/rate-limit.ts";
import { redisKeys } from "../../lib/redis-keys.ts";
import type { Redis } from "../../lib/redis.ts";
import { AuthenticationError, type TokenService } from "../../lib/tokens.ts";
import { deviceLimitReached, type NodeAuthRow, type NodeRegistry } from "../nodes/registry.ts";
import { canonicalPublicKey, checkDeviceProof, type DeviceBlock } from "./device-proof.ts";
import { GatewayError, leniently, wellFormed, type ErrorShape, type SchemaValidator } from "./frames.ts";
import type { Principal } from "./principal.ts";
import { OPERATOR_SCOPES } from "./scopes.ts";

export const PROTOCOL_VERSION = 4;

export interface ConnectParams {
  minProtocol: number;
  maxProtocol: number;
  client: { id: string; displayName?: string; version: string; platform: string; deviceFamily?: string; mode: string; instanceId?: string };
  role?: string;
  scopes?: string[];
  caps?: string[];
  commands?: string[];
  pathEnv?: string;
  auth?: { token?: string; password?: string; deviceToken?: string; bootstrapToken?: string };
  device?: DeviceBlock;
}

export interface HandshakeDeps {
  config: GatewayConfig;
  registry: NodeRegistry;
  redis: Redis;
  tokens: TokenService;
  sessions: SessionGuard;
}

function fail(code: ErrorShape["code"], message: string, details: Record<string, unknown>, closeCode = 1008): GatewayError {
  return new GatewayError({ code, message, details }, { code: closeCode, reason: message });
}

function authFailure(detailsCode: string, message: string, extra: Record<string, unknown> = {}): GatewayError {
  return fail("INVALID_REQUEST", message, { code: detailsCode, ...extra });
}

const tokenMismatch = (message = "unauthorized: gateway token mismatch", authReason = "token_mismatch") =>
  authFailure("AUTH_TOKEN_MISMATCH", message, {
    authReason,
    canRetryWithDeviceToken: false,
    recommendedNextStep: "update_auth_credentials",
  });

function credentialKey(ip: string, credential: string): string {
  const digest = createHash("sha256").update(credential).digest("hex").slice(0, 32);
  return redisKeys.connectFailures(ip, digest);
}

/** Failures from one address whatever it presents: guessing many codes or tokens is limited too. */
const addressKey = (ip: string) => redisKeys.connectFailuresByAddress(ip);

async function refuseIfLocked(redis: Redis, key: string, limit: number): Promise<void> {
  if ((await peek(redis, key)) < limit) return;
  const ttl = await redis.ttl(key);
  throw fail("INVALID_REQUEST", "unauthorized: too many failed attempts", {
    code: "AUTH_RATE_LIMITED",
    retryAfterMs: Math.max(ttl, 1) * 1000,
  });
}

/** Refusals that say nothing about the credential, so they do not count towards a lockout. */
const NOT_CREDENTIAL_FAILURES = new Set(["PAIRING_REQUIRED", "DEVICE_LIMIT_REACHED"]);

export async function authenticate(
  raw: unknown,
  socket: { nonce: string; remoteIp: string },
  deps: HandshakeDeps,
): Promise<Principal> {
  const checked = leniently(validateConnectParams as SchemaValidator, raw);
  if (!checked.ok) {
    throw fail("INVALID_REQUEST", `invalid connect params: ${checked.message}`.slice(0, 400), { code: "INVALID_CONNECT_PARAMS" });
  }
  const params = raw as ConnectParams;
  if (!(params.minProtocol <= PROTOCOL_VERSION && PROTOCOL_VERSION <= params.maxProtocol)) {
    throw fail("INVALID_REQUEST", "protocol mismatch", {
      code: "PROTOCOL_MISMATCH",
      expectedProtocol: PROTOCOL_VERSION,
      minProtocol: params.minProtocol,
      maxProtocol: params.maxProtocol,
    }, 1002);
  }
  const role = params.role ?? "operator";
  if (role !== "operator" && role !== "node") {
    throw fail("INVALID_REQUEST", "unauthorized role", { code: "ROLE_NOT_ALLOWED", role: wellFormed(String(role).slice(0, 32)) });
  }
  const auth = params.auth ?? {};
  if (auth.bootstrapToken && !auth.token && !auth.deviceToken) {
    throw authFailure("AUTH_BOOTSTRAP_TOKEN_INVALID", "unauthorized: setup codes are not supported; use a node token");
  }
  const token = auth.token ?? auth.password ?? "";
  const presented = token || auth.deviceToken || "";
  if (!presented) throw authFailure("AUTH_TOKEN_MISSING", "unauthorized: gateway token missing");

  // Lockouts before any work on the credential: failures per address and credential, and per
  // address whatever it presents (within the window).
  const lockKey = credentialKey(socket.remoteIp, presented);
  const ipKey = addressKey(socket.remoteIp);
  await refuseIfLocked(deps.redis, ipKey, deps.config.authFailLimitPerIp);
  await refuseIfLocked(deps.redis, lockKey, deps.config.authFailLimit);
  try {
    if (params.device) {
      const failure = checkDeviceProof(params.device, {
        clientId: params.client.id,
        clientMode: params.client.mode,
        role,
        scopes: params.scopes ?? [],
        token: auth.token ?? auth.deviceToken ?? auth.bootstrapToken ?? "",
        platform: params.client.platform,
        deviceFamily: params.client.deviceFamily,
        nonce: socket.nonce,
        now: Date.now(),
      });
      if (failure) throw authFailure(failure, deviceFailureMessage(failure), { reason: "device-signature" });
    }
    return role === "operator"
      ? await authenticateOperator(params, token, deps)
      : await authenticateNode(params, socket.remoteIp, deps);
  } catch (error) {
    if (error instanceof GatewayError && !NOT_CREDENTIAL_FAILURES.has(String(error.shape.details?.code))) {
      await hit(deps.redis, lockKey, deps.config.authFailLimit, deps.config.authFailWindowSeconds);
      await hit(deps.redis, ipKey, deps.config.authFailLimitPerIp, deps.config.authFailWindowSeconds);
    }
    throw error;
  }
}

function deviceFailureMessage(code: string): string {
  switch (code) {
    case "DEVICE_AUTH_SIGNATURE_EXPIRED": return "device signature expired";
    case "DEVICE_AUTH_NONCE_REQUIRED": return "device nonce required";
    case "DEVICE_AUTH_NONCE_MISMATCH": return "device nonce mismatch";
    case "DEVICE_AUTH_DEVICE_ID_MISMATCH": return "device id mismatch";
    case "DEVICE_AUTH_PUBLIC_KEY_INVALID": return "device public key invalid";
    default: return "device signature invalid";
  }
}

async function authenticateOperator(params: ConnectParams, token: string, deps: HandshakeDeps): Promise<Principal> {
  if (!token) throw authFailure("AUTH_TOKEN_MISSING", "unauthorized: operators sign in with their access token");
  let claims;
  try {
    claims = await deps.tokens.verify(token);
  } catch (error) {
    if (error instanceof AuthenticationError && error.code === "TOKEN_EXPIRED") {
      throw tokenMismatch("unauthorized: access token expired", "token_expired");
    }
    throw tokenMismatch();
  }
  // The token proves who signed in; the database says whether that sign-in is still live.
  let identity;
  try {
    identity = await deps.sessions.check(claims);
  } catch (error) {
    if (error instanceof AuthenticationError && error.code === "ACCOUNT_SUSPENDED") {
      throw tokenMismatch("unauthorized: account is not active", "account_inactive");
    }
    if (error instanceof AuthenticationError) throw tokenMismatch("unauthorized: this sign-in has ended; sign in again", "session_ended");
    throw error;
  }
  const requested = params.scopes ?? [];
  const scopes = requested.filter((s) => (OPERATOR_SCOPES as readonly string[]).includes(s));
  return { role: "operator", userId: identity.userId, dbRole: identity.role, scopes, deviceId: params.device?.id ?? null, claims };
}

function text(value: string | undefined, max: number): string | null {
  const t = value?.trim();
  return t ? wellFormed(t.slice(0, max)) : null;
}

async function authenticateNode(params: ConnectParams, remoteIp: string, deps: HandshakeDeps): Promise<Principal> {
  const device = params.device;
  if (!device) throw fail("NOT_PAIRED", "device identity required", { code: "DEVICE_IDENTITY_REQUIRED" });
  const publicKey = canonicalPublicKey(device.publicKey);
  if (!publicKey) throw authFailure("DEVICE_AUTH_PUBLIC_KEY_INVALID", "device public key invalid");
  const caps = (params.caps ?? []).filter((c) => typeof c === "string" && c.length <= 100).slice(0, 100);
  const commands = (params.commands ?? []).filter((c) => typeof c === "string" && c.length <= 200).slice(0, 500);
  const auth = params.auth ?? {};
  // A stored device token may arrive alone or repeated in auth.token (the reference client does that).
  const token = auth.deviceToken && (auth.token ?? auth.deviceToken) === auth.deviceToken ? undefined : auth.token ?? auth.password;
  const lookup: Promise<NodeAuthRow | undefined> = token
    ? deps.registry.enrol({
        credential: token, deviceKeyId: device.id, publicKey, name: text(params.client.displayName, 100) ?? params.client.id,
        platform: text(params.client.platform, 64), deviceFamily: text(params.client.deviceFamily, 64),
        clientId: text(params.client.id, 100), clientVersion: text(params.client.version, 64), caps, commands,
        remoteAddress: isIp(remoteIp) ? remoteIp : null,
      })
    : deps.registry.authenticateDeviceToken(auth.deviceToken, device.id);
  const row = await lookup.catch((error: unknown) => {
    const limit = deviceLimitReached(error);
    if (!limit) throw error;
    throw fail("INVALID_REQUEST", limit.message, {
      ...limit.details,
      remediationHint: "Revoke a device or upgrade your plan, then reconnect.",
      retryable: false,
      pauseReconnect: true,
    });
  });
  switch (row?.outcome) {
    case "paired":
      break;
    case "pairing_required": {
      const message = "pairing required: device is not approved yet";
      throw new GatewayError(
        {
          code: "NOT_PAIRED",
          message,
          details: {
            code: "PAIRING_REQUIRED",
            reason: "not-paired",
            requestId: row.pairing_request_id,
            remediationHint: "Approve this device from the pending pairing requests.",
            deviceId: device.id,
            requestedRole: "node",
            requestedScopes: [],
            recommendedNextStep: "wait_then_retry",
            retryable: true,
            pauseReconnect: false,
          },
        },
        { code: 1008, reason: `${message} (requestId: ${row.pairing_request_id})` },
      );
    }
    case "device_token_invalid":
      throw authFailure("AUTH_DEVICE_TOKEN_MISMATCH", "unauthorized: device token mismatch");
    case "device_key_conflict":
      throw authFailure("DEVICE_AUTH_PUBLIC_KEY_INVALID", "device key does not match the paired device");
    case "user_suspended":
      throw tokenMismatch("unauthorized: account is not active", "account_inactive");
    default:
      throw tokenMismatch();
  }
  return {
    role: "node",
    userId: row.user_id!,
    deviceUuid: row.device_id!,
    credentialId: row.credential_id,
    deviceToken: row.device_token,
    info: {
      nodeId: device.id,
      displayName: text(params.client.displayName, 100) ?? params.client.id,
      platform: text(params.client.platform, 64) ?? "",
      version: text(params.client.version, 64) ?? "",
      clientId: params.client.id,
      clientMode: params.client.mode,
      deviceFamily: params.client.deviceFamily,
      remoteIp,
      caps,
      commands,
      pathEnv: typeof params.pathEnv === "string" ? params.pathEnv.slice(0, 4096) : undefined,
    },
  };
}

function isIp(value: string): boolean {
  return /^[0-9.]+$|^[0-9a-f:]+$/i.test(value);
}
