// Text extraction (worker/documents/extract.ts) for every supported format, on documents built in
// code, and the ways a file is refused; chunking (worker/documents/chunk.ts) of English and Chinese.
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { chunkText } from "../worker/documents/chunk.ts";
import { ExtractError, extractText } from "../worker/documents/extract.ts";
import { makeDocx, makePdf } from "./support/documents.ts";
import { makeZip } from "./support/zips.ts";

const PDF = "application/pdf";
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const limits = { maxPages: 50, maxChars: 100_000 };
const extract = (body: Buffer | string, mimeType: string, more: Partial<typeof limits> & { filename?: string } = {}) =>
  extractText(typeof body === "string" ? Buffer.from(body) : body, { filename: "upload", ...limits, ...more, mimeType });

/** The ExtractError that `promise` rejects with (fails the test if it resolves or throws anything else). */
async function refusal(promise: Promise<unknown>): Promise<ExtractError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected an ExtractError, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExtractError);
  return error as ExtractError;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("extractText: text formats", () => {
  it("reads UTF-8 text, strips a BOM and normalises whitespace, keeping paragraph breaks", async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("Grüße  aus\tBerlin. \r\nZweite Zeile.\r\n\r\n\r\n\r\n  Neuer   Absatz: 你好。 \n")]);
    const r = await extract(body, "text/plain");
    expect(r).toEqual({ text: "Grüße aus Berlin.\nZweite Zeile.\n\nNeuer Absatz: 你好。", pageCount: null });
    expect(r.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it("reads CSV and JSON as text, and a type with parameters", async () => {
    expect((await extract("name,qty\nsalt,2\npepper,1\n", "text/csv")).text).toBe("name,qty\nsalt,2\npepper,1");
    expect((await extract('{"a": [1, 2],\n  "note": "keep me"}', "application/json")).text).toBe('{"a": [1, 2],\n"note": "keep me"}');
    expect((await extract("hello", "Text/Plain; charset=utf-8")).text).toBe("hello");
  });

  it("refuses bytes that are not UTF-8", async () => {
    const e = await refusal(extract(Buffer.from([0x48, 0x69, 0x20, 0xff, 0xfe, 0x41]), "text/plain"));
    expect(e.code).toBe("invalid_encoding");
    expect(e.reason).toBe("the file is not valid UTF-8 text");
    expect(e.message).toBe(e.reason);
    // Latin-1 "é" alone is not UTF-8 either.
    expect((await refusal(extract(Buffer.from("caf\xe9", "latin1"), "text/csv"))).code).toBe("invalid_encoding");
  });

  it("turns Markdown into readable text: no syntax, headings and paragraphs on their own", async () => {
    const md = [
      "# Garden   notes",
      "",
      "Water the **orchids** every _Sunday_ with [rainwater](https://example.test/rain).",
      "",
      "## Tools",
      "",
      "- spade",
      "- `rake`",
      "",
      "```js",
      "const hose = 'green';",
      "```",
      "",
      "> Quoted advice.",
      "",
      "![a photo](photo.png)",
      "",
      "<script>alert('markdown script')</script>",
    ].join("\n");
    const { text, pageCount } = await extract(md, "text/markdown");
    expect(pageCount).toBeNull();
    expect(text.split("\n\n").slice(0, 3)).toEqual(["Garden notes", "Water the orchids every Sunday with rainwater.", "Tools"]);
    expect(text).toContain("spade\n");
    expect(text).toContain("rake");
    expect(text).toContain("const hose = 'green';");
    expect(text).toContain("Quoted advice.");
    for (const syntax of ["#", "**", "_Sunday_", "](", "`", "```", "example.test", "photo.png", "alert"]) expect(text).not.toContain(syntax);
  });

  it("turns HTML into text without scripts, styles or link targets, keeping paragraphs", async () => {
    const html = `<!doctype html><html><head><title>Recipe</title><style>p { color: red }</style>
      <script>var secretScript = 1;</script></head><body>
      <h1>Lentil   soup</h1><p>The soup needs <b>cumin</b> &amp; lemon.</p>
      <p>See <a href="https://example.test/more">more recipes</a>.</p>
      <ul><li>one onion</li><li>two carrots</li></ul>
      <table><tr><th>Spice</th><th>Grams</th></tr><tr><td>cumin</td><td>4</td></tr></table>
      <script>document.write("late script")</script><noscript>enable scripts</noscript></body></html>`;
    const { text } = await extract(html, "text/html");
    expect(text.split("\n\n").slice(0, 3)).toEqual(["Lentil soup", "The soup needs cumin & lemon.", "See more recipes."]);
    expect(text).toMatch(/one onion\n.*two carrots/);
    expect(text).toContain("Spice Grams\ncumin 4");
    for (const hidden of ["secretScript", "late script", "color: red", "enable scripts", "example.test", "Recipe", "<"]) expect(text).not.toContain(hidden);
  });

  it("falls back on the file name's extension only when the type says nothing", async () => {
    const r = await extract("# Title\n\nBody **bold**.", "application/octet-stream", { filename: "notes.MD" });
    expect(r.text).toBe("Title\n\nBody bold.");
    const e = await refusal(extract("# Title", "application/x-unknown", { filename: "notes.md" }));
    expect(e.reason).toBe("unsupported content type application/x-unknown");
  });

  it("refuses unsupported types, empty documents and text over maxChars", async () => {
    const png = await refusal(extract(Buffer.from([0x89, 0x50, 0x4e, 0x47]), "image/png"));
    expect(png).toMatchObject({ code: "unsupported_type", reason: "unsupported content type image/png" });
    expect(await refusal(extract(" \n\n\t ", "text/plain"))).toMatchObject({ code: "no_text", reason: "the document has no text" });
    expect((await refusal(extract("<html><body><script>only()</script></body></html>", "text/html"))).code).toBe("no_text");

    const long = "word ".repeat(30);
    expect(await refusal(extract(long, "text/plain", { maxChars: 100 }))).toMatchObject({
      code: "too_long",
      reason: "the text is 149 characters long; at most 100 are read",
    });
    // The limit applies to the normalised text: runs of spaces do not count.
    expect((await extract(`a${" ".repeat(500)}b`, "text/plain", { maxChars: 100 })).text).toBe("a b");
  });
});

