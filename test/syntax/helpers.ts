import { expect } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { stripSpans, type Block, type DetectionDecl, type Expr, type FileNode, type Member } from '../../src/syntax/ast.js';
import { parseFile } from '../../src/syntax/parse.js';

/** Parse text that must be valid; returns the AST. */
export function parseOk(text: string, file = 'test.det'): FileNode {
  const { ast, diagnostics } = parseFile(text, file);
  expect(diagnostics.map(format)).toEqual([]);
  return ast;
}

/** The blocks of valid text, without spans. */
export function blocksOf(text: string): unknown[] {
  return stripSpans(parseOk(text).blocks) as unknown[];
}

/** The members of the single detection in `body` (wrapped in `detection d { … }`), without spans. */
export function membersOf(body: string): unknown[] {
  const ast = parseOk(`detection d {\n${body}\n}`);
  return stripSpans((ast.blocks[0] as DetectionDecl).members) as unknown[];
}

/** The single member of a detection, with spans. */
export function memberOf(body: string): Member {
  const ast = parseOk(`detection d {\n${body}\n}`);
  return (ast.blocks[0] as DetectionDecl).members[0]!;
}

/** The condition expression of `condition: <expr>`, without spans. */
export function exprOf(expr: string): unknown {
  const m = memberOf(`condition: ${expr}`);
  if (m.kind !== 'Condition') throw new Error('not a condition');
  return stripSpans(m.expr);
}

/** `file:line:col CODE message`, for compact assertions. */
export function format(d: Diagnostic): string {
  return `${d.span?.start.line}:${d.span?.start.column} ${d.code} ${d.message}`;
}

/** A compact rendering of an expression, with explicit parentheses around every binary node. */
export function show(e: Expr): string {
  switch (e.kind) {
    case 'Binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'Not':
      return `not ${show(e.operand)}`;
    case 'MacroRef':
      return e.name.name;
    case 'Comparison':
      return `${e.field.name} ${e.op}`;
  }
}

export function firstBlock(text: string): Block {
  return parseOk(text).blocks[0]!;
}
