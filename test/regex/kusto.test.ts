import { describe, expect, it } from 'vitest';
import { toKustoRegex } from '../../src/regex/kusto.js';

/**
 * The KQL output read back as a JavaScript pattern (`u` flag): `\x{H}` is `\u{H}` there, and
 * the class escapes `\&`, `\~` (which JavaScript's `u` flag refuses) are the characters.
 */
function asJs(kql: string, flags = 'u'): RegExp {
  return new RegExp(kql.replace(/\\x\{([0-9A-F]+)\}/g, '\\u{$1}').replace(/\\([&~])/g, '$1'), flags);
}

function translated(pattern: string, caseInsensitive = false): string {
  const r = toKustoRegex(pattern, { caseInsensitive });
  if (!('pattern' in r)) throw new Error(`refused: ${r.refused}`);
  return r.pattern;
}

const SAMPLES = [
  '', 'a', 'ab', 'a\nb', 'a\rb', 'a\u2028b', 'a b', 'a\tb', 'a\u00a0b', 'a\u3000b', 'a\u000bb', 'a\ufeffb', 'ä', 'x.y', 'A', 'nc -e /bin/sh', '\u{1F600}',
  // digits and word characters of other scripts (Unicode `\d`, `\w` in the syntax KQL documents)
  '-c \u0661\u0662\u0663', '-c 123', 'é', 'x_1', '\u017f', '\u212a', '[', ']', '&', '~', '-', '^', ':', '4', '.', '/',
];

/** `pattern` and its translation agree on every sample (and on `extra`). */
function expectSameMatches(pattern: string, caseInsensitive = false, extra: string[] = []): void {
  const flags = caseInsensitive ? 'iu' : 'u';
  const js = new RegExp(pattern, flags);
  const back = asJs(translated(pattern, caseInsensitive), flags);
  for (const s of [...SAMPLES, ...extra]) expect(back.test(s), `${pattern} on ${JSON.stringify(s)}`).toBe(js.test(s));
}

