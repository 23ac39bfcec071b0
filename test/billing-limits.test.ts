// Plan limits and billing rules, end to end over real Postgres, Redis, S3 (s3rver), HTTP and the
// gateway's WebSocket:
//   coupons    a coupon's max redemptions hold when its orders are paid at the same moment;
//   downgrade  a cheaper plan never silently replaces a dearer active one (ordering is refused,
//              and a payment that races past the order check is refused and recorded);
//   quotas     granting, extending, cancelling or paying for a plan changes the current period's
//              limits at once (usage kept), so the next chat turn already obeys them;
//   storage    confirmed files count against the plan's storage, beyond it confirm is refused,
//              deleting gives the bytes back;
//   devices    a plan's maxDevices holds at enrolment (also for concurrent enrolments) and at
//              pairing approval, through GraphQL and the gateway.
process.env.PAYMENT_WEBHOOK_SECRET = "test-webhook-secret-0123456789abcdef";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reserveTurn } from "../agent/quota.ts";
import { signWebhook } from "../api/payments.ts";
import type { ApiServer } from "../api/server.ts";
import { createRedis, type Redis } from "../lib/redis.ts";
import type { Gateway } from "../realtime/server.ts";
import { gql, signUp, signUpAdmin, startTestApiWithS3, type ApiWithS3, type Session } from "./support/api.ts";
import { authenticatorPool, config, rootPool } from "./support/db.ts";
import { connect, connectOperator, newIdentity, startTestGateway, wsUrl, type RawClient } from "./support/gateway.ts";
import { issueNodeToken, pendingPairingRequests } from "./support/nodes.ts";
import { errorCode, putToPresigned, sha256 } from "./support/uploads.ts";

let env: ApiWithS3;
let api: ApiServer;
let gw: Gateway;
let admin: Session;
let redis: Redis;
const root = rootPool();
const app = authenticatorPool();
const open: RawClient[] = [];
const SECRET = process.env.PAYMENT_WEBHOOK_SECRET!;

beforeAll(async () => {
  env = await startTestApiWithS3("billing-limits");
  api = env.api;
  gw = await startTestGateway();
  redis = createRedis(config, "billing-limits-test");
  admin = await signUpAdmin(api, root, "limits-admin");
});

afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await gw?.close();
  await env?.close();
  redis?.disconnect();
  await Promise.all([root.end(), app.end()]);
});

interface PlanInput {
  priceCents?: number;
  maxDevices?: number;
  monthlyMessages?: number;
  storageBytes?: number;
}

async function createPlan(label: string, p: PlanInput = {}): Promise<string> {
  const r = await gql<{ createPlan: { plan: { rowId: string } } }>(
    api,
    `mutation ($plan: PlanInput!) { createPlan(input: {plan: $plan}) { plan { rowId } } }`,
    {
      plan: {
        slug: `${label}-${randomUUID().slice(0, 8)}`, name: label, priceCents: p.priceCents ?? 1000, currency: "EUR",
        maxDevices: p.maxDevices ?? 5, monthlyMessages: p.monthlyMessages ?? 1000, monthlyTokens: "1000000",
        storageBytes: String(p.storageBytes ?? 1_000_000_000), allowedModels: ["local"],
      },
    },
    admin.accessToken,
  );
  if (!r.data) throw new Error(`createPlan: ${JSON.stringify(r.errors)}`);
  return r.data.createPlan.plan.rowId;
}

async function grant(user: Session, planId: string, days = 30): Promise<string> {
  const r = await gql<{ adminGrantSubscription: { result: { rowId: string } } }>(
    api,
    "mutation ($u: UUID!, $p: UUID!, $d: Int) { adminGrantSubscription(input: {userId: $u, planId: $p, days: $d}) { result { rowId } } }",
    { u: user.userId, p: planId, d: days },
    admin.accessToken,
  );
  if (!r.data) throw new Error(`adminGrantSubscription: ${JSON.stringify(r.errors)}`);
  return r.data.adminGrantSubscription.result.rowId;
}

