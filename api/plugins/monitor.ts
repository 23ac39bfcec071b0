// adminMonitor: connected devices and operators per gateway instance, read from Redis presence
// keys (lib/presence.ts). Admin only, and audited like every admin read.
import { context, lambda, SafeError } from "grafast";
import { extendSchema, gql } from "graphile-utils";
import { withAdmin } from "../../db/tenant.ts";
import { readGatewayPresence } from "../../lib/presence.ts";
import type { ApiServices } from "../services.ts";
import "../context.ts";

export const MonitorPlugin = extendSchema(() => ({
  typeDefs: gql`
    type GatewayInstance {
      instanceId: String!
      startedAt: Datetime!
      updatedAt: Datetime!
      devices: Int!
      operators: Int!
      users: Int!
    }
    extend type Query {
      "Live connections per gateway instance (admins only)."
      adminMonitor: [GatewayInstance!]
    }
  `,
  objects: {
    Query: {
      plans: {
        adminMonitor() {
          const $deps = [context().get("services"), context().get("role"), context().get("userId")] as never;
          return lambda($deps, async ([services, role, userId]: readonly [ApiServices, string, string | null]) => {
            if (role !== "admin" || !userId) throw new SafeError("You are not allowed to do that.", { code: "FORBIDDEN" });
            await withAdmin(services.pool, userId, (tx) => tx.query("select app_hidden.audit_admin_action('monitor')"));
            return readGatewayPresence(services.redis);
          });
        },
      },
    },
  },
}), "MonitorPlugin");
