// The compose file without Docker: each of our services (migrate, api, gateway, worker) is
// started from docker-compose.yml's own `command` and `environment`, interpolated with
// .env.example the way docker-compose does, with only the service host names mapped to this
// machine's Postgres, Redis and a local S3 server, and nothing else from the test's environment.
// A typo in a command, a missing variable or a wrong port fails here: migrate must exit 0, and
// each long-running service must answer its compose health check on the port its health check,
// its own *_PORT and nginx's upstream name, then stop on SIGTERM within 10 s with exit code 0.
// The Dockerfile is checked for what a reviewer would look for.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import YAML from "yaml";
import { databaseName, loadConfig, ROOT_DIR } from "../lib/config.ts";
import { createStorage } from "../lib/storage.ts";
import { startLocalS3, type LocalS3 } from "../scripts/local-s3.ts";
import { rootPool } from "./support/db.ts";

type Service = {
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  healthcheck?: { test: string[] };
};

/** docker-compose's variable syntax: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, $$. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (all, name?: string, op?: string, arg?: string) => {
    if (all === "$$") return "$";
    const v = vars[name!];
    const unset = v === undefined || (op?.startsWith(":") && v === "");
    if (op?.endsWith("?") && unset) throw new Error(`compose: ${name} is required: ${arg}`);
    if (op?.endsWith("-") && unset) return arg ?? "";
    return v ?? "";
  });
}

function deepInterpolate<T>(value: T, vars: Record<string, string>): T {
  if (typeof value === "string") return interpolate(value, vars) as T;
  if (Array.isArray(value)) return value.map((v) => deepInterpolate(v, vars)) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepInterpolate(v, vars)])) as T;
  return value;
}

const config = loadConfig();
const root = rootPool();
const running = new Set<ChildProcess>();
let services: Record<string, Service>;
let nginx: string;
let s3: LocalS3;
let s3Dir: string;

beforeAll(async () => {
  const envFile = await readFile(path.join(ROOT_DIR, ".env.example"), "utf8");
  const vars = Object.fromEntries(
    envFile.split("\n").filter((l) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(l)).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  const compose = YAML.parse(await readFile(path.join(ROOT_DIR, "docker-compose.yml"), "utf8"), { merge: true }) as { services: Record<string, Service> };
  services = deepInterpolate(compose.services, vars);
  nginx = await readFile(path.join(ROOT_DIR, "docker", "nginx.conf"), "utf8");
  s3Dir = await mkdtemp(path.join(os.tmpdir(), "openclaw-compose-"));
  s3 = await startLocalS3({ dataDir: s3Dir, s3: { ...config.s3, endpoint: null, port: 0 } });
});

afterAll(async () => {
  // A failed test leaves its process running: it must not hold the port for the next run.
  for (const child of running) child.kill("SIGKILL");
  await root.end();
  await s3?.close();
  if (s3Dir) await rm(s3Dir, { recursive: true, force: true });
});

/** The service's environment as compose gives it, with the compose network's hosts mapped here. */
function localEnv(service: Service): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(service.environment ?? {})) env[k] = v === null ? "" : String(v);
  const testDb = databaseName(config.databaseUrl);
  const mapDb = (url: string) => {
    const u = new URL(url);
    expect(u.hostname).toBe("postgres");
    u.hostname = "127.0.0.1";
    // The compose database name becomes the test database (the `postgres` maintenance db stays).
    if (u.pathname !== "/postgres") u.pathname = `/${testDb}`;
    return u.toString();
  };
  for (const key of ["DATABASE_URL", "ROOT_DATABASE_URL"]) if (env[key]) env[key] = mapDb(env[key]!);
  if (env.REDIS_URL) {
    expect(new URL(env.REDIS_URL).hostname).toBe("redis");
    env.REDIS_URL = process.env.REDIS_URL!;
  }
  if (env.S3_ENDPOINT) {
    expect(new URL(env.S3_ENDPOINT).hostname).toBe("minio");
    env.S3_ENDPOINT = s3.url;
  }
  // Only what a container would have besides the compose environment (and the suite's raised
  // per-address sign-in limit: every test signs in from 127.0.0.1).
  return { PATH: process.env.PATH!, HOME: process.env.HOME ?? "/tmp", LOG_LEVEL: "warn", LOGIN_LIMIT_PER_IP: process.env.LOGIN_LIMIT_PER_IP ?? "", ...env };
}

