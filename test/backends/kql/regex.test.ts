import { describe, expect, it } from 'vitest';
import { toRe2 } from '../../../src/backends/kql/regex.js';

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
    expect(translated('(?<name>x)')).toBe('(?:x)');
    expect(translated(String.raw`\u00e4`)).toBe(String.raw`\x{00E4}`);
  });

  it('leaves . inside a class and escaped characters alone', () => {
    expect(translated('[.]')).toBe('[.]');
    expect(translated(String.raw`\.`)).toBe(String.raw`\.`);
  });

  it('refuses constructs without an exact RE2 equivalent', () => {
    for (const p of [String.raw`\p{L}`, String.raw`\P{Lu}`, String.raw`\cA`, String.raw`[\b]`, String.raw`[\S]`, 'a{1001}', 'a{1,2000}', '[]', '[^]']) {
      expect('refused' in toRe2(p), p).toBe(true);
    }
  });
});
