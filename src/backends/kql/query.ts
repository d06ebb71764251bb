/**
 * One detection → its analytics-rule query over the parser function. Filters come first, then
 * the projection of the declared output fields (plus the columns entity mappings and
 * correlation keys need); no `sort` for presentation.
 *
 * - filter: `Fn | where <condition> | project …`
 * - threshold (`count >= N by k within W`): the matching events of each key, in time order
 *   (`sort` serialises them for `next()`); a key fires when some event and the one N-1 later
 *   lie within W (the evaluator's "N events within W"); one row per firing key, the earliest
 *   such window (`WindowEnd` is its last event).
 * - sequence (`by k within W { step a … step b … }`): `scan` over the events of each key in time
 *   order, each step matching after the previous one and within W of the first (the evaluator's
 *   ordered chain); one row per firing key, its earliest completed chain (`SequenceStart` is the
 *   time of the chain's first event).
 * Correlations group by the key columns; an event without a key value is left out, as in the
 * evaluator. The evaluator raises one alert per non-overlapping window or chain; Sentinel gets
 * one row (one alert) per key and run.
 */
import { matchConditions, type Detection, type FieldRef } from '../../ir/types.js';
import type { ConditionCompiler, Predicate, Unexpressible } from './condition.js';
import { kql, kqlName, kqlTimespan, type Kql } from './text.js';

export interface RuleQuery extends Kql {
  /** The columns of the query's result, in order. */
  readonly columns: readonly string[];
  /**
   * The query with each condition replaced by `true`: together with `atoms` (each a boolean
   * expression over the parser's columns) it is what a modular analysis checks.
   */
  readonly skeleton: string;
  /** The comparisons of all its conditions. */
  readonly atoms: readonly Kql[];
}

export interface QueryResult {
  readonly query?: RuleQuery;
  readonly problems: readonly Unexpressible[];
}

export interface QueryContext {
  readonly functionName: string;
  readonly compiler: ConditionCompiler;
  /** The parser column of a field. */
  column(field: FieldRef): string;
  /** The parser column holding the event time (`TimeGenerated`). */
  readonly timeColumn: string;
}

/** A line of a query: code, or code around one condition (`before` + predicate + `after`). */
type Line = string | { readonly before: string; readonly predicate: Kql; readonly after: string };

/**
 * The result columns a detection projects: its output fields, then the fields its entity
 * mappings and its suppression keys need.
 */
export function projectedFields(d: Detection): FieldRef[] {
  const seen = new Set<string>();
  const out: FieldRef[] = [];
  const entities = Object.values(d.entities).filter((f): f is FieldRef => f !== undefined);
  for (const f of [...d.output, ...entities, ...(d.suppression?.by ?? [])]) {
    if (seen.has(f.name)) continue;
    seen.add(f.name);
    out.push(f);
  }
  return out;
}

