// Operator scope policy in one place: which scopes an operator may hold, what each implies, and
// which scope an event needs before it is delivered. Nodes hold no operator scope at all.
import type { Principal } from "./principal.ts";

/** The scopes an operator may ask for in connect; any others are dropped silently. */
export const OPERATOR_SCOPES = [
  "operator.read", "operator.write", "operator.admin", "operator.approvals", "operator.pairing",
  "operator.questions", "operator.talk", "operator.talk.secrets",
] as const;

/** The scopes a method may require. */
export type Scope = "operator.read" | "operator.write" | "operator.admin" | "operator.pairing" | "operator.approvals";

/** admin implies every scope; write implies read. */
export function hasScope(principal: Principal, scope: Scope): boolean {
  if (principal.role !== "operator") return false;
  const s = principal.scopes;
  if (s.includes("operator.admin")) return true;
  if (scope === "operator.read") return s.includes("operator.read") || s.includes("operator.write");
  return s.includes(scope);
}

/** Agent events: chat transcripts need read; approval requests and decisions need approvals. */
export function agentEventScope(event: string): Scope {
  return event === "chat" ? "operator.read" : "operator.approvals";
}
