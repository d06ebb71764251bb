/**
 * src/backends/elastic/unicode.ts: the lower-case table read from data/generated/lower-case.json
 * (made by `npm run build`) is the one this Node's `toLowerCase` gives, and is used only for the
 * Unicode and ICU versions it was made with.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { caseMappingVersions, complementOfRanges, lowerCaseTableOrigin, lowerClass, lowerTableFrom, lowerTableJson, regexClass, toRanges } from '../../../src/backends/elastic/unicode.js';

describe('the lower-case table', () => {
  const json = JSON.parse(lowerTableJson());

  it('is used for the versions it was made with, and gives back what it was made of', () => {
    const table = lowerTableFrom(json, caseMappingVersions());
    expect(table).toBeDefined();
    expect(table!.inverse.get(0x6b)).toEqual([0x4b, 0x212a]); // k: K and the Kelvin sign
    expect(table!.multi.get(0x130)).toEqual([0x69, 0x307]); // İ lower-cases to i + combining dot
    expect(table!.inverse.size).toBe(json.inverse.length);
  });

  it('is not used for another Unicode or ICU version, nor when malformed, changed, or wrong about a character', () => {
    const v = caseMappingVersions();
    expect(lowerTableFrom(json, { ...v, unicode: '1.0' })).toBeUndefined();
    expect(lowerTableFrom(json, { ...v, icu: '1.0' })).toBeUndefined();
    expect(lowerTableFrom({ ...json, inverse: [[97]] }, v)).toBeUndefined();
    expect(lowerTableFrom({ ...json, multi: 'x' }, v)).toBeUndefined();
    expect(lowerTableFrom(undefined, v)).toBeUndefined();
    // rows emptied, or one row dropped: the hash no longer matches
    expect(lowerTableFrom({ ...json, inverse: [], multi: [] }, v)).toBeUndefined();
    expect(lowerTableFrom({ ...json, inverse: json.inverse.slice(1) }, v)).toBeUndefined();
    // a wrong row with a matching hash: the engine disagrees
    const { sha256: _, ...rest } = JSON.parse(lowerTableJson());
    const wrong = { ...rest, inverse: [[0x61, 0x42], ...rest.inverse.slice(1)] };
    const rehashed = JSON.parse(JSON.stringify({ ...wrong, sha256: createHash('sha256').update(JSON.stringify({ inverse: wrong.inverse, multi: wrong.multi })).digest('hex') }));
    expect(lowerTableFrom(rehashed, v)).toBeUndefined();
    expect(lowerTableFrom(JSON.parse(JSON.stringify({ ...rehashed, inverse: rest.inverse, sha256: json.sha256 })), v)).toBeDefined();
  });

  it('is read from data/generated/lower-case.json when the build made it (not computed at each run)', () => {
    lowerClass(0x6b);
    expect(lowerCaseTableOrigin()).toBe('generated');
  });

  it('gives the classes the brute force over every code point gives', () => {
    for (const ch of ['a', 'k', 's', 'ß', 'σ', 'i', 'ǆ', 'ω', '1']) {
      const cp = ch.codePointAt(0)!;
      const expected: number[] = [];
      for (let x = 0; x <= 0x10ffff; x++) {
        if (x >= 0xd800 && x <= 0xdfff) continue;
        if (String.fromCodePoint(x).toLowerCase() === ch) expected.push(x);
      }
      expect(lowerClass(cp), ch).toEqual(expected);
    }
  });
});

/** Every non-surrogate code point, in order, as one string. */
const ALL = ((): string => {
  const chunks: string[] = [];
  for (let from = 0; from <= 0x10ffff; from += 4096) {
    const cps: number[] = [];
    for (let cp = from; cp < Math.min(from + 4096, 0x110000); cp++) if (cp < 0xd800 || cp > 0xdfff) cps.push(cp);
    chunks.push(String.fromCodePoint(...cps));
  }
  return chunks.join('');
})();

/**
 * The reference: the atom tested at each code point's position in that text, matching exactly
 * that code point (what regexClass did before it searched for runs).
 */
function bruteForce(source: string, flags: 'u' | 'iu'): number[] {
  const re = new RegExp(source, `${flags}y`);
  const out: number[] = [];
  for (let i = 0; i < ALL.length; ) {
    const cp = ALL.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    re.lastIndex = i;
    if (re.test(ALL) && re.lastIndex === i + width) out.push(cp);
    i += width;
  }
  return out;
}

describe('regexClass', () => {
  // classes, negated ones (`[^^]`, `[^]`, `[]`), escapes and their complements, properties,
  // `.`, and literals whose case folding reaches other characters (Kelvin sign, long s, İ, σ/ς,
  // astral Deseret letters)
  const atoms = [
    '.', '[a-z]', '[^a-z]', '[^x]', '[^^]', '[^^a]', '[^]', '[]', '[^\\]]', '[\\s\\S]', '[^\\d\\s]', '[k-s]', '[^k]',
    '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '\\p{Lu}', '\\P{L}', '\\p{Script=Greek}',
    '\\u{6b}', '\\u{73}', '\\u{130}', '\\u{3c3}', '\\u{df}', '\\u{10400}', '\\u{1f600}', '[\\u{1f600}-\\u{1f64f}]',
    // V8 (Node 20) leaves U+10FFFF out of a negated class ending at U+10FFFE: the engine decides
    '[^\\u{10fffe}]', '[^\\w\\u{10fffe}]', '[^\\u{148d1}-\\u{10fffe}]', '[^\\u{10ffff}]',
  ];
  for (const flags of ['u', 'iu'] as const) {
    it(`gives, with flags ${flags}, the code points the atom matches tested one by one`, () => {
      for (const atom of atoms) expect(regexClass(atom, flags), `${atom} /${flags}`).toEqual(toRanges(bruteForce(atom, flags)));
    }, 120_000);
  }
});

describe('complementOfRanges', () => {
  it('is the complement of the code points, never starting or ending inside the surrogates', () => {
    expect(complementOfRanges([])).toEqual([[0, 0x10ffff]]);
    expect(complementOfRanges([[0, 0x10ffff]])).toEqual([]);
    expect(complementOfRanges(toRanges([0x41, 0x42, 0xd7ff, 0xe000, 0x10ffff]))).toEqual([
      [0, 0x40],
      [0x43, 0xd7fe],
      [0xe001, 0x10fffe],
    ]);
    expect(complementOfRanges([[0, 0xd7ff]])).toEqual([[0xe000, 0x10ffff]]);
  });
});
