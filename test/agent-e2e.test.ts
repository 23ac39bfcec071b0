// The agent end to end over real HTTP and WebSocket, with the `openai` provider's real code talking
// to a local server that speaks the chat completions streaming format with scripted tool calls:
// register → node token → node connects → chat.send → the model's tool call becomes a node.invoke
// on that user's node → the approval request reaches the user's operator → approve (or deny, or
// let it time out) → the node's output goes back to the model → the final answer streams → the
// turn is stored → the worker extracts a stated fact → the next turn's memory search finds it.
// Also: persona changes, quotas, plan models, the anthropic provider, and two users on two
// gateway instances who never see each other's anything.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gateway } from "../realtime/server.ts";
import { gql, signUp, startTestApiWithS3, type ApiWithS3, type Session } from "./support/api.ts";
import { approvalRequest, chat, runEnd, userWithNode, type UserWithNode } from "./support/chat.ts";
import { rootPool } from "./support/db.ts";
import { callTool, say, startFakeLlm, type FakeLlm } from "./support/fake-llm.ts";
import { startTestGateway, wsUrl } from "./support/gateway.ts";
import { eventually, startWorkerProcess, type WorkerProcess } from "./support/worker.ts";

let env: ApiWithS3;
let gw: Gateway;
let gw2: Gateway;
let fake: FakeLlm;
let worker: WorkerProcess;
const root = rootPool();
const saved = { ...process.env };
const run = randomUUID().slice(0, 8);
const open: UserWithNode[] = [];

/** A plan with these limits and models, granted to the user as root (what an admin or a paid order does). */
async function grantPlan(user: Session, limits: { messages?: number; tokens?: number; models?: string[] } = {}): Promise<void> {
  const slug = `agent-${run}-${randomUUID().slice(0, 6)}`;
  const plan = (await root.query(
    `insert into app_public.plans (slug, name, max_devices, monthly_messages, monthly_tokens, storage_bytes, allowed_models)
     values ($1, $1, 5, $2, $3, 1000000, $4) returning id`,
    [slug, limits.messages ?? 1000, limits.tokens ?? 10_000_000, limits.models ?? ["fake-gpt", "fake-claude", "local"]],
  )).rows[0].id;
  await root.query(
    "insert into app_public.subscriptions (user_id, plan_id, status, current_period_end) values ($1, $2, 'active', now() + interval '30 days')",
    [user.userId, plan],
  );
}

/** The user's assistant settings through GraphQL, as their app would change them (update, or create the first time). */
async function setAssistantConfig(user: Session, patch: Record<string, unknown>): Promise<void> {
  const updated = await gql<{ updateUserAssistantConfig: { userAssistantConfig: unknown } | null }>(env.api,
    "mutation ($u: UUID!, $p: UserAssistantConfigPatch!) { updateUserAssistantConfig(input: {userId: $u, patch: $p}) { userAssistantConfig { userId } } }",
    { u: user.userId, p: patch }, user.accessToken);
  if (!updated.errors && updated.data?.updateUserAssistantConfig?.userAssistantConfig) return;
  const created = await gql(env.api,
    "mutation ($c: UserAssistantConfigInput!) { createUserAssistantConfig(input: {userAssistantConfig: $c}) { clientMutationId } }",
    { c: patch }, user.accessToken);
  if (created.errors) throw new Error(`assistant config not saved: ${JSON.stringify(created.errors)}`);
}

/** The last message the model was sent, in either wire format: a tool result or the user's text. */
function lastMessage(body: any): { toolResult: string } | { text: string } {
  const last = (body.messages as any[]).at(-1);
  if (last.role === "tool") return { toolResult: last.content };
  if (typeof last.content === "string") return { text: last.content };
  const result = last.content.find((b: any) => b.type === "tool_result");
  if (result) return { toolResult: typeof result.content === "string" ? result.content : result.content[0].text };
  return { text: last.content.map((b: any) => b.text ?? "").join("") };
}

