// The rule-based rolling summary (no model needed): the previous summary followed by one line per
// summarised message, its first sentence shortened, oldest lines dropped first when the summary
// outgrows its budget. An LLM summariser can replace this behind the same function shape.

export interface SummaryMessage {
  role: string;
  content: string;
}

const LABEL: Record<string, string> = { user: "User", assistant: "Assistant", system: "System", tool: "Tool" };

/** The first sentence of a message (English or Chinese punctuation), at most `max` characters. */
export function firstSentence(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const end = flat.search(/[.!?。！？](\s|$)|[。！？]/u);
  const sentence = end >= 0 ? flat.slice(0, end + 1) : flat;
  return sentence.length <= max ? sentence : `${sentence.slice(0, max - 1).trimEnd()}…`;
}

export function rollSummary(previous: string | null, messages: SummaryMessage[], maxChars: number): string {
  const lines = (previous ?? "").split("\n").filter((l) => l.trim() !== "");
  for (const m of messages) {
    // Tool output and empty turns say little about the conversation.
    if (m.role === "tool" || m.content.trim() === "") continue;
    lines.push(`- ${LABEL[m.role] ?? m.role}: ${firstSentence(m.content)}`);
  }
  while (lines.length > 1 && lines.join("\n").length > maxChars) lines.shift();
  const text = lines.join("\n");
  return text.length <= maxChars ? text : text.slice(text.length - maxChars);
}
