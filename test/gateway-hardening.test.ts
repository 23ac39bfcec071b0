// Limits that keep one connection from hurting the others: slow readers are dropped, requests are
// rate limited per connection, repeated garbage closes the socket; and the gateway's metrics.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../api/server.ts";
import type { Gateway } from "../realtime/server.ts";
import { signUp, startTestApi, type Session } from "./support/api.ts";
import { connectNode, connectOperator, newIdentity, startTestGateway, wsUrl } from "./support/gateway.ts";
import { issueNodeToken } from "./support/nodes.ts";

let api: ApiServer;
let gw: Gateway;
let alice: Session;

beforeAll(async () => {
  api = await startTestApi();
  gw = await startTestGateway({ maxBufferedBytes: 256 * 1024, requestsPerSecond: 20, requestBurst: 40 });
  alice = await signUp(api, "hard-alice");
});

afterAll(async () => {
  await gw?.close();
  await api?.close();
});

describe("gateway limits", () => {
  it("drops an operator that does not read its events, and only that one", async () => {
    const token = await issueNodeToken(api, alice, true);
    const node = await connectNode(wsUrl(gw), { identity: newIdentity(), auth: { token } });
    const slow = await connectOperator(wsUrl(gw), alice.accessToken);
    const healthy = await connectOperator(wsUrl(gw), alice.accessToken);
    // Stop reading on the slow socket: the kernel buffers fill, then the gateway's.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const output = "x".repeat(200 * 1024);
    let healthyCount = 0;
    healthy.onEvent("exec.finished", () => (healthyCount += 1));
    for (let i = 0; i < 60; i++) {
      // Sequential, so the node itself stays within its own rate.
      await node.client.request("node.event", { event: "exec.finished", payloadJSON: JSON.stringify({ runId: String(i), output }) });
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await Promise.race([slow.closed, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
    // 1008 when the close frame still fits; 1006 when the socket is cut because nothing more fits.
    expect([1006, 1008]).toContain(closed?.code);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(healthyCount).toBe(60);
    expect((await healthy.request("health")).ok).toBe(true);
    const metrics = await (await fetch(`http://127.0.0.1:${gw.port}/metrics`)).text();
    expect(metrics).toMatch(/openclaw_gateway_slow_consumers_total\{process="gateway"\} [1-9]/);
    await Promise.all([healthy.close(), node.client.close()]);
  }, 60_000);

  it("rate limits requests per connection", async () => {
    const op = await connectOperator(wsUrl(gw), alice.accessToken);
    const replies = await Promise.all(Array.from({ length: 100 }, () => op.call("health")));
    const limited = replies.filter((r) => r.error?.details?.code === "RATE_LIMITED");
    expect(replies.filter((r) => r.ok).length).toBeGreaterThanOrEqual(40);
    expect(limited.length).toBeGreaterThan(30);
    expect(limited[0]!.error).toMatchObject({ code: "UNAVAILABLE", retryable: true, retryAfterMs: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await op.call("health")).ok).toBe(true);
    await op.close();
  });

  it("answers malformed frames with errors and closes after repeated ones", async () => {
    const op = await connectOperator(wsUrl(gw), alice.accessToken);
    const errors: string[] = [];
    op.ws.on("message", (data) => {
      const f = JSON.parse(data.toString());
      if (f.type === "res" && f.ok === false) errors.push(f.error.message);
    });
    for (const bad of ["{nope", "[1,2]", JSON.stringify({ type: "res", id: "x" }), JSON.stringify({ type: "req", id: 5, method: "health" }), "null"]) {
      op.send(bad);
    }
    expect((await op.closed).code).toBe(1008);
    expect(errors).toHaveLength(5);
    expect(errors[0]).toContain("malformed frame");
  });

  it("exposes Prometheus metrics, health and readiness", async () => {
    const base = `http://127.0.0.1:${gw.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ postgres: "ok", redis: "ok" });
    const text = await (await fetch(`${base}/metrics`)).text();
    for (const name of ["openclaw_gateway_connections", "openclaw_gateway_node_invokes_total", "openclaw_gateway_auth_failures_total",
      "openclaw_gateway_rejected_frames_total", "openclaw_db_pool_connections", "process_resident_memory_bytes"]) {
      expect(text).toContain(name);
    }
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
