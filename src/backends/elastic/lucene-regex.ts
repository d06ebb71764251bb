/**
 * Lucene regular expressions (`org.apache.lucene.util.automaton.RegExp`, the dialect of
 * Elasticsearch's `regexp` query and of `/…/` in a query string): whole-term matches, `.`
 * matches any character, and the operators `| * + ? {n,m} ( ) [ ]` plus, with the default
 * flags, `& ~ # @ < > "`. Every ASCII character that is not a letter or digit is escaped with
 * `\` (a literal in every Lucene version); letters and digits never are (`\d` is a class in
 * Lucene 9 but a literal `d` in Lucene 8).
 */
import { complementOfRanges, toRanges, type Ranges } from './ranges.js';

/** One code point as a literal of a Lucene regular expression. */
export function regexLiteral(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (cp < 0x80 && !/[A-Za-z0-9]/.test(ch)) return `\\${ch}`;
  return ch;
}

/** A string as a sequence of Lucene regular expression literals. */
export function regexLiteralString(text: string): string {
  let out = '';
  for (const ch of text) out += regexLiteral(ch.codePointAt(0)!);
  return out;
}

function rangeText([a, b]: readonly [number, number]): string {
  if (a === b) return regexLiteral(a);
  if (b === a + 1) return regexLiteral(a) + regexLiteral(b);
  return `${regexLiteral(a)}-${regexLiteral(b)}`;
}

/**
 * A Lucene expression matching exactly one of the code points `cps` (sorted, no surrogates):
 * a literal, a class, or a negated class, whichever is shorter; `undefined` when `cps` is empty
 * (Lucene has no portable empty class).
 */
export function regexClassText(cps: readonly number[]): string | undefined {
  return rangesClassText(toRanges(cps));
}

/** {@link regexClassText} of the code points in `direct` (ranges as `toRanges` makes them). */
export function rangesClassText(direct: Ranges): string | undefined {
  if (direct.length === 0) return undefined;
  if (direct.length === 1 && direct[0]![0] === direct[0]![1]) return regexLiteral(direct[0]![0]);
  const negated = complementOfRanges(direct);
  if (negated.length === 0) return '.';
  if (negated.length < direct.length) return `[^${negated.map(rangeText).join('')}]`;
  return `[${direct.map(rangeText).join('')}]`;
}
