// Who is on the other end of an authenticated connection, as the handshake established it. The
// role decides the method table; everything after the handshake reads identity from here only.
import type { AccessClaims } from "../../lib/tokens.ts";

/** What a node advertised when it connected (shown by node.list / node.describe). */
export interface NodeInfo {
  nodeId: string;
  displayName: string;
  platform: string;
  version: string;
  clientId: string;
  clientMode: string;
  deviceFamily?: string;
  remoteIp: string;
  caps: string[];
  commands: string[];
  pathEnv?: string;
}

export type Principal =
  | {
      role: "operator";
      userId: string;
      /** The user's role now (from the database), not the token's claim. */
      dbRole: "user" | "admin";
      scopes: string[];
      deviceId: string | null;
      /** The access token's claims: the connection closes when its session ends or it expires. */
      claims: AccessClaims;
    }
  | {
      role: "node";
      userId: string;
      /** devices.id (uuid) */
      deviceUuid: string;
      /** the node token or pairing code used, null for a device token */
      credentialId: string | null;
      deviceToken: string | null;
      info: NodeInfo;
    };

export type OperatorPrincipal = Extract<Principal, { role: "operator" }>;
export type NodePrincipal = Extract<Principal, { role: "node" }>;
