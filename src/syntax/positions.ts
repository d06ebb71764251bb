/**
 * Offsets to line/column positions for one source text. Line breaks are `\r\n`, `\n` and `\r`
 * (as editors count them); columns are 1-based UTF-16 code units. A leading byte order mark is
 * not a column: the first character after it is line 1, column 1 (its offset stays 1).
 */
import type { IToken } from 'chevrotain';
import type { Position, Span } from '../diagnostics/diagnostic.js';

export class LineIndex {
  private readonly starts: number[];
  /** The line (0-based) of the last lookup: lookups mostly move forward through the text. */
  private hint = 0;

  constructor(
    /** The file the positions are in (`Span.file`). */
    readonly file: string,
    private readonly text: string,
  ) {
    const starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
    if (!text.includes('\r')) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        }
      }
    }
    this.starts = starts;
  }

  /** The length of the text (the offset of its end). */
  get length(): number {
    return this.text.length;
  }

  /** An offset clamped into the text (a non-finite one is the end of the text). */
  clamp(offset: number): number {
    return Number.isFinite(offset) ? Math.max(0, Math.min(offset, this.text.length)) : this.text.length;
  }

  /** The position of an offset (clamped into the text). */
  position(offset: number): Position {
    const o = this.clamp(offset);
    const lo = this.lineIndexOf(o);
    return { offset: o, line: lo + 1, column: Math.max(1, o - this.starts[lo]! + 1) };
  }

  /** Whether the text from `from` to `to` holds only white space that is not a line break (as the lexer skips it). */
  onlySpaces(from: number, to: number): boolean {
    return /^[ \t\f\v\u00a0\ufeff]*$/.test(this.text.slice(from, to));
  }

  /** The 1-based line of an offset (clamped into the text), without building a `Position`. */
  line(offset: number): number {
    return this.lineIndexOf(this.clamp(offset)) + 1;
  }

  /** The 0-based line of a clamped offset. */
  private lineIndexOf(o: number): number {
    // Lookups mostly stay on the line of the previous one, or move to the next line.
    const hint = this.hint;
    if (this.isOnLine(o, hint)) return hint;
    if (this.isOnLine(o, hint + 1)) return (this.hint = hint + 1);
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return (this.hint = lo);
  }

  /** Whether offset `o` is on the 0-based line `i`. */
  private isOnLine(o: number, i: number): boolean {
    const starts = this.starts;
    return i < starts.length && starts[i]! <= o && (i + 1 >= starts.length || starts[i + 1]! > o);
  }

  /** The longest line (the first of equal ones): its start offset and its length without its line break. */
  longestLine(): { start: number; length: number } {
    const starts = this.starts;
    let best = { start: starts[0]!, length: -1 };
    for (let i = 0; i < starts.length; i++) {
      let end = i + 1 < starts.length ? starts[i + 1]! : this.text.length;
      while (end > starts[i]! && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
      if (end - starts[i]! > best.length) best = { start: starts[i]!, length: end - starts[i]! };
    }
    return best;
  }

  /** The source text between two offsets (clamped into the text). */
  slice(start: number, end: number): string {
    return this.text.slice(this.clamp(start), this.clamp(end));
  }

  /** The span [start, end) of this file, as a plain object (for diagnostics). */
  span(start: number, end: number): Span {
    return { file: this.file, start: this.position(start), end: this.position(Math.max(start, end)) };
  }
}

/**
 * The span of an AST node, kept as offsets: its `start` and `end` positions are computed from the
 * file's `LineIndex` when read (each read returns a fresh `Position`). Spans and positions were
 * two thirds of the objects of an AST; keeping one small object per span instead of three keeps
 * a large project's AST (and the garbage collector's work) much smaller.
 *
 * It reads like any `Span` (`file`, `start`, `end`, through getters) and `JSON.stringify` gives
 * the plain form `{ file, start, end }`. The IR and diagnostics copy spans into plain objects
 * (`copySpan`), so only the AST holds these.
 */
export class TextSpan implements Span {
  readonly #lines: LineIndex;
  readonly #start: number;
  readonly #end: number;

  /** The span [start, end) of `lines`' file; an `end` before `start` is taken as `start`. */
  constructor(lines: LineIndex, start: number, end: number) {
    this.#lines = lines;
    this.#start = start;
    this.#end = end >= start ? end : start;
  }

  get file(): string {
    return this.#lines.file;
  }

  get start(): Position {
    return this.#lines.position(this.#start);
  }

  get end(): Position {
    return this.#lines.position(this.#end);
  }

  /** `start.offset` without computing a line and column. */
  get startOffset(): number {
    return this.#lines.clamp(this.#start);
  }

  /** `end.offset` without computing a line and column. */
  get endOffset(): number {
    return this.#lines.clamp(this.#end);
  }

  /** The plain form, for `JSON.stringify`. */
  toJSON(): Span {
    return { file: this.file, start: this.start, end: this.end };
  }
}

/** `span.start.offset`, without computing a position for a `TextSpan`. */
export function startOffset(span: Span): number {
  return span instanceof TextSpan ? span.startOffset : span.start.offset;
}

/** `span.end.offset`, without computing a position for a `TextSpan`. */
export function endOffset(span: Span): number {
  return span instanceof TextSpan ? span.endOffset : span.end.offset;
}

/**
 * Whether `tokens[k]` is the first token on its line of `text` (false for the first token of
 * `tokens`). Token ends are read from `endOffset`: a token standing for an unquoted value
 * (`./unquoted.ts`) has an image longer than its text.
 */
export function startsLine(tokens: readonly IToken[], k: number, text: string): boolean {
  const before = tokens[k - 1];
  return before !== undefined && /[\n\r]/.test(text.slice((before.endOffset ?? before.startOffset + before.image.length - 1) + 1, tokens[k]!.startOffset));
}

/** Whether `tokens[k]` starts a member's line: the first token on its line, or right after `{`. */
export function startsMemberLine(tokens: readonly IToken[], k: number, text: string): boolean {
  const before = tokens[k - 1];
  return !before || before.tokenType.name === 'LCurly' || startsLine(tokens, k, text);
}

/** The column of `offset` on its line, counting UTF-16 units from 0 (a tab counts one: lines are compared alike). */
export function columnOf(text: string, offset: number): number {
  let k = offset;
  while (k > 0 && text[k - 1] !== '\n' && text[k - 1] !== '\r') k--;
  return offset - k;
}
