import { describe, expect, it } from 'vitest';
import { at, check, detection } from '../../helpers/det.js';

function testDiagnostics(tests: string) {
  const { validation } = check(detection('d', `  condition: proc.name == "x"\n${tests}`));
  return validation.filter((d) => d.code === 'DET3014' || d.code === 'DET3015');
}

describe('TestsPresentRule', () => {
  it('is quiet with a must-match and a must-not-match test', () => {
    expect(testDiagnostics('  test "a" matches { "x": 1 }\n  test "b" does not match { "x": 2 }')).toEqual([]);
  });

  it('warns about a detection without tests (DET3014) at its name', () => {
    const ds = testDiagnostics('');
    expect(ds.map(at)).toEqual(['DET3014 1:11']);
    expect(ds[0]).toMatchObject({ severity: 'warning', message: 'detection `d` has no tests' });
  });

  it('warns about a missing must-not-match test (DET3015)', () => {
    const ds = testDiagnostics('  test "a" matches { }');
    expect(ds.map(at)).toEqual(['DET3015 1:11']);
    expect(ds[0]).toMatchObject({ severity: 'warning', message: 'detection `d` has no test that must not match' });
  });

  it('warns about a missing must-match test (DET3015)', () => {
    const ds = testDiagnostics('  test "b" does not match { }');
    expect(ds.map(at)).toEqual(['DET3015 1:11']);
    expect(ds[0]!.message).toBe('detection `d` has no test that must match');
  });
});
