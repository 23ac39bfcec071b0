// Orders and payments: pending → paid (manual provider or signed webhook) → active subscription
// with quotas. Replays, bad signatures, stale timestamps and wrong amounts are refused.
process.env.PAYMENT_WEBHOOK_SECRET = "test-webhook-secret-0123456789abcdef";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWebhook } from "../api/payments.ts";
import type { ApiServer } from "../api/server.ts";
import { gql, signUp, signUpAdmin, startTestApi, type Session } from "./support/api.ts";
import { rootPool } from "./support/db.ts";

let api: ApiServer;
let admin: Session;
let planId: string;
let couponCode: string;
const root = rootPool();
const SECRET = process.env.PAYMENT_WEBHOOK_SECRET!;

beforeAll(async () => {
  api = await startTestApi();
  admin = await signUpAdmin(api, root, "pay-admin");
  const plan = await gql<{ createPlan: { plan: { rowId: string } } }>(
    api,
    `mutation { createPlan(input: {plan: {slug: "pay-${Date.now()}", name: "Plus", priceCents: 1000, currency: "EUR", maxDevices: 3, monthlyMessages: 300, monthlyTokens: "300000", storageBytes: "1000000", allowedModels: ["local"]}}) { plan { rowId } } }`,
    {},
    admin.accessToken,
  );
  planId = plan.data!.createPlan.plan.rowId;
  couponCode = `TWENTY-${Date.now() % 100000}`;
  await gql(api, `mutation ($p: UUID!) { createCoupon(input: {coupon: {code: "${couponCode}", percentOff: 20, planId: $p, maxRedemptions: 5}}) { coupon { rowId } } }`, { p: planId }, admin.accessToken);
});
afterAll(async () => {
  await api.close();
  await root.end();
});

async function order(user: Session, coupon?: string) {
  return gql<{ createOrder: { result: { rowId: string; amountCents: number; currency: string; status: string } } }>(
    api,
    "mutation ($p: UUID!, $c: String) { createOrder(input: {planId: $p, couponCode: $c}) { result { rowId amountCents currency status } } }",
    { p: planId, c: coupon ?? null },
    user.accessToken,
  );
}