/** The model's side of the conversation: what it does depends on the last message it was sent. */
function script(body: any) {
  const last = lastMessage(body);
  if ("toolResult" in last) {
    const result = JSON.parse(last.toolResult);
    if (result.error) return say(["I could not do that: ", result.error]);
    if (result.result?.bins) return say(["sh is at ", result.result.bins.sh]);
    if (result.result?.stdout !== undefined) return say(["The laptop", " said: ", result.result.stdout.trim()]);
    if (result.memories) return say(["I remember: ", result.memories.map((m: any) => m.content).join("; ") || "nothing"]);
    if (result.saved) return say(["Saved."]);
    return say(["Done."]);
  }
  const text = last.text;
  const echo = text.match(/run echo (\S+) on my laptop/i);
  if (echo) return callTool("invoke_command", { device: "laptop", command: "system.run", params: { command: ["echo", echo[1]] } });
  const remember = text.match(/^Remember: (.+)$/);
  if (remember) return callTool("save_memory", { text: remember[1] });
  if (/which sh on my laptop/i.test(text)) return callTool("invoke_command", { device: "laptop", command: "system.which", params: { bins: ["sh"] } });
  if (text.includes("think forever")) return { text: ["Thinking", " hard"], hangAfterPieces: 1 };
  if (/what is my name|what do you know/i.test(text)) return callTool("search_memory", { query: text.includes("name") ? "my name" : "favourite" });
  return say(["Hello", " from", " the", " fake", " model."]);
}

/** The requests the fake model received whose system prompt or messages mention `marker`. */
const requestsMentioning = (marker: string) => fake.requests.filter((r) => JSON.stringify(r.body).includes(marker));
const systemOf = (r: any): string => r.body.messages?.[0]?.role === "system" ? r.body.messages[0].content : r.body.system;

beforeAll(async () => {
  fake = await startFakeLlm();
  fake.script((body) => script(body));
  Object.assign(process.env, {
    AGENT_PROVIDER: "openai",
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: "sk-test-not-a-real-key",
    OPENAI_MODEL: "fake-gpt",
    ANTHROPIC_BASE_URL: fake.anthropicUrl,
    ANTHROPIC_API_KEY: "sk-ant-test",
    ANTHROPIC_MODEL: "fake-claude",
    AGENT_APPROVAL_TIMEOUT_MS: "1500",
  });
  env = await startTestApiWithS3("agent-e2e");
  gw = await startTestGateway();
  gw2 = await startTestGateway();
  worker = await startWorkerProcess({ S3_ENDPOINT: env.s3Url });
});

afterAll(async () => {
  process.env = saved;
  for (const u of open) {
    await u.op.close();
    await u.node.close();
  }
  await worker?.stop();
  await gw?.close();
  await gw2?.close();
  await env?.close();
  await fake?.close();
  await root.end();
});

