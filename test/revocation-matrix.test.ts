// The revocation matrix: for every credential a client can hold and every event that takes
// authority back, the next use of the credential is refused and a socket opened with it closes
// within 1 s — or, where the event is not about that credential, both keep working (so a
// revocation is shown to be targeted, not a blanket sign-out). Every cell is stated below; a
// missing cell fails the suite.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../api/server.ts";
import { loadConfig, ROOT_DIR } from "../lib/config.ts";
import { createTokenService } from "../lib/tokens.ts";
import type { Gateway } from "../realtime/server.ts";
import { AUTH_FIELDS, gql, signUp, signUpAdmin, startTestApi, type Session } from "./support/api.ts";
import { rootPool } from "./support/db.ts";
import { connect, connectNode, connectOperator, newIdentity, startTestGateway, wsUrl, type DeviceIdentity, type RawClient } from "./support/gateway.ts";

const CREDENTIALS = ["access token (HTTP)", "graphql-ws subscription", "gateway operator socket", "node token", "device token"] as const;
const EVENTS = ["suspend", "role change", "logout", "own password change", "admin password reset", "device revoke", "node token revoke", "token expiry"] as const;
type Credential = (typeof CREDENTIALS)[number];
type EventName = (typeof EVENTS)[number];
/** refused: the next use fails and an open socket closes within 1 s; kept: both go on working;
 *  "refused, open stays": the next use fails, a socket it opened earlier is left alone. */
type Outcome = "refused" | "kept" | "refused, open stays";

// Node and device credentials belong to the device, not to a sign-in: signing out, changing the
// password or the role leaves them alone (the user revokes devices and node tokens explicitly).
// A node token only admits enrolment: once it expires no new device enrols with it, but a node
// it already admitted is that device's connection (it holds its own device token) and stays.
// Device tokens do not expire (they end by revocation), so their expiry cell tests that an access
// token's expiry leaves them alone.
const MATRIX: Record<EventName, Record<Credential, Outcome>> = {
  suspend: { "access token (HTTP)": "refused", "graphql-ws subscription": "refused", "gateway operator socket": "refused", "node token": "refused", "device token": "refused" },
  "role change": { "access token (HTTP)": "refused", "graphql-ws subscription": "refused", "gateway operator socket": "refused", "node token": "kept", "device token": "kept" },
  logout: { "access token (HTTP)": "refused", "graphql-ws subscription": "refused", "gateway operator socket": "refused", "node token": "kept", "device token": "kept" },
  "own password change": { "access token (HTTP)": "refused", "graphql-ws subscription": "refused", "gateway operator socket": "refused", "node token": "kept", "device token": "kept" },
  "admin password reset": { "access token (HTTP)": "refused", "graphql-ws subscription": "refused", "gateway operator socket": "refused", "node token": "kept", "device token": "kept" },
  "device revoke": { "access token (HTTP)": "kept", "graphql-ws subscription": "kept", "gateway operator socket": "kept", "node token": "kept", "device token": "refused" },
  "node token revoke": { "access token (HTTP)": "kept", "graphql-ws subscription": "kept", "gateway operator socket": "kept", "node token": "refused", "device token": "kept" },
  "token expiry": { "access token (HTTP)": "refused", "graphql-ws subscription": "refused", "gateway operator socket": "refused", "node token": "refused, open stays", "device token": "kept" },
};

const CLOSE_WITHIN_MS = 1000;
const config = loadConfig();
const root = rootPool();
let api: ApiServer;
let gw: Gateway;
let admin: Session;
const clients: Client[] = [];
const sockets: RawClient[] = [];

beforeAll(async () => {
  api = await startTestApi();
  gw = await startTestGateway();
  admin = await signUpAdmin(api, root, "matrix-admin");
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await Promise.all(sockets.map((s) => s.close()));
  await gw?.close();
  await api?.close();
  await root.end();
});

/** An open socket: when it closed (ms since epoch) or null. */
interface Watched {
  closedAt: number | null;
  code: number | null;
}

interface Subject {
  user: Session;
  /** The sign-in whose credentials are under test (the event ends it or spares it). */
  session: Session;
  accessToken: string;
  nodeToken: string;
  nodeTokenId: string;
  deviceId: string;
  deviceToken: string;
  deviceIdentity: DeviceIdentity;
  /** When the access token under test expires. */
  expiresAt: number;
  open: Record<Exclude<Credential, "access token (HTTP)">, Watched>;
}

function watchRaw(client: RawClient): Watched {
  const w: Watched = { closedAt: null, code: null };
  sockets.push(client);
  void client.closed.then(({ code }) => Object.assign(w, { closedAt: Date.now(), code }));
  return w;
}

