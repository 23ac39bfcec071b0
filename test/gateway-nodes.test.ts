// Nodes per tenant: enrolment (auto-approve, pairing request, device token), a node registry each
// user sees alone, node.invoke with its gates and failure modes, presence to the owner only, and
// revocations that close connections within a second.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../api/server.ts";
import type { Gateway } from "../realtime/server.ts";
import { gql, signUp, startTestApi, type Session } from "./support/api.ts";
import { rootPool } from "./support/db.ts";
import { onPlan } from "./support/plans.ts";
import { connect, connectNode, connectOperator, newIdentity, ProtocolError, startTestGateway, wsUrl, type RawClient } from "./support/gateway.ts";
import { approvePairing, issueNodeToken, pendingPairingRequests } from "./support/nodes.ts";

let api: ApiServer;
let gw: Gateway;
let alice: Session;
let bob: Session;
const root = rootPool();
const open: RawClient[] = [];

beforeAll(async () => {
  api = await startTestApi();
  gw = await startTestGateway();
  alice = await signUp(api, "nodes-alice");
  bob = await signUp(api, "nodes-bob");
  // These tests pair more devices per user than the default plan allows.
  await onPlan(root, [alice.userId, bob.userId]);
});

afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await gw?.close();
  await api?.close();
  await root.end();
});

async function operator(user: Session, scopes?: string[]): Promise<RawClient> {
  const c = await connectOperator(wsUrl(gw), user.accessToken, scopes);
  open.push(c);
  return c;
}

async function node(user: Session, options: Partial<Parameters<typeof connectNode>[1]> = {}) {
  const identity = options.identity ?? newIdentity();
  const token = (options.auth?.token as string | undefined) ?? (await issueNodeToken(api, user, true));
  const n = await connectNode(wsUrl(gw), { identity, auth: { token }, ...options });
  open.push(n.client);
  return { ...n, identity, token };
}

async function rejection(p: Promise<unknown>): Promise<ProtocolError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}

const invoke = (op: RawClient, nodeId: string, command = "system.which", extra: Record<string, unknown> = {}) =>
  op.request("node.invoke", { nodeId, command, params: { bins: ["sh"] }, idempotencyKey: crypto.randomUUID(), ...extra });