describe("a turn that runs a command on the user's device", () => {
  let alice: Session;
  let a: UserWithNode;
  const session = `agent:main:${run}`;

  beforeAll(async () => {
    alice = await signUp(env.api, `e2e-alice-${run}`);
    await grantPlan(alice);
    a = await userWithNode(env.api, wsUrl(gw), alice, "laptop");
    open.push(a);
  });

  it("confirms, invokes, streams, stores, and remembers what the user said", async () => {
    const runId = randomUUID();
    const marker = `m${run}`;
    const ack = await a.op.request("chat.send", {
      sessionKey: session, message: `My name is Alice Walker. Please run echo ${marker} on my laptop`, idempotencyKey: runId,
    });
    expect(ack).toEqual({ runId, status: "started" });
    // The user's message is stored before the ack.
    const stored = await root.query("select role, content, status from app_public.messages where run_id = $1 order by created_at, role", [runId]);
    expect(stored.rows[0]).toMatchObject({ role: "user", content: expect.stringContaining("Alice Walker") });

    const request = await approvalRequest(a.op, runId);
    expect(request.request).toMatchObject({ command: "system.run", commandArgv: ["echo", marker], nodeId: a.nodeId });
    expect(a.invoked).toHaveLength(0);
    await a.op.request("exec.approval.resolve", { id: request.id, decision: "allow-once" });
    const events = await runEnd(a.op, runId);
    const final = events.at(-1);
    expect(final.state).toBe("final");
    expect(final.message.content[0].text).toBe(`The laptop said: ${marker}`);
    const deltas = events.filter((p) => p.state === "delta");
    expect(deltas.map((d) => d.deltaText)).toEqual(["The laptop", " said: ", marker]);
    expect(a.invoked).toEqual([{ command: "system.run", params: { command: ["echo", marker] } }]);

    // What the model was sent: the tools and roster first, then the node's real output.
    const calls = requestsMentioning(marker);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.body.model).toBe("fake-gpt");
    expect(calls[0]!.body.tools.map((t: any) => t.function.name)).toEqual(
      ["list_devices", "invoke_command", "search_memory", "save_memory", "use_skill"]);
    expect(systemOf(calls[0])).toContain("- laptop (online; commands: system.which, system.run)");
    const toolMessage = calls[1]!.body.messages.at(-1);
    expect(toolMessage.role).toBe("tool");
    expect(JSON.parse(toolMessage.content).result.stdout).toBe(`${marker}\n`);

    // The turn as stored: answer, tool call with its result, tokens (two scripted calls of 100 + 20).
    const assistant = (await root.query(
      "select content, status, tool_calls, prompt_tokens, completion_tokens, model from app_public.messages where run_id = $1 and role = 'assistant'",
      [runId])).rows[0];
    expect(assistant).toMatchObject({ content: `The laptop said: ${marker}`, status: "complete", prompt_tokens: 200, completion_tokens: 40, model: "fake-gpt" });
    expect(assistant.tool_calls[0]).toMatchObject({ name: "invoke_command", result: { approval: "approved", result: { exitCode: 0 } } });
    const quota = (await root.query("select messages_used, tokens_used from app_public.usage_quotas where user_id = $1", [alice.userId])).rows[0];
    expect(quota).toEqual({ messages_used: 1, tokens_used: "240" });

    // The worker extracts the stated fact; the next turn's memory search finds it.
    await eventually(async () => {
      const r = await root.query("select 1 from app_public.user_memories where user_id = $1 and content ilike '%Alice Walker%'", [alice.userId]);
      return r.rowCount ? true : undefined;
    }, () => worker.output().slice(-2000));
    const next = await chat(a.op, session, "What is my name?");
    expect(next.text).toContain("Alice Walker");
    const searched = fake.requests.at(-1)!.body.messages.at(-1);
    expect(searched.role).toBe("tool");
    expect(JSON.parse(searched.content).memories[0].content).toContain("Alice Walker");
    // ...and the memory was already in that turn's system prompt.
    expect(systemOf(fake.requests.at(-2))).toContain("Alice Walker");
    // The earlier turn came along as history, question before answer.
    expect(fake.requests.at(-2)!.body.messages.slice(1).map((m: any) => [m.role, String(m.content).slice(0, 18)])).toEqual([
      ["user", "My name is Alice W"], ["assistant", `The laptop said: ${marker}`.slice(0, 18)], ["user", "What is my name?"],
    ]);
  });

  it("tells the model when the user denies the command, and runs nothing", async () => {
    const before = a.invoked.length;
    const runId = randomUUID();
    await a.op.request("chat.send", { sessionKey: session, message: `run echo deny${run} on my laptop`, idempotencyKey: runId });
    const request = await approvalRequest(a.op, runId);
    await a.op.request("exec.approval.resolve", { id: request.id, decision: "deny" });
    const final = (await runEnd(a.op, runId)).at(-1);
    expect(final.message.content[0].text).toBe("I could not do that: the user denied this command, so it was not run");
    expect(a.invoked.length).toBe(before);
    const told = JSON.parse(fake.requests.at(-1)!.body.messages.at(-1).content);
    expect(told).toMatchObject({ approval: "denied" });
    const audit = (await root.query("select action, actor_id from app_public.audit_log where target_id = $1 order by id", [request.id])).rows;
    expect(audit).toEqual([{ action: "approvals.requested", actor_id: alice.userId }, { action: "approvals.denied", actor_id: alice.userId }]);
  });

  it("treats a confirmation not given in time as a deny", async () => {
    const before = a.invoked.length;
    const runId = randomUUID();
    await a.op.request("chat.send", { sessionKey: session, message: `run echo late${run} on my laptop`, idempotencyKey: runId });
    const request = await approvalRequest(a.op, runId);
    const final = (await runEnd(a.op, runId, 10_000)).at(-1);
    expect(final.message.content[0].text).toContain("did not confirm this command in time");
    expect(a.invoked.length).toBe(before);
    expect(JSON.parse(fake.requests.at(-1)!.body.messages.at(-1).content)).toMatchObject({ approval: "expired" });
    const row = (await root.query("select status, decided_by from app_public.approvals where id = $1", [request.id])).rows[0];
    expect(row).toEqual({ status: "expired", decided_by: "timeout" });
    const audit = (await root.query("select action from app_public.audit_log where target_id = $1 order by id", [request.id])).rows;
    expect(audit.map((r) => r.action)).toEqual(["approvals.requested", "approvals.expired"]);
  });

  it("asks first for a command the user added to their own sensitive list", async () => {
    const quiet = await chat(a.op, session, "which sh on my laptop");
    expect(quiet.text).toBe("sh is at /usr/bin/sh");
    expect(a.op.events.some((e) => e.event === "exec.approval.requested" && e.payload.request.runId === quiet.runId)).toBe(false);
    await setAssistantConfig(alice, { sensitiveCommands: ["system.which"] });
    const runId = randomUUID();
    await a.op.request("chat.send", { sessionKey: session, message: "which sh on my laptop", idempotencyKey: runId });
    const request = await approvalRequest(a.op, runId);
    expect(request.request.command).toBe("system.which");
    await a.op.request("exec.approval.resolve", { id: request.id, decision: "allow-once" });
    expect((await runEnd(a.op, runId)).at(-1).message.content[0].text).toBe("sh is at /usr/bin/sh");
    await setAssistantConfig(alice, { sensitiveCommands: [] });
  });

  it("stops a streaming answer on chat.abort and keeps what was said", async () => {
    const runId = randomUUID();
    await a.op.request("chat.send", { sessionKey: session, message: "think forever", idempotencyKey: runId });
    await a.op.nextEvent("chat", 10_000, (p) => p.runId === runId && p.state === "delta");
    expect(await a.op.request("chat.abort", { sessionKey: session })).toEqual({ ok: true, aborted: true, runIds: [runId] });
    const end = (await runEnd(a.op, runId)).at(-1);
    expect(end).toMatchObject({ state: "aborted", message: { content: [{ text: "Thinking" }] } });
    const row = (await root.query(
      "select content, status, prompt_tokens, completion_tokens from app_public.messages where run_id = $1 and role = 'assistant'", [runId])).rows[0];
    expect(row).toMatchObject({ content: "Thinking", status: "aborted", completion_tokens: 2 }); // estimated: the call never finished
    expect(row.prompt_tokens).toBeGreaterThan(100);
    expect(await a.op.request("chat.abort", { sessionKey: session })).toEqual({ ok: true, aborted: false, runIds: [] });
  });

  it("uses a persona changed through GraphQL from the next turn", async () => {
    await chat(a.op, session, `hello before ${run}`);
    expect(systemOf(requestsMentioning(`hello before ${run}`)[0])).toContain("Your name is Claw.");
    await setAssistantConfig(alice, { assistantName: "Nova", tone: "dry", instructions: "Always sign off with -- N." });
    await chat(a.op, session, `hello after ${run}`);
    const system = systemOf(requestsMentioning(`hello after ${run}`)[0]);
    expect(system).toContain("Your name is Nova. Your tone: dry.");
    expect(system).toContain("Always sign off with -- N.");
    expect(system).not.toContain("Your name is Claw.");
  });
});

