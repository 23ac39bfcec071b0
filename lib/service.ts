// The shape every process entry shares: start, say clearly when the port is taken, stop cleanly
// on SIGINT/SIGTERM (at most 10 s, then exit anyway).
import type { Logger } from "./logger.ts";

export interface Stoppable {
  close(): Promise<void>;
}

export async function runService(options: {
  name: string;
  logger: Logger;
  port: number;
  portEnv: string;
  start: () => Promise<Stoppable>;
}): Promise<void> {
  const { logger } = options;
  let service: Stoppable;
  try {
    service = await options.start();
  } catch (error) {
    const code = (error as { code?: string }).code;
    logger.error({ code }, code === "EADDRINUSE" ? `port ${options.port} is already in use (set ${options.portEnv})` : (error as Error).message);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${options.name} stopping`);
    setTimeout(() => process.exit(0), 10_000).unref();
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}
