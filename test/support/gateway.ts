// The real gateway started in the test process on a free port, and a small protocol client over
// `ws` for the tests that need to send exact (or deliberately wrong) frames. Node tests sign with
// real Ed25519 keys exactly as the OpenClaw node host does (v3 payload).
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import WebSocket from "ws";
import { loadConfig, type GatewayConfig } from "../../lib/config.ts";
import { startGateway, type Gateway } from "../../realtime/server.ts";

/** A gateway on a free port (or on `port`, e.g. to restart one where its clients expect it). */
export async function startTestGateway(overrides: Partial<GatewayConfig> = {}, port = 0): Promise<Gateway> {
  const config = loadConfig();
  return startGateway({ port, config: { ...config, gateway: { ...config.gateway, ...overrides } } });
}

export const wsUrl = (gw: Gateway) => `ws://127.0.0.1:${gw.port}`;

export interface DeviceIdentity {
  id: string;
  publicKey: string;
  privateKey: KeyObject;
}

export function newIdentity(): DeviceIdentity {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(12);
  return { id: createHash("sha256").update(raw).digest("hex"), publicKey: raw.toString("base64url"), privateKey };
}

export interface Frame {
  type: string;
  id?: string;
  ok?: boolean;
  payload?: any;
  error?: { code: string; message: string; details?: any; retryAfterMs?: number };
  event?: string;
  seq?: number;
}

export class ProtocolError extends Error {
  constructor(readonly error: NonNullable<Frame["error"]>) {
    super(`${error.code}: ${error.message}`);
  }
  get detailsCode(): string | undefined {
    return this.error.details?.code;
  }
}

