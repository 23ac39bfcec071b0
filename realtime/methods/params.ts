// Readers for params the published schema leaves loose, each refusing with INVALID_REQUEST and the
// param's name; and agent refusals turned into the same error shape.
import { AgentError } from "../../agent/runtime.ts";
import { invalidRequest } from "../protocol/frames.ts";

export function str(params: Record<string, unknown>, name: string): string {
  const value = params[name];
  if (typeof value !== "string" || value === "") throw invalidRequest(`${name} required`);
  return value;
}

export function int(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw invalidRequest(`${name} must be a non-negative integer`);
  return Math.min(value, max);
}

/** Runs an agent call, turning its refusals into INVALID_REQUEST with the reason's code. */
export async function agentCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof AgentError) throw invalidRequest(error.message, { code: error.code });
    throw error;
  }
}
