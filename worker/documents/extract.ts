// The plain text of an uploaded file, for chunking and embedding: UTF-8 text, CSV and JSON as they
// are; Markdown and HTML as readable text (markup gone, headings and paragraphs kept); PDF page by
// page (pdfjs-dist); DOCX paragraphs (mammoth). Every way a file can be unusable (unsupported,
// undecodable, corrupt, too many pages, too long, empty) is an ExtractError whose message the user
// can read; anything else thrown is a bug or an outage.
import { compile } from "html-to-text";
import mammoth from "mammoth";
import { marked } from "marked";

export type ExtractErrorCode = "unsupported_type" | "invalid_encoding" | "unreadable" | "too_many_pages" | "too_long" | "no_text";

/** Why a file yields no text. `message` (= `reason`) is short and fit to show the file's owner. */
export class ExtractError extends Error {
  override readonly name = "ExtractError";
  readonly code: ExtractErrorCode;
  readonly reason: string;
  constructor(code: ExtractErrorCode, reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.code = code;
    this.reason = reason;
  }
}

export interface ExtractOptions {
  mimeType: string;
  filename: string;
  /** A PDF with more pages is refused (not truncated). */
  maxPages: number;
  /** Text longer than this, after whitespace is normalised, is refused (not truncated). */
  maxChars: number;
}

export interface ExtractedText {
  text: string;
  /** Pages of a PDF; null for formats without pages. */
  pageCount: number | null;
}

type Format = "text" | "markdown" | "html" | "pdf" | "docx";

const FORMAT_BY_TYPE: Record<string, Format> = {
  "text/plain": "text",
  "text/csv": "text",
  "application/json": "text",
  "text/markdown": "markdown",
  "text/x-markdown": "markdown",
  "text/html": "html",
  "application/pdf": "pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
};
// Used only when the client sent no useful type: browsers send application/octet-stream for
// extensions the operating system does not know (often .md).
const FORMAT_BY_EXTENSION: Record<string, Format> = {
  txt: "text",
  csv: "text",
  json: "text",
  md: "markdown",
  markdown: "markdown",
  html: "html",
  htm: "html",
  pdf: "pdf",
  docx: "docx",
};

function formatOf(mimeType: string, filename: string): Format {
  const type = mimeType.split(";")[0]!.trim().toLowerCase();
  const byType = FORMAT_BY_TYPE[type];
  if (byType) return byType;
  if (type === "" || type === "application/octet-stream") {
    const extension = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
    const byExtension = extension ? FORMAT_BY_EXTENSION[extension] : undefined;
    if (byExtension) return byExtension;
  }
  throw new ExtractError("unsupported_type", `unsupported content type ${type || "(none)"}`);
}

export async function extractText(body: Buffer, opts: ExtractOptions): Promise<ExtractedText> {
  const format = formatOf(opts.mimeType, opts.filename);
  let raw: string;
  let pageCount: number | null = null;
  switch (format) {
    case "text":
      raw = decodeUtf8(body);
      break;
    case "markdown":
      raw = markdownToText(decodeUtf8(body));
      break;
    case "html":
      raw = htmlToText(decodeUtf8(body));
      break;
    case "pdf":
      ({ text: raw, pageCount } = await pdfToText(body, opts));
      break;
    case "docx":
      raw = await docxToText(body);
      break;
  }
  const text = normalizeWhitespace(raw);
  if (text.length > opts.maxChars) throw tooLong(text.length, opts.maxChars);
  if (text === "") throw new ExtractError("no_text", "the document has no text");
  return { text, pageCount };
}

/** `length` is null when reading stopped early, as soon as the text was known to be too long. */
const tooLong = (length: number | null, maxChars: number) =>
  new ExtractError("too_long", `the text is ${length ?? "more than " + maxChars} characters long; at most ${maxChars} are read`);

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }); // strips one leading BOM

function decodeUtf8(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch (error) {
    throw new ExtractError("invalid_encoding", "the file is not valid UTF-8 text", { cause: error });
  }
}

/**
 * Line breaks to "\n"; tabs, no-break and other Unicode spaces to one space; control characters
 * out; spaces at line ends out; at most one blank line between paragraphs; no blank text around.
 */
