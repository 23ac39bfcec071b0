// `npm start`, after the bootstrap has prepared the database: runs the local stack's Node
// processes as children, one terminal, clean shutdown on Ctrl-C.
//
// Its own messages are plain `[supervisor] ...` lines rather than JSON: this is the human-facing
// console of the stack, like the bootstrap. The processes it runs log structured JSON, passed
// through line by line behind their name.
import "../lib/polyfills.ts";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig, ROOT_DIR, type Config } from "../lib/config.ts";

interface Service {
  /** Prefix of its output lines and the name used in messages. */
  name: string;
  /** Entry file, relative to the repository root; run as `node --import tsx <entry>`. */
  entry: string;
  host: string;
  port: number;
  /** The variable that moves it to another port, named in the "port in use" message. */
  portEnv: string;
  /** An HTTP path that answers 2xx once the process is ready, or "tcp" for "accepts connections". */
  health: `/${string}` | "tcp";
  /** Shown in the ready line. */
  url: string;
  enabled: boolean;
}

// One entry per process.
function services(config: Config): Service[] {
  const table: Service[] = [
    {
      name: "s3",
      entry: "scripts/local-s3.ts",
      host: "127.0.0.1",
      port: config.ports.s3,
      portEnv: "S3_PORT",
      // s3rver creates the bucket before it listens, so an open port means it is usable.
      health: "tcp",
      url: `http://127.0.0.1:${config.ports.s3}`,
      // With S3_ENDPOINT set, object storage is run by someone else (MinIO, a cloud bucket).
      enabled: config.s3.endpoint === null,
    },
    {
      name: "api",
      entry: "api/server.ts",
      host: "127.0.0.1",
      port: config.ports.api,
      portEnv: "API_PORT",
      health: "/readyz",
      url: `http://127.0.0.1:${config.ports.api}/graphiql`,
      enabled: true,
    },
    {
      name: "gateway",
      entry: "realtime/server.ts",
      host: "127.0.0.1",
      port: config.ports.gateway,
      portEnv: "GATEWAY_PORT",
      health: "/readyz",
      url: `ws://127.0.0.1:${config.ports.gateway}`,
      enabled: true,
    },
    {
      name: "worker",
      entry: "worker/main.ts",
      host: "127.0.0.1",
      port: config.ports.worker,
      portEnv: "WORKER_PORT",
      health: "/readyz",
      url: `http://127.0.0.1:${config.ports.worker}/metrics`,
      enabled: true,
    },
  ];
  return table.filter((service) => service.enabled);
}

/** A process must answer its health check within this long after it is spawned. */
const START_TIMEOUT_MS = 30_000;
/** How long children get to exit after SIGTERM before they are killed. */
const STOP_TIMEOUT_MS = 10_000;

const say = (message: string) => process.stdout.write(`[supervisor] ${message}\n`);
const complain = (message: string) => process.stderr.write(`[supervisor] ${message}\n`);

/** Resolves with the listen error code (e.g. EADDRINUSE), or null when the port can be bound. */
function probePort(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen({ host, port }, () => server.close(() => resolve(null)));
  });
}

/** Every problem with the ports the table will use, as messages; empty when all are free. */
async function portProblems(table: Service[]): Promise<string[]> {
  const problems: string[] = [];
  const seen = new Map<number, Service>();
  for (const service of table) {
    const other = seen.get(service.port);
    if (other) {
      problems.push(`port ${service.port} is set for both ${other.name} and ${service.name}: change ${service.portEnv}.`);
      continue;
    }
    seen.set(service.port, service);
    const code = await probePort(service.host, service.port);
    if (code === "EADDRINUSE") {
      problems.push(
        `port ${service.port} (${service.name}) is already in use: is another "npm start" running? ` +
          `Stop it or set ${service.portEnv}.`,
      );
    } else if (code !== null) {
      problems.push(`port ${service.port} (${service.name}) cannot be used on ${service.host}: ${code}. Set ${service.portEnv}.`);
    }
  }
  return problems;
}

function tcpAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1_000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

async function isHealthy(service: Service): Promise<boolean> {
  if (service.health === "tcp") return tcpAnswers(service.host, service.port);
  try {
    const response = await fetch(`http://${service.host}:${service.port}${service.health}`, {
      signal: AbortSignal.timeout(1_000),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

interface Running {
  service: Service;
  child: ChildProcess;
  /** Settles when the process has exited and its output is fully relayed. */
  exited: Promise<void>;
  done: boolean;
}

function start(service: Service, onUnexpectedExit: (running: Running, how: string) => void): Running {
  const child = spawn(process.execPath, ["--import", "tsx", service.entry], {
    cwd: ROOT_DIR,
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    if (!stream) continue;
    createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => out.write(`[${service.name}] ${line}\n`));
  }
  let settle!: () => void;
  const running: Running = { service, child, exited: new Promise((resolve) => (settle = resolve)), done: false };
  const finish = (how: string) => {
    if (running.done) return;
    running.done = true;
    settle();
    onUnexpectedExit(running, how);
  };
  // "close" rather than "exit": it comes after the last output line has been relayed.
  child.once("close", (code, signal) => finish(signal ? `killed by ${signal}` : `exit code ${code}`));
  child.once("error", (error) => finish(`could not start: ${error.message}`));
  return running;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const table = services(config);

  for (const service of table) {
    if (!existsSync(path.join(ROOT_DIR, service.entry))) {
      complain(`${service.name}: entry file ${service.entry} does not exist.`);
      process.exit(1);
    }
  }
  if (table.length === 0) {
    say("nothing to run locally: every process is disabled by configuration (e.g. S3_ENDPOINT is set).");
    return;
  }

  const problems = await portProblems(table);
  if (problems.length > 0) {
    for (const problem of problems) complain(problem);
    process.exit(1);
  }

  const children: Running[] = [];
  let stopping = false;

  const stopAll = async (): Promise<void> => {
    const alive = children.filter((running) => !running.done);
    for (const running of alive) running.child.kill("SIGTERM");
    const allExited = Promise.all(alive.map((running) => running.exited));
    const timedOut = await Promise.race([allExited.then(() => false), sleep(STOP_TIMEOUT_MS, true, { ref: false })]);
    if (timedOut) {
      for (const running of alive.filter((r) => !r.done)) {
        complain(`${running.service.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it.`);
        running.child.kill("SIGKILL");
      }
      await allExited;
    }
  };

  const shutdown = (exitCode: number, reason: string) => {
    if (stopping) return;
    stopping = true;
    (exitCode === 0 ? say : complain)(reason);
    void stopAll().then(() => {
      if (exitCode === 0) say("stopped.");
      process.exit(exitCode);
    });
  };

  const onUnexpectedExit = (running: Running, how: string) => {
    if (stopping) return;
    shutdown(1, `${running.service.name} exited unexpectedly (${how}); stopping the others.`);
  };

  // A terminal's Ctrl-C also reaches the children (same process group); they stop on either
  // signal, and SIGTERM from here covers `kill <supervisor pid>`.
  process.on("SIGINT", () => shutdown(0, "SIGINT received; stopping."));
  process.on("SIGTERM", () => shutdown(0, "SIGTERM received; stopping."));

  for (const service of table) children.push(start(service, onUnexpectedExit));

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (const running of children) {
    while (!(await isHealthy(running.service))) {
      if (stopping) return;
      if (Date.now() > deadline) {
        shutdown(
          1,
          `${running.service.name} did not answer on ${running.service.host}:${running.service.port} ` +
            `within ${START_TIMEOUT_MS / 1000} s; stopping.`,
        );
        return;
      }
      await sleep(100);
    }
  }
  if (stopping) return;
  say(`ready: ${children.map(({ service }) => `${service.name} ${service.url}`).join(", ")}`);
}

await main();
