// The OpenClaw handshake as the real clients expect it, and every way a connect can be refused:
// each refusal carries the documented details.code and close code.
import { spawn } from "node:child_process";
import { HelloOkSchema } from "@openclaw/gateway-protocol";
import { Value } from "typebox/value";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../api/server.ts";
import { loadConfig, ROOT_DIR } from "../lib/config.ts";
import { createTokenService } from "../lib/tokens.ts";
import type { Gateway } from "../realtime/server.ts";
import { isNativeUws } from "../realtime/uws.ts";
import { gql, signUp, startTestApi, type Session } from "./support/api.ts";
import { rootPool } from "./support/db.ts";
import { connect, connectNode, connectParams, newIdentity, RawClient, startTestGateway, wsUrl, type Frame } from "./support/gateway.ts";
import { issueNodeToken } from "./support/nodes.ts";

let api: ApiServer;
let gw: Gateway;
let alice: Session;
let bob: Session;
const root = rootPool();

beforeAll(async () => {
  api = await startTestApi();
  gw = await startTestGateway();
  alice = await signUp(api, "gw-alice");
  bob = await signUp(api, "gw-bob");
});

afterAll(async () => {
  await gw?.close();
  await api?.close();
  await root.end();
});

function expectRefused(res: Frame, code: string, detailsCode: string): void {
  expect(res.ok).toBe(false);
  expect(res.error?.code).toBe(code);
  expect(res.error?.details?.code).toBe(detailsCode);
}

describe("uWebSockets.js", () => {
  it("runs the native binary", () => {
    expect(isNativeUws()).toBe(true);
  });

  it("refuses to start on the pure-JS fallback unless told it may", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "realtime/server.ts"], {
      cwd: ROOT_DIR,
      env: { ...process.env, UWS_USE_FALLBACK: "1", GATEWAY_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(out).toContain("pure-JS fallback");
  });
});

describe("handshake", () => {
  it("challenges on open, answers connect with a schema-valid hello-ok, numbers events and ticks", async () => {
    const fast = await startTestGateway({ tickIntervalMs: 200 });
    try {
      const client = await RawClient.open(wsUrl(fast));
      const challenge = client.events[0]!;
      expect(challenge.event).toBe("connect.challenge");
      expect(challenge.seq).toBeUndefined();
      expect(typeof challenge.payload.nonce).toBe("string");
      expect(Number.isInteger(challenge.payload.ts)).toBe(true);
      const res = await client.call("connect", connectParams(client, { auth: { token: alice.accessToken } }));
      expect(res.ok).toBe(true);
      expect(Value.Check(HelloOkSchema as never, res.payload)).toBe(true);
      expect(res.payload.protocol).toBe(4);
      expect(res.payload.policy).toMatchObject({ tickIntervalMs: 200, maxPayload: 26214400, maxBufferedBytes: 52428800 });
      expect(res.payload.auth).toEqual({ role: "operator", scopes: ["operator.read", "operator.write", "operator.pairing"] });
      expect(res.payload.features.methods).toEqual(expect.arrayContaining(["health", "node.list", "node.describe", "node.invoke"]));
      await client.nextEvent("tick", 2000, () => client.events.filter((e) => e.event === "tick").length >= 3);
      const seqs = client.events.filter((e) => e.event !== "connect.challenge").map((e) => e.seq);
      expect(seqs.slice(0, 3)).toEqual([1, 2, 3]);
      expect(typeof (await client.request("health")).ts).toBe("number");
      await client.close();
    } finally {
      await fast.close();
    }
  });

  it("closes 1008 when the first request is not connect", async () => {
    const client = await RawClient.open(wsUrl(gw));
    const res = await client.call("node.list");
    expectRefused(res, "INVALID_REQUEST", "INVALID_HANDSHAKE");
    expect((await client.closed).code).toBe(1008);
  });

  it("closes 1008 on a malformed first frame and 1009 on an oversized one", async () => {
    const a = await RawClient.open(wsUrl(gw));
    a.send("{not json");
    expect((await a.closed).code).toBe(1008);
    const b = await RawClient.open(wsUrl(gw));
    b.send(JSON.stringify({ type: "req", id: "1", method: "connect", params: { pad: "x".repeat(70 * 1024) } }));
    expect((await b.closed).code).toBe(1009);
  });

  it("gives up on a socket that never sends connect", async () => {
    const slow = await startTestGateway({ handshakeTimeoutMs: 300 });
    try {
      const client = await RawClient.open(wsUrl(slow));
      const closed = await client.closed;
      expect(closed).toEqual({ code: 1008, reason: "handshake timeout" });
    } finally {
      await slow.close();
    }
  });

  it("answers a protocol mismatch with PROTOCOL_MISMATCH and close 1002", async () => {
    const client = await RawClient.open(wsUrl(gw));
    const res = await client.call("connect", {
      ...connectParams(client, { auth: { token: alice.accessToken } }),
      minProtocol: 5,
      maxProtocol: 6,
    });
    expectRefused(res, "INVALID_REQUEST", "PROTOCOL_MISMATCH");
    expect(res.error?.details?.expectedProtocol).toBe(4);
    expect((await client.closed).code).toBe(1002);
  });

  it("refuses connect params that break the published schema", async () => {
    const { client, res } = await connect(wsUrl(gw), { auth: { token: alice.accessToken }, clientId: "not-a-client" });
    expectRefused(res, "INVALID_REQUEST", "INVALID_CONNECT_PARAMS");
    expect((await client.closed).code).toBe(1008);
  });
});

