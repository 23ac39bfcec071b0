// The tools the model gets, and how each call is checked and carried out for the user whose turn
// it is. A tool never throws at the loop: bad arguments, a device that is offline, a denied
// confirmation all come back as a result the model reads ({"error": "..."}), so it can explain
// or try something else.
import type pg from "pg";
import { withUser } from "../db/tenant.ts";
import type { Embedder } from "../lib/embeddings/index.ts";
import { searchFileChunks, searchMemories } from "../db/search.ts";
import type { ToolCall, ToolSpec } from "./providers/types.ts";

/** What a node invoke comes back with (the gateway's InvokeOutcome). */
export type DeviceOutcome =
  | { ok: true; payload?: unknown; payloadJSON?: string | null }
  | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

/** The user's devices as the gateway sees them; implemented by the realtime hub. */
export interface DeviceAccess {
  listNodes(userId: string): Promise<Record<string, unknown>[]>;
  invoke(userId: string, request: { nodeId: string; command: string; paramsJSON: string | null; timeoutMs: number; idempotencyKey: string }): Promise<DeviceOutcome>;
}

export type ApprovalStatus = "approved" | "denied" | "expired";

export interface SkillEntry {
  name: string;
  description: string;
  load(): Promise<string>;
}

export interface ToolContext {
  userId: string;
  runId: string;
  pool: pg.Pool;
  embedder: Embedder;
  devices: DeviceAccess;
  invokeTimeoutMs: number;
  maxInvokeTimeoutMs: number;
  sensitiveCommands: ReadonlySet<string>;
  skills: SkillEntry[];
  /** Asks the user to confirm a command; resolves with their decision (or expired). */
  requestApproval(request: { nodeId: string; deviceName: string; command: string; params: unknown; toolCallId: string }): Promise<{ status: ApprovalStatus; decidedBy: string | null }>;
  /** Reports progress to the user's apps (a `chat` status event). */
  status(phase: string, extra: Record<string, unknown>): void;
}

/** One executed call, as kept on the assistant message (tool_calls). */
export interface ToolRecord {
  id: string;
  name: string;
  arguments: unknown;
  result: unknown;
}

const MAX_RESULT_CHARS = 16_000;
const MAX_PARAMS_CHARS = 64 * 1024;

export const TOOL_SPECS: ToolSpec[] = [
  {
    name: "list_devices",
    description: "List the user's paired devices with whether each is online and which commands it accepts.",
    parameters: { type: "object", properties: {}, additionalProperties: false },
  },
  {
    name: "invoke_command",
    description:
      "Run a command on one of the user's online devices. `device` is the device's name or node id from list_devices; " +
      "`command` is one of the commands that device advertises (e.g. system.run); `params` are the command's parameters " +
      '(for system.run: {"command": ["echo", "hi"]}, an argv array). Some commands need the user\'s confirmation first.',
    parameters: {
      type: "object",
      properties: {
        device: { type: "string", description: "Device name or node id" },
        command: { type: "string", description: "Command name, e.g. system.run" },
        params: { type: "object", description: "Command parameters" },
      },
      required: ["device", "command"],
    },
  },
  {
    name: "search_memory",
    description: "Search what the user told you before (memories) and the user's uploaded files.",
    parameters: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
  },
  {
    name: "save_memory",
    description: "Remember a fact about the user for later conversations.",
    parameters: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
  },
  {
    name: "use_skill",
    description: "Load the full instructions of one of the user's installed skills by name, then follow them.",
    parameters: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
  },
];

class ToolInputError extends Error {}

function text(value: unknown, name: string, max: number): string {
  if (typeof value !== "string" || value.trim() === "") throw new ToolInputError(`${name} must be a non-empty string`);
  if (value.length > max) throw new ToolInputError(`${name} is longer than ${max} characters`);
  return value.trim();
}

