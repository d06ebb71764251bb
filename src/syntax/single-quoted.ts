/**
 * Strings in single quotes (`'nc'`, as YAML, Python, SQL and KQL write them), which the lexer
 * cannot read: each is one DET1001 at the string saying strings take double quotes, and the
 * parser reads it as the string it holds (`withRepairs`), so nothing cascades from it. A `'`
 * with no other before a `"`, a `#` or the end of its line (an apostrophe, as in `it's` or a
 * comment's `don't`) is left to the other repairs. The text inside is taken as it is, YAML's
 * `''` for a quote excepted. Past `MAX_LISTED` strings in a file, one more DET1001 counts the rest.
 */
import type { ILexingError } from 'chevrotain';
import { Codes } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { printable, shortened } from '../diagnostics/printable.js';
import type { LineIndex } from './positions.js';
import { stretchAt } from './token-repair.js';

/** A single-quoted string: from its opening quote to after its closing one, and the text it holds. */
export interface SingleQuoted {
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

/** Strings reported one by one; the others are counted in one more diagnostic. */
const MAX_LISTED = 20;
/** Characters of a string shown in its diagnostic. */
const SHOWN = 60;

/** The first `'`, `"`, `#` or line end at or after `lastIndex`. */
const CLOSING = /['"#\n\r]/g;

/** The closing quote of a string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  CLOSING.lastIndex = open + 1;
  for (;;) {
    const m = CLOSING.exec(text);
    if (m === null || m[0] !== "'") return -1;
    if (text.charAt(m.index + 1) !== "'") return m.index;
    CLOSING.lastIndex = m.index + 2; // YAML's `''`: a quote inside
  }
}

/** The single-quoted strings the lexer's errors open (a `'` anywhere in an error), in text order. */
export function singleQuoted(text: string, errors: readonly ILexingError[]): SingleQuoted[] {
  const out: SingleQuoted[] = [];
  for (const error of errors) {
    const end = error.offset + Math.max(1, error.length);
    for (let at = error.offset; at < end; at++) {
      if (text.charCodeAt(at) !== 39 || (out.length > 0 && at < out[out.length - 1]!.end)) continue;
      const close = closingQuote(text, at);
      if (close < 0) continue;
      out.push({ start: at, end: close + 1, value: text.slice(at + 1, close).replaceAll("''", "'") });
    }
  }
  return out;
}

/**
 * The parts of `errors` outside the strings: an error that runs past a string's closing quote
 * (`'nc'€€` is one error from the quote on) keeps what follows it, one before its opening quote
 * what precedes it.
 */
export function outsideStrings(errors: readonly ILexingError[], strings: readonly SingleQuoted[]): ILexingError[] {
  if (strings.length === 0) return [...errors];
  const out: ILexingError[] = [];
  for (const error of errors) {
    const end = error.offset + Math.max(1, error.length);
    let at = error.offset;
    while (at < end) {
      const inside = stretchAt(strings, at);
      if (inside) {
        at = inside.end;
        continue;
      }
      let stop = at + 1;
      while (stop < end && stretchAt(strings, stop) === undefined) stop++;
      out.push({ ...error, offset: at, length: stop - at });
      at = stop;
    }
  }
  return out;
}

/** One DET1001 per string (the first `MAX_LISTED`, then one counting the rest), with the string in double quotes as the hint. */
export function singleQuotedDiagnostics(strings: readonly SingleQuoted[], lines: LineIndex): Diagnostic[] {
  const out: Diagnostic[] = strings.slice(0, MAX_LISTED).map((s) => ({
    code: Codes.UnexpectedCharacter.code,
    severity: Codes.UnexpectedCharacter.severity,
    message: `a string in single quotes: '${printable(shortened(s.value, SHOWN))}'`,
    span: lines.span(s.start, s.end),
    hint: `Strings are written in double quotes, with JSON's escapes: ${JSON.stringify(shortened(s.value, SHOWN))}.`,
  }));
  const more = strings.length - MAX_LISTED;
  if (more > 0) {
    const first = strings[MAX_LISTED]!;
    out.push({
      code: Codes.UnexpectedCharacter.code,
      severity: Codes.UnexpectedCharacter.severity,
      message: `… and ${more} more string${more === 1 ? '' : 's'} in single quotes from here (${strings.length} in all; the first ${MAX_LISTED} are listed)`,
      span: lines.span(first.start, first.end),
      hint: 'Strings are written in double quotes, with JSON\'s escapes: "…".',
    });
  }
  return out;
}
