/**
 * Why a test case failed: the comparisons that decided the detection's verdict on its events,
 * with the values the events hold. A case expecting a match that raised no alert is explained
 * by the comparison that made the condition false (of the first events), or, for a
 * correlation, by what each step or the threshold found and what kept them from an alert; one
 * expecting none that raised alerts by the comparisons that held for the events behind them.
 * The verdict itself is `detection.ts`'s: this retraces it with the evaluator's own functions,
 * evaluating what the evaluator evaluated (`and`/`or` stop where it stops, so no regular
 * expression runs here that did not run there).
 */
import type { Condition, Detection, FieldRef, JsonObject, LeafCondition as Leaf, TestCase } from '../ir/types.js';
import { shortened } from '../diagnostics/printable.js';
import { leafText } from '../ir/operators.js';
import type { SourceDefinition } from '../source/types.js';
import { alerts, byValues, eventTimeReader, isMissing, type Alert } from './detection.js';
import { evaluateCondition } from './condition.js';
import { fieldValue, writtenValue } from './fields.js';
import { RegexTimeout } from './regex.js';


/** A comparison that decided a verdict, with the value the event holds. */
export interface Reason {
  readonly leaf: Leaf;
  readonly holds: boolean;
  readonly actual: unknown;
  /** The event's own text when it differs from `actual`: an earlier name of a renamed rule. */
  readonly written?: string;
  /** Under an odd number of `not`s: the condition holds when this comparison does not. */
  readonly negated: boolean;
}

/** One event of a case (0-based position), the comparisons that decided it, and how many more did. */
export interface EventReasons {
  readonly event: number;
  readonly reasons: readonly Reason[];
  readonly more: number;
}

/** Events a correlation cannot use, for one reason (no `time`, a `by` field missing). */
export interface Unused {
  readonly events: readonly number[];
  readonly missing: string;
}

/** Why a failed case failed, for `whyLines`. */
export type Why =
  /** Per event: why the condition did (or did not) hold; `more` events not shown. */
  | { readonly kind: 'events'; readonly events: readonly EventReasons[]; readonly more: number }
  /** A threshold raised no alert. */
  | {
      readonly kind: 'threshold';
      /** The events its condition matches (used or not). */
      readonly matching: readonly number[];
      readonly unused: readonly Unused[];
      readonly count: number;
      readonly by: readonly string[];
      readonly window: number;
      /** When no event matched: why the first ones did not. */
      readonly misses: readonly EventReasons[];
      /** The group with the most usable matching events, and whether `count` of them fit a window. */
      readonly best?: { readonly key: readonly unknown[]; readonly events: number };
    }
  /** A sequence raised no alert. */
  | {
      readonly kind: 'sequence';
      readonly steps: readonly { readonly name: string; readonly matching: readonly number[]; readonly misses: readonly EventReasons[] }[];
      readonly unused: readonly Unused[];
      readonly by: readonly string[];
      readonly window: number;
      /** With every step matched by a usable event: what kept them from a chain. */
      readonly blocked?:
        | { readonly kind: 'window'; readonly events: readonly number[]; readonly key: readonly unknown[]; readonly span: number }
        | { readonly kind: 'key' }
        | { readonly kind: 'order' };
    }
  /** A correlation raised alerts it should not have: the events behind each (in step order, for a sequence). */
  | {
      readonly kind: 'alerts';
      readonly alerts: readonly { readonly events: readonly number[]; readonly key: readonly unknown[] }[];
      readonly more: number;
      readonly by: readonly string[];
      /** The step names, for a sequence. */
      readonly steps?: readonly string[];
    };

/** At most this many events (or alerts), and comparisons per event, are shown. */
const MAX_EVENTS = 3;
const MAX_REASONS = 4;

/** A `decide` result: the verdict, and the comparisons behind it (distinct, at most `MAX_REASONS`; the others `hidden`). */
interface Decision {
  readonly holds: boolean;
  readonly reasons: readonly Reason[];
  readonly hidden: ReadonlySet<Leaf>;
}

