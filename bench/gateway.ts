// Gateway benchmark:
//   (a) node.invoke round trips per second from one operator connection to one protocol-level
//       node, at 1, 8 and 32 requests in flight, against the gateway in this process (as
//       startGateway runs it in the tests) and in a child process (client and gateway on separate
//       event loops, closer to production);
//   (b) the gateway's resident memory per idle authenticated node connection: 1,000 nodes, each
//       with its own device identity, against a fresh gateway in a child process, read from
//       /proc/<pid>/status (VmRSS), so this process's client sockets do not count.
//
//   node --import tsx bench/gateway.ts
//
// Environment: DATABASE_URL (default the test database), REDIS_URL (default redis db 1),
// BENCH_SECONDS (per concurrency level, default 3), BENCH_CONCURRENCY (default 1,8,32),
// BENCH_IDLE_NODES (default 1000), BENCH_CONNECT_PARALLEL (default 50).
// The per-connection request limit (GatewayConfig requestsPerSecond / requestBurst, 100/s and 200
// by default) is raised for the benchmark, or one connection could not go past 100 invokes/s.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { freePort } from "../test/support/ports.ts";

process.env.DATABASE_URL ||= "postgres://postgres@127.0.0.1:5432/openclaw_test";
process.env.REDIS_URL ||= "redis://127.0.0.1:6379/1";
process.env.LOG_LEVEL ||= "warn";
process.env.GRAPHILE_ENV ||= "production";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const LEVELS = (process.env.BENCH_CONCURRENCY ?? "1,8,32").split(",").map(Number);
const IDLE_NODES = Number(process.env.BENCH_IDLE_NODES ?? 1000);
const CONNECT_PARALLEL = Number(process.env.BENCH_CONNECT_PARALLEL ?? 50);
const RATE_LIMIT = 1_000_000; // requests per second and burst, per connection, for the benchmark

// Modules that read the configuration come after the environment above.
await import("../lib/polyfills.ts");
const { startApi } = await import("../api/server.ts");
const { getApiServices } = await import("../api/services.ts");
const { gql } = await import("../test/support/api.ts");
const { registerUser, rootPool, signedInToken } = await import("../test/support/db.ts");
const { onPlan } = await import("../test/support/plans.ts");
const { connectNode, connectOperator, newIdentity, startTestGateway, wsUrl } = await import("../test/support/gateway.ts");
type RawClient = Awaited<ReturnType<typeof connectOperator>>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const kib = (bytes: number) => bytes / 1024;
const fmt = (n: number, digits = 1) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function localGc(): () => void {
  if (typeof globalThis.gc === "function") return globalThis.gc;
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}
const gc = localGc();

function openFilesLimit(): { soft: number; hard: number } {
  const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"))!;
  const [soft, hard] = line.replace("Max open files", "").trim().split(/\s+/);
  const n = (v: string | undefined) => (v === "unlimited" ? Infinity : Number(v));
  return { soft: n(soft), hard: n(hard) };
}


function vmRssKiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"))!;
  return Number(line.replace(/\D+/g, ""));
}

interface ChildGateway {
  pid: number;
  url: string;
  port: number;
  rssKiB(): number;
  /** Forces a full GC in the child (SIGUSR2 handler preloaded below) and lets it settle. */
  gc(): Promise<void>;
  metric(name: string, labels?: string): Promise<number>;
  stop(): Promise<void>;
}

/** `node --import tsx realtime/server.ts` on a free port, as the supervisor would run it. */
async function spawnGateway(): Promise<ChildGateway> {
  const port = await freePort();
  const gcHook = "data:text/javascript,process.on('SIGUSR2',()=>globalThis.gc&&globalThis.gc())";
  const child: ChildProcess = spawn(process.execPath, ["--expose-gc", "--import", gcHook, "--import", "tsx", "realtime/server.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      GATEWAY_PORT: String(port),
      GATEWAY_REQUESTS_PER_SECOND: String(RATE_LIMIT),
      GATEWAY_REQUEST_BURST: String(RATE_LIMIT),
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  let exited = false;
  child.once("exit", () => (exited = true));
  for (let i = 0; ; i++) {
    if (exited) throw new Error("the gateway child process exited during start");
    if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) break;
    if (i > 300) throw new Error("the gateway child process did not answer /healthz within 30 s");
    await sleep(100);
  }
  const pid = child.pid!;
  return {
    pid,
    port,
    url: `ws://127.0.0.1:${port}`,
    rssKiB: () => vmRssKiB(pid),
    async gc() {
      for (let i = 0; i < 3; i++) {
        child.kill("SIGUSR2");
        await sleep(300);
      }
    },
    async metric(name, labels = "") {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && l.includes(labels));
      return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : NaN;
    },
    async stop() {
      if (exited) return;
      const done = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([done, sleep(12_000)]);
      if (!exited) child.kill("SIGKILL");
    },
  };
}

/** CPU seconds (user + system) a process has used so far; 0 when it is gone. */
function cpuSeconds(pid: number | "self"): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ
  } catch {
    return 0;
  }
}

