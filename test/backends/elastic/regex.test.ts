/**
 * JavaScript regular expressions (the evaluator's dialect) to Lucene's: the search becomes a
 * whole-term match, anchors fold into it, classes become exact character sets.
 */
import { describe, expect, it } from 'vitest';
import { translateRegex } from '../../../src/backends/elastic/regex.js';

const ok = (p: string, cs = true): string => {
  const r = translateRegex(p, cs);
  if ('refused' in r) throw new Error(r.refused);
  return r.regex;
};
const refused = (p: string): string => {
  const r = translateRegex(p, true);
  if (!('refused' in r)) throw new Error(`expected a refusal for ${p}, got ${r.regex}`);
  return r.refused;
};

describe('translateRegex', () => {
  it('wraps an unanchored search in .* and folds anchors', () => {
    expect(ok('abc')).toBe('.*abc.*');
    expect(ok('^abc')).toBe('abc.*');
    expect(ok('abc$')).toBe('.*abc');
    expect(ok('^abc$')).toBe('abc');
    expect(ok('^a|b$')).toBe('(a.*)|(.*b)');
    expect(ok('')).toBe('.*().*');
    expect(ok('^$')).toBe('()');
  });

  it('escapes every ASCII symbol and keeps letters, digits and other characters literal', () => {
    expect(ok('^a\\.b/c-d"e#f@g&h~i<j>k$')).toBe('a\\.b\\/c\\-d\\"e\\#f\\@g\\&h\\~i\\<j\\>k');
    expect(ok('^é😀$')).toBe('é😀');
  });

  it('keeps quantifiers, drops laziness, turns every group into a plain group', () => {
    expect(ok('^a{2}b{1,3}c{2,}d*?e+?f??$')).toBe('a{2}b{1,3}c{2,}d*e+f?');
    expect(ok('^(?:a|b)(?<n>c)(d)$')).toBe('(a|b)(c)(d)');
  });

  it('replaces classes and escapes by the exact sets JavaScript matches', () => {
    expect(ok('^\\d$')).toBe('[0-9]');
    expect(ok('^[^a-z]$')).toBe('[^a-z]');
    expect(ok('^\\w$')).toBe('[0-9A-Z\\_a-z]');
    expect(ok('^\\w$', false)).toBe('[0-9A-Z\\_a-z\u017f\u212a]');
    expect(ok('^.$')).toBe('[^\\\n\\\r\u2028\u2029]');
    expect(ok('^[^]$')).toBe('.');
    expect(ok('^k$', false)).toBe('[Kk\u212a]');
    expect(ok('^\\x41\\u0042\\u{1F600}\\t$')).toBe('AB😀\\\t');
  });

  it('refuses what Lucene cannot express', () => {
    expect(refused('\\bx')).toMatch(/word boundaries/);
    expect(refused('a^b')).toMatch(/anchors/);
    expect(refused('(^a)')).toMatch(/anchors/);
    expect(refused('a$b')).toMatch(/anchor/);
    expect(refused('[]')).toMatch(/matches no character/);
    expect(refused('(?=a)')).toMatch(/lookaround/);
    expect(refused('(')).toMatch(/not a valid regular expression/);
  });
});
