/**
 * The reference semantics of a detection over an ordered list of Falco alerts: which alerts it
 * raises. Filters look at one event at a time; thresholds and sequences correlate events by
 * their `time` and their `by` values.
 */
import { matchConditions, type Condition, type Detection, type FieldRef, type JsonObject } from '../ir/types.js';
import type { SourceDefinition } from '../source/types.js';
import { evaluateCondition } from './condition.js';
import { fieldValue } from './fields.js';
import { parseIsoNanos } from './time.js';

/** One alert the detection raises. */
export interface Alert {
  /** `Detection.name`. */
  readonly detection: string;
  readonly kind: 'filter' | 'threshold' | 'sequence';
  /** Positions (0-based, in the `events` given) of the events behind the alert, ascending in time. */
  readonly events: readonly number[];
  /** The `by` values the correlated events share, in `by` order; empty for filters and ungrouped correlations. */
  readonly key: readonly unknown[];
}

const NANOS_PER_SECOND = 1_000_000_000n;

/**
 * The alerts `detection` raises over `events` (sorted by their first event):
 * - filter: one alert per matching event;
 * - threshold: matching events are grouped by their `by` values; an event lacking one of them
 *   (absent or null) is skipped. In each group, taken in time order, an alert is raised as soon
 *   as `count` events lie within `window` seconds of each other (last minus first <= window,
 *   compared in nanoseconds); counting then starts afresh after that event, so alerts of a group
 *   never share events;
 * - sequence: events grouped by `by` values as above; in each group, taken in time order, an
 *   alert is raised for the first chain e1, e2, …, en of events with ei matching step i, each
 *   event later than the one before, and time(en) - time(e1) <= window; one event fills at most
 *   one step of a chain; after an alert the search starts afresh after en.
 * Time order is the order of `time` (ISO-8601, nanoseconds); events with equal times keep their
 * order in `events`. Correlations skip events whose `time` is missing or not an ISO-8601
 * date-time with a zone: without a time neither the window nor the order is known.
 */
export function alerts(detection: Detection, events: readonly JsonObject[], source: SourceDefinition): Alert[] {
  const match = detection.match;
  switch (match.kind) {
    case 'filter': {
      const out: Alert[] = [];
      events.forEach((event, i) => {
        if (evaluateCondition(match.condition, event, source)) {
          out.push({ detection: detection.name, kind: 'filter', events: [i], key: [] });
        }
      });
      return out;
    }
    case 'threshold': {
      const groups = correlationGroups(events, match.by, source, (e) => evaluateCondition(match.condition, e, source));
      const out: Alert[] = [];
      for (const group of groups) {
        for (const window of thresholdWindows(group.events, match.count, BigInt(match.window) * NANOS_PER_SECOND)) {
          out.push({ detection: detection.name, kind: 'threshold', events: window, key: group.key });
        }
      }
      return sortAlerts(out);
    }
    case 'sequence': {
      const steps = matchConditions(match);
      const groups = correlationGroups(events, match.by, source, () => true);
      const out: Alert[] = [];
      for (const group of groups) {
        for (const chain of sequenceChains(group.events, events, steps, source, BigInt(match.window) * NANOS_PER_SECOND)) {
          out.push({ detection: detection.name, kind: 'sequence', events: chain, key: group.key });
        }
      }
      return sortAlerts(out);
    }
  }
}

interface TimedEvent {
  readonly position: number;
  readonly time: bigint;
}

interface Group {
  readonly key: readonly unknown[];
  /** In time order (ties: position order). */
  readonly events: TimedEvent[];
}

/**
 * Reads an event's `time` in nanoseconds, as correlations order and window events: undefined
 * when it is missing or not an ISO-8601 date-time with a zone (correlations skip such events).
 * The source's `time` field is looked up once, here.
 */
