// GraphQL subscriptions over graphql-ws: the topic comes from the verified token and every row
// is re-read under the subscriber's RLS, so B never receives anything of A's, not even when a
// notification about A's message is forged onto B's topic.
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../api/server.ts";
import { withUser } from "../db/tenant.ts";
import { signUp, startTestApi, type Session } from "./support/api.ts";
import { authenticatorPool, rootPool } from "./support/db.ts";

let api: ApiServer;
let alice: Session;
let bob: Session;
const root = rootPool();
const app = authenticatorPool();
const clients: Client[] = [];

beforeAll(async () => {
  api = await startTestApi();
  [alice, bob] = [await signUp(api, "sub-alice"), await signUp(api, "sub-bob")];
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await api.close();
  await Promise.all([root.end(), app.end()]);
});

function connect(token?: string): Client {
  const client = createClient({
    url: `${api.url.replace("http", "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
  clients.push(client);
  return client;
}

interface Feed {
  events: Record<string, unknown>[];
  errors: unknown[];
  stop(): void;
}

function subscribe(client: Client, query: string): Feed {
  const feed: Feed = { events: [], errors: [], stop: () => undefined };
  feed.stop = client.subscribe(
    { query },
    {
      next: (value) => (value.errors ? feed.errors.push(value.errors) : feed.events.push(value.data as Record<string, unknown>)),
      error: (error) => feed.errors.push(error),
      complete: () => undefined,
    },
  );
  return feed;
}

const until = async (check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
};

async function postMessage(session: Session, content: string): Promise<string> {
  return withUser(app, session.userId, async (tx) => {
    const conv = await tx.query<{ id: string }>(
      "insert into app_public.conversations (session_key) values ('main') on conflict (user_id, session_key) do update set title = excluded.title returning id",
    );
    const msg = await tx.query<{ id: string }>(
      "insert into app_public.messages (conversation_id, role, content) values ($1, 'user', $2) returning id",
      [conv.rows[0]!.id, content],
    );
    return msg.rows[0]!.id;
  });
}

const MY_MESSAGES = "subscription { myMessages { event message { rowId content userId } } }";

describe("subscriptions", () => {
  it("each user receives their own new messages and nothing of anyone else's, even a forged notification", async () => {
    const aliceFeed = subscribe(connect(alice.accessToken), MY_MESSAGES);
    const bobFeed = subscribe(connect(bob.accessToken), MY_MESSAGES);
    await new Promise((r) => setTimeout(r, 500)); // let both LISTENs start

    const aliceMessage = await postMessage(alice, "alice's secret plans");
    await until(() => aliceFeed.events.length >= 1);
    expect(aliceFeed.events[0]).toEqual({
      myMessages: { event: "message_created", message: { rowId: aliceMessage, content: "alice's secret plans", userId: alice.userId } },
    });

    // Forge a notification about Alice's message on Bob's topic (NOTIFY bypasses RLS).
    await root.query("select pg_notify($1, $2)", [`postgraphile:messages:${bob.userId}`, JSON.stringify({ event: "forged", id: aliceMessage })]);
    await until(() => bobFeed.events.length >= 1);
    expect(bobFeed.events).toEqual([{ myMessages: { event: "forged", message: null } }]);

    const bobMessage = await postMessage(bob, "bob's note");
    await until(() => bobFeed.events.length >= 2);
    expect(bobFeed.events[1]).toMatchObject({ myMessages: { message: { rowId: bobMessage, userId: bob.userId } } });
    expect(JSON.stringify(bobFeed.events)).not.toContain("secret plans");
    expect(aliceFeed.events).toHaveLength(1);
    aliceFeed.stop();
    bobFeed.stop();
  });

  it("device status changes reach the owner only", async () => {
    const { rows } = await root.query<{ id: string }>(
      "insert into app_public.devices (user_id, device_key_id, public_key, name, status) values ($1, $2, $3, 'laptop', 'paired') returning id",
      [alice.userId, `sub-device-${Date.now()}`, "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE="],
    );
    const query = "subscription { myDevices { event device { rowId status name } } }";
    const aliceFeed = subscribe(connect(alice.accessToken), query);
    const bobFeed = subscribe(connect(bob.accessToken), query);
    await new Promise((r) => setTimeout(r, 500));
    await withUser(app, alice.userId, (tx) => tx.query("select app_public.revoke_device($1)", [rows[0]!.id]));
    await until(() => aliceFeed.events.length >= 1);
    expect(aliceFeed.events[0]).toEqual({ myDevices: { event: "device_updated", device: { rowId: rows[0]!.id, status: "revoked", name: "laptop" } } });
    await new Promise((r) => setTimeout(r, 300));
    expect(bobFeed.events).toEqual([]);
  });

  it("anonymous subscribers and bad tokens are refused", async () => {
    const anon = subscribe(connect(), MY_MESSAGES);
    await until(() => anon.errors.length > 0);
    expect(JSON.stringify(anon.errors)).toMatch(/Sign in to subscribe/);
    const forged = subscribe(connect("not.a.token"), MY_MESSAGES);
    await until(() => forged.errors.length > 0);
    expect(forged.events).toEqual([]);
    expect(forged.errors.length).toBeGreaterThan(0);
  });
});
