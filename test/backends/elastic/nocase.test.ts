/**
 * Case-insensitive comparisons: exact character sets from the evaluator's toLowerCase, and
 * Elasticsearch's own case_insensitive flag only where it gives the same sets.
 */
import { describe, expect, it } from 'vitest';
import { translateNocase } from '../../../src/backends/elastic/nocase.js';
import { lowerClass, multiCodePointLowerCases } from '../../../src/backends/elastic/lower-case.js';

describe('the Unicode facts the translation relies on (fail if the runtime changes them)', () => {
  it('only U+0130 lower-cases to more than one code point', () => {
    expect([...multiCodePointLowerCases().entries()]).toEqual([[0x130, [0x69, 0x307]]]);
  });

  it('the only non-ASCII character lower-casing to an ASCII letter is U+212A (to k)', () => {
    const odd: string[] = [];
    for (let cp = 0x61; cp <= 0x7a; cp++) {
      for (const x of lowerClass(cp)) if (x >= 0x80) odd.push(`${x.toString(16)}->${String.fromCodePoint(cp)}`);
    }
    expect(odd).toEqual(['212a->k']);
  });
});

describe('translateNocase', () => {
  it('uses case_insensitive for ASCII values without k', () => {
    expect(translateNocase('eq', 'Bash -C')).toEqual({ regex: '[Bb][Aa][Ss][Hh]\\ \\-[Cc]', native: { op: 'term', value: 'Bash -C' } });
    expect(translateNocase('contains', 'a*b')).toEqual({ regex: '.*[Aa]\\*[Bb].*', native: { op: 'wildcard', value: '*a\\*b*' } });
    expect(translateNocase('endswith', 'x')).toMatchObject({ native: { op: 'wildcard', value: '*x' } });
    expect(translateNocase('startswith', 'x')).toMatchObject({ native: { op: 'prefix', value: 'x' } });
  });

  it('uses the exact regexp when Elasticsearch would differ', () => {
    expect(translateNocase('eq', 'kube')).toEqual({ regex: '[Kk\u212a][Uu][Bb][Ee]' });
    expect(translateNocase('eq', 'straße')).toEqual({ regex: '[Ss][Tt][Rr][Aa][\u00df\u1e9e][Ee]' });
  });

  it('lets U+0130 supply a final i of contains/startswith only', () => {
    expect(translateNocase('startswith', 'hi')).toEqual({ regex: '[Hh][Ii\u0130].*' });
    expect(translateNocase('contains', 'hi')).toEqual({ regex: '.*[Hh][Ii\u0130].*' });
    expect(translateNocase('eq', 'hi')).toMatchObject({ regex: '[Hh][Ii]', native: { op: 'term' } });
    expect(translateNocase('endswith', 'hi')).toMatchObject({ regex: '.*[Hh][Ii]' });
  });

  it('refuses a value holding a Greek sigma, whose lower case depends on its neighbours', () => {
    for (const op of ['eq', 'startswith', 'endswith', 'contains'] as const) {
      for (const v of ['ΟΔΟΣ', 'σ', 'ς', 'aΣb']) expect(translateNocase(op, v), `${op} ${v}`).toMatchObject({ refused: expect.stringMatching(/Greek sigma/) });
    }
    expect(translateNocase('contains', 'ΟΔΟ')).toEqual({ regex: '.*[Οο][Δδ][Οο].*' });
  });

  it('refuses a value that lower-cases to a combining dot', () => {
    expect(translateNocase('eq', 'İ')).toMatchObject({ refused: expect.stringMatching(/U\+0307/) });
  });
});
