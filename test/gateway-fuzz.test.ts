// Fuzzing the realtime gateway's frame handling: thousands of random, truncated, oversized and
// wrongly-typed frames from many sockets, before authentication (fresh sockets, closed on their
// first bad frame, so they are reopened all the time) and after it (operator and node sockets of
// a "fuzz" tenant, closed after maxOffences malformed frames and reconnected). Meanwhile a second
// tenant's well-behaved operator + node keep doing node.invoke round trips, and must not notice.
//
// Reproducible: every worker draws its frames from its own seeded PRNG (FUZZ_SEED, printed at the
// start), a socket's whole plan at once, so the draws do not depend on timing. Only runtime values
// differ between runs: challenge nonces, device keys, ids, which fuzz node a live-node invoke hits,
// how the fuzz nodes answer the invokes that reach them, and (on a very slow machine) the deadline.
//
// The gateway runs in this process, so the test also checks the hub's counters, the pending-invoke
// table and the heap once the fuzz sockets are gone.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import v8 from "node:v8";
import vm from "node:vm";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import type { ApiServer } from "../api/server.ts";
import { getApiServices } from "../api/services.ts";
import { ROOT_DIR } from "../lib/config.ts";
import type { Gateway } from "../realtime/server.ts";
import { gql, startTestApi, type Session } from "./support/api.ts";
import { registerUser, rootPool, signedInToken } from "./support/db.ts";
import { onPlan } from "./support/plans.ts";
import {
  connect,
  connectNode,
  connectOperator,
  connectParams,
  newIdentity,
  RawClient,
  startTestGateway,
  wsUrl,
  type DeviceIdentity,
  type Frame,
} from "./support/gateway.ts";
import { freePort } from "./support/ports.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_f00d) >>> 0;
const PRE_AUTH_SOCKETS = 2600; // fresh sockets, 1-4 frames each
const OPERATOR_FRAMES = 6500; // planned; the tail of a plan after the gateway closes a socket is not sent
const NODE_FRAMES = 6500;
const WORKERS = { preAuth: 8, operator: 6, node: 6 }; // 20 fuzz sockets open at a time
const SLOW_SOCKETS = 10; // + 10 silent: pre-auth sockets that must be closed by the handshake timeout
const FUZZ_DEADLINE_MS = 40_000;
const WINDOW = 24; // requests in flight per post-auth socket
const MAX_OFFENCES = 5;
const HEAP_BOUND_BYTES = 50 * 1024 * 1024;
const RSS_BOUND_BYTES = 200 * 1024 * 1024; // RSS keeps allocator slack (and the 25 MiB frames' buffers): generous
const NODE_COMMANDS = ["system.which", "system.run", "fuzz.echo"];

// ---- seeded PRNG -------------------------------------------------------------------------------

class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** mulberry32 */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  weighted<T extends string>(table: Record<T, number>): T {
    const entries = Object.entries(table) as [T, number][];
    let r = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [k, w] of entries) if ((r -= w) < 0) return k;
    return entries[entries.length - 1]![0];
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

// ---- random values -----------------------------------------------------------------------------

const NASTY = [
  "", " ", "\u0000", "\ud800", "\udfff", "\uffff", "\u202e", "💥", "\r\n", "\\", '"', "{", "[", "null", "undefined",
  "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "'; drop table app_public.users; --",
  "%s%s%n", "../../etc/passwd", "${7*7}", "<script>", "a".repeat(300),
];
const PRIMITIVES = ["null", "true", "false", "0", "-1", "1e309", "-0", '"req"', '""', "[]", "[{}]", "{}", '["req"]', "[null]", " ", "", "{", "}", "[", '{"type":"req"'];

function str(rng: Rng, max = 24): string {
  if (rng.chance(0.12)) return rng.pick(NASTY);
  const len = rng.int(max + 1);
  let s = "";
  for (let i = 0; i < len; i++) {
    const r = rng.next();
    if (r < 0.75) s += String.fromCharCode(rng.range(0x20, 0x7e));
    else if (r < 0.83) s += String.fromCharCode(rng.range(1, 0x1f));
    else if (r < 0.97) s += String.fromCharCode(rng.range(0xa0, 0xd7ff));
    else s += String.fromCharCode(rng.range(0xd800, 0xdfff)); // lone surrogate
  }
  return s;
}

function value(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 2 ? 6 : 9)) {
    case 0: return null;
    case 1: return rng.chance(0.5);
    case 2: return rng.range(-1000, 1000);
    case 3: return rng.pick([0, -0, 0.5, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 2 ** 53]);
    case 4:
    case 5: return str(rng);
    case 6: return Array.from({ length: rng.int(4) }, () => value(rng, depth + 1));
    case 7: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(4); i > 0; i--) o[rng.chance(0.2) ? rng.pick(NASTY) : str(rng, 8)] = value(rng, depth + 1);
      return o;
    }
    default: return rng.pick([{}, [], "", 0, { nodeId: 1 }, { id: null }]);
  }
}

/** A non-string value (wrong type for a string field). */
function notString(rng: Rng): unknown {
  return rng.pick([null, 0, 1, -1, true, false, [], {}, ["x"], { a: 1 }, 1.5]);
}

/** Replaces, removes or retypes one field somewhere in a copy of `obj`. */
function mutate(rng: Rng, obj: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(obj);
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    if (v && typeof v === "object") for (const [k, c] of Object.entries(v)) { paths.push([...p, k]); walk(c, [...p, k]); }
  };
  walk(copy, []);
  if (paths.length === 0) return copy;
  for (let n = rng.range(1, 3); n > 0; n--) {
    const path = rng.pick(paths);
    let parent: any = copy;
    for (const k of path.slice(0, -1)) parent = parent?.[k];
    if (!parent || typeof parent !== "object") continue;
    const key = path[path.length - 1]!;
    const r = rng.int(4);
    if (r === 0) delete parent[key];
    else if (r === 1) parent[key] = notString(rng);
    else if (r === 2) parent[key] = value(rng);
    else parent[key] = str(rng, 64);
  }
  return copy;
}

const deepArray = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

// ---- frames ------------------------------------------------------------------------------------

interface Out {
  data: string | Buffer;
  binary?: boolean;
  /** invalid UTF-8 in a text frame */
  badUtf8?: boolean;
  /** over the gateway's 25 MiB maxPayload */
  overMax?: boolean;
  /** the response is allowed to take this long (node.invoke against a fuzz node) */
  slow?: boolean;
}

