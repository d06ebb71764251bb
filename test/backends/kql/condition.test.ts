import { describe, expect, it } from 'vitest';
import { ConditionCompiler } from '../../../src/backends/kql/condition.js';
import type { CompareCondition, Condition, FieldRef, FieldType, InCondition, Scalar } from '../../../src/ir/types.js';
import { sp } from '../../helpers/ast-factory.js';

const COLUMNS: Record<string, string> = {
  'proc.name': 'ProcessName',
  'user.uid': 'UserUid',
  'container.privileged': 'ContainerPrivileged',
  tags: 'Tags',
  time: 'TimeGenerated',
};
const TYPES: Record<string, FieldType> = { 'proc.name': 'string', 'user.uid': 'number', 'container.privileged': 'boolean', tags: 'string[]', time: 'timestamp' };
const f = (name: string): FieldRef => ({ name, type: TYPES[name] as FieldType });
const cmp = (name: string, op: CompareCondition['op'], value: Scalar, caseSensitive = true, line = 1): CompareCondition => ({
  kind: 'compare', op, field: f(name), value, caseSensitive, span: sp(line, 3, 5),
});
const inList = (name: string, values: Scalar[], caseSensitive = true): InCondition => ({ kind: 'in', field: f(name), values, caseSensitive, span: sp(1, 1) });
const compiler = (): ConditionCompiler => new ConditionCompiler((field) => COLUMNS[field.name] as string);
const text = (c: Condition): string => {
  const r = compiler().compile(c);
  expect(r.problems).toEqual([]);
  return r.predicate!.text;
};
const refusal = (c: Condition): string => {
  const r = compiler().compile(c);
  expect(r.predicate).toBeUndefined();
  expect(r.problems).toHaveLength(1);
  return r.problems[0]!.reason;
};

describe('string comparisons', () => {
  it('are case-sensitive by default and use the case-insensitive operators for nocase', () => {
    expect(text(cmp('proc.name', 'eq', 'nc'))).toBe('ProcessName == "nc"');
    expect(text(cmp('proc.name', 'eq', 'nc', false))).toBe('ProcessName =~ "nc"');
    expect(text(cmp('proc.name', 'contains', 'nc'))).toBe('ProcessName contains_cs "nc"');
    expect(text(cmp('proc.name', 'contains', 'nc', false))).toBe('ProcessName contains "nc"');
    expect(text(cmp('proc.name', 'startswith', 'nc'))).toBe('ProcessName startswith_cs "nc"');
    expect(text(cmp('proc.name', 'startswith', 'nc', false))).toBe('ProcessName startswith "nc"');
    expect(text(cmp('proc.name', 'endswith', 'nc'))).toBe('ProcessName endswith_cs "nc"');
    expect(text(cmp('proc.name', 'endswith', 'nc', false))).toBe('ProcessName endswith "nc"');
    expect(text(inList('proc.name', ['nc', 'ncat']))).toBe('ProcessName in ("nc", "ncat")');
    expect(text(inList('proc.name', ['nc', 'ncat'], false))).toBe('ProcessName in~ ("nc", "ncat")');
  });

  it('guard != and regex so a missing field never matches, and use isnotempty for exists', () => {
    expect(text(cmp('proc.name', 'ne', 'nc'))).toBe('isnotempty(ProcessName) and ProcessName != "nc"');
    expect(text(cmp('proc.name', 'ne', 'nc', false))).toBe('isnotempty(ProcessName) and ProcessName !~ "nc"');
    expect(text(cmp('proc.name', 'regex', '^n[ac]$'))).toBe('isnotempty(ProcessName) and ProcessName matches regex "^n[ac]$"');
    expect(text(cmp('proc.name', 'regex', 'x', false))).toBe('isnotempty(ProcessName) and ProcessName matches regex "(?i)x"');
    expect(text({ kind: 'exists', field: f('proc.name'), span: sp(1, 1) })).toBe('isnotempty(ProcessName)');
    expect(text(cmp('proc.name', 'ne', ''))).toBe('isnotempty(ProcessName)');
    expect(text(cmp('proc.name', 'contains', ''))).toBe('isnotempty(ProcessName)');
  });

  it('never use has_cs (whole terms are not substrings)', () => {
    for (const op of ['eq', 'ne', 'contains', 'startswith', 'endswith', 'regex'] as const) {
      expect(text(cmp('proc.name', op, 'bash_history'))).not.toMatch(/\bhas/);
    }
  });

  it('refuse comparisons with the empty string, which Sentinel cannot tell from a missing field', () => {
    expect(refusal(cmp('proc.name', 'eq', ''))).toMatch(/empty string/);
    expect(refusal(inList('proc.name', ['a', '']))).toMatch(/empty string/);
  });

  it('turn regular expressions into exact KQL patterns or refuse them', () => {
    expect(text(cmp('proc.name', 'regex', 'a.b'))).toContain(String.raw`@"a[^\n\r\x{2028}\x{2029}]b"`);
    expect(text(cmp('proc.name', 'regex', String.raw`^nc\d+$`))).toContain('matches regex "^nc[0-9]+$"');
    expect(refusal(cmp('proc.name', 'regex', String.raw`\p{L}`))).toMatch(/no exact KQL equivalent/);
    // a word boundary is refused, with nocase with its own reason
    const plain = compiler().compile(cmp('proc.name', 'regex', String.raw`\bnc\b`));
    expect(plain.problems).toEqual([{ span: expect.anything(), reason: expect.stringMatching(/no exact KQL equivalent: `\\b` is a word boundary/), hint: expect.stringContaining('[^A-Za-z0-9_]') }]);
    const r = compiler().compile(cmp('proc.name', 'regex', String.raw`\bnc\b`, false));
    expect(r.problems).toEqual([{ span: expect.anything(), reason: expect.stringMatching(/no exact KQL equivalent: `\\b` with `nocase`/), hint: expect.stringContaining('drop `nocase`') }]);
  });
});

