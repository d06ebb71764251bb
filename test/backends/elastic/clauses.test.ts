/**
 * The boolean clause limit of the Elastic targets (src/backends/elastic/clauses.ts): how many
 * clauses each language's largest boolean query gets, and DET5003 from every Elastic target
 * past 1024 (test/engine/clause-limit.test.ts checks the counts against Lucene itself).
 */
import { describe, expect, it } from 'vitest';
import { largestBoolean, MAX_CLAUSE_COUNT } from '../../../src/backends/elastic/clauses.js';
import { esdslBackend } from '../../../src/backends/esdsl/index.js';
import { kibanaBackend } from '../../../src/backends/kibana/index.js';
import { luceneBackend } from '../../../src/backends/lucene/index.js';
import { emitFiles } from '../../../src/backends/types.js';
import type { EsNode } from '../../../src/backends/elastic/tree.js';
import { builtinSource } from '../../../src/source/load.js';
import { detection, lower } from '../../helpers/det.js';

const t = (v: string, field = 'f'): EsNode => ({ kind: 'term', field, value: v });
const terms = (n: number): EsNode => ({ kind: 'terms', field: 'f', values: Array.from({ length: n }, (_, i) => `v${i}`) });
const not = (arg: EsNode): EsNode => ({ kind: 'not', arg });
const counts = (node: EsNode, extra = 0): number[] => (['lucene', 'dsl', 'eql'] as const).map((l) => largestBoolean(node, l, l === 'eql' ? extra : 0).clauses);

describe('clauses of the largest boolean query, per language [lucene, dsl, eql]', () => {
  it('a list of exact values: one clause per value in Lucene, a terms query elsewhere', () => {
    expect(counts(terms(1100))).toEqual([1100, 1, 0]);
  });

  it('an `or` is one boolean query of its operands', () => {
    expect(counts({ kind: 'or', args: [t('a'), t('b', 'g'), { kind: 'prefix', field: 'h', value: 'c' }] })).toEqual([3, 3, 3]);
  });

  it('only negations: Lucene adds `*:*`, Elasticsearch a match-all clause', () => {
    expect(counts({ kind: 'and', args: [not(t('a')), not(t('b', 'g'))] })).toEqual([3, 3, 2]);
  });

  it('nested boolean queries count apart', () => {
    const node: EsNode = { kind: 'and', args: [terms(1000), { kind: 'or', args: [t('a', 'g'), { kind: 'prefix', field: 'h', value: 'c' }] }] };
    expect(counts(node)).toEqual([1000, 2, 2]);
  });

  it('EQL: negated groups joined into the enclosing group (as Elasticsearch may), and the sequence keys\' conjuncts', () => {
    const node: EsNode = { kind: 'and', args: [t('x', 'g'), not({ kind: 'or', args: [t('a'), { kind: 'prefix', field: 'h', value: 'c' }] })] };
    expect(counts(node, 3)).toEqual([2, 2, 6]);
    expect(largestBoolean(t('a'), 'eql', 2).clauses).toBe(3);
  });

  it('is 1024, Elasticsearch 7\'s default indices.query.bool.max_clause_count', () => {
    expect(MAX_CLAUSE_COUNT).toBe(1024);
  });
});

