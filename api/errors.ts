// What clients see of errors: SafeErrors as thrown, well-known Postgres errors as a stable code
// and a plain message, anything else masked (logged with a hash by grafserv).
import { GraphQLError } from "grafast/graphql";
import { defaultMaskError } from "grafserv";
import { SESSION_END_MESSAGES } from "../db/sessions.ts";
import { TOKEN_ERROR_MESSAGES } from "../lib/tokens.ts";

export const BAD_AUTHORIZATION_HEADER = "The Authorization header must be 'Bearer <access token>'.";

/** Refused-token messages and their codes. */
const AUTH_CODES = new Map<string, string>([
  ...Object.entries(TOKEN_ERROR_MESSAGES).map(([code, message]) => [message, code] as [string, string]),
  ...Object.entries(SESSION_END_MESSAGES).map(([code, message]) => [message, code] as [string, string]),
  [BAD_AUTHORIZATION_HEADER, "INVALID_TOKEN"],
]);

// A null message: the database's own message is shown (raised by our functions, written for people).
// Detail keys: the error's DETAIL is a JSON object (from our functions) whose keys listed here
// become extensions, e.g. a quota's limit and usage.
const PG_CODES: Record<string, [code: string, message: string | null, detailKeys?: readonly string[]]> = {
  "42501": ["FORBIDDEN", "You are not allowed to do that."],
  "23505": ["CONFLICT", "That already exists."],
  "23514": ["INVALID_INPUT", "A value is not valid."],
  "23502": ["INVALID_INPUT", "A required value is missing."],
  "23503": ["INVALID_REFERENCE", "It refers to something that does not exist or is not yours."],
  "22P02": ["INVALID_INPUT", "A value has the wrong format."],
  "22001": ["INVALID_INPUT", "A value is too long."],
  "22023": ["INVALID_INPUT", "A parameter is not valid."],
  WEAKP: ["WEAK_PASSWORD", "The password must be 8 to 200 characters."],
  PLANM: ["MODEL_NOT_IN_PLAN", "Your plan does not include that model."],
  P0002: ["NOT_FOUND", "Not found."],
  PAIRX: ["PAIRING_NOT_PENDING", "The pairing request is no longer pending."],
  COUPN: ["INVALID_COUPON", "The coupon is not valid for this plan."],
  REPLY: ["REPLAYED", "That payment was already applied."],
  ORDST: ["ORDER_NOT_PENDING", "The order is not waiting for payment."],
  ORDAM: ["AMOUNT_MISMATCH", "The payment does not match the order."],
  CFGIN: ["INVALID_SETTING", null],
  "55000": ["ALREADY_DECIDED", "That was already decided."],
  PLANS: ["STORAGE_QUOTA_EXCEEDED", null, ["limit", "used", "requested"]],
  PLAND: ["DEVICE_LIMIT_REACHED", null, ["limit", "paired"]],
  DOWNG: ["DOWNGRADE_NOT_ALLOWED", null, ["currentPlanId", "currentPeriodEnd"]],
};

function detailExtensions(detail: string | undefined, keys: readonly string[] | undefined): Record<string, unknown> {
  if (!detail || !keys) return {};
  try {
    const parsed = JSON.parse(detail) as Record<string, unknown>;
    return Object.fromEntries(keys.filter((k) => k in parsed).map((k) => [k, parsed[k]]));
  } catch {
    return {};
  }
}

export function maskError(error: GraphQLError): GraphQLError {
  const original = error.originalError as
    | { code?: string; message?: string; detail?: string }
    | undefined;
  // A refused token (postgraphile.config.ts): grafserv passes on only the message, so the code
  // comes back from it.
  const authCode = AUTH_CODES.get(error.message);
  if (authCode && !original?.code) return new GraphQLError(error.message, { extensions: { code: authCode } });
  const known = original?.code ? PG_CODES[original.code] : undefined;
  if (known) {
    const extensions = { ...detailExtensions(original!.detail, known[2]), code: known[0] };
    return new GraphQLError(known[1] ?? original!.message!, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
  }
  if (original?.message?.startsWith("No values were")) {
    return new GraphQLError("Not found.", { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions: { code: "NOT_FOUND" } });
  }
  return defaultMaskError(error);
}
