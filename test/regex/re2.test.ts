import { describe, expect, it } from 'vitest';
import { toRe2 } from '../../src/regex/re2.js';

/** The RE2 output read back as a JavaScript pattern (`\x{H}` is `\u{H}` there). */
function asJs(re2: string): RegExp {
  return new RegExp(re2.replace(/\\x\{([0-9A-F]+)\}/g, '\\u{$1}'), 'u');
}

function translated(pattern: string): string {
  const r = toRe2(pattern);
  if (!('pattern' in r)) throw new Error(`refused: ${r.refused}`);
  return r.pattern;
}

const SAMPLES = ['', 'a', 'ab', 'a\nb', 'a\rb', 'a\u2028b', 'a b', 'a\tb', 'a\u00a0b', 'a\u3000b', 'a\u000bb', 'a\ufeffb', 'ä', 'x.y', 'A', 'nc -e /bin/sh', '\u{1F600}'];

describe('toRe2', () => {
  it('keeps patterns whose meaning is the same in both engines', () => {
    for (const p of ['^abc$', 'a[bc]+d?', String.raw`\d{2,3}`, String.raw`\w+\b`, String.raw`a\.b`, 'x|y', '(?:ab)*', '[^a-z]', String.raw`\/bin\/sh`]) {
      expect(translated(p)).toBe(p);
    }
  });

  it('rewrites ., \\s, \\S, \\u escapes and named groups into constructs that mean the same as in JavaScript', () => {
    const cases = ['a.b', String.raw`a\sb`, String.raw`a\Sb`, String.raw`a[\s.]b`, String.raw`\u00e4`, String.raw`\u{1F600}`, '(?<x>a).', '^.*$'];
    for (const p of cases) {
      const js = new RegExp(p, 'u');
      const back = asJs(translated(p));
      for (const s of SAMPLES) expect(back.test(s), `${p} on ${JSON.stringify(s)}`).toBe(js.test(s));
    }
    expect(translated('a.b')).toBe(String.raw`a[^\n\r\x{2028}\x{2029}]b`);
    expect(translated('(?<name>x)')).toBe('(x)'); // still group 1
    expect(translated(String.raw`\u00e4`)).toBe(String.raw`\x{00E4}`);
  });

  it('reads a surrogate pair of \\u escapes as the one code point JavaScript (u flag) reads', () => {
    const pairs = [String.raw`\ud83d\ude00`, String.raw`[\ud83d\ude00-\ud83d\ude02]`, String.raw`x\uD83D\uDE01?`];
    for (const p of pairs) {
      const js = new RegExp(p, 'u');
      const back = asJs(translated(p));
      for (const s of [...SAMPLES, '\u{1F601}', 'x', 'x\u{1F601}']) expect(back.test(s), `${p} on ${JSON.stringify(s)}`).toBe(js.test(s));
    }
    expect(translated(String.raw`[\ud83d\ude00-\ud83d\ude02]`)).toBe(String.raw`[\x{1F600}-\x{1F602}]`);
    // braced escapes are code points of their own, never paired (as in JavaScript)
    expect(translated(String.raw`\u{d83d}\u{de00}`)).toBe(String.raw`\x{D83D}\x{DE00}`);
    expect(translated(String.raw`\ud83d\u{de00}`)).toBe(String.raw`\x{D83D}\x{DE00}`);
  });

  it('leaves . inside a class and escaped characters alone', () => {
    expect(translated('[.]')).toBe('[.]');
    expect(translated(String.raw`\.`)).toBe(String.raw`\.`);
  });

  it('refuses word boundaries when case-insensitive: under JavaScript\'s iu, U+017F and U+212A are word characters, for RE2\'s \\b only ASCII', () => {
    // what the evaluator sees: no boundary between ſ and x with iu, one with u
    expect([/\bx/iu.test('\u017fx'), /\bx/u.test('\u017fx'), /\Bx/iu.test('\u212ax')]).toEqual([false, true, true]);
    for (const p of [String.raw`\bnc\b`, String.raw`a\B`, String.raw`(?:x|\b)`]) {
      const r = toRe2(p, { caseInsensitive: true });
      expect(r, p).toEqual({ refused: expect.stringContaining('U+017F'), hint: expect.stringContaining('[^A-Za-z0-9_]') });
      expect(toRe2(p), p).toEqual({ pattern: p }); // case-sensitive: ASCII word characters in both
    }
    expect(toRe2(String.raw`[\b]`, { caseInsensitive: true })).toEqual({ refused: expect.stringContaining('backspace') });
    expect(toRe2(String.raw`\\b`, { caseInsensitive: true })).toEqual({ pattern: String.raw`\\b` }); // an escaped backslash, then b
    expect(toRe2(String.raw`\w+`, { caseInsensitive: true })).toEqual({ pattern: String.raw`\w+` });
  });

  it('refuses constructs without an exact RE2 equivalent', () => {
    for (const p of [String.raw`\p{L}`, String.raw`\P{Lu}`, String.raw`\cA`, String.raw`[\b]`, String.raw`[\S]`, 'a{1001}', 'a{1,2000}', '[]', '[^]']) {
      expect('refused' in toRe2(p), p).toBe(true);
    }
  });
});
