/**
 * Reading AST values: what kind a value is (for messages), and the scalar it stands for.
 */
import type { NumberValue, ScalarValue, Value } from '../syntax/ast.js';
import type { Scalar } from './types.js';
import { Codes } from '../diagnostics/codes.js';
import type { Reporter } from './report.js';

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

/**
 * Why a number literal does not stand for the number written (with a hint), or `undefined`
 * when it does. Values are IEEE doubles, as in JSON and in the evaluator: a literal beyond
 * ±(2^53 − 1) may read as a neighbour (`9007199254740993` is 9007199254740992), which a target
 * with 64-bit integers (KQL's `long`) would not; beyond ~1.8e308 it is infinite; below ~5e-324
 * it is 0.
 */
export function inexactNumber(v: NumberValue): { readonly reason: string; readonly hint: string } | undefined {
  const written = v.raw ?? String(v.value);
  const range = 'use a number between -9007199254740991 and 9007199254740991 (numbers are 64-bit floating point, as in JSON)';
  if (!Number.isFinite(v.value)) return { reason: `the number ${written} is too large: it reads as infinity`, hint: range };
  if (v.value === 0 && /[1-9]/.test(written.split(/[eE]/)[0] ?? '')) {
    return { reason: `the number ${written} is too small: it reads as 0`, hint: 'write 0 if that is what you mean' };
  }
  if (Math.abs(v.value) > Number.MAX_SAFE_INTEGER) {
    const reads = BigInt(v.value).toString();
    const differs = /^-?\d+$/.test(written) && written !== reads;
    return { reason: `the number ${written} is beyond 2^53 − 1, where neighbouring whole numbers read as one${differs ? ` (it reads as ${reads})` : ''}`, hint: range };
  }
  return undefined;
}

/** Reports (DET2009) a number literal that does not stand for the number written; true if it did. */
export function reportInexactNumber(v: Value, reporter: Reporter): boolean {
  const problem = v.kind === 'Number' ? inexactNumber(v) : undefined;
  if (problem === undefined) return false;
  reporter.report(Codes.InexactNumber, v.span, problem.reason, problem.hint);
  return true;
}
