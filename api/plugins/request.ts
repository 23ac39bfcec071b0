// What a custom field's side effect needs from the request, as one step: its argument value,
// the API's services, the verified user id (null when anonymous), the caller's address and the
// live sign-in's id.
import { context, type Step } from "grafast";
import type { ApiServices } from "../services.ts";
import "../context.ts";

export type RequestDeps<T> = readonly [T, ApiServices, string | null, string, string | null];

export function withRequest<T>($value: Step<T>) {
  return [$value, context().get("services"), context().get("userId"), context().get("ip"), context().get("sessionId")] as unknown as readonly [
    Step<T>,
    Step<ApiServices>,
    Step<string | null>,
    Step<string>,
    Step<string | null>,
  ];
}
