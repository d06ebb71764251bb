import { describe, expect, it } from 'vitest';
import { isUnder, unsafePathReason } from '../../src/emit/paths.js';

describe('unsafePathReason', () => {
  it('accepts plain relative paths', () => {
    expect(unsafePathReason('elastic/lucene/x.lucene')).toBeUndefined();
    expect(unsafePathReason('a..b/c')).toBeUndefined();
    expect(unsafePathReason('.hidden/x')).toBeUndefined(); // not the fast path's shape, still safe
  });

  it.each(['', '../x', 'a/../../x', '/abs', 'C:/x', 'a\\b', 'a//b', './a', 'a/.', 'a\0b', 'a/..', '..', '.', 'a/', 'x/C:/y/..'])('rejects %j', (p) => {
    expect(unsafePathReason(p)).toBeTypeOf('string');
  });
});

describe('isUnder', () => {
  it('matches whole path segments only', () => {
    expect(isUnder('ir/program.json', 'ir')).toBe(true);
    expect(isUnder('irx/program.json', 'ir')).toBe(false);
    expect(isUnder('elastic/lucene/a', 'elastic/lucene')).toBe(true);
    expect(isUnder('elastic/kibana/a', 'elastic/lucene')).toBe(false);
  });
});