function normalizeWhitespace(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, "\n")
    .replace(/[\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g, " ")
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f\u200b\ufeff]/g, "")
    .replace(/ {2,}/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"].map((selector) => ({ selector, options: { uppercase: false } }));

const htmlToText = compile({
  wordwrap: false,
  // The default cuts inputs over 16 MiB silently; a document is read whole or refused (maxChars).
  limits: { maxInputLength: Number.MAX_SAFE_INTEGER },
  selectors: [
    // Not text a reader sees. html-to-text already drops script and style; it would print the
    // contents of the others inline.
    ...["script", "style", "noscript", "template", "svg", "canvas", "iframe", "object"].map((selector) => ({ selector, format: "skip" })),
    { selector: "img", format: "skip" },
    // Link targets are noise for search; the link text stays.
    { selector: "a", options: { ignoreHref: true } },
    ...HEADINGS,
    // Every table as rows of cells; columns are padded with spaces, which normalising collapses.
    { selector: "table", format: "dataTable", options: { uppercaseHeaderCells: false, maxColumnWidth: 100_000 } },
  ],
});

/** Markdown to HTML (CommonMark + GFM), then the same HTML to text as uploaded HTML. */
function markdownToText(markdown: string): string {
  return htmlToText(marked.parse(markdown, { async: false, gfm: true }));
}

async function docxToText(body: Buffer): Promise<string> {
  try {
    const result = await mammoth.extractRawText({ buffer: body });
    return result.value;
  } catch (error) {
    throw new ExtractError("unreadable", `the DOCX could not be read: ${libraryMessage(error)}`, { cause: error });
  }
}

/** A library's error message, one line, short (never a stack trace). */
function libraryMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.replace(/\s+/g, " ").trim() || "unknown error";
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

// pdfjs-dist is large and loads a native canvas module: import it on the first PDF only. The
// legacy build carries its own polyfills (Promise.withResolvers and others) for Node 20.
type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
let pdfjs: Promise<PdfJs> | undefined;
const loadPdfJs = () => (pdfjs ??= import("pdfjs-dist/legacy/build/pdf.mjs"));

/** Past this a PDF is given up on (pdfjs works asynchronously, so the timer does fire). */
const PDF_DEADLINE_MS = 120_000;

async function pdfToText(body: Buffer, opts: ExtractOptions): Promise<{ text: string; pageCount: number }> {
  const { getDocument, VerbosityLevel } = await loadPdfJs();
  const task = getDocument({
    data: new Uint8Array(body), // a copy: pdfjs takes ownership of (detaches) what it is given
    verbosity: VerbosityLevel.ERRORS, // pdfjs warns about damaged files on the console otherwise
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ExtractError("unreadable", "the PDF could not be read: it took too long")), PDF_DEADLINE_MS);
  });
  const read = async () => {
    const doc = await task.promise;
    if (doc.numPages > opts.maxPages) {
      throw new ExtractError("too_many_pages", `the PDF has ${doc.numPages} pages; at most ${opts.maxPages} are read`);
    }
    const pages: string[] = [];
    let length = 0;
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = "";
      for (const item of content.items) {
        if ("str" in item) text += item.str + (item.hasEOL ? "\n" : "");
      }
      page.cleanup();
      const pageText = normalizeWhitespace(text);
      if (pageText === "") continue;
      pages.push(pageText);
      // Stop reading as soon as the answer is known to be "too long".
      length += pageText.length + (pages.length > 1 ? 2 : 0);
      if (length > opts.maxChars) throw tooLong(null, opts.maxChars);
    }
    return { text: pages.join("\n\n"), pageCount: doc.numPages };
  };
  const reading = read();
  try {
    return await Promise.race([reading, deadline]);
  } catch (error) {
    if (error instanceof ExtractError) throw error;
    // pdfjs 5 no longer exports the class; its errors keep their names.
    if (error instanceof Error && error.name === "PasswordException") {
      throw new ExtractError("unreadable", "the PDF is password-protected", { cause: error });
    }
    throw new ExtractError("unreadable", `the PDF could not be read: ${libraryMessage(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
    reading.catch(() => {}); // lost the race to the deadline: its rejection is already answered
    await task.destroy();
  }
}