function result(value: unknown): string {
  const json = JSON.stringify(value);
  return json.length <= MAX_RESULT_CHARS ? json : JSON.stringify({ truncated: true, text: json.slice(0, MAX_RESULT_CHARS) });
}

/** system.run takes an argv array; a command line given as one string is split on spaces. */
function commandParams(command: string, raw: unknown): Record<string, unknown> {
  if (raw !== undefined && raw !== null && (typeof raw !== "object" || Array.isArray(raw))) throw new ToolInputError("params must be an object");
  const params = { ...((raw ?? {}) as Record<string, unknown>) };
  if (JSON.stringify(params).length > MAX_PARAMS_CHARS) throw new ToolInputError("params are too large");
  if (command === "system.run") {
    let argv = params.command;
    if (typeof argv === "string") argv = argv.trim().split(/\s+/).filter((s) => s !== "");
    if (!Array.isArray(argv) || argv.length === 0 || argv.length > 200 || argv.some((a) => typeof a !== "string" || a.length > 8192)) {
      throw new ToolInputError('system.run needs params.command as a non-empty array of strings, e.g. ["echo", "hi"]');
    }
    params.command = argv;
    if (params.timeoutMs !== undefined && (typeof params.timeoutMs !== "number" || params.timeoutMs <= 0)) {
      throw new ToolInputError("params.timeoutMs must be a positive number");
    }
  }
  return params;
}

export interface DeviceView {
  name: string;
  nodeId: string;
  online: boolean;
  platform?: string;
  commands: string[];
}

/** The user's devices as the agent sees them (the tool's answer and the prompt's roster). */
export async function deviceViews(access: DeviceAccess, userId: string): Promise<DeviceView[]> {
  return (await access.listNodes(userId)).map((n) => ({
    name: String(n.displayName ?? n.nodeId),
    nodeId: String(n.nodeId),
    online: n.connected === true,
    platform: typeof n.platform === "string" ? n.platform : undefined,
    commands: Array.isArray(n.commands) ? (n.commands as string[]) : [],
  }));
}

const devices = (ctx: ToolContext) => deviceViews(ctx.devices, ctx.userId);

async function invokeCommand(ctx: ToolContext, call: ToolCall, args: Record<string, unknown>): Promise<unknown> {
  const wanted = text(args.device, "device", 200);
  const command = text(args.command, "command", 200);
  const all = await devices(ctx);
  const lower = wanted.toLowerCase();
  const device = all.find((d) => d.nodeId === wanted) ?? all.find((d) => d.name.toLowerCase() === lower) ??
    (all.filter((d) => d.name.toLowerCase().includes(lower)).length === 1 ? all.find((d) => d.name.toLowerCase().includes(lower)) : undefined);
  if (!device) return { error: `no device called "${wanted}"; the user's devices are: ${all.map((d) => d.name).join(", ") || "none"}` };
  if (!device.online) return { error: `${device.name} is offline` };
  if (!device.commands.includes(command)) {
    return { error: `${device.name} does not accept ${command}; it accepts: ${device.commands.join(", ")}` };
  }
  const params = commandParams(command, args.params);
  const commandLine = command === "system.run" ? (params.command as string[]).join(" ") : undefined;
  const base = { device: device.name, command, commandLine };
  if (ctx.sensitiveCommands.has(command)) {
    ctx.status("awaiting_approval", { tool: call.name, toolCallId: call.id, command, device: device.name });
    const decision = await ctx.requestApproval({ nodeId: device.nodeId, deviceName: device.name, command, params, toolCallId: call.id });
    if (decision.status !== "approved") {
      return {
        ...base, approval: decision.status,
        error: decision.status === "expired"
          ? "the user did not confirm this command in time, so it was not run"
          : "the user denied this command, so it was not run",
      };
    }
  }
  ctx.status("running_tool", { tool: call.name, toolCallId: call.id, command, device: device.name });
  const timeoutMs = Math.min(typeof params.timeoutMs === "number" ? params.timeoutMs + 5_000 : ctx.invokeTimeoutMs, ctx.maxInvokeTimeoutMs);
  let outcome: DeviceOutcome;
  try {
    outcome = await ctx.devices.invoke(ctx.userId, {
      nodeId: device.nodeId, command, paramsJSON: JSON.stringify(params), timeoutMs, idempotencyKey: `${ctx.runId}:${call.id}`.slice(0, 200),
    });
  } catch (error) {
    return { ...base, error: (error as Error).message };
  }
  if (!outcome.ok) return { ...base, error: outcome.error.message || outcome.error.code };
  let payload: unknown = outcome.payload;
  if (payload === undefined) {
    try {
      payload = outcome.payloadJSON ? JSON.parse(outcome.payloadJSON) : null;
    } catch {
      return { ...base, error: "the device answered with something that is not JSON" };
    }
  }
  return { ...base, approval: ctx.sensitiveCommands.has(command) ? "approved" : undefined, result: payload };
}

