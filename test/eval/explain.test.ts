/**
 * Why a test failed: the comparisons that decided the verdict, quoted as written, with the
 * events' values; for correlations, what each step or the threshold found. Each case is a
 * detection written in the DSL, run as `detect test` runs it.
 */
import { describe, expect, it } from 'vitest';
import { testFailure } from '../../src/cli/pipeline.js';
import { decide } from '../../src/eval/explain.js';
import { runTests } from '../../src/eval/run-tests.js';
import { builtinSource } from '../../src/source/load.js';
import { detection, lower } from '../helpers/det.js';

const source = builtinSource();

/** The details of each failed test of `text`, by test name (its `file "…"` tests all read `ndjson`). */
function why(text: string, ndjson?: string): Record<string, readonly string[]> {
  const { program, diagnostics } = lower(text, { source, ...(ndjson !== undefined ? { readFile: () => ndjson } : {}) });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const out: Record<string, readonly string[]> = {};
  for (const r of runTests(program, source)) if (!r.passed) out[r.test] = testFailure(r).details ?? [];
  return out;
}

const event = (fields: Record<string, unknown>, time = '2024-01-01T00:00:00Z'): string =>
  JSON.stringify({ rule: 'Netcat Remote Code Execution in Container', time, output_fields: fields });

describe('why a filter test failed', () => {
  it('names the comparisons that were false, with the values, for a case expecting a match', () => {
    const text = detection(
      'nc',
      [
        '  condition: rule == "Netcat Remote Code Execution in Container" and proc.name in ["nc", "ncat"] and proc.cmdline contains "-e"',
        `  test "netcat" matches [${event({ 'proc.name': 'netcat', 'proc.cmdline': 'netcat -e /bin/sh' })}, ${event({ 'proc.name': 'nc' })}]`,
      ].join('\n'),
    );
    expect(why(text)).toEqual({
      netcat: [
        'event 1: `proc.name in ["nc", "ncat"]` does not hold: proc.name is "netcat"',
        'event 2: `proc.cmdline contains "-e"` does not hold: proc.cmdline is missing',
      ],
    });
  });

  it('names the comparisons that held for the events that alerted, for a case expecting none', () => {
    const text = detection(
      'nc',
      ['  condition: proc.name == "nc" or proc.pname == "nc"', `  test "benign" does not match [${event({ 'proc.name': 'sh' })}, ${event({ 'proc.name': 'nc', 'proc.pname': 'bash' })}]`].join('\n'),
    );
    // only the alerting event, and of an `or` only the argument that held
    expect(why(text)).toEqual({ benign: ['event 2: `proc.name == "nc"` holds: proc.name is "nc"'] });
  });

  it('quotes a comparison from a macro as written there, and marks one under `not`', () => {
    const text = [
      'macro shell = proc.name in ["bash", "sh"]',
      '',
      detection('sh', ['  condition: shell and not user.name == "root"', `  test "root shell" matches ${event({ 'proc.name': 'bash', 'user.name': 'root' })}`].join('\n')),
    ].join('\n');
    expect(why(text)).toEqual({ 'root shell': ['event 1: `user.name == "root"` holds (under `not`): user.name is "root"'] });
  });

  it('shows at most three events and four comparisons each, and says how many more there are', () => {
    const many = Array.from({ length: 5 }, () => event({})).join(', ');
    // an `or` that is false is decided by every argument: four are shown, the fifth counted
    const text = detection('d', ['  condition: proc.name == "a" or proc.pname == "b" or fd.name == "c" or user.name == "d" or evt.type == "e"', `  test "t" matches [${many}]`].join('\n'));
    const lines = why(text).t!;
    expect(lines).toHaveLength(3 * 5 + 1);
    expect(lines.slice(0, 5)).toEqual([
      'event 1: `proc.name == "a"` does not hold: proc.name is missing',
      'event 1: `proc.pname == "b"` does not hold: proc.pname is missing',
      'event 1: `fd.name == "c"` does not hold: fd.name is missing',
      'event 1: `user.name == "d"` does not hold: user.name is missing',
      'event 1: … and 1 more comparison',
    ]);
    expect(lines.at(-1)).toBe('… and 2 more events');
  });

  it('stops where the evaluator stops: an `and` is explained by its first false comparison, and nothing after it runs', () => {
    // the regular expression would backtrack past its time limit if it ran: the evaluator never runs it
    const text = detection('d', ['  condition: proc.name == "x" and proc.cmdline regex "^(a|aa)+$"', `  test "t" matches ${event({ 'proc.name': 'y', 'proc.cmdline': `${'a'.repeat(76)}b` })}`].join('\n'));
    expect(why(text)).toEqual({ t: ['event 1: `proc.name == "x"` does not hold: proc.name is "y"'] });
  });

  it('shows values as the comparison sees them: types, null, numbers out of range, the end of a long value for endswith, a list\'s values', () => {
    const text = detection(
      'd',
      [
        '  condition: fd.sport > 1 or proc.cmdline endswith "zz" or tags in ["a", "b", "c", "d", "e", "f"] or proc.pname exists',
        `  test "t" matches {"tags": "a", "output_fields": {"fd.sport": "80", "proc.cmdline": "${'x'.repeat(100)}yy", "proc.pname": null}}`,
        '  test "big" does not match {"output_fields": {"fd.sport": 1e400}}',
      ].join('\n'),
    );
    expect(why(text)).toEqual({
      t: [
        'event 1: `fd.sport > 1` does not hold: fd.sport is "80" (a string; the field holds numbers)',
        `event 1: \`proc.cmdline endswith "zz"\` does not hold: proc.cmdline is "…${'x'.repeat(78)}yy"`,
        'event 1: `tags in ["a", "b", "c", "d", "e", … (6 values)]` does not hold: tags is "a" (a string; the field holds lists)',
        'event 1: `proc.pname exists` does not hold: proc.pname is null (missing)',
      ],
      big: ['event 1: `fd.sport > 1` holds: fd.sport is Infinity (out of range)'],
    });
  });

  it("shows the event's own text of a renamed rule beside the current name it reads as", () => {
    const text = detection('d', ['  condition: rule == "Netcat Remote Code Execution in Container"', '  test "t" matches {"rule": "The docker client is executed in a container"}'].join('\n'));
    expect(why(text)).toEqual({
      t: [
        'event 1: `rule == "Netcat Remote Code Execution in Container"` does not hold: rule is "Kubernetes Client Tool Launched in Container" (the event says "The docker client is executed in a container", an earlier name of the rule)',
      ],
    });
  });

  it('counts a hidden comparison once, however often a macro holding it is used', () => {
    const text = [
      'macro five = proc.name == "a" or proc.pname == "b" or fd.name == "c" or user.name == "d" or evt.type == "e"',
      '',
      detection('d', `  condition: five or (five and proc.name exists)\n  test "t" matches ${event({})}`),
    ].join('\n');
    expect(why(text).t!.at(-1)).toBe('event 1: … and 1 more comparison');
  });

  it('decides a macro shared many times once (no blow-up on a chain of macros used twice each)', () => {
    const macros = ['macro m0 = proc.name == "x"', ...Array.from({ length: 16 }, (_, i) => `macro m${i + 1} = (m${i} ${i % 2 ? 'and' : 'or'} m${i})`)];
    const text = [...macros, '', detection('d', `  condition: m16\n  test "t" matches ${event({ 'proc.name': 'y' })}`)].join('\n');
    expect(why(text)).toEqual({ t: ['event 1: `proc.name == "x"` does not hold: proc.name is "y"'] });
  });
});

