/**
 * A DSL regular expression (JavaScript with the `u` flag, the reference evaluator's engine,
 * restricted by validation to what RE2 can run) rewritten into a pattern for KQL's
 * `matches regex` and `extract()` that matches exactly the same strings.
 *
 * Kusto documented RE2 as its engine; its current documentation ("Regex syntax",
 * learn.microsoft.com/kusto/query/re2) describes a Unicode-aware syntax instead (`\d` is
 * `\p{Nd}`; nested classes `[x[^y]]` and set operations `&&`, `--`, `~~` inside classes), which
 * is not what an older cluster runs. The output therefore uses only constructs that mean the
 * same in RE2, in that documented syntax and in JavaScript; where a construct does not, it is
 * rewritten or refused:
 * - `.` (JavaScript: anything but `\n`, `\r`, U+2028, U+2029; RE2: anything but `\n`)
 *   → `[^\n\r\x{2028}\x{2029}]`;
 * - `\s` (JavaScript: ASCII and Unicode white space; RE2: `[\t\n\f\r ]`) → the explicit class;
 * - `\d`, `\w` (JavaScript: ASCII; the documented syntax: Unicode) → `[0-9]`, `[0-9A-Za-z_]`,
 *   and `\D`, `\S`, `\W` → their negations; inside a class the negations are refused;
 * - inside a class, a literal `[`, `&`, `~`, `-` or `^` is escaped (nested classes, POSIX
 *   classes `[:alpha:]` and set operations do not exist in JavaScript);
 * - `\0` → `\x00` (RE2 would read it with the digits after it as octal);
 * - `\uXXXX`, `\u{X…}` (RE2 has neither) → `\x{XXXX}`; a surrogate pair of `\uXXXX` escapes
 *   (`\uD83D\uDE00`), one code point with the `u` flag, → that code point (`\x{1F600}`);
 * - named groups `(?<name>…)` → `(…)` (names do not change what matches, and groups keep their
 *   numbers, which `extract(…, 1, …)` of the cluster host-name pattern relies on);
 * - refused: word boundaries `\b`/`\B` (ASCII in JavaScript and RE2, Unicode in the documented
 *   syntax; with `nocase` JavaScript also counts U+017F ſ and U+212A, the Kelvin sign), Unicode
 *   property classes `\p{…}`/`\P{…}` (named differently by each engine), control escapes `\cX`,
 *   `[\b]`, and repetition counts above 1000 (RE2's limit).
 * Under `nocase` (JavaScript's `iu`, Kusto's `(?i)`) both fold case the simple Unicode way, so
 * `(?i)[0-9A-Za-z_]` also matches ſ and the Kelvin sign, as JavaScript's `\w` does under `iu`.
 */

/** JavaScript's `\s`, as the inside of a character class. */
const JS_SPACE_CLASS = String.raw`\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}`;
const JS_DOT = String.raw`[^\n\r\x{2028}\x{2029}]`;
/** JavaScript's `\d` and `\w` (ASCII), as the inside of a character class. */
const JS_DIGIT_CLASS = '0-9';
const JS_WORD_CLASS = '0-9A-Za-z_';

/** Class escapes and the class content each stands for; upper case is the negation. */
const CLASS_ESCAPES: Readonly<Record<string, string>> = { s: JS_SPACE_CLASS, d: JS_DIGIT_CLASS, w: JS_WORD_CLASS };

/** Characters escaped when literal inside a class (they open a class or a set operation elsewhere). */
const CLASS_SPECIAL = new Set(['[', '&', '~', '-', '^']);

/** The translation, or why there is none (with a hint when the usual one does not fit). */
export type RegexTranslation = { readonly pattern: string } | { readonly refused: string; readonly hint?: string };

type Refusal = { readonly refused: string; readonly hint?: string };

const BOUNDARY_HINT =
  'write the boundary as a class, e.g. `(?:^|[^A-Za-z0-9_])nc(?:$|[^A-Za-z0-9_])` for `\\bnc\\b` (it matches the same alerts)';

