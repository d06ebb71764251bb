/**
 * src/backends/elastic/lower-case.ts: the lower-case table read from data/generated/lower-case.json
 * (made by `npm run build`) is the one this Node's `toLowerCase` gives, and is used only for the
 * Unicode and ICU versions it was made with.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { caseMappingVersions, lowerCaseTableOrigin, lowerClass, lowerTableFrom, lowerTableJson } from '../../../src/backends/elastic/lower-case.js';

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