async function order(user: Session, planId: string, coupon?: string) {
  return gql<{ createOrder: { result: { rowId: string; amountCents: number } } }>(
    api,
    "mutation ($p: UUID!, $c: String) { createOrder(input: {planId: $p, couponCode: $c}) { result { rowId amountCents } } }",
    { p: planId, c: coupon ?? null },
    user.accessToken,
  );
}

async function orderId(user: Session, planId: string, coupon?: string): Promise<{ id: string; amountCents: number }> {
  const r = await order(user, planId, coupon);
  if (!r.data) throw new Error(`createOrder: ${JSON.stringify(r.errors)}`);
  return { id: r.data.createOrder.result.rowId, amountCents: r.data.createOrder.result.amountCents };
}

async function pay(o: { id: string; amountCents: number }) {
  const raw = JSON.stringify({ id: `evt_${randomUUID()}`, type: "payment.succeeded", orderId: o.id, amountCents: o.amountCents, currency: "EUR" });
  const timestamp = Math.floor(Date.now() / 1000);
  const res = await fetch(`${api.url}/webhooks/payments`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-openclaw-timestamp": String(timestamp), "x-openclaw-signature": signWebhook(SECRET, timestamp, raw) },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function activePlans(userId: string): Promise<string[]> {
  const { rows } = await root.query("select plan_id from app_public.subscriptions where user_id = $1 and status = 'active'", [userId]);
  return rows.map((r) => r.plan_id);
}

/** The user's quota row for now, as the user reads it through GraphQL. */
async function currentQuota(user: Session) {
  const r = await gql<{ usageQuotas: { nodes: { periodStart: string; periodEnd: string; messagesLimit: number; messagesUsed: number;
    storageBytesLimit: string; storageBytesUsed: string; devicesLimit: number }[] } }>(
    api,
    "{ usageQuotas { nodes { periodStart periodEnd messagesLimit messagesUsed storageBytesLimit storageBytesUsed devicesLimit } } }",
    {},
    user.accessToken,
  );
  const now = Date.now();
  return r.data?.usageQuotas.nodes
    .filter((q) => Date.parse(q.periodStart) <= now && Date.parse(q.periodEnd) > now)
    .sort((a, b) => Date.parse(b.periodStart) - Date.parse(a.periodStart))[0];
}

describe("coupons", () => {
  it("a one-use coupon paid on several orders at once discounts exactly one; the others are refused, recorded and not activated", async () => {
    const planId = await createPlan("coupon-plan", { priceCents: 1000 });
    const code = `ONCE-${Date.now() % 100000}`;
    const c = await gql<{ createCoupon: { coupon: { rowId: string } } }>(
      api,
      `mutation ($p: UUID!) { createCoupon(input: {coupon: {code: "${code}", percentOff: 50, planId: $p, maxRedemptions: 1}}) { coupon { rowId } } }`,
      { p: planId },
      admin.accessToken,
    );
    const couponId = c.data!.createCoupon.coupon.rowId;
    const buyers = await Promise.all([1, 2, 3, 4, 5].map((i) => signUp(api, `coupon-${i}`)));
    // Nothing is redeemed before payment, so every order gets the discount when it is made.
    const orders = [];
    for (const b of buyers) orders.push(await orderId(b, planId, code));
    expect(orders.map((o) => o.amountCents)).toEqual([500, 500, 500, 500, 500]);

    const results = await Promise.all(orders.map((o) => pay(o)));
    const paid = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status !== 200);
    expect(paid).toHaveLength(1);
    expect(paid[0]!.body).toMatchObject({ status: "paid" });
    expect(refused).toHaveLength(4);
    for (const r of refused) expect(r).toMatchObject({ status: 409, body: { error: "COUPON_EXHAUSTED", status: "canceled" } });

    expect((await root.query("select redeemed_count from app_public.coupons where id = $1", [couponId])).rows[0].redeemed_count).toBe(1);
    const active = (await Promise.all(buyers.map((b) => activePlans(b.userId)))).flat();
    expect(active).toEqual([planId]);
    const states = await root.query("select status, cancel_reason from app_public.orders where coupon_id = $1 order by status::text", [couponId]);
    expect(states.rows).toEqual([
      ...Array(4).fill({ status: "canceled", cancel_reason: "coupon_exhausted" }),
      { status: "paid", cancel_reason: null },
    ]);
    const audit = await root.query(
      "select details->>'reason' as reason from app_public.audit_log where action = 'billing.payment_refused' and target_id = any($1)",
      [orders.map((o) => o.id)],
    );
    expect(audit.rows).toEqual(Array(4).fill({ reason: "coupon_exhausted" }));
    // A buyer whose payment was refused sees why on their order.
    const refusedBuyer = buyers.find((_, i) => results[i]!.status === 409)!;
    const mine = await gql<{ orders: { nodes: { status: string; cancelReason: string }[] } }>(api, "{ orders { nodes { status cancelReason } } }", {}, refusedBuyer.accessToken);
    expect(mine.data?.orders.nodes).toEqual([{ status: "canceled", cancelReason: "coupon_exhausted" }]);
  });
});

