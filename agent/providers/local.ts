// The built-in `local` provider: no model, a small explicit grammar in English and Chinese, so the
// whole product (devices, confirmations, memories, skills) works with no API key. It speaks the
// same provider interface as the real models: it asks for the same tools, the agent loop runs
// them, and it words an answer from their results.
//
// Grammar (case-insensitive; anything else gets a message saying which provider settings to set):
//   list my devices                      | 列出我的设备 / 我有哪些设备
//   run <command> on <device>            | 在<设备>上运行<命令>
//   remember <fact>                      | 记住<事实>
//   what do you know about <topic>       | 关于<主题>你知道什么 / 你知道<主题>吗
//   use skill <name>                     | 使用技能<名称>
import type { AgentMessage, ModelProvider, ModelRequest, ModelTurn, ToolCall } from "./types.ts";

type Intent = { tool: string; args: Record<string, unknown> } | null;

const CJK = /[\u3400-\u9fff]/;

function argv(command: string): string[] {
  return command.trim().split(/\s+/).filter((part) => part !== "");
}

function cleanDevice(name: string): string {
  return name.trim().replace(/^(my|the)\s+/i, "").replace(/^我的/, "").replace(/[.!?。！？]+$/, "").trim();
}

/** What the user asked for, or null when the grammar does not cover it. */
function parseIntent(text: string): Intent {
  const t = text.trim();
  let m: RegExpMatchArray | null;
  if ((m = t.match(/\b(?:use|apply)\s+(?:the\s+)?skill\s+["“']?([^"”'.!?]+?)["”']?[.!?]*$/i)) || (m = t.match(/使用技能\s*[「“"]?([^」”"。！？]+?)[」”"]?[。！？]*$/))) {
    return { tool: "use_skill", args: { name: m[1]!.trim() } };
  }
  if ((m = t.match(/\brun\s+[`"“]?(.+?)[`"”]?\s+on\s+(.+?)[.!?]*$/i))) {
    return { tool: "invoke_command", args: { device: cleanDevice(m[2]!), command: "system.run", params: { command: argv(m[1]!) } } };
  }
  if ((m = t.match(/在(.+?)上(?:运行|执行)\s*[`“"]?(.+?)[`”"]?[。！？]*$/))) {
    return { tool: "invoke_command", args: { device: cleanDevice(m[1]!), command: "system.run", params: { command: argv(m[2]!) } } };
  }
  if (/\b(list|show)\s+(me\s+)?(all\s+)?(of\s+)?my\s+(devices|nodes)\b|\bwhat devices\b|\bwhich devices\b/i.test(t) ||
      /(列出|显示|查看)?我的(所有)?设备|我有哪些设备/.test(t)) {
    return { tool: "list_devices", args: {} };
  }
  if ((m = t.match(/^(?:please\s+)?remember(?:\s+that)?[:,]?\s+(.+?)\s*$/is)) || (m = t.match(/^请?记住[:：,，]?\s*(.+?)\s*$/s))) {
    return { tool: "save_memory", args: { text: m[1]!.replace(/[.。]+$/, "") } };
  }
  if ((m = t.match(/what do you know about\s+(.+?)[?.!]*$/i)) || (m = t.match(/what(?:'s| is) my\s+(.+?)[?.!]*$/i)) ||
      (m = t.match(/关于(.+?)你知道(?:什么|些什么)/)) || (m = t.match(/你知道(?:关于)?(.+?)(?:的事情|的事)?吗/))) {
    return { tool: "search_memory", args: { query: m[1]!.replace(/^(my|the)\s+/i, "").trim() } };
  }
  return null;
}

function lastUserText(messages: AgentMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === "user") return m.text;
  }
  return "";
}

/** The tool results that answer the latest assistant tool calls, if the conversation ends with them. */
function trailingToolResults(messages: AgentMessage[]): Extract<AgentMessage, { role: "tool" }>[] {
  const results: Extract<AgentMessage, { role: "tool" }>[] = [];
  for (let i = messages.length - 1; i >= 0 && messages[i]!.role === "tool"; i--) results.unshift(messages[i] as never);
  return results;
}

function parse(content: string): any {
  try {
    return JSON.parse(content);
  } catch {
    return { error: content };
  }
}

function describeResult(name: string, content: string, zh: boolean): string {
  const r = parse(content);
  if (name === "invoke_command" && r.approval && r.approval !== "approved") {
    if (zh) return `没有运行：${r.approval === "expired" ? "你没有及时确认这条命令" : "你拒绝了这条命令"}。`;
    return `It was not run: the command was ${r.approval === "expired" ? "not confirmed in time" : "denied"}.`;
  }
  if (r?.error) return zh ? `没有完成：${r.error}` : `That did not work: ${r.error}`;
  switch (name) {
    case "list_devices": {
      const devices = (r.devices ?? []) as { name: string; online: boolean; commands?: string[] }[];
      if (devices.length === 0) return zh ? "你还没有绑定任何设备。" : "You have no devices yet. Pair one with a node token first.";
      const lines = devices.map((d) => zh
        ? `- ${d.name}（${d.online ? "在线" : "离线"}）`
        : `- ${d.name} (${d.online ? "online" : "offline"})`);
      return (zh ? "你的设备：\n" : "Your devices:\n") + lines.join("\n");
    }
    case "invoke_command": {
      const out = r.result ?? {};
      const text = [out.stdout, out.stderr].filter((s: unknown) => typeof s === "string" && s !== "").join("\n").trim();
      const code = typeof out.exitCode === "number" ? out.exitCode : null;
      if (zh) return `${r.device} 已运行 \`${r.commandLine ?? r.command}\`${code === null ? "" : `（退出码 ${code}）`}${text ? `：\n${text}` : "。"}`;
      return `${r.device} ran \`${r.commandLine ?? r.command}\`${code === null ? "" : ` (exit code ${code})`}${text ? `:\n${text}` : "."}`;
    }
    case "save_memory":
      return zh ? `好的，我记住了：${r.content}` : `Got it, I'll remember: ${r.content}`;
    case "search_memory": {
      const hits = [...(r.memories ?? []), ...(r.files ?? [])] as { content: string }[];
      if (hits.length === 0) return zh ? "我还不知道这方面的事。" : "I don't know anything about that yet.";
      return (zh ? "我知道的：\n" : "Here is what I know:\n") + hits.slice(0, 5).map((h) => `- ${h.content}`).join("\n");
    }
    case "use_skill":
      return zh
        ? `已载入技能「${r.skill}」。内置助手无法自行执行技能说明；请配置模型提供方来使用它。\n\n${String(r.instructions ?? "").slice(0, 500)}`
        : `Loaded the skill "${r.skill}". The built-in assistant cannot follow skill instructions by itself; set up a model provider to use it.\n\n${String(r.instructions ?? "").slice(0, 500)}`;
    default:
      return content;
  }
}

function helpText(zh: boolean): string {
  if (zh) {
    return "我是内置的本地助手，只听得懂几种指令：“列出我的设备”、“在<设备>上运行<命令>”、“记住<事实>”、“关于<主题>你知道什么”、“使用技能<名称>”。" +
      "要自由对话，请让管理员设置 AGENT_PROVIDER=openai 和 OPENAI_API_KEY（DeepSeek、通义千问、Ollama、vLLM 等再设 OPENAI_BASE_URL 和 OPENAI_MODEL），" +
      "或 AGENT_PROVIDER=anthropic 和 ANTHROPIC_API_KEY；你也可以在助手设置里选择提供方。";
  }
  return "I'm the built-in local assistant, so I only understand a few requests: \"list my devices\", \"run <command> on <device>\", " +
    "\"remember <fact>\", \"what do you know about <topic>\" and \"use skill <name>\". For free conversation, the server administrator can set " +
    "AGENT_PROVIDER=openai with OPENAI_API_KEY (plus OPENAI_BASE_URL and OPENAI_MODEL for DeepSeek, Qwen, Ollama or vLLM), or " +
    "AGENT_PROVIDER=anthropic with ANTHROPIC_API_KEY; you can also pick the provider in your assistant settings.";
}

function stream(text: string, request: ModelRequest): void {
  for (const piece of text.match(/\S+\s*|\s+/g) ?? []) request.onText(piece);
}

export function createLocalProvider(): ModelProvider {
  let counter = 0;
  return {
    name: "local",
    async complete(request: ModelRequest): Promise<ModelTurn> {
      const zh = CJK.test(lastUserText(request.messages));
      const results = trailingToolResults(request.messages);
      const usage = { promptTokens: 0, completionTokens: 0 };
      if (results.length > 0) {
        const text = results.map((r) => describeResult(r.name, r.content, zh)).join("\n\n");
        stream(text, request);
        return { text, toolCalls: [], usage, stopReason: "stop" };
      }
      const intent = parseIntent(lastUserText(request.messages));
      if (intent && request.tools.some((t) => t.name === intent.tool)) {
        const call: ToolCall = { id: `local_${Date.now().toString(36)}_${++counter}`, name: intent.tool, argumentsJson: JSON.stringify(intent.args) };
        return { text: "", toolCalls: [call], usage, stopReason: "tool_calls" };
      }
      const text = helpText(zh);
      stream(text, request);
      return { text, toolCalls: [], usage, stopReason: "stop" };
    },
  };
}
