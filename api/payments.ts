// Payment providers. Orders are confirmed by exactly two paths, both ending in
// app_hidden.billing_confirm_payment (amount and currency checked, replays refused):
//   manual   an admin calls adminMarkOrderPaid (GraphQL);
//   webhook  POST /webhooks/payments from a provider, signed with HMAC-SHA256 over
//            "<timestamp>.<raw body>" with PAYMENT_WEBHOOK_SECRET, headers
//            X-Openclaw-Timestamp (unix seconds) and X-Openclaw-Signature ("sha256=<hex>").
// There is no provider that confirms without a signed, matching payment. A matching payment the
// database refuses to apply (its coupon ran out, or it would replace a dearer plan) is recorded,
// its order canceled with the reason, and answered 409 with that reason: a refund is due.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { withAnonymous } from "../db/tenant.ts";
import type { ApiServices } from "./services.ts";

const MAX_BODY = 64 * 1024;

export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;
}

export function verifyWebhookSignature(
  secret: string,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  rawBody: string,
  toleranceSeconds: number,
  nowSeconds = Math.floor(Date.now() / 1000),
): string | null {
  const timestamp = Number(timestampHeader);
  if (!timestampHeader || !Number.isInteger(timestamp)) return "missing or malformed X-Openclaw-Timestamp";
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return "timestamp outside the allowed window";
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
  const given = Buffer.from(signatureHeader ?? "");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "bad signature";
  return null;
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

// A payment the database recorded but did not apply (see migrations: billing_confirm_payment):
// the order is canceled with this reason and the payment is due back.
const REFUSALS: Record<string, string> = {
  coupon_exhausted: "COUPON_EXHAUSTED",
  downgrade_refused: "DOWNGRADE_NOT_ALLOWED",
};

const SQL_ERRORS: Record<string, [number, string]> = {
  REPLY: [409, "REPLAYED"],
  ORDST: [409, "ORDER_NOT_PENDING"],
  ORDAM: [422, "AMOUNT_MISMATCH"],
  P0002: [404, "ORDER_NOT_FOUND"],
  "22P02": [400, "INVALID_INPUT"],
};

export async function handlePaymentWebhook(req: IncomingMessage, res: ServerResponse, services: ApiServices): Promise<void> {
  const { webhookSecret, toleranceSeconds } = services.config.payments;
  if (req.method !== "POST") return reply(res, 405, { error: "METHOD_NOT_ALLOWED" });
  if (!webhookSecret) return reply(res, 503, { error: "NOT_CONFIGURED", message: "PAYMENT_WEBHOOK_SECRET is not set" });
  const raw = await readBody(req);
  if (raw === null) return reply(res, 413, { error: "TOO_LARGE" });
  const problem = verifyWebhookSignature(
    webhookSecret,
    req.headers["x-openclaw-timestamp"] as string | undefined,
    req.headers["x-openclaw-signature"] as string | undefined,
    raw,
    toleranceSeconds,
  );
  if (problem) {
    services.logger.warn({ problem }, "payment webhook refused");
    return reply(res, 401, { error: "INVALID_SIGNATURE", message: problem });
  }
  let event: { id?: unknown; type?: unknown; orderId?: unknown; amountCents?: unknown; currency?: unknown; provider?: unknown };
  try {
    event = JSON.parse(raw);
  } catch {
    return reply(res, 400, { error: "INVALID_JSON" });
  }
  if (event.type !== "payment.succeeded") return reply(res, 202, { ignored: true });
  if (typeof event.id !== "string" || typeof event.orderId !== "string" || !Number.isInteger(event.amountCents) || typeof event.currency !== "string") {
    return reply(res, 400, { error: "INVALID_EVENT", message: "need id, orderId, amountCents, currency" });
  }
  const provider = typeof event.provider === "string" && /^[a-z][a-z0-9_-]{0,31}$/.test(event.provider) ? event.provider : "webhook";
  try {
    const order = await withAnonymous(services.pool, async (tx) => {
      const { rows } = await tx.query<{ id: string; status: string; cancel_reason: string | null }>(
        "select id, status, cancel_reason from app_hidden.billing_confirm_payment($1, $2, $3, $4, $5)",
        [provider, event.id, event.orderId, event.amountCents, event.currency],
      );
      return rows[0]!;
    });
    if (order.cancel_reason) {
      services.logger.warn({ orderId: order.id, reason: order.cancel_reason }, "payment refused; a refund is due");
      return reply(res, 409, { error: REFUSALS[order.cancel_reason] ?? "PAYMENT_REFUSED", orderId: order.id, status: order.status });
    }
    services.logger.info({ orderId: order.id }, "payment confirmed");
    return reply(res, 200, { orderId: order.id, status: order.status });
  } catch (error) {
    const mapped = SQL_ERRORS[(error as { code?: string }).code ?? ""];
    if (mapped) return reply(res, mapped[0], { error: mapped[1] });
    services.logger.error({ err: (error as Error).message }, "payment webhook failed");
    return reply(res, 500, { error: "INTERNAL" });
  }
}