/**
 * The comparisons that decide `cond` on `event`, evaluated in the evaluator's order: an `and`
 * is decided by its first false argument (or all of them, when true), an `or` by its first true
 * one (or all, when false). A condition shared by several places (a macro) is decided once.
 */
export function decide(cond: Condition, event: JsonObject, source: SourceDefinition): Decision {
  const memo = new Map<Condition, Decision>();
  const memoNegated = new Map<Condition, Decision>();
  const go = (c: Condition, negated: boolean): Decision => {
    const cache = negated ? memoNegated : memo;
    const known = cache.get(c);
    if (known) return known;
    let result: Decision;
    switch (c.kind) {
      case 'and':
      case 'or': {
        // `and` stops at a false argument, `or` at a true one: that one alone decides
        const stopAt = c.kind === 'or';
        const parts: Decision[] = [];
        let decisive: Decision | undefined;
        for (const a of c.args) {
          const d = go(a, negated);
          if (d.holds === stopAt) {
            decisive = d;
            break;
          }
          parts.push(d);
        }
        result = decisive ?? merge(!stopAt, parts);
        break;
      }
      case 'not': {
        const inner = go(c.arg, !negated);
        result = { ...inner, holds: !inner.holds };
        break;
      }
      default: {
        const holds = evaluateCondition(c, event, source);
        const actual = fieldValue(event, c.field, source);
        const written = writtenValue(event, c.field, source);
        result = { holds, reasons: [{ leaf: c, holds, actual, ...(typeof written === 'string' && written !== actual ? { written } : {}), negated }], hidden: NONE_HIDDEN };
      }
    }
    cache.set(c, result);
    return result;
  };
  return go(cond, false);
}

const NONE_HIDDEN: ReadonlySet<Leaf> = new Set();

/**
 * The parts' reasons together, each comparison once, at most `MAX_REASONS` shown; the others
 * hidden, counted once each however many parts hold them (a macro used twice).
 */
function merge(holds: boolean, parts: readonly Decision[]): Decision {
  const reasons: Reason[] = [];
  const shown = new Set<Leaf>();
  const hidden = new Set<Leaf>();
  for (const p of parts) {
    for (const r of p.reasons) {
      if (shown.has(r.leaf)) continue;
      if (reasons.length < MAX_REASONS) {
        reasons.push(r);
        shown.add(r.leaf);
      } else hidden.add(r.leaf);
    }
    for (const leaf of p.hidden) hidden.add(leaf);
  }
  for (const leaf of shown) hidden.delete(leaf);
  return { holds, reasons, hidden };
}

function eventReasons(cond: Condition, events: readonly JsonObject[], index: number, source: SourceDefinition): EventReasons {
  const d = decide(cond, events[index]!, source);
  return { event: index, reasons: d.reasons, more: d.hidden.size };
}

/**
 * Why `test` of `detection` failed, given the alerts it `raised`, or undefined when retracing
 * it runs into a regular expression's time limit.
 */
export function whyFailed(detection: Detection, test: TestCase, source: SourceDefinition, raised: readonly Alert[]): Why | undefined {
  try {
    return retrace(detection, test, source, raised);
  } catch (e) {
    if (e instanceof RegexTimeout) return undefined;
    throw e;
  }
}

const positions = (events: readonly unknown[]): number[] => events.map((_, i) => i);

