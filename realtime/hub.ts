// The gateway's shared state: who is connected to this instance, the user's nodes across all
// instances (routes in Redis), pending invokes, and the reactions to platform events (revocations,
// suspensions, presence). Connections come and go through attach/detach; methods call in here.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import client from "prom-client";
import { SESSION_END_MESSAGES, type SessionGuard } from "../db/sessions.ts";
import { withUser } from "../db/tenant.ts";
import type { GatewayConfig } from "../lib/config.ts";
import { userChannel, type PlatformEvent } from "../lib/events.ts";
import type { Logger } from "../lib/logger.ts";
import type { Metrics } from "../lib/metrics.ts";
import type { Redis } from "../lib/redis.ts";
import type { Connection } from "./connection.ts";
import { hasScope } from "./methods.ts";
import { invalidRequest, unavailable, GatewayError } from "./protocol/frames.ts";
import type { Principal } from "./protocol/handshake.ts";
import { nodeGone, PendingTable, type InvokeOutcome, type InvokeRequest } from "./nodes/invoke.ts";
import { claimRoute, findRoute, liveRoutes, purgeInstanceRoutes, releaseRoute, updateRoute, type NodeRoute } from "./nodes/routes.ts";

type NodePrincipal = Extract<Principal, { role: "node" }>;
type OperatorPrincipal = Extract<Principal, { role: "operator" }>;

export interface HubDeps {
  instanceId: string;
  config: GatewayConfig;
  pool: pg.Pool;
  redis: Redis;
  logger: Logger;
  metrics: Metrics;
  sessions: SessionGuard;
}

/** Messages between gateway instances on openclaw:gateway-bus:<instanceId>. */
type BusMessage =
  | ({ t: "invoke"; corr: string; from: string; userId: string } & InvokeRequest)
  | { t: "result"; corr: string; outcome: InvokeOutcome }
  | { t: "replaced"; userId: string; nodeId: string; connId: string };

export const busChannel = (instanceId: string) => `openclaw:gateway-bus:${instanceId}`;

export class Hub {
  readonly startedAt = Date.now();
  readonly ready = new Set<Connection>();
  private readonly operators = new Map<string, Set<Connection>>();
  private readonly nodes = new Map<string, { conn: Connection; route: NodeRoute; lastSeenWrite: number }>();
  private readonly nodeCalls = new PendingTable();
  private readonly remoteCalls = new PendingTable();
  private presenceVersion = 1;
  readonly invokes: client.Counter<"outcome" | "route">;

  constructor(private readonly deps: HubDeps) {
    this.invokes = new client.Counter({
      name: "openclaw_gateway_node_invokes_total",
      help: "node.invoke calls by outcome and route (local or relayed to another instance)",
      labelNames: ["outcome", "route"],
      registers: [deps.metrics.registry],
    });
    const hub = this;
    new client.Gauge({
      name: "openclaw_gateway_connections",
      help: "Authenticated WebSocket connections on this instance by role",
      labelNames: ["role"],
      registers: [deps.metrics.registry],
      collect() {
        const counts = hub.counts();
        this.set({ role: "operator" }, counts.operators);
        this.set({ role: "node" }, counts.devices);
      },
    });
  }

  get presenceStateVersion(): number {
    return this.presenceVersion;
  }

  counts(): { devices: number; operators: number; users: number } {
    let operators = 0;
    for (const set of this.operators.values()) operators += set.size;
    const users = new Set([...this.ready].map((c) => c.userId));
    return { devices: this.nodes.size, operators, users: users.size };
  }

  private nodeKey(userId: string, nodeId: string): string {
    return `${userId}:${nodeId}`;
  }

  // ---- connections -------------------------------------------------------------------------

  /** An operator connection lives only as long as its sign-in and its access token. */
  attachOperator(conn: Connection): void {
    const userId = conn.userId!;
    let set = this.operators.get(userId);
    if (!set) this.operators.set(userId, (set = new Set()));
    set.add(conn);
    this.ready.add(conn);
    const { claims } = conn.principal as OperatorPrincipal;
    this.stopWatching.set(conn, this.deps.sessions.watch(claims, (end) => conn.close(4001, SESSION_END_MESSAGES[end])));
  }
  private readonly stopWatching = new WeakMap<Connection, () => void>();

  detachOperator(conn: Connection): void {
    this.stopWatching.get(conn)?.();
    const set = this.operators.get(conn.userId!);
    set?.delete(conn);
    if (set?.size === 0) this.operators.delete(conn.userId!);
    this.ready.delete(conn);
  }

