// The connections this instance holds once they are ready: operators by user, nodes by user and
// node id, and the invokes sent to those nodes that wait for an answer. This process only: where
// a node is connected across the cluster is nodes/routes.ts, its stored state nodes/registry.ts.
import { SESSION_END_MESSAGES, type SessionGuard } from "../db/sessions.ts";
import type { Connection } from "./connection.ts";
import { nodeGone, PendingTable, type InvokeOutcome, type InvokeRequest } from "./nodes/invoke.ts";
import type { NodeRoute } from "./nodes/routes.ts";
import type { NodePrincipal, OperatorPrincipal } from "./protocol/principal.ts";
import { agentEventScope, hasScope } from "./protocol/scopes.ts";

/** A node's active connection here, with the route it wrote. */
export interface LocalNode {
  conn: Connection;
  route: NodeRoute;
  /** When devices.last_seen_at was last written for it (host stats write it at most once a minute). */
  lastSeenWrite: number;
}

const REPLACED = "replaced by a newer connection of this node";
const NONE: ReadonlySet<Connection> = new Set();

export class Hub {
  readonly startedAt = Date.now();
  /** Every ready connection, operator or node. */
  readonly ready = new Set<Connection>();
  private readonly operators = new Map<string, Set<Connection>>();
  private readonly nodes = new Map<string, LocalNode>();
  /** node.invoke.request events sent to nodes here, waiting for their node.invoke.result. */
  private readonly nodeCalls = new PendingTable();
  private readonly stopWatching = new WeakMap<Connection, () => void>();

  constructor(private readonly sessions: SessionGuard) {}

  counts(): { devices: number; operators: number; users: number } {
    let operators = 0;
    for (const set of this.operators.values()) operators += set.size;
    const users = new Set([...this.ready].map((c) => c.userId));
    return { devices: this.nodes.size, operators, users: users.size };
  }

  // ---- operators ---------------------------------------------------------------------------

  /** An operator connection lives only as long as its sign-in and its access token. */
  attachOperator(conn: Connection): void {
    const userId = conn.userId!;
    let set = this.operators.get(userId);
    if (!set) this.operators.set(userId, (set = new Set()));
    set.add(conn);
    this.ready.add(conn);
    const { claims } = conn.principal as OperatorPrincipal;
    this.stopWatching.set(conn, this.sessions.watch(claims, (end) => conn.close(4001, SESSION_END_MESSAGES[end])));
  }

  detachOperator(conn: Connection): void {
    this.stopWatching.get(conn)?.();
    const set = this.operators.get(conn.userId!);
    set?.delete(conn);
    if (set?.size === 0) this.operators.delete(conn.userId!);
    this.ready.delete(conn);
  }

  /** The user's operator connections here (the live set: it changes as they come and go). */
  operatorsOf(userId: string): ReadonlySet<Connection> {
    return this.operators.get(userId) ?? NONE;
  }

  /** Node events operators may want (exec.finished) go to the owner's operators only. */
  forwardToOperators(userId: string, event: string, payload: unknown): void {
    for (const conn of this.operatorsOf(userId)) conn.sendEvent(event, payload);
  }

  /** Agent events go to the owner's operator connections here that hold the scope for them. */
  deliverAgentEvent(userId: string, event: string, payload: unknown): void {
    const scope = agentEventScope(event);
    for (const conn of this.operatorsOf(userId)) {
      if (hasScope(conn.principal!, scope)) conn.sendEvent(event, payload);
    }
  }

  // ---- nodes -------------------------------------------------------------------------------

  private nodeKey(userId: string, nodeId: string): string {
    return `${userId}:${nodeId}`;
  }

  localNode(userId: string, nodeId: string): LocalNode | undefined {
    return this.nodes.get(this.nodeKey(userId, nodeId));
  }

  localNodes(): Iterable<LocalNode> {
    return this.nodes.values();
  }

  /** The node takes requests on this connection from now on; an older connection of it here is closed. */
  activateNode(conn: Connection, route: NodeRoute): void {
    const key = this.nodeKey(conn.userId!, route.nodeId);
    const older = this.nodes.get(key);
    this.nodes.set(key, { conn, route, lastSeenWrite: Date.now() });
    this.ready.add(conn);
    if (older && older.conn !== conn) older.conn.close(4001, REPLACED);
  }

  /** Another instance took the node over: close our connection of it if it is still the one replaced. */
  closeReplaced(userId: string, nodeId: string, connId: string): void {
    const local = this.localNode(userId, nodeId);
    if (local?.conn.connId === connId) local.conn.close(4001, REPLACED);
  }

  /**
   * A node connection ended: its waiting invokes fail at once. True when it was the node's active
   * connection here (now forgotten), false when a newer one had taken over or it never activated.
   */
  dropNode(conn: Connection): boolean {
    const p = conn.principal as NodePrincipal;
    const key = this.nodeKey(p.userId, p.info.nodeId);
    this.ready.delete(conn);
    this.nodeCalls.failTarget(conn.connId, nodeGone());
    if (this.nodes.get(key)?.conn !== conn) return false;
    this.nodes.delete(key);
    return true;
  }

  /** Sends node.invoke.request to a node connected here and waits for its result. */
  invokeLocal(userId: string, request: InvokeRequest): Promise<InvokeOutcome> {
    const local = this.localNode(userId, request.nodeId);
    if (!local || !local.conn.open) return Promise.resolve(nodeGone("node not connected"));
    return this.nodeCalls.call(local.conn.connId, request.timeoutMs, "node invoke", (id) => {
      local.conn.sendEvent("node.invoke.request", {
        id,
        nodeId: request.nodeId,
        command: request.command,
        paramsJSON: request.paramsJSON,
        timeoutMs: request.timeoutMs,
        idempotencyKey: request.idempotencyKey,
      });
    });
  }

  /** A node's node.invoke.result; false when nobody waits for it any more (late or unknown id). */
  settleInvoke(conn: Connection, id: string, outcome: InvokeOutcome): boolean {
    return this.nodeCalls.settle(id, outcome, conn.connId);
  }

  close(): void {
    this.nodeCalls.failAll(nodeGone("gateway shutting down"));
  }
}