describe("enrolment", () => {
  it("a token that is not auto-approving opens a pairing request; the node connects once the user approves", async () => {
    const token = await issueNodeToken(api, alice, false);
    const identity = newIdentity();
    const first = await connect(wsUrl(gw), { role: "node", auth: { token }, identity });
    expect(first.res.error?.code).toBe("NOT_PAIRED");
    expect(first.res.error?.details).toMatchObject({
      code: "PAIRING_REQUIRED", reason: "not-paired", deviceId: identity.id,
      recommendedNextStep: "wait_then_retry", retryable: true, pauseReconnect: false,
    });
    expect((await first.client.closed).code).toBe(1008);
    const requestId = first.res.error?.details?.requestId as string;
    expect(requestId).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/);

    // Retrying keeps one pending request; Bob cannot see or approve it.
    await connect(wsUrl(gw), { role: "node", auth: { token }, identity });
    expect((await pendingPairingRequests(api, alice)).filter((r) => r.deviceKeyId === identity.id)).toHaveLength(1);
    expect(await pendingPairingRequests(api, bob)).toEqual([]);
    const bobTries = await gql(api, "mutation ($id: UUID!) { approveDevicePairing(input: {requestId: $id}) { clientMutationId } }", { id: requestId }, bob.accessToken);
    expect(bobTries.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");

    await approvePairing(api, alice, requestId);
    const n = await connectNode(wsUrl(gw), { identity, auth: { token } });
    open.push(n.client);
    expect(n.hello.auth.deviceToken).toMatch(/^oc_dev_/);
    const op = await operator(alice);
    expect((await op.request("node.list")).nodes.map((x: { nodeId: string }) => x.nodeId)).toContain(identity.id);
  });

  it("an operator can list and decide pairing requests over the gateway", async () => {
    const token = await issueNodeToken(api, alice, false);
    const identity = newIdentity();
    await connect(wsUrl(gw), { role: "node", auth: { token }, identity });
    const op = await operator(alice);
    const listed = await op.request("node.pair.list");
    const pending = listed.pending.find((p: { nodeId: string }) => p.nodeId === identity.id);
    expect(pending).toBeDefined();
    const bobOp = await operator(bob);
    expect((await bobOp.request("node.pair.list")).pending).toEqual([]);
    expect((await rejection(bobOp.request("node.pair.reject", { requestId: pending.requestId }))).detailsCode).toBe("PAIRING_REQUEST_NOT_FOUND");
    expect(await op.request("node.pair.reject", { requestId: pending.requestId })).toMatchObject({ decision: "rejected" });
    const readOnly = await operator(alice, ["operator.read"]);
    expect((await rejection(readOnly.request("node.pair.list"))).error.code).toBe("FORBIDDEN");
  });

  it("a pairing code pairs exactly one device, which may keep using it", async () => {
    const r = await gql<{ issuePairingCode: { result: { secret: string } } }>(api, "mutation { issuePairingCode(input: {}) { result { secret } } }", {}, alice.accessToken);
    const code = r.data?.issuePairingCode.result.secret as string;
    expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    const identity = newIdentity();
    const first = await connectNode(wsUrl(gw), { identity, auth: { token: code } });
    expect(first.hello.auth.deviceToken).toMatch(/^oc_dev_/);
    await first.client.close();
    // The node host keeps sending its configured token: the same device is let in again...
    const again = await connectNode(wsUrl(gw), { identity, auth: { token: code } });
    open.push(again.client);
    // ...and a second device is not.
    const other = await connect(wsUrl(gw), { role: "node", auth: { token: code }, identity: newIdentity() });
    expect(other.res.error?.details?.code).toBe("AUTH_TOKEN_MISMATCH");
    const used = await root.query("select used_at, device_id from app_public.device_pairing_codes where user_id = $1 and used_at is not null", [alice.userId]);
    expect(used.rowCount).toBe(1);
  });

  it("the same device key under two users is two devices, each visible only to its owner", async () => {
    const identity = newIdentity();
    const a = await node(alice, { identity, displayName: "shared-a" });
    const b = await node(bob, { identity, displayName: "shared-b" });
    expect(a.hello.auth.deviceToken).not.toBe(b.hello.auth.deviceToken);
    const rows = await root.query("select user_id from app_public.devices where device_key_id = $1 order by user_id", [identity.id]);
    expect(rows.rows.map((r) => r.user_id).sort()).toEqual([alice.userId, bob.userId].sort());
    const aliceOp = await operator(alice);
    const bobOp = await operator(bob);
    expect((await aliceOp.request("node.describe", { nodeId: identity.id })).displayName).toBe("shared-a");
    expect((await bobOp.request("node.describe", { nodeId: identity.id })).displayName).toBe("shared-b");
    // Both are connected: each user's invoke reaches their own connection.
    expect((await invoke(aliceOp, identity.id)).ok).toBe(true);
    expect((await invoke(bobOp, identity.id)).ok).toBe(true);
  });
});

