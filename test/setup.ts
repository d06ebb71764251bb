/**
 * Test setup (vitest `setupFiles`): AST spans are `TextSpan`s (offsets, positions computed on
 * read, see `src/syntax/positions.ts`); `toEqual` and friends compare them by their plain form
 * `{ file, start, end }`, so expectations can be written as plain objects and two spans are
 * equal exactly when they read the same.
 */
import { expect } from 'vitest';
import { TextSpan } from '../src/syntax/positions.js';

expect.addEqualityTesters([
  function textSpanEquality(a: unknown, b: unknown, customTesters) {
    if (!(a instanceof TextSpan) && !(b instanceof TextSpan)) return undefined;
    const plain = (x: unknown): unknown => (x instanceof TextSpan ? x.toJSON() : x);
    return this.equals(plain(a), plain(b), customTesters);
  },
]);
