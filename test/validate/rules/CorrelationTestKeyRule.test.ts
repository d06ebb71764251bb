import { describe, expect, it } from 'vitest';
import { runTests } from '../../../src/eval/run-tests.js';
import { at, check, detection, only } from '../../helpers/det.js';
import { testSource } from '../../helpers/ir-source.js';

const E = (name: string, container: string | null | undefined, second = 0): string =>
  JSON.stringify({
    rule: 'r',
    time: `2026-11-23T10:00:0${second}Z`,
    output_fields: { 'proc.name': name, ...(container === undefined ? {} : { 'container.id': container }) },
  });

const THRESHOLD = '  condition: proc.name == "x"\n  threshold: count >= 2 by container.id within 10m';

describe('CorrelationTestKeyRule', () => {
  it('warns (DET4006) at a test whose matching events lack a `by` field (absent or null), once per test', () => {
    const body = `${THRESHOLD}\n  test "burst" matches [${E('x', undefined)}, ${E('x', null, 1)}]\n  test "one" does not match [${E('x', 'c1')}, ${E('x', undefined, 1)}, ${E('y', undefined, 2)}]\n  test "other" does not match [${E('y', undefined)}]`;
    const { validation, program } = check(detection('d', body));
    const ds = only(validation, 'DET4006');
    expect(ds.map(at)).toEqual(['DET4006 8:3', 'DET4006 9:3']);
    expect(ds[0]).toMatchObject({
      severity: 'warning',
      message: '2 of the 2 events of test "burst" lack `container.id`: the threshold of d groups by it and skips those events, so the test does not depend on the condition for them',
      hint: 'give every event the `by` field (container.id), as the alerts of the Falco rule carry it',
    });
    // only events the condition matches count: a keyless "y" would not count anyway ("other")
    expect(ds[1]!.message).toMatch(/^1 of the 3 events of test "one" lacks `container\.id`: /);
    // what the warning is about: the evaluator skips those events, so "burst" cannot fire
    expect(runTests(program, testSource()).map((t) => [t.test, t.alerts])).toEqual([
      ['burst', 0],
      ['one', 0],
      ['other', 0],
    ]);
  });

  it('says nothing when every matching event carries the keys (the empty string is a value), without keys, or for filters', () => {
    const keyed = `${THRESHOLD}\n  test "burst" matches [${E('x', 'c1')}, ${E('x', '', 1)}, ${E('y', undefined, 2)}]`;
    expect(only(check(detection('d', keyed)).validation, 'DET4006')).toEqual([]);
    const unkeyed = `  condition: proc.name == "x"\n  threshold: count >= 2 within 10m\n  test "burst" matches [${E('x', undefined)}, ${E('x', undefined, 1)}]`;
    expect(only(check(detection('d', unkeyed)).validation, 'DET4006')).toEqual([]);
    const filter = `  condition: proc.name == "x"\n  test "one" matches ${E('x', undefined)}`;
    expect(only(check(detection('d', filter)).validation, 'DET4006')).toEqual([]);
    const sequence = `  sequence by container.id within 1m {\n    step a: proc.name == "a"\n    step b: proc.name == "b"\n  }\n  test "ab" does not match [${E('a', 'c1')}, ${E('b', undefined, 1)}]`;
    expect(only(check(detection('d', sequence)).validation, 'DET4006').map(at)).toEqual(['DET4006 10:3']);
  });

  it('skips a detection with a regex the evaluator cannot compile (DET3005 says why) instead of crashing', () => {
    // a keyless and an untimed event: DET4006 and DET4005 would evaluate the condition on them
    const untimed = JSON.stringify({ rule: 'r', output_fields: { 'proc.name': 'x', 'container.id': 'c1' } });
    const body = `  condition: proc.name regex "a(" or proc.name == "x"\n  threshold: count >= 2 by container.id within 10m\n  test "burst" matches [${E('x', undefined)}, ${untimed}]`;
    const { validation } = check(detection('d', body));
    expect(validation.filter((d) => ['DET3005', 'DET4005', 'DET4006'].includes(d.code)).map((d) => d.code)).toEqual(['DET3005']);
  });

  it('skips a detection whose regex backtracks past its time limit on a test event (DET4007 in detect test), without hanging', () => {
    const slow = JSON.stringify({ rule: 'r', output_fields: { 'proc.cmdline': 'a'.repeat(45) } });
    const body = `  condition: proc.cmdline regex "^(.*)*x$"\n  threshold: count >= 2 by container.id within 10m\n  test "slow" does not match [${slow}]`;
    const started = Date.now();
    const { validation } = check(detection('d', body));
    expect(only(validation, 'DET4006')).toEqual([]);
    expect(only(validation, 'DET4005')).toEqual([]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