  /**
   * Persists the device's state and claims its route; called before hello-ok so the node is
   * routable as soon as it hears it is connected. activateNode() follows hello-ok at once.
   */
  async attachNode(conn: Connection): Promise<void> {
    const p = conn.principal as NodePrincipal;
    const route: NodeRoute = { ...p.info, instanceId: this.deps.instanceId, connId: conn.connId, connectedAtMs: Date.now() };
    await withUser(this.deps.pool, p.userId, (tx) =>
      tx.query(
        "select app_hidden.record_device_connection($1, $2, $3, $4, $5, $6, $7)",
        [p.deviceUuid, route.caps, route.commands, route.platform.slice(0, 64), route.deviceFamily?.slice(0, 64) ?? null,
         route.clientId.slice(0, 100), route.version.slice(0, 64)],
      ),
    );
    if (!conn.open) return;
    this.claiming.set(conn, route);
    const replaced = await claimRoute(this.deps.redis, p.userId, route);
    if (!conn.open) {
      // It went away while we were writing the route: take the route back out.
      await releaseRoute(this.deps.redis, p.userId, route.nodeId, conn.connId);
      return;
    }
    if (replaced && replaced.instanceId !== this.deps.instanceId) {
      await this.publishBus(replaced.instanceId, { t: "replaced", userId: p.userId, nodeId: route.nodeId, connId: replaced.connId });
    }
  }
  private readonly claiming = new WeakMap<Connection, NodeRoute>();

  /** Right after hello-ok: the node takes requests here (an older connection of it is closed) and is announced. */
  activateNode(conn: Connection): void {
    const p = conn.principal as NodePrincipal;
    const route = this.claiming.get(conn);
    if (!route || !conn.open) return;
    const key = this.nodeKey(p.userId, route.nodeId);
    const older = this.nodes.get(key);
    this.nodes.set(key, { conn, route, lastSeenWrite: Date.now() });
    this.ready.add(conn);
    if (older && older.conn !== conn) older.conn.close(4001, "replaced by a newer connection of this node");
    void this.announcePresence(p.userId, route.nodeId).catch((error: Error) =>
      this.deps.logger.warn({ err: error.message }, "presence announcement failed"));
  }

  /** A route whose instance is gone was dropped: tell the owner's operators. */
  private readonly routeDied = (userId: string, route: NodeRoute): void => {
    void this.announcePresence(userId, route.nodeId).catch(() => undefined);
  };

  /** At start: routes a crashed earlier process with this instance id left behind are dropped and announced. */
  async purgeStaleRoutes(): Promise<void> {
    for (const userId of await purgeInstanceRoutes(this.deps.redis, this.deps.instanceId)) {
      await this.announcePresence(userId, "");
    }
  }

  async detachNode(conn: Connection): Promise<void> {
    const p = conn.principal as NodePrincipal;
    const key = this.nodeKey(p.userId, p.info.nodeId);
    this.ready.delete(conn);
    this.nodeCalls.failTarget(conn.connId, nodeGone());
    // A route this connection claimed is released even if it never became active (compare-and-delete).
    if (this.nodes.get(key)?.conn !== conn) {
      await releaseRoute(this.deps.redis, p.userId, p.info.nodeId, conn.connId);
      return;
    }
    this.nodes.delete(key);
    await withUser(this.deps.pool, p.userId, (tx) =>
      tx.query("select app_hidden.record_device_seen($1)", [p.deviceUuid]),
    ).catch((error: Error) => this.deps.logger.warn({ err: error.message, userId: p.userId }, "could not record last-seen"));
    if (await releaseRoute(this.deps.redis, p.userId, p.info.nodeId, conn.connId)) {
      await this.announcePresence(p.userId, p.info.nodeId);
    }
  }

  // ---- presence ----------------------------------------------------------------------------

  private async announcePresence(userId: string, nodeId: string): Promise<void> {
    const event: PlatformEvent = { id: randomUUID(), type: "node.presence", userId, subjectId: nodeId };
    await this.deps.redis.publish(userChannel(userId), JSON.stringify(event));
  }

  async presenceEntries(userId: string): Promise<Record<string, unknown>[]> {
    return (await liveRoutes(this.deps.redis, userId, this.deps.instanceId, this.routeDied)).map((r) => ({
      ts: r.connectedAtMs,
      deviceId: r.nodeId,
      host: r.displayName,
      platform: r.platform,
      version: r.version,
      mode: r.clientMode,
      roles: ["node"],
      scopes: [],
      instanceId: r.nodeId,
      reason: "connect",
    }));
  }

  private async sendPresence(userId: string): Promise<void> {
    const set = this.operators.get(userId);
    if (!set || set.size === 0) return;
    this.presenceVersion += 1;
    const presence = await this.presenceEntries(userId);
    const stateVersion = { presence: this.presenceVersion, health: 1 };
    for (const conn of set) conn.sendEvent("presence", { presence }, { stateVersion });
  }