describe('toKustoRegex', () => {
  it('keeps patterns whose meaning is the same in every engine', () => {
    for (const p of ['^abc$', 'a[bc]+d?', String.raw`a\.b`, 'x|y', '(?:ab)*', '[^a-z]', 'a{2,3}', String.raw`\x41`, String.raw`[\]\\]`]) {
      expect(translated(p)).toBe(p);
    }
  });

  it('rewrites ., \\s, \\S, \\u escapes and named groups into constructs that mean the same as in JavaScript', () => {
    const cases = ['a.b', String.raw`a\sb`, String.raw`a\Sb`, String.raw`a[\s.]b`, String.raw`\u00e4`, String.raw`\u{1F600}`, '(?<x>a).', '^.*$'];
    for (const p of cases) expectSameMatches(p);
    expect(translated('a.b')).toBe(String.raw`a[^\n\r\x{2028}\x{2029}]b`);
    expect(translated('(?<name>x)')).toBe('(x)'); // still group 1
    expect(translated(String.raw`\u00e4`)).toBe(String.raw`\x{00E4}`);
    expect(translated(String.raw`\/bin\/sh`)).toBe('/bin/sh');
    // NUL: RE2 would read `\0` and the digits after it as octal, `[\00-9]` being U+0000 to `9`
    expect(translated(String.raw`[\0\d]`)).toBe(String.raw`[\x000-9]`);
    expect(translated(String.raw`a\0`)).toBe(String.raw`a\x00`);
    expectSameMatches(String.raw`^[\0\d]+$`, false, ['\0', '-', '#!', '12\0']);
  });

  it('writes \\d and \\w as the ASCII classes they are in JavaScript (KQL documents \\d as \\p{Nd})', () => {
    expect(translated(String.raw`^-c \d+$`)).toBe('^-c [0-9]+$');
    expect(translated(String.raw`\w+\D\W`)).toBe('[0-9A-Za-z_]+[^0-9][^0-9A-Za-z_]');
    expect(translated(String.raw`[\d\w.-]`)).toBe(String.raw`[0-90-9A-Za-z_.\-]`);
    for (const p of [String.raw`^-c \d+$`, String.raw`\w+`, String.raw`\D`, String.raw`\W`, String.raw`[\d_]`, String.raw`x[\w-]y`]) {
      expectSameMatches(p);
      expectSameMatches(p, true); // under `iu`, \w also matches ſ and the Kelvin sign, as (?i)[0-9A-Za-z_] does
    }
    for (const p of [String.raw`[\D]`, String.raw`[a\W]`, String.raw`[\S]`]) expect(toKustoRegex(p)).toEqual({ refused: expect.stringContaining('inside a character class'), hint: expect.any(String) });
  });

  it('escapes characters that nest classes or make set operations in the syntax KQL documents', () => {
    // JavaScript: `[`, `&`, `~` are plain members; `-` is literal unless between two characters.
    expect(translated('[[:digit:][x]')).toBe(String.raw`[\[:digit:][x]`); // a class ending at the first ], then [x]
    expect(translated('[a&&b]')).toBe(String.raw`[a\&\&b]`);
    expect(translated('[a-g~~b-h]')).toBe(String.raw`[a-g\~\~b-h]`);
    expect(translated('[0-9--4]')).toBe(String.raw`[0-9\--4]`); // 0-9, then a range from - to 4
    expect(translated('[+--]')).toBe(String.raw`[+-\-]`);
    expect(translated('[-a]')).toBe(String.raw`[\-a]`);
    expect(translated('[a-]')).toBe(String.raw`[a\-]`);
    expect(translated('[a^]')).toBe(String.raw`[a\^]`);
    expect(translated('[^^]')).toBe(String.raw`[^\^]`);
    for (const p of ['[[:digit:][x]', '[a&&b]', '[a-g~~b-h]', '[0-9--4]', '[+--]', '[-a]', '[a-]', '[a^]', '[^^]', String.raw`[\d-]`, String.raw`[x\s-]`]) {
      expectSameMatches(p, false, ['b', 'h', 'c', 'x', '+', ',', '3', '5', '9']);
    }
  });

  it('reads a surrogate pair of \\u escapes as the one code point JavaScript (u flag) reads', () => {
    const pairs = [String.raw`\ud83d\ude00`, String.raw`[\ud83d\ude00-\ud83d\ude02]`, String.raw`x\uD83D\uDE01?`];
    for (const p of pairs) expectSameMatches(p, false, ['\u{1F601}', 'x', 'x\u{1F601}']);
    expect(translated(String.raw`[\ud83d\ude00-\ud83d\ude02]`)).toBe(String.raw`[\x{1F600}-\x{1F602}]`);
    // braced escapes are code points of their own, never paired (as in JavaScript)
    expect(translated(String.raw`\u{d83d}\u{de00}`)).toBe(String.raw`\x{D83D}\x{DE00}`);
    expect(translated(String.raw`\ud83d\u{de00}`)).toBe(String.raw`\x{D83D}\x{DE00}`);
  });

  it('leaves . inside a class and escaped characters alone', () => {
    expect(translated('[.]')).toBe('[.]');
    expect(translated(String.raw`\.`)).toBe(String.raw`\.`);
  });

  it('refuses word boundaries: ASCII in JavaScript and RE2, of every script in the syntax KQL documents', () => {
    // what the evaluator sees: a boundary between é and c (é is no ASCII word character)
    expect(/\bcurl\b/u.test('écurl')).toBe(true);
    for (const p of [String.raw`\bnc\b`, String.raw`a\B`, String.raw`(?:x|\b)`]) {
      expect(toKustoRegex(p), p).toEqual({ refused: expect.stringContaining('every script'), hint: expect.stringContaining('[^A-Za-z0-9_]') });
      expect(toKustoRegex(p, { caseInsensitive: true }), p).toEqual({ refused: expect.stringContaining('U+017F'), hint: expect.stringContaining('[^A-Za-z0-9_]') });
    }
    // the hint's rewrite matches what \bnc\b matches
    const hinted = /(?:^|[^A-Za-z0-9_])nc(?:$|[^A-Za-z0-9_])/u;
    for (const s of ['nc', 'nc -e', 'xnc', 'ncx', 'énc', '/bin/nc', 'a nc', 'nc_']) expect(hinted.test(s), s).toBe(/\bnc\b/u.test(s));
    expect(toKustoRegex(String.raw`[\b]`)).toEqual({ refused: expect.stringContaining('backspace') });
    expect(toKustoRegex(String.raw`\\b`)).toEqual({ pattern: String.raw`\\b` }); // an escaped backslash, then b
  });

  it('refuses constructs without an exact KQL equivalent', () => {
    for (const p of [String.raw`\p{L}`, String.raw`\P{Lu}`, String.raw`\cA`, String.raw`[\b]`, String.raw`[\S]`, 'a{1001}', 'a{1,2000}', '[]', '[^]']) {
      expect('refused' in toKustoRegex(p), p).toBe(true);
    }
  });
});