const text = (data: string, slow = false): Out => ({ data, slow });
const hasNul = (o: Out) => typeof o.data === "string" && (o.data.includes("\\u0000") || o.data.includes("\u0000"));
/** Any UTF-16 surrogate, raw (emoji, lone ones) or escaped by JSON.stringify (lone ones). */
const hasSurrogate = (o: Out) => typeof o.data === "string" && (/[\ud800-\udfff]/.test(o.data) || /\\ud[89a-f]/i.test(o.data));

/** Garbage that is not a well-formed request: an offence after authentication. */
function malformed(rng: Rng, valid: () => Record<string, unknown>): Out {
  switch (rng.weighted({ raw: 4, primitive: 3, truncated: 4, wrongTypes: 6, binary: 2, deep: 1, notReq: 2 })) {
    case "raw": return text(str(rng, 200));
    case "primitive": return text(rng.pick(PRIMITIVES));
    case "truncated": {
      const s = JSON.stringify(valid());
      return text(s.slice(0, rng.int(s.length)));
    }
    case "wrongTypes": {
      const f: Record<string, unknown> = { type: "req", id: `w${rng.int(1e9)}`, method: rng.pick(["health", "node.list", "node.event"]), params: {} };
      switch (rng.int(7)) {
        case 0: f.id = notString(rng); break;
        case 1: f.method = notString(rng); break;
        case 2: f.id = ""; break;
        case 3: f.method = ""; break;
        case 4: delete f[rng.pick(["type", "id", "method"])]; break;
        case 5: f.traceparent = "t".repeat(rng.range(129, 400)); break;
        default: f.type = rng.pick([null, 1, "REQ", "res", "event", "", ["req"]]);
      }
      return text(JSON.stringify(f));
    }
    case "binary": return { data: rng.bytes(rng.range(0, 512)), binary: true };
    case "deep": return text(rng.chance(0.5) ? deepArray(rng.range(100, 30_000)) : `[${deepObject(rng.range(100, 5_000))}]`);
    default: return text(JSON.stringify({ ...valid(), type: rng.pick(["res", "event", "request"]) }));
  }
}

let ids = 0;
const rid = () => `fz:${++ids}`;
const req = (method: string, params: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: "req", id: rid(), method, params, ...extra });

// ---- bookkeeping -------------------------------------------------------------------------------

type Kind = "pre" | "operator" | "node" | "slow";

interface SocketRecord {
  kind: Kind;
  sent: number;
  responses: number;
  errors: number;
  helloOk: boolean;
  closeCode: number | null;
  closeReason: string;
  clientClosed: boolean;
  hung: boolean;
  badUtf8: boolean;
  overMax: boolean;
  nul: boolean;
  surrogate: boolean;
  /** pre-auth: the socket sent valid credentials after garbage; must never get hello-ok */
  garbageFirst: boolean;
  /** pre-auth: which kind of garbage it sent */
  what: string;
}

const stats = {
  frames: { pre: 0, operator: 0, node: 0 },
  sockets: { pre: 0, operator: 0, node: 0, slow: 0 },
  openFailures: 0,
  authFailures: [] as string[],
  closeCodes: new Map<string, number>(),
  errorCodes: new Map<string, number>(),
  internalErrors: [] as string[],
  okResponses: 0,
  invokesAnswered: 0,
  records: [] as SocketRecord[],
};

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/** Counts responses and the close of one socket, and wakes whoever waits on it. */
class Tracked {
  readonly rec: SocketRecord;
  private wake: (() => void) | null = null;
  /** id → the frame text (trimmed), to name the frame behind an internal error */
  private readonly sentIds = new Map<string, string>();

  constructor(readonly client: RawClient, kind: Kind) {
    this.rec = {
      kind, sent: 0, responses: 0, errors: 0, helloOk: false, closeCode: null, closeReason: "", clientClosed: false,
      hung: false, badUtf8: false, overMax: false, nul: false, surrogate: false, garbageFirst: false, what: "",
    };
    stats.records.push(this.rec);
    stats.sockets[kind] += 1;
    client.ws.on("message", (data: Buffer) => {
      let f: Frame;
      try {
        f = JSON.parse(data.toString()) as Frame;
      } catch {
        return;
      }
      if (f.type !== "res") return;
      this.rec.responses += 1;
      if (f.ok && f.payload?.type === "hello-ok") this.rec.helloOk = true;
      if (f.ok) stats.okResponses += 1;
      else {
        this.rec.errors += 1;
        const e = f.error!;
        const detail = typeof e.details?.code === "string" ? e.details.code : e.message.replace(/:.*$/s, "").slice(0, 40);
        bump(stats.errorCodes, `${e.code}/${detail}`);
        if (e.message === "internal error" && stats.internalErrors.length < 2000) {
          stats.internalErrors.push(`${kind}: ${(this.sentIds.get(f.id ?? "") ?? "?").slice(0, 160)}`);
        }
      }
      if (f.id) this.sentIds.delete(f.id);
      this.notify();
    });
    void client.closed.then(({ code, reason }) => {
      this.rec.closeCode = code;
      this.rec.closeReason = reason;
      if (!this.rec.clientClosed) bump(stats.closeCodes, `${kind} ${code} ${reason.slice(0, 40)}`);
      this.notify();
    });
  }

  get closed(): boolean {
    return this.rec.closeCode !== null;
  }

  get outstanding(): number {
    return this.rec.sent - this.rec.responses;
  }

