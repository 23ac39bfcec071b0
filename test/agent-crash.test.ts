// A gateway that dies in the middle of a turn loses nothing: the user's message is stored (it was
// before the ack), and the run is marked failed, not left "in progress", once its lease lapses;
// replaying the idempotency key then reports the failed run and starts no second turn. A gateway
// stopped with SIGTERM ends its runs as failed itself.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../api/server.ts";
import { signUp, startTestApi, type Session } from "./support/api.ts";
import { OPERATOR_SCOPES } from "./support/chat.ts";
import { rootPool } from "./support/db.ts";
import { say, startFakeLlm, type FakeLlm } from "./support/fake-llm.ts";
import { connectOperator, type RawClient } from "./support/gateway.ts";
import { spawnGateway, stopAllGateways, waitHealthy, type GatewayProcess } from "./support/gateway-process.ts";
import { eventually } from "./support/worker.ts";

let api: ApiServer;
let fake: FakeLlm;
let alice: Session;
const root = rootPool();
const clients: RawClient[] = [];
const run = randomUUID().slice(0, 8);

async function gateway(name: string): Promise<GatewayProcess> {
  const gw = await spawnGateway(name, {
    AGENT_PROVIDER: "openai",
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: "sk-test",
    OPENAI_MODEL: "fake-gpt",
    AGENT_RUN_LEASE_MS: "1000",
  });
  await waitHealthy(gw);
  return gw;
}

async function operator(gw: GatewayProcess): Promise<RawClient> {
  const op = await connectOperator(gw.url, alice.accessToken, OPERATOR_SCOPES);
  clients.push(op);
  return op;
}

const assistantRow = async (runId: string) =>
  (await root.query("select status, error from app_public.messages where run_id = $1 and role = 'assistant'", [runId])).rows[0];

beforeAll(async () => {
  fake = await startFakeLlm();
  // The model starts its answer and then never finishes it.
  fake.script(() => ({ ...say(["Let me think", " about that"]), hangAfterPieces: 1 }));
  api = await startTestApi();
  alice = await signUp(api, `crash-alice-${run}`);
  const plan = (await root.query(
    `insert into app_public.plans (slug, name, max_devices, monthly_messages, monthly_tokens, storage_bytes, allowed_models)
     values ($1, $1, 5, 100, 1000000, 1000, '{fake-gpt}') returning id`, [`crash-${run}`])).rows[0].id;
  await root.query("insert into app_public.subscriptions (user_id, plan_id, current_period_end) values ($1, $2, now() + interval '1 day')",
    [alice.userId, plan]);
});

afterAll(async () => {
  for (const c of clients) c.ws.terminate();
  await stopAllGateways();
  await fake?.close();
  await api?.close();
  await root.end();
});

describe("a gateway that dies mid-turn", () => {
  it("keeps the user's message and marks the run failed after a restart; a replay starts nothing", async () => {
    const first = await gateway("crash-a");
    const op = await operator(first);
    const runId = randomUUID();
    const message = `tell me something ${run}`;
    expect(await op.request("chat.send", { sessionKey: "main", message, idempotencyKey: runId })).toEqual({ runId, status: "started" });
    await op.nextEvent("chat", 10_000, (p) => p.runId === runId && p.state === "delta");
    expect(await assistantRow(runId)).toEqual({ status: "streaming", error: null });
    first.child.kill("SIGKILL");
    await first.exited;

    const second = await gateway("crash-b");
    const op2 = await operator(second);
    const seen = fake.requests.length;
    // While the dead run's lease lasts, a replay is "in flight"; once it lapses the run is failed.
    const history = await eventually(async () => {
      const h = await op2.request("chat.history", { sessionKey: "main" });
      return h.messages.find((m: any) => m.role === "assistant" && m.__openclaw.status === "failed") ? h : undefined;
    }, () => "the run was never marked failed", 10_000);
    const mine = history.messages.filter((m: any) => m.__openclaw.runId === runId);
    expect(mine.map((m: any) => [m.role, m.__openclaw.status])).toEqual([["user", "complete"], ["assistant", "failed"]]);
    expect(mine[0].content[0].text).toBe(message);
    expect(mine[1].__openclaw.error).toContain("Send the message again");
    const replay = await op2.request("chat.send", { sessionKey: "main", message, idempotencyKey: runId });
    expect(replay).toEqual({ runId, status: "ok", finalState: "error" });
    expect(fake.requests.length).toBe(seen);
    expect(Number((await root.query("select count(*) from app_public.messages where run_id = $1", [runId])).rows[0].count)).toBe(2);
  });

  it("ends its runs as failed when stopped with SIGTERM", async () => {
    const gw = await gateway("crash-c");
    const op = await operator(gw);
    const watcher = await operator(await gateway("crash-d"));
    const runId = randomUUID();
    await op.request("chat.send", { sessionKey: "main", message: `slow ${run}`, idempotencyKey: runId });
    await watcher.nextEvent("chat", 10_000, (p) => p.runId === runId && p.state === "delta");
    gw.child.kill("SIGTERM");
    expect((await gw.exited).code).toBe(0);
    expect(await assistantRow(runId)).toEqual({ status: "failed", error: expect.stringContaining("restarted") });
    // The user's other apps, on another instance, hear how it ended.
    const end = await watcher.nextEvent("chat", 5000, (p) => p.runId === runId && p.state === "error");
    expect(end.payload.errorDetail).toMatchObject({ code: "GATEWAY_RESTART" });
  });

  it("takes back a live run's lease that Redis lost, and the run is not marked failed", async () => {
    const gw = await gateway("crash-e");
    const op = await operator(gw);
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      const runId = randomUUID();
      await op.request("chat.send", { sessionKey: "lease", message: `hold ${run}`, idempotencyKey: runId });
      await op.nextEvent("chat", 10_000, (p) => p.runId === runId && p.state === "delta");
      const key = `openclaw:run:${alice.userId}:${runId}`;
      expect(await redis.exists(key)).toBe(1);
      await redis.del(key);
      await new Promise((resolve) => setTimeout(resolve, 1200)); // more than the lease (1 s)
      expect(await redis.exists(key)).toBe(1);
      const history = await op.request("chat.history", { sessionKey: "lease" });
      expect(history.messages.find((m: any) => m.role === "assistant").__openclaw.status).toBe("streaming");
      expect(await op.request("chat.abort", { sessionKey: "lease" })).toEqual({ ok: true, aborted: true, runIds: [runId] });
      await op.nextEvent("chat", 5000, (p) => p.runId === runId && p.state === "aborted");
      expect(await assistantRow(runId)).toEqual({ status: "aborted", error: "Stopped by the user." });
    } finally {
      redis.disconnect();
    }
  });
});
