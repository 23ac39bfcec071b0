// The built-in `local` agent over the real gateway and API, with no API key anywhere: list the
// user's devices, run a command on one (confirmed, denied, and not confirmed in time), remember a
// fact and recall it, and the help answer for anything outside its grammar. Also chat.history,
// sessions.list, chat.abort and the replay of an idempotency key.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../api/server.ts";
import type { Gateway } from "../realtime/server.ts";
import { gql, signUp, startTestApi, type Session } from "./support/api.ts";
import { approvalRequest, chat, runEnd, userWithNode, type UserWithNode } from "./support/chat.ts";
import { rootPool } from "./support/db.ts";
import { connectOperator, startTestGateway, wsUrl } from "./support/gateway.ts";

let api: ApiServer;
let gw: Gateway;
let alice: Session;
let a: UserWithNode;
const root = rootPool();
const saved = { ...process.env };

beforeAll(async () => {
  process.env.AGENT_PROVIDER = "local";
  process.env.AGENT_APPROVAL_TIMEOUT_MS = "1500";
  delete process.env.OPENAI_API_KEY;
  delete process.env.ANTHROPIC_API_KEY;
  api = await startTestApi();
  gw = await startTestGateway();
  alice = await signUp(api, "local-agent-alice");
  a = await userWithNode(api, wsUrl(gw), alice, "laptop");
});

afterAll(async () => {
  process.env = saved;
  await a?.op.close();
  await a?.node.close();
  await gw?.close();
  await api?.close();
  await root.end();
});

const session = `local-${randomUUID().slice(0, 8)}`;

