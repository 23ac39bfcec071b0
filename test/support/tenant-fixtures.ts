// One fixture per table and view in the exposed schemas. The isolation suite (isolation.ts)
// lists relations from pg_catalog at run time; a relation with no entry here fails the suite,
// so a new table cannot ship without an isolation test.
//
// kind "tenant":     rows belong to the user in `owner`; other users and anonymous see none.
// kind "global":     shared rows, written only by admins; `row` builds a row that non-admins must
//                    not see (inactive plan, private setting...) unless `public` says all are public.
// kind "admin-only": only admins read it; nobody else may write it through the API roles.
import { randomUUID } from "node:crypto";

export interface FixtureContext {
  /** The owner of the row being built (null for global rows). */
  userId: string | null;
  /** A fresh number for unique values. */
  n: number;
  /** Id of a row in another table belonging to the same owner (or global), created on first use. */
  ref(table: string): Promise<string>;
  /** Like ref, but always a new parent row (for parents that may hold one child per owner). */
  create(table: string): Promise<string>;
}

export interface TableFixture {
  kind: "tenant" | "global" | "admin-only";
  /** Owner column for tenant tables (default user_id). */
  owner?: string;
  /** Key column (default id). */
  key?: string;
  /** Global tables whose rows are all meant to be readable by everyone. */
  public?: boolean;
  /** One row per owner at most: the positive insert check first removes the owner's row. */
  singleton?: boolean;
  /** The change the owner's positive update check makes (default: first updatable column to itself). */
  ownUpdate?: Record<string, unknown>;
  /** For tables whose owner row is not inserted (users): the key of the owner's row. */
  existing?: (ctx: FixtureContext) => string;
  row(ctx: FixtureContext): Promise<Record<string, unknown>> | Record<string, unknown>;
}

const hex64 = (n: number) => n.toString(16).padStart(64, "0");
const keyId = (n: number) => `device-key-${String(n).padStart(8, "0")}`;
const PUBLIC_KEY = "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=";
const later = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

