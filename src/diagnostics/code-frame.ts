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
  const lines = text.split(LINE_BREAK);
  const lineIndex = span.start.line - 1;
  const line = lines[lineIndex];
  if (line === undefined || lineIndex < 0) return [];

  // Work in code points so astral characters take one column in the underline.
  const chars = [...line];
  const startCol = clamp(codePointIndex(line, span.start.column - 1), 0, chars.length);
  let endCol: number;
  if (span.end.line === span.start.line) {
    endCol = clamp(codePointIndex(line, span.end.column - 1), startCol, chars.length);
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

/** The code-point index of UTF-16 index `utf16` in `s`. */
function codePointIndex(s: string, utf16: number): number {
  if (utf16 <= 0) return 0;
  return [...s.slice(0, utf16)].length;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(Math.max(n, lo), hi);
}
