/**
 * IR conditions → KQL predicates over the parser's columns, with the evaluator's semantics
 * (`src/eval/condition.ts`) or a refusal:
 * - every atom yields true or false, never null: number and boolean columns are guarded with
 *   `isnotnull`, a list element test is `coalesce(set_has_element(…), false)`, so `not(…)` of a
 *   comparison on a missing field is true, as in the evaluator;
 * - string columns hold "" for a missing field (KQL strings are never null), so a present empty
 *   string reads as missing; `!=` and `regex` are guarded with `isnotempty`, `exists` is
 *   `isnotempty`, and a comparison *with* the empty string (`== ""`, `in [""]`) is refused;
 * - case-sensitive by default (`==`, `contains_cs`, `startswith_cs`, `endswith_cs`, `in`,
 *   `matches regex`); `nocase` gives `=~`, `contains`, `startswith`, `endswith`, `in~` and a
 *   `(?i)` pattern; `has_cs` is never used (its whole-term matching is not a substring test);
 * - refused (DET5001): conditions on timestamp fields (Sentinel's datetime holds 100 ns ticks
 *   and `TimeGenerated` is never missing), `nocase` on list fields, `exists` on list fields
 *   (the CEF route cannot tell `[]` from a missing list), regular expressions without
 *   an exact KQL equivalent (`src/regex/kusto.ts`), operators the field type does not allow.
 * Compiled conditions are cached by object, so a macro shared by many detections is compiled once.
 */
import type { Span } from '../../diagnostics/diagnostic.js';
import type { CompareCondition, Condition, ExistsCondition, FieldRef, InCondition, Scalar } from '../../ir/types.js';
import { OP_TEXT } from '../../ir/operators.js';
import { toKustoRegex } from '../../regex/kusto.js';
import { bool, code, join, kql, num, str, type Kql } from './text.js';

/** A KQL predicate with its operator precedence (for parentheses) and its atoms. */
export interface Predicate extends Kql {
  readonly level: 'or' | 'and' | 'atom';
  /**
   * The comparisons it is made of, each a boolean KQL expression over the parser's columns;
   * the predicate is these joined by `and`, `or`, `not(…)` and parentheses.
   */
  readonly atoms: readonly Kql[];
  /**
   * Its operands at its own level: the conjuncts of an `and`, the disjuncts of an `or`, the
   * predicate itself for an atom. An `and` or `or` made of others lists each operand once, as
   * `x and x` means `x` (a guard written by two comparisons on one column, say).
   */
  readonly operands: readonly Kql[];
}

/** Why a condition cannot be compiled exactly. */
export interface Unexpressible {
  readonly span: Span;
  readonly reason: string;
  readonly hint: string;
}

export interface CompiledCondition {
  /** Present when every part compiled. */
  readonly predicate?: Predicate;
  readonly problems: readonly Unexpressible[];
}

const atom = (k: Kql): Predicate => ({ ...k, level: 'atom', atoms: [k], operands: [k] });
/** A guarded comparison (`isnotnull(c) and c > 5`): one atom, written with `and`. */
const both = (a: Kql, b: Kql): Predicate => {
  const k = kql`${a} and ${b}`;
  return { ...k, level: 'and', atoms: [k], operands: [a, b] };
};
/** The predicates joined by `and` or `or`, each operand once (the first time it appears). */
function combine(kind: 'and' | 'or', preds: readonly Predicate[]): Predicate {
  const wrap = (p: Predicate): Kql => (p.level === 'or' || (kind === 'or' && p.level === 'and') ? kql`(${p})` : p);
  const operands = uniqueByText(preds.flatMap((p) => (p.level === kind ? p.operands : [wrap(p)])));
  if (operands.length === 1) return preds[0] as Predicate; // every one of them is the same predicate
  return { ...join(operands, ` ${kind} `), level: kind, atoms: uniqueByText(preds.flatMap((p) => p.atoms)), operands };
}
function uniqueByText(parts: readonly Kql[]): Kql[] {
  const seen = new Set<string>();
  const out: Kql[] = [];
  for (const k of parts) {
    if (seen.has(k.text)) continue;
    seen.add(k.text);
    out.push(k);
  }
  return out;
}
const FALSE: Predicate = atom(code('false'));

