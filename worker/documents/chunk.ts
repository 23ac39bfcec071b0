// Extracted text cut into overlapping chunks for embedding. Each chunk is at most `size`
// characters (UTF-16 code units, as String.length counts) and ends, in order of preference, at a
// paragraph break, a sentence end (Latin . ! ? or CJK 。！？), a line break, a space, or, in text
// without any of these (long CJK runs, long tokens), at exactly `size` characters. The next chunk
// starts about `overlap` characters before that end, at the start of a word where there is one.
// Deterministic: the same text and options always give the same chunks.

export interface ChunkOptions {
  /** Longest chunk, in characters; at least 100. */
  size: number;
  /** Characters the next chunk repeats from the end of the one before; below `size`. */
  overlap: number;
}

const PARAGRAPH_BREAK = /\n[^\S\n]*\n/g;
// A sentence ends with . ! ? (then closing quotes or brackets) before white space, or with a CJK
// full stop, exclamation or question mark (then closing quotes or brackets), space or not.
const SENTENCE_END = /[.!?]["'”’)\]]*(?=\s)|[。！？][”’」』）》]*/g;
const LINE_BREAK = /\n/g;
const SPACE = /\s/g;
const BREAKS = [PARAGRAPH_BREAK, SENTENCE_END, LINE_BREAK, SPACE];

export function chunkText(text: string, opts: ChunkOptions): string[] {
  const { size, overlap } = opts;
  if (!Number.isInteger(size) || size < 100) throw new RangeError(`chunk size must be an integer of at least 100, got ${size}`);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= size) {
    throw new RangeError(`chunk overlap must be an integer from 0 to below the size (${size}), got ${overlap}`);
  }

  const chunks: string[] = [];
  let start = skipSpace(text, 0);
  while (start < text.length) {
    if (text.length - start <= size) {
      chunks.push(text.slice(start).trim());
      break;
    }
    // A break before half the size would make small chunks; one before start + overlap would
    // make the next chunk start where this one did.
    const earliest = start + Math.max(Math.floor(size / 2), overlap + 1);
    const end = breakPoint(text, earliest, start + size);
    const chunk = text.slice(start, end).trim();
    if (chunk !== "") chunks.push(chunk);
    const next = overlap === 0 ? end : overlapStart(text, end - overlap, end);
    // Only with overlap = size - 1 and a surrogate pair at the cut could `next` fall back to `start`.
    start = skipSpace(text, next > start ? next : end);
  }
  return chunks;
}

/** Where to end a chunk: the last break of the most preferred kind in (earliest, latest]. */
function breakPoint(text: string, earliest: number, latest: number): number {
  // One character past `latest`, so a sentence end there can see the space after it.
  const window = text.slice(earliest, latest + 1);
  for (const pattern of BREAKS) {
    let best = -1;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(window); m; m = pattern.exec(window)) {
      // Paragraph and line breaks and spaces end the chunk before themselves; a sentence end after.
      const at = earliest + (pattern === SENTENCE_END ? m.index + m[0].length : m.index);
      if (at > earliest && at <= latest) best = at;
    }
    if (best !== -1) return best;
  }
  return splitsSurrogatePair(text, latest) ? latest - 1 : latest;
}

/** Where the next chunk starts: the first word start in [ideal, end), else `ideal` itself. */
function overlapStart(text: string, ideal: number, end: number): number {
  if (/\s/.test(text[ideal - 1]!)) return ideal;
  const space = text.slice(ideal, end).search(/\s/);
  if (space !== -1) return ideal + space + 1;
  return splitsSurrogatePair(text, ideal) ? ideal - 1 : ideal;
}

function splitsSurrogatePair(text: string, at: number): boolean {
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(at);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at]!)) at++;
  return at;
}