function retrace(detection: Detection, test: TestCase, source: SourceDefinition, raised: readonly Alert[]): Why {
  const events = test.events;
  const match = detection.match;
  if (match.kind === 'filter') {
    const shown = positions(events).filter((i) => test.expect === 'match' || evaluateCondition(match.condition, events[i]!, source));
    return { kind: 'events', events: shown.slice(0, MAX_EVENTS).map((i) => eventReasons(match.condition, events, i, source)), more: Math.max(0, shown.length - MAX_EVENTS) };
  }
  const by = match.by.map((f) => f.name);
  if (test.expect === 'no-match') {
    return {
      kind: 'alerts',
      alerts: raised.slice(0, MAX_EVENTS).map((a) => ({ events: a.events, key: a.key })),
      more: Math.max(0, raised.length - MAX_EVENTS),
      by,
      ...(match.kind === 'sequence' ? { steps: match.steps.map((s) => s.name) } : {}),
    };
  }
  const unusable = unusableEvents(events, match.by, source);
  const usable = (i: number): boolean => !unusable.has(i);
  const misses = (cond: Condition): EventReasons[] => positions(events).slice(0, MAX_EVENTS).map((i) => eventReasons(cond, events, i, source));
  if (match.kind === 'threshold') {
    const matching = positions(events).filter((i) => evaluateCondition(match.condition, events[i]!, source));
    const best = largestGroup(matching.filter(usable), events, match.by, source);
    return {
      kind: 'threshold',
      matching,
      unused: grouped(matching, unusable),
      count: match.count,
      by,
      window: match.window,
      misses: matching.length === 0 ? misses(match.condition) : [],
      ...(best ? { best } : {}),
    };
  }
  const steps = match.steps.map((step) => {
    const matching = positions(events).filter((i) => evaluateCondition(step.condition, events[i]!, source));
    return { name: step.name, matching, misses: matching.length === 0 ? misses(step.condition) : [] };
  });
  const everyStep = steps.every((s) => s.matching.some(usable));
  const blocked = everyStep ? sequenceBlock(detection, events, source) : undefined;
  return { kind: 'sequence', steps, unused: grouped([...new Set(steps.flatMap((s) => s.matching))].sort((a, b) => a - b), unusable), by, window: match.window, ...(blocked ? { blocked } : {}) };
}

/** The events a correlation cannot use, with why: no valid `time`, or a `by` field missing. */
function unusableEvents(events: readonly JsonObject[], by: readonly FieldRef[], source: SourceDefinition): Map<number, string> {
  const time = eventTimeReader(source);
  const out = new Map<number, string>();
  events.forEach((event, i) => {
    if (time(event) === undefined) out.set(i, 'no ISO-8601 `time` with a zone');
    else {
      const absent = byValues(event, by, source).findIndex(isMissing);
      if (absent >= 0) out.set(i, `no \`${by[absent]!.name}\``);
    }
  });
  return out;
}

/** Of `events`, the unusable ones, grouped by why. */
function grouped(events: readonly number[], unusable: ReadonlyMap<number, string>): Unused[] {
  const byReason = new Map<string, number[]>();
  for (const e of events) {
    const why = unusable.get(e);
    if (why === undefined) continue;
    const list = byReason.get(why);
    if (list) list.push(e);
    else byReason.set(why, [e]);
  }
  return [...byReason].map(([missing, list]) => ({ events: list, missing }));
}

/** The `by` group with the most of `events` (the first such, in event order). */
function largestGroup(events: readonly number[], all: readonly JsonObject[], by: readonly FieldRef[], source: SourceDefinition): { key: unknown[]; events: number } | undefined {
  const groups = new Map<string, { key: unknown[]; events: number }>();
  let best: { key: unknown[]; events: number } | undefined;
  for (const i of events) {
    const key = byValues(all[i]!, by, source);
    const id = JSON.stringify(key);
    const g = groups.get(id) ?? { key, events: 0 };
    g.events++;
    groups.set(id, g);
    if (!best || g.events > best.events) best = g;
  }
  return best;
}

/** A day longer than any window: "no window". */
const NO_WINDOW = 400 * 86_400;

/**
 * What keeps a sequence whose every step matches a usable event from an alert, found by the
 * evaluator itself on a looser detection: without the window (then the chain it finds is too
 * long), else without the `by` grouping (the steps match only across groups), else the order.
 */
