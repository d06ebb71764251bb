/**
 * Reading AST values: what kind a value is (for messages), and the scalar it stands for.
 */
import type { ScalarValue, Value } from '../syntax/ast.js';
import type { Scalar } from './types.js';

/** How a value reads in a message: "a string", "the bare word `x`", "a duration (`5m`)". */
export function describeValue(v: Value): string {
  switch (v.kind) {
    case 'String':
      return `a string (${JSON.stringify(v.value)})`;
    case 'Number':
      return `a number (${v.value})`;
    case 'Boolean':
      return `a boolean (${v.value})`;
    case 'Duration':
      return `a duration (\`${v.text}\`)`;
    case 'IdentifierValue':
      return `the bare word \`${v.name}\``;
    case 'List':
      return 'a list';
  }
}

/** The scalar a string, number or boolean literal stands for; `undefined` for anything else. */
export function literalScalar(v: ScalarValue): Scalar | undefined {
  switch (v.kind) {
    case 'String':
    case 'Number':
    case 'Boolean':
      return v.value;
    default:
      return undefined;
  }
}

/** A key telling scalars apart by type and value (`"1"` and `1` differ). */
export function scalarKey(s: Scalar): string {
  return `${typeof s}:${String(s)}`;
}

/** The items of a value: a list's items, or the value itself as a one-item list. */
export function itemsOf(v: Value): readonly ScalarValue[] {
  return v.kind === 'List' ? v.items : [v];
}
