// Whether a sign-in may still act, and as whom. An access token only proves who signed in and
// when; the database decides whether that sign-in is still live and which role its user has now
// (app_hidden.session_identity: one indexed lookup). The answer is kept in memory for at most
// auth.sessionCheckMs (≤ 1 s) and dropped at once when the database announces that a session
// ended or its user was suspended (NOTIFY → db/events-relay.ts → Redis openclaw:user:<id>).
//
// Long-lived sockets (graphql-ws in the API, operator connections in the gateway) `watch` their
// session: the callback runs when it ends (event), when a periodic re-read finds it ended (a lost
// event), or when the access token it was opened with expires.
import type pg from "pg";
import type { AuthConfig } from "../lib/config.ts";
import { parseEvent, USER_CHANNEL_PATTERN } from "../lib/events.ts";
import type { Logger } from "../lib/logger.ts";
import type { Redis } from "../lib/redis.ts";
import { AuthenticationError, TOKEN_ERROR_MESSAGES, type AccessClaims, type TokenRole } from "../lib/tokens.ts";
import { withAnonymous } from "./tenant.ts";

export interface LiveIdentity {
  userId: string;
  /** The user's role now, from the database (not the token's claim). */
  role: TokenRole;
  sessionId: string;
}

export type SessionEnd = "SESSION_ENDED" | "ACCOUNT_SUSPENDED" | "TOKEN_EXPIRED";

export const SESSION_END_MESSAGES: Record<SessionEnd, string> = {
  SESSION_ENDED: "this sign-in has ended (signed out, password changed or role changed); sign in again",
  ACCOUNT_SUSPENDED: "the account is suspended",
  TOKEN_EXPIRED: TOKEN_ERROR_MESSAGES.TOKEN_EXPIRED,
};

interface SessionRow {
  user_id: string | null;
  role: TokenRole | null;
  status: "active" | "suspended" | null;
  live: boolean | null;
}

type Verdict = { ok: true; identity: LiveIdentity } | { ok: false; end: Exclude<SessionEnd, "TOKEN_EXPIRED"> };

interface Watcher {
  sessionId: string;
  userId: string;
  onEnd: (end: SessionEnd) => void;
  timer: NodeJS.Timeout | undefined;
}

export interface SessionGuard {
  /** The live identity behind verified claims; throws AuthenticationError when the sign-in cannot act. */
  check(claims: AccessClaims): Promise<LiveIdentity>;
  /** Calls onEnd once when the session ends or the token expires; returns a function that stops watching. */
  watch(claims: AccessClaims, onEnd: (end: SessionEnd) => void): () => void;
  close(): Promise<void>;
}

export interface SessionGuardDeps {
  pool: pg.Pool;
  /** A connection of its own: it is put into subscriber mode. */
  subscriber: Redis;
  auth: Pick<AuthConfig, "sessionCheckMs" | "sessionSweepMs">;
  logger: Logger;
}

function judge(sessionId: string, userId: string, row: SessionRow | undefined): Verdict {
  if (!row?.user_id || row.user_id !== userId) return { ok: false, end: "SESSION_ENDED" };
  if (row.status !== "active") return { ok: false, end: "ACCOUNT_SUSPENDED" };
  if (!row.live) return { ok: false, end: "SESSION_ENDED" };
  return { ok: true, identity: { userId, role: row.role!, sessionId } };
}

export async function createSessionGuard(deps: SessionGuardDeps): Promise<SessionGuard> {
  const { pool, subscriber, auth, logger } = deps;
  const cache = new Map<string, { at: number; userId: string; verdict: Promise<Verdict> }>();
  const watchers = new Map<string, Set<Watcher>>(); // by user id

  const read = (sessionId: string, userId: string): Promise<Verdict> =>
    withAnonymous(pool, async (tx) => {
      const { rows } = await tx.query<SessionRow>("select * from app_hidden.session_identity($1)", [sessionId]);
      return judge(sessionId, userId, rows[0]);
    });

  function lookup(sessionId: string, userId: string): Promise<Verdict> {
    const now = Date.now();
    const hit = cache.get(sessionId);
    if (hit && now - hit.at < auth.sessionCheckMs) return hit.verdict;
    const verdict = read(sessionId, userId);
    cache.set(sessionId, { at: now, userId, verdict });
    verdict.catch(() => cache.delete(sessionId));
    if (cache.size > 100_000) cache.clear();
    return verdict;
  }

  function end(watcher: Watcher, reason: SessionEnd): void {
    const set = watchers.get(watcher.userId);
    if (!set?.delete(watcher)) return;
    if (set.size === 0) watchers.delete(watcher.userId);
    clearTimeout(watcher.timer);
    try {
      watcher.onEnd(reason);
    } catch (error) {
      logger.warn({ err: (error as Error).message }, "a session watcher failed");
    }
  }

  function endSessions(userId: string, sessionId: string | null, reason: SessionEnd): void {
    if (sessionId !== null) cache.delete(sessionId);
    else for (const [sid, entry] of cache) if (entry.userId === userId) cache.delete(sid);
    for (const watcher of [...(watchers.get(userId) ?? [])]) {
      if (sessionId === null || watcher.sessionId === sessionId) end(watcher, reason);
    }
  }

  subscriber.on("pmessage", (_pattern: string, _channel: string, message: string) => {
    const event = parseEvent(message);
    if (event?.type === "session.revoked") endSessions(event.userId, event.subjectId, "SESSION_ENDED");
    else if (event?.type === "user.suspended") endSessions(event.userId, null, "ACCOUNT_SUSPENDED");
  });
  await subscriber.psubscribe(USER_CHANNEL_PATTERN);

  // A lost event (Redis restarted, relay down) is caught by re-reading watched sessions.
  const sweep = setInterval(() => {
    const sessions = new Map<string, string>();
    for (const set of watchers.values()) for (const w of set) sessions.set(w.sessionId, w.userId);
    for (const [sessionId, userId] of sessions) {
      cache.delete(sessionId);
      lookup(sessionId, userId).then(
        (verdict) => {
          if (!verdict.ok) endSessions(userId, sessionId, verdict.end);
        },
        (error: Error) => logger.warn({ err: error.message }, "could not re-read a session"),
      );
    }
  }, auth.sessionSweepMs);
  sweep.unref();

  return {
    async check(claims) {
      const verdict = await lookup(claims.sessionId, claims.userId);
      if (!verdict.ok) throw new AuthenticationError(SESSION_END_MESSAGES[verdict.end], verdict.end);
      return verdict.identity;
    },

    watch(claims, onEnd) {
      const watcher: Watcher = { sessionId: claims.sessionId, userId: claims.userId, onEnd, timer: undefined };
      const set = watchers.get(claims.userId) ?? new Set();
      set.add(watcher);
      watchers.set(claims.userId, set);
      // setTimeout holds at most ~24.8 days; access tokens live minutes.
      const ms = Math.min(Math.max(claims.expiresAt.getTime() - Date.now(), 0), 2 ** 31 - 1);
      watcher.timer = setTimeout(() => end(watcher, "TOKEN_EXPIRED"), ms);
      watcher.timer.unref();
      return () => {
        const own = watchers.get(watcher.userId);
        if (own?.delete(watcher) && own.size === 0) watchers.delete(watcher.userId);
        clearTimeout(watcher.timer);
      };
    },

    async close() {
      clearInterval(sweep);
      for (const set of watchers.values()) for (const w of set) clearTimeout(w.timer);
      watchers.clear();
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