describe("extractText: PDF", () => {
  it("reads every page of a PDF and counts the pages, printing nothing", async () => {
    const printed = (["log", "info", "warn", "error", "debug"] as const).map((m) => vi.spyOn(console, m));
    const pdf = makePdf(["Page one: the car insurance policy number is ZX-4471.\nSecond line (with parentheses).", "Page two: renewal is due every October."]);
    const r = await extract(pdf, PDF);
    expect(r).toEqual({
      text: "Page one: the car insurance policy number is ZX-4471.\nSecond line (with parentheses).\n\nPage two: renewal is due every October.",
      pageCount: 2,
    });
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
  });

  it("reads a full page of wrapped text back whole", async () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ");
    const r = await extract(makePdf([words]), PDF);
    expect(r.text.split("\n").length).toBeGreaterThan(30); // wrapped into lines by makePdf
    expect(r.text.replace(/\n/g, " ")).toBe(words);
  });

  it("refuses a PDF with more pages than maxPages instead of reading part of it", async () => {
    const pdf = makePdf(["one", "two", "three"]);
    expect(await refusal(extract(pdf, PDF, { maxPages: 2 }))).toMatchObject({
      code: "too_many_pages",
      reason: "the PDF has 3 pages; at most 2 are read",
    });
    expect((await extract(pdf, PDF, { maxPages: 3 })).pageCount).toBe(3);
  });

  it("refuses a PDF whose text is over maxChars, and one without text", async () => {
    const pdf = makePdf(["A few words. ".repeat(6), "More words. ".repeat(6)]);
    expect(await refusal(extract(pdf, PDF, { maxChars: 100 }))).toMatchObject({
      code: "too_long",
      reason: "the text is more than 100 characters long; at most 100 are read",
    });
    expect(await refusal(extract(makePdf(["", ""]), PDF))).toMatchObject({ code: "no_text", reason: "the document has no text" });
  });

  it("refuses corrupt and truncated PDFs with a reason, quietly and without unhandled rejections", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const printed = (["log", "info", "warn", "error", "debug"] as const).map((m) => vi.spyOn(console, m));
    try {
      const pdf = makePdf(["This text will never be read.", "Nor this."]);
      const broken = {
        truncated: pdf.subarray(0, Math.floor(pdf.length / 2)),
        "random bytes after a PDF header": Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(4096)]),
        "garbage between head and tail": Buffer.concat([pdf.subarray(0, 40), Buffer.from("garbage that is not a PDF body at all"), pdf.subarray(pdf.length - 10)]),
        "only a header": Buffer.from("%PDF-1.4\n%%EOF\n"),
        empty: Buffer.alloc(0),
      };
      for (const [kind, body] of Object.entries(broken)) {
        const e = await refusal(extract(body, PDF));
        expect({ kind, code: e.code }).toEqual({ kind, code: "unreadable" });
        expect(e.reason).toMatch(/^the PDF could not be read: \S/);
        expect(e.reason).not.toMatch(/\n|\bat \S+:\d+/); // one line, no stack trace
      }
      // The module still works afterwards.
      expect((await extract(makePdf(["still fine"]), PDF)).text).toBe("still fine");
      await new Promise((resolve) => setTimeout(resolve, 50)); // let stray rejections surface
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
  });
});

