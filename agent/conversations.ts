// Reading the user's conversations for chat.history and sessions.list, finding their runs still
// "streaming", and marking lost ones failed. All inside the user's tenant context.
import type pg from "pg";
import { withUser } from "../db/tenant.ts";
import { expireApprovalsOfLostRuns } from "./approvals.ts";

/** The user's runs whose answer is still "streaming". */
export function streamingRuns(pool: pg.Pool, userId: string): Promise<string[]> {
  return withUser(pool, userId, async (tx) =>
    (await tx.query<{ run_id: string }>("select run_id from app_public.messages where role = 'assistant' and status = 'streaming'")).rows.map((r) => r.run_id),
  );
}

/** The session's runs (all, or the one named) whose answer is still "streaming". */
export function streamingRunsOfSession(pool: pg.Pool, userId: string, sessionKey: string, runId: string | null): Promise<string[]> {
  return withUser(pool, userId, async (tx) =>
    (await tx.query<{ run_id: string }>(
      `select m.run_id from app_public.messages m join app_public.conversations c on c.id = m.conversation_id
        where c.session_key = $1 and m.role = 'assistant' and m.status = 'streaming' and ($2::text is null or m.run_id = $2)`,
      [sessionKey, runId],
    )).rows.map((r) => r.run_id),
  );
}

/** Lost runs end failed, with their pending approvals expired, in one transaction. */
export async function failLostRuns(pool: pg.Pool, userId: string, runIds: string[], error: string): Promise<void> {
  await withUser(pool, userId, async (tx) => {
    await tx.query(
      "update app_public.messages set status = 'failed', error = $2 where role = 'assistant' and status = 'streaming' and run_id = any($1)",
      [runIds, error],
    );
    await expireApprovalsOfLostRuns(tx, runIds);
  });
}

/** chat.history: the session's last `limit` user and assistant messages, oldest first. */
export function readHistory(pool: pg.Pool, userId: string, sessionKey: string, limit: number): Promise<Record<string, unknown>> {
  return withUser(pool, userId, async (tx) => {
    const conversation = (await tx.query<{ id: string }>("select id from app_public.conversations where session_key = $1", [sessionKey])).rows[0];
    if (!conversation) return { sessionKey, messages: [], hasMore: false };
    const rows = (await tx.query<{ id: string; role: string; content: string; created_at: Date; run_id: string | null; status: string;
      error: string | null; tool_calls: unknown; more: boolean }>(
      `select id, role, content, created_at, run_id, status, error, tool_calls, count(*) over () > $2 as more from (
         select * from app_public.messages where conversation_id = $1 and role in ('user', 'assistant')
          order by created_at desc, role desc) m
        order by created_at desc, role desc limit $2`,
      [conversation.id, limit],
    )).rows.reverse();
    return {
      sessionKey,
      sessionId: conversation.id,
      messages: rows.map((m) => ({
        role: m.role,
        content: [{ type: "text", text: m.content }],
        timestamp: m.created_at.getTime(),
        __openclaw: { id: m.id, runId: m.run_id ?? undefined, status: m.status, error: m.error ?? undefined, toolCalls: m.tool_calls ?? undefined },
      })),
      hasMore: rows[0]?.more ?? false,
    };
  });
}

/** sessions.list: the user's conversations that are not archived, most recent first. */
export async function listSessions(pool: pg.Pool, userId: string, limit: number, offset: number): Promise<Record<string, unknown>> {
  const rows = await withUser(pool, userId, async (tx) =>
    (await tx.query<{ id: string; session_key: string; title: string | null; last_message_at: Date | null; created_at: Date; total: string }>(
      `select id, session_key, title, last_message_at, created_at, count(*) over () as total from app_public.conversations
        where archived_at is null order by coalesce(last_message_at, created_at) desc limit $1 offset $2`,
      [limit, offset],
    )).rows,
  );
  const totalCount = rows.length > 0 ? Number(rows[0]!.total) : 0;
  const hasMore = offset + rows.length < totalCount;
  return {
    ts: Date.now(), count: rows.length, totalCount, hasMore, nextOffset: hasMore ? offset + rows.length : null, defaults: {},
    sessions: rows.map((r) => ({
      key: r.session_key, kind: "direct", sessionId: r.id, displayName: r.title ?? undefined,
      updatedAt: (r.last_message_at ?? r.created_at).getTime(),
    })),
  };
}
