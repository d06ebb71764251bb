/**
 * The boolean clause limit (`src/backends/elastic/clauses.ts`) against the real engine: Lucene 8
 * with its default maxClauseCount of 1024 (Elasticsearch 7's default
 * indices.query.bool.max_clause_count) runs each query as the compiler would write it, the check
 * left out, at the limit and one past it. Where Lucene refuses ("too many boolean clauses" from
 * the query parser, TooManyClauses from the DSL), the compiler must refuse (DET5003); where
 * Lucene accepts, the compiler must accept, and the engine's matches equal the evaluator's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dslQuery, luceneQuery } from '../../src/backends/elastic/query.js';
import { renderDslRoot } from '../../src/backends/elastic/render-dsl.js';
import { renderLucene } from '../../src/backends/elastic/render-lucene.js';
import { translateCondition } from '../../src/backends/elastic/translate.js';
import { evaluateCondition } from '../../src/eval/condition.js';
import type { Condition, JsonObject } from '../../src/ir/types.js';
import { and, cmp, isIn, not, or, source } from './battery.js';
import { esDocument, profileMapping } from './es-docs.js';
import { buildHarness, engineAvailability, runEngine } from './harness.js';

const availability = engineAvailability();
const inCI = process.env.CI === 'true' || process.env.CI === '1';
const run = availability.ok || inCI;
if (!run) console.warn(`engine tests skipped: ${availability.ok ? '' : availability.reason}`);

const profile = source.elastic.profiles[source.elastic.defaultProfile]!;
const values = (n: number, prefix = 'v'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Each shape at the size where its largest boolean query has 1024 clauses, and one more. */
const shapes: { name: string; at: (n: number) => Condition; limit: { lucene: number; dsl: number } }[] = [
  // Lucene: f:("v0" OR …) lists the values; the DSL's terms query has no clause list
  { name: 'in', at: (n) => isIn('proc.name', values(n)), limit: { lucene: 1024, dsl: Infinity } },
  { name: 'in nocase', at: (n) => isIn('proc.name', values(n), false), limit: { lucene: 1024, dsl: 1024 } },
  { name: 'or of contains', at: (n) => or(...values(n).map((v) => cmp('contains', 'proc.cmdline', v))), limit: { lucene: 1024, dsl: 1024 } },
  // only negations: `*:* AND NOT …` in Lucene, must_not plus Elasticsearch's match-all in the DSL
  { name: 'and of negations', at: (n) => and(...values(n).map((v) => not(cmp('startswith', 'proc.cmdline', v)))), limit: { lucene: 1023, dsl: 1023 } },
  { name: 'and of comparisons', at: (n) => and(...values(n).map((v) => cmp('endswith', 'proc.cmdline', v))), limit: { lucene: 1024, dsl: 1024 } },
];

/** Nested boolean queries count apart (Lucene 8): two lists of 1000 values under one `and` or `or`. */
const nested: { name: string; condition: Condition }[] = [
  { name: 'and of two lists', condition: and(isIn('proc.name', values(1000)), isIn('proc.pname', values(1000), false)) },
  { name: 'or of two lists', condition: or(isIn('proc.name', values(1000), false), isIn('proc.pname', values(1000))) },
];

interface Probe {
  readonly name: string;
  readonly condition: Condition;
  readonly target: 'lucene' | 'dsl';
  /** The query as written with the check left out. */
  readonly query: { lucene: string } | { dsl: unknown };
  readonly compilerRefuses: boolean;
}

