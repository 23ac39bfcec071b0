// Drives a gateway with the REAL published operator client (`@openclaw/gateway-client`), the
// way third-party operator apps do: connect.challenge -> connect -> hello-ok, then requests
// and events. One helper call = one client = one WebSocket; automatic reconnect is suppressed
// (a rejected connect rejects the promise, a post-hello close ends the session), and close()
// waits for the socket to be gone so nothing keeps vitest alive.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import {
  GatewayClient,
  isGatewayProtocolResponseError,
  type DeviceIdentity,
  type GatewayClientHostDeps,
  type GatewayClientOptions,
} from "@openclaw/gateway-client";
import type { EventFrame, HelloOk } from "@openclaw/gateway-protocol";

export type { DeviceIdentity, HelloOk };

// ---------------------------------------------------------------------------------------------
// Device identity (Ed25519) and the in-memory device-token store the client's hostDeps expect
// ---------------------------------------------------------------------------------------------

export interface StoredDeviceToken {
  token: string;
  scopes: string[];
}

/** A device identity plus the host-owned storage the client reads and writes through hostDeps. */
export interface OperatorDevice {
  identity: DeviceIdentity;
  /** hex(sha256(raw public key)), what the client sends as `device.id`. */
  deviceId: string;
  /** Raw 32-byte public key, base64url without padding (what the client sends as `device.publicKey`). */
  publicKey: string;
  /** Device tokens issued in hello-ok.auth.deviceToken, keyed by role (the client stores them here). */
  tokens: Map<string, StoredDeviceToken>;
}

function rawPublicKeyBase64Url(publicKeyPem: string): string {
  const jwk = createPublicKey(publicKeyPem).export({ format: "jwk" });
  if (typeof jwk.x !== "string") throw new Error("not an Ed25519 public key");
  return jwk.x; // JWK `x` of an OKP key is exactly the raw key, base64url without padding
}

/** A fresh Ed25519 device identity in the client's `DeviceIdentity` shape (PEM keys). */
export function createOperatorDevice(): OperatorDevice {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const publicKeyPem = publicKey.export({ format: "pem", type: "spki" }).toString();
  const privateKeyPem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  const raw = rawPublicKeyBase64Url(publicKeyPem);
  const deviceId = createHash("sha256").update(Buffer.from(raw, "base64url")).digest("hex");
  return { identity: { deviceId, publicKeyPem, privateKeyPem }, deviceId, publicKey: raw, tokens: new Map() };
}

