// Node presence: which of a user's nodes are online, as the `presence` event and the hello-ok
// snapshot show it to the user's operators. A change is announced on the user's channel
// (node.presence), so every instance pushes the fresh list to the operators it holds.
import { randomUUID } from "node:crypto";
import { userChannel, type PlatformEvent } from "../../lib/events.ts";
import type { Redis } from "../../lib/redis.ts";
import type { Hub } from "../hub.ts";
import { liveRoutes, type NodeRoute } from "./routes.ts";

export interface NodePresenceDeps {
  instanceId: string;
  redis: Redis;
  hub: Hub;
}

export class NodePresence {
  private version = 1;

  constructor(private readonly deps: NodePresenceDeps) {}

  /** stateVersion.presence: goes up with every presence event sent from this instance. */
  get stateVersion(): number {
    return this.version;
  }

  /** Tells every instance that the user's node list changed (nodeId "" when several did). */
  async announce(userId: string, nodeId: string): Promise<void> {
    const event: PlatformEvent = { id: randomUUID(), type: "node.presence", userId, subjectId: nodeId };
    await this.deps.redis.publish(userChannel(userId), JSON.stringify(event));
  }

  /** A route whose instance is gone was dropped: tell the owner's operators. */
  readonly routeDied = (userId: string, route: NodeRoute): void => {
    void this.announce(userId, route.nodeId).catch(() => undefined);
  };

  async entries(userId: string): Promise<Record<string, unknown>[]> {
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

  /** Sends the fresh list to the user's operators on this instance (on node.presence). */
  async push(userId: string): Promise<void> {
    // The live set, iterated after the read: operators that left meanwhile are skipped.
    const operators = this.deps.hub.operatorsOf(userId);
    if (operators.size === 0) return;
    this.version += 1;
    const presence = await this.entries(userId);
    const stateVersion = { presence: this.version, health: 1 };
    for (const conn of operators) conn.sendEvent("presence", { presence }, { stateVersion });
  }
}
