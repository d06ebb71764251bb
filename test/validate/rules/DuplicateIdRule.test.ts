import { describe, expect, it } from 'vitest';
import { at, check, detection, only } from '../../helpers/det.js';

const COND = '  condition: proc.name == "x"\n  test "m" matches { }\n  test "n" does not match { }';

describe('DuplicateIdRule', () => {
  it('reports an id used twice (DET3001) at the second id, across files', () => {
    const { validation } = check({
      'a.det': detection('first', COND),
      'b.det': detection('second', COND),
    });
    const ds = only(validation, 'DET3001');
    expect(ds.map(at)).toEqual(['DET3001 3:7']);
    expect(ds[0]).toMatchObject({
      severity: 'error',
      span: { file: 'b.det' },
      message: 'this detection `second` and detection `first` at a.det:1:11 share the id "2f7a1d2e-4c1b-4f0a-9a57-0c3b8e7b9d11": two detections cannot',
    });
    // File order does not tell which one is the copy: the hint says which to change, not "this one".
    expect(ds[0]!.hint).toBe('keep the id on the one already deployed (Sentinel and Kibana key the rule on it) and give the other, the new one, a new UUID (e.g. from `uuidgen | tr A-Z a-z`)');
  });

  it('compares ids case-insensitively', () => {
    const { validation } = check(
      detection('a', COND) + detection('b', COND, '2F7A1D2E-4C1B-4F0A-9A57-0C3B8E7B9D11'),
    );
    expect(only(validation, 'DET3001').map(at)).toEqual(['DET3001 12:7']);
  });

  it('reports a detection name used twice (DET2008) at the second name', () => {
    const { validation } = check(detection('same', COND) + detection('same', COND, 'aaaaaaaa-4c1b-4f0a-9a57-0c3b8e7b9d11'));
    const ds = only(validation, 'DET2008');
    expect(ds.map(at)).toEqual(['DET2008 10:11']);
    expect(ds[0]!.message).toBe('detection `same` is already defined at test.det:1:11');
  });

  it('reports names that differ only in case (DET2008): their files would collide on macOS and Windows', () => {
    const { validation } = check(detection('Shell', COND) + detection('shell', COND, 'aaaaaaaa-4c1b-4f0a-9a57-0c3b8e7b9d11'));
    const ds = only(validation, 'DET2008');
    expect(ds.map(at)).toEqual(['DET2008 10:11']);
    expect(ds[0]!.message).toBe('detection `shell` differs only in case from `Shell` (test.det:1:11): their files would be one file on macOS and Windows');
  });

  it('says nothing when ids and names differ', () => {
    const { validation } = check(detection('a', COND) + detection('b', COND, 'aaaaaaaa-4c1b-4f0a-9a57-0c3b8e7b9d11'));
    expect(validation.filter((d) => d.code === 'DET3001' || d.code === 'DET2008')).toEqual([]);
  });
});