/** Compiles conditions for one source: `column(field)` is the KQL name of a field's column. */
export class ConditionCompiler {
  private readonly cache = new WeakMap<Condition, CompiledCondition>();

  constructor(private readonly column: (field: FieldRef) => string) {}

  /** The predicate for `cond`, or every reason it cannot be expressed. */
  compile(cond: Condition): CompiledCondition {
    const cached = this.cache.get(cond);
    if (cached) return cached;
    const result = this.compileUncached(cond);
    this.cache.set(cond, result);
    return result;
  }

  private compileUncached(cond: Condition): CompiledCondition {
    switch (cond.kind) {
      case 'and':
      case 'or': {
        const parts = cond.args.map((a) => this.compile(a));
        const problems = parts.flatMap((p) => p.problems);
        if (problems.length > 0) return { problems };
        return { predicate: combine(cond.kind, parts.map((p) => p.predicate as Predicate)), problems: [] };
      }
      case 'not': {
        const inner = this.compile(cond.arg);
        if (!inner.predicate) return inner;
        const k = kql`not(${inner.predicate})`;
        return { predicate: { ...k, level: 'atom', atoms: inner.predicate.atoms, operands: [k] }, problems: [] };
      }
      case 'exists':
        return this.exists(cond);
      case 'compare':
        return this.compare(cond);
      case 'in':
        return this.in(cond);
    }
  }

  private exists(c: ExistsCondition): CompiledCondition {
    const col = this.column(c.field);
    if (c.field.type === 'timestamp') return refuse(c.span, timestampReason(c.field));
    if (c.field.type === 'string[]') {
      return refuse(
        c.span,
        `\`exists\` on the list field \`${c.field.name}\` has no exact KQL form: Falcosidekick's CEF output leaves an empty list out, so \`[]\` reads as missing on that route`,
        `compare elements instead, e.g. \`${c.field.name} == "…"\``,
      );
    }
    if (c.field.type === 'string') return ok(atom(code(`isnotempty(${col})`)));
    return ok(atom(code(`isnotnull(${col})`)));
  }

  private compare(c: CompareCondition): CompiledCondition {
    const col = this.column(c.field);
    const f = c.field;
    if (f.type === 'timestamp') return refuse(c.span, timestampReason(f));
    if (f.type === 'string[]') {
      if (c.op !== 'eq' && c.op !== 'ne') return refuse(c.span, `\`${opText(c.op)}\` on the list field \`${f.name}\` is not supported`);
      if (!c.caseSensitive) return refuse(c.span, `a case-insensitive comparison with the elements of \`${f.name}\` has no exact KQL form`, 'compare the elements case-sensitively');
      if (typeof c.value !== 'string') return ok(FALSE);
      const has = hasElement(col, c.value);
      return ok(c.op === 'eq' ? atom(has) : both(code(`isnotnull(${col})`), kql`not(${has})`));
    }
    if (f.type === 'number' || f.type === 'boolean') {
      if (typeof c.value !== (f.type === 'number' ? 'number' : 'boolean')) return ok(FALSE);
      const op = ORDER_OPS[c.op];
      if (op === undefined || (f.type === 'boolean' && c.op !== 'eq' && c.op !== 'ne')) {
        return refuse(c.span, `\`${opText(c.op)}\` does not apply to the ${f.type} field \`${f.name}\``);
      }
      const value = typeof c.value === 'number' ? num(c.value) : bool(c.value as boolean);
      return ok(both(code(`isnotnull(${col})`), kql`${col} ${op} ${value}`));
    }
    // string
    if (typeof c.value !== 'string') return ok(FALSE);
    const v = c.value;
    const cs = c.caseSensitive;
    switch (c.op) {
      case 'eq':
        if (v === '') return refuse(c.span, emptyReason(f), 'use `not ' + f.name + ' exists` to find alerts without the field');
        return ok(atom(kql`${col} ${cs ? '==' : '=~'} ${str(v)}`));
      case 'ne':
        if (v === '') return ok(atom(code(`isnotempty(${col})`)));
        return ok(both(code(`isnotempty(${col})`), kql`${col} ${cs ? '!=' : '!~'} ${str(v)}`));
      case 'contains':
      case 'startswith':
      case 'endswith':
        if (v === '') return ok(atom(code(`isnotempty(${col})`)));
        return ok(atom(kql`${col} ${cs ? `${c.op}_cs` : c.op} ${str(v)}`));
      case 'regex': {
        const translated = toKustoRegex(v, { caseInsensitive: !cs });
        if ('refused' in translated) {
          return refuse(c.span, `the regular expression ${JSON.stringify(v)} has no exact KQL equivalent: ${translated.refused}`, translated.hint ?? 'rewrite the pattern without that construct');
        }
        const pattern = cs ? translated.pattern : `(?i)${translated.pattern}`;
        return ok(both(code(`isnotempty(${col})`), kql`${col} matches regex ${str(pattern)}`));
      }
      default:
        return refuse(c.span, `\`${opText(c.op)}\` does not apply to the string field \`${f.name}\``);
    }
  }

