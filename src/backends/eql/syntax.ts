/**
 * The lexical tokens of Elasticsearch EQL that the emitter writes: string literals with EQL's
 * escapes, field names (backticks where a name part is not a plain identifier), numbers and
 * durations. Reference: the Elasticsearch EQL syntax reference ("Escape a field name",
 * "Escape characters in a string").
 */

/** EQL words that cannot be used as a bare field name part. */
const RESERVED = new Set([
  'and',
  'any',
  'by',
  'false',
  'in',
  'join',
  'like',
  'maxspan',
  'not',
  'null',
  'of',
  'or',
  'regex',
  'runs',
  'sample',
  'sequence',
  'true',
  'until',
  'where',
  'with',
]);

/** EQL's IDENTIFIER (EqlBase.g4): `@` may start one (`@timestamp`), not continue it. */
const PLAIN_IDENTIFIER = /^[A-Za-z_@][A-Za-z0-9_]*$/;

/**
 * A document field path as an EQL field reference: parts separated by `.`, each part that is
 * not a plain identifier (starts with a digit, holds `-`, `[`, a space, …) or is an EQL keyword
 * enclosed in backticks, with backticks inside doubled (`` proc.`aname[2]` ``).
 */
export function eqlField(path: string): string {
  return path
    .split('.')
    .map((part) => (PLAIN_IDENTIFIER.test(part) && !RESERVED.has(part.toLowerCase()) ? part : '`' + part.replace(/`/g, '``') + '`'))
    .join('.');
}

/**
 * `value` as an EQL string literal: double quotes, `\\` `\"` `\n` `\r` `\t` escapes, other
 * control characters (and U+2028/U+2029) as `\u{…}`; everything else as is.
 */
export function eqlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f || cp === 0x2028 || cp === 0x2029 || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += `\\u{${cp.toString(16).padStart(2, '0')}}`;
    } else out += ch;
  }
  return out + '"';
}

/** A scalar as an EQL literal (strings quoted, numbers and booleans as written). */
export function eqlLiteral(value: string | number | boolean): string {
  if (typeof value === 'string') return eqlString(value);
  return String(value);
}

/**
 * A duration in seconds as an Elasticsearch time value in the largest unit that divides it
 * exactly (`90` → `90s`, `300` → `5m`, `7200` → `2h`, `86400` → `1d`).
 */
export function eqlDuration(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
