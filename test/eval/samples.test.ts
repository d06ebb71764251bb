import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../../src/eval/condition.js';
import { alerts } from '../../src/eval/detection.js';
import { fieldValue } from '../../src/eval/fields.js';
import { runTests } from '../../src/eval/run-tests.js';
import { parseIsoNanos } from '../../src/eval/time.js';
import { IR_VERSION, type JsonObject, type Match, type Program } from '../../src/ir/types.js';
import { sharedReference } from '../helpers/shared.js';
import { and, cmp, detection, exists, field, isIn, not, readNdjson, source, testCase } from './ir.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = readNdjson(join(repo, 'test/fixtures/falco/sample-alerts.ndjson'));
const { path: SHARED, present: sharedPresent } = sharedReference('reference/falco', 'evaluator cross-check over the reference sample alerts', [
  'reference/falco/sample-alerts.ndjson',
  'reference/falco/sample-alerts.sources.tsv',
]);

const positions = (match: Match, events: readonly JsonObject[]) => alerts(detection('d', match), events, source).map((a) => a.events);

describe('evaluator over the fixture sample alerts (test/fixtures/falco)', () => {
  it('filters by rule, fields and tags', () => {
    expect(positions({ kind: 'filter', condition: cmp('eq', 'rule', 'Write below etc') }, fixtures)).toEqual([[2], [3]]);
    expect(positions({ kind: 'filter', condition: cmp('eq', 'tags', 'T1555') }, fixtures)).toEqual([[0], [1]]);
    expect(positions({ kind: 'filter', condition: and(cmp('eq', 'fd.name', '/etc/shadow'), cmp('eq', 'evt.res', 'ENOENT')) }, fixtures)).toEqual([[1]]);
    expect(positions({ kind: 'filter', condition: and(cmp('startswith', 'fd.name', '/etc/'), exists('proc.aname[3]')) }, fixtures)).toEqual([[1], [2], [3]]);
    expect(positions({ kind: 'filter', condition: cmp('gt', 'proc.tty', 0) }, fixtures)).toEqual([[8]]);
    expect(positions({ kind: 'filter', condition: cmp('eq', 'user.loginuid', -1) }, fixtures)).toEqual([[0], [1], [8]]);
    expect(
      positions({ kind: 'filter', condition: and(cmp('eq', 'ka.target.subresource', 'exec'), isIn('ka.uri.param[command]', ['sh', 'bash'])) }, fixtures),
    ).toEqual([[7]]);
    // Nulls (fixture lines 3-4) and absent keys are missing values: neither equal nor different.
    expect(positions({ kind: 'filter', condition: cmp('ne', 'container.image.repository', 'x') }, fixtures)).toEqual([[8]]);
    expect(positions({ kind: 'filter', condition: not(exists('container.image.repository')) }, fixtures)).toHaveLength(9);
    // No sample carries a cluster: no custom field, and no GKE node names.
    expect(positions({ kind: 'filter', condition: exists('cluster') }, fixtures)).toEqual([]);
  });

  it('correlates: two writes below /etc three minutes apart, on the same host container', () => {
    const burst = (window: number): Match => ({
      kind: 'threshold',
      condition: cmp('eq', 'rule', 'Write below etc'),
      by: [field('container.id')],
      window,
      count: 2,
    });
    // 2022-05-02T00:30:56.150466982Z and 2022-05-02T00:34:03.362196933Z: 187.211729951 s apart.
    expect(positions(burst(188), fixtures)).toEqual([[2, 3]]);
    expect(positions(burst(187), fixtures)).toEqual([]);
  });

  it('correlates: shell history opened then renamed, 93.55 microseconds apart', () => {
    const history: Match = {
      kind: 'sequence',
      by: [field('container.id'), field('user.name')],
      window: 1,
      steps: [
        { name: 'opened', condition: and(cmp('eq', 'evt.type', 'openat'), cmp('contains', 'fd.name', '.bash_history')) },
        { name: 'renamed', condition: and(cmp('eq', 'evt.type', 'rename'), cmp('contains', 'evt.arg.oldpath', '.bash_history')) },
      ],
    };
    expect(alerts(detection('d', history), fixtures, source)).toEqual([
      { detection: 'd', kind: 'sequence', events: [4, 5], key: ['host', 'josevnz'] },
    ]);
    expect(positions(history, [...fixtures].reverse())).toEqual([[5, 4]]);
  });

  it('runs detection tests written against the fixtures', () => {
    const program: Program = {
      irVersion: IR_VERSION,
      source: 'falco',
      detections: [
        detection('shell_in_container', { kind: 'filter', condition: and(cmp('eq', 'rule', 'Terminal shell in container'), cmp('ne', 'container.id', 'host')) }, [
          testCase('all samples', 'match', fixtures),
          testCase('host-only samples', 'no-match', fixtures.filter((e) => fieldValue(e, field('container.id'), source) === 'host')),
        ]),
      ],
    };
    expect(runTests(program, source).map((r) => [r.test, r.passed, r.alerts])).toEqual([
      ['all samples', true, 1],
      ['host-only samples', true, 0],
    ]);
  });
});