  /** Everything that arrives on a user's channel, from any process. */
  async onUserEvent(event: PlatformEvent): Promise<void> {
    switch (event.type) {
      case "node.presence":
        await this.sendPresence(event.userId);
        return;
      case "device.revoked":
        for (const { conn } of this.nodes.values()) {
          if (conn.userId === event.userId && (conn.principal as NodePrincipal).deviceUuid === event.subjectId) {
            conn.close(4001, "device revoked");
          }
        }
        return;
      case "node_token.revoked":
        for (const { conn } of this.nodes.values()) {
          if (conn.userId === event.userId && (conn.principal as NodePrincipal).credentialId === event.subjectId) {
            conn.close(4001, "node token revoked");
          }
        }
        return;
      case "user.suspended":
        for (const conn of [...this.ready]) if (conn.userId === event.userId) conn.close(4001, "account suspended");
        return;
      default:
        return;
    }
  }

  // ---- node registry -----------------------------------------------------------------------

  /** The user's paired devices with live state from whichever instance holds them. */
  async listNodes(userId: string): Promise<Record<string, unknown>[]> {
    const [routes, devices] = await Promise.all([
      liveRoutes(this.deps.redis, userId, this.deps.instanceId, this.routeDied),
      withUser(this.deps.pool, userId, async (tx) =>
        (await tx.query<{ device_key_id: string; name: string; platform: string | null; device_family: string | null;
          client_id: string | null; client_version: string | null; caps: string[]; commands: string[];
          paired_at: Date | null; last_seen_at: Date | null }>(
          `select device_key_id, name, platform, device_family, client_id, client_version, caps, commands, paired_at, last_seen_at
             from app_public.devices where status = 'paired' order by created_at`,
        )).rows,
      ),
    ]);
    const online = new Map(routes.map((r) => [r.nodeId, r]));
    return devices.map((d) => {
      const r = online.get(d.device_key_id);
      const base = { nodeId: d.device_key_id, paired: true, approvalState: "approved", approvedAtMs: d.paired_at?.getTime() };
      if (r) return { ...base, ...nodeView(r), displayName: d.name };
      return {
        ...base, displayName: d.name, platform: d.platform ?? undefined, version: d.client_version ?? undefined,
        clientId: d.client_id ?? undefined, deviceFamily: d.device_family ?? undefined, caps: d.caps, commands: d.commands,
        connected: false, lastSeenAtMs: d.last_seen_at?.getTime(),
      };
    });
  }

  async describeNode(userId: string, nodeId: string): Promise<Record<string, unknown>> {
    const node = (await this.listNodes(userId)).find((n) => n.nodeId === nodeId);
    if (!node) throw invalidRequest("unknown nodeId", { code: "NODE_NOT_FOUND" });
    return node;
  }

  // ---- invoke ------------------------------------------------------------------------------

  /** The gateway's second gate and the route: only the user's own node, an advertised, allowed command. */
  async invoke(userId: string, request: InvokeRequest): Promise<InvokeOutcome> {
    const local = this.nodes.get(this.nodeKey(userId, request.nodeId));
    const route = local?.route ?? (await findRoute(this.deps.redis, userId, request.nodeId, this.deps.instanceId, this.routeDied));
    if (!route) {
      const paired = await withUser(this.deps.pool, userId, async (tx) =>
        (await tx.query("select 1 from app_public.devices where device_key_id = $1 and status = 'paired'", [request.nodeId])).rowCount,
      );
      if (!paired) throw invalidRequest("unknown nodeId", { code: "NODE_NOT_FOUND" });
      throw unavailable("node not connected", { code: "NODE_NOT_CONNECTED" });
    }
    if (!route.commands.includes(request.command)) {
      throw invalidRequest(`command not supported by this node: ${request.command}`, { code: "COMMAND_NOT_ADVERTISED" });
    }
    await this.checkAllowed(userId, request.command);
    if (route.instanceId === this.deps.instanceId) {
      const outcome = await this.invokeLocal(userId, request);
      this.invokes.inc({ outcome: outcome.ok ? "ok" : "error", route: "local" });
      return outcome;
    }
    const outcome = await this.remoteCalls.call(route.instanceId, request.timeoutMs + 2_000, "node invoke", (corr) => {
      void this.publishBus(route.instanceId, { t: "invoke", corr, from: this.deps.instanceId, userId, ...request }).then((delivered) => {
        if (!delivered) {
          // Nobody listens on that instance's channel any more: it is gone, and so is the route.
          void releaseRoute(this.deps.redis, userId, route.nodeId, route.connId).then((released) => {
            if (released) this.routeDied(userId, route);
          });
          this.remoteCalls.settle(corr, nodeGone("node not connected"));
        }
      });
    });
    this.invokes.inc({ outcome: outcome.ok ? "ok" : "error", route: "relayed" });
    return outcome;
  }