describe("quotas and plans", () => {
  it("refuses a turn over the message quota before any model call", async () => {
    const bob = await signUp(env.api, `e2e-bob-${run}`);
    await grantPlan(bob, { messages: 1 });
    const b = await userWithNode(env.api, wsUrl(gw), bob, "laptop");
    open.push(b);
    const first = await chat(b.op, "main", `first ${run}`);
    expect(first.end.state).toBe("final");
    const seen = fake.requests.length;
    const second = await chat(b.op, "main", `second ${run}`);
    expect(second.ack.status).toBe("started");
    expect(second.end).toMatchObject({
      state: "error", errorKind: "rate_limit",
      errorDetail: { code: "QUOTA_EXCEEDED", quota: "messages", limit: 1, used: 1 },
    });
    expect(second.end.errorMessage).toMatch(/^Message quota reached: 1 of 1 messages used this period/);
    expect(fake.requests.length).toBe(seen);
    const rows = (await root.query("select role, status, error from app_public.messages where run_id = $1 order by role", [second.runId])).rows;
    expect(rows).toEqual([
      { role: "user", status: "complete", error: null },
      { role: "assistant", status: "failed", error: expect.stringContaining("Message quota reached") },
    ]);
  });

  it("refuses a turn over the token quota before any model call", async () => {
    const carl = await signUp(env.api, `e2e-carl-${run}`);
    await grantPlan(carl, { tokens: 100 });
    const c = await userWithNode(env.api, wsUrl(gw), carl, "laptop");
    open.push(c);
    expect((await chat(c.op, "main", `spend ${run}`)).end.state).toBe("final"); // 120 tokens: over from now on
    const seen = fake.requests.length;
    const refused = await chat(c.op, "main", `more ${run}`);
    expect(refused.end).toMatchObject({ state: "error", errorKind: "rate_limit", errorDetail: { code: "QUOTA_EXCEEDED", quota: "tokens" } });
    expect(fake.requests.length).toBe(seen);
  });

  it("does not call a model the user's plan does not include", async () => {
    const dora = await signUp(env.api, `e2e-dora-${run}`); // the default free plan: local only
    const d = await userWithNode(env.api, wsUrl(gw), dora, "laptop");
    open.push(d);
    const seen = fake.requests.length;
    const turn = await chat(d.op, "main", "hello");
    expect(turn.end).toMatchObject({ state: "error", errorDetail: { code: "PROVIDER_UNAVAILABLE" } });
    expect(turn.end.errorMessage).toContain("Your plan does not include the model fake-gpt");
    expect(fake.requests.length).toBe(seen);
  });
});

