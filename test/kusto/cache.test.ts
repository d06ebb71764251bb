import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyserFor } from '../../src/backends/sentinel/analysis.js';
import { compileSentinel } from '../../src/backends/sentinel/index.js';
import { KustoAnalyser } from '../../src/kusto/analyser.js';
import { FileAnalysisCache, MemoryAnalysisCache, verdictKey } from '../../src/kusto/cache.js';
import type { KustoTable } from '../../src/kusto/tables.js';
import { builtinSource } from '../../src/source/load.js';
import { detection, lower } from '../helpers/det.js';

const T: KustoTable = { name: 'Events', columns: [{ name: 'Name', type: 'string' }] };
const QUERIES = [{ text: 'Fn | where Process == "a"' }, { text: 'Fn | where Nope == "a"' }];
const dir = mkdtempSync(join(tmpdir(), 'detect-kusto-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(cache: MemoryAnalysisCache, body = 'Events | project Process = Name', tables = [T]) {
  const a = new KustoAnalyser(tables, cache);
  const declared = a.declareFunction('Fn', body);
  const results = a.analyse(QUERIES);
  return { a, declared, results };
}

const copy = (c: MemoryAnalysisCache): MemoryAnalysisCache => {
  const n = new MemoryAnalysisCache();
  for (const [k, v] of c.entries) n.set(k, v);
  return n;
};

describe('verdict cache', () => {
  it('answers a later run without Kusto.Language, with the same verdicts', () => {
    const first = run(new MemoryAnalysisCache());
    expect(first.a.usedKusto).toBe(true);
    expect(first.results.map((r) => r.problems.map((p) => p.code))).toEqual([[], ['KS142']]);
    const cache = first.a['cache'] as MemoryAnalysisCache;
    const second = run(copy(cache));
    expect(second.a.usedKusto).toBe(false);
    expect(second.results).toEqual(first.results);
    expect(second.declared).toEqual(first.declared);
  });

  it('does not reuse verdicts when the function body or the tables change', () => {
    const cache = run(new MemoryAnalysisCache()).a['cache'] as MemoryAnalysisCache;
    expect(run(copy(cache), 'Events | project Process = Name, X = 1').a.usedKusto).toBe(true);
    expect(run(copy(cache), undefined, [{ name: 'Events', columns: [{ name: 'Name', type: 'string' }, { name: 'Y', type: 'long' }] }]).a.usedKusto).toBe(true);
  });

  it('keys verdicts by a hash of all their parts', () => {
    expect(verdictKey(['a', 'b'])).not.toBe(verdictKey(['ab']));
    expect(verdictKey(['a', 'b'])).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets the Sentinel backend compile a second time without loading Kusto.Language', () => {
    const source = builtinSource();
    const program = lower(detection('d', '  condition: proc.name == "nc"'), { source }).program;
    const cache = new MemoryAnalysisCache();
    expect(compileSentinel(program, source, { kustoCache: cache }).diagnostics).toEqual([]);
    const again = copy(cache);
    const c = compileSentinel(program, source, { kustoCache: again });
    expect(c.diagnostics).toEqual([]);
    expect(analyserFor(c.parser, again).analyser.usedKusto).toBe(false);
  });
});

describe('FileAnalysisCache', () => {
  it('keeps verdicts in a JSON file written by flush', () => {
    const path = join(dir, 'sub', 'kusto.json');
    const c = new FileAnalysisCache(path);
    expect(c.get('k')).toBeUndefined();
    c.set('k', { problems: [{ code: 'KS1', severity: 'Error', message: 'm', start: 1, length: 2, text: 't' }] });
    c.flush();
    expect(JSON.parse(readFileSync(path, 'utf8')).format).toBe(1);
    expect(new FileAnalysisCache(path).get('k')).toEqual(c.get('k'));
  });

  it('starts empty when the file is missing or unreadable', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{not json');
    expect(new FileAnalysisCache(path).get('k')).toBeUndefined();
    expect(new FileAnalysisCache(join(dir, 'missing.json')).get('k')).toBeUndefined();
  });
});
