// The shape every method family file fills in: a small handler per method name, with the scope
// it needs and the published schema its params must pass. index.ts checks both before `run`.
import type { AgentRuntime } from "../../agent/runtime.ts";
import type { Connection } from "../connection.ts";
import type { Hub } from "../hub.ts";
import type { NodeInvoker } from "../nodes/invoker.ts";
import type { NodeLifecycle } from "../nodes/lifecycle.ts";
import type { NodePresence } from "../nodes/presence.ts";
import type { NodeRegistry } from "../nodes/registry.ts";
import type { SchemaValidator } from "../protocol/frames.ts";
import type { Scope } from "../protocol/scopes.ts";

/** What methods reach, the same for every request. */
export interface MethodServices {
  instanceId: string;
  version: string;
  hub: Hub;
  registry: NodeRegistry;
  invoker: NodeInvoker;
  lifecycle: NodeLifecycle;
  presence: NodePresence;
  agent: AgentRuntime;
  invokeTimeoutMs: number;
  maxInvokeTimeoutMs: number;
}

/** One request's context: the services and the connection it came on (its principal is set). */
export interface MethodContext extends MethodServices {
  conn: Connection;
}

export interface Method {
  scope?: Scope;
  schema?: SchemaValidator;
  run(ctx: MethodContext, params: Record<string, unknown>): Promise<unknown>;
}

export type MethodTable = Record<string, Method>;

/** One family's methods by the role that may call them (the role decides the table). */
export interface MethodFamily {
  operator?: MethodTable;
  node?: MethodTable;
}