  private async checkAllowed(userId: string, command: string): Promise<void> {
    const row = await withUser(this.deps.pool, userId, async (tx) =>
      (await tx.query<{ allowed: string[] | null; denied: unknown }>(
        `select (select allowed_node_commands from app_public.user_assistant_configs where user_id = app_public.current_user_id()) as allowed,
                (select value from app_public.system_configs where key = 'gateway.denied_commands') as denied`,
      )).rows[0],
    );
    if (Array.isArray(row?.denied) && row.denied.includes(command)) {
      throw new GatewayError({ code: "FORBIDDEN", message: `command disabled by the administrator: ${command}`, details: { code: "COMMAND_DENIED" } });
    }
    if (row?.allowed && !row.allowed.includes(command)) {
      throw new GatewayError({ code: "FORBIDDEN", message: `command not in your allowed node commands: ${command}`, details: { code: "COMMAND_NOT_ALLOWED" } });
    }
  }

  /** Sends node.invoke.request to a node connected here and waits for its result. */
  invokeLocal(userId: string, request: InvokeRequest): Promise<InvokeOutcome> {
    const local = this.nodes.get(this.nodeKey(userId, request.nodeId));
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

  /** node.host.stats: kept on the route (node.list shows it) and as last-seen, at most once a minute. */
  async recordHostStats(conn: Connection, stats: Record<string, unknown>): Promise<void> {
    const p = conn.principal as NodePrincipal;
    const local = this.nodes.get(this.nodeKey(p.userId, p.info.nodeId));
    if (!local || local.conn !== conn) return;
    local.route = { ...local.route, hostStats: stats };
    await updateRoute(this.deps.redis, p.userId, local.route);
    if (Date.now() - local.lastSeenWrite >= 60_000) {
      local.lastSeenWrite = Date.now();
      await withUser(this.deps.pool, p.userId, (tx) =>
        tx.query("select app_hidden.record_device_seen($1)", [p.deviceUuid]),
      );
    }
  }

  /** Node events operators may want (exec.finished) go to the owner's operators only. */
  forwardToOperators(userId: string, event: string, payload: unknown): void {
    for (const conn of this.operators.get(userId) ?? []) conn.sendEvent(event, payload);
  }

  /** Agent events go to the owner's operator connections here that hold the scope for them. */
  deliverAgentEvent(userId: string, event: string, payload: unknown): void {
    const scope = event === "chat" ? "operator.read" : "operator.approvals";
    for (const conn of this.operators.get(userId) ?? []) {
      if (hasScope(conn.principal!, scope)) conn.sendEvent(event, payload);
    }
  }

  // ---- between instances ---------------------------------------------------------------------

  /** Publishes to another instance; false when no instance listens on that channel any more. */
  private async publishBus(instanceId: string, message: BusMessage): Promise<boolean> {
    return (await this.deps.redis.publish(busChannel(instanceId), JSON.stringify(message))) > 0;
  }

  async onBusMessage(text: string): Promise<void> {
    let message: BusMessage;
    try {
      message = JSON.parse(text) as BusMessage;
    } catch {
      return;
    }
    switch (message.t) {
      case "invoke": {
        const { corr, from, userId, t: _t, ...request } = message;
        const outcome = await this.invokeLocal(userId, request);
        await this.publishBus(from, { t: "result", corr, outcome });
        return;
      }
      case "result":
        this.remoteCalls.settle(message.corr, message.outcome);
        return;
      case "replaced": {
        const local = this.nodes.get(this.nodeKey(message.userId, message.nodeId));
        if (local?.conn.connId === message.connId) local.conn.close(4001, "replaced by a newer connection of this node");
        return;
      }
    }
  }

  close(): void {
    this.nodeCalls.failAll(nodeGone("gateway shutting down"));
    this.remoteCalls.failAll(nodeGone("gateway shutting down"));
  }
}

export function nodeView(r: NodeRoute): Record<string, unknown> {
  return {
    nodeId: r.nodeId, displayName: r.displayName, platform: r.platform, version: r.version, clientId: r.clientId,
    clientMode: r.clientMode, deviceFamily: r.deviceFamily, remoteIp: r.remoteIp, caps: r.caps, commands: r.commands,
    pathEnv: r.pathEnv, hostStats: r.hostStats, connectedAtMs: r.connectedAtMs, connected: true,
  };
}
