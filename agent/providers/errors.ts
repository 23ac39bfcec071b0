// How a model call fails, told to the user as OpenClaw's errorKind with a message that is safe to
// show: it names the provider and its base URL (configuration, not a secret) and never carries the
// API key or the request. Both SDKs throw errors with a numeric `status` for HTTP failures and
// named classes for connection problems; mid-stream socket failures come through unwrapped, as
// undici's own TypeError. Errors are recognised by shape and class name so that this file loads
// neither SDK (each is loaded only when its provider is first used).
import { ProviderError } from "./types.ts";

/** A base URL as shown to users: without credentials in it (user:password@, a query string). */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    u.search = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return "(the configured URL)";
  }
}

/** The endpoint a failed call went to. */
export interface ProviderTarget {
  provider: "openai" | "anthropic";
  baseUrl: string;
  /** Only to scrub it from anything the provider echoed back. */
  apiKey: string | null;
}

interface SdkError {
  name?: unknown;
  status?: unknown;
  message?: unknown;
  // openai keeps the body's `error` object here, @anthropic-ai/sdk the whole body.
  error?: { message?: unknown; code?: unknown; error?: { message?: unknown } };
  cause?: { code?: unknown; message?: unknown };
}

const TIMEOUT_CLASSES = new Set(["APIConnectionTimeoutError", "APIUserAbortError"]);
const CONTEXT_LENGTH = /context[ _-]?(length|window|limit)|maximum context|too long|too many tokens/i;
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|fetch failed/i;
const CUT_OFF = /UND_ERR_SOCKET|ECONNRESET|EPIPE|terminated/i;

function providerDetail(e: SdkError): string {
  const message = e.error?.error?.message ?? e.error?.message ?? e.message ?? "";
  return String(message).slice(0, 300);
}

/**
 * The ProviderError for a failed call to `target`. Call it only when the run was not aborted: a
 * user's abort must reach the runtime as the original error, not as a timeout.
 */
export function classifyProviderError(error: unknown, target: ProviderTarget): ProviderError {
  if (error instanceof ProviderError) return error;
  const { provider } = target;
  const baseUrl = shownUrl(target.baseUrl);
  const e: SdkError = typeof error === "object" && error !== null ? error : { message: String(error) };
  const className = (error as object | null)?.constructor?.name ?? "";
  const scrub = (text: string) => (target.apiKey ? text.split(target.apiKey).join("[API key]") : text);
  const make = (message: string, kind: ProviderError["kind"], status?: number) => new ProviderError(scrub(message), kind, status);

  if (TIMEOUT_CLASSES.has(className) || e.name === "AbortError" || e.name === "TimeoutError") {
    return make(`the ${provider} model did not answer in time`, "timeout");
  }
  const status = typeof e.status === "number" ? e.status : undefined;
  if (status === undefined) {
    const low = `${String(e.message ?? "")} ${String(e.cause?.code ?? "")} ${String(e.cause?.message ?? "")}`;
    if (className === "APIConnectionError" || UNREACHABLE.test(low)) {
      return make(`could not reach the ${provider} model provider at ${baseUrl}`, "unknown");
    }
    if (CUT_OFF.test(low)) return make(`the connection to the ${provider} model provider at ${baseUrl} broke off mid-answer`, "unknown");
    return make(`the ${provider} model call failed: ${String(e.message ?? "").slice(0, 300)}`, "unknown");
  }
  const detail = providerDetail(e);
  if (status === 429) return make(`the ${provider} model provider is rate limiting requests (429): ${detail}`, "rate_limit", status);
  // 413 is the request itself being too large: the same remedy as a too-long conversation.
  if (status === 413 || (status === 400 && (CONTEXT_LENGTH.test(detail) || e.error?.code === "context_length_exceeded"))) {
    return make(`the conversation is too long for the model (${status}): ${detail}`, "context_length", status);
  }
  if (status === 401 || status === 403) return make(`the ${provider} model provider refused the API key (${status})`, "unknown", status);
  return make(`the ${provider} model provider answered ${status}: ${detail}`, "unknown", status);
}

/**
 * The stream's events, failing with a timeout when none arrives for `idleMs`. The SDKs' own
 * timeout only covers the wait for the response headers, so a model that goes quiet mid-answer
 * would otherwise hold the run forever. `abort` ends the SDK's request; its stream then ends
 * quietly, and this throws the timeout instead.
 */
export async function* withSilenceLimit<T>(events: AsyncIterable<T>, abort: () => void, idleMs: number, provider: string): AsyncGenerator<T> {
  let silent = false;
  const arm = () => setTimeout(() => {
    silent = true;
    abort();
  }, idleMs);
  let timer = arm();
  try {
    for await (const event of events) {
      clearTimeout(timer);
      yield event;
      timer = arm();
    }
  } finally {
    clearTimeout(timer);
  }
  if (silent) throw new ProviderError(`the ${provider} model stopped answering for ${Math.round(idleMs / 1000)} s`, "timeout");
}
