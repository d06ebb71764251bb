import { describe, expect, it } from 'vitest';
import { alerts } from '../../src/eval/detection.js';
import type { Condition, JsonObject, Match } from '../../src/ir/types.js';
import { alert, cmp, detection, field, source } from './ir.js';

/** An alert at `2024-01-01T00:<mm>:<ss.fraction>Z` given as seconds (and optional nanoseconds) past midnight. */
function at(seconds: number, nanos = 0): string {
  const mm = String(Math.floor(seconds / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return `2024-01-01T00:${mm}:${ss}.${String(nanos).padStart(9, '0')}Z`;
}

function ev(time: string | undefined, outputFields: Record<string, unknown>, rule = 'R'): JsonObject {
  return alert(time === undefined ? { rule } : { rule, time }, outputFields);
}

const run = (match: Match, events: JsonObject[]) => alerts(detection('d', match), events, source);
const positions = (match: Match, events: JsonObject[]) => run(match, events).map((a) => a.events);

describe('alerts: filter', () => {
  it('raises one alert per matching event, in event order', () => {
    const match: Match = { kind: 'filter', condition: cmp('eq', 'proc.name', 'sh') };
    const events = [ev(at(1), { 'proc.name': 'sh' }), ev(at(2), { 'proc.name': 'bash' }), ev(undefined, { 'proc.name': 'sh' })];
    expect(run(match, events)).toEqual([
      { detection: 'd', kind: 'filter', events: [0], key: [] },
      { detection: 'd', kind: 'filter', events: [2], key: [] },
    ]);
    expect(run(match, [])).toEqual([]);
  });
});

describe('alerts: threshold', () => {
  const shell = cmp('eq', 'proc.name', 'sh');
  const threshold = (count: number, window: number, by = ['container.id'], condition: Condition = shell): Match => ({
    kind: 'threshold',
    condition,
    by: by.map(field),
    window,
    count,
  });

  it('alerts when count matching events of one group fall within the window', () => {
    const events = [
      ev(at(0), { 'proc.name': 'sh', 'container.id': 'a' }),
      ev(at(5), { 'proc.name': 'sh', 'container.id': 'b' }),
      ev(at(10), { 'proc.name': 'sh', 'container.id': 'a' }),
      ev(at(15), { 'proc.name': 'bash', 'container.id': 'a' }),
      ev(at(20), { 'proc.name': 'sh', 'container.id': 'a' }),
    ];
    expect(run(threshold(3, 60), events)).toEqual([{ detection: 'd', kind: 'threshold', events: [0, 2, 4], key: ['a'] }]);
    expect(run(threshold(4, 60), events)).toEqual([]);
    expect(positions(threshold(3, 19), events)).toEqual([]);
  });

  it('includes the window boundary, at nanosecond precision', () => {
    const pair = (dt: number, nanos: number) => [ev(at(0), { 'proc.name': 'sh', 'container.id': 'a' }), ev(at(dt, nanos), { 'proc.name': 'sh', 'container.id': 'a' })];
    expect(positions(threshold(2, 60), pair(60, 0))).toEqual([[0, 1]]);
    expect(positions(threshold(2, 60), pair(60, 1))).toEqual([]);
    expect(positions(threshold(2, 60), pair(59, 999_999_999))).toEqual([[0, 1]]);
  });

  it('keeps groups apart, over several key fields', () => {
    const events = [
      ev(at(0), { 'proc.name': 'sh', 'container.id': 'a', 'user.name': 'root' }),
      ev(at(1), { 'proc.name': 'sh', 'container.id': 'a', 'user.name': 'app' }),
      ev(at(2), { 'proc.name': 'sh', 'container.id': 'b', 'user.name': 'root' }),
      ev(at(3), { 'proc.name': 'sh', 'container.id': 'a', 'user.name': 'root' }),
    ];
    expect(run(threshold(2, 60, ['container.id', 'user.name']), events)).toEqual([
      { detection: 'd', kind: 'threshold', events: [0, 3], key: ['a', 'root'] },
    ]);
    expect(positions(threshold(3, 60, ['container.id']), events)).toEqual([[0, 1, 3]]);
    expect(run(threshold(4, 60, []), events)).toEqual([{ detection: 'd', kind: 'threshold', events: [0, 1, 2, 3], key: [] }]);
  });

  it('keys on the same value types only: 1 and "1" are different groups', () => {
    const events = [ev(at(0), { 'proc.name': 'sh', 'user.uid': 1 }), ev(at(1), { 'proc.name': 'sh', 'user.uid': '1' })];
    expect(positions(threshold(2, 60, ['user.uid']), events)).toEqual([]);
  });

  it('skips events lacking a key value or a parseable time', () => {
    const events = [
      ev(at(0), { 'proc.name': 'sh', 'container.id': 'a' }),
      ev(at(1), { 'proc.name': 'sh' }),
      ev(at(2), { 'proc.name': 'sh', 'container.id': null }),
      ev(undefined, { 'proc.name': 'sh', 'container.id': 'a' }),
      ev('yesterday', { 'proc.name': 'sh', 'container.id': 'a' }),
      ev(at(3), { 'proc.name': 'sh', 'container.id': 'a' }),
    ];
    expect(positions(threshold(2, 60), events)).toEqual([[0, 5]]);
    expect(positions(threshold(3, 60), events)).toEqual([]);
  });

  it('orders by time, not by position, and does not reuse events across alerts', () => {
    const events = [
      ev(at(100), { 'proc.name': 'sh', 'container.id': 'a' }),
      ev(at(0), { 'proc.name': 'sh', 'container.id': 'a' }),
      ev(at(101), { 'proc.name': 'sh', 'container.id': 'a' }),
      ev(at(1), { 'proc.name': 'sh', 'container.id': 'a' }),
      ev(at(2), { 'proc.name': 'sh', 'container.id': 'a' }),
    ];
    // In time order: 0s (#1), 1s (#3), 2s (#4), 100s (#0), 101s (#2). Pairs within 10s: {#1, #3},
    // then #4 pairs with nothing, then {#0, #2}. Alerts are sorted by their first event's position.
    expect(positions(threshold(2, 10), events)).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(positions(threshold(1, 10), events)).toEqual([[0], [1], [2], [3], [4]]);
  });

  it('groups by the current name of renamed rules', () => {
    const events = [
      ev(at(0), { 'proc.name': 'sh' }, 'The docker client is executed in a container'),
      ev(at(1), { 'proc.name': 'sh' }, 'Kubernetes Client Tool Launched in Container'),
    ];
    expect(run(threshold(2, 60, ['rule']), events)).toEqual([
      { detection: 'd', kind: 'threshold', events: [0, 1], key: ['Kubernetes Client Tool Launched in Container'] },
    ]);
  });
});

describe('alerts: sequence', () => {
  const opened = cmp('eq', 'evt.type', 'openat');
  const renamed = cmp('eq', 'evt.type', 'rename');
  const deleted = cmp('eq', 'evt.type', 'unlink');
  const sequence = (window: number, steps: Condition[] = [opened, renamed], by = ['container.id']): Match => ({
    kind: 'sequence',
    by: by.map(field),
    window,
    steps: steps.map((condition, i) => ({ name: `s${i}`, condition })),
  });
  const e = (t: string | undefined, type: string | string[], id: unknown = 'a') => ev(t, { 'evt.type': type, 'container.id': id });

  it('alerts when the steps happen in order within the window', () => {
    const events = [e(at(0), 'openat'), e(at(1), 'execve'), e(at(5), 'rename')];
    expect(run(sequence(10), events)).toEqual([{ detection: 'd', kind: 'sequence', events: [0, 2], key: ['a'] }]);
  });

  it('needs the order of the steps', () => {
    expect(positions(sequence(10), [e(at(0), 'rename'), e(at(5), 'openat')])).toEqual([]);
    // Position order does not matter, time order does.
    expect(positions(sequence(10), [e(at(5), 'rename'), e(at(0), 'openat')])).toEqual([[1, 0]]);
  });

  it('breaks ties of equal times by position', () => {
    expect(positions(sequence(10), [e(at(3), 'openat'), e(at(3), 'rename')])).toEqual([[0, 1]]);
    expect(positions(sequence(10), [e(at(3), 'rename'), e(at(3), 'openat')])).toEqual([]);
  });

  it('includes the window boundary, at nanosecond precision', () => {
    expect(positions(sequence(10), [e(at(0), 'openat'), e(at(10), 'rename')])).toEqual([[0, 1]]);
    expect(positions(sequence(10), [e(at(0), 'openat'), e(at(10, 1), 'rename')])).toEqual([]);
    expect(positions(sequence(10, [opened, renamed, deleted]), [e(at(0), 'openat'), e(at(4), 'rename'), e(at(10, 1), 'unlink')])).toEqual([]);
  });

  it('keeps groups apart', () => {
    const events = [e(at(0), 'openat', 'a'), e(at(1), 'rename', 'b'), e(at(2), 'openat', 'b'), e(at(3), 'rename', 'a'), e(at(4), 'rename', 'b')];
    expect(run(sequence(10), events)).toEqual([
      { detection: 'd', kind: 'sequence', events: [0, 3], key: ['a'] },
      { detection: 'd', kind: 'sequence', events: [2, 4], key: ['b'] },
    ]);
  });

  it('lets one event fill only one step', () => {
    const both = cmp('startswith', 'evt.type', 'open');
    // A single event matching both steps is not a sequence; two are.
    expect(positions(sequence(10, [both, both]), [e(at(0), 'openat')])).toEqual([]);
    expect(positions(sequence(10, [both, both]), [e(at(0), 'openat'), e(at(1), 'open')])).toEqual([[0, 1]]);
    expect(positions(sequence(10, [both, both, both]), [e(at(0), 'openat'), e(at(1), 'open')])).toEqual([]);
    expect(positions(sequence(10, [both, both, both]), [e(at(0), 'openat'), e(at(1), 'open'), e(at(2), 'open')])).toEqual([[0, 1, 2]]);
  });

  it('starts from the latest first step that still fits the window', () => {
    const events = [e(at(0), 'openat'), e(at(8), 'openat'), e(at(15), 'rename')];
    expect(positions(sequence(10), events)).toEqual([[1, 2]]);
    expect(positions(sequence(5), events)).toEqual([]);
  });

  it('does not reuse events: after an alert the search starts afresh', () => {
    const events = [e(at(0), 'openat'), e(at(1), 'rename'), e(at(2), 'rename'), e(at(3), 'openat'), e(at(4), 'rename')];
    expect(positions(sequence(10), events)).toEqual([
      [0, 1],
      [3, 4],
    ]);
  });

  it('handles three steps with noise between them', () => {
    const events = [e(at(0), 'openat'), e(at(1), 'unlink'), e(at(2), 'rename'), e(at(3), 'openat'), e(at(4), 'unlink')];
    expect(positions(sequence(60, [opened, renamed, deleted]), events)).toEqual([[0, 2, 4]]);
    expect(positions(sequence(3, [opened, renamed, deleted]), events)).toEqual([]);
  });

  it('skips events lacking a key value or a parseable time', () => {
    expect(positions(sequence(10), [e(undefined, 'openat'), e(at(1), 'rename')])).toEqual([]);
    expect(positions(sequence(10), [e('2024-01-01', 'openat'), e(at(1), 'rename')])).toEqual([]);
    expect(positions(sequence(10), [e(at(0), 'openat', null), e(at(1), 'rename', null)])).toEqual([]);
    expect(positions(sequence(10), [e(at(0), 'openat'), ev(at(1), { 'evt.type': 'rename' })])).toEqual([]);
    expect(positions(sequence(10, [opened, renamed], []), [e(at(0), 'openat', null), e(at(1), 'rename', 'z')])).toEqual([[0, 1]]);
  });
});
