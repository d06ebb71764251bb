import { describe, expect, it } from 'vitest';
import { didYouMean, levenshtein, suggest } from '../../src/diagnostics/suggest.js';

describe('levenshtein', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(levenshtein('', '')).toBe(0);
    expect(levenshtein('abc', '')).toBe(3);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('proc.cmdline', 'proc.cmdlin')).toBe(1);
    expect(levenshtein('flaw', 'lawn')).toBe(2);
  });
});

describe('suggest', () => {
  const fields = ['proc.name', 'proc.cmdline', 'proc.pid', 'container.id', 'fd.name'];

  it('suggests the closest candidate within max(2, len/3)', () => {
    expect(suggest('proc.cmdlin', fields)).toBe('proc.cmdline');
    expect(suggest('proc.nmae', fields)).toBe('proc.name');
    expect(suggest('containr.id', fields)).toBe('container.id');
  });

  it('compares case-insensitively', () => {
    expect(suggest('Proc.Name', fields)).toBe('proc.name');
    expect(suggest('HIGH', ['high', 'low'])).toBe('high');
  });

  it('suggests nothing when nothing is close, or for short unrelated words', () => {
    expect(suggest('zzzzzz', fields)).toBeUndefined();
    expect(suggest('nc', ['sh', 'id'])).toBeUndefined();
    expect(suggest('x', [])).toBeUndefined();
  });

  it('breaks ties alphabetically, whatever the candidate order', () => {
    expect(suggest('cat', ['hat', 'bat'])).toBe('bat');
    expect(suggest('cat', ['bat', 'hat'])).toBe('bat');
  });

  it('formats a hint or falls back', () => {
    expect(didYouMean('titel', ['title'], 'x')).toBe('did you mean `title`?');
    expect(didYouMean('qqqqqq', ['title'], 'fallback')).toBe('fallback');
  });

  it('suggests nothing for a misspelling far longer than every candidate', () => {
    const long = 'proc.cmdline' + 'x'.repeat(1_000_000);
    expect(suggest(long, ['proc.cmdline', 'proc.name'])).toBeUndefined();
    expect(suggest('proc.cmdlin', ['proc.cmdline', 'proc.name'])).toBe('proc.cmdline');
  });
});
