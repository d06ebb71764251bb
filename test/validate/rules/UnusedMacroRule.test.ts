import { describe, expect, it } from 'vitest';
import { at, check, detection, only } from '../../helpers/det.js';

describe('UnusedMacroRule', () => {
  it('warns about a macro nothing refers to (DET3013) at its name', () => {
    const { validation } = check('macro lonely = proc.name == "x"\n' + detection('d', '  condition: proc.name == "y"'));
    const ds = only(validation, 'DET3013');
    expect(ds.map(at)).toEqual(['DET3013 1:7']);
    expect(ds[0]).toMatchObject({ severity: 'warning', message: 'macro `lonely` is never used' });
    expect(ds[0]!.hint).toContain('remove it');
  });

  it('counts uses in conditions, sequence steps and other macros', () => {
    const text =
      'macro a = proc.name == "a"\nmacro b = proc.name == "b"\nmacro c = b\nmacro d = proc.name == "d"\n' +
      detection('one', '  condition: a') +
      detection('two', '  sequence within 1m {\n    step s1: c\n    step s2: d\n  }', 'bbbbbbbb-4c1b-4f0a-9a57-0c3b8e7b9d11');
    expect(only(check(text).validation, 'DET3013')).toEqual([]);
  });
});
