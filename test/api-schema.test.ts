// The checked-in schema.graphql is what the API serves, and the API's surfaces respond.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { printApiSchema } from "../api/schema-export.ts";
import type { ApiServer } from "../api/server.ts";
import { ROOT_DIR } from "../lib/config.ts";
import { startTestApi } from "./support/api.ts";

let api: ApiServer;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe("API surface", () => {
  it("schema.graphql matches the schema built from the migrated database (run `npm run schema:export`)", async () => {
    const checkedIn = readFileSync(path.join(ROOT_DIR, "schema.graphql"), "utf8");
    expect(await printApiSchema()).toBe(checkedIn);
  });

  it("serves Ruru, health, readiness and Prometheus metrics", async () => {
    const ruru = await fetch(`${api.url}/graphiql`, { headers: { accept: "text/html" } });
    expect(ruru.status).toBe(200);
    expect(ruru.headers.get("content-type")).toMatch(/text\/html/);
    const health = await fetch(`${api.url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ postgres: "ok", redis: "ok" });
    await fetch(`${api.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ __typename }"}' });
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/openclaw_http_requests_total\{route="\/graphql",method="POST",status="200",process="api"\} \d+/);
    expect(metrics).toMatch(/openclaw_db_pool_connections\{pool="api",process="api"\}/);
  });

  it("rejects a malformed request body with a clear error", async () => {
    const res = await fetch(`${api.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(400);
  });
});
