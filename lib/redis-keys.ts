// Every Redis key and pub/sub channel the platform uses, in one place: what lives where in Redis
// is read here, and a key is spelled once.
//
// Keys (values) and what they hold:
export const redisKeys = {
  /** A gateway instance's presence (JSON, TTL): lib/presence.ts. */
  gatewayPresence: (instanceId: string) => `openclaw:gateway:${instanceId}`,
  gatewayPresencePrefix: "openclaw:gateway:",
  /** Which instance holds each of a user's nodes (hash nodeId → route). */
  nodeRoutes: (userId: string) => `openclaw:nodes:${userId}`,
  /** Per user, the instances holding their nodes. */
  nodeOwners: (userId: string) => `openclaw:node-owners:${userId}`,
  /** Per instance, the users whose nodes it holds (for purging a dead instance's routes). */
  instanceRoutes: (instanceId: string) => `openclaw:gateway-routes:${instanceId}`,
  /** Failed gateway connects per address and credential digest, and per address. */
  connectFailures: (ip: string, credentialDigest: string) => `openclaw:gateway-auth-fail:${ip}:${credentialDigest}`,
  connectFailuresByAddress: (ip: string) => `openclaw:gateway-auth-fail-ip:${ip}`,
  /** An agent run's lease (the holding instance) and its abort marker. */
  runLease: (userId: string, runId: string) => `openclaw:run:${userId}:${runId}`,
  runAbort: (userId: string, runId: string) => `openclaw:run-abort:${userId}:${runId}`,
  /** Messages counted in a user's quota period (seeded from Postgres). */
  quotaCounter: (userId: string, periodStartMs: number) => `openclaw:quota:${userId}:${periodStartMs}`,
  /** A relayed database event already published (dedupe across instances). */
  eventSeen: (eventId: string) => `openclaw:event-seen:${eventId}`,
  /** A worker process's heartbeat. */
  workerAlive: (workerId: string) => `openclaw:worker-alive:${workerId}`,
  /** Sign-in rate limits: attempts per address, failures per account. */
  loginByAddress: (ip: string) => `login:ip:${ip}`,
  loginFailures: (email: string) => `login:account:${email}`,
} as const;

// Channels (pub/sub):
export const redisChannels = {
  /** Platform events for one user (lib/events.ts). */
  user: (userId: string) => `openclaw:user:${userId}`,
  userPattern: "openclaw:user:*",
  userPrefix: "openclaw:user:",
  /** Agent chat and approval events for one user (agent/bus.ts). */
  chat: (userId: string) => `openclaw:chat:${userId}`,
  chatPattern: "openclaw:chat:*",
  chatPrefix: "openclaw:chat:",
  /** One gateway instance's bus (relayed invokes and their results). */
  gatewayBus: (instanceId: string) => `openclaw:gateway-bus:${instanceId}`,
} as const;
