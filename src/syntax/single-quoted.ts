/**
 * Strings in single quotes (`'nc'`, as YAML, Python, SQL and KQL write them), which the lexer
 * cannot read: each is one DET1001 at the string saying strings take double quotes, and the
 * parser reads it as the string it holds (`withRepairs`), so nothing cascades from it. A `'`
 * with no other on its line (an apostrophe in unquoted text) is left to the other repairs. The
 * text inside is taken as it is, YAML's `''` for a quote excepted.
 */
import type { ILexingError } from 'chevrotain';
import { Codes } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { printable } from '../diagnostics/printable.js';
import type { LineIndex } from './positions.js';

/** A single-quoted string: from its opening quote to after its closing one, and the text it holds. */
export interface SingleQuoted {
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

/** The first `'` (or line end) at or after `lastIndex`. */
const QUOTE_OR_LINE_END = /['\n\r]/g;

/** The single-quoted strings holding the lexer's errors, in text order. */
export function singleQuoted(text: string, errors: readonly ILexingError[]): SingleQuoted[] {
  const out: SingleQuoted[] = [];
  for (const error of errors) {
    if (text.charAt(error.offset) !== "'" || (out.length > 0 && error.offset < out[out.length - 1]!.end)) continue;
    // the closing quote: the next `'` on the line, past YAML's `''` (a quote inside)
    let close = -1;
    QUOTE_OR_LINE_END.lastIndex = error.offset + 1;
    for (;;) {
      const m = QUOTE_OR_LINE_END.exec(text);
      if (m === null || m[0] !== "'") break;
      if (text.charAt(m.index + 1) === "'") {
        QUOTE_OR_LINE_END.lastIndex = m.index + 2;
        continue;
      }
      close = m.index;
      break;
    }
    if (close < 0) continue;
    out.push({ start: error.offset, end: close + 1, value: text.slice(error.offset + 1, close).replaceAll("''", "'") });
  }
  return out;
}

/** At most 60 characters of `value` (whole code points), then `…`. */
function shortValue(value: string): string {
  const chars = [...value];
  return chars.length > 60 ? `${chars.slice(0, 60).join('')}…` : value;
}

/** One DET1001 per string, with the string in double quotes as the hint. */
export function singleQuotedDiagnostics(strings: readonly SingleQuoted[], lines: LineIndex): Diagnostic[] {
  return strings.map((s) => ({
    code: Codes.UnexpectedCharacter.code,
    severity: Codes.UnexpectedCharacter.severity,
    message: `a string in single quotes: '${printable(shortValue(s.value))}'`,
    span: lines.span(s.start, s.end),
    hint: `Strings are written in double quotes, with JSON's escapes: ${JSON.stringify(s.value)}.`,
  }));
}
