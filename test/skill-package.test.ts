// The skill package check as a function, on zip bytes built here: it counts the bytes each entry
// really inflates to and stops at the size the entry declares, so a header that claims 10 bytes in
// front of a 200 MiB deflate stream is refused after the first few KiB, whatever the local header
// says, and packages made by ordinary zip tools (deflated entries) are still accepted.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../lib/config.ts";
import { checkSkillPackage, type PackageLimits } from "../worker/skill-package.ts";
import { deflatedZeros, makeZip } from "./support/zips.ts";

const skills = loadConfig().skills;
const limits: PackageLimits = { maxFiles: skills.maxFiles, maxFileBytes: skills.maxFileBytes, maxTotalBytes: skills.maxUnpackedBytes };
const SKILL_MD = "---\nname: weather\ndescription: Tells the weather.\n---\n\nAsk me about the weather.\n";
const MiB = 1024 * 1024;

describe("checkSkillPackage: real inflated bytes, not declared sizes", () => {
  it("refuses an entry that declares 10 bytes and inflates to 200 MiB", async () => {
    const bomb = deflatedZeros(200);
    const zip = makeZip({ "SKILL.md": SKILL_MD, "data/payload.bin": { deflated: bomb, declaredSize: 10 } });
    // Small enough to upload, and far beyond what the package may unpack to.
    expect(zip.length).toBeLessThan(skills.maxPackageBytes);
    expect(200 * MiB).toBeGreaterThan(limits.maxTotalBytes);
    const check = await checkSkillPackage(zip, limits);
    expect(check.manifest).toBeNull();
    expect(check.problems).toEqual(['"data/payload.bin" inflates beyond its declared size (10 bytes)']);
  });

  it("refuses a SKILL.md that declares 10 bytes and inflates to 200 MiB", async () => {
    const zip = makeZip({ "SKILL.md": { deflated: deflatedZeros(200), declaredSize: 10 } });
    const check = await checkSkillPackage(zip, limits);
    expect(check.manifest).toBeNull();
    expect(check.problems).toContain('"SKILL.md" inflates beyond its declared size (10 bytes)');
  });

  it("goes by the bytes produced whichever header lies: central directory or local header", async () => {
    // The central directory claims 10 bytes, the local header tells the truth.
    const centralLies = makeZip({ "SKILL.md": SKILL_MD, "a.bin": { deflated: deflatedZeros(200), declaredSize: 10, localDeclaredSize: 200 * MiB } });
    expect((await checkSkillPackage(centralLies, limits)).problems).toEqual(['"a.bin" inflates beyond its declared size (10 bytes)']);
    // The local header claims 10 bytes, the central directory tells the truth.
    const localLies = makeZip({ "SKILL.md": SKILL_MD, "a.bin": { deflated: deflatedZeros(200), declaredSize: 200 * MiB, localDeclaredSize: 10 } });
    expect((await checkSkillPackage(localLies, limits)).problems).toEqual([
      `"a.bin" is larger than ${limits.maxFileBytes} bytes`,
      `the files add up to more than ${limits.maxTotalBytes} bytes`,
    ]);
  });

  it("stops each of many lying entries at its declared size (3 GiB declared as 5 KB)", async () => {
    // 48 entries of 64 MiB each, every one declaring 100 bytes: inflating them all would take
    // seconds and gigabytes; each is stopped at its declared size (one zlib chunk).
    const bomb = deflatedZeros(64);
    const entries: Record<string, string | { deflated: Buffer; declaredSize: number }> = { "SKILL.md": SKILL_MD };
    for (let i = 0; i < 48; i++) entries[`part-${i}.bin`] = { deflated: bomb, declaredSize: 100 };
    const zip = makeZip(entries);
    expect(zip.length).toBeLessThan(skills.maxPackageBytes);
    const check = await checkSkillPackage(zip, limits);
    expect(check.manifest).toBeNull();
    expect(check.problems).toHaveLength(48);
    expect(check.problems[47]).toBe('"part-47.bin" inflates beyond its declared size (100 bytes)');
  });

  it("refuses an entry that inflates to fewer bytes than it declares", async () => {
    const short = makeZip({ "SKILL.md": SKILL_MD, "notes.txt": { deflated: deflatedZeros(0), declaredSize: 1000 } });
    expect((await checkSkillPackage(short, limits)).problems).toEqual(['"notes.txt" inflates to fewer bytes than its declared size (1000 bytes)']);
  });

  it("refuses a package whose deflate data is damaged", async () => {
    const cut = deflatedZeros(1).subarray(0, 500);
    const zip = makeZip({ "SKILL.md": SKILL_MD, "cut.bin": { deflated: cut, declaredSize: MiB } });
    const [problem] = (await checkSkillPackage(zip, limits)).problems;
    expect(problem).toMatch(/^"cut\.bin" is damaged: /);
  });

  it("accepts an honest package of deflated entries, with its real total size", async () => {
    const script = "#!/bin/sh\necho sunny\n".repeat(100);
    const check = await checkSkillPackage(makeZip({ "SKILL.md": SKILL_MD, "scripts/run.sh": script }, { deflate: true }), limits);
    expect(check.problems).toEqual([]);
    expect(check.manifest).toMatchObject({
      name: "weather",
      files: ["SKILL.md", "scripts/run.sh"],
      totalBytes: Buffer.byteLength(SKILL_MD) + Buffer.byteLength(script),
      instructions: "Ask me about the weather.",
    });
  });
});