async function webhook(body: unknown, opts: { secret?: string; timestamp?: number; signature?: string } = {}) {
  const raw = JSON.stringify(body);
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(`${api.url}/webhooks/payments`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-openclaw-timestamp": String(timestamp),
      "x-openclaw-signature": opts.signature ?? signWebhook(opts.secret ?? SECRET, timestamp, raw),
    },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function entitlement(userId: string) {
  const subs = await root.query("select plan_id, status from app_public.subscriptions where user_id = $1 and status = 'active'", [userId]);
  const quotas = await root.query("select messages_limit, devices_limit from app_public.usage_quotas where user_id = $1", [userId]);
  return { subs: subs.rows, quotas: quotas.rows };
}

describe("orders", () => {
  it("prices the order on the server, applies a valid coupon and refuses an invalid one", async () => {
    const u = await signUp(api, "pay-user");
    const plain = await order(u);
    expect(plain.data?.createOrder.result).toMatchObject({ amountCents: 1000, currency: "EUR", status: "pending" });
    const discounted = await order(u, couponCode.toLowerCase());
    expect(discounted.data?.createOrder.result.amountCents).toBe(800);
    expect((await order(u, "NOPE-123")).errors?.[0]?.extensions?.code).toBe("INVALID_COUPON");
    const mine = await gql<{ orders: { nodes: unknown[] } }>(api, "{ orders { nodes { rowId status } } }", {}, u.accessToken);
    expect(mine.data?.orders.nodes).toHaveLength(2);
  });

  it("manual provider: an admin marks the order paid; the subscription and quotas become active", async () => {
    const u = await signUp(api, "pay-manual");
    const id = (await order(u, couponCode)).data!.createOrder.result.rowId;
    const byUser = await gql(api, "mutation ($o: UUID!) { adminMarkOrderPaid(input: {orderId: $o, reference: \"self\"}) { result { status } } }", { o: id }, u.accessToken);
    expect(byUser.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const paid = await gql<{ adminMarkOrderPaid: { result: { status: string } } }>(
      api,
      "mutation ($o: UUID!) { adminMarkOrderPaid(input: {orderId: $o, reference: \"bank transfer 42\"}) { result { status paidAt } } }",
      { o: id },
      admin.accessToken,
    );
    expect(paid.data?.adminMarkOrderPaid.result.status).toBe("paid");
    expect(await entitlement(u.userId)).toEqual({ subs: [{ plan_id: planId, status: "active" }], quotas: [{ messages_limit: 300, devices_limit: 3 }] });
    const audit = await root.query("select actor_id from app_public.audit_log where action = 'billing.payment_confirmed' and target_id = $1", [id]);
    expect(audit.rows).toEqual([{ actor_id: admin.userId }]);
    const again = await gql(api, "mutation ($o: UUID!) { adminMarkOrderPaid(input: {orderId: $o, reference: \"again\"}) { result { status } } }", { o: id }, admin.accessToken);
    expect(again.errors?.[0]?.extensions?.code).toBe("ORDER_NOT_PENDING");
  });
});

describe("payment webhook", () => {
  it("refuses unsigned, badly signed and stale requests; a wrong amount changes nothing", async () => {
    const u = await signUp(api, "pay-hook-bad");
    const id = (await order(u)).data!.createOrder.result.rowId;
    const event = { id: `evt_${randomUUID()}`, type: "payment.succeeded", orderId: id, amountCents: 1000, currency: "EUR" };
    expect((await webhook(event, { signature: "sha256=00" })).status).toBe(401);
    expect((await webhook(event, { secret: "some-other-secret-value-xxxxxxxx" })).status).toBe(401);
    expect((await webhook(event, { timestamp: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(401);
    const wrong = await webhook({ ...event, id: `evt_${randomUUID()}`, amountCents: 1 });
    expect(wrong).toEqual({ status: 422, body: { error: "AMOUNT_MISMATCH" } });
    expect(await entitlement(u.userId)).toEqual({ subs: [], quotas: [] });
    const status = await root.query("select status from app_public.orders where id = $1", [id]);
    expect(status.rows[0].status).toBe("pending");
  });

  it("a signed payment activates the subscription once; a replay is refused", async () => {
    const u = await signUp(api, "pay-hook-ok");
    const id = (await order(u)).data!.createOrder.result.rowId;
    const event = { id: `evt_${randomUUID()}`, type: "payment.succeeded", orderId: id, amountCents: 1000, currency: "EUR", provider: "stripe" };
    expect(await webhook(event)).toEqual({ status: 200, body: { orderId: id, status: "paid" } });
    expect(await webhook(event)).toEqual({ status: 409, body: { error: "REPLAYED" } });
    expect(await webhook({ ...event, id: `evt_${randomUUID()}` })).toEqual({ status: 409, body: { error: "ORDER_NOT_PENDING" } });
    expect((await entitlement(u.userId)).subs).toEqual([{ plan_id: planId, status: "active" }]);
    const mine = await gql<{ orders: { nodes: { status: string }[] } }>(api, "{ orders { nodes { status } } }", {}, u.accessToken);
    expect(mine.data?.orders.nodes).toEqual([{ status: "paid" }]);
  });

  it("unknown orders and malformed events get clear errors", async () => {
    expect((await webhook({ id: "evt_x", type: "payment.succeeded", orderId: randomUUID(), amountCents: 1, currency: "EUR" })).status).toBe(404);
    expect((await webhook({ type: "payment.succeeded" })).status).toBe(400);
    expect((await webhook({ id: "evt_y", type: "charge.refunded" })).status).toBe(202);
  });
});