describe("registry and invoke", () => {
  it("lists and invokes only the caller's own nodes; another user's node id is not found", async () => {
    const a = await node(alice, {
      handlers: { "system.run": (p) => ({ ok: true, payload: { stdout: `${(p.command as string[]).slice(1).join(" ")}\n`, exitCode: 0 } }) },
    });
    const aliceOp = await operator(alice);
    const bobOp = await operator(bob);
    const run = await invoke(aliceOp, a.identity.id, "system.run", { params: { command: ["echo", "hi"] } });
    expect(run).toMatchObject({ ok: true, nodeId: a.identity.id, command: "system.run", payload: { stdout: "hi\n", exitCode: 0 } });
    expect(JSON.parse(run.payloadJSON)).toEqual(run.payload);

    expect((await bobOp.request("node.list")).nodes.map((n: { nodeId: string }) => n.nodeId)).not.toContain(a.identity.id);
    expect((await rejection(bobOp.request("node.describe", { nodeId: a.identity.id }))).detailsCode).toBe("NODE_NOT_FOUND");
    const stolen = await rejection(invoke(bobOp, a.identity.id));
    expect(stolen.error.code).toBe("INVALID_REQUEST");
    expect(stolen.detailsCode).toBe("NODE_NOT_FOUND");

    // The device row records what the node advertised and when it was last seen.
    const device = await root.query("select status, commands, last_seen_at from app_public.devices where user_id = $1 and device_key_id = $2", [alice.userId, a.identity.id]);
    expect(device.rows[0]).toMatchObject({ status: "paired", commands: ["system.which", "system.run"] });
    expect(device.rows[0].last_seen_at).not.toBeNull();
  });

  it("gates commands: not advertised, the user's allowlist, the admin deny list, scopes", async () => {
    const a = await node(alice, { commands: ["system.which", "system.run", "camera.snap"] });
    const op = await operator(alice);
    expect((await rejection(invoke(op, a.identity.id, "system.reboot"))).detailsCode).toBe("COMMAND_NOT_ADVERTISED");

    const set = await gql(api, "mutation { createUserAssistantConfig(input: {userAssistantConfig: {allowedNodeCommands: [\"system.which\"]}}) { clientMutationId } }", {}, alice.accessToken);
    expect(set.errors).toBeUndefined();
    expect((await rejection(invoke(op, a.identity.id, "system.run"))).detailsCode).toBe("COMMAND_NOT_ALLOWED");
    expect((await invoke(op, a.identity.id, "system.which")).ok).toBe(true);
    await root.query("update app_public.user_assistant_configs set allowed_node_commands = null where user_id = $1", [alice.userId]);

    await root.query("update app_public.system_configs set value = '[\"camera.snap\"]' where key = 'gateway.denied_commands'");
    try {
      const denied = await rejection(invoke(op, a.identity.id, "camera.snap"));
      expect(denied.error.code).toBe("FORBIDDEN");
      expect(denied.detailsCode).toBe("COMMAND_DENIED");
    } finally {
      await root.query("update app_public.system_configs set value = '[]' where key = 'gateway.denied_commands'");
    }

    const readOnly = await operator(alice, ["operator.read"]);
    const scope = await rejection(invoke(readOnly, a.identity.id));
    expect(scope.error).toMatchObject({ code: "FORBIDDEN", details: { code: "MISSING_SCOPE", missingScope: "operator.write" } });
    // Methods of the other role are refused by role, unknown ones by name.
    expect((await rejection(op.request("node.event", { event: "x" }))).error.message).toBe("unauthorized role: operator");
    expect((await rejection(op.request("no.such.method"))).error.message).toBe("unknown method: no.such.method");
  });

  it("reports node errors, timeouts, disconnects and a node that is offline", async () => {
    const silent = newIdentity();
    const token = await issueNodeToken(api, alice, true);
    const n = await connectNode(wsUrl(gw), { identity: silent, auth: { token } });
    // This node never answers: remove the auto-answer by closing the handler path.
    n.client.ws.removeAllListeners("message");
    const op = await operator(alice);
    const unsupported = await node(alice, { commands: ["system.which", "no.such"] });
    const nodeError = await rejection(invoke(op, unsupported.identity.id, "no.such"));
    expect(nodeError.error).toMatchObject({ code: "UNAVAILABLE", details: { code: "NODE_ERROR", nodeError: { message: "command not supported" } } });

    const timedOut = await rejection(invoke(op, silent.id, "system.which", { timeoutMs: 300 }));
    expect(timedOut.error).toMatchObject({ code: "UNAVAILABLE", details: { code: "INVOKE_TIMEOUT" } });

    const pending = invoke(op, silent.id, "system.which", { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    n.client.ws.terminate();
    expect((await rejection(pending)).detailsCode).toBe("NODE_NOT_CONNECTED");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await rejection(invoke(op, silent.id))).error).toMatchObject({ code: "UNAVAILABLE", message: "node not connected" });
    const listed = (await op.request("node.list")).nodes.find((x: { nodeId: string }) => x.nodeId === silent.id);
    expect(listed).toMatchObject({ connected: false, paired: true });
  });

  it("answers the node side of the protocol: events, results, optional publications", async () => {
    const n = await node(alice);
    const c = n.client;
    expect(await c.request("node.event", { event: "node.host.stats", payloadJSON: JSON.stringify({ cpuCount: 2 }) }))
      .toEqual({ ok: true, event: "node.host.stats", handled: true, reason: "updated" });
    expect(await c.request("node.event", { event: "voice.transcript", payload: {} })).toEqual({ ok: true, event: "voice.transcript", handled: false });
    expect(await c.request("node.invoke.result", { id: crypto.randomUUID(), nodeId: n.identity.id, ok: true })).toEqual({ ok: true, ignored: true });
    expect((await rejection(c.request("node.invoke.result", { id: "x", nodeId: newIdentity().id, ok: true }))).error.message).toBe("nodeId mismatch");
    for (const m of ["node.runnerInventory.update", "node.skills.update", "node.pluginTools.update"]) {
      expect((await rejection(c.request(m, {}))).error).toEqual({ code: "INVALID_REQUEST", message: `unknown method: ${m}` });
    }
    expect((await rejection(c.request("node.list"))).error.message).toBe("unauthorized role: node");
    const op = await operator(alice);
    const described = await op.request("node.describe", { nodeId: n.identity.id });
    expect(described.hostStats).toEqual({ cpuCount: 2 });
  });
});