/** The query of `d`, or why it cannot be written exactly. */
export function ruleQuery(d: Detection, ctx: QueryContext): QueryResult {
  const m = d.match;
  const conditions = matchConditions(m);
  const compiled = conditions.map((c) => ctx.compiler.compile(c));
  const problems = compiled.flatMap((c) => c.problems);
  if (problems.length > 0) return { problems };
  const predicates = compiled.map((c) => c.predicate as Predicate);
  const projected = uniqueNames(projectedFields(d).map((f) => ctx.column(f)));
  const time = kqlName(ctx.timeColumn);
  const fn = kqlName(ctx.functionName);

  if (m.kind === 'filter') {
    const lines: Line[] = [fn, { before: '| where ', predicate: predicates[0] as Predicate, after: '' }];
    if (projected.length > 0) lines.push(`| project ${projected.join(', ')}`);
    return { query: finish(lines, projected, predicates), problems: [] };
  }

  const keys = uniqueNames(m.by.map((f) => ctx.column(f)));
  const keyGuards = m.by.map((f) => (f.type === 'string' ? `isnotempty(${ctx.column(f)})` : `isnotnull(${ctx.column(f)})`));
  const carried = uniqueNames([time, ...keys, ...projected]);
  const order = [...keys.map((k) => `${k} asc`), `${time} asc`].join(', ');
  const pickFirst = keys.length > 0 ? `| summarize arg_min(${time}, *) by ${keys.join(', ')}` : `| top 1 by ${time} asc`;
  const window = kqlTimespan(m.window);
  const result = uniqueNames([time, ...keys, ...projected]);

  if (m.kind === 'threshold') {
    const p = predicates[0] as Predicate;
    const where: Line =
      keyGuards.length > 0
        ? { before: '| where ', predicate: p.level === 'or' ? kql`(${p})` : p, after: ` and ${keyGuards.join(' and ')}` }
        : { before: '| where ', predicate: p, after: '' };
    const lines: Line[] = [fn, where, `| project ${carried.join(', ')}`];
    if (m.count > 1) {
      const ahead = m.count - 1;
      const ends = [`_WindowEnd = next(${time}, ${ahead})`, ...keys.map((k, i) => `_WindowKey${i + 1} = next(${k}, ${ahead})`)];
      const same = keys.map((k, i) => ` and _WindowKey${i + 1} == ${k}`).join('');
      lines.push(`| sort by ${order}`, `| extend ${ends.join(', ')}`, `| where _WindowEnd - ${time} <= ${window}${same}`, pickFirst);
      lines.push(`| project ${[...result, 'WindowEnd = _WindowEnd'].join(', ')}`);
      return { query: finish(lines, [...result, 'WindowEnd'], predicates), problems: [] };
    }
    lines.push(pickFirst, `| project ${result.join(', ')}`);
    return { query: finish(lines, result, predicates), problems: [] };
  }

  // sequence
  const stepCols = predicates.map((_, i) => `_Step${i + 1}`);
  const extend: Line[] = predicates.map((p, i) => ({
    before: `${i === 0 ? '| extend ' : '    '}${stepCols[i] as string} = `,
    predicate: p.level === 'atom' ? p : kql`(${p})`,
    after: i < predicates.length - 1 ? ',' : '',
  }));
  const anyStep = stepCols.join(' or ');
  const where = keyGuards.length > 0 ? `| where (${anyStep}) and ${keyGuards.join(' and ')}` : `| where ${anyStep}`;
  const steps = stepCols.map((col, i) => {
    if (i === 0) return `    step Step1 output=none: ${col} => _SequenceStart = ${time};`;
    const sameKey = keys.map((k) => ` and ${k} == Step1.${k}`).join('');
    const output = i === stepCols.length - 1 ? '' : ' output=none';
    return `    step Step${i + 1}${output}: ${col}${sameKey} and ${time} - Step1.${time} <= ${window} => _SequenceStart = Step1.${time};`;
  });
  const lines: Line[] = [
    fn,
    ...extend,
    where,
    `| project ${uniqueNames([...carried, ...stepCols]).join(', ')}`,
    `| sort by ${order}`,
    '| scan declare (_SequenceStart: datetime) with (',
    ...steps,
    '  )',
    pickFirst,
    `| project ${['SequenceStart = _SequenceStart', ...result].join(', ')}`,
  ];
  return { query: finish(lines, ['SequenceStart', ...result], predicates), problems: [] };
}

function uniqueNames(names: readonly string[]): string[] {
  return [...new Set(names)];
}

function finish(lines: readonly Line[], columns: readonly string[], predicates: readonly Predicate[]): RuleQuery {
  const text: string[] = [];
  const shape: string[] = [];
  const skeleton: string[] = [];
  for (const l of lines) {
    if (typeof l === 'string') {
      text.push(l);
      shape.push(l);
      skeleton.push(l);
    } else {
      text.push(l.before + l.predicate.text + l.after);
      shape.push(l.before + l.predicate.shape + l.after);
      skeleton.push(`${l.before}true${l.after}`);
    }
  }
  return {
    text: text.join('\n'),
    shape: shape.join('\n'),
    skeleton: skeleton.join('\n'),
    atoms: predicates.flatMap((p) => p.atoms),
    columns,
  };
}
