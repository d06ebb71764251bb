/**
 * Lowering expressions to IR conditions: fields resolved against the source, lists and macros
 * inlined, nested `and`/`or` flattened. Every macro is lowered once (its problems reported
 * once, even when it is never used); a detection that uses it shares the result.
 */
import { Codes } from '../diagnostics/codes.js';
import type { Span } from '../diagnostics/diagnostic.js';
import { suggest } from '../diagnostics/suggest.js';
import type { Comparison, ComparisonOp, Expr, MacroDecl, MacroRef } from '../syntax/ast.js';
import { resolveField, type FieldIndex } from './fields.js';
import type { ListResolver } from './lists.js';
import { irSpan, type Reporter } from './report.js';
import type { CompareOp, Condition, Scalar } from './types.js';
import { describeValue, literalScalar, reportInexactNumber } from './values.js';

const COMPARE_OPS: Readonly<Record<Exclude<ComparisonOp, 'in' | 'exists'>, CompareOp>> = {
  '==': 'eq',
  '!=': 'ne',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
  contains: 'contains',
  startswith: 'startswith',
  endswith: 'endswith',
  regex: 'regex',
};

/**
 * `and`/`or` of `args`, with nested conditions of the same kind spliced in (so `and` never has
 * an `and` argument); a single argument is returned as is.
 */
export function junction(kind: 'and' | 'or', args: readonly Condition[]): Condition {
  const flat: Condition[] = [];
  for (const a of args) {
    if (a.kind === kind) flat.push(...a.args);
    else flat.push(a);
  }
  if (flat.length === 1) return flat[0]!;
  return { kind, args: flat };
}

/**
 * How deep a macro's condition may nest `and`/`or`/`not` once the macros it uses are inlined.
 * Twice what one expression may nest (`MAX_NESTING`); the backends and checks walk conditions
 * recursively, so a deeper chain of macros is refused rather than overflowing them.
 */
export const MAX_CONDITION_DEPTH = 256;

/** The names of the macros `expr` refers to, in the order lowering meets them (left to right). */
function macroRefs(expr: Expr): string[] {
  const names: string[] = [];
  const pending: Expr[] = [expr];
  while (pending.length > 0) {
    const e = pending.pop()!;
    if (e.kind === 'Binary') pending.push(e.right, e.left);
    else if (e.kind === 'Not') pending.push(e.operand);
    else if (e.kind === 'MacroRef') names.push(e.name.name);
  }
  return names;
}

/** Lowers expressions; `null` results stand for expressions with errors (already reported). */
export class ConditionLowerer {
  private readonly macroCache = new Map<string, Condition | null>();
  private readonly stack: string[] = [];
  private readonly reportedCycles = new Set<string>();
  /** The nesting depth of conditions already measured (macros' conditions are shared). */
  private readonly depths = new WeakMap<Condition, number>();

  constructor(
    private readonly fields: FieldIndex,
    private readonly lists: ListResolver,
    private readonly macros: ReadonlyMap<string, MacroDecl>,
    private readonly reporter: Reporter,
  ) {}

  /** Lowers every macro, so problems in unused macros are reported too (each once). */
  lowerAllMacros(): void {
    for (const decl of this.macros.values()) this.lowerMacro(decl);
  }

  /** Lowers one expression; `null` when it (or a macro it uses) has errors. */
  lower(expr: Expr): Condition | null {
    switch (expr.kind) {
      case 'Binary': {
        // Walk a chain of the same operator iteratively: long `a or b or c …` chains are
        // left-nested and could otherwise exhaust the stack.
        const operands: Expr[] = [];
        const pending: Expr[] = [expr];
        while (pending.length > 0) {
          const e = pending.pop()!;
          if (e.kind === 'Binary' && e.op === expr.op) pending.push(e.right, e.left);
          else operands.push(e);
        }
        const args = operands.map((e) => this.lower(e));
        if (args.some((a) => a === null)) return null;
        return junction(expr.op, args as Condition[]);
      }
      case 'Not': {
        const arg = this.lower(expr.operand);
        return arg === null ? null : { kind: 'not', arg };
      }
      case 'MacroRef':
        return this.lowerMacroRef(expr);
      case 'Comparison':
        return this.lowerComparison(expr);
    }
  }

  private lowerMacroRef(ref: MacroRef): Condition | null {
    const name = ref.name.name;
    const decl = this.macros.get(name);
    if (decl === undefined) {
      this.reportUnknownMacro(ref);
      return null;
    }
    const at = this.stack.indexOf(name);
    if (at >= 0) {
      const cycle = [...this.stack.slice(at), name];
      const key = [...new Set(cycle)].sort().join(',');
      if (!this.reportedCycles.has(key)) {
        this.reportedCycles.add(key);
        this.reporter.report(
          Codes.CyclicMacro,
          ref.name.span,
          `macro \`${name}\` refers to itself: ${cycle.join(' -> ')}`,
          `a macro cannot use itself, directly or through other macros; remove \`${name}\` from macro \`${this.stack[this.stack.length - 1]}\``,
        );
      }
      return null;
    }
    return this.lowerMacro(decl);
  }

