// What a custom field's side effect needs from the request, as one step: its argument value,
// the API's services, the verified user id (null when anonymous) and the caller's address.
import { context, type Step } from "grafast";
import type { ApiServices } from "../services.ts";
import "../context.ts";

export type RequestDeps<T> = readonly [T, ApiServices, string | null, string];

export function withRequest<T>($value: Step<T>) {
  return [$value, context().get("services"), context().get("userId"), context().get("ip")] as unknown as readonly [
    Step<T>,
    Step<ApiServices>,
    Step<string | null>,
    Step<string>,
  ];
}