describe("downgrades", () => {
  it("ordering a cheaper plan while a dearer one is active is refused; the dearer plan stays", async () => {
    const dear = await createPlan("dear", { priceCents: 2000, monthlyMessages: 500 });
    const cheap = await createPlan("cheap", { priceCents: 500, monthlyMessages: 50 });
    const u = await signUp(api, "downgrade");
    expect(await pay(await orderId(u, dear))).toMatchObject({ status: 200, body: { status: "paid" } });
    const refused = await order(u, cheap);
    expect(errorCode(refused)).toBe("DOWNGRADE_NOT_ALLOWED");
    expect(refused.errors?.[0]?.extensions?.currentPeriodEnd).toEqual(expect.any(String));
    expect(await activePlans(u.userId)).toEqual([dear]);
  });

  it("a cheaper order made earlier and paid after a dearer plan is refused at payment and recorded; the dearer plan stays", async () => {
    const dear = await createPlan("dear", { priceCents: 2000, monthlyMessages: 500 });
    const cheap = await createPlan("cheap", { priceCents: 500, monthlyMessages: 50 });
    const u = await signUp(api, "downgrade-race");
    const cheapOrder = await orderId(u, cheap);
    expect((await pay(await orderId(u, dear))).status).toBe(200);
    expect(await pay(cheapOrder)).toMatchObject({ status: 409, body: { error: "DOWNGRADE_NOT_ALLOWED", status: "canceled" } });
    expect(await activePlans(u.userId)).toEqual([dear]);
    expect((await currentQuota(u))?.messagesLimit).toBe(500);
    const audit = await root.query("select details->>'reason' as reason from app_public.audit_log where action = 'billing.payment_refused' and target_id = $1", [cheapOrder.id]);
    expect(audit.rows).toEqual([{ reason: "downgrade_refused" }]);
  });

  it("a dearer plan replaces a cheaper one at once; paying for the same plan again extends it instead of restarting it", async () => {
    const dear = await createPlan("dear", { priceCents: 2000, monthlyMessages: 500 });
    const cheap = await createPlan("cheap", { priceCents: 500, monthlyMessages: 50 });
    const u = await signUp(api, "upgrade");
    expect((await pay(await orderId(u, cheap))).status).toBe(200);
    expect((await pay(await orderId(u, dear))).status).toBe(200);
    expect(await activePlans(u.userId)).toEqual([dear]);
    const before = (await root.query("select current_period_end from app_public.subscriptions where user_id = $1 and status = 'active'", [u.userId])).rows[0];
    expect((await pay(await orderId(u, dear))).status).toBe(200);
    const after = await root.query("select current_period_end from app_public.subscriptions where user_id = $1 and status = 'active'", [u.userId]);
    expect(after.rows).toHaveLength(1);
    expect(after.rows[0].current_period_end.getTime()).toBeGreaterThan(before.current_period_end.getTime() + 27 * 86_400_000);
  });
});