describe('number, boolean and list comparisons', () => {
  it('guard with isnotnull so every atom is true or false', () => {
    expect(text(cmp('user.uid', 'ge', 1000))).toBe('isnotnull(UserUid) and UserUid >= 1000');
    expect(text(cmp('user.uid', 'ne', 0))).toBe('isnotnull(UserUid) and UserUid != 0');
    expect(text(cmp('user.uid', 'lt', 2.5))).toBe('isnotnull(UserUid) and UserUid < real(2.5)');
    expect(text(inList('user.uid', [0, 1]))).toBe('isnotnull(UserUid) and UserUid in (0, 1)');
    expect(text(cmp('container.privileged', 'eq', true))).toBe('isnotnull(ContainerPrivileged) and ContainerPrivileged == true');
    expect(text({ kind: 'exists', field: f('user.uid'), span: sp(1, 1) })).toBe('isnotnull(UserUid)');
  });

  it('test list elements with set_has_element, case-sensitively only', () => {
    expect(text(cmp('tags', 'eq', 'container'))).toBe('coalesce(set_has_element(Tags, "container"), false)');
    expect(text(cmp('tags', 'ne', 'container'))).toBe('isnotnull(Tags) and not(coalesce(set_has_element(Tags, "container"), false))');
    expect(text(inList('tags', ['a', 'b']))).toBe('coalesce(set_has_element(Tags, "a"), false) or coalesce(set_has_element(Tags, "b"), false)');
    expect(refusal(cmp('tags', 'eq', 'container', false))).toMatch(/case-insensitive/);
    // `[]` is present for the evaluator, and dropped by Falcosidekick's CEF output
    expect(refusal({ kind: 'exists', field: f('tags'), span: sp(1, 1) })).toMatch(/CEF output leaves an empty list out/);
  });

  it('compile values of another type to false, as the evaluator compares JSON types', () => {
    expect(text(cmp('user.uid', 'eq', '0'))).toBe('false');
    expect(text(inList('proc.name', [1, 2]))).toBe('false');
  });

  it('refuse conditions on timestamps', () => {
    expect(refusal(cmp('time', 'ge', '2024-01-01T00:00:00Z'))).toMatch(/timestamp field `time`/);
    expect(refusal({ kind: 'exists', field: f('time'), span: sp(1, 1) })).toMatch(/timestamp/);
  });
});