  /**
   * Lowers a macro and, first, every macro it uses that is not lowered yet, depth first with an
   * explicit stack instead of recursion (a chain of thousands of macros would overflow the call
   * stack). `this.stack` holds the path as recursion would, so the body that closes a cycle
   * reports it (in `lowerMacroRef`) exactly as a recursive descent would.
   */
  private lowerMacro(decl: MacroDecl): Condition | null {
    const root = decl.name.name;
    if (this.macroCache.has(root)) return this.macroCache.get(root) ?? null;
    const frames: { decl: MacroDecl; refs: string[]; next: number }[] = [];
    const enter = (d: MacroDecl): void => {
      this.stack.push(d.name.name);
      frames.push({ decl: d, refs: macroRefs(d.body), next: 0 });
    };
    enter(decl);
    while (frames.length > 0) {
      const top = frames[frames.length - 1]!;
      if (top.next < top.refs.length) {
        const name = top.refs[top.next++]!;
        const used = this.macros.get(name);
        if (used !== undefined && !this.macroCache.has(name) && !this.stack.includes(name)) enter(used);
        continue;
      }
      // every macro the body uses is lowered now, or on the path (a cycle)
      const name = top.decl.name.name;
      let condition = this.lower(top.decl.body);
      const depth = condition === null ? 0 : this.depthOf(condition);
      if (depth > MAX_CONDITION_DEPTH) {
        this.reporter.report(
          Codes.NestingTooDeep,
          top.decl.name.span,
          `macro \`${name}\` nests conditions ${depth} deep through the macros it uses (at most ${MAX_CONDITION_DEPTH})`,
          'write the condition with fewer levels of macros inside `not`, `and` and `or`',
        );
        condition = null;
      }
      this.stack.pop();
      frames.pop();
      if (!this.macroCache.has(name)) this.macroCache.set(name, condition);
    }
    return this.macroCache.get(root) ?? null;
  }

  /** How deep `c` nests `and`/`or`/`not` (a comparison is 0); known for every macro's condition. */
  private depthOf(c: Condition): number {
    if (c.kind !== 'and' && c.kind !== 'or' && c.kind !== 'not') return 0;
    const known = this.depths.get(c);
    if (known !== undefined) return known;
    let deepest = 0;
    if (c.kind === 'not') deepest = this.depthOf(c.arg);
    else for (const a of c.args) deepest = Math.max(deepest, this.depthOf(a));
    this.depths.set(c, deepest + 1);
    return deepest + 1;
  }

  private reportUnknownMacro(ref: MacroRef): void {
    const name = ref.name.name;
    const field = this.fields.get(name);
    const close = suggest(name, this.macros.keys());
    let hint: string;
    if (field !== undefined) {
      hint =
        field.type === 'boolean'
          ? `\`${name}\` is a field, not a macro; write \`${name} == true\``
          : `\`${name}\` is a field, not a macro; compare it, e.g. \`${name} exists\``;
    } else if (close !== undefined) {
      hint = `did you mean \`${close}\`?`;
    } else {
      hint = `a bare name in a condition is a macro; declare it with \`macro ${name} = …\``;
    }
    this.reporter.report(Codes.UnknownMacro, ref.name.span, `unknown macro \`${name}\``, hint);
  }

  private lowerComparison(c: Comparison): Condition | null {
    const field = resolveField(c.field, this.fields, this.reporter);
    const span = irSpan(c.span);
    const caseSensitive = c.caseMode !== 'nocase';
    if (c.op === 'exists') {
      return field === undefined ? null : { kind: 'exists', field, span };
    }
    if (c.value === undefined) {
      // Only a recovered parse produces this, and the parser has reported it.
      return null;
    }
    if (c.op === 'in') {
      const values = this.inValues(c, c.value.span);
      if (field === undefined || values === null) return null;
      return { kind: 'in', field, values, caseSensitive, span };
    }
    const v = c.value;
    const value = v.kind === 'List' ? undefined : literalScalar(v);
    if (value === undefined) {
      this.reporter.report(
        Codes.InvalidValue,
        v.span,
        `\`${c.op}\` needs a string, number or boolean, not ${describeValue(v)}`,
        v.kind === 'IdentifierValue'
          ? `quote it to compare with the text: \`${c.field.name} ${c.op} ${JSON.stringify(v.name)}\` (comparing two fields is not supported)`
          : v.kind === 'List'
            ? `to compare with several values write \`${c.field.name} in [ … ]\``
            : v.kind === 'Duration'
              ? `quote it to compare with the text: "${v.text}"`
              : 'write a string, a number or a boolean',
      );
      return null;
    }
    if (reportInexactNumber(v, this.reporter) || field === undefined) return null;
    return { kind: 'compare', op: COMPARE_OPS[c.op], field, value, caseSensitive, span };
  }

  /** The values of `field in …`: a list literal, a list name, or (defensively) one literal. */
  private inValues(c: Comparison, valueSpan: Span): readonly Scalar[] | null {
    const v = c.value!;
    let values: readonly Scalar[] | null;
    let emptyWhat: string;
    if (v.kind === 'List') {
      values = this.lists.items(v.items);
      emptyWhat = 'the list is empty';
    } else if (v.kind === 'IdentifierValue') {
      values = this.lists.resolve(v.name, v.span);
      emptyWhat = `list \`${v.name}\` is empty`;
    } else {
      values = this.lists.items([v]);
      emptyWhat = 'there are no values';
    }
    if (values !== null && values.length === 0) {
      this.reporter.report(
        Codes.InvalidValue,
        valueSpan,
        `\`${c.field.name} in …\` can never be true: ${emptyWhat}`,
        'add values to the list, or remove the comparison',
      );
      return null;
    }
    return values;
  }
}