function probes(): Probe[] {
  const named = [
    ...shapes.flatMap((s) => [1023, 1024, 1025].map((n) => ({ name: `${s.name} ${n}`, condition: s.at(n) }))),
    ...nested,
  ];
  return named.flatMap(({ name, condition }) => {
    const where = { detection: 'clauses' };
    const { tree, diagnostics } = translateCondition(condition, { source, profile, target: 'test', detection: 'clauses' });
    expect(diagnostics).toEqual([]);
    const l = luceneQuery(condition, profile, source, where);
    const d = dslQuery(condition, profile, source, where);
    for (const r of [l, d]) expect(r.diagnostics.every((x) => x.code === 'DET5003' && /max_clause_count/.test(x.message))).toBe(true);
    return [
      { name, condition, target: 'lucene' as const, query: { lucene: renderLucene(tree) }, compilerRefuses: l.query === undefined },
      { name, condition, target: 'dsl' as const, query: { dsl: renderDslRoot(tree) }, compilerRefuses: d.query === undefined },
    ];
  });
}

const events: JsonObject[] = [
  { rule: 'r', output_fields: { 'proc.name': 'v1', 'proc.pname': 'V999', 'proc.cmdline': 'x v1000 y' } },
  { rule: 'r', output_fields: { 'proc.name': 'v1024', 'proc.pname': 'v1', 'proc.cmdline': 'v1023' } },
  { rule: 'r', output_fields: { 'proc.name': 'zz', 'proc.pname': 'zz', 'proc.cmdline': 'zz' } },
];

describe.runIf(run)('boolean clause limit (engine)', () => {
  const all = run ? probes() : [];
  let verdicts: ('ok' | 'too many clauses' | string)[] = [];
  let matches: (number[] | undefined)[] = [];

  beforeAll(() => {
    if (!availability.ok) throw new Error(`engine unavailable in CI: ${availability.reason}`);
    const classpath = buildHarness(availability.jars);
    const docs = events.map((e) => esDocument(e, profile, source)!);
    const r = runEngine(classpath, [{ id: 'clauses', fields: profileMapping(profile), docs, queries: all.map((p) => p.query) }]).get('clauses')!;
    expect(r.error).toBeUndefined();
    verdicts = r.results!.map((x) => (x.error === undefined ? 'ok' : /TooManyClauses|too many boolean clauses/.test(x.error) ? 'too many clauses' : x.error));
    matches = r.results!.map((x) => x.matches);
  }, 300_000);

  it('Lucene refuses each shape one past the limit and accepts it at the limit', () => {
    const table = shapes.flatMap((s) =>
      [1023, 1024, 1025].flatMap((n) =>
        (['lucene', 'dsl'] as const).map((target) => {
          const i = all.findIndex((p) => p.name === `${s.name} ${n}` && p.target === target);
          return [`${s.name} ${n} ${target}`, verdicts[i]];
        }),
      ),
    );
    const expected = shapes.flatMap((s) =>
      [1023, 1024, 1025].flatMap((n) => (['lucene', 'dsl'] as const).map((target) => [`${s.name} ${n} ${target}`, n > s.limit[target] ? 'too many clauses' : 'ok'])),
    );
    expect(table).toEqual(expected);
  });

  it('the compiler refuses exactly what Lucene refuses', () => {
    const disagree = all.flatMap((p, i) => (p.compilerRefuses !== (verdicts[i] === 'too many clauses') ? [`${p.name} ${p.target}: compiler refuses ${p.compilerRefuses}, Lucene ${verdicts[i]}`] : []));
    expect(disagree).toEqual([]);
    expect(all.filter((p) => p.compilerRefuses).length).toBeGreaterThan(5);
  });

  it('accepts nested boolean queries that each stay under the limit, with the evaluator\'s matches', () => {
    const out: string[] = [];
    all.forEach((p, i) => {
      if (verdicts[i] !== 'ok') return;
      const expected = events.flatMap((e, j) => (evaluateCondition(p.condition, e, source) ? [j] : []));
      if (JSON.stringify(matches[i]) !== JSON.stringify(expected)) out.push(`${p.name} ${p.target}: engine ${JSON.stringify(matches[i])}, evaluator ${JSON.stringify(expected)}`);
    });
    expect(out).toEqual([]);
    for (const n of nested) expect(all.filter((p) => p.name === n.name).map((p) => p.compilerRefuses)).toEqual([false, false]);
  });
});