async function subscription(token: string): Promise<{ watched: Watched; ready: Promise<void> }> {
  const watched: Watched = { closedAt: null, code: null };
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  const client = createClient({
    url: `${api.url.replace("http", "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    on: {
      connected: () => resolveReady(),
      closed: (event) => {
        if (watched.closedAt === null) Object.assign(watched, { closedAt: Date.now(), code: (event as { code?: number }).code ?? null });
      },
    },
  });
  clients.push(client);
  client.subscribe({ query: "subscription { myDevices { event } }" }, { next: () => undefined, error: () => undefined, complete: () => undefined });
  return { watched, ready };
}

async function login(user: Session): Promise<Session> {
  const r = await gql<{ login: Session }>(api, `mutation ($i: LoginInput!) { login(input: $i) { ${AUTH_FIELDS} } }`, {
    i: { email: user.email, password: user.password },
  });
  if (!r.data?.login) throw new Error(`login failed: ${JSON.stringify(r.errors)}`);
  return { ...user, ...r.data.login };
}

const sessionOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).sid as string;

/** A user with every credential live: a second sign-in's access token over HTTP, a subscription
 *  and an operator socket; a node connected with a node token; another with its device token. */
async function subject(event: EventName): Promise<Subject> {
  const label = `matrix-${event.replace(/\s+/g, "-")}`;
  const user = event === "role change" ? await signUpAdmin(api, root, label) : await signUp(api, label);
  let session = await login(user);
  const issued = await gql<{ issueNodeToken: { result: { rowId: string; secret: string } } }>(
    api, 'mutation { issueNodeToken(input: {label: "matrix", autoApprove: true}) { result { rowId secret } } }', {}, user.accessToken,
  );
  const { rowId: nodeTokenId, secret: nodeToken } = issued.data!.issueNodeToken.result;
  const deviceIdentity = newIdentity();
  const enrolled = await connectNode(wsUrl(gw), { identity: deviceIdentity, auth: { token: nodeToken } });
  const deviceToken = enrolled.hello.auth.deviceToken as string;
  await enrolled.client.close();
  const byDevice = await connectNode(wsUrl(gw), { identity: deviceIdentity, auth: { deviceToken } });
  const byNodeToken = await connectNode(wsUrl(gw), { identity: newIdentity(), auth: { token: nodeToken } });
  const { rows } = await root.query<{ id: string }>("select id from app_public.devices where user_id = $1 and device_key_id = $2", [user.userId, deviceIdentity.id]);
  let accessToken = session.accessToken;
  let expiresAt = Date.parse((session as Session & { accessTokenExpiresAt: string }).accessTokenExpiresAt);
  if (event === "token expiry") {
    // The same sign-in, with an access token that lives 3 s.
    const short = await createTokenService({ ...config, auth: { ...config.auth, accessTokenTtlSeconds: 3 } });
    const signed = await short.sign({ userId: user.userId, role: "user", sessionId: sessionOf(session.accessToken) });
    accessToken = signed.token;
    expiresAt = signed.expiresAt.getTime();
    session = { ...session, accessToken };
  }
  const sub = await subscription(accessToken);
  await sub.ready;
  const operator = await connectOperator(wsUrl(gw), accessToken);
  return {
    user, session, accessToken, nodeToken, nodeTokenId, deviceId: rows[0]!.id, deviceToken, deviceIdentity, expiresAt,
    open: {
      "graphql-ws subscription": sub.watched,
      "gateway operator socket": watchRaw(operator),
      "node token": watchRaw(byNodeToken.client),
      "device token": watchRaw(byDevice.client),
    },
  };
}

/** Takes the authority back; resolves when the taking has been acknowledged. */
async function fire(event: EventName, s: Subject): Promise<void> {
  const asAdmin = (q: string, v: Record<string, unknown>) => gql(api, q, v, admin.accessToken);
  const asUser = (q: string, v: Record<string, unknown> = {}) => gql(api, q, v, s.user.accessToken);
  let r;
  switch (event) {
    case "suspend":
      r = await asAdmin("mutation ($u: UUID!) { adminSetUserStatus(input: {userId: $u, status: suspended, reason: \"matrix\"}) { result { status } } }", { u: s.user.userId });
      break;
    case "role change":
      r = await asAdmin("mutation ($u: UUID!) { adminSetUserRole(input: {userId: $u, role: user}) { result { role } } }", { u: s.user.userId });
      break;
    case "logout":
      r = await gql(api, "mutation ($t: String!) { logout(input: {refreshToken: $t}) { success } }", { t: s.session.refreshToken });
      break;
    case "own password change":
      // From the first sign-in: it stays, every other one ends.
      r = await asUser("mutation ($o: String!) { changePassword(input: {oldPassword: $o, newPassword: \"a brand new password\"}) { success } }", { o: s.user.password });
      break;
    case "admin password reset": {
      const cli = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT_DIR, "scripts", "admin.ts"), "reset-password", s.user.email], { encoding: "utf8", env: process.env });
      expect(cli.status, cli.stderr).toBe(0);
      return;
    }
    case "device revoke":
      r = await asAdmin("mutation ($d: UUID!) { adminRevokeDevice(input: {deviceId: $d}) { result { status } } }", { d: s.deviceId });
      break;
    case "node token revoke":
      r = await asUser("mutation ($t: UUID!) { revokeNodeToken(input: {nodeTokenId: $t}) { result { revokedAt } } }", { t: s.nodeTokenId });
      break;
    case "token expiry":
      // Nothing is done: the node token reaches its expiry, and the short access token runs out.
      await root.query("update app_public.node_tokens set expires_at = now() where id = $1", [s.nodeTokenId]);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, s.expiresAt - Date.now())));
      return;
  }
  expect(r.errors, `${event}: ${JSON.stringify(r.errors)}`).toBeUndefined();
}

/** The next use of each credential: true when it was accepted. */
async function nextUse(credential: Credential, s: Subject): Promise<boolean> {
  switch (credential) {
    case "access token (HTTP)": {
      const r = await gql<{ currentUser: { rowId: string } | null }>(api, "{ currentUser { rowId } }", {}, s.accessToken);
      if (r.status === 401) return false;
      return r.data?.currentUser?.rowId === s.user.userId;
    }
    case "graphql-ws subscription": {
      const sub = await subscription(s.accessToken);
      const outcome = await Promise.race([sub.ready.then(() => "open"), new Promise((r) => setTimeout(() => r("timeout"), 3000))]);
      if (outcome !== "open") return false;
      // Accepted at connect; a refused token closes the socket at its first subscribe.
      await new Promise((r) => setTimeout(r, 300));
      return sub.watched.closedAt === null;
    }
    case "gateway operator socket": {
      const { client, res } = await connect(wsUrl(gw), { role: "operator", auth: { token: s.accessToken } });
      sockets.push(client);
      return res.ok === true;
    }
    case "node token": {
      const { client, res } = await connect(wsUrl(gw), { role: "node", identity: newIdentity(), auth: { token: s.nodeToken } });
      sockets.push(client);
      return res.ok === true;
    }
    case "device token": {
      const { client, res } = await connect(wsUrl(gw), { role: "node", identity: s.deviceIdentity, auth: { deviceToken: s.deviceToken } });
      sockets.push(client);
      return res.ok === true;
    }
  }
}

describe("revocation matrix", () => {
  it("states an outcome for every credential and every event", () => {
    for (const event of EVENTS) for (const credential of CREDENTIALS) expect(MATRIX[event]?.[credential], `${event} × ${credential}`).toMatch(/^(refused|kept|refused, open stays)$/);
    expect(Object.keys(MATRIX).sort()).toEqual([...EVENTS].sort());
  });

  for (const event of EVENTS) {
    it(`${event}: every credential is refused or kept as stated; refused sockets close within ${CLOSE_WITHIN_MS} ms`, async () => {
      const s = await subject(event);
      await fire(event, s);
      // An expiry happens at the token's expiry time, not when the test noticed it.
      const doneAt = event === "token expiry" ? s.expiresAt : Date.now();
      const expectedClosed = (Object.keys(s.open) as (keyof Subject["open"])[]).filter((c) => MATRIX[event][c] === "refused");
      const deadline = doneAt + CLOSE_WITHIN_MS + 2000;
      while (Date.now() < deadline && expectedClosed.some((c) => s.open[c].closedAt === null)) await new Promise((r) => setTimeout(r, 20));
      for (const credential of Object.keys(s.open) as (keyof Subject["open"])[]) {
        const w = s.open[credential];
        if (process.env.MATRIX_REPORT) console.log(`${event} × ${credential}: ${w.closedAt === null ? "open" : `closed ${w.closedAt - doneAt} ms after`}`);
        if (MATRIX[event][credential] === "refused") {
          expect.soft(w.closedAt, `${event} × ${credential}: the open socket closes`).not.toBeNull();
          if (w.closedAt !== null) expect.soft(w.closedAt - doneAt, `${event} × ${credential}: closed within ${CLOSE_WITHIN_MS} ms`).toBeLessThanOrEqual(CLOSE_WITHIN_MS);
        } else {
          expect.soft(w.closedAt, `${event} × ${credential}: the open socket stays`).toBeNull();
        }
      }
      // The HTTP verifier allows 5 s of clock skew between hosts.
      if (event === "token expiry") await new Promise((r) => setTimeout(r, Math.max(0, s.expiresAt + 5_500 - Date.now())));
      for (const credential of CREDENTIALS) {
        const accepted = await nextUse(credential, s);
        expect.soft(accepted ? "kept" : "refused", `${event} × ${credential}: next use`).toBe(MATRIX[event][credential] === "kept" ? "kept" : "refused");
      }
      if (event === "own password change") {
        // The sign-in that changed the password goes on.
        const r = await gql<{ currentUser: { rowId: string } }>(api, "{ currentUser { rowId } }", {}, s.user.accessToken);
        expect(r.data?.currentUser.rowId).toBe(s.user.userId);
      }
    }, 60_000);
  }
});
