import { describe, expect, it } from 'vitest';
import { parseFile } from '../../src/syntax/parse.js';
import { MAX_NESTING } from '../../src/syntax/tokens.js';
import { format } from './helpers.js';

describe('nesting guard', () => {
  it('rejects 10,000 nested parentheses with DET1012 at the offending one, without throwing', () => {
    const depth = 10_000;
    const text = `macro m =\n  ${'('.repeat(depth)}a${')'.repeat(depth)}`;
    const { ast, diagnostics } = parseFile(text, 'deep.det');
    expect(diagnostics.map(format)).toEqual([
      `2:${3 + MAX_NESTING} DET1012 nesting deeper than ${MAX_NESTING} levels (parentheses, brackets, braces or 'not')`,
    ]);
    expect(diagnostics[0]!.hint).toBeTruthy();
    expect(ast.blocks).toEqual([]);
  });

  it(`accepts exactly ${MAX_NESTING} levels`, () => {
    const text = `macro m = ${'('.repeat(MAX_NESTING)}a${')'.repeat(MAX_NESTING)}`;
    const { ast, diagnostics } = parseFile(text, 'ok.det');
    expect(diagnostics).toEqual([]);
    expect(ast.blocks[0]).toMatchObject({ kind: 'Macro', body: { kind: 'MacroRef' } });
    const over = `macro m = ${'('.repeat(MAX_NESTING + 1)}a${')'.repeat(MAX_NESTING + 1)}`;
    expect(parseFile(over, 'x.det').diagnostics.map((d) => d.code)).toEqual(['DET1012']);
  });

  it('counts brackets and braces (test JSON) too', () => {
    const depth = 10_000;
    const text = `detection d {\n  test "t" matches ${'['.repeat(depth)}${']'.repeat(depth)}\n}`;
    expect(parseFile(text, 'x.det').diagnostics.map((d) => d.code)).toEqual(['DET1012']);
    const braces = `detection d { test "t" matches ${'{"a":'.repeat(depth)}1${'}'.repeat(depth)} }`;
    expect(parseFile(braces, 'x.det').diagnostics.map((d) => d.code)).toEqual(['DET1012']);
  });

  it("counts runs of 'not'", () => {
    const text = `macro m = ${'not '.repeat(10_000)}a`;
    expect(parseFile(text, 'x.det').diagnostics.map((d) => d.code)).toEqual(['DET1012']);
    const fine = `macro m = ${'not '.repeat(100)}a`;
    expect(parseFile(fine, 'x.det').diagnostics).toEqual([]);
  });

  it('does not count nesting that has been closed', () => {
    const group = `${'('.repeat(100)}a${')'.repeat(100)}`;
    const text = `macro m = ${Array(50).fill(group).join(' and ')}`;
    expect(parseFile(text, 'x.det').diagnostics).toEqual([]);
  });
});

describe('nesting is counted per block', () => {
  it('reports the syntax error of each of 130 blocks that leave a parenthesis open, not DET1012', () => {
    const text = Array.from({ length: 130 }, (_, i) => `detection u${i} { title: "t" condition: ( }\n`).join('');
    const { diagnostics } = parseFile(text, 'x.det');
    expect(diagnostics.map((d) => d.code)).not.toContain('DET1012');
    expect(diagnostics.filter((d) => d.code === 'DET1010')).toHaveLength(130);
    expect(diagnostics[129]?.span?.start.line).toBe(130);
  });
});