describe("quota periods follow plan changes", () => {
  const turn = (u: Session) => reserveTurn(app, redis, u.userId, { test: "billing-limits" });

  it("a granted 3-message plan caps the current period at once; cancelling lifts it at once; usage is kept", async () => {
    const three = await createPlan("three", { monthlyMessages: 3 });
    const u = await signUp(api, "quota-grant");
    expect((await turn(u)).ok).toBe(true); // on the default plan: a period with its limits, 1 used
    const subId = await grant(u, three);
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push((await turn(u)).ok);
    expect(outcomes).toEqual([true, true, false, false, false]);
    const capped = await turn(u);
    expect(capped).toMatchObject({ ok: false, quota: "messages", limit: 3, used: 3 });
    expect(await currentQuota(u)).toMatchObject({ messagesLimit: 3, messagesUsed: 3 });

    const cancel = await gql(api, "mutation ($s: UUID!) { adminCancelSubscription(input: {subscriptionId: $s}) { result { status } } }", { s: subId }, admin.accessToken);
    expect(cancel.errors).toBeUndefined();
    const free = await currentQuota(u);
    expect(free?.messagesUsed).toBe(3);
    expect(free?.messagesLimit).toBeGreaterThan(3);
    expect((await turn(u)).ok).toBe(true);
  });

  it("extending an expired grant restores its limits at once", async () => {
    const three = await createPlan("three", { monthlyMessages: 3 });
    const u = await signUp(api, "quota-extend");
    const subId = await grant(u, three, 1);
    expect((await currentQuota(u))?.messagesLimit).toBe(3);
    // What the hourly rollover does when a subscription runs out.
    await root.query("update app_public.subscriptions set status = 'expired' where id = $1", [subId]);
    expect((await currentQuota(u))?.messagesLimit).toBeGreaterThan(3);
    const extend = await gql(api, "mutation ($s: UUID!) { adminExtendSubscription(input: {subscriptionId: $s, days: 10}) { result { status } } }", { s: subId }, admin.accessToken);
    expect(extend.errors).toBeUndefined();
    expect((await currentQuota(u))?.messagesLimit).toBe(3);
  });

  it("the hourly rollover expires ended subscriptions and opens missing periods from each user's plan now", async () => {
    const three = await createPlan("three", { monthlyMessages: 3 });
    const [ended, running] = [await signUp(api, "rollover-ended"), await signUp(api, "rollover-running")];
    const endedSub = await grant(ended, three);
    await grant(running, three);
    await root.query(
      "update app_public.subscriptions set current_period_start = now() - interval '31 days', current_period_end = now() - interval '1 minute' where id = $1",
      [endedSub],
    );
    await root.query("delete from app_public.usage_quotas where user_id = any($1)", [[ended.userId, running.userId]]);
    const { rows } = await root.query("select * from app_hidden.quota_rollover()");
    expect(rows[0].expired_subscriptions).toBeGreaterThanOrEqual(1);
    expect((await root.query("select status from app_public.subscriptions where id = $1", [endedSub])).rows[0].status).toBe("expired");
    expect((await currentQuota(ended))?.messagesLimit).toBeGreaterThan(3);
    expect((await currentQuota(running))?.messagesLimit).toBe(3);
  });

  it("a paid plan change sets the new limits on the current period and keeps its usage", async () => {
    const big = await createPlan("big", { priceCents: 3000, monthlyMessages: 700 });
    const u = await signUp(api, "quota-paid");
    expect((await turn(u)).ok).toBe(true);
    expect((await turn(u)).ok).toBe(true);
    const before = await currentQuota(u);
    expect((await pay(await orderId(u, big))).status).toBe(200);
    const after = await currentQuota(u);
    expect(after).toMatchObject({ periodStart: before!.periodStart, messagesLimit: 700, messagesUsed: 2 });
    const rows = await root.query("select count(*)::int as n from app_public.usage_quotas where user_id = $1 and period_end > now()", [u.userId]);
    expect(rows.rows[0].n).toBe(1);
  });
});

