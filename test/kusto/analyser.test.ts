import { describe, expect, it } from 'vitest';
import { KustoAnalyser, stringLiteralValues } from '../../src/kusto/analyser.js';
import type { KustoTable } from '../../src/kusto/tables.js';

const T: KustoTable = {
  name: 'Events',
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'Name', type: 'string' },
    { name: 'Count', type: 'long' },
  ],
};

const FN = 'Parsed';
const BODY = 'Events | project TimeGenerated, Process = Name, Big = Count * 2';

function analyser(): KustoAnalyser {
  const a = new KustoAnalyser([T]);
  const declared = a.declareFunction(FN, BODY);
  expect(declared.problems).toEqual([]);
  return a;
}

describe('KustoAnalyser', () => {
  it('declares a function with the result columns of its body', () => {
    const a = new KustoAnalyser([T]);
    expect(a.declareFunction(FN, BODY).columns).toEqual([
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'Process', type: 'string' },
      { name: 'Big', type: 'long' },
    ]);
    expect(a.declareFunction('Broken', 'Events | project Nope').problems.map((p) => p.code)).toEqual(['KS142']);
  });

  it('accepts queries over the tables and the declared function, and reports unknown names and type errors', () => {
    const a = analyser();
    const [ok, unknown, types, syntax] = a.analyse([
      { text: `${FN} | where Process contains_cs "x" and Big > 3 | project TimeGenerated, Process` },
      { text: `${FN} | where Name == "x"` },
      { text: `${FN} | where Process > 3` },
      { text: `${FN} | where Process == ` },
    ]);
    expect(ok!.problems).toEqual([]);
    expect(unknown!.problems.map((p) => p.code)).toEqual(['KS142']);
    expect(unknown!.problems[0]!.text.slice(unknown!.problems[0]!.start, unknown!.problems[0]!.start + unknown!.problems[0]!.length)).toBe('Name');
    expect(types!.problems.length).toBeGreaterThan(0);
    expect(syntax!.problems.length).toBeGreaterThan(0);
  });

  it('attributes problems to the right query when they are analysed in one batch', () => {
    const a = analyser();
    const queries = Array.from({ length: 30 }, (_, i) => ({ text: i === 17 ? `${FN} | where Nope == "${i}"` : `${FN} | where Process == "${i}"` }));
    const results = a.analyse(queries);
    expect(results.map((r, i) => (r.problems.length > 0 ? i : -1)).filter((i) => i >= 0)).toEqual([17]);
  });

  it('analyses queries of the same shape once', () => {
    const a = analyser();
    const before = a.stats.shapes;
    const queries = ['a', 'b', 'c'].map((v) => ({ text: `${FN} | where Process == "${v}"`, shape: `${FN} | where Process == ""` }));
    expect(a.analyse(queries).every((r) => r.problems.length === 0)).toBe(true);
    expect(a.stats.shapes - before).toBe(1);
  });

  it('analyses skeletons and atoms instead of whole queries beyond wholeUpTo, with the same verdicts', () => {
    const make = (skeleton: string, atoms: string[], full: string) => ({
      text: full,
      shape: full,
      parts: { skeleton, atoms: atoms.map((a) => ({ text: a, shape: a })), source: FN },
    });
    const queries = [
      make(`${FN} | where true | project Process`, ['Process == "a"', 'Big > 1'], `${FN} | where Process == "a" and Big > 1 | project Process`),
      make(`${FN} | where true | project Nope`, ['Process == "a"'], `${FN} | where Process == "a" | project Nope`),
      make(`${FN} | where true`, ['Process == "a"', 'Nope == 1'], `${FN} | where Process == "a" or Nope == 1`),
      make(`${FN} | where true`, ['Process > 1'], `${FN} | where Process > 1`),
    ];
    const verdict = (rs: { problems: readonly unknown[] }[]): boolean[] => rs.map((r) => r.problems.length === 0);
    const whole = analyser().analyse(queries, { wholeUpTo: 100 });
    const modularAnalyser = analyser();
    const modular = modularAnalyser.analyse(queries, { wholeUpTo: 0 });
    expect(modularAnalyser.stats.modular).toBe(true);
    expect(verdict(modular)).toEqual([true, false, false, false]);
    expect(verdict(modular)).toEqual(verdict(whole));
  });
});

describe('stringLiteralValues', () => {
  it('reads string literals the way Kusto does', () => {
    expect(stringLiteralValues(String.raw`print a = "x\"y\\z\n", b = @"c:\d""e", c = 'it\'s', d = "\u0041"`)).toEqual(['x"y\\z\n', 'c:\\d"e', "it's", 'A']);
  });
});