describe('why a correlation test failed', () => {
  it('says what a threshold matched, what it could not count, and what it needs', () => {
    const text = detection(
      'burst',
      [
        '  condition: proc.name == "sh"',
        '  threshold: count >= 3 by container.id within 10m',
        `  test "burst" matches [${event({ 'proc.name': 'sh', 'container.id': 'c1' })}, ${event({ 'proc.name': 'sh' })}, ${event({ 'proc.name': 'bash', 'container.id': 'c1' })}]`,
        `  test "nothing" matches [${event({ 'proc.name': 'zsh', 'container.id': 'c1' })}]`,
      ].join('\n'),
    );
    expect(why(text)).toEqual({
      burst: [
        'the condition matches events 1, 2',
        'event 2 is not counted: no `container.id`',
        'the threshold needs 3 counted events with the same container.id within 10m',
        'the most with one container.id is 1 (container.id "c1")',
      ],
      nothing: [
        'the condition matches no event',
        'event 1: `proc.name == "sh"` does not hold: proc.name is "zsh"',
        'the threshold needs 3 counted events with the same container.id within 10m',
      ],
    });
  });

  it('says when a threshold has its events in one group, but not within the window', () => {
    const t = (minute: number): string => event({ 'proc.name': 'sh', 'container.id': 'c1' }, `2024-01-01T00:${String(minute).padStart(2, '0')}:00Z`);
    const text = detection('burst', ['  condition: proc.name == "sh"', '  threshold: count >= 2 by container.id within 10m', `  test "slow" matches [${t(0)}, ${t(30)}]`].join('\n'));
    expect(why(text).slow!.at(-1)).toBe('container.id "c1" has 2, but no 2 of them within 10m');
  });

  it('says what each step of a sequence matched, and why a step matched nothing', () => {
    const text = detection(
      'chain',
      [
        '  sequence by container.id within 5m {',
        '    step spawn: proc.name == "bash"',
        '    step read: fd.name == "/etc/shadow"',
        '  }',
        `  test "chain" matches [${event({ 'proc.name': 'bash', 'container.id': 'c1' })}, ${event({ 'fd.name': '/etc/passwd', 'container.id': 'c1' }, '2024-01-01T00:01:00Z')}, ${JSON.stringify({ output_fields: { 'fd.name': '/etc/shadow' } })}]`,
      ].join('\n'),
    );
    expect(why(text)).toEqual({
      chain: [
        'step spawn matches event 1',
        'step read matches event 3',
        'event 3 is not used: no ISO-8601 `time` with a zone',
        'the sequence needs the steps in time order, with the same container.id, one event per step, first to last within 5m',
      ],
    });
    const none = detection('chain', ['  sequence by container.id within 5m {', '    step spawn: proc.name == "bash"', '    step read: fd.name == "/etc/shadow"', '  }', `  test "t" matches [${event({ 'proc.name': 'bash', 'container.id': 'c1' })}, ${event({ 'fd.name': '/etc/passwd' })}]`].join('\n'));
    expect(why(none).t).toEqual([
      'step spawn matches event 1',
      'step read matches no event',
      'event 1: `fd.name == "/etc/shadow"` does not hold: fd.name is missing',
      'event 2: `fd.name == "/etc/shadow"` does not hold: fd.name is "/etc/passwd"',
      'the sequence needs the steps in time order, with the same container.id, one event per step, first to last within 5m',
    ]);
  });

  it('tells a sequence out of its window from one across groups and one out of order', () => {
    const seq = (...events: string[]): string =>
      detection('chain', ['  sequence by container.id within 1m {', '    step a: proc.name == "a"', '    step b: proc.name == "b"', '  }', `  test "t" matches [${events.join(', ')}]`].join('\n'));
    const e = (name: string, id: string, minute: number): string => event({ 'proc.name': name, 'container.id': id }, `2024-01-01T00:${String(minute).padStart(2, '0')}:00Z`);
    expect(why(seq(e('a', 'c1', 0), e('b', 'c1', 5))).t!.at(-1)).toBe('the steps match in order in events 1, 2 (container.id "c1"), but 5m apart, more than 1m');
    expect(why(seq(e('a', 'c1', 0), e('b', 'c2', 0))).t!.at(-1)).toBe('the steps match in order only across events with different container.id');
    expect(why(seq(e('b', 'c1', 0), e('a', 'c1', 1))).t!.at(-1)).toBe('no events match the steps in time order');
  });

  it('names the events behind each alert of a correlation that should not have fired', () => {
    const text = detection(
      'burst',
      [
        '  condition: proc.name == "sh"',
        '  threshold: count >= 2 by container.id within 1h',
        `  test "quiet" does not match [${event({ 'proc.name': 'sh', 'container.id': 'c1' })}, ${event({ 'proc.name': 'sh', 'container.id': 'c1' }, '2024-01-01T00:30:00Z')}]`,
      ].join('\n'),
    );
    expect(why(text)).toEqual({ quiet: ['an alert from events 1, 2 (container.id "c1")'] });
    const sequence = detection(
      'chain',
      ['  sequence within 1h {', '    step a: proc.name == "a"', '    step b: proc.name == "b"', '  }', `  test "quiet" does not match [${event({ 'proc.name': 'b' }, '2024-01-01T00:00:10Z')}, ${event({ 'proc.name': 'a' })}, ${event({ 'proc.name': 'b' }, '2024-01-01T00:00:20Z')}]`].join('\n'),
    );
    expect(why(sequence)).toEqual({ quiet: ['an alert from events 2 (step a), 1 (step b)'] });
  });
});

