import { describe, expect, it } from 'vitest';
import { determinizedStates, REFUSE_ABOVE_STATES } from '../../../src/backends/elastic/dfa-states.js';

describe('determinizedStates', () => {
  it('counts the subsets of Thompson automaton states the construction reaches (no dead state), checked by hand', () => {
    expect(determinizedStates('abc')).toBe(4); // before a, after a, after ab, after abc
    expect(determinizedStates('a|b')).toBe(2); // start, done
    expect(determinizedStates('.*a.*')).toBe(2); // no a yet, an a seen
    expect(determinizedStates('[^a]*')).toBe(1);
    expect(determinizedStates('x{2,4}')).toBe(5); // 0 to 4 x read
    // not minimal: an `a` read in the first copy of `ab` and one read in the repeated copy differ
    expect(determinizedStates('(ab)+')).toBe(4);
    // where the a's among the last four characters were: 2^4 subsets
    expect(determinizedStates('.*a.{3}')).toBe(16);
  });

  it('reads escapes, ranges and negated classes as Lucene does', () => {
    expect(determinizedStates('\\.\\*')).toBe(3); // two literal characters
    expect(determinizedStates('[\\-a]b')).toBe(3); // an escaped - is a member, not a range
    expect(determinizedStates('[a-c][^a-c]')).toBe(3);
    // (no match yet | matched) x (last character a non-x or not)
    expect(determinizedStates('.*[^x]x.*')).toBe(4);
  });

  it('grows exponentially with a counted repetition of a broad class in a search, and stops at the limit', () => {
    expect(determinizedStates('.*a.{11}', 100_000)).toBe(4096);
    expect(determinizedStates('.*a.{12}')).toBe(REFUSE_ABOVE_STATES + 1);
    expect(determinizedStates('.*curl.{0,40}\\|.{0,5}sh.*')).toBe(REFUSE_ABOVE_STATES + 1);
    expect(determinizedStates('nc.*', 10)).toBe(3);
    // nested counts multiply: construction stops early instead of filling the memory
    for (const r of ['((a{1000}){1000}){1000}', '(a{1000}){1000}', '(a?){40000}']) expect(determinizedStates(r), r).toBe(REFUSE_ABOVE_STATES + 1);
    expect(determinizedStates('\\^nc', 10)).toBe(4); // Lucene has no anchors: an escaped ^ is a character
  });
});
