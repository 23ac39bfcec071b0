// The real OpenClaw node host (`openclaw node run`, openclaw@2026.9.6 on Node 24, installed once
// into the user's cache folder by ../shared/protocol/run-real-node.sh) against our gateway:
// enrolment with a user's node token and approval, routing from that user's operator only,
// a gateway restart, and a revoked token that makes the node stop.
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../api/server.ts";
import type { Gateway } from "../realtime/server.ts";
import { gql, signUp, startTestApi, type Session } from "./support/api.ts";
import { approvalRequest, OPERATOR_SCOPES, runEnd } from "./support/chat.ts";
import { rootPool } from "./support/db.ts";
import { connectOperator, startTestGateway, type RawClient } from "./support/gateway.ts";
import { approvePairing, issueNodeToken, pendingPairingRequests } from "./support/nodes.ts";
import { CONNECTED_LOG, ensureRealNodeInstalled, EXITING_LOG, startRealNode, stopAllRealNodes, realNodeInstanceDir, uniqueRealNodeName, type RealNode } from "./support/real-node.ts";

const MINUTE = 60_000;
let api: ApiServer;
let gw: Gateway;
let port: number;
let alice: Session;
let bob: Session;
const root = rootPool();
const operators: RawClient[] = [];
const instances: string[] = [];

beforeAll(async () => {
  await ensureRealNodeInstalled();
  api = await startTestApi();
  gw = await startTestGateway();
  port = gw.port;
  alice = await signUp(api, "real-alice");
  bob = await signUp(api, "real-bob");
}, 20 * MINUTE);

afterAll(async () => {
  await stopAllRealNodes();
  // Each run's node state (device key, SQLite) is throwaway; the shared install stays cached.
  await Promise.all(instances.map((name) => rm(realNodeInstanceDir(name), { recursive: true, force: true })));
  await Promise.all(operators.map((o) => o.close()));
  await gw?.close();
  await api?.close();
  await root.end();
});

async function operator(user: Session): Promise<RawClient> {
  const o = await connectOperator(`ws://127.0.0.1:${port}`, user.accessToken);
  operators.push(o);
  return o;
}

/** Polls `probe`; gives up at the deadline, or at once when the node host has exited. */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, node?: RealNode): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    const exit = node?.exitStatus();
    if (exit) throw new Error(`the node host exited (${JSON.stringify(exit)}) before ${what}:\n${node!.logs().slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${node ? `:\n${node.logs().slice(-3000)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("real OpenClaw node host", () => {
  it("enrols after approval, is routed only for its owner, survives a gateway restart and stops when its token is revoked", async () => {
    const token = await issueNodeToken(api, alice, false);
    const name = uniqueRealNodeName("alice");
    instances.push(name);
    const node = await startRealNode({ gatewayUrl: `ws://127.0.0.1:${port}`, token, name, displayName: "alice-laptop" });

    // Not auto-approving: the node's first connect opens a pairing request, which Alice approves.
    const request = await until("a pairing request", 3 * MINUTE, async () => (await pendingPairingRequests(api, alice))[0], node);
    const nodeId = request.deviceKeyId;
    expect(nodeId).toMatch(/^[0-9a-f]{64}$/);
    await approvePairing(api, alice, request.rowId);
    await node.waitForLog(CONNECTED_LOG, 2 * MINUTE);

    const aliceOp = await operator(alice);
    const bobOp = await operator(bob);
    const listed = await until("the node online", 30_000, async () =>
      (await aliceOp.request("node.list")).nodes.find((n: { nodeId: string; connected: boolean }) => n.nodeId === nodeId && n.connected),
    );
    expect(listed).toMatchObject({ displayName: "alice-laptop", clientId: "node-host", clientMode: "node" });
    expect(listed.commands).toEqual(expect.arrayContaining(["system.which", "system.run"]));
    expect((await bobOp.request("node.list")).nodes).toEqual([]);
    const bobTry = await bobOp.call("node.invoke", { nodeId, command: "system.which", params: { bins: ["sh"] }, idempotencyKey: crypto.randomUUID() });
    expect(bobTry.error?.details?.code).toBe("NODE_NOT_FOUND");

    const which = await aliceOp.request("node.invoke", { nodeId, command: "system.which", params: { bins: ["sh", "definitely-not-a-binary-xyz"] }, idempotencyKey: crypto.randomUUID() }, 30_000);
    expect(which.payload.bins.sh).toMatch(/\/sh$/);
    expect(which.payload.bins["definitely-not-a-binary-xyz"]).toBeUndefined();
    const run = await aliceOp.request("node.invoke", { nodeId, command: "system.run", params: { command: ["echo", "hi"], timeoutMs: 10_000 }, idempotencyKey: crypto.randomUUID() }, 30_000);
    expect(run.payload).toMatchObject({ exitCode: 0, success: true, stdout: "hi\n" });
    const seen = await root.query("select status, last_seen_at from app_public.devices where user_id = $1 and device_key_id = $2", [alice.userId, nodeId]);
    expect(seen.rows[0].status).toBe("paired");

    // The agent (built-in local provider, no key): a confirmed system.run on the real node host,
    // whose real output comes back in the answer.
    const chatOp = await connectOperator(`ws://127.0.0.1:${port}`, alice.accessToken, OPERATOR_SCOPES);
    operators.push(chatOp);
    const turnId = crypto.randomUUID();
    await chatOp.request("chat.send", { sessionKey: "main", message: "run echo hello from the agent on alice-laptop", idempotencyKey: turnId });
    const approval = await approvalRequest(chatOp, turnId, 30_000);
    expect(approval.request).toMatchObject({ nodeId, command: "system.run", commandArgv: ["echo", "hello", "from", "the", "agent"] });
    await chatOp.request("exec.approval.resolve", { id: approval.id, decision: "allow-once" });
    const answer = (await runEnd(chatOp, turnId, 60_000)).at(-1);
    expect(answer.state).toBe("final");
    expect(answer.message.content[0].text).toContain("(exit code 0):\nhello from the agent");

    // Gateway restart: close 1012, come back on the same port; the node reconnects by itself.
    const before = node.logs().length;
    await Promise.all(operators.splice(0).map((o) => o.close()));
    await gw.close(1012);
    gw = await startTestGateway({}, port);
    await node.waitForLog(CONNECTED_LOG, 2 * MINUTE, before);
    const again = await operator(alice);
    const afterRestart = await again.request("node.invoke", { nodeId, command: "system.which", params: { bins: ["sh"] }, idempotencyKey: crypto.randomUUID() }, 30_000);
    expect(afterRestart.ok).toBe(true);

    // Revoking the token closes the connection; the node's reconnect is refused with
    // AUTH_TOKEN_MISMATCH and the node host exits for its supervisor to deal with.
    const tokenId = (await root.query("select node_token_id from app_private.node_token_secrets where token_hash = digest($1, 'sha256')", [token])).rows[0].node_token_id;
    const revoked = await gql(api, "mutation ($id: UUID!) { revokeNodeToken(input: {nodeTokenId: $id}) { result { rowId } } }", { id: tokenId }, alice.accessToken);
    expect(revoked.errors).toBeUndefined();
    const line = await node.waitForLog(EXITING_LOG, 2 * MINUTE);
    expect(line).toContain("AUTH_TOKEN_MISMATCH");
    expect(await node.exited).toBe(1);
  }, 10 * MINUTE);
});