describe('DET5003 past the limit, per target', () => {
  const source = builtinSource();
  const list = (n: number): string => `list big = [${Array.from({ length: n }, (_, i) => `"v${i}"`).join(', ')}]\n`;
  const compile = (text: string): Record<string, { files: number; diagnostics: string[] }> => {
    const { program, diagnostics } = lower(text, { source });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const out: Record<string, { files: number; diagnostics: string[] }> = {};
    for (const backend of [luceneBackend, esdslBackend, kibanaBackend]) {
      const r = emitFiles(backend, program, source, {});
      out[backend.target] = { files: r.files.length, diagnostics: r.diagnostics.map((d) => `${d.code} ${d.message}`) };
    }
    return out;
  };

  it('refuses `in` of 1100 exact values in Lucene (and Kibana\'s Lucene rule), not in the query DSL', () => {
    const r = compile(list(1100) + detection('big', '  condition: proc.name in big'));
    expect(r.lucene!.diagnostics).toEqual([
      "DET5003 target lucene: the Lucene query string of detection 'big' has a boolean query of 1100 clauses (`output_fields.proc.name.keyword:(… OR …)` with 1100 values), over Elasticsearch's default indices.query.bool.max_clause_count of 1024, so the rule would fail at every run",
    ]);
    expect(r.kibana!.diagnostics).toHaveLength(1);
    expect(r.kibana!.diagnostics[0]).toMatch(/^DET5003 target kibana: the Lucene query string .* 1100 clauses/);
    expect(r.esdsl).toEqual({ files: 1, diagnostics: [] });
  });

  it('accepts 1024 values and refuses 1025 with nocase, in every target', () => {
    const at = compile(list(1024) + detection('big', '  condition: proc.name in big nocase'));
    expect([at.lucene!.diagnostics, at.esdsl!.diagnostics, at.kibana!.diagnostics]).toEqual([[], [], []]);
    const over = compile(list(1025) + detection('big', '  condition: proc.name in big nocase'));
    for (const target of ['lucene', 'esdsl', 'kibana']) {
      expect(over[target]!.diagnostics.length, target).toBeGreaterThan(0);
      for (const d of over[target]!.diagnostics) expect(d).toMatch(/^DET5003 .*1025 clauses \(an `or` of 1025 queries/);
    }
  });

  it('counts the match-all clause a conjunction of negations gets', () => {
    const negations = (n: number): string =>
      detection('neg', `  condition: ${Array.from({ length: n }, (_, i) => `not proc.cmdline startswith "v${i}"`).join(' and ')}`);
    expect(compile(negations(1023)).esdsl!.diagnostics).toEqual([]);
    expect(compile(negations(1024)).esdsl!.diagnostics).toEqual([
      "DET5003 target esdsl: the query DSL of detection 'neg' has a boolean query of 1025 clauses (an `and` of 1024 queries, with the match-all clause its negations need), over Elasticsearch's default indices.query.bool.max_clause_count of 1024, so the rule would fail at every run",
    ]);
  });

  it('refuses a sequence step past the limit in EQL, counting the key filters Elasticsearch adds', () => {
    // `not (a or b …)` may become `not a and not b …` in Elasticsearch's translation, which the
    // keys' non-null filters (2 per step) and the other step's condition (1) may join
    const seq = (n: number): string =>
      list(n) + detection('seq', `  sequence by container.id within 10m {\n    step a: not proc.name in big nocase\n    step b: proc.name == "x"\n  }`);
    const at = compile(seq(1019));
    expect([at.kibana!.diagnostics, at.esdsl!.diagnostics]).toEqual([[], []]);
    const over = compile(seq(1020));
    expect(over.esdsl!.diagnostics).toEqual([]);
    expect(over.kibana!.diagnostics).toEqual([
      "DET5003 target kibana: the EQL condition of detection 'seq' can become a boolean query of 1025 clauses (an `and` of 1020 queries, with the sequence keys' filters), over Elasticsearch's default indices.query.bool.max_clause_count of 1024, so the rule would fail at every run",
    ]);
  });

  it('counts the other steps of a sequence whose steps share one macro as it counts them written out', () => {
    const conj = Array.from({ length: 600 }, (_, i) => `container.id != "v${i}"`).join(' and ');
    const seq = (a: string, b: string, macro = ''): string =>
      macro + detection('seq', `  sequence by container.id within 10m {\n    step a: ${a}\n    step b: ${b}\n  }`);
    const inline = compile(seq(conj, conj)).kibana!.diagnostics;
    expect(inline).toHaveLength(1);
    expect(inline[0]).toMatch(/^DET5003 target kibana: the EQL condition of detection 'seq' can become a boolean query of \d+ clauses/);
    // the same steps through one macro: one condition object, still two steps
    expect(compile(seq('m', 'm', `macro m = ${conj}\n`)).kibana!.diagnostics).toEqual(inline);
  });

  it('refuses a sequence step that is itself an `or` past the limit (a nocase list, an `or` of contains)', () => {
    const inList = (n: number): string =>
      list(n) + detection('seq', `  sequence by container.id within 10m {\n    step a: proc.name in big nocase\n    step b: proc.name == "x"\n  }`);
    expect(compile(inList(1024)).kibana!.diagnostics).toEqual([]);
    const over = compile(inList(1025)).kibana!.diagnostics;
    expect(over).toHaveLength(1);
    expect(over[0]).toMatch(/^DET5003 target kibana: the EQL condition of detection 'seq' can become a boolean query of 1025 clauses /);
    const contains = (n: number): string =>
      detection(
        'seq',
        `  sequence by container.id within 10m {\n    step a: ${Array.from({ length: n }, (_, i) => `proc.cmdline contains "v${i}"`).join(' or ')}\n    step b: proc.name == "x"\n  }`,
      );
    expect(compile(contains(1024)).kibana!.diagnostics).toEqual([]);
    expect(compile(contains(1025)).kibana!.diagnostics[0]).toMatch(/ a boolean query of 1025 clauses /);
  });
});
