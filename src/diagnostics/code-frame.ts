/**
 * The code frame under a diagnostic: the source line of the span's start, a line-number
 * gutter, and `^~~~` under the span (to the end of the line when the span goes on).
 *
 * ```
 *   12 |     proc.nme == "nc"
 *      |     ^~~~~~~~
 * ```
 */
import type { ChalkInstance } from 'chalk';
import type { Span } from './diagnostic.js';
import { printable } from './printable.js';

/** Line terminators as Chevrotain counts them (`\n`, `\r\n`, a lone `\r`). */
const LINE_BREAK = /\r\n|\r|\n/;

/** Lines longer than this (in code points) are shown as a window around the span. */
const MAX_SHOWN = 160;
const CONTEXT_BEFORE = 60;

export interface CodeFrameOptions {
  /** Colours the gutter and the underline; omit for plain text. */
  readonly chalk?: ChalkInstance;
  /** Underline colour: red for errors, yellow for warnings. */
  readonly severity?: 'error' | 'warning';
}

/**
 * The code frame for `span` in `text` (the whole file), as lines without trailing newline;
 * empty when the span's line is not in the text.
 */
export function codeFrame(text: string, span: Span, options: CodeFrameOptions = {}): string[] {
  const lineIndex = span.start.line - 1;
  const data = lineIndex < 0 ? undefined : lineData(text, lineIndex);
  if (data === undefined) return [];

  // Work in code points so astral characters take one column in the underline.
  const { chars } = data;
  const startCol = clamp(data.codePointAt(span.start.column - 1), 0, chars.length);
  let endCol: number;
  if (span.end.line === span.start.line) {
    endCol = clamp(data.codePointAt(span.end.column - 1), startCol, chars.length);
  } else {
    endCol = chars.length;
  }

  // Window very long lines (minified or generated input) around the span.
  let from = 0;
  let to = chars.length;
  if (chars.length > MAX_SHOWN) {
    from = Math.max(0, startCol - CONTEXT_BEFORE);
    to = Math.min(chars.length, from + MAX_SHOWN);
  }
  // Control characters, separators and bidi controls are shown escaped (`\t`, `\u001b`), so
  // the line cannot break, recolour or reorder the terminal; the underline counts their width.
  const shown = chars.slice(from, to).map(printable);
  const lead = from > 0 ? '…' : '';
  const tail = to < chars.length ? '…' : '';
  const pad = (lead ? ' ' : '') + ' '.repeat(widthOf(shown.slice(0, startCol - from)));
  const underlineWidth = Math.max(1, widthOf(shown.slice(startCol - from, endCol - from)) + (tail && endCol > to ? 1 : 0));
  const underline = '^' + '~'.repeat(underlineWidth - 1);

  const number = String(span.start.line);
  const gutter = ' '.repeat(number.length);
  const c = options.chalk;
  const dim = (s: string): string => (c ? c.dim(s) : s);
  const mark = (s: string): string => (c ? (options.severity === 'warning' ? c.yellow(s) : c.red(s)) : s);
  return [`  ${dim(`${number} |`)} ${lead}${shown.join('')}${tail}`.trimEnd(), `  ${dim(`${gutter} |`)} ${pad}${mark(underline)}`];
}

/** Columns taken by shown characters (one per code point of their shown form). */
function widthOf(shown: readonly string[]): number {
  let n = 0;
  for (const s of shown) n += s.length === 1 ? 1 : [...s].length;
  return n;
}

/** A line's code points, and the code-point index of each of its UTF-16 indexes. */
interface LineData {
  readonly chars: readonly string[];
  codePointAt(utf16: number): number;
}

/**
 * The last text's lines and the last line's data: a report lists its diagnostics by file and
 * position, so the next frame is mostly in the same text, often on the same line, and is then
 * drawn without splitting the text or the line again (20,000 errors on one long line took
 * seconds each way).
 */
let memo: { text: string; lines: string[]; index: number; data: LineData | undefined } | undefined;

function lineData(text: string, index: number): LineData | undefined {
  if (memo === undefined || memo.text !== text) memo = { text, lines: text.split(LINE_BREAK), index: -1, data: undefined };
  if (memo.index !== index) {
    const line = memo.lines[index];
    memo.index = index;
    memo.data = line === undefined ? undefined : indexLine(line);
  }
  return memo.data;
}

function indexLine(line: string): LineData {
  const chars = [...line];
  const cp = new Int32Array(line.length + 1);
  let u = 0;
  chars.forEach((ch, c) => {
    for (let k = 0; k < ch.length; k++) cp[u++] = c;
  });
  cp[line.length] = chars.length;
  return { chars, codePointAt: (utf16) => (utf16 <= 0 ? 0 : cp[Math.min(utf16, line.length)]!) };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(Math.max(n, lo), hi);
}
