import { describe, expect, it } from 'vitest';
import { runTests } from '../../../src/eval/run-tests.js';
import { at, check, detection, only } from '../../helpers/det.js';
import { testSource } from '../../helpers/ir-source.js';

const T = (time: string | undefined, name = 'x'): string =>
  JSON.stringify({ rule: 'r', ...(time === undefined ? {} : { time }), output_fields: { 'proc.name': name, 'container.id': 'c1' } });

const THRESHOLD = '  condition: proc.name == "x"\n  threshold: count >= 2 by container.id within 10m';

describe('CorrelationTestTimeRule', () => {
  it('warns (DET4005) at a threshold test whose matching events miss a time or have an invalid one, once per test', () => {
    const body = `${THRESHOLD}\n  test "burst" matches [${T(undefined)}, ${T('yesterday')}]\n  test "one" does not match [${T('2026-11-23T10:00:00Z')}, ${T(undefined)}, ${T(undefined, 'y')}]\n  test "other" does not match [${T(undefined, 'y')}]`;
    const { validation, program } = check(detection('d', body));
    const ds = only(validation, 'DET4005');
    expect(ds.map(at)).toEqual(['DET4005 8:3', 'DET4005 9:3']);
    expect(ds[0]).toMatchObject({
      severity: 'warning',
      message: '2 of the 2 events of test "burst" have no valid `time`: the threshold of d skips them, so the test does not depend on the condition for them',
    });
    // only events the condition matches count: an untimed "y" would not count anyway ("other": no warning)
    expect(ds[1]!.message).toMatch(/^1 of the 3 events of test "one" has no valid `time`: the threshold of d skips it/);
    // what the warning is about: the evaluator skips those events, so "burst" cannot fire
    expect(runTests(program, testSource()).map((t) => [t.test, t.alerts])).toEqual([
      ['burst', 0],
      ['one', 0],
      ['other', 0],
    ]);
  });

  it('accepts timed events, and says nothing for a filter detection or a sequence whose events all have a time', () => {
    const timed = `${THRESHOLD}\n  test "burst" matches [${T('2026-11-23T10:00:00Z')}, ${T('2026-11-23T10:01:00.123456789+02:00')}]`;
    expect(only(check(detection('d', timed)).validation, 'DET4005')).toEqual([]);
    const filter = `  condition: proc.name == "x"\n  test "one" matches ${T(undefined)}`;
    expect(only(check(detection('d', filter)).validation, 'DET4005')).toEqual([]);
    const sequence = `  sequence by container.id within 1m {\n    step a: proc.name == "a"\n    step b: proc.name == "b"\n  }\n  test "ab" matches [${T('2026-11-23T10:00:00Z', 'a')}, ${T('2026-11-23T10:00:01Z', 'b')}]`;
    expect(only(check(detection('d', sequence)).validation, 'DET4005')).toEqual([]);
    const untimedSequence = sequence.replace('"2026-11-23T10:00:01Z"', '1732356001');
    expect(only(check(detection('d', untimedSequence)).validation, 'DET4005').map(at)).toEqual(['DET4005 10:3']);
  });
});
