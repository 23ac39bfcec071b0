// What each runtime role may write, compared with the reviewed list in db/writable-columns.txt.
// Adding a grant (or a column to one) fails here until the list is updated in the same change,
// where a reviewer sees it. Server-owned state (revocation, use marks, pairing decisions, what a
// node reported) must never appear for openclaw_user: users change it only through functions.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writableColumns } from "../db/security-lints.ts";
import { ROLES, ROOT_DIR } from "../lib/config.ts";
import { rootPool } from "./support/db.ts";

const root = rootPool();
const ROLES_CHECKED = [ROLES.anonymous, ROLES.user, ROLES.admin, ROLES.authenticator, ROLES.worker];
const SCHEMAS = ["app_public", "app_hidden", "app_private"];
const LIST = path.join(ROOT_DIR, "db", "writable-columns.txt");

const reviewed = () =>
  readFileSync(LIST, "utf8").split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));

afterAll(() => root.end());

describe("user-writable columns", () => {
  it("match the reviewed allowlist (update db/writable-columns.txt with the grant, on purpose)", async () => {
    const actual = await writableColumns(root, ROLES_CHECKED, SCHEMAS);
    const expected = reviewed();
    const added = actual.filter((l) => !expected.includes(l));
    const removed = expected.filter((l) => !actual.includes(l));
    expect({ added, removed }).toEqual({ added: [], removed: [] });
  });

  it("fails on an added grant", async () => {
    const client = await root.connect();
    try {
      await client.query("begin");
      await client.query(`grant update (revoked_at) on app_public.devices to ${ROLES.user}`);
      const actual = await writableColumns(client, ROLES_CHECKED, SCHEMAS);
      // Admins inherit the user role's grants, so both show the new column.
      expect(actual.filter((l) => !reviewed().includes(l))).toEqual([
        `${ROLES.admin} update app_public.devices.revoked_at`,
        `${ROLES.user} update app_public.devices.revoked_at`,
      ]);
    } finally {
      await client.query("rollback");
      client.release();
    }
  });

  it("never lets a user write revocation, use marks, pairing decisions or what a node reported", async () => {
    const serverOwned = [
      "app_public.devices.status", "app_public.devices.revoked_at", "app_public.devices.paired_at", "app_public.devices.last_seen_at",
      "app_public.devices.caps", "app_public.devices.commands", "app_public.node_tokens.revoked_at", "app_public.node_tokens.last_used_at",
      "app_public.device_pairing_codes.used_at", "app_public.device_pairing_codes.device_id",
      "app_public.device_pairing_requests.status", "app_public.device_pairing_requests.decided_at",
    ];
    const actual = await writableColumns(root, [ROLES.user, ROLES.admin], ["app_public"]);
    const leaks = actual.filter((l) => serverOwned.some((c) => l.endsWith(` ${c}`)));
    expect(leaks).toEqual([]);
  });
});