/** One escape sequence at `pattern[i]` (a backslash): its text in the output and its length. */
function escapeAt(pattern: string, i: number, inClass: boolean, caseInsensitive: boolean): { text: string; length: number; single: boolean } | Refusal {
  const next = pattern[i + 1];
  if (next === undefined) return { refused: 'the pattern ends with a lone backslash' };
  const lower = next.toLowerCase();
  if (Object.hasOwn(CLASS_ESCAPES, lower) && (next === lower || !inClass)) {
    const content = CLASS_ESCAPES[lower] as string;
    const negated = next !== lower;
    return { text: inClass ? content : `[${negated ? '^' : ''}${content}]`, length: 2, single: false };
  }
  if (Object.hasOwn(CLASS_ESCAPES, lower)) {
    return { refused: `\`\\${next}\` inside a character class has no equivalent with JavaScript's meaning in KQL`, hint: `write the characters it stands for out, or use \`[^…]\` around \`\\${lower}\`'s class` };
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
      return { text: `\\x{${cp.toString(16).toUpperCase()}}`, length: 6 + low[0].length, single: true };
    }
    return { text: `\\x{${(m[1] as string).toUpperCase()}}`, length: m[0].length, single: true };
  }
  if (next === 'p' || next === 'P') return { refused: 'Unicode property classes (`\\p{…}`) are named differently in KQL and JavaScript' };
  if (next === 'c') return { refused: 'control escapes (`\\cX`) do not exist in KQL' };
  if (next === 'b' && inClass) return { refused: '`[\\b]` (backspace) does not exist in KQL' };
  if (next === 'b' || next === 'B') {
    return caseInsensitive
      ? {
          refused: `\`\\${next}\` with \`nocase\`: JavaScript's case-insensitive word boundary counts U+017F (ſ) and U+212A (Kelvin sign) as word characters, RE2's only ASCII ones, KQL's documented syntax those of every script`,
          hint: 'write the boundary as a class, e.g. `(?:^|[^A-Za-z0-9_])nc(?:$|[^A-Za-z0-9_])` for `\\bnc\\b`, or drop `nocase` and spell the cases out',
        }
      : {
          refused: `\`\\${next}\` is a word boundary between ASCII word characters in JavaScript (the evaluator) and RE2, but between word characters of every script (\`é\`, \`д\`) in the syntax KQL documents`,
          hint: BOUNDARY_HINT,
        };
  }
  // JavaScript's `\0` (NUL; validation refuses octal escapes): RE2 reads `\0` and the digits
  // after it as octal (`[\0\d]` would become `[\00-9]`), Rust's syntax refuses it.
  if (next === '0') return { text: '\\x00', length: 2, single: true };
  // JavaScript's `\/` (an escaped delimiter) is a plain `/`; some engines refuse the escape.
  if (next === '/') return { text: '/', length: 2, single: true };
  if (next === 'x') {
    const m = /^\\x[0-9A-Fa-f]{2}/.exec(pattern.slice(i));
    if (m) return { text: m[0], length: 4, single: true };
  }
  return { text: `\\${next}`, length: 2, single: !/[1-9]/.test(next) };
}

/**
 * The character class starting at `pattern[start]` (`[`), written for KQL; `end` is the index
 * after its `]`. Literal characters with a meaning in a KQL class are escaped; escapes are
 * translated as outside (`\d` → `0-9`). As in JavaScript, a `-` between two single characters
 * makes a range, and is literal anywhere else (first, last, or after a range or a class escape).
 */
function classAt(pattern: string, start: number, caseInsensitive: boolean): { text: string; end: number } | Refusal {
  let i = start + 1;
  let out = '[';
  if (pattern[i] === '^') {
    out += '^';
    i++;
  }
  // A `]` right after `[` or `[^` is a literal in RE2 but closes an empty class in JavaScript.
  if (pattern[i] === ']') return { refused: 'an empty character class (`[]` or `[^]`) means something else in KQL' };
  /** Whether the last item written can start a range: a single character not ending one. */
  let rangeStart = false;
  while (i < pattern.length && pattern[i] !== ']') {
    if (pattern[i] === '-' && rangeStart && i + 1 < pattern.length && pattern[i + 1] !== ']') {
      out += '-';
      i++;
      const end = itemAt(pattern, i, caseInsensitive);
      if ('refused' in end) return end;
      out += end.text;
      i += end.length;
      rangeStart = false;
      continue;
    }
    const item = itemAt(pattern, i, caseInsensitive);
    if ('refused' in item) return item;
    out += item.text;
    i += item.length;
    rangeStart = item.single;
  }
  if (i >= pattern.length) return { refused: 'an unterminated character class' };
  return { text: `${out}]`, end: i + 1 };
}

/** One item of a class at `pattern[i]`: an escape or a literal character (escaped if special). */
function itemAt(pattern: string, i: number, caseInsensitive: boolean): { text: string; length: number; single: boolean } | Refusal {
  if (pattern[i] === '\\') return escapeAt(pattern, i, true, caseInsensitive);
  const ch = String.fromCodePoint(pattern.codePointAt(i) as number);
  return { text: CLASS_SPECIAL.has(ch) ? `\\${ch}` : ch, length: ch.length, single: true };
}

/**
 * The KQL pattern matching what `pattern` matches in JavaScript (`u` flag, or `iu` when
 * `caseInsensitive`: the caller adds `(?i)`), or why there is none.
 */
export function toKustoRegex(pattern: string, options: { readonly caseInsensitive?: boolean } = {}): RegexTranslation {
  const caseInsensitive = options.caseInsensitive === true;
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      const e = escapeAt(pattern, i, false, caseInsensitive);
      if ('refused' in e) return e;
      out += e.text;
      i += e.length;
      continue;
    }
    if (ch === '[') {
      const c = classAt(pattern, i, caseInsensitive);
      if ('refused' in c) return c;
      out += c.text;
      i = c.end;
      continue;
    }
    if (ch === '.') {
      out += JS_DOT;
      i++;
      continue;
    }
    if (ch === '(' && pattern[i + 1] === '?' && pattern[i + 2] === '<' && pattern[i + 3] !== '=' && pattern[i + 3] !== '!') {
      const end = pattern.indexOf('>', i);
      if (end < 0) return { refused: 'an unterminated group name' };
      out += '(';
      i = end + 1;
      continue;
    }
    if (ch === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(pattern.slice(i));
      if (m && (Number(m[1]) > 1000 || (m[2] !== undefined && m[2] !== '' && Number(m[2]) > 1000))) {
        return { refused: 'a repetition count above 1000 (RE2\'s limit)' };
      }
    }
    out += ch;
    i++;
  }
  return { pattern: out };
}