describe("extractText: DOCX", () => {
  it("reads the paragraphs of a .docx", async () => {
    const docx = makeDocx(["Dear landlord,", "The radiator in the bedroom has been broken since Tuesday & <nobody> came.", "你好。谢谢！"]);
    expect(await extract(docx, DOCX)).toEqual({
      text: "Dear landlord,\n\nThe radiator in the bedroom has been broken since Tuesday & <nobody> came.\n\n你好。谢谢！",
      pageCount: null,
    });
  });

  it("refuses corrupt, truncated and empty .docx files with a reason", async () => {
    const docx = makeDocx(["Never read."]);
    const broken = {
      truncated: docx.subarray(0, Math.floor(docx.length / 2)),
      "random bytes after a zip header": Buffer.concat([Buffer.from("PK\x03\x04"), randomBytes(2048)]),
      "a zip without a document": makeZip({ "hello.txt": "not a Word document" }),
      empty: Buffer.alloc(0),
    };
    for (const [kind, body] of Object.entries(broken)) {
      const e = await refusal(extract(body, DOCX));
      expect({ kind, code: e.code }).toEqual({ kind, code: "unreadable" });
      expect(e.reason).toMatch(/^the DOCX could not be read: \S/);
    }
    expect((await refusal(extract(makeDocx(["", "  "]), DOCX))).code).toBe("no_text");
  });
});

/** How many characters at the start of `next` repeat the end of `previous`. */
function sharedLength(previous: string, next: string): number {
  for (let k = Math.min(previous.length, next.length); k > 0; k--) {
    if (previous.endsWith(next.slice(0, k))) return k;
  }
  return 0;
}

const ENGLISH = Array.from(
  { length: 40 },
  (_, i) => `Sentence ${i + 1} is about the ${["garden", "kitchen", "garage", "attic"][i % 4]} and what was done there in week ${i + 1}.`,
).join(" ");