describe("storage", () => {
  const KB40 = 40_000;

  async function requestUpload(user: Session, body: Buffer) {
    const r = await gql<{ requestFileUpload: { fileId: string; uploadUrl: string; uploadMethod: string; requiredHeaders: { name: string; value: string }[] } }>(
      api,
      "mutation ($input: RequestFileUploadInput!) { requestFileUpload(input: $input) { fileId uploadUrl uploadMethod requiredHeaders { name value } } }",
      { input: { filename: "notes.txt", mimeType: "text/plain", sizeBytes: body.length, sha256: sha256(body) } },
      user.accessToken,
    );
    if (!r.data) throw new Error(`requestFileUpload: ${JSON.stringify(r.errors)}`);
    const ticket = r.data.requestFileUpload;
    expect(await putToPresigned(ticket, body)).toBe(200);
    return ticket.fileId;
  }
  const confirm = (user: Session, fileId: string) =>
    gql(api, "mutation ($id: UUID!) { confirmFileUpload(input: {fileId: $id}) { fileId } }", { id: fileId }, user.accessToken);
  const body = () => Buffer.from(randomUUID().repeat(Math.ceil(KB40 / 36)).slice(0, KB40));

  it("confirmed files count against the plan's storage; beyond it confirm is refused; deleting gives the bytes back", async () => {
    const small = await createPlan("small-storage", { storageBytes: 100_000 });
    const u = await signUp(api, "storage");
    await grant(u, small);
    const first = await requestUpload(u, body());
    const second = await requestUpload(u, body());
    const third = await requestUpload(u, body());
    expect((await confirm(u, first)).errors).toBeUndefined();
    expect((await confirm(u, second)).errors).toBeUndefined();
    expect(await currentQuota(u)).toMatchObject({ storageBytesLimit: "100000", storageBytesUsed: String(2 * KB40) });

    const over = await confirm(u, third);
    expect(errorCode(over)).toBe("STORAGE_QUOTA_EXCEEDED");
    expect(over.errors?.[0]?.extensions).toMatchObject({ limit: 100_000, used: 2 * KB40, requested: KB40 });
    expect(over.errors?.[0]?.message).toMatch(/storage/i);
    expect((await root.query("select status from app_public.user_files where id = $1", [third])).rows[0].status).toBe("pending_upload");
    expect((await currentQuota(u))?.storageBytesUsed).toBe(String(2 * KB40));

    const del = await gql(api, "mutation ($id: UUID!) { deleteFile(input: {fileId: $id}) { deleted } }", { id: first }, u.accessToken);
    expect(del.errors).toBeUndefined();
    expect((await currentQuota(u))?.storageBytesUsed).toBe(String(KB40));
    expect((await confirm(u, third)).errors).toBeUndefined();
    expect((await currentQuota(u))?.storageBytesUsed).toBe(String(2 * KB40));
  });

  it("two confirms at once with room for one: exactly one is stored", async () => {
    const small = await createPlan("small-storage", { storageBytes: 100_000 });
    const u = await signUp(api, "storage-race");
    await grant(u, small);
    await confirm(u, await requestUpload(u, body()));
    const a = await requestUpload(u, body());
    const b = await requestUpload(u, body());
    const results = await Promise.all([confirm(u, a), confirm(u, b)]);
    expect(results.map((r) => errorCode(r) ?? "ok").sort()).toEqual(["STORAGE_QUOTA_EXCEEDED", "ok"]);
    expect((await currentQuota(u))?.storageBytesUsed).toBe(String(2 * KB40));
  });

  it("a new quota period starts with the bytes already stored", async () => {
    const u = await signUp(api, "storage-rollover");
    await confirm(u, await requestUpload(u, body()));
    await root.query("delete from app_public.usage_quotas where user_id = $1", [u.userId]);
    expect((await currentQuota(u))).toBeUndefined();
    await reserveTurn(app, redis, u.userId, {});
    expect((await currentQuota(u))?.storageBytesUsed).toBe(String(KB40));
  });
});

