import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { parseFile } from '../../src/syntax/parse.js';
import { printFile } from '../../src/syntax/printer.js';
import { prng } from '../helpers/prng.js';

const here = dirname(fileURLToPath(import.meta.url));
const rich = readFileSync(join(here, 'fixtures', 'rich.det'), 'utf8');

const PIECES = [
  '{', '}', '[', ']', '(', ')', ':', ',', '=', '==', '"', '"""', '#', '\\', '\n', ' ', 'and', 'or', 'not',
  'detection', 'list', 'macro', 'test', 'matches', 'does not match', 'file', 'sequence', 'step', 'within',
  '5m', '-1', '1e400', 'x.y', '"\\q"', '\u00e9', '\ufeff', '\r', '\t', '@', '\u0000', '{"a": 1}', 'exists',
];

function mutate(text: string, rand: () => number): string {
  const pos = Math.floor(rand() * (text.length + 1));
  switch (Math.floor(rand() * 4)) {
    case 0: // truncate
      return text.slice(0, pos);
    case 1: {
      // delete a range
      const len = 1 + Math.floor(rand() * 20);
      return text.slice(0, pos) + text.slice(pos + len);
    }
    case 2: {
      // insert a piece
      const piece = PIECES[Math.floor(rand() * PIECES.length)]!;
      return text.slice(0, pos) + piece + text.slice(pos);
    }
    default: {
      // duplicate a range elsewhere
      const from = Math.floor(rand() * text.length);
      const chunk = text.slice(from, from + Math.floor(rand() * 40));
      return text.slice(0, pos) + chunk + text.slice(pos);
    }
  }
}

function randomString(rand: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    s += rand() < 0.5 ? PIECES[Math.floor(rand() * PIECES.length)]! : String.fromCharCode(Math.floor(rand() * 0x3000));
  }
  return s;
}

function checkDiagnostics(diagnostics: Diagnostic[], text: string, file: string): void {
  for (const d of diagnostics) {
    expect(d.span, d.message).toBeDefined();
    const { start, end } = d.span!;
    expect(d.span!.file).toBe(file);
    expect(start.offset).toBeGreaterThanOrEqual(0);
    expect(end.offset).toBeGreaterThanOrEqual(start.offset);
    expect(end.offset).toBeLessThanOrEqual(text.length);
    expect(start.line).toBeGreaterThanOrEqual(1);
    expect(start.column).toBeGreaterThanOrEqual(1);
    expect(d.message).toBeTruthy();
    expect(d.hint).toBeTruthy();
    expect(d.code).toMatch(/^DET10\d\d$/);
  }
}

describe('mini-fuzz', () => {
  it('never throws on mutations of a valid file; every diagnostic has a span and a hint', () => {
    const rand = prng(1234);
    let withErrors = 0;
    for (let i = 0; i < 400; i++) {
      let text = rich;
      const rounds = 1 + Math.floor(rand() * 4);
      for (let r = 0; r < rounds; r++) text = mutate(text, rand);
      const { ast, diagnostics } = parseFile(text, 'fuzz.det');
      checkDiagnostics(diagnostics, text, 'fuzz.det');
      if (diagnostics.length > 0) withErrors++;
      // Whatever was recovered can be printed.
      expect(() => printFile(ast)).not.toThrow();
    }
    expect(withErrors).toBeGreaterThan(100);
  });

  it('never throws on every truncation of a valid file', () => {
    for (let n = 0; n <= rich.length; n += 7) {
      const text = rich.slice(0, n);
      const { diagnostics } = parseFile(text, 'cut.det');
      checkDiagnostics(diagnostics, text, 'cut.det');
    }
  });

  it('never throws on random strings', () => {
    const rand = prng(99);
    for (let i = 0; i < 200; i++) {
      const text = randomString(rand, Math.floor(rand() * 200));
      const { diagnostics } = parseFile(text, 'r.det');
      checkDiagnostics(diagnostics, text, 'r.det');
    }
  });

  it('parses what it prints when the input had no errors', () => {
    const rand = prng(7);
    let clean = 0;
    for (let i = 0; i < 300; i++) {
      const text = mutate(rich, rand);
      const { ast, diagnostics } = parseFile(text, 'p.det');
      if (diagnostics.length > 0) continue;
      clean++;
      const printed = printFile(ast);
      const again = parseFile(printed, 'p.det');
      expect(again.diagnostics).toEqual([]);
      expect(printFile(again.ast)).toBe(printed);
    }
    expect(clean).toBeGreaterThan(20);
  });
});
