// Two gateway processes (real child processes, `node --import tsx realtime/server.ts`) against the
// same Postgres and Redis: node routes, presence and invokes work across instances over Redis,
// tenants stay apart, a node that moves to the other instance takes its route with it, a relayed
// invoke to a silent node times out, and a killed instance's nodes answer NODE_NOT_CONNECTED.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../api/server.ts";
import { gql, signUp, startTestApi, type Session } from "./support/api.ts";
import {
  connect,
  connectNode,
  connectOperator,
  newIdentity,
  type DeviceIdentity,
  type Frame,
  type RawClient,
} from "./support/gateway.ts";
import { spawnGateway, stopAllGateways, waitHealthy, type GatewayProcess } from "./support/gateway-process.ts";

const clients: RawClient[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function track<T extends RawClient>(client: T): T {
  clients.push(client);
  return client;
}

/** Waits for an event that arrives (or arrived) after `mark` events had been seen. */
async function eventAfter(client: RawClient, mark: number, name: string, pred: (payload: any) => boolean, timeoutMs = 5000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = client.events.slice(mark).find((e) => e.event === name && pred(e.payload));
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`no matching ${name} event within ${timeoutMs} ms; got ${JSON.stringify(client.events.slice(mark)).slice(0, 1000)}`);
    }
    await sleep(20);
  }
}

const hasNode = (nodeId: string) => (payload: any) =>
  Array.isArray(payload?.presence) && payload.presence.some((e: any) => e.deviceId === nodeId);

const invokeRequests = (client: RawClient) => client.events.filter((e) => e.event === "node.invoke.request");

async function listNodes(op: RawClient): Promise<any[]> {
  return (await op.request<{ nodes: any[] }>("node.list")).nodes;
}

function which(op: RawClient, nodeId: string, extra: Record<string, unknown> = {}, callTimeoutMs = 10_000): Promise<Frame> {
  return op.call("node.invoke", {
    nodeId,
    command: "system.which",
    params: { bins: ["sh"] },
    idempotencyKey: randomUUID(),
    ...extra,
  }, callTimeoutMs);
}

async function relayedInvokes(gw: GatewayProcess, outcome: "ok" | "error"): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${gw.port}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith("openclaw_gateway_node_invokes_total{") &&
    l.includes(`outcome="${outcome}"`) && l.includes('route="relayed"'));
  return line ? Number(line.split(" ").pop()) : 0;
}

let api: ApiServer;
let a: GatewayProcess;
let b: GatewayProcess;
let alice: Session;
let bob: Session;
let nodeToken: string;
/** Bob's operator on B, connected before any of Alice's nodes: it must never hear of them. */
let bobOnB: RawClient;

/**
 * Connects one of Alice's nodes and waits until `watcher` (an operator of Alice's) gets the
 * presence event naming it: only then is its route in Redis. hello-ok alone is not enough:
 * realtime/server.ts connect() answers hello-ok before hub.attachNode() has written the device
 * row and the route, so an invoke sent right after the node's hello-ok can find no route yet
 * (NODE_NOT_CONNECTED), most visibly from the other instance.
 */
async function connectAliceNode(gw: GatewayProcess, identity: DeviceIdentity, watcher: RawClient, silent = false): Promise<RawClient> {
  const mark = watcher.events.length;
  let client: RawClient;
  if (silent) {
    // A node that signs in and then ignores node.invoke.request entirely.
    const { client: c, res } = await connect(gw.url, { role: "node", identity, auth: { token: nodeToken } });
    if (!res.ok) throw new Error(`silent node connect failed: ${JSON.stringify(res.error)}`);
    client = c;
  } else {
    client = (await connectNode(gw.url, { identity, auth: { token: nodeToken }, displayName: `node-${identity.id.slice(0, 6)}` })).client;
  }
  track(client);
  await eventAfter(watcher, mark, "presence", hasNode(identity.id));
  return client;
}

beforeAll(async () => {
  const [gwA, gwB] = await Promise.all([spawnGateway("cluster-a"), spawnGateway("cluster-b")]);
  a = gwA;
  b = gwB;
  api = await startTestApi();
  [alice, bob] = await Promise.all([signUp(api, "cluster-alice"), signUp(api, "cluster-bob")]);
  const t = await gql<{ issueNodeToken: { result: { rowId: string; secret: string } } }>(
    api,
    `mutation { issueNodeToken(input:{label:"n", autoApprove:true}) { result { rowId secret } } }`,
    {},
    alice.accessToken,
  );
  if (!t.data?.issueNodeToken) throw new Error(`issueNodeToken failed: ${JSON.stringify(t.errors)}`);
  nodeToken = t.data.issueNodeToken.result.secret;
  await Promise.all([waitHealthy(a), waitHealthy(b)]);
  bobOnB = track(await connectOperator(b.url, bob.accessToken));
});

