// Two users each do what the product offers them through GraphQL, each with their own data:
// profile, devices, conversations and messages, memories and search, persona, custom skills,
// the store, plans, orders, quotas. Rows the gateway and worker would write are planted with a
// superuser, as those processes do not exist yet.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../api/server.ts";
import { gql, signUp, startTestApi, type Session } from "./support/api.ts";
import { rootPool } from "./support/db.ts";

let api: ApiServer;
const root = rootPool();
const users: Session[] = [];

beforeAll(async () => {
  api = await startTestApi();
  users.push(await signUp(api, "journey-ann"), await signUp(api, "journey-ben"));
  await root.query(
    `insert into app_public.plans (slug, name, max_devices, monthly_messages, monthly_tokens, storage_bytes, allowed_models, price_cents)
     values ('journey-' || floor(random() * 1e9)::text, 'Journey', 2, 100, 1000, 1000, '{local}', 500)`,
  );
});
afterAll(async () => {
  await api.close();
  await root.end();
});

async function plant(user: Session) {
  const device = await root.query<{ id: string }>(
    "insert into app_public.devices (user_id, device_key_id, public_key, name, status) values ($1, $2, $3, 'old name', 'paired') returning id",
    [user.userId, `journey-${user.userId.slice(0, 8)}-device`, "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE="],
  );
  const conv = await root.query<{ id: string }>("insert into app_public.conversations (user_id, title) values ($1, 'Trip') returning id", [user.userId]);
  await root.query("insert into app_public.messages (user_id, conversation_id, role, content) values ($1, $2, 'user', $3)", [
    user.userId,
    conv.rows[0]!.id,
    `hello from ${user.email}`,
  ]);
  const memory = await root.query<{ id: string }>(
    "insert into app_public.user_memories (user_id, content) values ($1, $2) returning id",
    [user.userId, `${user.email} prefers window seats on trains`],
  );
  return { deviceId: device.rows[0]!.id, conversationId: conv.rows[0]!.id, memoryId: memory.rows[0]!.id };
}

describe("each user's journey, side by side", () => {
  it("both users do everything with their own data and see only their own", async () => {
    for (const [i, user] of users.entries()) {
      const other = users[1 - i]!;
      const ids = await plant(user);
      const as = <T>(query: string, variables: Record<string, unknown> = {}) => gql<T>(api, query, variables, user.accessToken);

      // Profile
      const me = await as<{ currentUser: { rowId: string } }>("{ currentUser { rowId email } }");
      expect(me.data?.currentUser.rowId).toBe(user.userId);

      // Devices: list, rename, revoke
      const devices = await as<{ devices: { nodes: { rowId: string }[] } }>("{ devices { nodes { rowId name status } } }");
      expect(devices.data?.devices.nodes.map((d) => d.rowId)).toEqual([ids.deviceId]);
      const renamed = await as("mutation ($id: UUID!) { updateDevice(input: {rowId: $id, patch: {name: \"desk\"}}) { device { name } } }", { id: ids.deviceId });
      expect(renamed.errors).toBeUndefined();
      const revoked = await as<{ revokeDevice: { result: { status: string } } }>(
        "mutation ($id: UUID!) { revokeDevice(input: {deviceId: $id}) { result { status } } }",
        { id: ids.deviceId },
      );
      expect(revoked.data?.revokeDevice.result.status).toBe("revoked");

      // Conversations and messages: read, delete
      const convs = await as<{ conversations: { nodes: { rowId: string; messages: { nodes: { content: string }[] } }[] } }>(
        "{ conversations { nodes { rowId title messages { nodes { role content } } } } }",
      );
      expect(convs.data?.conversations.nodes).toHaveLength(1);
      expect(convs.data?.conversations.nodes[0]!.messages.nodes[0]!.content).toBe(`hello from ${user.email}`);

      // Memories: list, search, edit, delete
      const search = await as<{ searchMemories: { nodes: { id: string; content: string }[] } }>(
        "{ searchMemories(query: \"window seats\") { nodes { id content score } } }",
      );
      expect(search.data?.searchMemories.nodes.map((n) => n.content)).toEqual([`${user.email} prefers window seats on trains`]);
      const edited = await as("mutation ($id: UUID!) { updateUserMemory(input: {rowId: $id, patch: {content: \"prefers aisle seats\", importance: 4}}) { userMemory { content } } }", { id: ids.memoryId });
      expect(edited.errors).toBeUndefined();
      const gone = await as("mutation ($id: UUID!) { deleteUserMemory(input: {rowId: $id}) { deletedUserMemoryId } }", { id: ids.memoryId });
      expect(gone.errors).toBeUndefined();
      const deletedConv = await as("mutation ($id: UUID!) { deleteConversation(input: {rowId: $id}) { deletedConversationId } }", { id: ids.conversationId });
      expect(deletedConv.errors).toBeUndefined();

      // Persona
      const persona = await as(`mutation { createUserAssistantConfig(input: {userAssistantConfig: {assistantName: "Claw ${i}", language: "en"}}) { userAssistantConfig { assistantName } } }`);
      expect(persona.errors).toBeUndefined();

      // Custom skill, submit to the store, install from the store, uninstall
      const skill = await as<{ createUserCustomSkill: { userCustomSkill: { rowId: string } } }>(
        `mutation { createUserCustomSkill(input: {userCustomSkill: {name: "trip-planner-${i}", title: "Trip planner", description: "plans trips"}}) { userCustomSkill { rowId } } }`,
      );
      expect(skill.errors).toBeUndefined();
      const installOwn = await as<{ createInstalledSkill: { installedSkill: { rowId: string } } }>(
        "mutation ($s: UUID!) { createInstalledSkill(input: {installedSkill: {customSkillId: $s}}) { installedSkill { rowId } } }",
        { s: skill.data!.createUserCustomSkill.userCustomSkill.rowId },
      );
      expect(installOwn.errors).toBeUndefined();
      const uninstall = await as("mutation ($id: UUID!) { deleteInstalledSkill(input: {rowId: $id}) { deletedInstalledSkillId } }", {
        id: installOwn.data!.createInstalledSkill.installedSkill.rowId,
      });
      expect(uninstall.errors).toBeUndefined();
      const submitted = await as(`mutation { createStoreSkill(input: {storeSkill: {slug: "journey-${user.userId.slice(0, 8)}", title: "Trip planner"}}) { storeSkill { rowId isPublished } } }`);
      expect(submitted.errors).toBeUndefined();

      // Plans, order, quotas and usage
      const plans = await as<{ plans: { nodes: { rowId: string; slug: string }[] } }>("{ plans { nodes { rowId slug priceCents allowedModels } } }");
      const plan = plans.data!.plans.nodes.find((p) => p.slug.startsWith("journey-"))!;
      const ordered = await as<{ createOrder: { result: { status: string } } }>("mutation ($p: UUID!) { createOrder(input: {planId: $p}) { result { status amountCents } } }", { p: plan.rowId });
      expect(ordered.data?.createOrder.result.status).toBe("pending");
      const usage = await as<{ usageQuotas: { nodes: unknown[] }; usageEvents: { nodes: unknown[] } }>("{ usageQuotas { nodes { messagesUsed } } usageEvents { nodes { kind } } }");
      expect(usage.errors).toBeUndefined();

      // Nothing of the other user's is visible anywhere on the way.
      const everything = JSON.stringify(
        await as("{ devices { nodes { userId } } conversations { nodes { userId } } userMemories { nodes { userId } } orders { nodes { userId } } userCustomSkills { nodes { userId } } }"),
      );
      expect(everything).not.toContain(other.userId);
    }
  });
});
