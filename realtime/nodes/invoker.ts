// The invoke path, for node.invoke and the agent's invoke_command alike: the gateway's second gate
// (only the user's own node, a command it advertised, allowed for the user and not denied by the
// administrator), then the route: the node's connection here, or the instance that holds it over
// the bus (nodes/invoke.ts has the waiting tables and the outcomes).
import type pg from "pg";
import type client from "prom-client";
import { withUser } from "../../db/tenant.ts";
import type { Redis } from "../../lib/redis.ts";
import { publishBus, type RelayedInvoke } from "../bus.ts";
import type { Hub } from "../hub.ts";
import { GatewayError, invalidRequest, unavailable } from "../protocol/frames.ts";
import { nodeGone, PendingTable, type InvokeOutcome, type InvokeRequest } from "./invoke.ts";
import type { NodeRegistry } from "./registry.ts";
import { findRoute, releaseRoute, type NodeRoute } from "./routes.ts";

export interface NodeInvokerDeps {
  instanceId: string;
  pool: pg.Pool;
  redis: Redis;
  hub: Hub;
  registry: NodeRegistry;
  onRouteDied: (userId: string, route: NodeRoute) => void;
  invokes: client.Counter<"outcome" | "route">;
}

/** Extra time a relayed invoke waits beyond the node's own timeout, for the hop back. */
const RELAY_GRACE_MS = 2_000;

export class NodeInvoker {
  /** Invokes relayed to other instances, waiting for their result on our bus channel. */
  private readonly remoteCalls = new PendingTable();

  constructor(private readonly deps: NodeInvokerDeps) {}

  async invoke(userId: string, request: InvokeRequest): Promise<InvokeOutcome> {
    const { hub, instanceId, redis } = this.deps;
    const route = hub.localNode(userId, request.nodeId)?.route
      ?? (await findRoute(redis, userId, request.nodeId, instanceId, this.deps.onRouteDied));
    if (!route) {
      if (!(await this.deps.registry.isPaired(userId, request.nodeId))) throw invalidRequest("unknown nodeId", { code: "NODE_NOT_FOUND" });
      throw unavailable("node not connected", { code: "NODE_NOT_CONNECTED" });
    }
    if (!route.commands.includes(request.command)) {
      throw invalidRequest(`command not supported by this node: ${request.command}`, { code: "COMMAND_NOT_ADVERTISED" });
    }
    await this.checkAllowed(userId, request.command);
    if (route.instanceId === instanceId) {
      const outcome = await hub.invokeLocal(userId, request);
      this.deps.invokes.inc({ outcome: outcome.ok ? "ok" : "error", route: "local" });
      return outcome;
    }
    const outcome = await this.relay(userId, route, request);
    this.deps.invokes.inc({ outcome: outcome.ok ? "ok" : "error", route: "relayed" });
    return outcome;
  }

  /** The user's allowed node commands (null: all) and the administrator's denied ones. */
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

  /** Sends the invoke to the instance holding the node and waits for its result on our channel. */
  private relay(userId: string, route: NodeRoute, request: InvokeRequest): Promise<InvokeOutcome> {
    const { instanceId, redis } = this.deps;
    return this.remoteCalls.call(route.instanceId, request.timeoutMs + RELAY_GRACE_MS, "node invoke", (corr) => {
      void publishBus(redis, route.instanceId, { t: "invoke", corr, from: instanceId, userId, ...request }).then((delivered) => {
        if (!delivered) {
          // Nobody listens on that instance's channel any more: it is gone, and so is the route.
          void releaseRoute(redis, userId, route.nodeId, route.connId).then((released) => {
            if (released) this.deps.onRouteDied(userId, route);
          });
          this.remoteCalls.settle(corr, nodeGone("node not connected"));
        }
      });
    });
  }

  /** Another instance relayed an invoke for a node connected here: run it and send the outcome back. */
  async answerRelayed(message: RelayedInvoke): Promise<void> {
    const { corr, from, userId, t: _t, ...request } = message;
    const outcome = await this.deps.hub.invokeLocal(userId, request);
    await publishBus(this.deps.redis, from, { t: "result", corr, outcome });
  }

  settleRelayed(corr: string, outcome: InvokeOutcome): void {
    this.remoteCalls.settle(corr, outcome);
  }

  close(): void {
    this.remoteCalls.failAll(nodeGone("gateway shutting down"));
  }
}
