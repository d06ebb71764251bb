/**
 * Why a test case failed: the comparisons that decided the detection's verdict on its events,
 * with the values the events hold. A case expecting a match that raised no alert is explained
 * by the comparisons that were false (of the first events, or, for a correlation, what each step
 * or the threshold found); one expecting none that raised alerts by the comparisons that held
 * for the events behind them. The verdict itself is `detection.ts`'s; this only retraces it.
 */
import type { CompareCondition, Condition, Detection, ExistsCondition, FieldRef, InCondition, JsonObject, TestCase } from '../ir/types.js';
import type { Span } from '../diagnostics/diagnostic.js';
import type { SourceDefinition } from '../source/types.js';
import { alerts, eventTimeReader } from './detection.js';
import { evaluateCondition } from './condition.js';
import { fieldValue } from './fields.js';
import { RegexTimeout } from './regex.js';

type Leaf = CompareCondition | InCondition | ExistsCondition;

/** A comparison that decided a verdict, with the value the event holds. */
export interface Reason {
  readonly leaf: Leaf;
  readonly holds: boolean;
  readonly actual: unknown;
  /** Under an odd number of `not`s: the condition holds when this comparison does not. */
  readonly negated: boolean;
}

/** One event of a case (0-based position) and the comparisons that decided it. */
export interface EventReasons {
  readonly event: number;
  readonly reasons: readonly Reason[];
}

/** Why a failed case failed, for `whyLines`. */
export type Why =
  /** Per event: why the condition did (or did not) hold; `more` events not shown. */
  | { readonly kind: 'events'; readonly events: readonly EventReasons[]; readonly more: number }
  /** A threshold raised no alert: the events its condition matched, those it could not count, and what it needs. */
  | {
      readonly kind: 'threshold';
      readonly matching: readonly number[];
      readonly uncounted: readonly { readonly event: number; readonly missing: string }[];
      readonly count: number;
      readonly by: readonly string[];
      readonly window: number;
      /** When no event matched: why the first ones did not. */
      readonly misses?: readonly EventReasons[];
    }
  /** A sequence raised no alert: the events each step matched; for a step matching none, why the first events did not. */
  | {
      readonly kind: 'sequence';
      readonly steps: readonly { readonly name: string; readonly matching: readonly number[]; readonly misses?: readonly EventReasons[] }[];
      readonly uncounted: readonly { readonly event: number; readonly missing: string }[];
      readonly by: readonly string[];
      readonly window: number;
    }
  /** A correlation raised alerts it should not have: the events behind each. */
  | { readonly kind: 'alerts'; readonly alerts: readonly { readonly events: readonly number[]; readonly key: readonly unknown[] }[]; readonly more: number; readonly by: readonly string[] };

/** At most this many events (or alerts), and comparisons per event, are shown. */
const MAX_EVENTS = 3;
const MAX_REASONS = 4;

/** The comparisons that decide `cond` on `event`: for `and`/`or`, those of the arguments that decide it. */
export function decide(cond: Condition, event: JsonObject, source: SourceDefinition, negated = false): { holds: boolean; reasons: Reason[] } {
  switch (cond.kind) {
    case 'and':
    case 'or': {
      const parts = cond.args.map((a) => decide(a, event, source, negated));
      const holds = cond.kind === 'and' ? parts.every((p) => p.holds) : parts.some((p) => p.holds);
      // `and` true / `or` false: every argument decides; otherwise those agreeing with the verdict.
      return { holds, reasons: parts.filter((p) => p.holds === holds).flatMap((p) => p.reasons) };
    }
    case 'not': {
      const inner = decide(cond.arg, event, source, !negated);
      return { holds: !inner.holds, reasons: inner.reasons };
    }
    default: {
      const holds = evaluateCondition(cond, event, source);
      return { holds, reasons: [{ leaf: cond, holds, actual: fieldValue(event, cond.field, source), negated }] };
    }
  }
}

function eventReasons(cond: Condition, events: readonly JsonObject[], index: number, source: SourceDefinition): EventReasons {
  return { event: index, reasons: decide(cond, events[index]!, source).reasons.slice(0, MAX_REASONS) };
}

/** Why `test` of `detection` failed, or undefined when retracing it runs into a regular expression's time limit. */
export function whyFailed(detection: Detection, test: TestCase, source: SourceDefinition): Why | undefined {
  try {
    return retrace(detection, test, source);
  } catch (e) {
    if (e instanceof RegexTimeout) return undefined;
    throw e;
  }
}

