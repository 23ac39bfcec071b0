// A node connection's life on this instance, around hello-ok:
//   attach (before hello-ok): what it advertised is stored, its route is claimed cluster-wide;
//   activate (right after): it takes requests here and its owner's operators hear of it;
//   host stats while connected; detach (socket gone): calls fail, last-seen, route released.
import type { Logger } from "../../lib/logger.ts";
import type { Redis } from "../../lib/redis.ts";
import { publishBus } from "../bus.ts";
import type { Connection } from "../connection.ts";
import type { Hub } from "../hub.ts";
import type { NodePrincipal } from "../protocol/principal.ts";
import type { NodePresence } from "./presence.ts";
import type { NodeRegistry } from "./registry.ts";
import { claimRoute, purgeInstanceRoutes, releaseRoute, updateRoute, type NodeRoute } from "./routes.ts";

export interface NodeLifecycleDeps {
  instanceId: string;
  redis: Redis;
  hub: Hub;
  registry: NodeRegistry;
  presence: NodePresence;
  logger: Logger;
}

/** How often host stats may refresh devices.last_seen_at. */
const LAST_SEEN_EVERY_MS = 60_000;

export class NodeLifecycle {
  /** Routes claimed by attach(), waiting for activate(). */
  private readonly claiming = new WeakMap<Connection, NodeRoute>();

  constructor(private readonly deps: NodeLifecycleDeps) {}

  /**
   * Persists the device's state and claims its route; called before hello-ok so the node is
   * routable as soon as it hears it is connected. activate() follows hello-ok at once.
   */
  async attach(conn: Connection): Promise<void> {
    const { instanceId, redis } = this.deps;
    const p = conn.principal as NodePrincipal;
    const route: NodeRoute = { ...p.info, instanceId, connId: conn.connId, connectedAtMs: Date.now() };
    await this.deps.registry.recordConnection(p.userId, p.deviceUuid, route);
    if (!conn.open) return;
    this.claiming.set(conn, route);
    const replaced = await claimRoute(redis, p.userId, route);
    if (!conn.open) {
      // It went away while we were writing the route: take the route back out.
      await releaseRoute(redis, p.userId, route.nodeId, conn.connId);
      return;
    }
    if (replaced && replaced.instanceId !== instanceId) {
      await publishBus(redis, replaced.instanceId, { t: "replaced", userId: p.userId, nodeId: route.nodeId, connId: replaced.connId });
    }
  }

  /** Right after hello-ok: the node takes requests here (an older connection of it is closed) and is announced. */
  activate(conn: Connection): void {
    const p = conn.principal as NodePrincipal;
    const route = this.claiming.get(conn);
    if (!route || !conn.open) return;
    this.deps.hub.activateNode(conn, route);
    void this.deps.presence.announce(p.userId, route.nodeId).catch((error: Error) =>
      this.deps.logger.warn({ err: error.message }, "presence announcement failed"));
  }

  async detach(conn: Connection): Promise<void> {
    const p = conn.principal as NodePrincipal;
    const { redis } = this.deps;
    // A route this connection claimed is released even if it never became active (compare-and-delete).
    if (!this.deps.hub.dropNode(conn)) {
      await releaseRoute(redis, p.userId, p.info.nodeId, conn.connId);
      return;
    }
    await this.deps.registry.recordSeen(p.userId, p.deviceUuid)
      .catch((error: Error) => this.deps.logger.warn({ err: error.message, userId: p.userId }, "could not record last-seen"));
    if (await releaseRoute(redis, p.userId, p.info.nodeId, conn.connId)) {
      await this.deps.presence.announce(p.userId, p.info.nodeId);
    }
  }

  /** node.host.stats: kept on the route (node.list shows it) and as last-seen, at most once a minute. */
  async recordHostStats(conn: Connection, stats: Record<string, unknown>): Promise<void> {
    const p = conn.principal as NodePrincipal;
    const local = this.deps.hub.localNode(p.userId, p.info.nodeId);
    if (!local || local.conn !== conn) return;
    local.route = { ...local.route, hostStats: stats };
    await updateRoute(this.deps.redis, p.userId, local.route);
    if (Date.now() - local.lastSeenWrite >= LAST_SEEN_EVERY_MS) {
      local.lastSeenWrite = Date.now();
      await this.deps.registry.recordSeen(p.userId, p.deviceUuid);
    }
  }

  /** At start: routes a crashed earlier process with this instance id left behind are dropped and announced. */
  async purgeStaleRoutes(): Promise<void> {
    for (const userId of await purgeInstanceRoutes(this.deps.redis, this.deps.instanceId)) {
      await this.deps.presence.announce(userId, "");
    }
  }
}
