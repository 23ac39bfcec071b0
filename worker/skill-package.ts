// What makes an uploaded skill package acceptable: a zip archive with a SKILL.md at its root whose
// YAML front matter names the skill and describes it; only plain files and folders, with relative
// paths inside the archive; within the file count and size limits. Everything wrong is reported
// (not only the first problem), so the author can fix the package in one go.
//
// Sizes in zip headers are claims: every entry within the limits is inflated (in memory, never to
// disk) and its real bytes counted, stopping at the size it declares. So no entry, read or not,
// costs more than its declared size, and the declared sizes, which must fit the limits, are true.
import { createInflateRaw } from "node:zlib";
import { parse as parseYaml } from "yaml";
import yauzl from "yauzl";

export interface PackageLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

export interface PackageCheck {
  problems: string[];
  /** name, description and the other front-matter fields, plus the file list; null when invalid. */
  manifest: Record<string, unknown> | null;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

function unsafePath(name: string): string | null {
  if (name.includes("\\")) return "uses backslashes";
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) return "is absolute";
  if (name.split("/").some((part) => part === "..")) return "leaves the package (..)";
  if (name.includes("\u0000")) return "contains a NUL character";
  return null;
}

function open(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    // Names are decoded and checked here (yauzl would refuse the whole archive at the first bad
    // one), so every bad name is a reported problem. validateEntrySizes makes yauzl refuse a
    // stored entry whose two sizes differ; inflated sizes are counted by readEntry.
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true, decodeStrings: false }, (error, zip) =>
      error ? reject(error) : resolve(zip!),
    ),
  );
}

/** Why an entry cannot be in a package, from its central directory record alone; null when it may. */
function entryProblem(name: string, entry: yauzl.Entry): string | null {
  const quoted = JSON.stringify(name);
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  const bad = unsafePath(name);
  if (bad) return `${quoted} ${bad}`;
  if (mode === S_IFLNK) return `${quoted} is a symbolic link`;
  if (mode !== 0 && mode !== S_IFREG && mode !== S_IFDIR) return `${quoted} is not a plain file`;
  if (entry.isEncrypted()) return `${quoted} is encrypted`;
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    return `${quoted} uses an unsupported compression method (${entry.compressionMethod})`;
  }
  return null;
}

type EntryData = { bytes: Buffer } | { problem: string };

/**
 * An entry's data, its real bytes counted as they are inflated: past the size the central
 * directory declares, the inflater is destroyed and the entry refused, so a header claiming 10
 * bytes in front of a 200 MiB deflate stream costs one zlib chunk. Bytes are kept only with `keep`.
 */
function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string, keep: boolean): Promise<EntryData> {
  const declared = entry.uncompressedSize;
  return new Promise((resolve, reject) => {
    // The raw bytes (as many as the central directory says are compressed), inflated here rather
    // than by yauzl: destroying yauzl's stream does not destroy its inflater (yauzl issue #27).
    zip.openReadStream(entry, { decodeFileData: false }, (error, raw) => {
      if (error) return reject(error);
      const data = entry.compressionMethod === 8 ? raw!.pipe(createInflateRaw()) : raw!;
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const finish = (result: EntryData) => {
        if (settled) return;
        settled = true;
        raw!.destroy();
        data.destroy();
        resolve(result);
      };
      const quoted = JSON.stringify(name);
      data.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > declared) finish({ problem: `${quoted} inflates beyond its declared size (${declared} bytes)` });
        else if (keep) chunks.push(chunk);
      });
      const damaged = (e: Error) => finish({ problem: `${quoted} is damaged: ${e.message}` });
      raw!.on("error", damaged);
      data.on("error", damaged);
      data.on("end", () =>
        finish(size < declared ? { problem: `${quoted} inflates to fewer bytes than its declared size (${declared} bytes)` } : { bytes: Buffer.concat(chunks) }),
      );
    });
  });
}

/** How much of SKILL.md's body the manifest keeps, and the manifest's own limit (its column check is 64 KiB). */
const MAX_INSTRUCTIONS_BYTES = 32_000;
const MAX_MANIFEST_BYTES = 60_000;

/** The longest prefix of `text` within `max` UTF-8 bytes (JSON escaping counted generously). */
function cutToBytes(text: string, max: number): string {
  let cut = text;
  while (Buffer.byteLength(JSON.stringify(cut)) > max) cut = cut.slice(0, Math.floor(cut.length * 0.9));
  return cut;
}