describe("the anthropic provider", () => {
  it("runs the same tool loop over the messages API", async () => {
    const erin = await signUp(env.api, `e2e-erin-${run}`);
    await grantPlan(erin);
    const e = await userWithNode(env.api, wsUrl(gw), erin, "laptop");
    open.push(e);
    await setAssistantConfig(erin, { provider: "anthropic", model: "fake-claude" });
    const runId = randomUUID();
    await e.op.request("chat.send", { sessionKey: "main", message: `run echo claude${run} on my laptop`, idempotencyKey: runId });
    const request = await approvalRequest(e.op, runId);
    await e.op.request("exec.approval.resolve", { id: request.id, decision: "allow-once" });
    const final = (await runEnd(e.op, runId)).at(-1);
    expect(final.message.content[0].text).toBe(`The laptop said: claude${run}`);
    const calls = requestsMentioning(`claude${run}`);
    expect(calls.map((c) => c.path)).toEqual(["/v1/messages", "/v1/messages"]);
    expect(calls[0]!.body.model).toBe("fake-claude");
    expect(calls[0]!.body.system).toContain("- laptop (online");
  });
});

describe("two users on two gateway instances", () => {
  it("never see each other's deltas, tools, devices or memories", async () => {
    const users = await Promise.all(["frank", "grace"].map(async (name, i) => {
      const session = await signUp(env.api, `e2e-${name}-${run}`);
      await grantPlan(session);
      const u = await userWithNode(env.api, wsUrl(i === 0 ? gw : gw2), session, "laptop");
      open.push(u);
      return { name, session, u, marker: `${name}${run}`, runIds: new Set<string>() };
    }));
    // Each remembers a fact of their own, then both run a command and search memories at once.
    await Promise.all(users.map(async (x) => {
      const saved = await chat(x.u.op, "main", `Remember: ${x.name}'s favourite number is ${x.marker}`);
      x.runIds.add(saved.runId);
    }));
    await Promise.all(users.map(async (x) => {
      const runId = randomUUID();
      x.runIds.add(runId);
      await x.u.op.request("chat.send", { sessionKey: "main", message: `run echo ${x.marker} on my laptop`, idempotencyKey: runId });
      const request = await approvalRequest(x.u.op, runId);
      await x.u.op.request("exec.approval.resolve", { id: request.id, decision: "allow-once" });
      const final = (await runEnd(x.u.op, runId)).at(-1);
      expect(final.message.content[0].text).toBe(`The laptop said: ${x.marker}`);
      const recall = await chat(x.u.op, "main", "What do you know?");
      x.runIds.add(recall.runId);
      expect(recall.text).toContain(x.marker);
    }));
    for (const x of users) {
      const other = users.find((y) => y !== x)!;
      const agentEvents = x.u.op.events.filter((e) => e.event === "chat" || String(e.event).startsWith("exec.approval"));
      expect(agentEvents.length).toBeGreaterThan(10);
      for (const e of agentEvents) {
        const text = JSON.stringify(e.payload);
        if (e.event === "chat") expect(x.runIds.has(e.payload.runId)).toBe(true);
        expect(text).not.toContain(other.marker);
        expect(text).not.toContain(other.u.nodeId);
        expect(text).not.toContain(other.session.userId);
      }
      expect(x.u.invoked.map((c) => c.params.command[1])).toEqual([x.marker]);
      const nodes = await x.u.op.request("node.list");
      expect(nodes.nodes.map((n: any) => n.nodeId)).toEqual([x.u.nodeId]);
    }
  });
});
