/** src/backends/elastic/ranges.ts: code point sets as ranges. */
import { describe, expect, it } from 'vitest';
import { complementOfRanges, nextCodePoint, previousCodePoint, toRanges } from '../../../src/backends/elastic/ranges.js';

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

describe('previousCodePoint and nextCodePoint', () => {
  it('step over the surrogates and stop at the ends', () => {
    expect([previousCodePoint(0), previousCodePoint(0x41), previousCodePoint(0xe000)]).toEqual([undefined, 0x40, 0xd7ff]);
    expect([nextCodePoint(0x10ffff), nextCodePoint(0x41), nextCodePoint(0xd7ff)]).toEqual([undefined, 0x42, 0xe000]);
  });
});
