// What a turn knows, read fresh at the start of every turn (so a persona or skill change made
// through the API applies from the next turn on every gateway, with nothing cached to go stale):
// the persona and model choice, the plan's allowed models, the sensitive-command lists, the
// device roster, the memories most relevant to this message, the conversation's latest summary,
// the installed skills and the recent messages of the session.
import type pg from "pg";
import { withUser } from "../db/tenant.ts";
import type { AgentConfig, ProviderName } from "../lib/config.ts";
import type { Embedder } from "../lib/embeddings/index.ts";
import { searchMemories, type MemoryHit } from "../db/search.ts";
import type { AgentMessage } from "./providers/types.ts";
import { deviceViews, type DeviceAccess, type DeviceView, type SkillEntry } from "./tools.ts";

export const DEFAULT_SENSITIVE_COMMANDS = ["system.run"];

export interface Persona {
  assistantName: string;
  tone: string;
  language: string;
  instructions: string;
}

export interface TurnContext {
  persona: Persona;
  provider: ProviderName;
  model: string | null;
  allowedModels: string[];
  sensitiveCommands: Set<string>;
  roster: DeviceView[];
  memories: MemoryHit[];
  summary: string | null;
  skills: SkillEntry[];
  history: AgentMessage[];
}

interface ConfigRow {
  assistant_name: string | null;
  tone: string | null;
  language: string | null;
  instructions: string | null;
  provider: ProviderName | null;
  model: string | null;
  user_sensitive: string[] | null;
  admin_sensitive: unknown;
  allowed_models: string[] | null;
  summary: string | null;
}

/** A skill as the context offers it: name, description, and SKILL.md's body when loaded. */
export interface SkillSource {
  name: string;
  description: string;
  instructions: string | null;
}

export interface ContextOptions {
  pool: pg.Pool;
  embedder: Embedder;
  devices: DeviceAccess;
  agent: AgentConfig;
  userId: string;
  conversationId: string;
  /** The message this turn answers (and its id, left out of the history). */
  message: string;
  messageId: string;
  /** A skill test run: only this skill, instead of the installed ones. */
  onlySkill?: SkillSource;
}