describe('why a test reading its events from a file failed', () => {
  // blank lines (and CRLF) hold no event: the events are on lines 2, 3 and 6
  const ndjson = ['', event({ 'proc.name': 'sh', 'container.id': 'c1' }), event({ 'proc.name': 'bash' }), '', '   ', event({ 'proc.name': 'sh', 'container.id': 'c1' }, '2024-01-01T00:30:00Z'), ''].join('\r\n');

  it('names each event by its line in the file, not by its position', () => {
    const filter = detection('nc', ['  condition: proc.name == "nc"', '  test "nc" matches file "events.ndjson"'].join('\n'));
    expect(why(filter, ndjson)).toEqual({
      nc: [
        'line 2: `proc.name == "nc"` does not hold: proc.name is "sh"',
        'line 3: `proc.name == "nc"` does not hold: proc.name is "bash"',
        'line 6: `proc.name == "nc"` does not hold: proc.name is "sh"',
      ],
    });
  });

  it('names by line the events a threshold matched, could not count, or alerted on', () => {
    const burst = (count: number, expect: string): string =>
      detection('burst', ['  condition: proc.name in ["sh", "bash"]', `  threshold: count >= ${count} by container.id within 1h`, `  test "t" ${expect} file "events.ndjson"`].join('\n'));
    expect(why(burst(3, 'matches'), ndjson).t).toEqual([
      'the condition matches lines 2, 3, 6',
      'line 3 is not counted: no `container.id`',
      'the threshold needs 3 counted events with the same container.id within 1h',
      'the most with one container.id is 2 (container.id "c1")',
    ]);
    expect(why(burst(2, 'does not match'), ndjson).t).toEqual(['an alert from lines 2, 6 (container.id "c1")']);
    const chain = detection('chain', ['  sequence within 1h {', '    step a: proc.name == "sh"', '    step b: proc.name == "sh"', '  }', '  test "t" does not match file "events.ndjson"'].join('\n'));
    expect(why(chain, ndjson).t).toEqual(['an alert from lines 2 (step a), 6 (step b)']);
  });

  it('keeps the lines in the IR, for events from a file only', () => {
    const text = detection('nc', ['  condition: proc.name == "nc"', '  test "file" matches file "events.ndjson"', `  test "inline" matches [${event({ 'proc.name': 'nc' })}]`].join('\n'));
    const tests = lower(text, { source, readFile: () => ndjson }).program.detections[0]!.tests;
    expect(tests.map((t) => t.lines)).toEqual([[2, 3, 6], undefined]);
  });
});

describe('decide', () => {
  it('agrees with the evaluator on and, or and not, and keeps the comparisons that decide', () => {
    const { program } = lower(detection('d', '  condition: not (proc.name == "a" or proc.pname == "b") and fd.name exists'), { source });
    const cond = program.detections[0]!.match;
    if (cond.kind !== 'filter') throw new Error('a filter');
    const decided = decide(cond.condition, { output_fields: { 'proc.name': 'a', 'fd.name': '/x' } }, source);
    expect(decided.holds).toBe(false);
    // the `and` is false only through its `not`: `proc.name == "a"` holds under it
    expect(decided.reasons.map((r) => [r.leaf.field.name, r.holds, r.negated])).toEqual([['proc.name', true, true]]);
  });
});
