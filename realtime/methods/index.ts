// The method registry: one table per role, put together from one file per method family. The
// role decides the table (a method of the other role is refused as such); the method's scope
// and its params schema are checked here, before any handler runs, so no handler can forget them.
// Methods not listed answer `unknown method: <m>`, which the node host reads as "not supported"
// for its optional publications.
import { AGENT_EVENTS } from "../../agent/bus.ts";
import { invalidRequest, leniently, missingScope, unknownMethod } from "../protocol/frames.ts";
import { hasScope } from "../protocol/scopes.ts";
import { approvalMethods } from "./approvals.ts";
import { chatMethods } from "./chat.ts";
import { invokeMethods } from "./invoke.ts";
import { nodeMethods } from "./nodes.ts";
import { pairingMethods } from "./pairing.ts";
import { pendingMethods } from "./pending.ts";
import { skillMethods } from "./skills.ts";
import { systemMethods } from "./system.ts";
import type { MethodContext, MethodFamily, MethodTable } from "./types.ts";

// The order is hello-ok's features.methods order.
const FAMILIES: MethodFamily[] = [
  systemMethods, nodeMethods, invokeMethods, pairingMethods, chatMethods, skillMethods, approvalMethods, pendingMethods,
];

function tableFor(role: keyof MethodFamily): MethodTable {
  const table: MethodTable = {};
  for (const family of FAMILIES) {
    for (const [name, method] of Object.entries(family[role] ?? {})) {
      if (Object.hasOwn(table, name)) throw new Error(`method ${name} is defined twice for ${role}s`);
      table[name] = method;
    }
  }
  return table;
}

const operatorTable = tableFor("operator");
const nodeTable = tableFor("node");

export const OPERATOR_METHODS = Object.keys(operatorTable);
export const NODE_METHODS = Object.keys(nodeTable);
export const EVENTS = ["connect.challenge", "tick", "presence", "node.invoke.request", "exec.finished", "shutdown", ...AGENT_EVENTS];

/** Runs one request for an authenticated connection. */
export async function dispatch(ctx: MethodContext, method: string, rawParams: unknown): Promise<unknown> {
  const principal = ctx.conn.principal!;
  const table = principal.role === "node" ? nodeTable : operatorTable;
  const entry = Object.hasOwn(table, method) ? table[method] : undefined;
  if (!entry) {
    if (principal.role === "operator" && Object.hasOwn(nodeTable, method)) throw invalidRequest("unauthorized role: operator");
    if (principal.role === "node" && Object.hasOwn(operatorTable, method)) throw invalidRequest("unauthorized role: node");
    throw unknownMethod(method);
  }
  if (entry.scope && !hasScope(principal, entry.scope)) throw missingScope(entry.scope);
  const params = (rawParams ?? {}) as Record<string, unknown>;
  if (typeof params !== "object" || Array.isArray(params)) throw invalidRequest("params must be an object");
  if (entry.schema) {
    const checked = leniently(entry.schema, params);
    if (!checked.ok) throw invalidRequest(`invalid ${method} params: ${checked.message}`.slice(0, 500));
  }
  return entry.run(ctx, params);
}
