import { describe, expect, it } from 'vitest';
import { at, check, detection } from '../../helpers/det.js';

function typeDiagnostics(condition: string, prefix = '') {
  const { validation, diagnostics } = check(prefix + detection('d', `  condition: ${condition}`));
  expect(diagnostics).toEqual([]);
  return validation.filter((d) => d.code === 'DET3004' || d.code === 'DET3016');
}

describe('TypeMismatchRule', () => {
  it('accepts values and operators that fit the field types', () => {
    expect(
      typeDiagnostics(
        'proc.pid >= 10 and proc.name contains "a" and container.privileged == true and tags == "x" and tags in ["a"] and time > "2024-05-01T12:00:00Z" and proc.pid in [1, 2]',
      ),
    ).toEqual([]);
  });

  it('reports a string on a number field (DET3004) at the value', () => {
    const ds = typeDiagnostics('proc.pid == "1234"');
    expect(ds.map(at)).toEqual(['DET3004 6:26']);
    expect(ds[0]).toMatchObject({
      severity: 'error',
      message: '`proc.pid` is a number field, but the value is the string "1234"',
      hint: 'remove the quotes: 1234',
    });
  });

  it('reports a number on a string field (DET3004)', () => {
    const ds = typeDiagnostics('proc.name == 7');
    expect(ds.map(at)).toEqual(['DET3004 6:27']);
    expect(ds[0]!.message).toBe('`proc.name` is a string field, but the value is the number 7');
    expect(ds[0]!.hint).toBe('put the value in quotes: "7"');
  });

  it('reports a list holding values of another type (DET3004) at the list', () => {
    const ds = typeDiagnostics('proc.pid in numbers', 'list numbers = [1, "two", "three"]\n');
    expect(ds.map(at)).toEqual(['DET3004 7:26']);
    expect(ds[0]!.message).toBe('`proc.pid` is a number field, but the list holds 2 values of another type: "two", "three"');
  });

  it('reports a timestamp value that is not a date-time (DET3004)', () => {
    const ds = typeDiagnostics('time > "yesterday"');
    expect(ds.map(at)).toEqual(['DET3004 6:21']);
    expect(ds[0]!.message).toBe('`time` is a timestamp, but "yesterday" is not a date-time');
  });

  it('reports a numeric comparison on a string field (DET3016) at the comparison', () => {
    const ds = typeDiagnostics('proc.name < "m"');
    expect(ds.map(at)).toEqual(['DET3016 6:14']);
    expect(ds[0]).toMatchObject({ severity: 'error', message: '`<` cannot apply to `proc.name`, a string field' });
    expect(ds[0]!.span!.end.column).toBe(29);
  });

  it('reports contains on a number field (DET3016)', () => {
    const ds = typeDiagnostics('proc.pid contains 1');
    expect(ds.map(at)).toEqual(['DET3016 6:14']);
    expect(ds[0]!.message).toBe('`contains` cannot apply to `proc.pid`, a number field');
  });

  it('allows only ==, in and exists on a string[] field (DET3016)', () => {
    const ds = typeDiagnostics('tags != "a" or tags startswith "T"');
    expect(ds.map(at)).toEqual(['DET3016 6:14', 'DET3016 6:29']);
    expect(ds[0]!.hint).toContain('use `==` (some element equals), `in [ … ]` or `exists`');
  });

  it('reports nocase on a number, boolean or timestamp field (DET3016), not on text or list fields', () => {
    const ds = typeDiagnostics('proc.pid == 1 nocase or proc.pid in [1, 2] nocase or proc.name == "NC" nocase or tags == "Shell" nocase');
    expect(ds.map(at)).toEqual(['DET3016 6:14', 'DET3016 6:38']);
    expect(ds[0]).toMatchObject({ message: '`nocase` cannot apply to `proc.pid`, a number field: its values have no case', hint: 'remove `nocase`: it applies to text comparisons only' });
    expect(typeDiagnostics('proc.pid == 1 cased')).toEqual([]);
  });

  it('reports ordering on a boolean field (DET3016)', () => {
    const ds = typeDiagnostics('container.privileged > true');
    expect(ds.map(at)).toEqual(['DET3016 6:14']);
  });

  it('reports a problem inside a macro once, however many detections use it', () => {
    const text =
      'macro m = proc.pid == "x"\n' +
      detection('a', '  condition: m') +
      detection('b', '  condition: m and proc.name == "y"', 'bbbbbbbb-4c1b-4f0a-9a57-0c3b8e7b9d11');
    const { validation } = check(text);
    expect(validation.filter((d) => d.code === 'DET3004').map(at)).toEqual(['DET3004 1:23']);
  });
});
