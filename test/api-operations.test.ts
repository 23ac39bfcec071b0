// What users and admins do through the API, over real HTTP, with the audit trail and the
// Redis events the gateway relies on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../api/server.ts";
import { withAdmin, withUser } from "../db/tenant.ts";
import { userChannel } from "../lib/events.ts";
import { createRedis } from "../lib/redis.ts";
import { publishGatewayPresence } from "../lib/presence.ts";
import { ROLES } from "../lib/config.ts";
import { gql, signUp, signUpAdmin, startTestApi, type Session } from "./support/api.ts";
import { authenticatorPool, config, poolAs, rootPool, sqlState } from "./support/db.ts";

let api: ApiServer;
let alice: Session;
let bob: Session;
let admin: Session;
const root = rootPool();
const app = authenticatorPool();

beforeAll(async () => {
  api = await startTestApi();
  [alice, bob] = [await signUp(api, "ops-alice"), await signUp(api, "ops-bob")];
  admin = await signUpAdmin(api, root, "ops-admin");
  await root.query(
    `insert into app_public.plans (slug, name, max_devices, monthly_messages, monthly_tokens, storage_bytes, allowed_models, is_default)
     values ('ops-default-' || floor(random() * 1e9)::text, 'Free', 2, 100, 10000, 1000000, '{local,gpt-4o-mini}', false)`,
  );
});
afterAll(async () => {
  await api.close();
  await Promise.all([root.end(), app.end()]);
});

async function lastAudit(action: string, targetId: string) {
  const { rows } = await root.query(
    "select actor_id, actor_role, action, target_id from app_public.audit_log where action = $1 and target_id = $2 order by id desc limit 1",
    [action, targetId],
  );
  return rows[0];
}

