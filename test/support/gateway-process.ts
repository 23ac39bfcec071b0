// A gateway as a real child process (`node --import tsx realtime/server.ts`) against the suite's
// Postgres and Redis, for tests that kill or restart one, or run several side by side.
import { spawn, type ChildProcess } from "node:child_process";
import { ROOT_DIR } from "../../lib/config.ts";
import { freePort } from "./ports.ts";

export interface GatewayProcess {
  name: string;
  instanceId: string;
  port: number;
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: GatewayProcess[] = [];

export function running(gw: GatewayProcess): boolean {
  return gw.child.exitCode === null && gw.child.signalCode === null;
}

/** SIGKILLs every gateway process started here (also on the test process's exit). */
export function killAllGateways(): void {
  for (const gw of children) if (running(gw)) gw.child.kill("SIGKILL");
}
process.once("exit", killAllGateways);

/** SIGTERM to all, SIGKILL to any still running after `graceMs`; resolves once all are gone. */
export async function stopAllGateways(graceMs = 3000): Promise<void> {
  for (const gw of children) if (running(gw)) gw.child.kill("SIGTERM");
  await Promise.race([Promise.all(children.map((gw) => gw.exited)), new Promise((resolve) => setTimeout(resolve, graceMs))]);
  killAllGateways();
  await Promise.all(children.map((gw) => gw.exited));
}

export async function spawnGateway(name: string, env: Record<string, string> = {}): Promise<GatewayProcess> {
  const port = await freePort();
  const instanceId = `${name}-${Math.random().toString(36).slice(2, 10)}`;
  const child = spawn(process.execPath, ["--import", "tsx", "realtime/server.ts"], {
    cwd: ROOT_DIR,
    env: {
      ...process.env,
      // vitest sets these to the test database and Redis db 1.
      DATABASE_URL: process.env.DATABASE_URL,
      REDIS_URL: process.env.REDIS_URL,
      GATEWAY_PORT: String(port),
      GATEWAY_INSTANCE_ID: instanceId,
      GATEWAY_HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", (error) => {
      output += `spawn failed: ${error.message}\n`;
      resolve({ code: null, signal: null });
    });
  });
  const gw: GatewayProcess = { name, instanceId, port, url: `ws://127.0.0.1:${port}`, child, output: () => output, exited };
  children.push(gw);
  return gw;
}

export async function waitHealthy(gw: GatewayProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!running(gw)) throw new Error(`gateway ${gw.name} exited before it was healthy:\n${gw.output()}`);
    const body = await fetch(`http://127.0.0.1:${gw.port}/healthz`).then(
      async (res) => (res.status === 200 ? ((await res.json()) as { instanceId?: string }) : null),
      () => null, // not listening yet
    );
    if (body) {
      if (body.instanceId !== gw.instanceId) throw new Error(`port ${gw.port} answered as ${body.instanceId}, not ${gw.instanceId}`);
      return;
    }
    if (Date.now() > deadline) throw new Error(`gateway ${gw.name} not healthy within ${timeoutMs} ms:\n${gw.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

