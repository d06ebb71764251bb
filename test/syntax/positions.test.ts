import { describe, expect, it } from 'vitest';
import { lowerProgram } from '../../src/ir/lower.js';
import { builtinSource } from '../../src/source/load.js';
import { parseFile } from '../../src/syntax/parse.js';
import { endOffset, LineIndex, startOffset, TextSpan } from '../../src/syntax/positions.js';

const TEXT = 'ab\r\ncd\nef\rgh';

describe('TextSpan (AST spans: offsets, positions computed on read)', () => {
  it('reads like the plain span of the same range', () => {
    const lines = new LineIndex('f.det', TEXT);
    for (const [s, e] of [[0, 0], [0, 2], [1, 5], [4, 9], [7, 12], [11, 40], [-3, 2]] as const) {
      const lazy = new TextSpan(lines, s, e);
      const plain = lines.span(s, e);
      expect(lazy.file).toBe('f.det');
      expect({ ...lazy.start }).toStrictEqual(plain.start);
      expect({ ...lazy.end }).toStrictEqual(plain.end);
      expect(JSON.stringify(lazy)).toBe(JSON.stringify(plain));
      expect([startOffset(lazy), endOffset(lazy)]).toEqual([plain.start.offset, plain.end.offset]);
      expect([startOffset(plain), endOffset(plain)]).toEqual([plain.start.offset, plain.end.offset]);
    }
  });

  it('takes an end before the start as the start', () => {
    const lazy = new TextSpan(new LineIndex('f.det', TEXT), 5, 2);
    expect(lazy.end).toEqual(lazy.start);
  });

  it('compares by value in tests (test/setup.ts), so a wrong span still fails', () => {
    const lines = new LineIndex('f.det', TEXT);
    expect(new TextSpan(lines, 4, 6)).toEqual({ file: 'f.det', start: { offset: 4, line: 2, column: 1 }, end: { offset: 6, line: 2, column: 3 } });
    expect(new TextSpan(lines, 4, 6)).not.toEqual({ file: 'f.det', start: { offset: 4, line: 2, column: 1 }, end: { offset: 7, line: 2, column: 4 } });
    expect(new TextSpan(lines, 4, 6)).not.toEqual(new TextSpan(lines, 4, 7));
    expect(new TextSpan(lines, 4, 6)).toEqual(new TextSpan(new LineIndex('f.det', TEXT), 4, 6));
  });

  it('stays in the AST only: IR and diagnostic spans are plain objects with the same JSON', () => {
    const text = [
      'detection d {',
      '  title: "T"',
      '  id: "2f7a1d2e-4c1b-4f0a-9a57-0c3b8e7b9d11"',
      '  severity: low',
      '  description: "D"',
      '  condition: proc.name == "x"',
      '  test "t" matches {"rule": "r"}',
      '}',
      'detection e {',
      '  condition: bogus.field exists',
      '}',
      '',
    ].join('\n');
    const { ast } = parseFile(text, 'f.det');
    const { program, diagnostics } = lowerProgram([ast], builtinSource(), () => undefined);
    const decl = ast.blocks[0]!;
    if (decl.kind !== 'Detection') throw new Error('expected a detection');
    expect(decl.span).toBeInstanceOf(TextSpan);
    expect(diagnostics.some((d) => d.message.includes('bogus.field'))).toBe(true);
    for (const d of diagnostics) expect(Object.getPrototypeOf(d.span)).toBe(Object.prototype);
    const d = program.detections[0]!;
    expect(Object.getPrototypeOf(d.span)).toBe(Object.prototype);
    expect(JSON.stringify(d.span)).toBe(JSON.stringify(decl.span));
    expect(JSON.stringify(d.span)).toBe(JSON.stringify(new LineIndex('f.det', text).span(0, text.indexOf('\n}') + 2)));
    const cond = d.match.kind === 'filter' ? d.match.condition : undefined;
    expect(cond && 'span' in cond && Object.getPrototypeOf(cond.span)).toBe(Object.prototype);
  });
});