export const fixtures: Record<string, TableFixture> = {
  "app_public.users": {
    kind: "tenant",
    owner: "id",
    existing: (ctx) => ctx.userId!,
    row: (ctx) => ({ id: ctx.userId ?? randomUUID(), email: `x${ctx.n}@example.test`, display_name: "x" }),
  },
  "app_public.devices": {
    kind: "tenant",
    row: (ctx) => ({ user_id: ctx.userId, device_key_id: keyId(ctx.n), public_key: PUBLIC_KEY, name: `device ${ctx.n}` }),
  },
  "app_public.node_tokens": {
    kind: "tenant",
    row: (ctx) => ({ user_id: ctx.userId, label: `token ${ctx.n}` }),
  },
  "app_public.device_pairing_requests": {
    kind: "tenant",
    row: async (ctx) => ({
      user_id: ctx.userId,
      node_token_id: await ctx.ref("app_public.node_tokens"),
      device_key_id: keyId(ctx.n),
      public_key: PUBLIC_KEY,
      name: `new device ${ctx.n}`,
    }),
  },
  "app_public.device_pairing_codes": {
    kind: "tenant",
    row: async (ctx) => ({ user_id: ctx.userId, device_id: await ctx.ref("app_public.devices") }),
  },
  "app_public.conversations": {
    kind: "tenant",
    row: (ctx) => ({ user_id: ctx.userId, session_key: `session-${ctx.n}`, title: "a chat" }),
  },
  "app_public.messages": {
    kind: "tenant",
    row: async (ctx) => ({
      user_id: ctx.userId,
      conversation_id: await ctx.ref("app_public.conversations"),
      role: "user",
      content: `hello ${ctx.n}`,
    }),
  },
  "app_public.conversation_summaries": {
    kind: "tenant",
    row: async (ctx) => ({
      user_id: ctx.userId,
      conversation_id: await ctx.ref("app_public.conversations"),
      up_to_message_id: await ctx.ref("app_public.messages"),
      message_count: 1,
      summary: "they said hello",
    }),
  },
  "app_public.user_memories": {
    kind: "tenant",
    row: async (ctx) => ({
      user_id: ctx.userId,
      content: `likes green tea ${ctx.n}`,
      source_message_id: await ctx.ref("app_public.messages"),
    }),
  },
  "app_public.user_memory_revisions": {
    kind: "tenant",
    row: async (ctx) => ({
      user_id: ctx.userId,
      memory_id: await ctx.ref("app_public.user_memories"),
      kind: "fact",
      content: `used to like black tea ${ctx.n}`,
      source_message_id: await ctx.ref("app_public.messages"),
    }),
  },
  "app_public.user_files": {
    kind: "tenant",
    row: (ctx) => ({
      user_id: ctx.userId,
      object_key: `users/${ctx.userId ?? "none"}/files/${ctx.n}`,
      filename: `notes-${ctx.n}.txt`,
      mime_type: "text/plain",
      size_bytes: 5,
    }),
  },
  "app_public.file_chunks": {
    kind: "tenant",
    row: async (ctx) => ({
      user_id: ctx.userId,
      file_id: await ctx.ref("app_public.user_files"),
      chunk_index: ctx.n,
      content: `chunk ${ctx.n}`,
    }),
  },
  "app_public.user_custom_skills": {
    kind: "tenant",
    row: (ctx) => ({ user_id: ctx.userId, name: `skill-${ctx.n}`, title: `Skill ${ctx.n}` }),
  },
  "app_public.user_custom_skill_versions": {
    kind: "tenant",
    row: async (ctx) => ({
      user_id: ctx.userId,
      skill_id: await ctx.ref("app_public.user_custom_skills"),
      version: `1.0.${ctx.n % 100000}`,
      object_key: `users/${ctx.userId ?? "none"}/skills/${ctx.n}.zip`,
      size_bytes: 10,
    }),
  },
  "app_public.store_skills": {
    kind: "tenant",
    owner: "author_id",
    row: (ctx) => ({ author_id: ctx.userId, slug: `store-skill-${ctx.n}`, title: `Store skill ${ctx.n}` }),
  },
  "app_public.store_skill_versions": {
    kind: "tenant",
    owner: "author_id",
    // A copy of one of the author's own packages (the insert policy insists on it).
    row: async (ctx) => {
      const source = await ctx.ref("app_public.user_custom_skill_versions");
      return {
        author_id: ctx.userId,
        store_skill_id: await ctx.ref("app_public.store_skills"),
        source_version_id: source,
        version: `2.0.${ctx.n % 100000}`,
        object_key: `users/${ctx.userId ?? "none"}/skills/store-${source}.zip`,
        sha256: hex64(ctx.n),
      };
    },
    // Authors may only withdraw a pending version; review is the admins' job.
    ownUpdate: { review_state: "withdrawn" },
  },
  "app_public.installed_skills": {
    kind: "tenant",
    row: async (ctx) => ({ user_id: ctx.userId, custom_skill_id: await ctx.create("app_public.user_custom_skills") }),
  },
  "app_public.user_assistant_configs": {
    kind: "tenant",
    key: "user_id",
    singleton: true,
    row: (ctx) => ({ user_id: ctx.userId, assistant_name: "Nova", instructions: "be brief" }),
  },
  "app_public.subscriptions": {
    kind: "tenant",
    singleton: true,
    row: async (ctx) => ({ user_id: ctx.userId, plan_id: await ctx.ref("app_public.plans"), current_period_end: later(30) }),
  },
  "app_public.orders": {
    kind: "tenant",
    row: async (ctx) => ({ user_id: ctx.userId, plan_id: await ctx.ref("app_public.plans"), amount_cents: 500, currency: "USD" }),
  },
  "app_public.usage_quotas": {
    kind: "tenant",
    row: (ctx) => ({
      user_id: ctx.userId,
      period_start: new Date(Date.UTC(2000, 0, 1) + ctx.n * 86_400_000).toISOString(),
      period_end: new Date(Date.UTC(2000, 0, 2) + ctx.n * 86_400_000).toISOString(),
      messages_limit: 100,
      tokens_limit: 1000,
      storage_bytes_limit: 1000,
      devices_limit: 2,
    }),
  },
  "app_public.usage_events": {
    kind: "tenant",
    row: (ctx) => ({ user_id: ctx.userId, kind: "message", amount: 1 }),
  },
  "app_public.approvals": {
    kind: "tenant",
    row: async (ctx) => ({
      user_id: ctx.userId,
      device_id: await ctx.ref("app_public.devices"),
      conversation_id: await ctx.ref("app_public.conversations"),
      command: "system.run",
      params: JSON.stringify({ command: ["ls"] }),
    }),
  },
  "app_public.plans": {
    kind: "global",
    row: (ctx) => ({
      slug: `hidden-plan-${ctx.n}`,
      name: "Retired plan",
      max_devices: 1,
      monthly_messages: 10,
      monthly_tokens: 1000,
      storage_bytes: 1000,
      is_active: false,
    }),
  },
  "app_public.skill_categories": {
    kind: "global",
    public: true,
    row: (ctx) => ({ slug: `category-${ctx.n}`, name: `Category ${ctx.n}` }),
  },
  "app_public.system_configs": {
    kind: "global",
    key: "key",
    row: (ctx) => ({ key: `test.private_${ctx.n}`, value: JSON.stringify({ secret: true }), is_public: false }),
  },
  "app_public.coupons": {
    kind: "global",
    row: (ctx) => ({ code: `SAVE-${ctx.n}`, percent_off: 10 }),
  },
  "app_public.audit_log": {
    kind: "admin-only",
    row: (ctx) => ({ actor_role: "test", action: `test.seed_${ctx.n}`, details: JSON.stringify({}) }),
  },
};
