// The one logger: structured JSON lines (pino). Never log secrets, tokens or message bodies.
import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(name: string): Logger {
  return pino({
    name,
    level: process.env.LOG_LEVEL || "info",
    base: { pid: process.pid, name },
    redact: { paths: ["*.password", "*.token", "*.secret", "*.authorization", "*.content"], censor: "[redacted]" },
  });
}
