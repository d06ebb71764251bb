/**
 * Reading input files as UTF-8, strictly: a file that is not valid UTF-8 gives DET1011 at the
 * line and column of the first bad byte instead of being read as replacement characters.
 */
import { Codes } from '../diagnostics/codes.js';
import type { Diagnostic, Position } from '../diagnostics/diagnostic.js';
import { MAX_INPUT_BYTES, readRegularFile } from '../io/read-file.js';

export interface ReadText {
  /** The decoded text; absent when the file could not be read or is not UTF-8. */
  readonly text?: string;
  /** For a file that is not UTF-8: its text with replacement characters, for the code frame. */
  readonly lossyText?: string;
  readonly diagnostics: Diagnostic[];
}

const LINE_BREAK = /\r\n|\r|\n/g;

/** The position just after `text` (1-based line and column, UTF-16 offset). */
export function positionAfter(text: string): Position {
  let line = 1;
  let lineStart = 0;
  for (const m of text.matchAll(LINE_BREAK)) {
    line++;
    lineStart = (m.index ?? 0) + m[0].length;
  }
  return { offset: text.length, line, column: text.length - lineStart + 1 };
}

/** Byte offset of the first invalid UTF-8 sequence in `bytes` (which is known to be invalid). */
function firstInvalidByte(bytes: Uint8Array): number {
  // Streaming decode tolerates a truncated sequence at the end of a prefix, so "the prefix of
  // length n decodes" is monotonic in n: binary search for the shortest failing prefix.
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    let ok = true;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid + 1), { stream: true });
    } catch {
      ok = false;
    }
    if (ok) lo = mid + 1;
    else hi = mid;
  }
  // `lo` is the byte where decoding fails; when it ends a truncated sequence (`E2 82 41`), the
  // problem starts at that sequence's lead byte.
  const isContinuation = (i: number): boolean => ((bytes[i] ?? 0) & 0xc0) === 0x80;
  let j = lo - 1;
  while (j >= 0 && lo - j <= 3 && isContinuation(j)) j--;
  const lead = j >= 0 ? (bytes[j] ?? 0) : 0;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  if (j >= 0 && lo - j < length) return j;
  return Math.min(lo, bytes.length - 1);
}

/**
 * `bytes` decoded as strict UTF-8, or where the first invalid sequence starts (its position in
 * the text before it, a leading BOM not counted, and its first byte in hex).
 */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { start: Position; byte: string } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const bad = firstInvalidByte(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    const start = positionAfter(before.charCodeAt(0) === 0xfeff ? before.slice(1) : before);
    return { start, byte: (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0') };
  }
}

/**
 * Reads `absPath` as UTF-8 (a leading BOM is dropped). Problems: DET6005 when the file cannot
 * be read (missing, not a regular file, over `MAX_INPUT_BYTES`: see `src/io/read-file.ts`), DET1011
 * when it is not valid UTF-8. `file` is the name used in spans.
 */
export function readText(absPath: string, file: string): ReadText {
  const read = readRegularFile(absPath);
  if (!('bytes' in read)) {
    return {
      diagnostics: [
        {
          code: Codes.ReadFailed.code,
          severity: 'error',
          message: `cannot read '${file}': ${read.problem}`,
          hint: read.missing
            ? 'check that the file exists and is readable'
            : `give a readable regular file (a .det file is read whole, up to ${MAX_INPUT_BYTES} bytes)`,
        },
      ],
    };
  }
  const bytes = read.bytes;
  const decoded = decodeUtf8(bytes);
  if ('text' in decoded) return { text: decoded.text, diagnostics: [] };
  const { start, byte } = decoded;
  const end = { offset: start.offset + 1, line: start.line, column: start.column + 1 };
  return {
    lossyText: new TextDecoder('utf-8').decode(bytes),
    diagnostics: [
      {
        code: Codes.InvalidUtf8.code,
        severity: 'error',
        message: `file is not valid UTF-8 (byte 0x${byte} at line ${start.line}, column ${start.column})`,
        span: { file, start, end },
        hint: 'save the file as UTF-8 (detections are UTF-8 text)',
      },
    ],
  };
}
