import { describe, expect, it } from 'vitest';
import { runTests } from '../../src/eval/run-tests.js';
import { IR_VERSION, type Program } from '../../src/ir/types.js';
import { alert, cmp, detection, field, source, span, testCase } from './ir.js';

const shell = alert({ rule: 'Terminal shell in container', time: '2024-01-01T00:00:00Z' }, { 'proc.name': 'sh', 'container.id': 'a' });
const bash = alert({ rule: 'Terminal shell in container', time: '2024-01-01T00:00:01Z' }, { 'proc.name': 'bash', 'container.id': 'a' });

describe('runTests', () => {
  it('passes match cases that raise alerts and no-match cases that raise none, sorted by detection', () => {
    const laterSpan = { ...span, start: { offset: 10, line: 3, column: 3 } };
    const program: Program = {
      irVersion: IR_VERSION,
      source: 'falco',
      detections: [
        detection('z_shell', { kind: 'filter', condition: cmp('eq', 'proc.name', 'sh') }, [
          testCase('two shells', 'match', [shell, bash, shell]),
          testCase('bash only', 'no-match', [bash]),
          { ...testCase('wrongly expects a match', 'match', [bash]), span: laterSpan },
          testCase('wrongly expects none', 'no-match', [shell]),
          testCase('no events', 'no-match', []),
        ]),
        detection(
          'a_burst',
          { kind: 'threshold', condition: cmp('eq', 'rule', 'Terminal shell in container'), by: [field('container.id')], window: 60, count: 2 },
          [testCase('burst', 'match', [shell, bash]), testCase('single', 'match', [shell])],
        ),
      ],
    };
    expect(runTests(program, source)).toEqual([
      { detection: 'a_burst', test: 'burst', expect: 'match', passed: true, alerts: 1, span },
      { detection: 'a_burst', test: 'single', expect: 'match', passed: false, alerts: 0, span, why: expect.objectContaining({ kind: 'threshold', matching: [0], count: 2 }) },
      { detection: 'z_shell', test: 'two shells', expect: 'match', passed: true, alerts: 2, span },
      { detection: 'z_shell', test: 'bash only', expect: 'no-match', passed: true, alerts: 0, span },
      // a failed case says why (see test/eval/explain.test.ts)
      { detection: 'z_shell', test: 'wrongly expects a match', expect: 'match', passed: false, alerts: 0, span: laterSpan, why: expect.objectContaining({ kind: 'events' }) },
      { detection: 'z_shell', test: 'wrongly expects none', expect: 'no-match', passed: false, alerts: 1, span, why: expect.objectContaining({ kind: 'events' }) },
      { detection: 'z_shell', test: 'no events', expect: 'no-match', passed: true, alerts: 0, span },
    ]);
  });

  it('returns nothing for a program without tests', () => {
    const program: Program = {
      irVersion: IR_VERSION,
      source: 'falco',
      detections: [detection('x', { kind: 'filter', condition: cmp('eq', 'proc.name', 'sh') })],
    };
    expect(runTests(program, source)).toEqual([]);
  });

  it('leaves a case undecided (not passed) when a regex backtracks past its time limit, and goes on with the next', () => {
    const slow = alert({ rule: 'r', time: '2024-01-01T00:00:00Z' }, { 'proc.cmdline': 'a'.repeat(45) });
    const quick = alert({ rule: 'r', time: '2024-01-01T00:00:00Z' }, { 'proc.cmdline': 'ax' });
    const program: Program = {
      irVersion: IR_VERSION,
      source: 'falco',
      detections: [
        detection('x', { kind: 'filter', condition: cmp('regex', 'proc.cmdline', '^(.*)*x$') }, [
          testCase('slow', 'no-match', [slow]),
          testCase('quick', 'match', [quick]),
        ]),
      ],
    };
    const results = runTests(program, source);
    expect(results.map((r) => [r.test, r.passed, r.undecided?.message])).toEqual([
      ['slow', false, 'the regular expression "^(.*)*x$" ran over 1000 ms on a text of 45 characters'],
      ['quick', true, undefined],
    ]);
  });
});
