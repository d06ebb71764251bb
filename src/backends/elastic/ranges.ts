/**
 * Sets of Unicode code points as sorted inclusive ranges, the form the Elastic translation keeps
 * character classes in. Surrogate code points are never members: they cannot occur in UTF-8
 * terms, which is what Lucene indexes.
 */

export const MAX_CODE_POINT = 0x10ffff;

export function isSurrogate(cp: number): boolean {
  return cp >= 0xd800 && cp <= 0xdfff;
}

/** Inclusive code point ranges, sorted, as {@link toRanges} makes them (see there). */
export type Ranges = readonly (readonly [number, number])[];

/**
 * Sorted code points as inclusive ranges. Surrogates are left out, so a range may span the
 * surrogate block (U+D7FF is followed by U+E000) but never starts or ends in it.
 */
export function toRanges(cps: readonly number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const cp of cps) {
    const last = ranges[ranges.length - 1];
    if (last && (cp === last[1] + 1 || (last[1] === 0xd7ff && cp === 0xe000))) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  return ranges;
}

/** The code points not in `ranges` (as {@link toRanges} makes them), as such ranges. */
export function complementOfRanges(ranges: Ranges): [number, number][] {
  const out: [number, number][] = [];
  const push = (from: number, to: number): void => {
    const a = isSurrogate(from) ? 0xe000 : from;
    const b = isSurrogate(to) ? 0xd7ff : to;
    if (a <= b) out.push([a, b]);
  };
  let next = 0;
  for (const [from, to] of ranges) {
    if (from > next) push(next, from - 1);
    next = to + 1;
  }
  if (next <= MAX_CODE_POINT) push(next, MAX_CODE_POINT);
  return out;
}

/** The code point before `cp` (U+D7FF before U+E000), or undefined before U+0000. */
export function previousCodePoint(cp: number): number | undefined {
  return cp === 0 ? undefined : cp === 0xe000 ? 0xd7ff : cp - 1;
}

/** The code point after `cp` (U+E000 after U+D7FF), or undefined after U+10FFFF. */
export function nextCodePoint(cp: number): number | undefined {
  return cp === MAX_CODE_POINT ? undefined : cp === 0xd7ff ? 0xe000 : cp + 1;
}