describe('and, or, not', () => {
  const a = cmp('proc.name', 'eq', 'a');
  const b = cmp('proc.name', 'ne', 'b');
  const c = cmp('user.uid', 'gt', 1);

  it('keep precedence with parentheses where needed', () => {
    expect(text({ kind: 'and', args: [a, { kind: 'or', args: [b, c] }] })).toBe(
      'ProcessName == "a" and ((isnotempty(ProcessName) and ProcessName != "b") or (isnotnull(UserUid) and UserUid > 1))',
    );
    expect(text({ kind: 'or', args: [a, { kind: 'and', args: [b, c] }] })).toBe(
      'ProcessName == "a" or (isnotempty(ProcessName) and ProcessName != "b" and isnotnull(UserUid) and UserUid > 1)',
    );
    expect(text({ kind: 'not', arg: { kind: 'or', args: [a, b] } })).toBe('not(ProcessName == "a" or (isnotempty(ProcessName) and ProcessName != "b"))');
  });

  it('write an operand an and (or an or) repeats once', () => {
    const exists: Condition = { kind: 'exists', field: f('proc.name'), span: sp(1, 1) };
    // `proc.name exists and proc.name != "b"`: the != guard is the exists test
    expect(text({ kind: 'and', args: [exists, b] })).toBe('isnotempty(ProcessName) and ProcessName != "b"');
    expect(text({ kind: 'and', args: [b, { kind: 'and', args: [exists, a, b] }] })).toBe('isnotempty(ProcessName) and ProcessName != "b" and ProcessName == "a"');
    expect(text({ kind: 'or', args: [a, { kind: 'or', args: [c, a] }] })).toBe('ProcessName == "a" or (isnotnull(UserUid) and UserUid > 1)');
    expect(text({ kind: 'and', args: [{ kind: 'or', args: [a, c] }, { kind: 'or', args: [a, c] }] })).toBe('ProcessName == "a" or (isnotnull(UserUid) and UserUid > 1)');
    expect(text({ kind: 'or', args: [a, a] })).toBe('ProcessName == "a"');
    // not the same: kept
    expect(text({ kind: 'and', args: [a, { kind: 'not', arg: a }] })).toBe('ProcessName == "a" and not(ProcessName == "a")');
  });

  it('negate list element tests safely: a missing list (dynamic(null)) holds no element, whatever set_has_element makes of null', () => {
    const tag = cmp('tags', 'eq', 'x');
    expect(text({ kind: 'not', arg: tag })).toBe('not(coalesce(set_has_element(Tags, "x"), false))');
    expect(text({ kind: 'not', arg: inList('tags', ['x']) })).toBe('not(coalesce(set_has_element(Tags, "x"), false))');
    expect(text({ kind: 'not', arg: inList('tags', ['x', 'y']) })).toBe('not(coalesce(set_has_element(Tags, "x"), false) or coalesce(set_has_element(Tags, "y"), false))');
    // every atom under `not` is a guarded or never-null comparison: no bare set_has_element
    const all: Condition = { kind: 'or', args: [tag, cmp('tags', 'ne', 'y'), inList('tags', ['a', 'b']), a, b, c, cmp('container.privileged', 'eq', true), inList('user.uid', [1])] };
    expect(text({ kind: 'not', arg: all }).replace(/coalesce\(set_has_element\(Tags, "[a-z]"\), false\)/g, '')).not.toContain('set_has_element');
  });

  it('list the atoms of a predicate', () => {
    const r = compiler().compile({ kind: 'and', args: [a, { kind: 'not', arg: { kind: 'or', args: [b, c] } }] });
    expect(r.predicate!.atoms.map((x) => x.text)).toEqual(['ProcessName == "a"', 'isnotempty(ProcessName) and ProcessName != "b"', 'isnotnull(UserUid) and UserUid > 1']);
  });

  it('report every refused part, at its span', () => {
    const r = compiler().compile({ kind: 'and', args: [cmp('proc.name', 'eq', '', true, 4), cmp('time', 'eq', 'x', true, 7)] });
    expect(r.problems.map((p) => p.span.start.line)).toEqual([4, 7]);
  });

  it('compile a shared (macro) condition once', () => {
    const comp = compiler();
    const shared = cmp('proc.name', 'eq', 'x');
    expect(comp.compile(shared)).toBe(comp.compile(shared));
  });
});