function sequenceBlock(detection: Detection, events: readonly JsonObject[], source: SourceDefinition): NonNullable<Extract<Why, { kind: 'sequence' }>['blocked']> {
  const match = detection.match;
  if (match.kind !== 'sequence') throw new Error('sequenceBlock: a sequence');
  const time = eventTimeReader(source);
  const unbounded = alerts({ ...detection, match: { ...match, window: NO_WINDOW } }, events, source)[0];
  if (unbounded) {
    const times = unbounded.events.map((i) => time(events[i]!) ?? 0n);
    const span = Number((times[times.length - 1]! - times[0]!) / 1_000_000_000n);
    if (span > match.window) return { kind: 'window', events: unbounded.events, key: unbounded.key, span };
  }
  if (match.by.length > 0 && alerts({ ...detection, match: { ...match, by: [], window: NO_WINDOW } }, events, source).length > 0) return { kind: 'key' };
  return { kind: 'order' };
}

// ---- text --------------------------------------------------------------------------------------

/** At most this many characters of a value, and values of a list, are shown. */
const MAX_VALUE = 80;
const MAX_LIST = 5;

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return 'an object';
}

const FIELD_TYPE_TEXT: Readonly<Record<FieldRef['type'], string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  timestamp: 'a string',
  'string[]': 'a list',
};

/** A value as the event holds it: `"nc"`, `5`, `["a", "b"]`, missing; with its type when the field has another. */
function shown(value: unknown, field: FieldRef, fromEnd = false): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null (missing)';
  const json = typeof value === 'number' && !Number.isFinite(value) ? `${value} (out of range)` : typeof value === 'string' ? JSON.stringify(shortened(value, MAX_VALUE, fromEnd)) : shortened(JSON.stringify(value) ?? String(value), MAX_VALUE);
  const type = typeOf(value);
  return type === FIELD_TYPE_TEXT[field.type] ? json : `${json} (${type}; the field holds ${FIELD_TYPE_TEXT[field.type].replace(/^an? /, '')}s)`;
}

/**
 * How events are named: by position (`event 2`), or, for events read from a file, by their line
 * in it (`line 5`: blank lines are skipped, so the n-th event need not be on line n).
 */
export interface EventNames {
  /** `event 2`, `line 5`. */
  one(event: number): string;
  /** `events 1, 2`, `lines 4, 5`: the first ten, then how many in all. */
  list(events: readonly number[]): string;
  /** The number alone: `2`, `5`. */
  number(event: number): number;
  /** `events`, `lines`. */
  readonly plural: string;
}

export function eventNames(lines: readonly number[] | undefined): EventNames {
  const number = (e: number): number => (lines ? (lines[e] ?? e + 1) : e + 1);
  const [singular, plural] = lines ? ['line', 'lines'] : ['event', 'events'];
  return {
    number,
    plural,
    one: (e) => `${singular} ${number(e)}`,
    list: (events) => {
      const listed = events.slice(0, 10).map(number);
      return `${events.length === 1 ? singular : plural} ${listed.join(', ')}${events.length > 10 ? `, … (${events.length})` : ''}`;
    },
  };
}

function duration(seconds: number): string {
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}

function keyText(by: readonly string[], key: readonly unknown[]): string {
  return by.map((b, i) => `${b} ${key[i] === undefined ? 'missing' : shortened(JSON.stringify(key[i]) ?? String(key[i]), MAX_VALUE)}`).join(', ');
}

/** "`proc.name in ["nc", "ncat"]` does not hold: proc.name is "netcat"". */
function reasonText(r: Reason): string {
  const verdict = r.holds ? 'holds' : 'does not hold';
  const under = r.negated ? ' (under `not`)' : '';
  const fromEnd = r.leaf.kind === 'compare' && r.leaf.op === 'endswith';
  const earlier = r.written !== undefined ? ` (the event says ${JSON.stringify(shortened(r.written, MAX_VALUE))}, an earlier name of the rule)` : '';
  return `\`${leafText(r.leaf, { value: MAX_VALUE, list: MAX_LIST })}\` ${verdict}${under}: ${r.leaf.field.name} is ${shown(r.actual, r.leaf.field, fromEnd)}${earlier}`;
}