/** The front matter of SKILL.md: a YAML block between two `---` lines at the very top. */
export function frontMatter(text: string): { fields: Record<string, unknown> | null; problem: string | null } {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\s*(\r?\n|$)/.exec(text);
  if (!match) return { fields: null, problem: "SKILL.md has no front matter (a YAML block between --- lines at the top)" };
  try {
    const value = parseYaml(match[1]!, { maxAliasCount: 10 });
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { fields: null, problem: "SKILL.md front matter is not a YAML mapping" };
    }
    return { fields: value as Record<string, unknown>, problem: null };
  } catch (error) {
    return { fields: null, problem: `SKILL.md front matter is not valid YAML: ${(error as Error).message.split("\n")[0]}` };
  }
}

export async function checkSkillPackage(buffer: Buffer, limits: PackageLimits): Promise<PackageCheck> {
  const problems: string[] = [];
  let zip: yauzl.ZipFile;
  try {
    zip = await open(buffer);
  } catch (error) {
    return { problems: [`not a readable zip archive: ${(error as Error).message}`], manifest: null };
  }
  const files: string[] = [];
  let skillMd: string | null = null;
  let total = 0;
  let count = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("error", reject);
      zip.on("end", () => resolve());
      zip.on("entry", (entry: yauzl.Entry) => {
        void (async () => {
          count += 1;
          const raw = entry.fileName as unknown as Buffer | string;
          const name = typeof raw === "string" ? raw : raw.toString("utf8");
          const problem = entryProblem(name, entry);
          if (problem) problems.push(problem);
          else {
            total += entry.uncompressedSize;
            if (!name.endsWith("/")) files.push(name);
            if (entry.uncompressedSize > limits.maxFileBytes) {
              problems.push(`${JSON.stringify(name)} is larger than ${limits.maxFileBytes} bytes`);
            } else if (total <= limits.maxTotalBytes) {
              // Folders too: a folder entry with data is read like a file, so nothing escapes the count.
              const data = await readEntry(zip, entry, name, name === "SKILL.md");
              if ("problem" in data) problems.push(data.problem);
              else if (name === "SKILL.md") skillMd = data.bytes.toString("utf8");
            }
          }
          if (count > limits.maxFiles) {
            problems.push(`more than ${limits.maxFiles} entries`);
            zip.close();
            return resolve();
          }
          zip.readEntry();
        })().catch(reject);
      });
      zip.readEntry();
    });
  } catch (error) {
    problems.push(`the archive is damaged: ${(error as Error).message}`);
  } finally {
    try {
      zip.close();
    } catch {
      // already closed
    }
  }
  if (total > limits.maxTotalBytes) problems.push(`the files add up to more than ${limits.maxTotalBytes} bytes`);

  let fields: Record<string, unknown> | null = null;
  if (skillMd === null) {
    problems.push("no SKILL.md at the root of the package");
  } else {
    const parsed = frontMatter(skillMd);
    if (parsed.problem) problems.push(parsed.problem);
    fields = parsed.fields;
    if (fields) {
      const name = fields.name;
      const description = fields.description;
      if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/.test(name.trim())) {
        problems.push("SKILL.md front matter needs a name (1-64 letters, digits, spaces, '.', '_' or '-')");
      }
      if (typeof description !== "string" || description.trim() === "" || description.length > 1024) {
        problems.push("SKILL.md front matter needs a description (1-1024 characters)");
      }
    }
  }
  if (problems.length > 0) return { problems: [...new Set(problems)].slice(0, 100), manifest: null };
  // The body of SKILL.md travels in the manifest (the agent loads it when the skill is used), cut
  // to what fits: the column holds at most 64 KiB, counted in bytes (Chinese text is 3 per character).
  const body = skillMd!.replace(/^\uFEFF?---\r?\n[\s\S]*?\r?\n---\s*(\r?\n|$)/, "").trim();
  const base = { ...fields, files: files.slice(0, 200), fileCount: files.length, totalBytes: total };
  const room = MAX_MANIFEST_BYTES - Buffer.byteLength(JSON.stringify(base)) - 100;
  if (room < 0) return { problems: ["SKILL.md front matter is too large"], manifest: null };
  return { problems: [], manifest: { ...base, instructions: cutToBytes(body, Math.min(room, MAX_INSTRUCTIONS_BYTES)) } };
}