describe("a user's own things", () => {
  it("reads and edits their profile; cannot change their own role", async () => {
    const r = await gql<{ currentUser: { email: string } }>(api, "{ currentUser { email displayName role status } }", {}, alice.accessToken);
    expect(r.data?.currentUser.email).toBe(alice.email);
    const upd = await gql(
      api,
      "mutation ($id: UUID!) { updateUser(input: {rowId: $id, patch: {displayName: \"Alice A.\"}}) { user { displayName } } }",
      { id: alice.userId },
      alice.accessToken,
    );
    expect(upd.errors).toBeUndefined();
    const escalate = await gql(
      api,
      "mutation ($id: UUID!) { updateUser(input: {rowId: $id, patch: {role: admin}}) { user { role } } }",
      { id: alice.userId },
      alice.accessToken,
    );
    expect(escalate.errors?.length).toBeGreaterThan(0);
    const { rows } = await root.query("select role from app_public.users where id = $1", [alice.userId]);
    expect(rows[0].role).toBe("user");
  });

  it("issues a single-use pairing code and a node token, each shown once and stored only as a hash", async () => {
    const code = await gql<{ issuePairingCode: { result: { rowId: string; secret: string; expiresAt: string } } }>(
      api,
      "mutation { issuePairingCode(input: {}) { result { rowId secret expiresAt } } }",
      {},
      alice.accessToken,
    );
    expect(code.errors).toBeUndefined();
    const issued = code.data!.issuePairingCode.result;
    expect(issued.secret).toMatch(/^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
    const stored = await root.query(
      "select c.user_id, s.code_hash = digest($2, 'sha256') as matches from app_public.device_pairing_codes c join app_private.device_pairing_code_secrets s on s.pairing_code_id = c.id where c.id = $1",
      [issued.rowId, issued.secret],
    );
    expect(stored.rows[0]).toEqual({ user_id: alice.userId, matches: true });
    const token = await gql<{ issueNodeToken: { result: { secret: string } } }>(
      api,
      "mutation { issueNodeToken(input: {label: \"laptop\", autoApprove: true}) { result { rowId secret } } }",
      {},
      alice.accessToken,
    );
    expect(token.data?.issueNodeToken.result.secret).toMatch(/^oc_node_[0-9a-f]{48}$/);
    const anon = await gql(api, "mutation { issuePairingCode(input: {}) { result { secret } } }");
    expect(anon.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("sets the persona within the plan's models, and the change reaches Redis for the gateway", async () => {
    const sub = createRedis(config, "test-subscriber");
    const received: string[] = [];
    await sub.subscribe(userChannel(alice.userId), userChannel(bob.userId));
    sub.on("message", (_channel, message) => received.push(`${_channel} ${message}`));
    const planId = (await root.query("select id from app_public.plans where slug like 'ops-default-%' limit 1")).rows[0].id;
    await gql(api, "mutation ($u: UUID!, $p: UUID!) { adminGrantSubscription(input: {userId: $u, planId: $p, days: 30}) { clientMutationId } }", { u: alice.userId, p: planId }, admin.accessToken);

    const set = await gql(
      api,
      `mutation { createUserAssistantConfig(input: {userAssistantConfig: {assistantName: "Nova", tone: "warm", language: "en", instructions: "Be brief.", model: "gpt-4o-mini"}}) { userAssistantConfig { assistantName model } } }`,
      {},
      alice.accessToken,
    );
    expect(set.errors).toBeUndefined();
    const denied = await gql(
      api,
      "mutation ($u: UUID!) { updateUserAssistantConfig(input: {userId: $u, patch: {model: \"gpt-5-ultra\"}}) { userAssistantConfig { model } } }",
      { u: alice.userId },
      alice.accessToken,
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe("MODEL_NOT_IN_PLAN");

    const deadline = Date.now() + 5000;
    while (!received.some((m) => m.includes('"persona.changed"')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await sub.quit();
    const persona = received.filter((m) => m.includes('"persona.changed"'));
    expect(persona).toHaveLength(1);
    const [channel, json] = persona[0]!.split(" ");
    expect(channel).toBe(userChannel(alice.userId));
    expect(JSON.parse(json!)).toMatchObject({ type: "persona.changed", userId: alice.userId, subjectId: alice.userId });
    // Nothing about Alice on Bob's channel, and no content in the payload.
    expect(received.filter((m) => m.startsWith(userChannel(bob.userId)))).toEqual([]);
    expect(json).not.toContain("Nova");
  });
});

describe("events for the gateway", () => {
  it("device revocation, skill install/uninstall and suspension are announced on the user's channel, once each", async () => {
    const erin = await signUp(api, "ops-erin");
    const sub = createRedis(config, "test-events");
    const received: { type: string; userId: string; subjectId: string }[] = [];
    await sub.subscribe(userChannel(erin.userId));
    sub.on("message", (_c, m) => received.push(JSON.parse(m)));
    const device = await root.query<{ id: string }>(
      "insert into app_public.devices (user_id, device_key_id, public_key, name, status) values ($1, $2, $3, 'phone', 'paired') returning id",
      [erin.userId, `events-${erin.userId.slice(0, 8)}-device`, "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE="],
    );
    const as = (q: string, v: Record<string, unknown> = {}) => gql<Record<string, any>>(api, q, v, erin.accessToken);
    await as("mutation ($id: UUID!) { revokeDevice(input: {deviceId: $id}) { result { status } } }", { id: device.rows[0]!.id });
    const skill = await as('mutation { createUserCustomSkill(input: {userCustomSkill: {name: "events-skill", title: "E"}}) { userCustomSkill { rowId } } }');
    const installed = await as("mutation ($s: UUID!) { createInstalledSkill(input: {installedSkill: {customSkillId: $s}}) { installedSkill { rowId } } }", {
      s: skill.data!.createUserCustomSkill.userCustomSkill.rowId,
    });
    const installId = installed.data!.createInstalledSkill.installedSkill.rowId;
    await as("mutation ($id: UUID!) { updateInstalledSkill(input: {rowId: $id, patch: {enabled: false}}) { installedSkill { enabled } } }", { id: installId });
    await as("mutation ($id: UUID!) { deleteInstalledSkill(input: {rowId: $id}) { deletedInstalledSkillId } }", { id: installId });
    await gql(api, "mutation ($u: UUID!) { adminSetUserStatus(input: {userId: $u, status: suspended}) { result { status } } }", { u: erin.userId }, admin.accessToken);
    // Suspension ends erin's one sign-in (session.revoked) and is announced itself.
    const want = ["device.revoked", "skill.installed", "skill.updated", "skill.removed", "session.revoked", "user.suspended"];
    const deadline = Date.now() + 5000;
    while (received.length < want.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    await sub.quit();
    expect(received.map((e) => e.type)).toEqual(want);
    expect(received.every((e) => e.userId === erin.userId)).toBe(true);
    expect(received[0]!.subjectId).toBe(device.rows[0]!.id);
  });
});

describe("admin operations: work for an admin, fail for a user, leave an audit row", () => {
  const userCalls: [string, string, () => Record<string, unknown>][] = [
    ["adminSetUserStatus", "mutation ($u: UUID!) { adminSetUserStatus(input: {userId: $u, status: suspended, reason: \"spam\"}) { result { status } } }", () => ({ u: bob.userId })],
    ["adminSetUserRole", "mutation ($u: UUID!) { adminSetUserRole(input: {userId: $u, role: admin}) { result { role } } }", () => ({ u: bob.userId })],
    ["adminDashboard", "{ adminDashboard { usersTotal } }", () => ({})],
    ["adminSearchUsers", "{ adminSearchUsers(query: \"ops-\") { nodes { email } } }", () => ({})],
    ["auditLogs", "{ auditLogs(first: 5) { nodes { action } } }", () => ({})],
  ];

  it("a plain user is refused every admin operation", async () => {
    for (const [name, query, vars] of userCalls) {
      const r = await gql(api, query, vars(), alice.accessToken);
      expect(r.errors?.[0]?.extensions?.code, name).toBe("FORBIDDEN");
    }
    const { rows } = await root.query("select role, status from app_public.users where id = $1", [bob.userId]);
    expect(rows[0]).toEqual({ role: "user", status: "active" });
  });

  it("suspends and reinstates a user, audited with the admin as actor; the suspended user's refresh fails", async () => {
    const carol = await signUp(api, "ops-carol");
    const r = await gql<{ adminSetUserStatus: { result: { status: string } } }>(
      api,
      "mutation ($u: UUID!) { adminSetUserStatus(input: {userId: $u, status: suspended, reason: \"abuse\"}) { result { status } } }",
      { u: carol.userId },
      admin.accessToken,
    );
    expect(r.data?.adminSetUserStatus.result.status).toBe("suspended");
    expect(await lastAudit("users.update", carol.userId)).toEqual({
      actor_id: admin.userId,
      actor_role: ROLES.admin,
      action: "users.update",
      target_id: carol.userId,
    });
    const refresh = await gql(api, "mutation ($t: String!) { refreshToken(input: {refreshToken: $t}) { accessToken } }", { t: carol.refreshToken });
    expect(refresh.errors?.[0]?.extensions?.code).toBe("INVALID_REFRESH_TOKEN");
    const back = await gql(api, "mutation ($u: UUID!) { adminSetUserStatus(input: {userId: $u, status: active}) { result { status } } }", { u: carol.userId }, admin.accessToken);
    expect(back.errors).toBeUndefined();
  });

  it("manages plans, coupons, settings and subscriptions, each audited", async () => {
    const plan = await gql<{ createPlan: { plan: { rowId: string } } }>(
      api,
      `mutation { createPlan(input: {plan: {slug: "pro-${Date.now()}", name: "Pro", priceCents: 900, maxDevices: 5, monthlyMessages: 5000, monthlyTokens: "5000000", storageBytes: "5000000000", allowedModels: ["gpt-4o"]}}) { plan { rowId } } }`,
      {},
      admin.accessToken,
    );
    expect(plan.errors).toBeUndefined();
    const planId = plan.data!.createPlan.plan.rowId;
    expect(await lastAudit("plans.insert", planId)).toMatchObject({ actor_id: admin.userId });

    const coupon = await gql<{ createCoupon: { coupon: { rowId: string } } }>(
      api,
      `mutation ($p: UUID!) { createCoupon(input: {coupon: {code: "WELCOME-${Date.now() % 100000}", percentOff: 20, planId: $p}}) { coupon { rowId } } }`,
      { p: planId },
      admin.accessToken,
    );
    expect(coupon.errors).toBeUndefined();
    expect(await lastAudit("coupons.insert", coupon.data!.createCoupon.coupon.rowId)).toMatchObject({ actor_id: admin.userId });

    const key = `ops.setting_${Date.now()}`;
    const setting = await gql(api, `mutation { createSystemConfig(input: {systemConfig: {key: "${key}", value: {on: true}, isPublic: true}}) { systemConfig { key } } }`, {}, admin.accessToken);
    expect(setting.errors).toBeUndefined();
    expect(await lastAudit("system_configs.insert", key)).toMatchObject({ actor_id: admin.userId });

    const grant = await gql<{ adminGrantSubscription: { result: { rowId: string } } }>(
      api,
      "mutation ($u: UUID!, $p: UUID!) { adminGrantSubscription(input: {userId: $u, planId: $p, days: 30}) { result { rowId status } } }",
      { u: bob.userId, p: planId },
      admin.accessToken,
    );
    expect(grant.errors).toBeUndefined();
    const subId = grant.data!.adminGrantSubscription.result.rowId;
    expect(await lastAudit("subscriptions.insert", subId)).toMatchObject({ actor_id: admin.userId });
    const extend = await gql(api, "mutation ($s: UUID!) { adminExtendSubscription(input: {subscriptionId: $s, days: 10}) { result { currentPeriodEnd } } }", { s: subId }, admin.accessToken);
    expect(extend.errors).toBeUndefined();
    const cancel = await gql<{ adminCancelSubscription: { result: { status: string } } }>(
      api,
      "mutation ($s: UUID!) { adminCancelSubscription(input: {subscriptionId: $s}) { result { status } } }",
      { s: subId },
      admin.accessToken,
    );
    expect(cancel.data?.adminCancelSubscription.result.status).toBe("canceled");
    expect(await lastAudit("subscriptions.update", subId)).toMatchObject({ actor_id: admin.userId });
    // Bob sees his own subscription; Alice does not.
    const bobSubs = await gql<{ planSubscriptions: { nodes: unknown[] } }>(api, "{ planSubscriptions { nodes { rowId } } }", {}, bob.accessToken);
    expect(bobSubs.data?.planSubscriptions.nodes).toHaveLength(1);
  });

  it("reviews store submissions: a rejection needs a reason; approval publishes to everyone", async () => {
    const skill = await gql<{ createStoreSkill: { storeSkill: { rowId: string } } }>(
      api,
      `mutation { createStoreSkill(input: {storeSkill: {slug: "weather-${Date.now()}", title: "Weather"}}) { storeSkill { rowId } } }`,
      {},
      alice.accessToken,
    );
    expect(skill.errors).toBeUndefined();
    const skillId = skill.data!.createStoreSkill.storeSkill.rowId;
    // The package itself went through upload, confirm and the worker's check (api-skills.test.ts);
    // here its rows are planted as those steps leave them, and submitted as the API does.
    const custom = await root.query<{ id: string }>(
      "insert into app_public.user_custom_skills (user_id, name, title) values ($1, $2, 'Weather') returning id",
      [alice.userId, `weather-${Date.now()}`],
    );
    const key = `users/${alice.userId}/skills/${custom.rows[0]!.id}/1.zip`;
    const source = await root.query<{ id: string }>(
      "insert into app_public.user_custom_skill_versions (user_id, skill_id, version, object_key, size_bytes, sha256, status) values ($1, $2, '1.0.0', $3, 10, $4, 'valid') returning id",
      [alice.userId, custom.rows[0]!.id, key, "a".repeat(64)],
    );
    const versionId = await withUser(app, alice.userId, async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        "insert into app_public.store_skill_versions (store_skill_id, source_version_id, version, object_key, sha256) values ($1, $2, '1.0.0', $3, $4) returning id",
        [skillId, source.rows[0]!.id, key, "a".repeat(64)],
      );
      return rows[0]!.id;
    });
    // Nobody can pass off someone else's package (or an arbitrary key) as their submission.
    const stolen = withUser(app, bob.userId, (tx) =>
      tx.query("insert into app_public.store_skill_versions (store_skill_id, source_version_id, version, object_key, sha256) values ($1, $2, '9.9.9', $3, $4)", [
        skillId,
        source.rows[0]!.id,
        key,
        "a".repeat(64),
      ]),
    );
    expect(await sqlState(stolen)).toBe("42501");
    const anonymousView = () => gql<{ storeSkills: { nodes: { rowId: string }[] } }>(api, "{ storeSkills { nodes { rowId } } }");
    expect((await anonymousView()).data?.storeSkills.nodes.map((n) => n.rowId)).not.toContain(skillId);

    const noReason = await gql(api, "mutation ($v: UUID!) { adminReviewStoreSkillVersion(input: {versionId: $v, approve: false}) { result { reviewState } } }", { v: versionId }, admin.accessToken);
    expect(noReason.errors?.[0]?.extensions?.code).toBe("INVALID_INPUT");
    const byUser = await gql(api, "mutation ($v: UUID!) { adminReviewStoreSkillVersion(input: {versionId: $v, approve: true}) { result { reviewState } } }", { v: versionId }, bob.accessToken);
    expect(byUser.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const ok = await gql(api, "mutation ($v: UUID!) { adminReviewStoreSkillVersion(input: {versionId: $v, approve: true}) { result { reviewState } } }", { v: versionId }, admin.accessToken);
    expect(ok.errors).toBeUndefined();
    expect(await lastAudit("store_skill_versions.update", versionId)).toMatchObject({ actor_id: admin.userId });
    expect((await anonymousView()).data?.storeSkills.nodes.map((n) => n.rowId)).toContain(skillId);
  });

  it("reads the audit log, the dashboard and daily activity", async () => {
    const log = await gql<{ auditLogs: { totalCount: number; nodes: { action: string }[] } }>(
      api,
      "{ auditLogs(first: 3, orderBy: [CREATED_AT_DESC]) { totalCount nodes { action actorId createdAt } } }",
      {},
      admin.accessToken,
    );
    expect(log.errors).toBeUndefined();
    expect(log.data!.auditLogs.totalCount).toBeGreaterThan(3);
    expect(log.data!.auditLogs.nodes).toHaveLength(3);
    const dash = await gql<{ adminDashboard: { usersTotal: string } }>(api, "{ adminDashboard { usersTotal devicesTotal pendingSkillReviews } }", {}, admin.accessToken);
    expect(Number(dash.data?.adminDashboard.usersTotal)).toBeGreaterThanOrEqual(4);
    const days = await gql<{ adminDailyActivity: { nodes: unknown[] } }>(api, "{ adminDailyActivity { nodes { day activeUsers messages } } }", {}, admin.accessToken);
    expect(days.data?.adminDailyActivity.nodes).toHaveLength(30);
    const search = await gql<{ adminSearchUsers: { nodes: { email: string }[] } }>(api, "query ($q: String!) { adminSearchUsers(query: $q) { nodes { email } } }", { q: alice.email.toUpperCase() }, admin.accessToken);
    expect(search.data?.adminSearchUsers.nodes.map((n) => n.email)).toEqual([alice.email]);
    // Reads by admins are audited as well.
    const { rows } = await root.query(
      "select distinct action from app_public.audit_log where actor_id = $1 and action in ('admin.dashboard', 'admin.daily_activity', 'admin.search_users')",
      [admin.userId],
    );
    expect(rows.map((r) => r.action).sort()).toEqual(["admin.daily_activity", "admin.dashboard", "admin.search_users"]);
  });
});

describe("monitor", () => {
  it("lists live gateway instances from Redis for admins only; a silent instance drops out", async () => {
    const redis = createRedis(config, "test-monitor");
    const now = new Date().toISOString();
    await publishGatewayPresence(redis, { instanceId: "gw-test-a", startedAt: now, updatedAt: now, devices: 3, operators: 2, users: 2 });
    await publishGatewayPresence(redis, { instanceId: "gw-test-b", startedAt: now, updatedAt: now, devices: 1, operators: 0, users: 1 }, 1);
    const query = "{ adminMonitor { instanceId devices operators users } }";
    const seen = await gql<{ adminMonitor: { instanceId: string }[] }>(api, query, {}, admin.accessToken);
    expect(seen.data?.adminMonitor.filter((g) => g.instanceId.startsWith("gw-test-"))).toEqual([
      { instanceId: "gw-test-a", devices: 3, operators: 2, users: 2 },
      { instanceId: "gw-test-b", devices: 1, operators: 0, users: 1 },
    ]);
    expect((await gql(api, query, {}, alice.accessToken)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    await new Promise((r) => setTimeout(r, 2100));
    const later = await gql<{ adminMonitor: { instanceId: string }[] }>(api, query, {}, admin.accessToken);
    expect(later.data?.adminMonitor.map((g) => g.instanceId).filter((id) => id.startsWith("gw-test-"))).toEqual(["gw-test-a"]);
    await redis.quit();
  });
});

describe("deleting an account", () => {
  it("an admin deletes a user who has audit entries; the entries stay, naming them", async () => {
    const dora = await signUp(api, "ops-dora");
    await gql(api, "mutation ($u: UUID!) { adminSetUserStatus(input: {userId: $u, status: suspended}) { result { status } } }", { u: dora.userId }, admin.accessToken);
    await gql(api, "mutation { issuePairingCode(input: {}) { result { secret } } }", {}, dora.accessToken);
    await root.query("select app_private.audit('test.by_dora', null, null) from (select set_config('app.user_id', $1, true)) s", [dora.userId]);
    const del = await gql(api, "mutation ($u: UUID!) { deleteUser(input: {rowId: $u}) { deletedUserId } }", { u: dora.userId }, admin.accessToken);
    expect(del.errors).toBeUndefined();
    expect((await root.query("select count(*)::int as n from app_public.users where id = $1", [dora.userId])).rows[0].n).toBe(0);
    const kept = await root.query("select count(*)::int as n from app_public.audit_log where actor_id = $1 or target_id = $1::text", [dora.userId]);
    expect(kept.rows[0].n).toBeGreaterThanOrEqual(2);
  });
});

describe("audit_log is append-only for every role", () => {
  it("UPDATE, DELETE and TRUNCATE fail for users, admins, the owner and even a superuser", async () => {
    const { rows } = await root.query("select id from app_public.audit_log order by id desc limit 1");
    const id = rows[0].id;
    expect(await sqlState(withAdmin(app, admin.userId, (tx) => tx.query("update app_public.audit_log set action = 'x' where id = $1", [id])))).toBe("42501");
    expect(await sqlState(withAdmin(app, admin.userId, (tx) => tx.query("delete from app_public.audit_log where id = $1", [id])))).toBe("42501");
    expect(await sqlState(withUser(app, alice.userId, (tx) => tx.query("delete from app_public.audit_log")))).toBe("42501");
    const owner = poolAs(ROLES.owner);
    for (const statement of ["update app_public.audit_log set action = 'x'", "delete from app_public.audit_log", "truncate app_public.audit_log"]) {
      expect(await sqlState(owner.query(statement)), statement).toBe("42501");
      expect(await sqlState(root.query(statement)), `superuser: ${statement}`).toBe("42501");
    }
    await owner.end();
    const still = await root.query("select count(*)::int as n from app_public.audit_log where id = $1", [id]);
    expect(still.rows[0].n).toBe(1);
  });
});