export async function loadTurnContext(o: ContextOptions): Promise<TurnContext> {
  const [db, roster, memories] = await Promise.all([
    withUser(o.pool, o.userId, async (tx) => {
      const config = (await tx.query<ConfigRow>(
        `select c.assistant_name, c.tone, c.language, c.instructions, c.provider, c.model, c.sensitive_commands as user_sensitive,
                (select value from app_public.system_configs where key = 'agent.sensitive_commands') as admin_sensitive,
                app_public.allowed_models() as allowed_models,
                (select summary from app_public.conversation_summaries
                  where conversation_id = $1 order by created_at desc limit 1) as summary
           from (select 1) one
           left join app_public.user_assistant_configs c on c.user_id = app_public.current_user_id()`,
        [o.conversationId],
      )).rows[0]!;
      const skills = o.onlySkill ? [o.onlySkill] : (await tx.query<SkillSource>(
        `select coalesce(v.manifest ->> 'name', cs.name, ss.slug) as name,
                coalesce(v.manifest ->> 'description', cs.description, ss.description) as description,
                v.manifest ->> 'instructions' as instructions
           from app_public.installed_skills i
           left join app_public.user_custom_skills cs on cs.id = i.custom_skill_id
           left join app_public.store_skills ss on ss.id = i.store_skill_id
           left join lateral (
             select cv.manifest from app_public.user_custom_skill_versions cv
              where cv.skill_id = cs.id and cv.status = 'valid' order by cv.created_at desc limit 1) cvm on true
           left join lateral (
             select sv.manifest from app_public.store_skill_versions sv
              where sv.store_skill_id = ss.id and sv.review_state = 'approved'
                and (i.store_skill_version_id is null or sv.id = i.store_skill_version_id)
              order by sv.created_at desc limit 1) svm on true
           cross join lateral (select coalesce(cvm.manifest, svm.manifest) as manifest) v
          where i.enabled
          order by i.installed_at`,
      )).rows;
      const history = o.agent.historyMessages === 0 ? [] : (await tx.query<{ role: string; content: string }>(
        // A turn's question and answer share created_at (one transaction): role orders them.
        `select role, content from (
           select role, content, created_at from app_public.messages
            where conversation_id = $1 and id <> $2 and role in ('user', 'assistant') and content <> ''
            order by created_at desc, role desc limit $3) recent
          order by created_at, role`,
        [o.conversationId, o.messageId, o.agent.historyMessages],
      )).rows;
      return { config, skills, history };
    }),
    deviceViews(o.devices, o.userId),
    searchMemories(o.pool, o.userId, o.embedder, o.message, 5).catch(() => [] as MemoryHit[]),
  ]);
  const c = db.config;
  const admin = Array.isArray(c.admin_sensitive) ? c.admin_sensitive.filter((v): v is string => typeof v === "string") : DEFAULT_SENSITIVE_COMMANDS;
  return {
    persona: {
      assistantName: c.assistant_name ?? "Claw",
      tone: c.tone ?? "friendly",
      language: c.language ?? "auto",
      instructions: c.instructions ?? "",
    },
    provider: c.provider ?? o.agent.defaultProvider,
    model: c.model,
    allowedModels: c.allowed_models ?? [],
    sensitiveCommands: new Set([...admin, ...(c.user_sensitive ?? [])]),
    roster,
    memories: memories.filter((m) => m.score > 0),
    summary: c.summary,
    skills: db.skills.map((s) => ({
      name: s.name,
      description: s.description,
      load: async () => s.instructions ?? s.description,
    })),
    // The limit may cut a turn in half: the history starts with a question, never an answer.
    history: db.history.slice(db.history.findIndex((m) => m.role === "user") === -1 ? db.history.length : db.history.findIndex((m) => m.role === "user"))
      .map((m) => (m.role === "user" ? { role: "user", text: m.content } : { role: "assistant", text: m.content })),
  };
}

const BASE_PROMPT =
  "You are a personal assistant on a multi-user platform. You can see and control only this user's own devices, " +
  "memories, files and skills, through the tools you are given. Use a tool when the user asks for something a tool " +
  "does; never invent device output. If a command needs the user's confirmation and is denied or not confirmed, say so " +
  "and do not retry it. Keep answers short.";

/** Platform base + persona + roster + relevant memories + summary + installed skills' descriptions. */
export function systemPrompt(ctx: TurnContext): string {
  const p = ctx.persona;
  const parts = [BASE_PROMPT];
  parts.push(`Your name is ${p.assistantName}. Your tone: ${p.tone}.` +
    (p.language === "auto" ? " Answer in the language the user writes in." : ` Answer in this language: ${p.language}.`));
  if (p.instructions.trim() !== "") parts.push(`The user's standing instructions:\n${p.instructions.trim()}`);
  parts.push(ctx.roster.length === 0
    ? "Devices: the user has no paired devices."
    : "Devices:\n" + ctx.roster.slice(0, 20).map((d) =>
      `- ${d.name} (${d.online ? "online" : "offline"}; commands: ${d.commands.slice(0, 15).join(", ") || "none"})`).join("\n"));
  if (ctx.memories.length > 0) {
    parts.push("What you remember about the user (most relevant first):\n" + ctx.memories.map((m) => `- ${m.content}`).join("\n"));
  }
  if (ctx.summary) parts.push(`Summary of this conversation so far:\n${ctx.summary}`);
  if (ctx.skills.length > 0) {
    parts.push("Installed skills (call use_skill with the name to load one's full instructions):\n" +
      ctx.skills.map((s) => `- ${s.name}: ${s.description}`).join("\n"));
  }
  return parts.join("\n\n");
}
