// OpenClaw gateway frames (JSON text): req (client → gateway), res and event (gateway → client).
// Parsing is lenient about fields newer clients add (the published schema says
// additionalProperties:false, which would reject them) and strict about everything else.
import { formatValidationErrors, validateRequestFrame } from "@openclaw/gateway-protocol";

export interface RequestFrame {
  type: "req";
  id: string;
  method: string;
  params: unknown;
}

export interface ErrorShape {
  code: "INVALID_REQUEST" | "FORBIDDEN" | "NOT_PAIRED" | "UNAVAILABLE" | "APPROVAL_NOT_FOUND";
  message: string;
  details?: Record<string, unknown>;
  retryable?: boolean;
  retryAfterMs?: number;
}

/** An error a method or the handshake answers with; `close` ends the connection after the reply. */
export class GatewayError extends Error {
  constructor(
    readonly shape: ErrorShape,
    readonly close?: { code: number; reason: string },
  ) {
    super(shape.message);
  }
}

export function invalidRequest(message: string, details?: Record<string, unknown>): GatewayError {
  return new GatewayError({ code: "INVALID_REQUEST", message, ...(details ? { details } : {}) });
}

export function unknownMethod(method: string): GatewayError {
  // Exactly this text: the node host reads it as "feature unsupported, stop publishing".
  const shown = method.length > 100 ? `${method.slice(0, 100)}…` : method;
  return new GatewayError({ code: "INVALID_REQUEST", message: `unknown method: ${shown}` });
}

export function unavailable(message: string, details?: Record<string, unknown>): GatewayError {
  return new GatewayError({ code: "UNAVAILABLE", message, retryable: true, ...(details ? { details } : {}) });
}

export function missingScope(scope: string): GatewayError {
  return new GatewayError({
    code: "FORBIDDEN",
    message: `missing scope: ${scope}`,
    details: { code: "MISSING_SCOPE", missingScope: scope, requiredScopes: [scope] },
  });
}

/** A validator from @openclaw/gateway-protocol (Ajv-compiled, all errors collected). */
export interface SchemaValidator {
  (value: unknown): boolean;
  errors?: Array<{ keyword: string }> | null;
}

/** Valid, or invalid only because of properties the schema does not know. */
export function leniently(validate: SchemaValidator, value: unknown): { ok: true } | { ok: false; message: string } {
  if (validate(value)) return { ok: true };
  const errors = validate.errors ?? [];
  if (errors.length > 0 && errors.every((e) => e.keyword === "additionalProperties")) return { ok: true };
  return { ok: false, message: formatValidationErrors(errors as never) };
}

/** Deeper JSON than any real frame needs; deeper values would overflow the stack when re-serialised. */
export const MAX_FRAME_DEPTH = 64;

function tooDeep(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

export type ParsedFrame = { ok: true; frame: RequestFrame } | { ok: false; id: string | null; message: string };

/** Parses one text frame as a request; clients send nothing else. */
export function parseRequestFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, id: null, message: "malformed frame: not JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, id: null, message: "malformed frame: not an object" };
  }
  const v = value as Record<string, unknown>;
  const id = typeof v.id === "string" && v.id.length <= 256 ? v.id : null;
  // Postgres text cannot hold NUL; no real client sends it.
  if (text.includes("\\u0000")) return { ok: false, id, message: "malformed frame: NUL characters are not accepted" };
  if (tooDeep(v, MAX_FRAME_DEPTH)) return { ok: false, id, message: `malformed frame: nested deeper than ${MAX_FRAME_DEPTH} levels` };
  if (v.type !== "req") return { ok: false, id, message: `unexpected frame type: ${String(v.type).slice(0, 32)}` };
  const checked = leniently(validateRequestFrame as SchemaValidator, v);
  if (!checked.ok) return { ok: false, id, message: `invalid request frame: ${checked.message}` };
  return { ok: true, frame: { type: "req", id: v.id as string, method: v.method as string, params: v.params ?? {} } };
}

/** Lone UTF-16 surrogates replaced by U+FFFD (String.prototype.toWellFormed, which TS lib es2022 lacks). */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** A close reason is at most 123 bytes of valid UTF-8: cut on whole characters. */
export function closeReason(text: string): string {
  const chars = [...wellFormed(text)];
  while (Buffer.byteLength(chars.join("")) > 123) chars.pop();
  return chars.join("");
}