/** CPU seconds of every postgres process on this machine (the server and its backends). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/stat`, "utf8").includes("(postgres)")) total += cpuSeconds(Number(entry));
    } catch {
      // gone
    }
  }
  return total;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Row {
  gateway: string;
  /** CPU used during the level, as a share of one core */
  cpu: { bench: number; gateway: number | null; postgres: number };
  inFlight: number;
  invokes: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/** One operator, one node: `inFlight` loops of node.invoke for `seconds`. */
async function invokeLoad(op: RawClient, nodeId: string, inFlight: number, seconds: number, gatewayPid: number | null): Promise<Omit<Row, "gateway">> {
  const latencies: number[] = [];
  const cpu0 = { bench: cpuSeconds("self"), gateway: gatewayPid ? cpuSeconds(gatewayPid) : 0, postgres: postgresCpuSeconds() };
  let errors = 0;
  let seq = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const r = await op.call("node.invoke", { nodeId, command: "system.which", params: { bins: ["sh"] }, idempotencyKey: `bench-${++seq}` });
      if (r.ok) latencies.push(performance.now() - t0);
      else errors += 1;
      if (op.frames.length > 10_000) op.frames.length = 0;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = {
    bench: (cpuSeconds("self") - cpu0.bench) / elapsed,
    gateway: gatewayPid ? (cpuSeconds(gatewayPid) - cpu0.gateway) / elapsed : null,
    postgres: (postgresCpuSeconds() - cpu0.postgres) / elapsed,
  };
  latencies.sort((a, b) => a - b);
  return { cpu, inFlight, invokes: latencies.length, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

async function throughput(label: string, url: string, accessToken: string, nodeToken: string, gatewayPid: number | null): Promise<Row[]> {
  const identity = newIdentity();
  const node = await connectNode(url, { identity, auth: { token: nodeToken } });
  const op = await connectOperator(url, accessToken);
  // the node's RawClient keeps every frame; drop them as they come
  const trim = setInterval(() => {
    node.client.frames.length = 0;
    node.client.events.length = 0;
    op.events.length = 0;
  }, 250);
  try {
    await invokeLoad(op, identity.id, 8, 1, null); // warm-up (JIT, pools, prepared plans)
    const rows: Row[] = [];
    for (const inFlight of LEVELS) rows.push({ gateway: label, ...(await invokeLoad(op, identity.id, inFlight, SECONDS, gatewayPid)) });
    return rows;
  } finally {
    clearInterval(trim);
    await op.close();
    await node.client.close();
  }
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => "  " + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("   ");
  return [line(headers), "  " + widths.map((w) => "-".repeat(w)).join("   "), ...rows.map(line)].join("\n");
}

// ---- main ----------------------------------------------------------------------------------------

const limits = openFilesLimit();
const needed = IDLE_NODES + 200;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
console.log(`gateway benchmark  (node ${process.version}, ${os.cpus().length} CPUs, load ${load()}, ${new URL(process.env.DATABASE_URL).pathname.slice(1)}, ${process.env.REDIS_URL})`);
console.log(`open files limit: soft ${limits.soft}, hard ${limits.hard}; each process needs about ${needed} for ${IDLE_NODES} idle nodes (this one holds the client ends, the gateway child the others)`);
if (limits.soft < needed) {
  console.error(`the open files limit is too low: run \`ulimit -n ${Math.min(limits.hard, 4 * needed)}\` first (or set BENCH_IDLE_NODES lower)`);
  process.exit(1);
}
console.log(`per-connection request limit raised for the benchmark: requestsPerSecond = requestBurst = ${RATE_LIMIT.toLocaleString("en-US")} (defaults 100 / 200)`);

const api = await startApi(0);
const root = rootPool();
// A user and an auto-approving node token. The user is registered with the database function and
// its access token signed with the API's own key: a sign-up through the API runs bcrypt once per
// existing user (auth_login), seconds on a test database that has seen many runs.
const userId = await registerUser(root, "bench");
// A thousand nodes under one user: far more than the default plan's devices.
await onPlan(root, [userId]);
const { token: accessToken } = await signedInToken(root, userId);
const issued = await gql<{ issueNodeToken: { result: { secret: string } } }>(
  api, `mutation { issueNodeToken(input:{label:"bench", autoApprove:true}) { result { rowId secret } } }`, {}, accessToken,
);
if (!issued.data) throw new Error(`issueNodeToken failed: ${JSON.stringify(issued.errors)}`);
const nodeToken = issued.data.issueNodeToken.result.secret;

// (a) throughput
console.log(`\n(a) node.invoke round trips, one operator connection -> gateway -> one node (system.which), ${SECONDS} s per level`);
const rows: Row[] = [];
const inProcess = await startTestGateway({ requestsPerSecond: RATE_LIMIT, requestBurst: RATE_LIMIT });
rows.push(...(await throughput("in-process", wsUrl(inProcess), accessToken, nodeToken, null)));
await inProcess.close();
const childA = await spawnGateway();
rows.push(...(await throughput("child process", childA.url, accessToken, nodeToken, childA.pid)));
await childA.stop();
const pct = (share: number | null) => (share === null ? "-" : `${fmt(share * 100, 0)}%`);
console.log(table(
  ["gateway", "in flight", "invokes", "invokes/s", "p50 ms", "p99 ms", "errors", "CPU: bench", "gateway", "postgres"],
  rows.map((r) => [r.gateway, String(r.inFlight), String(r.invokes), fmt(r.perSecond, 0), fmt(r.p50, 2), fmt(r.p99, 2), String(r.errors),
    pct(r.cpu.bench), pct(r.cpu.gateway), pct(r.cpu.postgres)]),
));
console.log("  CPU columns: share of one core during the level (in-process, \"bench\" is client and gateway together); each invoke runs one");
console.log("  Postgres transaction in the gateway (the allowed/denied command check), so Postgres shares the CPUs with both Node processes");
const best = (g: string) => Math.max(...rows.filter((r) => r.gateway === g).map((r) => r.perSecond));
console.log(`  best: ${fmt(best("child process"), 0)} invokes/s with the gateway in its own process, ${fmt(best("in-process"), 0)} in-process ` +
  `(ratio ${fmt(best("child process") / best("in-process"), 2)}; in-process, the bench client and the gateway share one event loop)`);

// (b) idle node connections
console.log(`\n(b) ${IDLE_NODES} idle authenticated node connections (each its own device identity, one auto-approve token), gateway in a child process`);
const childB = await spawnGateway();
const warm = await connectNode(childB.url, { identity: newIdentity(), auth: { token: nodeToken } }); // first-use costs out of the baseline
const baseOp = await connectOperator(childB.url, accessToken);
/** Memory of the gateway child and of this process, after a settle period and a forced GC in both. */
async function memorySnapshot(settleMs: number) {
  await sleep(settleMs);
  await childB.gc();
  gc();
  await sleep(200);
  return { gateway: { rss: childB.rssKiB(), heap: await childB.metric("nodejs_heap_size_used_bytes") }, client: process.memoryUsage() };
}
const { gateway: gatewayBefore, client: clientBefore } = await memorySnapshot(500);

const identities = Array.from({ length: IDLE_NODES }, () => newIdentity());
const nodes: RawClient[] = [];
let next = 0;
const connectStarted = performance.now();
await Promise.all(Array.from({ length: CONNECT_PARALLEL }, async () => {
  while (next < identities.length) {
    const identity = identities[next++]!;
    nodes.push((await connectNode(childB.url, { identity, auth: { token: nodeToken } })).client);
  }
}));
const connectSeconds = (performance.now() - connectStarted) / 1000;
const { gateway: gatewayAfter, client: clientAfter } = await memorySnapshot(2000);
const connectedNodes = await childB.metric("openclaw_gateway_connections", 'role="node"');

const perConn = (after: number, before: number) => (after - before) / IDLE_NODES;
console.log(`  connected ${nodes.length} nodes in ${fmt(connectSeconds, 1)} s (${fmt(nodes.length / connectSeconds, 0)} connects/s, ${CONNECT_PARALLEL} at a time); the gateway reports ${connectedNodes} node connections`);
console.log(table(
  ["process", "RSS before", "RSS after", "RSS / connection", "heap before", "heap after", "heap / connection"],
  [
    ["gateway (child, VmRSS)", `${fmt(gatewayBefore.rss / 1024)} MiB`, `${fmt(gatewayAfter.rss / 1024)} MiB`, `${fmt(perConn(gatewayAfter.rss, gatewayBefore.rss))} KiB`,
      `${fmt(gatewayBefore.heap / 1048576)} MiB`, `${fmt(gatewayAfter.heap / 1048576)} MiB`, `${fmt(kib(perConn(gatewayAfter.heap, gatewayBefore.heap)))} KiB`],
    ["bench client (this process)", `${fmt(kib(clientBefore.rss) / 1024)} MiB`, `${fmt(kib(clientAfter.rss) / 1024)} MiB`, `${fmt(kib(perConn(clientAfter.rss, clientBefore.rss)))} KiB`,
      `${fmt(clientBefore.heapUsed / 1048576)} MiB`, `${fmt(clientAfter.heapUsed / 1048576)} MiB`, `${fmt(kib(perConn(clientAfter.heapUsed, clientBefore.heapUsed)))} KiB`],
  ],
));
console.log(`  gateway: ${fmt(perConn(gatewayAfter.rss, gatewayBefore.rss))} KiB of RSS per idle node connection ` +
  `(${fmt((gatewayAfter.rss - gatewayBefore.rss) / 1024)} MiB for ${IDLE_NODES}; heap after a forced GC in the child, RSS as the kernel reports it)`);

console.log(`\nload average at the end: ${load()} (Postgres, Redis and both Node processes share these CPUs; other work on the machine shows up here)`);
await Promise.all(nodes.map((c) => c.close()));
await Promise.all([warm.client.close(), baseOp.close()]);
await childB.stop();
await api.close();
await root.end();
process.exit(0);
