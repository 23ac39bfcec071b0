// The published OpenClaw operator client (@openclaw/gateway-client) against our gateway: it signs
// in with the user's access token from the API and sees and reaches only that user's nodes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../api/server.ts";
import type { Gateway } from "../realtime/server.ts";
import { signUp, startTestApi, type Session } from "./support/api.ts";
import { connectNode, newIdentity, startTestGateway, wsUrl, type RawClient } from "./support/gateway.ts";
import { issueNodeToken } from "./support/nodes.ts";
import { closeAllOperators, connectOperator, OperatorConnectError, OperatorRequestError } from "./support/operator-client.ts";

let api: ApiServer;
let gw: Gateway;
let alice: Session;
let bob: Session;
const nodes: RawClient[] = [];
const aliceNode = newIdentity();
const bobNode = newIdentity();

beforeAll(async () => {
  api = await startTestApi();
  gw = await startTestGateway();
  alice = await signUp(api, "client-alice");
  bob = await signUp(api, "client-bob");
  for (const [user, identity] of [[alice, aliceNode], [bob, bobNode]] as const) {
    const n = await connectNode(wsUrl(gw), { identity, auth: { token: await issueNodeToken(api, user, true) }, displayName: `${user.email}-node` });
    nodes.push(n.client);
  }
});

afterAll(async () => {
  await closeAllOperators();
  await Promise.all(nodes.map((n) => n.close()));
  await gw?.close();
  await api?.close();
});

async function failure<T extends Error>(p: Promise<unknown>): Promise<T> {
  try {
    await p;
  } catch (error) {
    return error as T;
  }
  throw new Error("expected a failure");
}

describe("@openclaw/gateway-client", () => {
  it("connects with a user's access token and lists and invokes only that user's nodes", async () => {
    const session = await connectOperator(wsUrl(gw), alice.accessToken);
    expect(session.hello.protocol).toBe(4);
    expect(session.hello.auth?.scopes).toEqual(["operator.admin"]);
    const list = await session.request("node.list");
    expect(list.nodes.map((n: { nodeId: string }) => n.nodeId)).toEqual([aliceNode.id]);
    const result = await session.request("node.invoke", {
      nodeId: aliceNode.id,
      command: "system.which",
      params: { bins: ["sh"] },
      idempotencyKey: crypto.randomUUID(),
    });
    expect(result).toMatchObject({ ok: true, nodeId: aliceNode.id, payload: { bins: { sh: "/usr/bin/sh" } } });

    const stolen = await failure<OperatorRequestError>(
      session.request("node.invoke", { nodeId: bobNode.id, command: "system.which", params: { bins: ["sh"] }, idempotencyKey: crypto.randomUUID() }),
    );
    expect(stolen.code).toBe("INVALID_REQUEST");
    expect(stolen.detailsCode).toBe("NODE_NOT_FOUND");
    expect(JSON.stringify(stolen.details)).not.toContain(bob.email);
    const described = await failure<OperatorRequestError>(session.request("node.describe", { nodeId: bobNode.id }));
    expect(described.detailsCode).toBe("NODE_NOT_FOUND");
  });

  it("works with a signed device identity and least-privilege scopes, like the CLI", async () => {
    const session = await connectOperator(wsUrl(gw), bob.accessToken, { withDeviceIdentity: true, scopes: ["operator.read"] });
    expect(session.hello.auth?.scopes).toEqual(["operator.read"]);
    expect((await session.request("node.list")).nodes.map((n: { nodeId: string }) => n.nodeId)).toEqual([bobNode.id]);
    const denied = await failure<OperatorRequestError>(
      session.request("node.invoke", { nodeId: bobNode.id, command: "system.which", params: { bins: ["sh"] }, idempotencyKey: crypto.randomUUID() }),
    );
    expect(denied.code).toBe("FORBIDDEN");
    expect(denied.detailsCode).toBe("MISSING_SCOPE");
  });

  it("chats with the built-in agent: ack, streamed deltas, final, history and sessions", async () => {
    const session = await connectOperator(wsUrl(gw), alice.accessToken, { withDeviceIdentity: true });
    const runId = crypto.randomUUID();
    const ack = await session.request("chat.send", { sessionKey: "agent:main:client", message: "list my devices", idempotencyKey: runId });
    expect(ack).toEqual({ runId, status: "started" });
    const final = await session.waitForEvent("chat", (p) => p.runId === runId && p.state === "final", 15_000);
    const deltas = session.events.filter((e) => e.event === "chat" && (e.payload as any).runId === runId && (e.payload as any).state === "delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((e) => (e.payload as any).deltaText).join("")).toBe(final.message.content[0].text);
    expect(final.message.content[0].text).toContain("Your devices:");
    const history = await session.request("chat.history", { sessionKey: "agent:main:client", limit: 20 });
    expect(history.messages.map((m: any) => [m.role, m.content[0].text.slice(0, 13)])).toEqual([["user", "list my devic"], ["assistant", "Your devices:"]]);
    const sessions = await session.request("sessions.list", { limit: 10 });
    expect(sessions.sessions.map((s: any) => s.key)).toContain("agent:main:client");
    expect(session.hello.features?.methods).toEqual(expect.arrayContaining(["chat.send", "chat.history", "chat.abort", "sessions.list", "exec.approval.resolve"]));
  });

  it("stops on a bad token with AUTH_TOKEN_MISMATCH", async () => {
    const refused = await failure<OperatorConnectError>(connectOperator(wsUrl(gw), `${alice.accessToken}x`));
    expect(refused).toBeInstanceOf(OperatorConnectError);
    expect(refused.detailsCode).toBe("AUTH_TOKEN_MISMATCH");
  });
});