async function run(ctx: ToolContext, call: ToolCall, args: Record<string, unknown>): Promise<unknown> {
  switch (call.name) {
    case "list_devices":
      return { devices: await devices(ctx) };
    case "invoke_command":
      return invokeCommand(ctx, call, args);
    case "search_memory": {
      const query = text(args.query, "query", 1000);
      let memories: Awaited<ReturnType<typeof searchMemories>>;
      let files: Awaited<ReturnType<typeof searchFileChunks>>;
      try {
        [memories, files] = await Promise.all([
          searchMemories(ctx.pool, ctx.userId, ctx.embedder, query, 5),
          searchFileChunks(ctx.pool, ctx.userId, ctx.embedder, query, 3),
        ]);
      } catch (error) {
        return { error: `search is unavailable right now (${(error as Error).message.slice(0, 200)})` };
      }
      return {
        memories: memories.map((m) => ({ content: m.content, kind: m.kind, score: Number(m.score.toFixed(4)) })),
        files: files.map((f) => ({ content: f.content.slice(0, 1500), fileId: f.fileId, score: Number(f.score.toFixed(4)) })),
      };
    }
    case "save_memory": {
      const content = text(args.text, "text", 2000);
      await withUser(ctx.pool, ctx.userId, (tx) =>
        tx.query("insert into app_public.user_memories (kind, content, importance) values ('fact', $1, 0.7)", [content]));
      return { saved: true, content };
    }
    case "use_skill": {
      const name = text(args.name, "name", 200).toLowerCase();
      const skill = ctx.skills.find((s) => s.name.toLowerCase() === name);
      if (!skill) return { error: `no installed skill called "${args.name}"; installed: ${ctx.skills.map((s) => s.name).join(", ") || "none"}` };
      return { skill: skill.name, instructions: await skill.load() };
    }
    default:
      return { error: `unknown tool ${call.name}` };
  }
}

/** Runs one tool call; the content is what the model reads, the record what the message keeps. */
export async function executeTool(ctx: ToolContext, call: ToolCall): Promise<{ content: string; record: ToolRecord }> {
  let args: unknown;
  try {
    args = call.argumentsJson.trim() === "" ? {} : JSON.parse(call.argumentsJson);
  } catch {
    const value = { error: "the arguments were not valid JSON" };
    return { content: result(value), record: { id: call.id, name: call.name, arguments: call.argumentsJson.slice(0, 2000), result: value } };
  }
  let value: unknown;
  try {
    if (!args || typeof args !== "object" || Array.isArray(args)) throw new ToolInputError("the arguments must be a JSON object");
    value = await run(ctx, call, args as Record<string, unknown>);
  } catch (error) {
    if (!(error instanceof ToolInputError)) throw error;
    value = { error: error.message };
  }
  const content = result(value);
  return { content, record: { id: call.id, name: call.name, arguments: args, result: JSON.parse(content) } };
}
