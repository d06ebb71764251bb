/**
 * TypeMismatchRule — values and operators against field types, over the IR (each macro's
 * comparisons once):
 * - DET3004: the value's type is not the field's (a string on a number field, a number on a
 *   string field, a timestamp that is not a date);
 * - DET3016: the operator does not apply to the field's type (`<` on a string, `contains` on a
 *   number, anything but `==`/`in`/`exists` on a `string[]`, ordering on a boolean, text
 *   matching on a timestamp), or `nocase` on a field that is not text.
 * Value problems point at the value, operator problems at the whole comparison.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic, Span } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../ir/report.js';
import type { CompareCondition, FieldType, InCondition, Scalar } from '../../ir/types.js';
import { OP_TEXT } from '../../ir/operators.js';
import type { RuleContext } from '../context.js';

const ALLOWED_OPS: Readonly<Record<FieldType, readonly CompareCondition['op'][]>> = {
  string: ['eq', 'ne', 'contains', 'startswith', 'endswith', 'regex'],
  number: ['eq', 'ne', 'lt', 'le', 'gt', 'ge'],
  boolean: ['eq', 'ne'],
  'string[]': ['eq'],
  timestamp: ['eq', 'ne', 'lt', 'le', 'gt', 'ge'],
};

/** The scalar type a field's values have (`string[]` holds strings). */
function valueType(t: FieldType): 'string' | 'number' | 'boolean' {
  return t === 'number' ? 'number' : t === 'boolean' ? 'boolean' : 'string';
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function fits(t: FieldType, v: Scalar): boolean {
  if (typeof v !== valueType(t)) return false;
  return t !== 'timestamp' || (ISO_DATE_TIME.test(v as string) && !Number.isNaN(Date.parse(v as string)));
}

function describe(v: Scalar): string {
  return typeof v === 'string' ? `the string ${JSON.stringify(v)}` : `the ${typeof v} ${String(v)}`;
}

function typeHint(t: FieldType, v: Scalar): string {
  if (t === 'timestamp') return 'write an ISO 8601 date-time in quotes, e.g. "2024-05-01T12:00:00Z"';
  if (t === 'number') return typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? `remove the quotes: ${v}` : 'write a number, e.g. 1000';
  if (t === 'boolean') return 'write `true` or `false`';
  return `put the value in quotes: "${String(v)}"`;
}

function opHint(c: CompareCondition): string {
  const t = c.field.type;
  if (t === 'string[]') return `\`${c.field.name}\` holds a list of strings: use \`==\` (some element equals), \`in [ … ]\` or \`exists\``;
  if (t === 'string') return `\`${c.field.name}\` is text; ordering comparisons apply to number and timestamp fields only`;
  if (t === 'number') return `\`${c.field.name}\` is a number: compare it with ==, !=, <, <=, >, >=`;
  if (t === 'boolean') return `write \`${c.field.name} == true\` or \`${c.field.name} == false\``;
  return `compare \`${c.field.name}\` with ==, !=, <, <=, >, >= and an ISO 8601 date-time`;
}

/** Values (DET3004) and operators (DET3016) that do not fit the field type. */
export function TypeMismatchRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  // The value's span (from the AST) is looked up only for a comparison that has a problem.
  const valueSpan = (c: CompareCondition | InCondition): Span => ctx.comparisonAt(c.span)?.value?.span ?? c.span;
  for (const c of ctx.leafConditions()) {
    if (c.kind === 'in') checkIn(c, valueSpan, out);
    else checkCompare(c, valueSpan, out);
  }
  return out;
}

/** DET3016 for `nocase` on a field whose values are not text (a number has no case). */
function checkNocase(c: CompareCondition | InCondition, out: Diagnostic[]): void {
  const t = c.field.type;
  if (c.caseSensitive || t === 'string' || t === 'string[]') return;
  out.push(
    diagnostic(Codes.InvalidOperator, c.span, `\`nocase\` cannot apply to \`${c.field.name}\`, a ${t} field: its values have no case`, 'remove `nocase`: it applies to text comparisons only'),
  );
}

function checkCompare(c: CompareCondition, valueSpan: (c: CompareCondition) => Span, out: Diagnostic[]): void {
  const t = c.field.type;
  checkNocase(c, out);
  if (!ALLOWED_OPS[t].includes(c.op)) {
    out.push(
      diagnostic(
        Codes.InvalidOperator,
        c.span,
        `\`${OP_TEXT[c.op]}\` cannot apply to \`${c.field.name}\`, a ${t} field`,
        opHint(c),
      ),
    );
    return;
  }
  if (!fits(t, c.value)) {
    out.push(
      diagnostic(
        Codes.TypeMismatch,
        valueSpan(c),
        t === 'timestamp' && typeof c.value === 'string'
          ? `\`${c.field.name}\` is a timestamp, but ${JSON.stringify(c.value)} is not a date-time`
          : `\`${c.field.name}\` is a ${t} field, but the value is ${describe(c.value)}`,
        typeHint(t, c.value),
      ),
    );
  }
}

function checkIn(c: InCondition, valueSpan: (c: InCondition) => Span, out: Diagnostic[]): void {
  const t = c.field.type;
  checkNocase(c, out);
  const bad = c.values.filter((v) => !fits(t, v));
  if (bad.length === 0) return;
  const shown = bad.slice(0, 3).map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v)));
  out.push(
    diagnostic(
      Codes.TypeMismatch,
      valueSpan(c),
      `\`${c.field.name}\` is a ${t} field, but the list holds ${bad.length === 1 ? 'a value' : `${bad.length} values`} of another type: ${shown.join(', ')}${bad.length > 3 ? ', …' : ''}`,
      typeHint(t, bad[0]!),
    ),
  );
}