describe("bad credentials", () => {
  it("operator: garbage, expired, missing and suspended-account tokens", async () => {
    const config = loadConfig();
    const expiring = await createTokenService({ ...config, auth: { ...config.auth, accessTokenTtlSeconds: 1 } });
    const { rows } = await root.query<{ id: string }>("insert into app_private.sessions (user_id) values ($1) returning id", [alice.userId]);
    const { token: expired } = await expiring.sign({ userId: alice.userId, role: "user", sessionId: rows[0]!.id });

    let r = await connect(wsUrl(gw), { auth: { token: "not-a-jwt-" + Date.now() } });
    expectRefused(r.res, "INVALID_REQUEST", "AUTH_TOKEN_MISMATCH");
    expect((await r.client.closed).code).toBe(1008);

    await new Promise((resolve) => setTimeout(resolve, 7_000)); // past expiry and the 5 s clock tolerance
    r = await connect(wsUrl(gw), { auth: { token: expired } });
    expectRefused(r.res, "INVALID_REQUEST", "AUTH_TOKEN_MISMATCH");
    expect(r.res.error?.details?.authReason).toBe("token_expired");

    r = await connect(wsUrl(gw), { auth: {} });
    expectRefused(r.res, "INVALID_REQUEST", "AUTH_TOKEN_MISSING");

    const carol = await signUp(api, "gw-carol");
    await root.query("update app_public.users set status = 'suspended' where id = $1", [carol.userId]);
    r = await connect(wsUrl(gw), { auth: { token: carol.accessToken } });
    expectRefused(r.res, "INVALID_REQUEST", "AUTH_TOKEN_MISMATCH");
  }, 20_000);

  it("node: signature, nonce, clock, device id, identity, device token and revoked token", async () => {
    const token = await issueNodeToken(api, alice, true);
    const me = newIdentity();
    const cases: Array<[string, Parameters<typeof connect>[1], string, string]> = [
      ["no device identity", { role: "node", auth: { token } }, "NOT_PAIRED", "DEVICE_IDENTITY_REQUIRED"],
      ["bad signature", { role: "node", auth: { token }, identity: me, sign: { corrupt: true } }, "INVALID_REQUEST", "DEVICE_AUTH_SIGNATURE_INVALID"],
      ["stale nonce", { role: "node", auth: { token }, identity: me, sign: { nonce: "an-older-sockets-nonce" } }, "INVALID_REQUEST", "DEVICE_AUTH_NONCE_MISMATCH"],
      ["old signature", { role: "node", auth: { token }, identity: me, sign: { signedAt: Date.now() - 600_000 } }, "INVALID_REQUEST", "DEVICE_AUTH_SIGNATURE_EXPIRED"],
      ["wrong device id", { role: "node", auth: { token }, identity: me, sign: { id: newIdentity().id } }, "INVALID_REQUEST", "DEVICE_AUTH_DEVICE_ID_MISMATCH"],
      ["unknown node token", { role: "node", auth: { token: "oc_node_" + "0".repeat(48) }, identity: me }, "INVALID_REQUEST", "AUTH_TOKEN_MISMATCH"],
    ];
    for (const [label, options, code, detailsCode] of cases) {
      const { client, res } = await connect(wsUrl(gw), options);
      expect.soft(res.error?.details?.code, label).toBe(detailsCode);
      expect.soft(res.error?.code, label).toBe(code);
      expect.soft((await client.closed).code, label).toBe(1008);
    }

    // Alice's node gets a device token; Bob's device presenting it is refused, Alice's own is accepted.
    const first = await connectNode(wsUrl(gw), { identity: me, auth: { token } });
    const deviceToken = first.hello.auth.deviceToken as string;
    expect(deviceToken).toMatch(/^oc_dev_[0-9a-f]{64}$/);
    await first.client.close();
    const bobs = await connect(wsUrl(gw), { role: "node", auth: { deviceToken }, identity: newIdentity() });
    expectRefused(bobs.res, "INVALID_REQUEST", "AUTH_DEVICE_TOKEN_MISMATCH");
    expect((await bobs.client.closed).reason).toContain("device token mismatch");
    const again = await connectNode(wsUrl(gw), { identity: me, auth: { deviceToken } });
    expect(again.hello.auth.role).toBe("node");
    await again.client.close();

    // A revoked node token is refused with the code that makes the node host stop.
    await gql(api, "mutation ($id: UUID!) { revokeNodeToken(input: {nodeTokenId: $id}) { result { rowId } } }",
      { id: await tokenId(token) }, alice.accessToken);
    const revoked = await connect(wsUrl(gw), { role: "node", auth: { token }, identity: newIdentity() });
    expectRefused(revoked.res, "INVALID_REQUEST", "AUTH_TOKEN_MISMATCH");
    expect((await revoked.client.closed).code).toBe(1008);
  }, 20_000);

  it("locks out an IP and credential after repeated failures", async () => {
    const bad = "locked-out-token-" + Date.now();
    const codes: string[] = [];
    for (let i = 0; i < 11; i++) {
      const { res } = await connect(wsUrl(gw), { auth: { token: bad } });
      codes.push(res.error?.details?.code);
    }
    expect(codes.slice(0, 10).every((c) => c === "AUTH_TOKEN_MISMATCH")).toBe(true);
    expect(codes[10]).toBe("AUTH_RATE_LIMITED");
    // A different credential from the same IP is not locked out.
    const ok = await connect(wsUrl(gw), { auth: { token: bob.accessToken } });
    expect(ok.res.ok).toBe(true);
    await ok.client.close();
  });
});

async function tokenId(secret: string): Promise<string> {
  const r = await root.query<{ node_token_id: string }>(
    "select node_token_id from app_private.node_token_secrets where token_hash = digest($1, 'sha256')",
    [secret],
  );
  return r.rows[0]!.node_token_id;
}
