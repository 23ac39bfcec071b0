// Where each user's online nodes are connected, shared by every gateway instance through Redis:
//   openclaw:nodes:<userId>        hash  nodeId → JSON NodeRoute
//   openclaw:node-owners:<userId>  hash  nodeId → connId of the connection that wrote the route
// (the Lua scripts compare connIds only and never decode node-supplied JSON)
// A route is written when a node connects (replacing any older one) and removed only by the
// connection that wrote it, so a node that moved to another instance keeps its new route.
// Routes of an instance that died are ignored (its presence key expired) and cleaned up lazily.
import { redisKeys } from "../../lib/redis-keys.ts";
import type { Redis } from "../../lib/redis.ts";
import type { NodeInfo } from "../protocol/principal.ts";

export interface NodeRoute extends NodeInfo {
  instanceId: string;
  connId: string;
  connectedAtMs: number;
  hostStats?: Record<string, unknown>;
}

const key = redisKeys.nodeRoutes;
const ownerKey = redisKeys.nodeOwners;
// Which routes an instance wrote, so a restart under the same instance id can drop its old ones.
const instanceKey = redisKeys.instanceRoutes;
const presenceKey = redisKeys.gatewayPresence;

// KEYS: routes, owners. ARGV: nodeId, route JSON, connId.
const SET_ROUTE = `local old = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return old`;

// KEYS: routes, owners. ARGV: nodeId, connId.
const DELETE_OWN_ROUTE = `if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1]) redis.call('HDEL', KEYS[2], ARGV[1]) return 1 end
return 0`;

// KEYS: routes, owners. ARGV: nodeId, connId, route JSON.
const UPDATE_OWN_ROUTE = `if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) return 1 end
return 0`;

function parse(text: string | null | undefined): NodeRoute | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as NodeRoute;
  } catch {
    return null;
  }
}

/** Writes this connection's route and returns the one it replaced, if any. */
export async function claimRoute(redis: Redis, userId: string, route: NodeRoute): Promise<NodeRoute | null> {
  await redis.sadd(instanceKey(route.instanceId), `${userId}:${route.nodeId}`);
  return parse((await redis.eval(SET_ROUTE, 2, key(userId), ownerKey(userId), route.nodeId, JSON.stringify(route), route.connId)) as string | null);
}

export async function releaseRoute(redis: Redis, userId: string, nodeId: string, connId: string): Promise<boolean> {
  return (await redis.eval(DELETE_OWN_ROUTE, 2, key(userId), ownerKey(userId), nodeId, connId)) === 1;
}

/** At start: routes an earlier process with this instance id left behind are stale. Returns their users. */
export async function purgeInstanceRoutes(redis: Redis, instanceId: string): Promise<string[]> {
  const users = new Set<string>();
  for (const member of await redis.smembers(instanceKey(instanceId))) {
    const [userId, nodeId] = member.split(":") as [string, string];
    const route = parse(await redis.hget(key(userId), nodeId));
    const owner = await redis.hget(ownerKey(userId), nodeId);
    // Ours if the stored route says so, or if it cannot be read at all but we wrote it last.
    const ours = route ? route.instanceId === instanceId : owner !== null;
    if (ours && owner !== null && (await releaseRoute(redis, userId, nodeId, owner))) users.add(userId);
  }
  await redis.del(instanceKey(instanceId));
  return [...users];
}

export async function updateRoute(redis: Redis, userId: string, route: NodeRoute): Promise<void> {
  await redis.eval(UPDATE_OWN_ROUTE, 2, key(userId), ownerKey(userId), route.nodeId, route.connId, JSON.stringify(route));
}

/** A user's live routes: only those whose gateway instance is still alive. */
export async function liveRoutes(
  redis: Redis,
  userId: string,
  selfId: string,
  onDead: (userId: string, route: NodeRoute) => void = () => undefined,
): Promise<NodeRoute[]> {
  const all = Object.values(await redis.hgetall(key(userId))).flatMap((t) => parse(t) ?? []);
  if (all.length === 0) return [];
  const instances = [...new Set(all.map((r) => r.instanceId))].filter((id) => id !== selfId);
  const alive = instances.length > 0 ? await redis.mget(...instances.map(presenceKey)) : [];
  // This instance is alive by definition, even if its presence key was lost (Redis restarted).
  const live = new Set([selfId, ...instances.filter((_, i) => alive[i] !== null)]);
  const dead = all.filter((r) => !live.has(r.instanceId));
  for (const r of dead) if (await releaseRoute(redis, userId, r.nodeId, r.connId)) onDead(userId, r);
  return all.filter((r) => live.has(r.instanceId));
}

export async function findRoute(
  redis: Redis,
  userId: string,
  nodeId: string,
  selfId: string,
  onDead: (userId: string, route: NodeRoute) => void = () => undefined,
): Promise<NodeRoute | null> {
  const route = parse(await redis.hget(key(userId), nodeId));
  if (!route) return null;
  if (route.instanceId !== selfId && (await redis.exists(presenceKey(route.instanceId))) === 0) {
    if (await releaseRoute(redis, userId, nodeId, route.connId)) onDead(userId, route);
    return null;
  }
  return route;
}
