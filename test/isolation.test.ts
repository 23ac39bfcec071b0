import { afterAll, describe, expect, it } from "vitest";
import { EXPOSED_SCHEMAS } from "../lib/config.ts";
import { authenticatorPool, rootPool } from "./support/db.ts";
import { auditIsolation } from "./support/isolation.ts";
import { fixtures } from "./support/tenant-fixtures.ts";

const root = rootPool();
const app = authenticatorPool();
afterAll(async () => {
  await Promise.all([root.end(), app.end()]);
});

describe("tenant isolation, generated from the catalog", () => {
  it("no relation in the exposed schemas leaks A's rows to user B or to anonymous", async () => {
    const report = await auditIsolation({ schemas: EXPOSED_SCHEMAS, fixtures, root, app });
    expect(report.findings).toEqual([]);
    // Every relation the catalog lists was checked, and every fixture matches a real relation.
    expect(report.relations.length).toBeGreaterThanOrEqual(27);
    expect(Object.keys(fixtures).sort()).toEqual([...report.relations].sort());
    expect(report.checks).toBeGreaterThan(report.relations.length * 10);
  });
});