describe("presence and revocation", () => {
  it("presence events reach only the owner's operators", async () => {
    const aliceOp = await operator(alice);
    const bobOp = await operator(bob);
    const n = await node(alice);
    const seen = await aliceOp.nextEvent("presence", 3000, (p) => p.presence.some((e: { deviceId: string }) => e.deviceId === n.identity.id));
    expect(seen.payload.presence.every((e: { ts: number }) => Number.isInteger(e.ts))).toBe(true);
    await n.client.close();
    await aliceOp.nextEvent("presence", 3000, (p) => !p.presence.some((e: { deviceId: string }) => e.deviceId === n.identity.id));
    expect(bobOp.events.filter((e) => e.event === "presence").flatMap((e) => e.payload.presence).map((e: { deviceId: string }) => e.deviceId))
      .not.toContain(n.identity.id);
  });

  it("revoking a device, revoking a node token or suspending the user closes connections within a second", async () => {
    const timed = async (act: () => Promise<unknown>, client: RawClient) => {
      const started = Date.now();
      const result = (await act()) as { errors?: unknown };
      expect(result?.errors).toBeUndefined();
      const closed = await Promise.race([client.closed, new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
      return { closed, ms: Date.now() - started };
    };
    const one = await node(alice);
    const deviceId = (await root.query("select id from app_public.devices where user_id = $1 and device_key_id = $2", [alice.userId, one.identity.id])).rows[0].id;
    const r1 = await timed(() => gql(api, "mutation ($id: UUID!) { revokeDevice(input: {deviceId: $id}) { result { status } } }", { id: deviceId }, alice.accessToken), one.client);
    expect(r1.closed).toMatchObject({ code: 4001, reason: "device revoked" });

    const two = await node(alice);
    const tokenRow = (await root.query("select node_token_id from app_private.node_token_secrets where token_hash = digest($1, 'sha256')", [two.token])).rows[0];
    const r2 = await timed(() => gql(api, "mutation ($id: UUID!) { revokeNodeToken(input: {nodeTokenId: $id}) { result { rowId } } }", { id: tokenRow.node_token_id }, alice.accessToken), two.client);
    expect(r2.closed).toMatchObject({ code: 4001, reason: "node token revoked" });

    const dave = await signUp(api, "nodes-dave");
    const three = await node(dave);
    const daveOp = await operator(dave);
    const r3 = await timed(() => root.query("update app_public.users set status = 'suspended' where id = $1", [dave.userId]), three.client);
    expect(r3.closed).toMatchObject({ code: 4001, reason: "account suspended" });
    expect(await Promise.race([daveOp.closed, new Promise((r) => setTimeout(() => r(null), 1000))])).toMatchObject({ code: 4001 });
  });
});