afterAll(async () => {
  for (const c of clients) c.ws.terminate();
  // A graceful stop first (it removes its presence key), SIGKILL for anything still running.
  await stopAllGateways();
  await api?.close();
});

describe("two gateway instances on one Postgres and Redis", () => {
  const main = newIdentity();
  let mainOnA: RawClient;
  let mainOnB: RawClient;
  let aliceOnA: RawClient;
  let aliceOnB: RawClient;

  it("an operator on B lists and invokes a node connected to A (relayed over Redis)", async () => {
    aliceOnB = track(await connectOperator(b.url, alice.accessToken));
    aliceOnA = track(await connectOperator(a.url, alice.accessToken));
    mainOnA = await connectAliceNode(a, main, aliceOnB);

    const listed = await listNodes(aliceOnB);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ nodeId: main.id, connected: true, commands: ["system.which", "system.run"] });

    const before = await relayedInvokes(b, "ok");
    const res = await which(aliceOnB, main.id);
    expect(res.error).toBeUndefined();
    expect(res.payload).toMatchObject({ ok: true, nodeId: main.id, command: "system.which", payload: { bins: { sh: "/usr/bin/sh" } } });
    // The node on A got the request, and B counted the invoke as relayed (not local).
    expect(invokeRequests(mainOnA)).toHaveLength(1);
    expect(invokeRequests(mainOnA)[0]!.payload).toMatchObject({ nodeId: main.id, command: "system.which" });
    expect(await relayedInvokes(b, "ok")).toBe(before + 1);
  });

  it("presence is the same on both instances, and B's operators hear of connects and disconnects on A", async () => {
    const extra = newIdentity();
    const mark = aliceOnB.events.length;
    // Resolves only once aliceOnB got a presence event naming the new node (connected to A).
    const extraOnA = await connectAliceNode(a, extra, aliceOnB);
    const joined = await eventAfter(aliceOnB, mark, "presence", hasNode(extra.id));
    expect(joined.payload.presence.map((e: any) => e.deviceId).sort()).toEqual([main.id, extra.id].sort());
    // A's own operator hears it too.
    await eventAfter(aliceOnA, 0, "presence", hasNode(extra.id));

    const strip = (nodes: any[]) => nodes.map(({ lastSeenAtMs: _l, ...n }) => n).sort((x, y) => x.nodeId.localeCompare(y.nodeId));
    const [onA, onB] = await Promise.all([listNodes(aliceOnA), listNodes(aliceOnB)]);
    expect(strip(onB)).toEqual(strip(onA));
    expect(onB.map((n) => [n.nodeId, n.connected]).sort()).toEqual([[main.id, true], [extra.id, true]].sort());
    const [presenceA, presenceB] = await Promise.all([
      aliceOnA.request<any[]>("system-presence"),
      aliceOnB.request<any[]>("system-presence"),
    ]);
    expect(presenceB.map((e) => e.deviceId).sort()).toEqual([main.id, extra.id].sort());
    expect(presenceB).toEqual(presenceA);

    const mark2 = aliceOnB.events.length;
    await extraOnA.close();
    const left = await eventAfter(aliceOnB, mark2, "presence", (p) => Array.isArray(p?.presence) && !hasNode(extra.id)(p));
    expect(left.payload.presence.map((e: any) => e.deviceId)).toEqual([main.id]);
    const [afterA, afterB] = await Promise.all([listNodes(aliceOnA), listNodes(aliceOnB)]);
    for (const nodes of [afterA, afterB]) {
      expect(nodes.find((n) => n.nodeId === extra.id)).toMatchObject({ connected: false });
      expect(nodes.find((n) => n.nodeId === main.id)).toMatchObject({ connected: true });
    }
  });

  it("another user's operator on B neither sees nor reaches that node", async () => {
    expect(await listNodes(bobOnB)).toEqual([]);
    const requestsBefore = invokeRequests(mainOnA).length;
    const res = await which(bobOnB, main.id);
    expect(res.ok).toBe(false);
    expect(res.error).toMatchObject({ code: "INVALID_REQUEST", details: { code: "NODE_NOT_FOUND" } });
    const described = await bobOnB.call("node.describe", { nodeId: main.id });
    expect(described.error).toMatchObject({ code: "INVALID_REQUEST", details: { code: "NODE_NOT_FOUND" } });
    expect(await bobOnB.request<any[]>("system-presence")).toEqual([]);
    expect(invokeRequests(mainOnA)).toHaveLength(requestsBefore);
    // Bob was connected to B all along: none of Alice's presence reached him.
    for (const e of bobOnB.events.filter((f) => f.event === "presence")) expect(e.payload.presence).toEqual([]);
  });

  it("a node that reconnects to B closes its old socket on A, and A's operators reach it on B", async () => {
    mainOnB = await connectAliceNode(b, main, aliceOnA);
    const closed = await Promise.race([mainOnA.closed, sleep(5000).then(() => null)]);
    expect(closed).toMatchObject({ code: 4001 });
    // A's detach of the old socket must not take down the route B wrote.
    await sleep(200);

    const requestsOnB = invokeRequests(mainOnB).length;
    const requestsOnA = invokeRequests(mainOnA).length;
    const res = await which(aliceOnA, main.id);
    expect(res.error).toBeUndefined();
    expect(res.payload).toMatchObject({ ok: true, payload: { bins: { sh: "/usr/bin/sh" } } });
    expect(invokeRequests(mainOnB)).toHaveLength(requestsOnB + 1);
    expect(invokeRequests(mainOnA)).toHaveLength(requestsOnA);

    for (const op of [aliceOnA, aliceOnB]) {
      const nodes = (await listNodes(op)).filter((n) => n.nodeId === main.id);
      expect(nodes).toHaveLength(1);
      expect(nodes[0]).toMatchObject({ connected: true });
    }
    expect((await aliceOnA.request<any[]>("system-presence")).filter((e) => e.deviceId === main.id)).toHaveLength(1);
  });

  it("a relayed invoke to a node that never answers times out with INVOKE_TIMEOUT", async () => {
    const silent = newIdentity();
    const silentOnA = await connectAliceNode(a, silent, aliceOnB, true);

    const started = Date.now();
    const res = await which(aliceOnB, silent.id, { timeoutMs: 400 });
    const elapsed = Date.now() - started;
    expect(res.ok).toBe(false);
    expect(res.error).toMatchObject({ code: "UNAVAILABLE", details: { code: "INVOKE_TIMEOUT" } });
    // A timed out after 400 ms and relayed that back (B's own fallback fires 2 s later).
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(2_000);
    expect(invokeRequests(silentOnA)).toHaveLength(1);
    expect(invokeRequests(silentOnA)[0]!.payload).toMatchObject({ nodeId: silent.id, command: "system.which", timeoutMs: 400 });
    await silentOnA.close();
  });

  it("after A is SIGKILLed, B answers NODE_NOT_CONNECTED for A's node instead of hanging", async () => {
    const doomed = newIdentity();
    const doomedOnA = await connectAliceNode(a, doomed, aliceOnB);
    expect((await which(aliceOnB, doomed.id)).payload).toMatchObject({ ok: true });

    const killedAt = Date.now();
    a.child.kill("SIGKILL");
    expect(await a.exited).toMatchObject({ signal: "SIGKILL" });
    await doomedOnA.closed;

    // The relay publish finds no subscriber on A's bus channel at once; retry only in case Redis
    // had not yet noticed the dead connection. Each try is bounded by a short timeoutMs.
    let res: Frame;
    do {
      res = await which(aliceOnB, doomed.id, { timeoutMs: 1000 }, 5000);
    } while (res.error?.details?.code !== "NODE_NOT_CONNECTED" && Date.now() - killedAt < 35_000);
    expect(res.ok).toBe(false);
    expect(res.error).toMatchObject({ code: "UNAVAILABLE", details: { code: "NODE_NOT_CONNECTED" } });
    expect(Date.now() - killedAt).toBeLessThan(35_000);

    const nodes = await listNodes(aliceOnB);
    expect(nodes.find((n) => n.nodeId === doomed.id)).toMatchObject({ connected: false });
    // The node that moved to B is unaffected and still answers.
    expect(nodes.find((n) => n.nodeId === main.id)).toMatchObject({ connected: true });
    expect((await which(aliceOnB, main.id)).payload).toMatchObject({ ok: true });
    const again = await which(aliceOnB, doomed.id, { timeoutMs: 1000 });
    expect(again.error).toMatchObject({ code: "UNAVAILABLE", details: { code: "NODE_NOT_CONNECTED" } });
  }, 45_000);
});
