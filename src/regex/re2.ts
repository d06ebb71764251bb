/**
 * A DSL regular expression (JavaScript with the `u` flag, the reference evaluator, restricted to
 * the RE2 subset by validation) rewritten into an RE2 pattern that matches exactly the same
 * strings, for KQL's `matches regex`. Most syntax means the same in both; where it does not,
 * the construct is rewritten into an equivalent one or refused:
 * - `.` (JavaScript: anything but `\n`, `\r`, U+2028, U+2029; RE2: anything but `\n`)
 *   → `[^\n\r\x{2028}\x{2029}]`;
 * - `\s` (JavaScript: ASCII and Unicode white space; RE2: `[\t\n\f\r ]`) → the explicit class;
 *   `\S` outside a class → its negation; `\S` inside a class is refused;
 * - `\uXXXX`, `\u{X…}` (RE2 has neither) → `\x{XXXX}`; a surrogate pair of `\uXXXX` escapes
 *   (`\uD83D\uDE00`), one code point with the `u` flag, → that code point (`\x{1F600}`);
 * - named groups `(?<name>…)` → `(…)` (names do not change what matches, and groups keep their
 *   numbers, which `extract(…, 1, …)` of the cluster host-name pattern relies on);
 * - refused: Unicode property classes `\p{…}`/`\P{…}` (the two engines name them differently),
 *   control escapes `\cX`, `[\b]`, and repetition counts above 1000 (RE2's limit);
 * - refused when case-insensitive (`nocase`: JavaScript's `iu`, RE2's `(?i)`): word boundaries
 *   `\b`/`\B`, as under `iu` U+017F (ſ) and U+212A (Kelvin sign) are word characters, while RE2's
 *   `\b` looks at ASCII word characters only, `(?i)` or not (`\w` itself agrees: RE2 case-folds it).
 */

/** JavaScript's `\s`, as the inside of an RE2 character class. */
const JS_SPACE_CLASS = String.raw`\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}`;
const JS_DOT = String.raw`[^\n\r\x{2028}\x{2029}]`;

/** The translation, or why there is none (with a hint when the usual one does not fit). */
export type RegexTranslation = { readonly pattern: string } | { readonly refused: string; readonly hint?: string };

/**
 * The RE2 pattern matching what `pattern` matches in JavaScript (`u` flag, or `iu` when
 * `caseInsensitive`: the caller adds `(?i)`), or why there is none.
 */
export function toRe2(pattern: string, options: { readonly caseInsensitive?: boolean } = {}): RegexTranslation {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return { refused: 'the pattern ends with a lone backslash' };
      if (next === 's') {
        out += inClass ? JS_SPACE_CLASS : `[${JS_SPACE_CLASS}]`;
        i++;
        continue;
      }
      if (next === 'S') {
        if (inClass) return { refused: '`\\S` inside a character class has no RE2 equivalent with JavaScript\'s meaning' };
        out += `[^${JS_SPACE_CLASS}]`;
        i++;
        continue;
      }
      if (next === 'u') {
        const braced = /^\\u\{([0-9A-Fa-f]{1,6})\}/.exec(pattern.slice(i));
        const plain = /^\\u([0-9A-Fa-f]{4})/.exec(pattern.slice(i));
        const m = braced ?? plain;
        if (!m) return { refused: 'a `\\u` escape that is not `\\uXXXX` or `\\u{X…}`' };
        // With the `u` flag, `\uD83D\uDE00` (a high then a low surrogate, both `\uXXXX`) is one
        // code point, U+1F600; RE2 reads `\x{D83D}\x{DE00}` as two surrogates, which no UTF-8
        // text holds (and inside a class, as a range out of order).
        const high = plain && !braced ? parseInt(plain[1] as string, 16) : -1;
        const low = high >= 0xd800 && high <= 0xdbff ? /^\\u(D[C-F][0-9A-F]{2})/i.exec(pattern.slice(i + 6)) : null;
        if (low) {
          const cp = 0x10000 + ((high - 0xd800) << 10) + (parseInt(low[1] as string, 16) - 0xdc00);
          out += `\\x{${cp.toString(16).toUpperCase()}}`;
          i += 6 + low[0].length - 1;
          continue;
        }
        out += `\\x{${(m[1] as string).toUpperCase()}}`;
        i += m[0].length - 1;
        continue;
      }
      if (next === 'p' || next === 'P') return { refused: 'Unicode property classes (`\\p{…}`) are named differently in RE2 and JavaScript' };
      if (next === 'c') return { refused: 'control escapes (`\\cX`) do not exist in RE2' };
      if (next === 'b' && inClass) return { refused: '`[\\b]` (backspace) does not exist in RE2' };
      if ((next === 'b' || next === 'B') && !inClass && options.caseInsensitive === true) {
        return {
          refused: `\`\\${next}\` with \`nocase\`: JavaScript's case-insensitive word boundary counts U+017F (ſ) and U+212A (Kelvin sign) as word characters, RE2's only ASCII ones`,
          hint: 'write the boundary as a class, e.g. `(?:^|[^A-Za-z0-9_])nc(?:$|[^A-Za-z0-9_])` for `\\bnc\\b`, or drop `nocase` and spell the cases out (`\\b[Nn][Cc]\\b`)',
        };
      }
      out += ch + next;
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      // A `]` or `^]` right after `[` is a literal in RE2 but closes an empty class in JavaScript.
      if (pattern[i + 1] === ']' || (pattern[i + 1] === '^' && pattern[i + 2] === ']')) {
        return { refused: 'an empty character class (`[]` or `[^]`) means something else in RE2' };
      }
      continue;
    }
    if (ch === '.') {
      out += JS_DOT;
      continue;
    }
    if (ch === '(' && pattern[i + 1] === '?' && pattern[i + 2] === '<' && pattern[i + 3] !== '=' && pattern[i + 3] !== '!') {
      const end = pattern.indexOf('>', i);
      if (end < 0) return { refused: 'an unterminated group name' };
      out += '(';
      i = end;
      continue;
    }
    if (ch === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(pattern.slice(i));
      if (m && (Number(m[1]) > 1000 || (m[2] !== undefined && m[2] !== '' && Number(m[2]) > 1000))) {
        return { refused: 'a repetition count above 1000 (RE2\'s limit)' };
      }
    }
    out += ch;
  }
  return { pattern: out };
}
