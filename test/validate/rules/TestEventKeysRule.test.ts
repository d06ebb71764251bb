import { describe, expect, it } from 'vitest';
import { runTests } from '../../../src/eval/run-tests.js';
import { builtinSource } from '../../../src/source/load.js';
import { nearSpelling } from '../../../src/validate/rules/TestEventKeysRule.js';
import { at, check, detection, only } from '../../helpers/det.js';
import { testSource } from '../../helpers/ir-source.js';

const CONDITION = '  condition: rule == "x" and not proc.name in ["sh"]';

/** DET4008 of a detection `d` with `CONDITION` and `tests` (its first test on line 7). */
function warnings(tests: string[], options: Parameters<typeof check>[1] = {}) {
  const result = check(detection('d', [CONDITION, ...tests].join('\n')), options);
  return { ds: only(result.validation, 'DET4008'), program: result.program };
}

describe('TestEventKeysRule', () => {
  it('warns (DET4008) at a test whose event holds a field the detection reads under a near spelling, and the test then checks nothing', () => {
    const { ds, program } = warnings([
      'test "typo" matches {"rule": "x", "output_fields": {"proc.nmae": "sh"}}',
      'test "case" does not match {"Rule": "x", "output_fields": {"proc.name": "sh"}}',
    ].map((t) => `  ${t}`));
    expect(ds.map(at)).toEqual(['DET4008 7:3', 'DET4008 8:3']);
    expect(ds[0]).toMatchObject({
      severity: 'warning',
      message: 'event 1 of test "typo" has no `proc.name`, which d reads, but `proc.nmae` in `output_fields`: the evaluator reads `proc.name` as missing',
      hint: 'a Falco alert has `proc.name` in `output_fields`; rename or move the key',
    });
    expect(ds[1]!.message).toBe('event 1 of test "case" has no `rule`, which d reads, but `Rule` at the top level: the evaluator reads `rule` as missing');
    // what the warning is about: both pass, though "sh" is the one name the condition excludes
    expect(runTests(program, testSource()).map((t) => [t.test, t.passed])).toEqual([
      ['typo', true],
      ['case', true],
    ]);
  });

  it('warns at a field put in the wrong place: flattened at the top level, or a top-level key under output_fields', () => {
    const { ds } = warnings([
      '  test "flat" does not match [{"rule": "x", "output_fields": {}}, {"rule": "x", "proc.name": "sh"}]',
      '  test "moved" does not match {"output_fields": {"rule": "x", "proc.name": "sh"}}',
    ]);
    expect(ds.map((d) => d.message)).toEqual([
      'event 2 of test "flat" has no `proc.name`, which d reads, but `proc.name` at the top level: the evaluator reads `proc.name` as missing',
      'event 1 of test "moved" has no `rule`, which d reads, but `rule` in `output_fields`: the evaluator reads `rule` as missing',
    ]);
    expect(ds[0]!.hint).toBe("a Falco alert has `proc.name` in `output_fields`; rename or move the key (Falcosidekick's flattened keys are not Falco's JSON)");
  });

  it('names the events, by line for a file test, and says "every event" when all of several have it', () => {
    const event = (key: string): string => JSON.stringify({ rule: 'x', output_fields: { [key]: 'sh' } });
    const ndjson = ['', event('proc.nmae'), event('proc.name'), event('proc.nmae')].join('\n');
    const { ds } = warnings(
      ['  test "file" does not match file "e.ndjson"', `  test "all" does not match [${event('proc.nmae')}, ${event('proc.nmae')}]`],
      { readFile: () => ndjson },
    );
    expect(ds.map((d) => d.message.split(/ no `/)[0])).toEqual(['line 2, line 4 of test "file" have', 'every event of test "all" has']);
    // a near spelling is another case or two neighbours swapped, nothing else
    expect([['proc.nmae', 'proc.name'], ['PROC.NAME', 'proc.name'], ['proc.naem', 'proc.name'], ['proc.nam', 'proc.name'], ['proc.vpid', 'proc.pid'], ['proc.nmea', 'proc.name'], ['proc.name', 'proc.name']].map(([a, b]) => nearSpelling(a!, b!))).toEqual([
      true, true, true, false, false, false, false,
    ]);
  });

  it('says nothing of keys the detection does not read, of real fields it does not declare, or when the field is there (null included)', () => {
    const { ds } = warnings([
      // fd.nmae: not read by the condition; proc.vpid: far from proc.name
      '  test "unread" does not match {"rule": "x", "output_fields": {"proc.name": "sh", "fd.nmae": "/x"}}',
      '  test "other fields" matches {"rule": "x", "output_fields": {"proc.vpid": 3, "evt.num": 1}}',
      '  test "null" matches {"rule": "x", "output_fields": {"proc.name": null, "proc.nmae": "sh"}}',
    ]);
    expect(ds).toEqual([]);
    // a field the source declares is not a misspelling of a near one (proc.pname of proc.name)
    const declared = warnings(['  test "declared" matches {"rule": "x", "output_fields": {"proc.pname": "sh"}}'], { source: builtinSource() });
    expect(declared.ds).toEqual([]);
    // Falco's own fields a letter apart (proc.vpid, proc.sid for proc.pid; container.ip for container.id) are no misspellings
    const real = check(
      detection('d', [
        '  condition: proc.pid > 1 and container.id != "host"',
        '  test "real" does not match {"rule": "x", "output_fields": {"proc.vpid": 1, "proc.sid": 2, "container.ip": "10.0.0.1"}}',
      ].join('\n')),
    );
    expect(only(real.validation, 'DET4008')).toEqual([]);
  });

  it('looks for the `by` keys of a correlation and the fields of each sequence step', () => {
    const body = [
      '  sequence by container.id within 1m {',
      '    step a: proc.name == "a"',
      '    step b: fd.name == "/etc/shadow"',
      '  }',
      `  test "ab" matches ${JSON.stringify({ rule: 'x', time: '2026-11-23T10:00:00Z', output_fields: { 'proc.name': 'a', 'container.di': 'c1', 'fd.anme': '/etc/shadow' } })}`,
    ].join('\n');
    const ds = only(check(detection('d', body)).validation, 'DET4008');
    expect(ds.map((d) => d.message.replace(/, which .*/, ''))).toEqual(['event 1 of test "ab" has no `container.id`', 'event 1 of test "ab" has no `fd.name`']);
  });
});

describe('TestEventKeysRule with fields named like Object.prototype properties', () => {
  it('does not take an inherited property (`constructor` of `{}`) for a key the event holds', () => {
    const base = testSource();
    const odd = ['constructor', 'toString'].map((name) => ({ name, type: 'string' as const, description: name, location: { in: 'output_fields' as const, key: name }, column: `Odd_${name}` }));
    const source = { ...base, fields: [...base.fields, ...odd] };
    const text = detection('d', ['  condition: rule == "x" and not constructor == "a" and not toString == "b"', '  test "c" matches {"rule": "x"}'].join('\n'));
    expect(only(check(text, { source }).validation, 'DET4008')).toEqual([]);
  });
});
