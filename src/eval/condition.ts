/**
 * The reference semantics of a condition over one Falco alert. Backends must agree with this
 * function on every event (or refuse to compile the condition).
 */
import type { CompareOp, Condition, FieldRef, JsonObject, Scalar } from '../ir/types.js';
import type { SourceDefinition } from '../source/types.js';
import { fieldValue } from './fields.js';
import { regexTest } from './regex.js';
import { parseIsoNanos } from './time.js';

/**
 * Whether `cond` holds for `event`:
 * - `and`/`or`/`not` as usual (`not` of a comparison on a missing field is true);
 * - a comparison on a missing field (absent or null) is false, `ne` included;
 * - values compare only with values of the same JSON type: strings with strings (code-point
 *   order), numbers with numbers (numerically), booleans with booleans (`eq`/`ne` only);
 *   anything else, e.g. the string "0" against the number 0, is false (`ne` included);
 * - `caseSensitive: false` lower-cases both sides (Unicode default case mapping, no locale);
 * - `contains`/`startswith`/`endswith` are substring tests; `regex` is an unanchored search with
 *   a JavaScript `u` RegExp (plus `i` when not case-sensitive), which throws `RegexTimeout` when
 *   it backtracks too long to tell (see `regex.ts`);
 * - on a `timestamp` field, `eq`/`ne`/`lt`/`le`/`gt`/`ge` compare instants (nanosecond
 *   precision) when both sides are ISO-8601 date-times, and are false otherwise; the string ops
 *   see the text;
 * - on a `string[]` field (a JSON array) a comparison or `in` holds when some string element
 *   satisfies it; `ne` holds when no element equals the value;
 * - `exists`: present, not null, and not the empty string.
 */
export function evaluateCondition(cond: Condition, event: JsonObject, source: SourceDefinition): boolean {
  switch (cond.kind) {
    case 'and':
      return cond.args.every((c) => evaluateCondition(c, event, source));
    case 'or':
      return cond.args.some((c) => evaluateCondition(c, event, source));
    case 'not':
      return !evaluateCondition(cond.arg, event, source);
    case 'exists': {
      const v = fieldValue(event, cond.field, source);
      return v !== undefined && v !== null && v !== '';
    }
    case 'compare':
      return holds(cond.op, cond.field, fieldValue(event, cond.field, source), cond.value, cond.caseSensitive);
    case 'in': {
      const actual = fieldValue(event, cond.field, source);
      return cond.values.some((v) => holds('eq', cond.field, actual, v, cond.caseSensitive));
    }
  }
}

function holds(op: CompareOp, field: FieldRef, actual: unknown, expected: Scalar, caseSensitive: boolean): boolean {
  if (actual === undefined || actual === null) return false;
  if (Array.isArray(actual)) {
    if (field.type !== 'string[]') return false;
    const strings = actual.filter((a): a is string => typeof a === 'string');
    if (op === 'ne') return typeof expected === 'string' && !strings.some((a) => compareScalar('eq', field, a, expected, caseSensitive));
    return strings.some((a) => compareScalar(op, field, a, expected, caseSensitive));
  }
  if (field.type === 'string[]') return false;
  return compareScalar(op, field, actual, expected, caseSensitive);
}

function compareScalar(op: CompareOp, field: FieldRef, actual: unknown, expected: Scalar, caseSensitive: boolean): boolean {
  if (typeof actual === 'string' && typeof expected === 'string') {
    if (field.type === 'timestamp' && isOrderOrEquality(op)) {
      const a = parseIsoNanos(actual);
      const b = parseIsoNanos(expected);
      if (a === undefined || b === undefined) return false;
      return order(op, a < b ? -1 : a > b ? 1 : 0);
    }
    return compareStrings(op, actual, expected, caseSensitive);
  }
  if (typeof actual === 'number' && typeof expected === 'number') {
    return isOrderOrEquality(op) && order(op, actual < expected ? -1 : actual > expected ? 1 : 0);
  }
  if (typeof actual === 'boolean' && typeof expected === 'boolean') {
    if (op === 'eq') return actual === expected;
    if (op === 'ne') return actual !== expected;
    return false;
  }
  return false;
}

function isOrderOrEquality(op: CompareOp): boolean {
  return op === 'eq' || op === 'ne' || op === 'lt' || op === 'le' || op === 'gt' || op === 'ge';
}

/** Whether a three-way comparison result `c` (actual vs expected) satisfies `op`. */
function order(op: CompareOp, c: number): boolean {
  switch (op) {
    case 'eq':
      return c === 0;
    case 'ne':
      return c !== 0;
    case 'lt':
      return c < 0;
    case 'le':
      return c <= 0;
    case 'gt':
      return c > 0;
    case 'ge':
      return c >= 0;
    default:
      return false;
  }
}

function compareStrings(op: CompareOp, actual: string, expected: string, caseSensitive: boolean): boolean {
  if (op === 'regex') return regexTest(expected, caseSensitive, actual);
  const a = caseSensitive ? actual : actual.toLowerCase();
  const b = caseSensitive ? expected : expected.toLowerCase();
  switch (op) {
    case 'contains':
      return a.includes(b);
    case 'startswith':
      return a.startsWith(b);
    case 'endswith':
      return a.endsWith(b);
    default:
      return order(op, compareCodePoints(a, b));
  }
}

/** Three-way comparison of two strings by Unicode code points (not UTF-16 code units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Orders UTF-16 units so that surrogates (code points above U+FFFF) sort after U+E000–U+FFFF. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