export function eventTimeReader(source: SourceDefinition): (event: JsonObject) => bigint | undefined {
  const timeField = source.fields.find((f) => f.name === 'time');
  return (event) => {
    const raw = timeField ? fieldValue(event, timeField, source) : event['time'];
    return typeof raw === 'string' ? parseIsoNanos(raw) : undefined;
  };
}

/** The event's values of a correlation's `by` fields, in order (the key its groups are made by). */
export function byValues(event: JsonObject, by: readonly FieldRef[], source: SourceDefinition): unknown[] {
  return by.map((f) => fieldValue(event, f, source));
}

/** A `by` value that keeps an event out of correlations: absent or null. */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null;
}

/** Relevant, timed events with all `by` values, grouped by those values (groups in first-seen order). */
function correlationGroups(
  events: readonly JsonObject[],
  by: readonly FieldRef[],
  source: SourceDefinition,
  relevant: (event: JsonObject) => boolean,
): Group[] {
  const groups = new Map<string, Group>();
  const eventTime = eventTimeReader(source);
  events.forEach((event, position) => {
    const time = eventTime(event);
    if (time === undefined) return;
    const key = byValues(event, by, source);
    if (key.some(isMissing)) return;
    if (!relevant(event)) return;
    const id = JSON.stringify(key);
    let group = groups.get(id);
    if (!group) {
      group = { key, events: [] };
      groups.set(id, group);
    }
    group.events.push({ position, time });
  });
  const out = [...groups.values()];
  for (const g of out) g.events.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.position - b.position));
  return out;
}

/** Non-overlapping windows of `count` events spanning at most `window` nanoseconds. */
function thresholdWindows(events: readonly TimedEvent[], count: number, window: bigint): number[][] {
  const out: number[][] = [];
  let first = 0;
  for (let last = 0; last < events.length; last++) {
    while (events[last]!.time - events[first]!.time > window) first++;
    if (last - first + 1 >= count) {
      out.push(events.slice(first, last + 1).map((e) => e.position));
      first = last + 1;
    }
  }
  return out;
}

/**
 * Non-overlapping chains matching `steps` in order within `window` nanoseconds. Keeps, for each
 * number of completed steps, the partial chain with the latest start (any continuation of an
 * earlier-starting chain also continues it), and advances each partial chain by at most one
 * step per event, so one event never fills two steps of a chain.
 */
function sequenceChains(
  group: readonly TimedEvent[],
  events: readonly JsonObject[],
  steps: readonly Condition[],
  source: SourceDefinition,
  window: bigint,
): number[][] {
  const out: number[][] = [];
  // partial[s]: the best chain that completed steps 0..s-1 (s >= 1), as timed events.
  let partial: (TimedEvent[] | undefined)[] = new Array(steps.length).fill(undefined);
  for (const current of group) {
    const event = events[current.position]!;
    const matches = steps.map((c) => evaluateCondition(c, event, source));
    let completed: TimedEvent[] | undefined;
    const next = [...partial];
    for (let s = steps.length - 1; s >= 0; s--) {
      if (!matches[s]) continue;
      let candidate: TimedEvent[] | undefined;
      if (s === 0) candidate = [current];
      else {
        const before = partial[s];
        if (before && current.time - before[0]!.time <= window) candidate = [...before, current];
      }
      if (!candidate) continue;
      if (s === steps.length - 1) {
        completed = candidate;
        break;
      }
      const existing = next[s + 1];
      if (!existing || candidate[0]!.time >= existing[0]!.time) next[s + 1] = candidate;
    }
    if (completed) {
      out.push(completed.map((e) => e.position));
      partial = new Array(steps.length).fill(undefined);
    } else partial = next;
    // Drop partial chains that can no longer finish inside the window.
    partial = partial.map((p) => (p && current.time - p[0]!.time > window ? undefined : p));
  }
  return out;
}

function sortAlerts(list: Alert[]): Alert[] {
  return list.sort((a, b) => a.events[0]! - b.events[0]! || compareNumbers(a.events, b.events));
}

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
