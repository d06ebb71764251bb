import { describe, expect, it } from 'vitest';
import { at, check, detection, only } from '../../helpers/det.js';

const COND = (c: string) => detection('d', `  condition: ${c}`);

describe('UnusedListRule', () => {
  it('warns about a list nothing refers to (DET3012) at its name', () => {
    const { validation } = check('list unused = ["a"]\n' + COND('proc.name == "x"'));
    const ds = only(validation, 'DET3012');
    expect(ds.map(at)).toEqual(['DET3012 1:6']);
    expect(ds[0]).toMatchObject({ severity: 'warning', message: 'list `unused` is never used' });
    expect(ds[0]!.hint).toContain('`<field> in unused`');
  });

  it('counts uses after `in`, inside list literals, inside other lists and inside macros', () => {
    const text =
      'list a = ["a"]\nlist b = ["b"]\nlist c = [b]\nlist d = ["d"]\nmacro m = proc.name in d\n' +
      COND('proc.name in a or proc.name in [c, "z"] or m');
    expect(only(check(text).validation, 'DET3012')).toEqual([]);
  });

  it('does not count a list naming itself as a use', () => {
    const { validation } = check('list a = ["x", a]\n');
    expect(only(validation, 'DET3012').map(at)).toEqual(['DET3012 1:6']);
  });
});
