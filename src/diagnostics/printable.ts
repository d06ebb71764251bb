/**
 * User-provided text (test names, values and source lines quoted in messages and code frames) as
 * the text form shows it: every control character (C0, DEL, C1), line or paragraph separator
 * (U+2028, U+2029) and bidirectional control written as an escape (`\n`, `\u001b`, `\u202e`),
 * so nothing a `.det` file contains can start a new line in a CI log (where a line
 * `::warning …` is a GitHub Actions workflow command), move the cursor, colour the terminal or
 * reorder what the reader sees. `shortened` cuts a long text quoted in a message.
 */

/** Every character `printable` escapes. */
export const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

/** The escape shown for one character `UNPRINTABLE` matches. */
export function escapeChar(ch: string): string {
  return SHORT[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` with every character `UNPRINTABLE` matches escaped; anything else unchanged. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeChar);
}

/** `text` cut to `max` code points (never inside a surrogate pair): its start and `…`, or `…` and its end (`fromEnd`). */
export function shortened(text: string, max: number, fromEnd = false): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return fromEnd ? `…${chars.slice(-max).join('')}` : `${chars.slice(0, max).join('')}…`;
}