function deviceHostDeps(device: OperatorDevice): GatewayClientHostDeps {
  const own = (deviceId: string) => deviceId === device.deviceId;
  return {
    signDevicePayload: (privateKeyPem, payload) =>
      sign(null, Buffer.from(payload, "utf8"), createPrivateKey(privateKeyPem)).toString("base64url"),
    publicKeyRawBase64UrlFromPem: rawPublicKeyBase64Url,
    loadDeviceAuthToken: ({ deviceId, role }) => (own(deviceId) ? device.tokens.get(role) ?? null : null),
    storeDeviceAuthToken: ({ deviceId, role, token, scopes }) => {
      if (own(deviceId)) device.tokens.set(role, { token, scopes: [...scopes] });
    },
    clearDeviceAuthToken: ({ deviceId, role }) => {
      if (own(deviceId)) device.tokens.delete(role);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  details?: unknown;
  retryable?: unknown;
  retryAfterMs?: unknown;
}

function detailsCodeOf(details: unknown): string | undefined {
  if (details && typeof details === "object" && !Array.isArray(details)) {
    const code = (details as Record<string, unknown>).code;
    if (typeof code === "string" && code) return code;
  }
  return undefined;
}

function describeConnectError(err: unknown): string {
  const e = (err ?? {}) as ErrorLike;
  const message = err instanceof Error ? err.message : String(err);
  const code = typeof e.code === "string" ? e.code : undefined;
  const detailsCode = detailsCodeOf(e.details);
  return code ? `${code}${detailsCode ? `/${detailsCode}` : ""} ${message}` : message;
}

/** The gateway refused (or we could not complete) the connect handshake. */
export class OperatorConnectError extends Error {
  /** error.code from the gateway (e.g. INVALID_REQUEST); a Node/client code otherwise. */
  readonly code: string | undefined;
  /** error.details.code from the gateway (e.g. AUTH_TOKEN_MISMATCH). */
  readonly detailsCode: string | undefined;
  readonly details: unknown;
  /** True when the error came from a correlated gateway response (not a local/transport error). */
  readonly fromGateway: boolean;
  /** Close code/reason of the socket, when it closed before hello-ok. */
  closeCode?: number;
  closeReason?: string;
  constructor(message: string, source?: unknown) {
    super(message, source === undefined ? undefined : { cause: source });
    this.name = "OperatorConnectError";
    const e = (source ?? {}) as ErrorLike;
    this.code = typeof e.code === "string" ? e.code : undefined;
    this.details = e.details;
    this.detailsCode = detailsCodeOf(e.details);
    this.fromGateway = isGatewayProtocolResponseError(source);
  }
}

/** A request failed: gateway error response, client timeout, or connection gone. */
export class OperatorRequestError extends Error {
  /** error.code from the gateway; CLIENT_TIMEOUT for the client's deadline; CLIENT_ERROR otherwise. */
  readonly code: string;
  readonly details: unknown;
  readonly detailsCode: string | undefined;
  readonly retryable: boolean | undefined;
  readonly retryAfterMs: number | undefined;
  readonly method: string;
  readonly fromGateway: boolean;
  constructor(method: string, source: unknown) {
    const e = (source ?? {}) as ErrorLike;
    const message = typeof e.message === "string" ? e.message : String(source);
    super(`${method}: ${message}`, { cause: source });
    this.name = "OperatorRequestError";
    this.method = method;
    this.code = typeof e.code === "string" ? e.code : "CLIENT_ERROR";
    this.details = e.details;
    this.detailsCode = detailsCodeOf(e.details);
    this.retryable = typeof e.retryable === "boolean" ? e.retryable : undefined;
    this.retryAfterMs = typeof e.retryAfterMs === "number" ? e.retryAfterMs : undefined;
    this.fromGateway = isGatewayProtocolResponseError(source);
  }
}

// ---------------------------------------------------------------------------------------------
// Session
// ---------------------------------------------------------------------------------------------

export interface OperatorEvent {
  event: string;
  payload: unknown;
  seq?: number;
  stateVersion?: unknown;
}

export interface OperatorSession {
  /** The hello-ok payload. */
  hello: HelloOk;
  /** Device identity + token store (only with withDeviceIdentity / device). */
  device?: OperatorDevice;
  /**
   * Sends a request after hello-ok and resolves with its payload. `params` defaults to `{}`
   * (what the real clients send). Rejects with OperatorRequestError (.code, .details).
   */
  request<T = any>(method: string, params?: unknown, opts?: { timeoutMs?: number }): Promise<T>;
  /** Every event frame received (connect.challenge is consumed by the client and not listed). */
  events: OperatorEvent[];
  /**
   * Resolves with the payload of the first event named `name` matching `pred`, looking at
   * already-received events first, then waiting. Rejects on timeout or when the session ends.
   */
  waitForEvent(name: string, pred?: (payload: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Set once the socket is gone (gateway close, tick timeout, or close()). */
  readonly closed: { code: number; reason: string } | undefined;
  /** Resolves when the socket is gone, with its close code/reason. */
  whenClosed: Promise<{ code: number; reason: string }>;
  /** Client debug/error log lines (from hostDeps.logDebug/logError). */
  logs: string[];
  /** Stops the client (no reconnect), waits for the socket to close. Idempotent. */
  close(): Promise<void>;
}

export interface ConnectOperatorOptions {
  /** Requested scopes. Omitted -> the client's own default, ["operator.admin"]. */
  scopes?: string[];
  /** Create a fresh Ed25519 device identity and sign the connect (a `device` block is sent). */
  withDeviceIdentity?: boolean;
  /** Reuse a device (identity + stored device tokens), e.g. to reconnect with the issued device token. */
  device?: OperatorDevice;
  /** client.id (default "cli"). Not validated by the client; the gateway decides. */
  clientId?: string;
  /** client.mode (default derived from clientId: cli->cli, test->test, gateway-client->backend, …). */
  mode?: string;
  clientVersion?: string;
  clientDisplayName?: string;
  caps?: string[];
  /** Sent as auth.deviceToken. */
  deviceToken?: string;
  /** Sent as auth.password. */
  password?: string;
  /** Whole connect budget (socket + challenge + hello-ok). Default 10 s. */
  timeoutMs?: number;
  /** Default per-request deadline. Default 10 s (the client's own default is 30 s). */
  requestTimeoutMs?: number;
}

const MODE_FOR_CLIENT_ID: Record<string, string> = {
  cli: "cli",
  test: "test",
  "gateway-client": "backend",
  webchat: "webchat",
  "webchat-ui": "webchat",
  "openclaw-control-ui": "ui",
  "openclaw-tui": "ui",
  "openclaw-probe": "probe",
  "node-host": "node",
  "openclaw-worker": "worker",
};

const openSessions = new Set<OperatorSession>();

/** Closes every session still open (for afterEach/afterAll). */
export async function closeAllOperators(): Promise<void> {
  await Promise.all([...openSessions].map((s) => s.close()));
}

interface Waiter {
  name: string;
  pred: (payload: any) => boolean;
  resolve: (payload: any) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export async function connectOperator(
  url: string,
  token: string,
  opts: ConnectOperatorOptions = {},
): Promise<OperatorSession> {
  const device = opts.device ?? (opts.withDeviceIdentity ? createOperatorDevice() : undefined);
  const clientId = opts.clientId ?? "cli";
  const mode = opts.mode ?? MODE_FOR_CLIENT_ID[clientId] ?? "backend";
  const connectTimeoutMs = opts.timeoutMs ?? 10_000;

  const events: OperatorEvent[] = [];
  const waiters = new Set<Waiter>();
  const logs: string[] = [];
  let stopping = false;
  let failure: OperatorConnectError | undefined;
  let closed: { code: number; reason: string } | undefined;
  let resolveClosed!: (info: { code: number; reason: string }) => void;
  const whenClosed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));

  // Connect outcome, settled exactly once.
  let settle!: { resolve: (hello: HelloOk) => void; reject: (err: Error) => void };
  const helloPromise = new Promise<HelloOk>((resolve, reject) => (settle = { resolve, reject }));
  let settled = false;
  let connectTimer: ReturnType<typeof setTimeout> | undefined;

  const rejectWaiters = (err: Error) => {
    for (const w of waiters) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    waiters.clear();
  };

  const markClosed = (code: number, reason: string) => {
    if (closed) return;
    closed = { code, reason };
    resolveClosed(closed);
    rejectWaiters(new Error(`operator connection closed (${code}${reason ? ` ${reason}` : ""})`));
  };

  const options: GatewayClientOptions = {
    url,
    token: token || undefined,
    deviceToken: opts.deviceToken,
    password: opts.password,
    clientName: clientId as GatewayClientOptions["clientName"],
    mode: mode as GatewayClientOptions["mode"],
    clientVersion: opts.clientVersion ?? "0.0.0-test",
    clientDisplayName: opts.clientDisplayName ?? "vitest-operator",
    role: "operator",
    scopes: opts.scopes,
    caps: opts.caps,
    requestTimeoutMs: opts.requestTimeoutMs ?? 10_000,
    // Isolate from OPENCLAW_* variables of the developer's shell (handshake timeouts, insecure-ws
    // break-glass). Device-token storage is ours, so the env passed to hostDeps does not matter.
    env: {},
    // `null` (not undefined) = explicitly no identity; undefined would ask hostDeps for one.
    deviceIdentity: device ? device.identity : null,
    hostDeps: {
      ...(device ? deviceHostDeps(device) : {}),
      logDebug: (m) => void logs.push(`debug: ${m}`),
      logError: (m) => void logs.push(`error: ${m}`),
    },
    notifyOnStartupRetry: true,
    onHelloOk: (hello) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      settle.resolve(hello);
    },
    onEvent: (frame: EventFrame) => {
      const evt: OperatorEvent = { event: frame.event, payload: frame.payload };
      if (typeof frame.seq === "number") evt.seq = frame.seq;
      if (frame.stateVersion !== undefined) evt.stateVersion = frame.stateVersion;
      events.push(evt);
      for (const w of [...waiters]) {
        let hit = false;
        try {
          hit = w.name === evt.event && w.pred(evt.payload);
        } catch {
          hit = false;
        }
        if (hit) {
          waiters.delete(w);
          clearTimeout(w.timer);
          w.resolve(evt.payload);
        }
      }
    },
    // Fires for a rejected connect (gateway error response), a socket error before connect
    // (ECONNREFUSED, HTTP upgrade refused), a transport-policy error, a challenge timeout, or the
    // gateway closing after `connect` without answering. Fail fast and stop the client, so its
    // own reconnect logic (which retries on errors without a "pausing" details.code) never runs.
    onConnectError: (err) => fail(err),
    onClose: (code, reason, info) => {
      if (!settled) {
        // Closed before hello-ok without onConnectError (e.g. a clean 1000 close, which the client
        // would retry once). Treat it as a failed connect.
        const e = info?.connectError;
        const closeFailure = new OperatorConnectError(
          `gateway closed before hello-ok (${code}${reason ? ` ${reason}` : ""})${e ? `: ${e.message}` : ""}`,
          e,
        );
        closeFailure.closeCode = code;
        closeFailure.closeReason = reason;
        fail(closeFailure);
      } else if (failure && failure.closeCode === undefined) {
        failure.closeCode = code;
        failure.closeReason = reason;
      }
      // Stopping here, synchronously inside onClose, makes the client skip scheduleReconnect().
      if (!stopping) {
        stopping = true;
        client.stop();
      }
      markClosed(code, reason);
    },
  };

  const client = new GatewayClient(options);

  function fail(err: unknown): void {
    if (settled) return;
    settled = true;
    clearTimeout(connectTimer);
    const f =
      err instanceof OperatorConnectError
        ? err
        : new OperatorConnectError(`operator connect failed: ${describeConnectError(err)}`, err);
    failure = f;
    // Deferred so the client finishes its own failure handling first; then stop (cancels any
    // reconnect) and wait until the socket is really closed before rejecting.
    queueMicrotask(() => {
      stopping = true;
      client
        .stopAndWait({ timeoutMs: 2_000 })
        .catch(() => undefined)
        .finally(() => {
          if (!closed) markClosed(f.closeCode ?? 1005, f.closeReason ?? "connect failed");
          settle.reject(f);
        });
    });
  }

  connectTimer = setTimeout(
    () => fail(new OperatorConnectError(`operator connect timed out after ${connectTimeoutMs}ms`)),
    connectTimeoutMs,
  );

  try {
    client.start();
  } catch (err) {
    fail(err); // transport policy errors are rethrown from start()
  }

  const hello = await helloPromise;

  let closing: Promise<void> | undefined;
  const session: OperatorSession = {
    hello,
    device,
    events,
    logs,
    whenClosed,
    get closed() {
      return closed;
    },
    async request<T = any>(method: string, params?: unknown, ropts?: { timeoutMs?: number }): Promise<T> {
      try {
        return await client.request<T>(method, params === undefined ? {} : params, {
          timeoutMs: ropts?.timeoutMs,
        });
      } catch (err) {
        throw new OperatorRequestError(method, err);
      }
    },
    waitForEvent(name: string, pred: (payload: any) => boolean = () => true, timeoutMs = 10_000): Promise<any> {
      try {
        for (const evt of events) {
          if (evt.event === name && pred(evt.payload)) return Promise.resolve(evt.payload);
        }
      } catch (err) {
        return Promise.reject(err);
      }
      if (closed) {
        return Promise.reject(new Error(`operator connection closed (${closed.code}); no "${name}" event`));
      }
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          name,
          pred,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            reject(new Error(`timed out after ${timeoutMs}ms waiting for event "${name}"`));
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    close(): Promise<void> {
      closing ??= (async () => {
        stopping = true;
        openSessions.delete(session);
        try {
          // stop(): no reconnect, pending requests rejected, socket closed (client force-terminates
          // after 250 ms); stopAndWait resolves once the ws "close" event has fired.
          await client.stopAndWait({ timeoutMs: 2_000 });
        } catch {
          // stop timed out: the client already terminated the socket
        }
        markClosed(closed?.code ?? 1005, closed?.reason ?? "closed by test");
      })();
      return closing;
    },
  };
  openSessions.add(session);
  return session;
}
