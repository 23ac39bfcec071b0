// The runs this gateway instance is working on, and their leases in Redis. Whoever holds a run's
// lease owns the run; the lease is renewed while the run lives, so a run whose lease has lapsed
// (its gateway died) is "lost". chat.abort also leaves a marker in Redis that a run checks before
// each step, in case the pub/sub message misses it.
import type { Logger } from "../lib/logger.ts";
import type { Redis } from "../lib/redis.ts";
import type { SkillSource } from "./context.ts";
import { redisKeys } from "../lib/redis-keys.ts";

export interface ActiveRun {
  userId: string;
  runId: string;
  sessionKey: string;
  conversationId: string;
  userMessageId: string;
  assistantMessageId: string;
  message: string;
  /** A skill test run: only this skill is offered. */
  onlySkill?: SkillSource;
  controller: AbortController;
  /** Why it was stopped: by the user, or because this gateway is shutting down. */
  stopped: "aborted" | "shutdown" | null;
  done: Promise<void>;
}

/** The error a lost run's message is left with. */
export const STALE_RUN_ERROR = "The gateway stopped before this reply finished. Send the message again.";

const runKey = (userId: string, runId: string) => `${userId}:${runId}`;
const leaseKey = redisKeys.runLease;
/** Set by chat.abort for a run, in case the pub/sub message misses it (checked before each step). */
const abortKey = redisKeys.runAbort;

export class Aborted extends Error {}

/** Resolves or rejects with the promise, or rejects with Aborted as soon as the signal fires. */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Aborted());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

export class RunRegistry {
  private readonly runs = new Map<string, ActiveRun>();
  private readonly leaseTimer: NodeJS.Timeout;

  constructor(private readonly deps: { instanceId: string; redis: Redis; logger: Logger; leaseMs: number }) {
    this.leaseTimer = setInterval(() => void this.renewLeases(), Math.max(100, Math.floor(deps.leaseMs / 3)));
    this.leaseTimer.unref();
  }

  has(userId: string, runId: string): boolean {
    return this.runs.has(runKey(userId, runId));
  }

  get(userId: string, runId: string): ActiveRun | undefined {
    return this.runs.get(runKey(userId, runId));
  }

  /** Takes the run's lease; false if another send (here or elsewhere) holds it. */
  async claim(userId: string, runId: string): Promise<boolean> {
    return (await this.deps.redis.set(leaseKey(userId, runId), this.deps.instanceId, "PX", this.deps.leaseMs, "NX")) === "OK";
  }

  /** Deletes a lease only if this instance holds it. */
  async release(userId: string, runId: string): Promise<void> {
    await this.deps.redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", 1, leaseKey(userId, runId), this.deps.instanceId,
    ).catch(() => undefined);
  }

  /** Starts the run's work and keeps the run here (and its lease) until that work ends. */
  start(run: ActiveRun, work: (run: ActiveRun) => Promise<void>): void {
    const key = runKey(run.userId, run.runId);
    this.runs.set(key, run);
    run.done = work(run).finally(async () => {
      this.runs.delete(key);
      await this.release(run.userId, run.runId);
    });
  }

  /** Stops this instance's runs of the session (all of them, or the one named). */
  abortLocal(userId: string, sessionKey: string, runId: string | null): void {
    for (const run of this.runs.values()) {
      if (run.userId === userId && run.sessionKey === sessionKey && (runId === null || runId === run.runId)) {
        run.stopped = "aborted";
        run.controller.abort();
      }
    }
  }

  /** Leaves an abort marker for each run, wherever it runs. */
  async markAborted(userId: string, runIds: string[]): Promise<void> {
    const multi = this.deps.redis.multi();
    for (const id of runIds) multi.set(abortKey(userId, id), "1", "PX", 10 * 60_000);
    await multi.exec();
  }

  /** Throws Aborted if the run was stopped, here or by a marker left for it. */
  async checkAbortMarker(run: ActiveRun): Promise<void> {
    if (run.stopped === null && (await this.deps.redis.exists(abortKey(run.userId, run.runId))) > 0) {
      run.stopped = "aborted";
      run.controller.abort();
    }
    if (run.controller.signal.aborted) throw new Aborted();
  }

  /** Of the user's streaming runs, those no gateway works on: not here, and their lease gone. */
  async lost(userId: string, runIds: string[]): Promise<string[]> {
    const stale: string[] = [];
    for (const runId of runIds) {
      if (this.has(userId, runId)) continue;
      if ((await this.deps.redis.exists(leaseKey(userId, runId))) === 0) stale.push(runId);
    }
    return stale;
  }

  /** Stops renewing, stops every run here as "shutdown", and waits up to graceMs for them to end. */
  async stopAll(graceMs: number): Promise<void> {
    clearInterval(this.leaseTimer);
    const runs = [...this.runs.values()];
    for (const run of runs) {
      run.stopped = "shutdown";
      run.controller.abort();
    }
    await Promise.race([Promise.allSettled(runs.map((r) => r.done)), new Promise((resolve) => setTimeout(resolve, graceMs))]);
  }

  /** SET, not PEXPIRE: a lease lost once (a Redis restart, a long pause) is taken back while the run lives. */
  private async renewLeases(): Promise<void> {
    if (this.runs.size === 0) return;
    const multi = this.deps.redis.multi();
    for (const run of this.runs.values()) multi.set(leaseKey(run.userId, run.runId), this.deps.instanceId, "PX", this.deps.leaseMs);
    await multi.exec().catch((error: Error) => this.deps.logger.warn({ err: error.message }, "run lease renewal failed"));
  }
}
