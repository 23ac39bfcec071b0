// The node registry: every read and write of devices (and their pairing requests) the gateway
// makes, through the app_hidden/app_public functions and the user's own RLS. Enrolment and
// device-token checks run anonymously (the connecting node has no user yet); everything else runs
// as the owner. Live state (which instance holds a node) comes from the Redis routes.
import type pg from "pg";
import { withAnonymous, withUser } from "../../db/tenant.ts";
import type { Redis } from "../../lib/redis.ts";
import { invalidRequest } from "../protocol/frames.ts";
import { liveRoutes, type NodeRoute } from "./routes.ts";

export interface NodeRegistryDeps {
  pool: pg.Pool;
  redis: Redis;
  instanceId: string;
  /** A route whose instance died was dropped while reading (see routes.ts). */
  onRouteDied: (userId: string, route: NodeRoute) => void;
}

/** What a node presents to enrol with a node token or pairing code (already trimmed and capped). */
export interface Enrolment {
  credential: string;
  deviceKeyId: string;
  publicKey: string;
  name: string;
  platform: string | null;
  deviceFamily: string | null;
  clientId: string | null;
  clientVersion: string | null;
  caps: string[];
  commands: string[];
  remoteAddress: string | null;
}

/** gateway_node_enroll / gateway_device_auth: outcome paired | pairing_required | … and, when paired, who. */
export interface NodeAuthRow {
  outcome: string;
  user_id: string | null;
  device_id: string | null;
  credential_id: string | null;
  device_token: string | null;
  pairing_request_id: string | null;
}

export interface PendingPairingRow {
  id: string;
  device_key_id: string;
  name: string;
  platform: string | null;
  caps: string[];
  commands: string[];
  remote_address: string | null;
  created_at: Date;
  expires_at: Date;
}

interface PairedDeviceRow {
  device_key_id: string;
  name: string;
  platform: string | null;
  device_family: string | null;
  client_id: string | null;
  client_version: string | null;
  caps: string[];
  commands: string[];
  paired_at: Date | null;
  last_seen_at: Date | null;
}

/**
 * The database refused to pair one more device than the user's plan allows (SQLSTATE PLAND, raised
 * by a trigger on app_public.devices during enrolment or approval; its DETAIL is JSON).
 */
export function deviceLimitReached(error: unknown): { message: string; details: { code: "DEVICE_LIMIT_REACHED"; limit: number; paired: number } } | null {
  const e = error as { code?: unknown; detail?: unknown } | null;
  if (e?.code !== "PLAND") return null;
  let d: { limit?: unknown; paired?: unknown } = {};
  try {
    d = JSON.parse(typeof e.detail === "string" ? e.detail : "{}");
  } catch {
    // The numbers are a courtesy; the refusal stands without them.
  }
  const limit = Number(d.limit);
  return {
    message: `device limit reached: your plan allows ${limit} paired device${limit === 1 ? "" : "s"}`,
    details: { code: "DEVICE_LIMIT_REACHED", limit, paired: Number(d.paired) },
  };
}

export class NodeRegistry {
  constructor(private readonly deps: NodeRegistryDeps) {}

  // ---- the handshake (no user yet) --------------------------------------------------------------

  /** A node token or pairing code binds (or asks to bind) this device key to its user. */
  async enrol(e: Enrolment): Promise<NodeAuthRow | undefined> {
    return withAnonymous(this.deps.pool, async (tx) =>
      (await tx.query<NodeAuthRow>(
        `select * from app_hidden.gateway_node_enroll($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [e.credential, e.deviceKeyId, e.publicKey, e.name, e.platform, e.deviceFamily, e.clientId, e.clientVersion,
         e.caps, e.commands, e.remoteAddress],
      )).rows[0],
    );
  }

  /** A device token from an earlier hello-ok, for this device key. */
  async authenticateDeviceToken(deviceToken: string | undefined, deviceKeyId: string): Promise<NodeAuthRow | undefined> {
    return withAnonymous(this.deps.pool, async (tx) =>
      (await tx.query<NodeAuthRow>("select * from app_hidden.gateway_device_auth($1, $2)", [deviceToken, deviceKeyId])).rows[0],
    );
  }

  // ---- a connected node's state -------------------------------------------------------------------

  /** What the node advertised on this connection, kept for node.list while it is offline. */
  async recordConnection(userId: string, deviceUuid: string, route: NodeRoute): Promise<void> {
    await withUser(this.deps.pool, userId, (tx) =>
      tx.query(
        "select app_hidden.record_device_connection($1, $2, $3, $4, $5, $6, $7)",
        [deviceUuid, route.caps, route.commands, route.platform.slice(0, 64), route.deviceFamily?.slice(0, 64) ?? null,
         route.clientId.slice(0, 100), route.version.slice(0, 64)],
      ),
    );
  }

  async recordSeen(userId: string, deviceUuid: string): Promise<void> {
    await withUser(this.deps.pool, userId, (tx) => tx.query("select app_hidden.record_device_seen($1)", [deviceUuid]));
  }

  // ---- the user's nodes -------------------------------------------------------------------------

  /** The user's paired devices with live state from whichever instance holds them. */
  async list(userId: string): Promise<Record<string, unknown>[]> {
    const [routes, devices] = await Promise.all([
      liveRoutes(this.deps.redis, userId, this.deps.instanceId, this.deps.onRouteDied),
      withUser(this.deps.pool, userId, async (tx) =>
        (await tx.query<PairedDeviceRow>(
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

  async describe(userId: string, nodeId: string): Promise<Record<string, unknown>> {
    const node = (await this.list(userId)).find((n) => n.nodeId === nodeId);
    if (!node) throw invalidRequest("unknown nodeId", { code: "NODE_NOT_FOUND" });
    return node;
  }

  async isPaired(userId: string, nodeId: string): Promise<boolean> {
    const found = await withUser(this.deps.pool, userId, async (tx) =>
      (await tx.query("select 1 from app_public.devices where device_key_id = $1 and status = 'paired'", [nodeId])).rowCount,
    );
    return Boolean(found);
  }

  // ---- pairing requests -------------------------------------------------------------------------

  async pendingPairings(userId: string): Promise<PendingPairingRow[]> {
    return withUser(this.deps.pool, userId, async (tx) =>
      (await tx.query<PendingPairingRow>(
        `select id, device_key_id, name, platform, caps, commands, host(remote_address) as remote_address, created_at, expires_at
           from app_public.device_pairing_requests where status = 'pending' and expires_at > now() order by created_at`,
      )).rows,
    );
  }

  /** Approves or rejects as the owner; the database's errors (unknown, not pending, plan limit) pass through. */
  async decidePairing(userId: string, requestId: string, decision: "approve" | "reject"): Promise<void> {
    const fn = decision === "approve" ? "approve_device_pairing" : "reject_device_pairing";
    await withUser(this.deps.pool, userId, (tx) => tx.query(`select app_public.${fn}($1)`, [requestId]));
  }
}

/** A live route as node.list / node.describe show it. */
function nodeView(r: NodeRoute): Record<string, unknown> {
  return {
    nodeId: r.nodeId, displayName: r.displayName, platform: r.platform, version: r.version, clientId: r.clientId,
    clientMode: r.clientMode, deviceFamily: r.deviceFamily, remoteIp: r.remoteIp, caps: r.caps, commands: r.commands,
    pathEnv: r.pathEnv, hostStats: r.hostStats, connectedAtMs: r.connectedAtMs, connected: true,
  };
}