/** One WebSocket to the gateway: requests with ids, every frame kept, close code recorded. */
export class RawClient {
  readonly frames: Frame[] = [];
  readonly events: Frame[] = [];
  challenge!: { nonce: string; ts: number };
  closed: Promise<{ code: number; reason: string }>;
  private waiters = new Map<string, (f: Frame) => void>();
  private listeners = new Set<(f: Frame) => void>();
  private counter = 0;

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on("message", (data) => {
      let f: Frame;
      try {
        f = JSON.parse(data.toString()) as Frame;
      } catch {
        return;
      }
      this.frames.push(f);
      if (f.type === "event") this.events.push(f);
      if (f.type === "res" && f.id && this.waiters.has(f.id)) {
        this.waiters.get(f.id)!(f);
        this.waiters.delete(f.id);
      }
      for (const l of this.listeners) l(f);
    });
    ws.on("error", () => undefined);
  }

  static async open(url: string): Promise<RawClient> {
    const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
    const client = new RawClient(ws);
    const challenge = client.nextEvent("connect.challenge", 5000);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    client.challenge = (await challenge).payload;
    return client;
  }

  nextEvent(name: string, timeoutMs = 5000, pred: (payload: any) => boolean = () => true): Promise<Frame> {
    const existing = this.events.find((e) => e.event === name && pred(e.payload));
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no ${name} event within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (f: Frame) => {
        if (f.type === "event" && f.event === name && pred(f.payload)) {
          clearTimeout(timer);
          this.listeners.delete(listener);
          resolve(f);
        }
      };
      this.listeners.add(listener);
    });
  }

  onEvent(name: string, fn: (payload: any) => void): void {
    this.listeners.add((f) => {
      if (f.type === "event" && f.event === name) fn(f.payload);
    });
  }

  send(value: unknown): void {
    this.ws.send(typeof value === "string" ? value : JSON.stringify(value));
  }

  /** Sends a request and resolves with its response frame (ok or not). */
  call(method: string, params: unknown = {}, timeoutMs = 10_000): Promise<Frame> {
    const id = `${++this.counter}:${randomUUID()}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no response within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.set(id, (f) => {
        clearTimeout(timer);
        resolve(f);
      });
      this.send({ type: "req", id, method, params });
    });
  }

  /** call(), resolving with the payload and rejecting with a ProtocolError. */
  async request<T = any>(method: string, params: unknown = {}, timeoutMs?: number): Promise<T> {
    const f = await this.call(method, params, timeoutMs);
    if (!f.ok) throw new ProtocolError(f.error!);
    return f.payload as T;
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    return this.closed;
  }
}

export interface ConnectOptions {
  role?: "operator" | "node";
  scopes?: string[];
  auth?: Record<string, string>;
  identity?: DeviceIdentity;
  commands?: string[];
  caps?: string[];
  displayName?: string;
  clientId?: string;
  /** Tamper with the signed fields. */
  sign?: { nonce?: string; signedAt?: number; id?: string; corrupt?: boolean };
}

export function connectParams(client: RawClient, o: ConnectOptions): Record<string, unknown> {
  const role = o.role ?? "operator";
  const clientInfo = {
    id: o.clientId ?? (role === "node" ? "node-host" : "cli"),
    displayName: o.displayName ?? "test-client",
    version: "2026.9.6",
    platform: "linux",
    deviceFamily: "Linux",
    mode: role === "node" ? "node" : "cli",
    instanceId: randomUUID(),
  };
  const scopes = o.scopes ?? (role === "node" ? [] : ["operator.read", "operator.write", "operator.pairing"]);
  const params: Record<string, unknown> = {
    minProtocol: 4,
    maxProtocol: 4,
    client: clientInfo,
    role,
    scopes,
    caps: o.caps ?? (role === "node" ? ["system"] : []),
    ...(role === "node" ? { commands: o.commands ?? ["system.which", "system.run"], pathEnv: "/usr/bin:/bin" } : {}),
    auth: o.auth ?? {},
  };
  if (o.identity) {
    const signedAt = o.sign?.signedAt ?? client.challenge.ts;
    const nonce = o.sign?.nonce ?? client.challenge.nonce;
    const id = o.sign?.id ?? o.identity.id;
    const auth = o.auth ?? {};
    const token = auth.token ?? auth.deviceToken ?? auth.bootstrapToken ?? "";
    const payload = ["v3", id, clientInfo.id, clientInfo.mode, role, scopes.join(","), String(signedAt), token, nonce, "linux", "linux"].join("|");
    const signature = sign(null, Buffer.from(payload), o.identity.privateKey);
    if (o.sign?.corrupt) signature[0] = signature[0]! ^ 0xff;
    params.device = { id, publicKey: o.identity.publicKey, signature: signature.toString("base64url"), signedAt, nonce };
  }
  return params;
}

/** Opens a socket and sends `connect`; resolves with the client and the hello-ok (or the error). */
export async function connect(url: string, o: ConnectOptions): Promise<{ client: RawClient; res: Frame }> {
  const client = await RawClient.open(url);
  const res = await client.call("connect", connectParams(client, o));
  return { client, res };
}

export async function connectOperator(url: string, accessToken: string, scopes?: string[]): Promise<RawClient> {
  const { client, res } = await connect(url, { role: "operator", auth: { token: accessToken }, scopes });
  if (!res.ok) throw new ProtocolError(res.error!);
  return client;
}

export type CommandHandler = (params: any) => { ok: true; payload: unknown } | { ok: false; error: { code: string; message: string } };

/** A protocol-level node: signs in, answers node.invoke.request with the given handlers. */
export async function connectNode(
  url: string,
  o: Omit<ConnectOptions, "role"> & { identity: DeviceIdentity; handlers?: Record<string, CommandHandler> },
): Promise<{ client: RawClient; hello: any }> {
  const { client, res } = await connect(url, { ...o, role: "node" });
  if (!res.ok) throw new ProtocolError(res.error!);
  const handlers: Record<string, CommandHandler> = {
    "system.which": (p) => ({ ok: true, payload: { bins: Object.fromEntries((p?.bins ?? []).map((b: string) => [b, `/usr/bin/${b}`])) } }),
    ...o.handlers,
  };
  client.onEvent("node.invoke.request", (req) => {
    const handler = handlers[req.command];
    const params = req.paramsJSON ? JSON.parse(req.paramsJSON) : req.params;
    const result = handler ? handler(params) : { ok: false as const, error: { code: "UNAVAILABLE", message: "command not supported" } };
    void client.call("node.invoke.result", {
      id: req.id,
      nodeId: req.nodeId,
      ok: result.ok,
      ...(result.ok ? { payloadJSON: JSON.stringify(result.payload) } : { error: result.error }),
    }).catch(() => undefined);
  });
  return { client, hello: res.payload };
}