function start(name: string) {
  const service = services[name]!;
  const [cmd, ...args] = service.command!;
  expect(cmd).toBe("node");
  let output = "";
  const child = spawn(process.execPath, args, { cwd: ROOT_DIR, env: localEnv(service), stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  running.add(child);
  void exited.then(() => running.delete(child));
  return { child, exited, output: () => output };
}

/** Metric families each process must expose: requests and latencies, connections by role, node
 *  invokes, jobs by outcome (failures included) and their run time, database pool use. */
const METRICS = {
  api: ["openclaw_http_requests_total", "openclaw_http_request_duration_seconds", "openclaw_db_pool_connections", "openclaw_db_pool_waiting"],
  gateway: ["openclaw_gateway_connections", "openclaw_gateway_node_invokes_total", "openclaw_gateway_auth_failures_total", "openclaw_db_pool_connections"],
  worker: ["openclaw_worker_jobs_total", "openclaw_worker_job_duration_seconds", "openclaw_db_pool_connections"],
} as const;

/** Starts work on a service just before it gets SIGTERM; the returned check runs after it exited. */
const ACTIVITY: Record<"api" | "gateway" | "worker", (port: string, output: () => string) => Promise<() => Promise<void>>> = {
  // Sign-ups in flight: each one answered as done is in the database, and each one not answered
  // was never done (refused, or reset while still in the listen backlog when the listener
  // closed): no sign-up is half-way, none is done without its answer.
  async api(port, output) {
    // First a signed-in request, to see what the request log says (ids, never secrets).
    const gqlAt = (query: string, token?: string) =>
      fetch(`http://127.0.0.1:${port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query }),
      }).then((r) => r.json() as Promise<{ data: Record<string, Record<string, string>> }>);
    const secret = `pass-${randomUUID()}`;
    const reg = await gqlAt(`mutation { register(input: {email: "log-${randomUUID().slice(0, 8)}@example.test", password: "${secret}"}) { userId accessToken refreshToken } }`);
    const { userId, accessToken, refreshToken } = reg.data.register!;
    const me = await gqlAt("{ currentUser { rowId } }", accessToken);
    expect(me.data.currentUser!.rowId).toBe(userId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = output().split("\n").filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.userId === userId)).toMatchObject({ method: "POST", route: "/graphql", status: 200, reqId: expect.any(String) });
    for (const leaked of [secret, accessToken, refreshToken]) expect(output()).not.toContain(leaked);
    const emails = Array.from({ length: 8 }, () => `sigterm-${randomUUID().slice(0, 8)}@example.test`);
    const calls = emails.map((email) =>
      fetch(`http://127.0.0.1:${port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: `mutation { register(input: {email: "${email}", password: "a good password"}) { userId } }` }),
      }).then(
        async (r) => {
          const body = (await r.json()) as { data?: { register?: { userId: string } }; errors?: { message: string }[] };
          return { email, userId: body.data?.register?.userId ?? null, refused: body.errors?.[0]?.message };
        },
        (error: Error & { cause?: { code?: string } }) => ({ email, userId: null, refused: error.cause?.code }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    return async () => {
      const results = await Promise.all(calls);
      const done = results.filter((r) => r.userId !== null);
      expect(done.length).toBeGreaterThan(0);
      const failed = results.filter((r) => r.userId === null);
      for (const r of failed) expect(["ECONNREFUSED", "ECONNRESET"]).toContain((r as { refused?: string }).refused);
      const stored = await root.query<{ id: string }>("select id from app_public.users where id = any($1)", [done.map((r) => r.userId)]);
      expect(stored.rowCount).toBe(done.length);
      const ghosts = await root.query("select email from app_public.users where email = any($1)", [failed.map((r) => r.email)]);
      expect(ghosts.rows).toEqual([]);
    };
  },
  // A connected client is told to come back (1012, service restart) rather than dropped.
  async gateway(port) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    const first = await new Promise<string>((resolve, reject) => {
      ws.once("message", (data) => resolve(String(data)));
      ws.once("error", reject);
    });
    expect(JSON.parse(first)).toMatchObject({ type: "event", event: "connect.challenge" });
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    return async () => expect(await closed).toBe(1012);
  },
  // The worker's SIGTERM during a running job is tested in worker-crash.test.ts.
  async worker() {
    return async () => undefined;
  },
};

describe("docker-compose.yml, run here without Docker", () => {
  it("migrate runs its command to completion", async () => {
    const m = start("migrate");
    const code = await Promise.race([m.exited, new Promise((resolve) => setTimeout(() => resolve("timeout"), 120_000))]);
    expect({ code, output: code === 0 ? "" : m.output() }).toEqual({ code: 0, output: "" });
  }, 130_000);

  for (const [name, portVar] of [["api", "API_PORT"], ["gateway", "GATEWAY_PORT"], ["worker", "WORKER_PORT"]] as const) {
    it(`${name} starts from its compose command, answers its health check and stops on SIGTERM`, async () => {
      const service = services[name]!;
      // One port, said three times: the health check, the process's own setting, nginx's upstream.
      const port = service.healthcheck!.test.at(-1)!;
      expect(service.healthcheck!.test.slice(0, 3)).toEqual(["CMD", "node", "scripts/healthcheck.mjs"]);
      expect(String(service.environment![portVar])).toBe(port);
      if (name !== "worker") expect(nginx).toContain(`server ${name}:${port} `);
      // The bucket minio-init would have made.
      await createStorage({ s3: { ...config.s3, endpoint: s3.url, bucket: String(service.environment!.S3_BUCKET) } }).ensureBucket();

      const p = start(name);
      const deadline = Date.now() + 90_000;
      let healthy = false;
      while (!healthy && Date.now() < deadline && p.child.exitCode === null) {
        // The image's own health check script, as docker would run it.
        const check = spawn(process.execPath, ["scripts/healthcheck.mjs", port], { cwd: ROOT_DIR, stdio: "ignore" });
        healthy = (await new Promise<number | null>((resolve) => check.once("exit", resolve))) === 0;
        if (!healthy) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect({ healthy, output: healthy ? "" : p.output().slice(-3000) }).toEqual({ healthy: true, output: "" });
      // ...and the one answering is this process (not a stray one on the same port).
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect({ exitCode: p.child.exitCode, output: p.child.exitCode === null ? "" : p.output().slice(-3000) }).toEqual({ exitCode: null, output: "" });
      // Prometheus text with the figures operators watch (each metric family is declared).
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      for (const family of METRICS[name]) expect({ name, family, declared: metrics.includes(`# TYPE ${family} `) }).toEqual({ name, family, declared: true });
      // Runtime services log in as the run-time roles, never as the owner or the superuser.
      expect(localEnv(service).DATABASE_URL).not.toMatch(/openclaw_owner|:[^@/]+@/);

      // Activity while SIGTERM arrives: what the process accepted, it finishes.
      const during = await ACTIVITY[name](port, p.output);
      const stopAt = Date.now();
      p.child.kill("SIGTERM");
      const code = await p.exited;
      expect({ code, seconds: (Date.now() - stopAt) / 1000 < 10 }).toEqual({ code: 0, seconds: true });
      await during();
    }, 120_000);
  }

  it("the Dockerfile is multi-stage, production-only, non-root, with a health check", async () => {
    const dockerfile = await readFile(path.join(ROOT_DIR, "Dockerfile"), "utf8");
    const stages = dockerfile.match(/^FROM .+$/gm) ?? [];
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const from of stages) expect(from).toMatch(/^FROM node:20-bookworm/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*scripts\/healthcheck\.mjs/m);
    // Every service runs the one image.
    for (const name of ["migrate", "api", "gateway", "worker"]) expect((services[name] as { image?: string }).image).toBe("openclaw-platform:latest");
    // Every folder a process's code reaches is in the image (the gateway once lacked agent/).
    const copied = new Set([...dockerfile.matchAll(/^COPY (?:--\S+ )*(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/)));
    for (const folder of await sourceFolders(["api/server.ts", "realtime/server.ts", "worker/main.ts", "scripts/setup.ts", "scripts/admin.ts"])) {
      expect(copied, `the Dockerfile copies ${folder}`).toContain(folder);
    }
    // What the runtime needs to start is a production dependency.
    const pkg = JSON.parse(await readFile(path.join(ROOT_DIR, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toContain("tsx");
  });
});

/** The top-level files and folders the entry files reach through relative imports. */
async function sourceFolders(entries: string[]): Promise<Set<string>> {
  const seen = new Set<string>();
  const folders = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    folders.add(file.split("/")[0]!);
    const text = await readFile(path.join(ROOT_DIR, file), "utf8");
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+\.(?:ts|mjs|js))"/g)) {
      const target = path.relative(ROOT_DIR, path.resolve(ROOT_DIR, path.dirname(file), m[1]!));
      if (!target.startsWith("node_modules")) queue.push(target);
    }
  }
  return folders;
}
