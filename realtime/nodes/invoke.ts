// node.invoke's waiting tables and outcomes: the gateway asks a node to run a command with a
// `node.invoke.request` event and waits for its `node.invoke.result` request. Each instance keeps a
// pending table for the nodes connected to it (hub.ts) and one for invokes it relayed to another
// instance over the Redis bus (invoker.ts, which also has the gates and the routing).
import { randomUUID } from "node:crypto";
import type { ErrorShape } from "../protocol/frames.ts";

export type InvokeOutcome =
  | { ok: true; payload: unknown; payloadJSON: string | null }
  | { ok: false; error: ErrorShape };

export interface InvokeRequest {
  nodeId: string;
  command: string;
  paramsJSON: string | null;
  timeoutMs: number;
  idempotencyKey: string;
}

interface Pending {
  /** local: the node connection's id; remote: the instance answering */
  target: string;
  settle: (outcome: InvokeOutcome) => void;
  timer: NodeJS.Timeout;
}

export const timedOut = (what: string): InvokeOutcome => ({
  ok: false,
  error: { code: "UNAVAILABLE", message: `${what} timed out`, retryable: true, details: { code: "INVOKE_TIMEOUT" } },
});

export const nodeGone = (message = "node disconnected"): InvokeOutcome => ({
  ok: false,
  error: { code: "UNAVAILABLE", message, retryable: true, details: { code: "NODE_NOT_CONNECTED" } },
});

/** A table of calls waiting for an answer, each with its own timeout. */
export class PendingTable {
  private readonly pending = new Map<string, Pending>();

  get size(): number {
    return this.pending.size;
  }

  /** Registers a call under a fresh id; `start` sends it. */
  call(target: string, timeoutMs: number, label: string, start: (id: string) => void): Promise<InvokeOutcome> {
    const id = randomUUID();
    return new Promise<InvokeOutcome>((resolve) => {
      const timer = setTimeout(() => this.settle(id, timedOut(label)), timeoutMs);
      this.pending.set(id, { target, settle: resolve, timer });
      try {
        start(id);
      } catch (error) {
        this.settle(id, nodeGone((error as Error).message));
      }
    });
  }

  /** Delivers an answer; false for late or unknown ids (and answers from the wrong target). */
  settle(id: string, outcome: InvokeOutcome, from?: string): boolean {
    const p = this.pending.get(id);
    if (!p || (from !== undefined && p.target !== from)) return false;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.settle(outcome);
    return true;
  }

  /** Fails every call waiting on `target` (a node that went away). */
  failTarget(target: string, outcome: InvokeOutcome): void {
    for (const [id, p] of this.pending) if (p.target === target) this.settle(id, outcome);
  }

  failAll(outcome: InvokeOutcome): void {
    for (const id of [...this.pending.keys()]) this.settle(id, outcome);
  }
}