describe.skipIf(!sharedPresent)(`cross-check over ${SHARED}/sample-alerts.ndjson${sharedPresent ? '' : ' (skipped: it is absent)'}`, () => {
  const read = () => readNdjson(join(SHARED, 'sample-alerts.ndjson'));
  const provenance = () =>
    readFileSync(join(SHARED, 'sample-alerts.sources.tsv'), 'utf8')
      .split('\n')
      .slice(1)
      .filter((l) => l.trim() !== '')
      .map((l) => l.split('\t'))
      .map(([line, rule, priority]) => ({ line: Number(line), rule: rule!, priority: priority! }));

  it('finds every alert of each rule the provenance table lists, and only those', () => {
    const events = read();
    const table = provenance();
    expect(table).toHaveLength(events.length);
    for (const rule of new Set(table.map((r) => r.rule))) {
      const expected = table.filter((r) => r.rule === rule).map((r) => [r.line - 1]);
      expect(positions({ kind: 'filter', condition: cmp('eq', 'rule', rule) }, events), rule).toEqual(expected);
    }
    for (const row of table) {
      const e = events[row.line - 1]!;
      expect(evaluateCondition(cmp('eq', 'priority', row.priority), e, source), `line ${row.line}`).toBe(true);
      expect(evaluateCondition(cmp('eq', 'priority', row.priority.toUpperCase(), false), e, source)).toBe(true);
    }
  });

  it('reads every output field back and compares it to itself', () => {
    for (const [i, e] of read().entries()) {
      const outputFields = e.output_fields as Record<string, unknown>;
      for (const [key, value] of Object.entries(outputFields)) {
        const f = source.fields.find((x) => x.location.in === 'output_fields' && x.location.key === key);
        expect(f, `line ${i + 1}: ${key}`).toBeDefined();
        const ref = { name: f!.name, type: f!.type };
        expect(fieldValue(e, ref, source)).toEqual(value);
        const present = value !== null && value !== '';
        expect(evaluateCondition(exists(f!.name), e, source), `line ${i + 1}: ${key} exists`).toBe(present);
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
          expect(evaluateCondition(cmp('eq', f!.name, value), e, source), `line ${i + 1}: ${key} == itself`).toBe(f!.type !== 'string[]');
          expect(evaluateCondition(cmp('ne', f!.name, value), e, source)).toBe(false);
        }
      }
      expect(parseIsoNanos(e.time as string), `line ${i + 1}: time`).toBeDefined();
    }
  });

  it('finds the documented correlations in the whole file', () => {
    const events = read();
    const burst: Match = { kind: 'threshold', condition: cmp('eq', 'rule', 'Write below etc'), by: [field('container.id')], window: 600, count: 2 };
    expect(positions(burst, events)).toEqual([[8, 9]]);
    const shells: Match = {
      kind: 'threshold',
      condition: cmp('eq', 'rule', 'Terminal shell in container'),
      by: [field('k8s.pod.name')],
      window: 10 * 365 * 86400,
      count: 2,
    };
    // Pod "alpine" has two shells, three months apart (2021-01-14 and 2021-04-10).
    expect(positions(shells, events)).toEqual([[19, 20]]);
    const history: Match = {
      kind: 'sequence',
      by: [field('container.id')],
      window: 1,
      steps: [
        { name: 'opened', condition: cmp('eq', 'evt.type', 'openat') },
        { name: 'renamed', condition: cmp('eq', 'evt.type', 'rename') },
      ],
    };
    expect(positions(history, events)).toEqual([[10, 11]]);
  });
});
