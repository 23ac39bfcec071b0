// summarize_conversation: re-armed by every message (throttled by its job key). When at least
// SUMMARY_EVERY_MESSAGES messages came after the latest summary (not counting the most recent
// SUMMARY_KEEP_RECENT, which the agent sends verbatim), a new rolling summary row covers them.
// Idempotent: the work is computed from what is stored and written in one transaction under a
// per-conversation lock, so running it twice writes one summary.
import type pg from "pg";
import type { WorkerConfig } from "../../lib/config.ts";
import type { Logger } from "../../lib/logger.ts";
import { userJob } from "../job-context.ts";
import { rollSummary } from "../memory/summary.ts";

export interface SummarizeDeps {
  pool: pg.Pool;
  summary: WorkerConfig["summary"];
  logger: Logger;
}

export function summarizeConversationTask(deps: SummarizeDeps) {
  return async (raw: unknown): Promise<void> => {
    const job = userJob(deps.pool, raw, ["conversation_id"] as const);
    const conversationId = job.payload.conversation_id;
    const written = await job.asUser(async (tx) => {
      await tx.query("select pg_advisory_xact_lock(hashtextextended('openclaw:summary:' || $1, 0))", [conversationId]);
      const last = await tx.query<{ summary: string; message_count: number; up_to: Date | null; up_to_id: string | null }>(
        `select s.summary, s.message_count, m.created_at as up_to, m.id as up_to_id
           from app_public.conversation_summaries s
           left join app_public.messages m on m.id = s.up_to_message_id
          where s.conversation_id = $1
          order by s.created_at desc, s.message_count desc limit 1`,
        [conversationId],
      );
      const previous = last.rows[0];
      // Messages after the last summarised one (by time, then id), oldest first.
      const fresh = await tx.query<{ id: string; role: string; content: string }>(
        `select id, role, content from app_public.messages
          where conversation_id = $1 and status <> 'streaming'
            and ($2::timestamptz is null or (created_at, id) > ($2::timestamptz, $3::uuid))
          order by created_at, id`,
        [conversationId, previous?.up_to ?? null, previous?.up_to_id ?? "00000000-0000-0000-0000-000000000000"],
      );
      const summarisable = fresh.rows.slice(0, Math.max(0, fresh.rows.length - deps.summary.keepRecent));
      if (summarisable.length < deps.summary.everyMessages) return null;
      const text = rollSummary(previous?.summary ?? null, summarisable, deps.summary.maxChars);
      if (text === "") return null;
      await tx.query(
        `insert into app_public.conversation_summaries (conversation_id, up_to_message_id, message_count, summary)
         values ($1, $2, $3, $4)`,
        [conversationId, summarisable.at(-1)!.id, (previous?.message_count ?? 0) + summarisable.length, text],
      );
      return summarisable.length;
    });
    if (written !== null) deps.logger.info({ conversationId, userId: job.userId, messages: written }, "conversation summarised");
  };
}
