// Chat turns over the gateway as an operator app does them: chat.send, then the run's `chat`
// events until its final/aborted/error event. Also a user with a paired, connected test node.
import { randomUUID } from "node:crypto";
import type { ApiServer } from "../../api/server.ts";
import type { Session } from "./api.ts";
import { connectNode, connectOperator, newIdentity, type CommandHandler, type RawClient } from "./gateway.ts";
import { issueNodeToken } from "./nodes.ts";

export const OPERATOR_SCOPES = ["operator.read", "operator.write", "operator.approvals"];

export interface Turn {
  runId: string;
  ack: { runId: string; status: string; finalState?: string };
  /** This run's `chat` payloads in arrival order. */
  events: any[];
  end: any;
  text: string;
}

/** Resolves with the run's chat events once one ends it (final, aborted or error). */
export function runEnd(op: RawClient, runId: string, timeoutMs = 20_000): Promise<any[]> {
  const seen = () => op.events.filter((e) => e.event === "chat" && e.payload?.runId === runId).map((e) => e.payload);
  const ended = (events: any[]) => events.some((p) => ["final", "aborted", "error"].includes(p.state));
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const poll = () => {
      const events = seen();
      if (ended(events)) return resolve(events);
      if (Date.now() > deadline) return reject(new Error(`run ${runId} did not end within ${timeoutMs} ms; events: ${JSON.stringify(events).slice(0, 2000)}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

/** Sends a message and waits for the run to end. */
export async function chat(op: RawClient, sessionKey: string, message: string, runId = randomUUID(), timeoutMs?: number): Promise<Turn> {
  const ack = await op.request("chat.send", { sessionKey, message, idempotencyKey: runId });
  const events = await runEnd(op, runId, timeoutMs);
  const end = events.find((p) => ["final", "aborted", "error"].includes(p.state));
  return { runId, ack, events, end, text: end?.message?.content?.[0]?.text ?? "" };
}

/** Waits for (or finds) the approval request of a run. */
export async function approvalRequest(op: RawClient, runId: string, timeoutMs = 10_000): Promise<any> {
  return (await op.nextEvent("exec.approval.requested", timeoutMs, (p) => p?.request?.runId === runId)).payload;
}

export interface UserWithNode {
  op: RawClient;
  node: RawClient;
  nodeId: string;
  /** Every node.invoke.request the node received (params decoded). */
  invoked: { command: string; params: any }[];
}

/** An operator and a connected node named `deviceName` that runs `echo` for real-ish (argv joined). */
export async function userWithNode(api: ApiServer, url: string, user: Session, deviceName: string,
  handlers: Record<string, CommandHandler> = {}): Promise<UserWithNode> {
  const invoked: { command: string; params: any }[] = [];
  const identity = newIdentity();
  const token = await issueNodeToken(api, user, true);
  const echo: CommandHandler = (p) => {
    const argv = p?.command as string[];
    if (argv?.[0] === "echo") return { ok: true, payload: { exitCode: 0, timedOut: false, success: true, stdout: `${argv.slice(1).join(" ")}\n`, stderr: "", error: null } };
    return { ok: true, payload: { exitCode: 127, timedOut: false, success: false, stdout: "", stderr: `${argv?.[0]}: not found\n`, error: null } };
  };
  const all: Record<string, CommandHandler> = { "system.run": echo, ...handlers };
  const recording: Record<string, CommandHandler> = {};
  for (const [name, handler] of Object.entries(all)) {
    recording[name] = (p) => {
      invoked.push({ command: name, params: p });
      return handler(p);
    };
  }
  const { client: node } = await connectNode(url, { identity, auth: { token }, displayName: deviceName, handlers: recording });
  const op = await connectOperator(url, user.accessToken, OPERATOR_SCOPES);
  return { op, node, nodeId: identity.id, invoked };
}
