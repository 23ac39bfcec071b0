// Classifies a failed model call for the user (OpenClaw's errorKind) with a message that is safe
// to show: it never carries the API key or the request. Both SDKs throw errors with a numeric
// `status` for HTTP failures and named classes for connection problems, so this reads those.
import { ProviderError } from "./types.ts";

interface SdkError {
  name?: string;
  status?: number;
  message?: string;
  error?: { message?: string; error?: { message?: string } };
  cause?: { code?: string };
}

function detail(e: SdkError): string {
  return String(e.error?.error?.message ?? e.error?.message ?? e.message ?? "").slice(0, 300);
}

/** The ProviderError for a failed call to `provider` at `baseUrl`. Call only when the run was not aborted. */
export function classifyProviderError(error: unknown, provider: string, baseUrl: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = (error ?? {}) as SdkError;
  // The SDKs' error classes do not all set `name`: read the class name too.
  const name = `${e.name ?? ""} ${(error as object)?.constructor?.name ?? ""}`;
  if (/Timeout/i.test(name)) return new ProviderError(`the ${provider} model did not answer in time`, "timeout");
  if (/Connection/i.test(name) || (typeof e.status !== "number" && /ECONNREFUSED|ENOTFOUND|fetch failed/i.test(`${e.message} ${e.cause?.code}`))) {
    return new ProviderError(`could not reach the ${provider} model provider at ${baseUrl}`, "unknown");
  }
  const status = e.status;
  if (typeof status === "number") {
    const text = detail(e);
    if (status === 429) return new ProviderError(`the ${provider} model provider is rate limiting requests (429): ${text}`, "rate_limit", status);
    if ((status === 400 || status === 413) && /context|too long|maximum.*tokens|prompt is too long/i.test(text)) {
      return new ProviderError(`the conversation is too long for the model (${status}): ${text}`, "context_length", status);
    }
    if (status === 401 || status === 403) {
      return new ProviderError(`the ${provider} model provider refused the API key (${status})`, "unknown", status);
    }
    return new ProviderError(`the ${provider} model provider answered ${status}: ${text}`, "unknown", status);
  }
  return new ProviderError(`the ${provider} model call failed: ${String(e.message ?? error).slice(0, 300)}`, "unknown");
}