function retrace(detection: Detection, test: TestCase, source: SourceDefinition): Why {
  const events = test.events;
  const match = detection.match;
  if (match.kind === 'filter') {
    const shown = events
      .map((_, i) => i)
      .filter((i) => test.expect === 'match' || evaluateCondition(match.condition, events[i]!, source));
    return { kind: 'events', events: shown.slice(0, MAX_EVENTS).map((i) => eventReasons(match.condition, events, i, source)), more: Math.max(0, shown.length - MAX_EVENTS) };
  }
  const by = match.by.map((f) => f.name);
  if (test.expect === 'no-match') {
    const raised = alerts(detection, events, source);
    return { kind: 'alerts', alerts: raised.slice(0, MAX_EVENTS).map((a) => ({ events: a.events, key: a.key })), more: Math.max(0, raised.length - MAX_EVENTS), by };
  }
  const uncounted = uncountedEvents(events, match.by, source);
  const counted = (i: number): boolean => !uncounted.some((u) => u.event === i);
  if (match.kind === 'threshold') {
    const matching = events.map((_, i) => i).filter((i) => evaluateCondition(match.condition, events[i]!, source));
    const misses = matching.length === 0 ? events.slice(0, MAX_EVENTS).map((_, i) => eventReasons(match.condition, events, i, source)) : [];
    return {
      kind: 'threshold',
      matching,
      uncounted: uncounted.filter((u) => matching.includes(u.event)),
      count: match.count,
      by,
      window: match.window,
      ...(misses.length > 0 ? { misses } : {}),
    };
  }
  const steps = match.steps.map((step) => {
    const usable = events.map((_, i) => i).filter(counted);
    const matching = usable.filter((i) => evaluateCondition(step.condition, events[i]!, source));
    const misses = matching.length === 0 ? usable.slice(0, MAX_EVENTS).map((i) => eventReasons(step.condition, events, i, source)) : [];
    return { name: step.name, matching, ...(misses.length > 0 ? { misses } : {}) };
  });
  return { kind: 'sequence', steps, uncounted, by, window: match.window };
}

/** Events a correlation cannot use: no valid `time`, or a `by` field missing. */
function uncountedEvents(events: readonly JsonObject[], by: readonly FieldRef[], source: SourceDefinition): { event: number; missing: string }[] {
  const time = eventTimeReader(source);
  const out: { event: number; missing: string }[] = [];
  events.forEach((event, i) => {
    if (time(event) === undefined) out.push({ event: i, missing: 'no ISO-8601 `time` with a zone' });
    else {
      const absent = by.find((f) => {
        const v = fieldValue(event, f, source);
        return v === undefined || v === null;
      });
      if (absent) out.push({ event: i, missing: `no \`${absent.name}\`` });
    }
  });
  return out;
}

// ---- text --------------------------------------------------------------------------------------

/** At most this many characters of a value are shown. */
const MAX_VALUE = 80;

/** A value as the event holds it: `"nc"`, `5`, `["a", "b"]`, missing. */
function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > MAX_VALUE ? `${json.slice(0, MAX_VALUE)}…` : json;
}

function eventList(events: readonly number[]): string {
  const shownEvents = events.slice(0, 10).map((e) => e + 1);
  return `${events.length === 1 ? 'event' : 'events'} ${shownEvents.join(', ')}${events.length > 10 ? `, … (${events.length})` : ''}`;
}

function duration(seconds: number): string {
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}

/** "`proc.name in ["nc", "ncat"]` does not hold: proc.name is "netcat"". */
function reasonText(r: Reason, text: (span: Span) => string): string {
  const verdict = r.holds ? 'holds' : 'does not hold';
  const under = r.negated ? ' (under `not`)' : '';
  return `\`${oneLine(text(r.leaf.span))}\` ${verdict}${under}: ${r.leaf.field.name} is ${shown(r.actual)}`;
}

/** Source text on one line, shortened. */
function oneLine(s: string): string {
  const flat = s.replace(/\s*[\r\n]+\s*/g, ' ');
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}

function eventLines(e: EventReasons, text: (span: Span) => string): string[] {
  return e.reasons.map((r) => `event ${e.event + 1}: ${reasonText(r, text)}`);
}

/**
 * The lines that say why a case failed. `text` gives the source text of a span (the
 * comparison as written, in the detection or in a macro).
 */
export function whyLines(why: Why, text: (span: Span) => string): string[] {
  switch (why.kind) {
    case 'events': {
      const lines = why.events.flatMap((e) => eventLines(e, text));
      if (why.more > 0) lines.push(`… and ${why.more} more event${why.more === 1 ? '' : 's'}`);
      return lines;
    }
    case 'threshold': {
      const lines = [`the condition matches ${why.matching.length === 0 ? 'no event' : eventList(why.matching)}`];
      for (const e of why.misses ?? []) lines.push(...eventLines(e, text));
      for (const u of why.uncounted) lines.push(`event ${u.event + 1} is not counted: ${u.missing}`);
      const group = why.by.length > 0 ? ` with the same ${why.by.join(', ')}` : '';
      lines.push(`the threshold needs ${why.count} counted events${group} within ${duration(why.window)}`);
      return lines;
    }
    case 'sequence': {
      const lines: string[] = [];
      for (const u of why.uncounted) lines.push(`event ${u.event + 1} is not used: ${u.missing}`);
      for (const step of why.steps) {
        lines.push(`step ${step.name} matches ${step.matching.length === 0 ? 'no event' : eventList(step.matching)}`);
        for (const e of step.misses ?? []) lines.push(...eventLines(e, text));
      }
      const group = why.by.length > 0 ? `, with the same ${why.by.join(', ')}` : '';
      lines.push(`the sequence needs the steps in time order${group}, first to last within ${duration(why.window)}`);
      return lines;
    }
    case 'alerts': {
      const lines = why.alerts.map((a) => {
        const key = why.by.length > 0 ? ` (${why.by.map((b, i) => `${b} ${shown(a.key[i])}`).join(', ')})` : '';
        return `an alert from ${eventList(a.events)}${key}`;
      });
      if (why.more > 0) lines.push(`… and ${why.more} more alert${why.more === 1 ? '' : 's'}`);
      return lines;
    }
  }
}
