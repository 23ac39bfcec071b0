// One WebSocket client, as the gateway sees it: a small state machine
//   challenged (connect.challenge sent, waiting for `connect`) → authenticating → ready → closed
// plus everything that must never touch a closed uWS socket (sends, closes) and the per-connection
// limits: event sequence numbers, a request token bucket, malformed-frame offences, backpressure.
import { randomUUID } from "node:crypto";
import type { WebSocket } from "uWebSockets.js";
import type { Principal } from "./protocol/principal.ts";
import { closeReason, type ErrorShape } from "./protocol/frames.ts";

export interface SocketData {
  conn?: Connection;
  remoteIp: string;
}

export type ConnState = "challenged" | "authenticating" | "ready" | "closed";

export interface ConnectionLimits {
  maxBufferedBytes: number;
  requestsPerSecond: number;
  requestBurst: number;
}

export class Connection {
  readonly connId = randomUUID();
  readonly nonce = randomUUID();
  readonly openedAt = Date.now();
  state: ConnState = "challenged";
  principal: Principal | null = null;
  offences = 0;
  private seq = 0;
  private tokens: number;
  private refilledAt = Date.now();
  /** Called once when the socket is gone, whoever closed it. */
  onClosed: (() => void) | null = null;

  constructor(
    private readonly ws: WebSocket<SocketData>,
    readonly remoteIp: string,
    private readonly limits: ConnectionLimits,
    private readonly onSlowConsumer: (conn: Connection) => void,
  ) {
    this.tokens = limits.requestBurst;
  }

  get open(): boolean {
    return this.state !== "closed";
  }

  get userId(): string | null {
    return this.principal?.userId ?? null;
  }

  /** Serialises and sends; a value that cannot be serialised is logged by the caller's catch, never thrown at uWS. */
  private send(value: unknown): void {
    let text: string;
    try {
      text = JSON.stringify(value);
    } catch {
      text = JSON.stringify({ type: "res", id: (value as { id?: unknown }).id ?? "", ok: false, error: { code: "UNAVAILABLE", message: "response could not be encoded" } });
    }
    this.write(text);
  }

  private write(text: string): void {
    if (!this.open) return;
    const status = this.ws.send(text, false, false);
    if (status === 2 || this.ws.getBufferedAmount() > this.limits.maxBufferedBytes) {
      this.onSlowConsumer(this);
      this.close(1008, "slow consumer");
    }
  }

  /** connect.challenge carries no seq; every event after hello-ok is numbered from 1. */
  sendChallenge(): void {
    this.write(JSON.stringify({ type: "event", event: "connect.challenge", payload: { nonce: this.nonce, ts: Date.now() } }));
  }

  sendEvent(event: string, payload: unknown, extra: Record<string, unknown> = {}): void {
    if (this.state !== "ready") return;
    this.seq += 1;
    this.send({ type: "event", event, payload, seq: this.seq, ...extra });
  }

  reply(id: string, payload: unknown): void {
    this.send({ type: "res", id, ok: true, payload });
  }

  replyError(id: string, error: ErrorShape): void {
    this.send({ type: "res", id, ok: false, error });
  }

  /** Takes one request token; false when the connection is over its rate. */
  takeToken(now = Date.now()): boolean {
    const elapsed = (now - this.refilledAt) / 1000;
    this.refilledAt = now;
    this.tokens = Math.min(this.limits.requestBurst, this.tokens + elapsed * this.limits.requestsPerSecond);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  close(code: number, reason: string): void {
    if (!this.open) return;
    this.markClosed();
    try {
      this.ws.end(code, closeReason(reason));
    } catch {
      // already gone
    }
  }

  /** uWS reported the close (or we closed it): no more writes. */
  markClosed(): void {
    if (this.state === "closed") return;
    this.state = "closed";
    const done = this.onClosed;
    this.onClosed = null;
    done?.();
  }
}
