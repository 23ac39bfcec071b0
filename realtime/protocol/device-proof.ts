// The Ed25519 device proof a client signs in `connect` (OpenClaw protocol §3.2): the device id is
// sha256 of the raw public key, the signature covers the v3 payload (v2 as a fallback) with the
// nonce this socket was challenged with, signed within ±120 s of our clock.
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";

export const SIGNATURE_SKEW_MS = 120_000;

export interface DeviceBlock {
  id: string;
  publicKey: string;
  signature: string;
  signedAt: number;
  nonce?: string;
}

export interface ProofContext {
  clientId: string;
  clientMode: string;
  role: string;
  scopes: string[];
  token: string;
  platform?: string;
  deviceFamily?: string;
  /** The nonce sent in this socket's connect.challenge. */
  nonce: string;
  now: number;
}

export type ProofFailure =
  | "DEVICE_AUTH_DEVICE_ID_MISMATCH"
  | "DEVICE_AUTH_SIGNATURE_EXPIRED"
  | "DEVICE_AUTH_NONCE_REQUIRED"
  | "DEVICE_AUTH_NONCE_MISMATCH"
  | "DEVICE_AUTH_PUBLIC_KEY_INVALID"
  | "DEVICE_AUTH_SIGNATURE_INVALID";

const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** The raw 32-byte key from base64url (the clients' form), standard base64 or PEM. */
export function rawPublicKey(text: string): Buffer | null {
  try {
    if (text.includes("BEGIN PUBLIC KEY")) {
      const der = createPublicKey(text).export({ format: "der", type: "spki" });
      return der.length === 44 && der.subarray(0, 12).equals(SPKI_ED25519_PREFIX) ? der.subarray(12) : null;
    }
    const raw = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    return raw.length === 32 ? raw : null;
  } catch {
    return null;
  }
}

function keyObject(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: "der", type: "spki" });
}

function normalise(value: string | undefined): string {
  return (value ?? "").trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function payloadV3(device: DeviceBlock, ctx: ProofContext): string {
  return [
    "v3", device.id, ctx.clientId, ctx.clientMode, ctx.role, ctx.scopes.join(","), String(device.signedAt),
    ctx.token, device.nonce ?? "", normalise(ctx.platform), normalise(ctx.deviceFamily),
  ].join("|");
}

export function payloadV2(device: DeviceBlock, ctx: ProofContext): string {
  return ["v2", device.id, ctx.clientId, ctx.clientMode, ctx.role, ctx.scopes.join(","), String(device.signedAt), ctx.token, device.nonce ?? ""].join("|");
}

/** null when the proof holds, otherwise the protocol's failure code. */
export function checkDeviceProof(device: DeviceBlock, ctx: ProofContext): ProofFailure | null {
  const raw = rawPublicKey(device.publicKey);
  if (!raw) return "DEVICE_AUTH_PUBLIC_KEY_INVALID";
  if (createHash("sha256").update(raw).digest("hex") !== device.id) return "DEVICE_AUTH_DEVICE_ID_MISMATCH";
  if (!Number.isInteger(device.signedAt) || Math.abs(ctx.now - device.signedAt) > SIGNATURE_SKEW_MS) {
    return "DEVICE_AUTH_SIGNATURE_EXPIRED";
  }
  if (!device.nonce) return "DEVICE_AUTH_NONCE_REQUIRED";
  if (device.nonce !== ctx.nonce) return "DEVICE_AUTH_NONCE_MISMATCH";
  const signature = Buffer.from(device.signature.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (signature.length !== 64) return "DEVICE_AUTH_SIGNATURE_INVALID";
  const key = keyObject(raw);
  for (const payload of [payloadV3(device, ctx), payloadV2(device, ctx)]) {
    if (verify(null, Buffer.from(payload, "utf8"), key, signature)) return null;
  }
  return "DEVICE_AUTH_SIGNATURE_INVALID";
}

/** base64url of the raw key, the form stored in devices.public_key. */
export function canonicalPublicKey(text: string): string | null {
  return rawPublicKey(text)?.toString("base64url") ?? null;
}