  send(out: Out): boolean {
    const ws = this.client.ws;
    if (this.closed || ws.readyState !== ws.OPEN) return false;
    ws.send(out.data, { binary: out.binary ?? false });
    this.rec.sent += 1;
    stats.frames[this.rec.kind === "slow" ? "pre" : this.rec.kind] += 1;
    if (out.badUtf8) this.rec.badUtf8 = true;
    if (out.overMax) this.rec.overMax = true;
    if (hasNul(out)) this.rec.nul = true;
    if (hasSurrogate(out)) this.rec.surrogate = true;
    if (typeof out.data === "string") {
      const m = /^\{"type":"req","id":"([^"]+)"/.exec(out.data.slice(0, 300));
      if (m) this.sentIds.set(m[1]!, out.data.slice(0, 300));
    }
    return true;
  }

  notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Waits until `pred` holds (re-checked on every response and on close); false on timeout. */
  async until(pred: () => boolean, timeoutMs: number): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (!pred()) {
      const left = end - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return true;
  }

  /** Lets the socket go: a close from our side after everything was answered. */
  async finish(drainMs: number): Promise<void> {
    if (!(await this.until(() => this.closed || this.outstanding <= 0, drainMs))) this.rec.hung = true;
    if (!this.closed) {
      this.rec.clientClosed = true;
      this.client.ws.close(1000);
      if (!(await this.until(() => this.closed, 5000))) {
        this.rec.hung = true;
        this.client.ws.terminate();
      }
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function gcFunction(): (() => void) | null {
  if (typeof globalThis.gc === "function") return globalThis.gc;
  try {
    v8.setFlagsFromString("--expose-gc");
    return vm.runInNewContext("gc") as () => void;
  } catch {
    return null;
  }
}

async function settledMemory(gc: (() => void) | null): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 4; i++) {
    gc?.();
    await sleep(gc ? 100 : 1000);
  }
  return process.memoryUsage();
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** A user with an access token. Registers with the database function and signs the token with the
 *  API's key: a sign-up through the API costs seconds here (see the report on auth_login). */
async function tenant(root: pg.Pool, label: string): Promise<Session> {
  const userId = await registerUser(root, label);
  const { token } = await signedInToken(root, userId);
  return { userId, email: "", password: "", accessToken: token, refreshToken: "" };
}

async function issueNodeToken(api: ApiServer, s: Session): Promise<string> {
  const r = await gql<{ issueNodeToken: { result: { secret: string } } }>(
    api, `mutation { issueNodeToken(input:{label:"fuzz", autoApprove:true}) { result { rowId secret } } }`, {}, s.accessToken,
  );
  if (!r.data) throw new Error(`issueNodeToken: ${JSON.stringify(r.errors)}`);
  return r.data.issueNodeToken.result.secret;
}

// ---- the suite -----------------------------------------------------------------------------------

let api: ApiServer;
let gw: Gateway;
let url: string;
let fuzzUser: Session;
let fuzzToken: string;
let victim: Session;
let redis: Redis;
let root: pg.Pool;

beforeAll(async () => {
  api = await startTestApi();
  gw = await startTestGateway({ maxOffences: MAX_OFFENCES });
  url = wsUrl(gw);
  redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379/1");
  root = rootPool();
  fuzzUser = await tenant(root, "fuzz");
  // Fuzzed enrolments pair many devices: more than the default plan allows.
  await onPlan(root, [fuzzUser.userId]);
  fuzzToken = await issueNodeToken(api, fuzzUser);
  victim = await tenant(root, "victim");
});

afterAll(async () => {
  await gw?.close();
  await api?.close();
  await redis?.quit();
  await root?.end();
});

describe("gateway under frame fuzzing", () => {
  it("survives random, truncated, oversized and wrongly-typed frames from many sockets", async () => {
    const started = Date.now();
    const gc = gcFunction();
    console.log(`gateway fuzz: FUZZ_SEED=${SEED} (0x${SEED.toString(16)}), gc ${gc ? "available" : "unavailable (settle periods)"}`);

    // The other tenant's well-behaved session, opened before the fuzzing.
    const victimToken = await issueNodeToken(api, victim);
    const victimIdentity = newIdentity();
    const victimNode = await connectNode(url, { identity: victimIdentity, auth: { token: victimToken } });
    const victimRequests: string[] = [];
    victimNode.client.onEvent("node.invoke.request", (p) => victimRequests.push(String(p.idempotencyKey)));
    const victimOp = await connectOperator(url, victim.accessToken);
    const victimPresence: string[][] = [];
    victimOp.onEvent("presence", (p) => victimPresence.push((p.presence as { deviceId: string }[]).map((e) => e.deviceId)));
    const first = await victimOp.request("node.invoke", { nodeId: victimIdentity.id, command: "system.which", params: { bins: ["sh"] }, idempotencyKey: "victim-warmup" });
    expect(first.payload).toEqual({ bins: { sh: "/usr/bin/sh" } });
    await sleep(300);
    const baselineCounts = gw.hub.counts();
    expect(baselineCounts).toEqual({ devices: 1, operators: 1, users: 1 });
    const baseline = await settledMemory(gc);

    // Live fuzz-tenant nodes, for operators to invoke (their answers are part of the fuzzing).
    const liveFuzzNodes = new Set<string>();
    let fuzzing = true;
    const deadline = Date.now() + FUZZ_DEADLINE_MS;

    // -- the victim's round trips, all through the fuzzing
    const victimStats = { ok: 0, failed: [] as string[], maxMs: 0, okWhileFuzzing: 0 };
    const victimLoop = async (k: number) => {
      for (let i = 0; fuzzing; i++) {
        const key = `victim-${k}-${i}`;
        const t0 = Date.now();
        try {
          const r = await victimOp.call("node.invoke", { nodeId: victimIdentity.id, command: "system.which", params: { bins: [key] }, idempotencyKey: key, timeoutMs: 5000 }, 10_000);
          if (r.ok && r.payload?.payload?.bins?.[key] === `/usr/bin/${key}`) {
            victimStats.ok += 1;
            if (fuzzing) victimStats.okWhileFuzzing += 1;
          } else victimStats.failed.push(JSON.stringify(r).slice(0, 300));
        } catch (error) {
          victimStats.failed.push(String(error));
        }
        victimStats.maxMs = Math.max(victimStats.maxMs, Date.now() - t0);
        victimOp.frames.length = 0;
        victimOp.events.length = 0;
        victimNode.client.frames.length = 0;
        victimNode.client.events.length = 0;
        await sleep(40); // ~50 invokes/s over two loops: under the 100/s request limit
      }
    };

    // -- slowloris: a truncated WebSocket frame (header says 1000 bytes, 3 arrive) and silence
    const slowloris = async (partial: boolean) => {
      const t0 = Date.now();
      const client = await RawClient.open(url);
      const t = new Tracked(client, "slow");
      if (partial) (client.ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(Buffer.from([0x81, 0x80 | 126, 0x03, 0xe8, 1, 2, 3, 4, 0x7a, 0x7a, 0x7a]));
      if (!(await t.until(() => t.closed, 25_000))) {
        t.rec.hung = true;
        client.ws.terminate();
      }
      return Date.now() - t0;
    };

    // -- pre-auth: fresh sockets, garbage as the first frame(s)
    const preAuthWorker = async (w: number) => {
      const rng = new Rng(SEED ^ Math.imul(w + 1, 0x9e3779b1));
      for (let done = 0; done < PRE_AUTH_SOCKETS / WORKERS.preAuth && Date.now() < deadline; done++) {
        let client: RawClient;
        try {
          client = await RawClient.open(url);
        } catch {
          stats.openFailures += 1;
          continue;
        }
        const t = new Tracked(client, "pre");
        const garbageToken = () => (rng.chance(0.1) ? "oc_node_fuzz-repeated-bad-token" : rng.chance(0.5) ? `oc_node_${str(rng, 40)}` : str(rng, 80));
        const anyConnect = () => {
          const role = rng.pick(["operator", "node"] as const);
          const p = connectParams(client, {
            role,
            auth: rng.chance(0.15) ? {} : { [rng.pick(["token", "password", "deviceToken", "bootstrapToken"])]: garbageToken() },
            identity: role === "node" || rng.chance(0.2) ? newIdentity() : undefined,
            sign: rng.chance(0.2) ? { corrupt: true } : rng.chance(0.1) ? { nonce: str(rng) } : undefined,
          });
          return { type: "req", id: rid(), method: "connect", params: p };
        };
        const frames: Out[] = [];
        const what = rng.weighted({ malformed: 30, notConnect: 8, badParams: 12, protocol: 5, role: 4, credentials: 14, oversize: 5, invalidUtf8: 1, garbageFirst: 4, connectThenGarbage: 3, burst: 6 });
        t.rec.what = what;
        switch (what) {
          case "malformed": frames.push(malformed(rng, anyConnect)); break;
          case "notConnect": frames.push(text(req(rng.pick(["health", "node.list", "node.invoke", "node.invoke.result", str(rng)]), value(rng)))); break;
          case "badParams": frames.push(text(JSON.stringify({ type: "req", id: rid(), method: "connect", params: rng.chance(0.1) ? value(rng) : mutate(rng, anyConnect().params) }))); break;
          case "protocol": {
            const c = anyConnect();
            const v = rng.chance(0.5) ? rng.range(0, 3) : rng.range(5, 99);
            frames.push(text(JSON.stringify({ ...c, params: { ...c.params, minProtocol: v, maxProtocol: rng.chance(0.5) ? v : v + rng.range(0, 3) } })));
            break;
          }
          case "role": {
            const c = anyConnect();
            frames.push(text(JSON.stringify({ ...c, params: { ...c.params, role: rng.pick(["admin", "root", "Operator", "system", str(rng)]) } })));
            break;
          }
          case "credentials": frames.push(text(JSON.stringify(anyConnect()))); break;
          case "oversize": {
            const n = 64 * 1024 + rng.range(1, rng.chance(0.9) ? 200_000 : 2_000_000);
            if (rng.chance(0.3)) frames.push({ data: rng.bytes(n), binary: true });
            else frames.push(text(rng.chance(0.5) ? "x".repeat(n) : JSON.stringify({ ...anyConnect(), pad: "p".repeat(n) })));
            break;
          }
          case "invalidUtf8": frames.push({ data: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x7d]), badUtf8: true }); break;
          case "garbageFirst":
            // garbage, then (in the same TCP burst) a perfectly valid operator connect: must not get in
            frames.push(malformed(rng, anyConnect));
            frames.push(text(JSON.stringify({ type: "req", id: rid(), method: "connect", params: connectParams(client, { role: "operator", auth: { token: fuzzUser.accessToken } }) })));
            t.rec.garbageFirst = true;
            break;
          case "connectThenGarbage":
            // a valid connect, then garbage while it is being authenticated
            frames.push(text(JSON.stringify({ type: "req", id: rid(), method: "connect", params: connectParams(client, { role: "operator", auth: { token: fuzzUser.accessToken } }) })));
            frames.push(malformed(rng, anyConnect));
            break;
          default:
            for (let i = rng.range(2, 4); i > 0; i--) frames.push(malformed(rng, anyConnect));
        }
        for (const f of frames) t.send(f);
        // Closed by the gateway, or (valid connect that won the race with the garbage) answered.
        const done = await t.until(() => t.closed || (t.rec.helloOk && t.outstanding <= 0), 10_000);
        if (!done) t.rec.hung = true;
        await t.finish(1000);
      }
    };

    // -- post-auth: each socket's frames are drawn up front (a plan), so a worker's draws do not
    //    depend on when the gateway closes the socket. What only exists at run time (a live fuzz
    //    node, an invoke id a node was sent) is a placeholder with a pre-drawn choice.
    const LIVE = (u: number) => `@@LIVE:${u}@@`;
    const PENDING = (u: number) => `@@PENDING:${u}@@`;
    const resolve = (out: Out, pendingIds: string[] = []): Out => {
      if (out.overMax) return { ...out, data: "o".repeat(25 * 1024 * 1024 + 1024) };
      if (typeof out.data !== "string" || !out.data.includes("@@")) return out;
      const live = [...liveFuzzNodes];
      const data = out.data
        .replace(/@@LIVE:([0-9.e-]+)@@/g, (_, u) => (live.length ? live[Math.floor(Number(u) * live.length)]! : "no-live-node"))
        .replace(/@@PENDING:([0-9.e-]+)@@/g, (_, u) => (pendingIds.length ? pendingIds[Math.floor(Number(u) * pendingIds.length)]! : "no-pending-invoke"));
      return { ...out, data };
    };
    interface Step {
      frames: Out[];
      pauseMs: number;
    }
    const overMaxStep: Step = { frames: [{ data: "", overMax: true }], pauseMs: 0 };

    /** Runs one socket's plan: frames in order, at most WINDOW unanswered, until the plan ends or the gateway closes it. */
    const runPlan = async (t: Tracked, plan: Step[], pendingIds?: string[]) => {
      for (const step of plan) {
        if (t.closed) break;
        for (const f of step.frames) t.send(resolve(f, pendingIds));
        if (!(await t.until(() => t.closed || t.outstanding < WINDOW, 10_000))) {
          t.rec.hung = true;
          break;
        }
        if (step.pauseMs > 0) await sleep(step.pauseMs);
      }
      await t.finish(10_000);
    };

    // -- post-auth operators of the fuzz tenant
    const operatorStep = (rng: Rng, client: RawClient): Step => {
      const anyNodeId = () => {
        const r = rng.int(10);
        const u = rng.next();
        const junk = rng.chance(0.8) ? str(rng, 70) : notString(rng);
        if (r < 3) return LIVE(u);
        if (r < 5) return victimIdentity.id; // the other tenant's node
        if (r < 6) return newIdentity().id;
        return junk;
      };
      const validInvoke = () => ({ type: "req", id: rid(), method: "node.invoke", params: { nodeId: anyNodeId(), command: "system.which", params: {}, idempotencyKey: str(rng, 10) || "k", timeoutMs: 300 } });
      const frames: Out[] = [];
      switch (rng.weighted({ malformed: 10, reconnect: 1, unknownMethod: 9, roleMismatch: 4, invokeInvalid: 14, invokeOther: 10, invokeLive: 8, describe: 5, pairing: 5, reads: 8, paramsType: 5, big: 1.5, hugeMethod: 0.5, flood: 0.25, invalidUtf8: 0.15 })) {
        case "malformed": frames.push(malformed(rng, validInvoke)); break;
        case "reconnect": frames.push(text(req("connect", connectParams(client, { role: "operator", auth: { token: fuzzUser.accessToken } })))); break;
        case "unknownMethod": frames.push(text(req(rng.chance(0.3) ? rng.pick(["__proto__", "constructor", "toString", "hasOwnProperty", "chat.send", "node.pair.request", "system.run"]) : str(rng, 30) || "x", value(rng)))); break;
        case "roleMismatch": frames.push(text(req(rng.pick(["node.event", "node.invoke.result", "skills.bins", "node.pending.pull"]), value(rng)))); break;
        case "invokeInvalid": frames.push(text(JSON.stringify({ ...validInvoke(), params: mutate(rng, validInvoke().params) }))); break;
        case "invokeOther": {
          const params: Record<string, unknown> = { nodeId: anyNodeId(), command: rng.pick([...NODE_COMMANDS, str(rng)]), idempotencyKey: str(rng) || "k", timeoutMs: rng.range(1, 500) };
          const deep = rng.chance(0.03);
          if (deep) params.params = "__DEEP__";
          else if (rng.chance(0.5)) params.params = value(rng);
          const frame = req("node.invoke", params);
          // nested deeper than JSON.stringify can go: spliced in as text
          frames.push(text(deep ? frame.replace('"__DEEP__"', deepArray(rng.range(3000, 8000))) : frame, true));
          break;
        }
        case "invokeLive": {
          const command = rng.chance(0.8) ? rng.pick(NODE_COMMANDS) : str(rng);
          frames.push(text(req("node.invoke", { nodeId: LIVE(rng.next()), command, params: value(rng), idempotencyKey: `fz-${rng.int(1e9)}`, timeoutMs: rng.range(1, 1000) }), true));
          break;
        }
        case "describe": frames.push(text(req("node.describe", rng.chance(0.7) ? { nodeId: anyNodeId() } : value(rng)))); break;
        case "pairing": frames.push(text(req(rng.pick(["node.pair.approve", "node.pair.reject"]), { requestId: rng.chance(0.5) ? randomUUID() : value(rng) }))); break;
        case "reads": frames.push(text(req(rng.pick(["health", "status", "node.list", "system-presence", "node.pair.list"]), rng.chance(0.8) ? {} : value(rng)))); break;
        case "paramsType": frames.push(text(req(rng.pick(["node.list", "node.invoke", "node.describe", "health"]), rng.pick(["str", 42, [], [1, 2], true, null, -1])))); break;
        case "big": frames.push(text(req(rng.pick(["node.invoke", "health", str(rng)]), { nodeId: "n", command: "c", idempotencyKey: "k", blob: "b".repeat(rng.range(100_000, 3_000_000)) }))); break;
        case "hugeMethod": frames.push(text(req("m".repeat(rng.range(1000, 200_000)), {}))); break;
        case "flood": for (let i = 0; i < 260; i++) frames.push(text(req("health", {}))); break;
        case "invalidUtf8": frames.push({ data: Buffer.from('{"type":"req","id":"u","method":"\xff\xfe"}', "latin1"), badUtf8: true }); break;
      }
      return { frames, pauseMs: 0 };
    };

    const operatorWorker = async (w: number) => {
      const rng = new Rng(SEED ^ Math.imul(w + 101, 0x85ebca6b));
      let planned = 0;
      for (let socketNo = 0; planned < OPERATOR_FRAMES / WORKERS.operator && Date.now() < deadline; socketNo++) {
        const scopes = rng.chance(0.2) ? rng.pick([[], ["operator.read"], ["operator.write"], ["operator.bogus"], ["operator.admin"]]) : undefined;
        const steps = rng.range(5, 80);
        let client: RawClient;
        try {
          client = await connectOperator(url, fuzzUser.accessToken, scopes);
        } catch (error) {
          stats.authFailures.push(`operator: ${String(error)}`);
          await sleep(100);
          continue;
        }
        const plan = Array.from({ length: steps }, () => operatorStep(rng, client));
        if (w === 0 && socketNo === 3) plan.splice(steps >> 1, 0, overMaxStep); // one frame over maxPayload (25 MiB)
        planned += plan.reduce((n, step) => n + step.frames.length, 0);
        await runPlan(new Tracked(client, "operator"), plan);
      }
    };

    // -- post-auth nodes of the fuzz tenant (one identity per worker at a time, so a reconnect replaces nothing)
    const nodeStep = (rng: Rng, client: RawClient, identity: DeviceIdentity): Step => {
      const nodeId = identity.id;
      const validResult = () => ({ type: "req", id: rid(), method: "node.invoke.result", params: { id: randomUUID(), nodeId, ok: true, payload: {} } });
      const frames: Out[] = [];
      switch (rng.weighted({ malformed: 10, reconnect: 1, resultUnknown: 8, resultInvalid: 10, resultLate: 3, event: 10, hostStats: 4, execFinished: 3, payloadJSON: 4, operatorMethod: 5, unknownMethod: 8, nodeReads: 6, big: 1.5, flood: 0.25, invalidUtf8: 0.15 })) {
        case "malformed": frames.push(malformed(rng, validResult)); break;
        case "reconnect": frames.push(text(req("connect", connectParams(client, { role: "node", identity, auth: { token: fuzzToken } })))); break;
        case "resultUnknown": frames.push(text(req("node.invoke.result", { id: rng.chance(0.5) ? randomUUID() : str(rng, 40) || "x", nodeId, ok: rng.chance(0.5), payload: value(rng) }))); break;
        case "resultInvalid": frames.push(text(JSON.stringify({ ...validResult(), params: mutate(rng, validResult().params) }))); break;
        case "resultLate": frames.push(text(req("node.invoke.result", { id: PENDING(rng.next()), nodeId, ok: true, payloadJSON: "{}" }))); break;
        case "event": frames.push(text(req("node.event", rng.chance(0.7) ? { event: str(rng) || "e", payload: value(rng) } : mutate(rng, { event: "node.host.stats", payload: {} })))); break;
        case "hostStats": {
          // nesting bounded (< 1,500): deeper, node.list's reply could overflow JSON.stringify, the crash below
          const payload = rng.chance(0.1) ? JSON.parse(deepObject(rng.range(900, 1500))) : rng.chance(0.5) ? { cpu: value(rng), mem: value(rng), [str(rng, 6)]: value(rng) } : value(rng);
          frames.push(text(req("node.event", { event: "node.host.stats", payload })));
          break;
        }
        case "execFinished": frames.push(text(req("node.event", { event: "exec.finished", payload: rng.chance(0.8) ? { runId: str(rng), exitCode: value(rng) } : value(rng) }))); break;
        case "payloadJSON": {
          const payloadJSON = rng.pick([str(rng, 50), "{", "[]", "null", JSON.stringify({ cpu: 1 }), "x".repeat(256 * 1024 + rng.range(1, 5000)), deepArray(rng.range(10, 20_000))]);
          frames.push(text(req("node.event", { event: rng.pick(["node.host.stats", "exec.finished", str(rng)]), payloadJSON })));
          break;
        }
        case "operatorMethod": frames.push(text(req(rng.pick(["node.invoke", "node.list", "node.describe", "node.pair.approve", "status", "system-presence"]), value(rng)))); break;
        case "unknownMethod": frames.push(text(req(rng.chance(0.3) ? rng.pick(["node.runnerInventory.update", "node.skills.update", "node.pluginTools.update", "__proto__", "valueOf"]) : str(rng, 30) || "y", value(rng)))); break;
        case "nodeReads": frames.push(text(req(rng.pick(["health", "skills.bins", "node.pending.pull", "node.pending.ack"]), rng.chance(0.7) ? {} : value(rng)))); break;
        case "big": frames.push(text(req("node.event", { event: "big", payload: "b".repeat(rng.range(100_000, 3_000_000)) }))); break;
        case "flood": for (let i = 0; i < 260; i++) frames.push(text(req("health", {}))); break;
        case "invalidUtf8": frames.push({ data: Buffer.from('{"type":"req","id":"u","method":"\xc0\xaf"}', "latin1"), badUtf8: true }); break;
      }
      return { frames, pauseMs: rng.int(16) }; // nodes stay connected long enough for operators to invoke them
    };

    const nodeWorker = async (w: number) => {
      const rng = new Rng(SEED ^ Math.imul(w + 201, 0xc2b2ae35));
      const answers = new Rng(SEED ^ Math.imul(w + 301, 0x27d4eb2f)); // depends on which invokes arrive: runtime
      let identity: DeviceIdentity = newIdentity();
      let planned = 0;
      for (let socketNo = 0; planned < NODE_FRAMES / WORKERS.node && Date.now() < deadline; socketNo++) {
        if (rng.chance(0.1)) identity = newIdentity();
        const steps = rng.range(5, 80);
        let client: RawClient;
        try {
          const { client: c, res } = await connect(url, { role: "node", identity, auth: { token: fuzzToken }, commands: NODE_COMMANDS });
          if (!res.ok) throw new Error(JSON.stringify(res.error));
          client = c;
        } catch (error) {
          stats.authFailures.push(`node: ${String(error)}`);
          await sleep(100);
          continue;
        }
        const t = new Tracked(client, "node");
        const nodeId = identity.id;
        const pendingIds: string[] = [];
        client.onEvent("node.invoke.request", (p) => {
          pendingIds.push(String(p.id));
          // answer most invokes: properly, with an error, or with junk; some are left to time out
          const how = answers.weighted({ ok: 5, error: 2, wrongNode: 1, junkJSON: 1, ignore: 1 });
          if (how === "ignore") return;
          stats.invokesAnswered += 1;
          const params: Record<string, unknown> = { id: p.id, nodeId: how === "wrongNode" ? newIdentity().id : nodeId, ok: how !== "error" };
          if (how === "ok") params.payloadJSON = JSON.stringify({ echo: p.command });
          if (how === "error") params.error = { code: "UNAVAILABLE", message: str(answers) || "no" };
          if (how === "junkJSON") params.payloadJSON = str(answers, 20) + "{";
          t.send(text(req("node.invoke.result", params)));
        });
        const plan = Array.from({ length: steps }, () => nodeStep(rng, client, identity));
        if (w === 0 && socketNo === 3) plan.splice(steps >> 1, 0, overMaxStep); // one frame over maxPayload (25 MiB)
        planned += plan.reduce((n, step) => n + step.frames.length, 0);
        liveFuzzNodes.add(nodeId);
        await runPlan(t, plan, pendingIds);
        liveFuzzNodes.delete(nodeId);
      }
    };

    // ---- run
    const slow = [...Array.from({ length: SLOW_SOCKETS }, () => slowloris(true)), ...Array.from({ length: SLOW_SOCKETS }, () => slowloris(false))];
    const victims = [victimLoop(0), victimLoop(1)];
    const fuzzStarted = Date.now();
    await Promise.all([
      ...Array.from({ length: WORKERS.preAuth }, (_, w) => preAuthWorker(w)),
      ...Array.from({ length: WORKERS.operator }, (_, w) => operatorWorker(w)),
      ...Array.from({ length: WORKERS.node }, (_, w) => nodeWorker(w)),
    ]);
    const fuzzMs = Date.now() - fuzzStarted;
    const slowMs = await Promise.all(slow);
    fuzzing = false;
    await Promise.all(victims);

    // ---- afterwards: the gateway is up, the victim still works, everything went back to baseline
    const healthz = await fetch(`http://127.0.0.1:${gw.port}/healthz`);
    expect(healthz.status).toBe(200);
    const fresh = await connectOperator(url, fuzzUser.accessToken);
    expect((await fresh.request("health")).ok).toBe(true);
    await fresh.close();
    for (let i = 0; i < 5; i++) {
      const key = `victim-after-${i}`;
      const r = await victimOp.request("node.invoke", { nodeId: victimIdentity.id, command: "system.which", params: { bins: [key] }, idempotencyKey: key });
      expect(r.payload.bins[key]).toBe(`/usr/bin/${key}`);
    }

    let counts = gw.hub.counts();
    for (let i = 0; i < 100 && JSON.stringify(counts) !== JSON.stringify(baselineCounts); i++) {
      await sleep(100);
      counts = gw.hub.counts();
    }
    const pendingInvokes = (gw.hub as unknown as { nodeCalls: { size: number } }).nodeCalls.size;
    const after = await settledMemory(gc);
    const metrics = await (await fetch(`http://127.0.0.1:${gw.port}/metrics`)).text();
    const rejected = metrics.split("\n").filter((l) => l.startsWith("openclaw_gateway_rejected_frames_total{")).map((l) => l.replace("openclaw_gateway_rejected_frames_total", ""));
    const routes = await redis.hgetall(`openclaw:nodes:${fuzzUser.userId}`);

    // ---- what happened
    const records = stats.records;
    const fuzzRecords = records.filter((r) => r.kind !== "slow");
    const totalFrames = stats.frames.pre + stats.frames.operator + stats.frames.node;
    const hung = records.filter((r) => r.hung);
    const withErrors = fuzzRecords.filter((r) => r.errors > 0).length;
    const policyClosed = fuzzRecords.filter((r) => !r.clientClosed && [1002, 1008, 1009].includes(r.closeCode ?? 0)).length;
    // Closes other than 1002/1008/1009, each with the frame that explains it:
    //   1006: uWebSockets drops the TCP connection without a close frame for invalid UTF-8 and for
    //         frames over maxPayload (library behaviour);
    //   1006: also when the gateway's close reason is not valid UTF-8, which the client must
    //         treat as a protocol error: it echoes the requested role, and closeReason() cuts
    //         surrogate pairs in half (known gateway bug, see below);
    //   1013: a NUL byte in a connect field reaches Postgres (known gateway bug, see below).
    const explained = (r: SocketRecord) =>
      (r.closeCode === 1006 && (r.badUtf8 || r.overMax || (r.kind === "pre" && r.surrogate))) || (r.closeCode === 1013 && r.nul);
    const unresolved = fuzzRecords.filter((r) => !(r.errors > 0 || (!r.clientClosed && ([1002, 1008, 1009].includes(r.closeCode ?? 0) || explained(r)))));
    const oddCloses = fuzzRecords.filter((r) => !r.clientClosed && r.closeCode !== null && ![1002, 1008, 1009].includes(r.closeCode) && !explained(r));
    // A route left in Redis after its node went away: only the cjson bug (lone surrogate / nesting > 1000 in hostStats) may cause one.
    const staleRoutes = Object.values(routes);
    const staleUnexplained = staleRoutes.filter((json) => !/\\ud[89a-f][0-9a-f]{2}/i.test(json) && !json.includes('{"a":{"a":{"a":'));
    const top = (m: Map<string, number>, n: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `    ${String(v).padStart(6)}  ${k}`).join("\n");
    const internalByKind = new Map<string, number>();
    for (const s of stats.internalErrors) bump(internalByKind, s.replace(/"id":"[^"]+"/, '"id":…').slice(0, 110));

    console.log([
      `gateway fuzz summary (seed ${SEED}): ${((Date.now() - started) / 1000).toFixed(1)} s in the test, fuzzing ${(fuzzMs / 1000).toFixed(1)} s`,
      `  frames sent: ${totalFrames} (pre-auth ${stats.frames.pre}, operator ${stats.frames.operator}, node ${stats.frames.node})`,
      `  sockets: pre-auth ${stats.sockets.pre}, operator ${stats.sockets.operator}, node ${stats.sockets.node}, slowloris ${stats.sockets.slow} (closed after ${Math.min(...slowMs)}-${Math.max(...slowMs)} ms); open failures ${stats.openFailures}, auth failures ${stats.authFailures.length}`,
      `  outcome per fuzz socket: ${withErrors} got error responses, ${policyClosed} closed by the gateway with 1002/1008/1009, ${hung.length} hung, ${unresolved.length} unresolved`,
      `  responses: ${stats.okResponses} ok, ${[...stats.errorCodes.values()].reduce((a, b) => a + b, 0)} errors; fuzz-node invoke answers ${stats.invokesAnswered}`,
      `  close codes (gateway-initiated):\n${top(stats.closeCodes, 20)}`,
      `  error codes:\n${top(stats.errorCodes, 25)}`,
      `  "internal error" responses: ${stats.internalErrors.length}${stats.internalErrors.length ? `\n${top(internalByKind, 8)}` : ""}`,
      `  rejected-frame counters: ${rejected.join(", ")}`,
      `  victim: ${victimStats.ok} invokes ok (${victimStats.okWhileFuzzing} while fuzzing), ${victimStats.failed.length} failed, slowest ${victimStats.maxMs} ms; node saw ${victimRequests.length} requests`,
      `  hub counts: baseline ${JSON.stringify(baselineCounts)}, after ${JSON.stringify(counts)}; pending invokes ${pendingInvokes}; stale fuzz routes in Redis ${staleRoutes.length} (unexplained ${staleUnexplained.length})`,
      `  memory: heapUsed ${mb(baseline.heapUsed)} -> ${mb(after.heapUsed)} (${mb(after.heapUsed - baseline.heapUsed)}), rss ${mb(baseline.rss)} -> ${mb(after.rss)} (${mb(after.rss - baseline.rss)})`,
    ].join("\n"));

    expect(totalFrames).toBeGreaterThanOrEqual(10_000);
    expect(stats.sockets.pre).toBeGreaterThanOrEqual(1000);
    expect(hung).toEqual([]);
    expect(unresolved).toEqual([]);
    expect(oddCloses.map((r) => `${r.kind} ${r.what} ${r.closeCode} ${r.closeReason}`)).toEqual([]);
    // Valid credentials sent after garbage never authenticate the socket.
    expect(records.filter((r) => r.garbageFirst && r.helloOk)).toEqual([]);
    // Slowloris sockets are closed by the handshake timeout (15 s by default), not left hanging.
    expect(records.filter((r) => r.kind === "slow" && r.closeCode !== 1008)).toEqual([]);
    expect(stats.authFailures).toEqual([]);
    // The other tenant: every round trip worked, during and after, and nothing of the fuzz tenant leaked in.
    expect(victimStats.failed).toEqual([]);
    expect(victimStats.okWhileFuzzing).toBeGreaterThan(100);
    expect(victimRequests.filter((k) => !k.startsWith("victim-"))).toEqual([]);
    expect(victimPresence.flat().filter((id) => id !== victimIdentity.id)).toEqual([]);
    // Back to baseline.
    expect(counts).toEqual(baselineCounts);
    expect(pendingInvokes).toBe(0);
    expect(staleUnexplained).toEqual([]);
    expect(after.heapUsed - baseline.heapUsed).toBeLessThan(HEAP_BOUND_BYTES);
    expect(after.rss - baseline.rss).toBeLessThan(RSS_BOUND_BYTES);

    await victimOp.close();
    await victimNode.client.close();
  }, 120_000);
});

// ---- findings of the fuzzing, fixed -----------------------------------------------------------------
// Each replays the frame that triggered one bug the fuzzing found, and checks the fixed behaviour.

/** A fresh node of the fuzz tenant (no invoke handler) and an operator of the same tenant. */
async function nodeAndOperator(u = url) {
  const identity = newIdentity();
  const node = await connect(u, { role: "node", identity, auth: { token: fuzzToken }, commands: NODE_COMMANDS });
  if (!node.res.ok) throw new Error(JSON.stringify(node.res.error));
  const op = await connectOperator(u, fuzzUser.accessToken);
  return { identity, node: node.client, op };
}


describe("regressions found by fuzzing", () => {
  it("a node.invoke.result whose payload nests 20,000 deep is refused; the gateway process stays up", async () => {
    // The reply JSON.stringify throws RangeError inside the .then() in server.ts onFrame; track()'s
    // p.finally() re-rejects, nobody handles it, Node exits with an unhandled rejection. Run in a
    // child process: in this one it would take the test worker down.
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "realtime/server.ts"], {
      cwd: ROOT_DIR,
      env: { ...process.env, GATEWAY_PORT: String(port), LOG_LEVEL: "fatal" },
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      for (let i = 0; i < 150; i++) {
        if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) break;
        await sleep(100);
      }
      const { identity, node, op } = await nodeAndOperator(`ws://127.0.0.1:${port}`);
      node.onEvent("node.invoke.request", (p) => {
        node.send(`{"type":"req","id":"r","method":"node.invoke.result","params":{"id":"${p.id}","nodeId":"${identity.id}","ok":true,"payloadJSON":"1","payload":${deepArray(20_000)}}}`);
      });
      void op.call("node.invoke", { nodeId: identity.id, command: "system.run", idempotencyKey: "k", timeoutMs: 3000 }, 5000).catch(() => undefined);
      const outcome = await Promise.race([exited.then((code) => `exited with ${code}`), sleep(4000).then(() => "alive")]);
      expect(outcome).toBe("alive");
    } finally {
      child.kill("SIGKILL");
    }
  }, 60_000);

  it("a NUL byte in a node's connect fields is INVALID_REQUEST and close 1008, not a retryable UNAVAILABLE", async () => {
    const client = await RawClient.open(url);
    const res = await client.call("connect", connectParams(client, { role: "node", identity: newIdentity(), auth: { token: fuzzToken }, displayName: "a\u0000b" }));
    const closed = await client.closed;
    expect({ code: res.error?.code, close: closed.code }).toEqual({ code: "INVALID_REQUEST", close: 1008 });
  });

  it("close reasons stay valid UTF-8 (a role full of emoji still closes 1008)", async () => {
    // closeReason() trims to 123 bytes one UTF-16 unit at a time and can stop between the halves
    // of a surrogate pair; uWS sends the lone half as-is and the client must fail the connection.
    const client = await RawClient.open(url);
    client.send({ type: "req", id: "1", method: "connect", params: { ...connectParams(client, { role: "operator", auth: { token: "x" } }), role: `a${"💥".repeat(60)}` } });
    expect((await client.closed).code).toBe(1008);
  });

  it("a NUL byte in node.invoke's nodeId is a clear error, not \"internal error\"", async () => {
    const op = await connectOperator(url, fuzzUser.accessToken);
    const r = await op.call("node.invoke", { nodeId: "n\u0000", command: "system.run", idempotencyKey: "k" });
    await op.close();
    expect(r.error?.message).not.toBe("internal error");
  });

  it("a lone surrogate in node.host.stats does not keep the node's route after it disconnects", async () => {
    const { identity, node, op } = await nodeAndOperator();
    expect((await node.request("node.event", { event: "node.host.stats", payload: { cpu: "\ud800" } })).handled).toBe(true);
    await node.close();
    await sleep(500);
    const listed = (await op.request("node.list")).nodes.find((n: { nodeId: string }) => n.nodeId === identity.id);
    await op.close();
    expect(listed.connected).toBe(false);
  });

  it("invalid payloadJSON in a node's node.invoke.result is a clear node error for the operator", async () => {
    const { identity, node, op } = await nodeAndOperator();
    node.onEvent("node.invoke.request", (p) => void node.call("node.invoke.result", { id: p.id, nodeId: identity.id, ok: true, payloadJSON: "{" }));
    const r = await op.call("node.invoke", { nodeId: identity.id, command: "system.run", idempotencyKey: "k", timeoutMs: 3000 });
    await Promise.all([op.close(), node.close()]);
    expect(r.error?.message).not.toBe("internal error");
  });

  it("exec.finished always carries the sending node's own nodeId", async () => {
    const { identity, node, op } = await nodeAndOperator();
    const event = op.nextEvent("exec.finished");
    await node.request("node.event", { event: "exec.finished", payload: { nodeId: "someone-else", runId: "r" } });
    const forwarded = await event;
    await Promise.all([op.close(), node.close()]);
    expect(forwarded.payload.nodeId).toBe(identity.id);
  });
});
