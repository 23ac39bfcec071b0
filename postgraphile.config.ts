// The API preset (PostGraphile v5): the generated schema over app_public, queried as the
// authenticator, with role and app.user_id taken from the verified access token only.
import "./lib/polyfills.ts";
import type { IncomingMessage } from "node:http";
import type {} from "postgraphile/grafserv/node";
import { makePgService } from "postgraphile/adaptors/pg";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { EXPOSED_SCHEMAS, ROLES, loadConfig } from "./lib/config.ts";
import { AuthenticationError, type AccessClaims } from "./lib/tokens.ts";
import { SESSION_END_MESSAGES } from "./db/sessions.ts";
import "./api/context.ts";
import { BAD_AUTHORIZATION_HEADER, maskError } from "./api/errors.ts";
import { AuthPlugin } from "./api/plugins/auth.ts";
import { FilesPlugin } from "./api/plugins/files.ts";
import { clientIp } from "./lib/client-ip.ts";
import { SearchPlugin } from "./api/plugins/search.ts";
import { PgVectorPlugin } from "./api/plugins/pg-vector.ts";
import { MonitorPlugin } from "./api/plugins/monitor.ts";
import { SubscriptionsPlugin } from "./api/plugins/subscriptions.ts";
import { SkillsPlugin } from "./api/plugins/skills.ts";
import { getApiServices } from "./api/services.ts";

const config = loadConfig();

/** An error grafserv turns into this HTTP status (it reads an own statusCode property). */
function httpError(statusCode: number, message: string, code: string): Error {
  return Object.assign(new Error(message), { statusCode, extensions: { code } });
}

function bearer(header: unknown): string | null {
  if (typeof header !== "string" || header === "") return null;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header.trim());
  if (!match) throw httpError(401, BAD_AUTHORIZATION_HEADER, "INVALID_TOKEN");
  return match[1]!;
}

/** The graphql-ws socket a subscription arrived on (grafserv passes the `ws` WebSocket). */
interface WsSocket {
  close(code: number, reason: string): void;
  once(event: "close", listener: () => void): unknown;
}
const watchedSockets = new WeakSet<WsSocket>();

/**
 * A subscription socket lives only as long as its sign-in: it closes when the session ends
 * (4403, like graphql-ws's Forbidden) or its access token expires (4401, Unauthorized), and the
 * client reconnects with a fresh token.
 */
function watchSocket(services: Awaited<ReturnType<typeof getApiServices>>, socket: WsSocket, claims: AccessClaims): void {
  if (watchedSockets.has(socket)) return;
  watchedSockets.add(socket);
  const stop = services.sessions.watch(claims, (end) => {
    socket.close(end === "TOKEN_EXPIRED" ? 4401 : 4403, SESSION_END_MESSAGES[end]);
  });
  socket.once("close", stop);
}

const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset],
  plugins: [PgVectorPlugin, AuthPlugin, SubscriptionsPlugin, MonitorPlugin, FilesPlugin, SkillsPlugin, SearchPlugin],
  pgServices: [makePgService({ connectionString: config.authenticatorUrl, schemas: [...EXPOSED_SCHEMAS], pubsub: true })],
  grafserv: {
    port: config.ports.api,
    graphqlPath: "/graphql",
    graphiql: true,
    graphiqlPath: "/graphiql",
    websockets: true,
    maxRequestLength: 1_000_000,
    maskError,
  },
  grafast: {
    explain: process.env.GRAPHQL_EXPLAIN === "1",
    async context(requestContext) {
      const services = await getApiServices();
      const req = requestContext.node?.req as IncomingMessage | undefined;
      // HTTP: the Authorization header; graphql-ws: connectionParams (grafserv lower-cases keys).
      const params = requestContext.ws?.normalizedConnectionParams as Record<string, unknown> | undefined;
      const header = req?.headers.authorization ?? params?.authorization;
      const peer = req ?? requestContext.ws?.request;
      const ip = clientIp(peer?.socket.remoteAddress, peer?.headers["x-real-ip"], services.config.trustProxy);
      const token = bearer(header);
      if (!token) {
        return { services, ip, userId: null, sessionId: null, role: "anonymous", pgSettings: { role: ROLES.anonymous } };
      }
      const socket = requestContext.ws?.socket as WsSocket | undefined;
      try {
        const claims = await services.tokens.verify(token);
        // The token proves who signed in; the database says whether that sign-in is live and the role now.
        const identity = await services.sessions.check(claims);
        if (socket) watchSocket(services, socket, claims);
        // The request log line names the user (lib/request-log.ts).
        if (peer) (peer as { openclawUserId?: string }).openclawUserId = identity.userId;
        return {
          services,
          ip,
          userId: identity.userId,
          sessionId: identity.sessionId,
          role: identity.role,
          pgSettings: { role: identity.role === "admin" ? ROLES.admin : ROLES.user, "app.user_id": identity.userId },
        };
      } catch (error) {
        if (error instanceof AuthenticationError) {
          socket?.close(error.code === "TOKEN_EXPIRED" ? 4401 : 4403, error.message.slice(0, 120));
          throw httpError(401, error.message, error.code);
        }
        throw error;
      }
    },
  },
};

export default preset;
