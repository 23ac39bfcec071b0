#!/usr/bin/env node
// The image's HEALTHCHECK: GET http://127.0.0.1:<port>/healthz answers 200 within 3 s.
// The port is the first argument, else HEALTHCHECK_PORT, else API_PORT, else 3000.
const port = process.argv[2] ?? process.env.HEALTHCHECK_PORT ?? process.env.API_PORT ?? "3000";
try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3000) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