describe("the local agent", () => {
  it("lists the user's devices", async () => {
    const turn = await chat(a.op, session, "list my devices");
    expect(turn.ack).toEqual({ runId: turn.runId, status: "started" });
    expect(turn.end.state).toBe("final");
    expect(turn.text).toContain("laptop (online)");
    // Deltas are append-only and the last one's snapshot is the final text.
    const deltas = turn.events.filter((p) => p.state === "delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((d) => d.deltaText).join("")).toBe(turn.text);
    expect(turn.events.map((p) => p.seq)).toEqual(turn.events.map((_, i) => i + 1));
  });

  it("runs a command on a device after the user confirms it", async () => {
    const runId = randomUUID();
    const ack = await a.op.request("chat.send", { sessionKey: session, message: "run echo hi there on my laptop", idempotencyKey: runId });
    expect(ack.status).toBe("started");
    const request = await approvalRequest(a.op, runId);
    expect(request.request).toMatchObject({ command: "system.run", commandArgv: ["echo", "hi", "there"], nodeId: a.nodeId, device: "laptop" });
    expect(a.invoked).toHaveLength(0); // nothing runs before the decision
    await a.op.request("exec.approval.resolve", { id: request.id, decision: "allow-once" });
    const events = await runEnd(a.op, runId);
    const end = events.at(-1);
    expect(end.state).toBe("final");
    expect(end.message.content[0].text).toContain("hi there");
    expect(a.invoked).toEqual([{ command: "system.run", params: { command: ["echo", "hi", "there"] } }]);
    const row = (await root.query("select status, decided_by, decided_at from app_public.approvals where id = $1", [request.id])).rows[0];
    expect(row.status).toBe("approved");
    expect(row.decided_by).toMatch(/^operator /);
    expect(row.decided_at).toBeInstanceOf(Date);
    const audit = (await root.query("select action, details from app_public.audit_log where target_id = $1 order by id", [request.id])).rows;
    expect(audit.map((r) => r.action)).toEqual(["approvals.requested", "approvals.approved"]);
    expect(audit[1].details).toMatchObject({ command: "system.run", status: "approved" });
  });

  it("does not run a denied command and says so", async () => {
    const before = a.invoked.length;
    const runId = randomUUID();
    await a.op.request("chat.send", { sessionKey: session, message: "run echo secret on laptop", idempotencyKey: runId });
    const request = await approvalRequest(a.op, runId);
    await a.op.request("exec.approval.resolve", { id: request.id, decision: "deny" });
    const end = (await runEnd(a.op, runId)).at(-1);
    expect(end.state).toBe("final");
    expect(end.message.content[0].text).toContain("denied");
    expect(a.invoked.length).toBe(before);
    const row = (await root.query("select status from app_public.approvals where id = $1", [request.id])).rows[0];
    expect(row.status).toBe("denied");
    // A decision is final: a second one is refused.
    const again = await a.op.call("exec.approval.resolve", { id: request.id, decision: "allow-once" });
    expect(again.ok).toBe(false);
    expect(again.error?.details).toMatchObject({ code: "APPROVAL_NOT_PENDING" });
  });

  it("treats no answer in time as a deny", async () => {
    const before = a.invoked.length;
    const runId = randomUUID();
    await a.op.request("chat.send", { sessionKey: session, message: "run echo late on laptop", idempotencyKey: runId });
    const request = await approvalRequest(a.op, runId);
    const end = (await runEnd(a.op, runId, 10_000)).at(-1);
    expect(end.message.content[0].text).toContain("not confirmed in time");
    expect(a.invoked.length).toBe(before);
    const row = (await root.query("select status, decided_by from app_public.approvals where id = $1", [request.id])).rows[0];
    expect(row).toEqual({ status: "expired", decided_by: "timeout" });
    const resolved = await a.op.nextEvent("exec.approval.resolved", 2000, (p) => p.id === request.id);
    expect(resolved.payload.decision).toBe("expired");
    const audit = (await root.query("select action from app_public.audit_log where target_id = $1 order by id", [request.id])).rows;
    expect(audit.map((r) => r.action)).toEqual(["approvals.requested", "approvals.expired"]);
  });

  it("remembers a fact and recalls it", async () => {
    const saved = await chat(a.op, session, "remember that my favourite tea is oolong");
    expect(saved.text).toContain("my favourite tea is oolong");
    const stored = await root.query("select content from app_public.user_memories where user_id = $1", [alice.userId]);
    expect(stored.rows.map((r) => r.content)).toContain("my favourite tea is oolong");
    const recalled = await chat(a.op, session, "what do you know about tea?");
    expect(recalled.text).toContain("my favourite tea is oolong");
  });

  it("understands the same requests in Chinese", async () => {
    const listed = await chat(a.op, session, "列出我的设备");
    expect(listed.text).toContain("laptop（在线）");
    await chat(a.op, session, "记住我住在杭州");
    const recalled = await chat(a.op, session, "关于杭州你知道什么？");
    expect(recalled.text).toContain("我住在杭州");
  });

  it("answers anything else with the provider settings to set", async () => {
    const turn = await chat(a.op, session, "write me a poem about the sea");
    expect(turn.end.state).toBe("final");
    expect(turn.text).toContain("AGENT_PROVIDER=openai");
    expect(turn.text).toContain("ANTHROPIC_API_KEY");
  });

  it("keeps the whole conversation, in order, with each run's outcome", async () => {
    const history = await a.op.request("chat.history", { sessionKey: session, limit: 100 });
    const texts = history.messages.map((m: any) => `${m.role}:${m.content[0].text.slice(0, 30)}`);
    expect(texts[0]).toBe("user:list my devices");
    expect(texts[1]).toMatch(/^assistant:Your devices:/);
    expect(history.messages.filter((m: any) => m.role === "user")).toHaveLength(10);
    expect(history.messages.every((m: any) => m.__openclaw.status === "complete")).toBe(true);
    const ran = history.messages.find((m: any) => m.role === "assistant" && m.content[0].text.includes("hi there"));
    expect(ran.__openclaw.toolCalls[0]).toMatchObject({ name: "invoke_command", result: { approval: "approved", result: { stdout: "hi there\n" } } });
    const sessions = await a.op.request("sessions.list", {});
    expect(sessions.sessions.map((s: any) => s.key)).toContain(session);
    expect(sessions.sessions[0]).toMatchObject({ key: session, kind: "direct", sessionId: history.sessionId });
  });

  it("returns the same run for a replayed idempotency key and starts no second turn", async () => {
    const turn = await chat(a.op, `${session}-replay`, "list my devices");
    const count = async () => Number((await root.query("select count(*) from app_public.messages where user_id = $1", [alice.userId])).rows[0].count);
    const before = await count();
    const replay = await a.op.request("chat.send", { sessionKey: `${session}-replay`, message: "list my devices", idempotencyKey: turn.runId });
    expect(replay).toEqual({ runId: turn.runId, status: "ok", finalState: "final" });
    expect(await count()).toBe(before);
  });

  it("aborts a run waiting for a confirmation", async () => {
    const before = a.invoked.length;
    const runId = randomUUID();
    await a.op.request("chat.send", { sessionKey: session, message: "run echo never on laptop", idempotencyKey: runId });
    const request = await approvalRequest(a.op, runId);
    const aborted = await a.op.request("chat.abort", { sessionKey: session, runId });
    expect(aborted).toEqual({ ok: true, aborted: true, runIds: [runId] });
    const end = (await runEnd(a.op, runId)).at(-1);
    expect(end.state).toBe("aborted");
    expect(a.invoked.length).toBe(before);
    const approval = (await root.query("select status, decided_by from app_public.approvals where id = $1", [request.id])).rows[0];
    expect(approval).toEqual({ status: "denied", decided_by: "run aborted" });
    const message = (await root.query("select status from app_public.messages where run_id = $1 and role = 'assistant'", [runId])).rows[0];
    expect(message.status).toBe("aborted");
  });

  it("refuses bad chat.send params with a clear error and stores nothing", async () => {
    const before = Number((await root.query("select count(*) from app_public.messages where user_id = $1", [alice.userId])).rows[0].count);
    const bad = await a.op.call("chat.send", { sessionKey: "has spaces", message: "hi", idempotencyKey: randomUUID() });
    expect(bad.ok).toBe(false);
    expect(bad.error?.details).toMatchObject({ code: "INVALID_SESSION_KEY" });
    const empty = await a.op.call("chat.send", { sessionKey: session, message: "   ", idempotencyKey: randomUUID() });
    expect(empty.error?.details).toMatchObject({ code: "EMPTY_MESSAGE" });
    const noKey = await a.op.call("chat.send", { sessionKey: session, message: "hi" });
    expect(noKey.ok).toBe(false);
    expect(Number((await root.query("select count(*) from app_public.messages where user_id = $1", [alice.userId])).rows[0].count)).toBe(before);
  });

  it("sends chat events only to connections with read scope and approvals only with the approvals scope", async () => {
    const writer = await connectOperator(wsUrl(gw), alice.accessToken, ["operator.read", "operator.write"]);
    const pairingOnly = await connectOperator(wsUrl(gw), alice.accessToken, ["operator.pairing"]);
    try {
      const runId = randomUUID();
      await writer.request("chat.send", { sessionKey: session, message: "run echo scoped on laptop", idempotencyKey: runId });
      const request = await approvalRequest(a.op, runId);
      const denied = await writer.call("exec.approval.resolve", { id: request.id, decision: "allow-once" });
      expect(denied.ok).toBe(false);
      await a.op.request("exec.approval.resolve", { id: request.id, decision: "deny" });
      await runEnd(writer, runId);
      expect(writer.events.some((e) => e.event === "exec.approval.requested")).toBe(false);
      expect(pairingOnly.events.some((e) => e.event === "chat" || String(e.event).startsWith("exec.approval"))).toBe(false);
    } finally {
      await writer.close();
      await pairingOnly.close();
    }
  });

  it("tests a custom skill version in a throwaway session with only that skill", async () => {
    const skill = (await root.query(
      "insert into app_public.user_custom_skills (user_id, name, title, description) values ($1, 'weather-brief', 'Weather brief', 'Summarise the weather') returning id",
      [alice.userId])).rows[0].id;
    const manifest = { name: "weather-brief", description: "Summarise the weather", instructions: "Step 1: look outside." };
    const version = (await root.query(
      `insert into app_public.user_custom_skill_versions (user_id, skill_id, version, object_key, size_bytes, status, manifest)
       values ($1, $2, '1.0.0', $3, 10, 'valid', $4) returning id`,
      [alice.userId, skill, `users/${alice.userId}/skills/${randomUUID()}.zip`, manifest])).rows[0].id;
    const result = await a.op.request("skills.test", { versionId: version, message: "use skill weather-brief" }, 20_000);
    expect(result.skill).toBe("weather-brief");
    expect(result.messages.map((m: any) => m.role)).toEqual(["user", "assistant"]);
    expect(result.messages[1].content[0].text).toContain("Step 1: look outside.");
    expect(result.messages[1].__openclaw.toolCalls[0]).toMatchObject({ name: "use_skill", result: { skill: "weather-brief" } });
    // Throwaway: the session is gone, and the skill is not installed for ordinary turns.
    const sessions = await a.op.request("sessions.list", { limit: 500 });
    expect(sessions.sessions.some((s: any) => s.key.startsWith("skill-test:"))).toBe(false);
    const normal = await chat(a.op, session, "use skill weather-brief");
    expect(normal.text).toContain('no installed skill called "weather-brief"');
    // Another user cannot test it.
    const bob = await signUp(api, "local-agent-bob");
    const bobOp = await connectOperator(wsUrl(gw), bob.accessToken, ["operator.write"]);
    const stolen = await bobOp.call("skills.test", { versionId: version, message: "use skill weather-brief" });
    expect(stolen.error?.details).toMatchObject({ code: "SKILL_VERSION_NOT_FOUND" });
    await bobOp.close();
  });

  it("never lets another user decide, abort or read a user's turn", async () => {
    const mallory = await signUp(api, "local-agent-mallory");
    const m = await connectOperator(wsUrl(gw), mallory.accessToken, ["operator.read", "operator.write", "operator.approvals"]);
    try {
      const before = a.invoked.length;
      const runId = randomUUID();
      await a.op.request("chat.send", { sessionKey: session, message: "run echo guarded on laptop", idempotencyKey: runId });
      const request = await approvalRequest(a.op, runId);
      const decided = await m.call("exec.approval.resolve", { id: request.id, decision: "allow-once" });
      expect(decided.error?.details).toMatchObject({ code: "APPROVAL_NOT_FOUND" });
      expect(await m.request("chat.abort", { sessionKey: session, runId })).toEqual({ ok: true, aborted: false, runIds: [] });
      expect((await m.request("chat.history", { sessionKey: session })).messages).toEqual([]);
      // The same idempotency key is Mallory's own new turn, not a replay of Alice's.
      const own = await m.request("chat.send", { sessionKey: session, message: "list my devices", idempotencyKey: runId });
      expect(own).toEqual({ runId, status: "started" });
      await a.op.request("exec.approval.resolve", { id: request.id, decision: "deny" });
      expect((await runEnd(a.op, runId)).at(-1).message.content[0].text).toContain("denied");
      expect(a.invoked.length).toBe(before);
      const mine = (await runEnd(m, runId)).at(-1);
      expect(mine.message.content[0].text).toContain("no devices");
      expect(m.events.filter((e) => e.event === "chat").every((e) => !JSON.stringify(e.payload).includes("guarded"))).toBe(true);
      expect(m.events.some((e) => e.event === "exec.approval.requested")).toBe(false);
    } finally {
      await m.close();
    }
  });
});
