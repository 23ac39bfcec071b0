// What this instance does when something happens to a user on any process (lib/events.ts, the
// user's Redis channel): the node list changed, a device or node token was revoked, the account
// was suspended. Revocations close the affected connections here with 4001.
import type { PlatformEvent } from "../lib/events.ts";
import type { Hub } from "./hub.ts";
import type { NodePresence } from "./nodes/presence.ts";
import type { NodePrincipal } from "./protocol/principal.ts";

export async function onUserEvent(event: PlatformEvent, hub: Hub, presence: NodePresence): Promise<void> {
  switch (event.type) {
    case "node.presence":
      await presence.push(event.userId);
      return;
    case "device.revoked":
      for (const { conn } of hub.localNodes()) {
        if (conn.userId === event.userId && (conn.principal as NodePrincipal).deviceUuid === event.subjectId) {
          conn.close(4001, "device revoked");
        }
      }
      return;
    case "node_token.revoked":
      for (const { conn } of hub.localNodes()) {
        if (conn.userId === event.userId && (conn.principal as NodePrincipal).credentialId === event.subjectId) {
          conn.close(4001, "node token revoked");
        }
      }
      return;
    case "user.suspended":
      for (const conn of [...hub.ready]) if (conn.userId === event.userId) conn.close(4001, "account suspended");
      return;
    default:
      return;
  }
}
