// The search-quality fixture (test/fixtures/recall/) through scripts/recall.ts, as the README
// tells people to run it: the script itself exits non-zero when hybrid recall@5 falls below the
// better single method; here its printed table is also read back and checked.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { ROOT_DIR } from "../lib/config.ts";

it("hybrid recall@5 is at least the better of vector-only and text-only, in English and Chinese overall", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/recall.ts"], { cwd: ROOT_DIR, env: process.env });
  const row = (name: string) => {
    const line = stdout.split("\n").find((l) => l.startsWith(`${name} `));
    if (!line) throw new Error(`no ${name} row in:\n${stdout}`);
    const [en, zh, all] = line.trim().split(/\s+/).slice(1).map(Number);
    return { en: en!, zh: zh!, all: all! };
  };
  const [vector, text, hybrid] = [row("vector"), row("text"), row("hybrid")];
  expect(row("queries").all).toBeGreaterThanOrEqual(40);
  expect(hybrid.all).toBeGreaterThanOrEqual(Math.max(vector.all, text.all));
  // Full text is a working leg in both languages (it found nothing before the CJK/OR search).
  expect(text.en).toBeGreaterThan(0.3);
  expect(text.zh).toBeGreaterThan(0.3);
  expect(hybrid.all).toBeGreaterThan(0.7);
});
