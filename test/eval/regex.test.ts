import { describe, expect, it } from 'vitest';
import { mayBacktrack, REGEX_TIME_LIMIT_MS, RegexTimeout, regexTest } from '../../src/eval/regex.js';

describe('regexTest: the evaluator\'s regex search, with a time limit where it may backtrack', () => {
  it('flags patterns with two choice points: repetitions, nested or chained, a repeated alternation, optionals', () => {
    for (const p of ['^(.*)*x$', '(a*|a?)*', '(\\w+\\s?)*$', '.*a.*b', '(a|b)+', '(?:x|y){2,}', '\\d+\\s+\\d+', 'a{1,5}b{2,}', '(?:(a|b)c)*', '^nc(at)?\\s+-e', '(a|b)?c', 'x{1}y{0,1}z+']) {
      expect([p, mayBacktrack(p)]).toEqual([p, true]);
    }
    // one choice point (an exact count of an atom is none); choice-looking text that is not one
    for (const p of ['^nc(?:at)?\\s-e', 'a|b|c', '(?:cmd|powershell|pwsh)\\.exe$', '(a|b)c', '[*+]{1}x*', '\\p{L}+', '\\u{1F600}*y', '(?<n>a)\\k<n>+', 'a\\*b\\+c', '[a-z*|?]+\\{2,\\}', 'x{1}y{1,1}z+', '[]a+', '[^]+', 'a{1,5}b{2}', '(?:ab)+c{3}', '\\d{4}-\\d{2}-\\d{2}T']) {
      expect([p, mayBacktrack(p)]).toEqual([p, false]);
    }
  });

  it('flags a repetition of a group with an optional part, and chains of optionals or alternations, which backtrack exponentially without two repetitions', () => {
    // each took seconds on a short text it does not match, e.g. (?:\\w\\w?)+$ 29 s on 40 letters and a `!`
    for (const p of ['^(aa?)*$', '(?:\\w\\w?)+$', '^(?:[a-z][a-z0-9]?)+@', '(?:a{0,1}b)+c', `^${'(?:a|aa)'.repeat(30)}$`, `${'a?'.repeat(28)}${'a'.repeat(28)}`, '(?:a|b){3}', 'x'.repeat(257)]) {
      expect([p, mayBacktrack(p)]).toEqual([p, true]);
    }
    const started = Date.now();
    expect(() => regexTest('(?:\\w\\w?)+$', true, `${'a'.repeat(40)}!`)).toThrow(RegexTimeout);
    expect(Date.now() - started).toBeLessThan(REGEX_TIME_LIMIT_MS * 10);
  });

  it('agrees with RegExp on either route (direct, and with the time limit)', () => {
    const long = `${'ab '.repeat(200)}nc -e /bin/sh`;
    const cases: [string, boolean, string][] = [
      ['^nc(at)?\\s+-e', true, 'nc -e x'],
      ['^nc(at)?\\s+-e', true, 'xnc -e'],
      ['NC\\s+-E', false, 'nc -e'],
      ['.*a.*b', true, 'xxaxxb'],
      ['(a|b)+c', true, 'ababd'],
      ['nc\\s+-e', true, long],
      ['(ab\\s)+nc', true, long],
      ['\\u{1F600}+', true, 'x😀'],
    ];
    for (const [pattern, caseSensitive, text] of cases) {
      const expected = new RegExp(pattern, caseSensitive ? 'u' : 'iu').test(text);
      expect([pattern, text.length, regexTest(pattern, caseSensitive, text)]).toEqual([pattern, text.length, expected]);
    }
  });

  it('throws RegexTimeout past the limit instead of running for minutes', () => {
    const started = Date.now();
    let thrown: unknown;
    try {
      regexTest('^(.*)*x$', true, 'a'.repeat(45));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(RegexTimeout);
    expect((thrown as RegexTimeout).message).toBe(`the regular expression "^(.*)*x$" ran over ${REGEX_TIME_LIMIT_MS} ms on a text of 45 characters`);
    expect(Date.now() - started).toBeLessThan(REGEX_TIME_LIMIT_MS * 10);
    // the same pattern still decides where it does not backtrack
    expect(regexTest('^(.*)*x$', true, 'aax')).toBe(true);
  });

  it('is undecided (RegexTimeout, out of stack) where V8 runs out of stack: a huge text, or a huge pattern at its first search', () => {
    const cases: [string, string][] = [
      ['(?:a|b)*c', 'ab'.repeat(5_000_000)],
      [`${'(?:x)'.repeat(20_000)}y`, 'xx'],
    ];
    for (const [pattern, text] of cases) {
      let thrown: unknown;
      try {
        regexTest(pattern, true, text);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(RegexTimeout);
      expect((thrown as RegexTimeout).outOfStack).toBe(true);
      expect((thrown as RegexTimeout).message).toMatch(new RegExp(`ran out of stack on a text of ${text.length} characters$`));
    }
  });
});