describe("devices", () => {
  async function nodeConnect(token: string) {
    const identity = newIdentity();
    const r = await connect(wsUrl(gw), { role: "node", auth: { token }, identity });
    open.push(r.client);
    return { ...r, identity };
  }

  it("a one-device plan: a second node is refused at enrolment with a structured error, also when both enrol at once", async () => {
    const one = await createPlan("one-device", { maxDevices: 1 });
    const u = await signUp(api, "devices");
    await grant(u, one);
    const token = await issueNodeToken(api, u, true);
    const [a, b] = await Promise.all([nodeConnect(token), nodeConnect(token)]);
    const ok = [a, b].filter((r) => r.res.ok);
    const refused = [a, b].filter((r) => !r.res.ok);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.res.error).toMatchObject({
      code: "INVALID_REQUEST",
      details: { code: "DEVICE_LIMIT_REACHED", limit: 1, paired: 1, retryable: false, pauseReconnect: true },
    });
    expect(refused[0]!.res.error!.message).toMatch(/1 paired device/);
    expect((await refused[0]!.client.closed).code).toBe(1008);
    const paired = await root.query("select count(*)::int as n from app_public.devices where user_id = $1 and status = 'paired'", [u.userId]);
    expect(paired.rows[0].n).toBe(1);
    expect((await currentQuota(u))?.devicesLimit).toBe(1);
    // Not a credential failure: retrying past the lockout threshold (10) still says why.
    const again = [];
    for (let i = 0; i < 11; i++) again.push((await nodeConnect(token)).res.error?.details?.code);
    expect(new Set(again)).toEqual(new Set(["DEVICE_LIMIT_REACHED"]));
  });

  it("approving a pairing request beyond the plan's devices is refused in GraphQL and on the gateway; revoking one makes room", async () => {
    const one = await createPlan("one-device", { maxDevices: 1 });
    const u = await signUp(api, "devices-approve");
    await grant(u, one);
    const first = await nodeConnect(await issueNodeToken(api, u, true));
    expect(first.res.ok).toBe(true);
    const waiting = await nodeConnect(await issueNodeToken(api, u, false));
    expect(waiting.res.error?.details?.code).toBe("PAIRING_REQUIRED");
    const [request] = (await pendingPairingRequests(api, u)).filter((r) => r.deviceKeyId === waiting.identity.id);

    const viaGraphql = await gql(api, "mutation ($id: UUID!) { approveDevicePairing(input: {requestId: $id}) { clientMutationId } }", { id: request!.rowId }, u.accessToken);
    expect(errorCode(viaGraphql)).toBe("DEVICE_LIMIT_REACHED");
    expect(viaGraphql.errors?.[0]?.extensions).toMatchObject({ limit: 1, paired: 1 });
    const op = await connectOperator(wsUrl(gw), u.accessToken);
    open.push(op);
    const viaGateway = await op.call("node.pair.approve", { requestId: request!.rowId });
    expect(viaGateway.ok).toBe(false);
    expect(viaGateway.error).toMatchObject({ code: "INVALID_REQUEST", details: { code: "DEVICE_LIMIT_REACHED", limit: 1, paired: 1 } });
    expect((await pendingPairingRequests(api, u)).map((r) => r.rowId)).toContain(request!.rowId);

    const deviceId = (await root.query("select id from app_public.devices where user_id = $1 and device_key_id = $2", [u.userId, first.identity.id])).rows[0].id;
    const revoked = await gql(api, "mutation ($id: UUID!) { revokeDevice(input: {deviceId: $id}) { clientMutationId } }", { id: deviceId }, u.accessToken);
    expect(revoked.errors).toBeUndefined();
    const approved = await op.call("node.pair.approve", { requestId: request!.rowId });
    expect(approved.ok).toBe(true);
  });
});
