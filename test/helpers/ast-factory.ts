/**
 * Hand-built AST nodes, for lowering tests that must not depend on the parser (e.g. shapes the
 * parser cannot produce, or inputs too large to write as text). Spans are synthetic: every
 * node sits on `line`, starting at `column`.
 */
import type { Span } from '../../src/diagnostics/diagnostic.js';
import type {
  Comparison,
  ComparisonOp,
  DetectionDecl,
  Expr,
  FileNode,
  Identifier,
  Member,
  Property,
  ScalarValue,
  Value,
} from '../../src/syntax/ast.js';

/** A span on one line of `file`, `length` characters from `column`. */
export function sp(line: number, column: number, length = 1, file = 'hand.det'): Span {
  const offset = (line - 1) * 1000 + column - 1;
  return {
    file,
    start: { offset, line, column },
    end: { offset: offset + length, line, column: column + length },
  };
}

export function ident(name: string, span = sp(1, 1, name.length)): Identifier {
  return { kind: 'Identifier', name, span };
}

export function str(value: string, span = sp(1, 1, value.length + 2)): ScalarValue {
  return { kind: 'String', value, block: false, span };
}

export function num(value: number, span = sp(1, 1)): ScalarValue {
  return { kind: 'Number', value, span };
}

export function cmp(field: string, op: ComparisonOp, value: Value | undefined, span = sp(1, 1, 10)): Comparison {
  return {
    kind: 'Comparison',
    field: ident(field, span),
    op,
    ...(value === undefined ? {} : { value }),
    span,
  };
}

export function or(left: Expr, right: Expr, span = sp(1, 1)): Expr {
  return { kind: 'Binary', op: 'or', left, right, span };
}

export function prop(key: string, value: Value, span = sp(1, 1)): Property {
  return { kind: 'Property', key: ident(key, span), value, span };
}

/** A detection with the required properties and the given extra members. */
export function detectionDecl(name: string, members: Member[], span = sp(1, 1, 9)): DetectionDecl {
  return {
    kind: 'Detection',
    name: ident(name, span),
    members: [
      prop('title', str('T')),
      prop('id', str('2f7a1d2e-4c1b-4f0a-9a57-0c3b8e7b9d11')),
      prop('description', str('D')),
      prop('severity', { kind: 'IdentifierValue', name: 'low', span: sp(1, 1, 3) }),
      ...members,
    ],
    span,
  };
}

export function fileNode(blocks: FileNode['blocks'], path = 'hand.det'): FileNode {
  return { kind: 'File', path, blocks, span: sp(1, 1, 1, path) };
}