describe("chunkText", () => {
  it("validates its options", () => {
    expect(() => chunkText("x", { size: 99, overlap: 0 })).toThrow(RangeError);
    expect(() => chunkText("x", { size: 200, overlap: 200 })).toThrow(/overlap/);
    expect(() => chunkText("x", { size: 200, overlap: -1 })).toThrow(/overlap/);
    expect(() => chunkText("x", { size: 150.5, overlap: 10 })).toThrow(/size/);
    expect(() => chunkText("x", { size: 100, overlap: 99 })).not.toThrow();
  });

  it("gives one chunk for a short text and none for blank text", () => {
    expect(chunkText("  A short note.\n\nTwo paragraphs.  ", { size: 100, overlap: 20 })).toEqual(["A short note.\n\nTwo paragraphs."]);
    expect(chunkText("x".repeat(100), { size: 100, overlap: 20 })).toEqual(["x".repeat(100)]);
    expect(chunkText(" \n\n ", { size: 100, overlap: 20 })).toEqual([]);
    expect(chunkText("", { size: 100, overlap: 20 })).toEqual([]);
  });

  it("cuts English at sentence ends into chunks of at most `size`, overlapping by up to `overlap`", () => {
    const size = 300;
    const overlap = 60;
    const chunks = chunkText(ENGLISH, { size, overlap });
    expect(chunks.length).toBeGreaterThan(ENGLISH.length / size);
    for (const chunk of chunks) {
      expect(chunk.length).toBeGreaterThan(size / 2 - overlap);
      expect(chunk.length).toBeLessThanOrEqual(size);
      expect(chunk).toBe(chunk.trim());
    }
    for (const chunk of chunks.slice(0, -1)) expect(chunk).toMatch(/\.$/);
    for (let i = 1; i < chunks.length; i++) {
      const shared = sharedLength(chunks[i - 1]!, chunks[i]!);
      expect(shared).toBeGreaterThanOrEqual(overlap - 15); // the overlap starts at a word
      expect(shared).toBeLessThanOrEqual(overlap);
      expect(chunks[i]).toMatch(/^\S+ /); // and not in the middle of one
      expect(ENGLISH).toContain(chunks[i]!.split(" ")[0]!);
    }
    // Nothing is lost: every sentence is whole in some chunk.
    for (const sentence of ENGLISH.split(/(?<=\.) /)) expect(chunks.some((c) => c.includes(sentence))).toBe(true);
  });

  it("prefers paragraph breaks to sentence ends", () => {
    const paragraph = (n: number) => `Paragraph ${n} opens here. ${"It goes on for a while. ".repeat(5)}It ends here.`;
    const text = [1, 2, 3, 4, 5, 6].map(paragraph).join("\n\n");
    const chunks = chunkText(text, { size: 400, overlap: 0 });
    expect(paragraph(1).length).toBeLessThan(200);
    expect(chunks[0]).toBe(`${paragraph(1)}\n\n${paragraph(2)}`);
    expect(chunks[1]).toBe(`${paragraph(3)}\n\n${paragraph(4)}`);
    expect(chunks.join("\n\n")).toBe(text); // no overlap: the chunks are the text
  });

  it("cuts Chinese without spaces at 。！？ and keeps the overlap", () => {
    const sentences = Array.from({ length: 30 }, (_, i) => `这是第${i + 1}句话，讲的是天气和城市里的生活${["。", "！", "？"][i % 3]}`);
    const text = sentences.join("");
    const size = 100;
    const overlap = 20;
    const chunks = chunkText(text, { size, overlap });
    expect(chunks.length).toBeGreaterThan(text.length / size);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(size);
    for (const chunk of chunks.slice(0, -1)) expect(chunk).toMatch(/[。！？]$/);
    for (let i = 1; i < chunks.length; i++) expect(sharedLength(chunks[i - 1]!, chunks[i]!)).toBe(overlap);
    for (const sentence of sentences) expect(chunks.some((c) => c.includes(sentence))).toBe(true);
  });

  it("cuts text without any break at exactly `size`, never inside a surrogate pair", () => {
    const chunks = chunkText("字".repeat(1000), { size: 100, overlap: 10 });
    expect(chunks.slice(0, -1).every((c) => c.length === 100)).toBe(true);
    expect(chunks.length).toBe(11); // 100 new characters, then 90 per chunk
    const emoji = chunkText("😀".repeat(300), { size: 101, overlap: 11 });
    for (const chunk of emoji) expect(chunk).toMatch(/^(?:😀)+$/u);
  });

  it("is deterministic", () => {
    const text = `${ENGLISH}\n\n${"这是一个测试。".repeat(100)}\n\n${ENGLISH}`;
    const first = chunkText(text, { size: 500, overlap: 100 });
    expect(chunkText(text, { size: 500, overlap: 100 })).toEqual(first);
    expect(first.length).toBeGreaterThan(5);
  });
});