  private in(c: InCondition): CompiledCondition {
    const col = this.column(c.field);
    const f = c.field;
    if (f.type === 'timestamp') return refuse(c.span, timestampReason(f));
    const wanted = f.type === 'number' ? 'number' : f.type === 'boolean' ? 'boolean' : 'string';
    // Values of another type never equal the field's values (the evaluator compares JSON types).
    const values = c.values.filter((v): v is Scalar => typeof v === wanted);
    if (values.length === 0) return ok(FALSE);
    if (f.type === 'string[]') {
      if (!c.caseSensitive) return refuse(c.span, `a case-insensitive comparison with the elements of \`${f.name}\` has no exact KQL form`, 'compare the elements case-sensitively');
      const tests = values.map((v) => hasElement(col, v as string));
      return ok(tests.length === 1 ? atom(tests[0] as Kql) : { ...join(tests, ' or '), level: 'or', atoms: tests, operands: tests });
    }
    if (f.type === 'string') {
      if (values.includes('')) return refuse(c.span, emptyReason(f), 'leave "" out of the list and add `or not ' + f.name + ' exists` if missing values are wanted');
      const list = join(values.map((v) => str(v as string)), ', ');
      return ok(atom(kql`${col} ${c.caseSensitive ? 'in' : 'in~'} (${list})`));
    }
    const list = join(values.map((v) => (typeof v === 'number' ? num(v) : bool(v as boolean))), ', ');
    return ok(both(code(`isnotnull(${col})`), kql`${col} in (${list})`));
  }
}

/**
 * Whether list column `col` holds `value`: never null, so `not(…)` of it is true for a missing
 * list (`dynamic(null)`) whatever `set_has_element` makes of null.
 */
function hasElement(col: string, value: string): Kql {
  return kql`coalesce(set_has_element(${col}, ${str(value)}), false)`;
}

const ORDER_OPS: Partial<Record<CompareCondition['op'], string>> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

function opText(op: CompareCondition['op']): string {
  return OP_TEXT[op];
}

function ok(predicate: Predicate): CompiledCondition {
  return { predicate, problems: [] };
}

function refuse(span: Span, reason: string, hint = 'rewrite the condition, or leave this detection out of the Sentinel target'): CompiledCondition {
  return { problems: [{ span, reason, hint }] };
}

function timestampReason(f: FieldRef): string {
  return `conditions on the timestamp field \`${f.name}\` cannot be compiled exactly: Sentinel's datetime keeps 100 ns ticks where Falco's time has nanoseconds, and TimeGenerated is never missing`;
}

function emptyReason(f: FieldRef): string {
  return `\`${f.name}\` compared with the empty string: Sentinel's string columns hold "" for a missing field, so an empty value cannot be told apart from a missing one`;
}