function eventReasonLines(e: EventReasons, names: EventNames): string[] {
  const lines = e.reasons.map((r) => `${names.one(e.event)}: ${reasonText(r)}`);
  if (e.more > 0) lines.push(`${names.one(e.event)}: … and ${e.more} more comparison${e.more === 1 ? '' : 's'}`);
  return lines;
}

function unusedLines(unused: readonly Unused[], verb: string, names: EventNames): string[] {
  return unused.map((u) => `${names.list(u.events)} ${u.events.length === 1 ? 'is' : 'are'} not ${verb}: ${u.missing}`);
}

/**
 * The lines that say why a case failed. `eventLines`: for events read from a file, the line of
 * each (`TestCase.lines`), so events are named by line instead of by position.
 */
export function whyLines(why: Why, eventLines?: readonly number[]): string[] {
  const names = eventNames(eventLines);
  const reasons = (e: EventReasons): string[] => eventReasonLines(e, names);
  switch (why.kind) {
    case 'events': {
      const lines = why.events.flatMap(reasons);
      if (why.more > 0) lines.push(`… and ${why.more} more event${why.more === 1 ? '' : 's'}`);
      return lines;
    }
    case 'threshold': {
      const lines = [`the condition matches ${why.matching.length === 0 ? 'no event' : names.list(why.matching)}`];
      for (const e of why.misses) lines.push(...reasons(e));
      lines.push(...unusedLines(why.unused, 'counted', names));
      const group = why.by.length > 0 ? ` with the same ${why.by.join(', ')}` : '';
      lines.push(`the threshold needs ${why.count} counted events${group} within ${duration(why.window)}`);
      if (why.best && why.by.length > 0) {
        lines.push(
          why.best.events >= why.count
            ? `${keyText(why.by, why.best.key)} has ${why.best.events}, but no ${why.count} of them within ${duration(why.window)}`
            : `the most with one ${why.by.join(', ')} is ${why.best.events} (${keyText(why.by, why.best.key)})`,
        );
      } else if (why.best && why.best.events >= why.count) lines.push(`${why.best.events} are counted, but no ${why.count} of them within ${duration(why.window)}`);
      return lines;
    }
    case 'sequence': {
      const lines: string[] = [];
      for (const step of why.steps) {
        lines.push(`step ${step.name} matches ${step.matching.length === 0 ? 'no event' : names.list(step.matching)}`);
        for (const e of step.misses) lines.push(...reasons(e));
      }
      lines.push(...unusedLines(why.unused, 'used', names));
      const group = why.by.length > 0 ? `, with the same ${why.by.join(', ')}` : '';
      lines.push(`the sequence needs the steps in time order${group}, one event per step, first to last within ${duration(why.window)}`);
      const b = why.blocked;
      if (b?.kind === 'window') {
        const key = why.by.length > 0 ? ` (${keyText(why.by, b.key)})` : '';
        lines.push(`the steps match in order in ${names.list(b.events)}${key}, but ${duration(b.span)} apart, more than ${duration(why.window)}`);
      } else if (b?.kind === 'key') lines.push(`the steps match in order only across events with different ${why.by.join(', ')}`);
      else if (b?.kind === 'order') lines.push('no events match the steps in time order');
      return lines;
    }
    case 'alerts': {
      const lines = why.alerts.map((a) => {
        const key = why.by.length > 0 ? ` (${keyText(why.by, a.key)})` : '';
        const steps = why.steps;
        const from = steps ? `${names.plural} ${a.events.map((e, i) => `${names.number(e)} (step ${steps[i] ?? '?'})`).join(', ')}` : names.list(a.events);
        return `an alert from ${from}${key}`;
      });
      if (why.more > 0) lines.push(`… and ${why.more} more alert${why.more === 1 ? '' : 's'}`);
      return lines;
    }
  }
}
