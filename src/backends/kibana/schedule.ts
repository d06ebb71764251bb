/**
 * How often a Kibana rule runs (`interval`) and how far back each run looks (`from`, as
 * `now-<duration>`), from the detection's schedule and match:
 * - filters, `every X lookback Y`: interval X, from now-(Y + 1m); `realtime`: interval 1m, from
 *   now-2m. The extra minute (Kibana's own default "additional look-back time") sees a document
 *   indexed after the run that its `@timestamp` falls before (ingestion delay); Kibana drops
 *   duplicate alerts for the same document, so overlapping runs do not alert twice (`.es-query`
 *   rules, which exclude every document not after the previous run's latest hit, gain less);
 * - thresholds: from now-<window> (the schedule's lookback does not apply), so each run counts
 *   over exactly the threshold window. Kibana
 *   counts the events of one run's lookback, not over a sliding window: a burst that fits in
 *   the window but straddles two runs can be missed. An interval longer than the window would
 *   leave time no run looks at, so it is refused;
 * - sequences: from now-(window + interval) at least (or the schedule's lookback when longer),
 *   so a sequence that ends in the latest interval is seen whole.
 */
import type { Detection } from '../../ir/types.js';
import { eqlDuration } from '../eql/syntax.js';

/** Seconds between runs of a realtime detection. */
export const REALTIME_INTERVAL = 60;
/** Seconds a filter rule looks back beyond its schedule's lookback, for ingestion delay. */
export const INGESTION_MARGIN = 60;
/** Seconds a realtime detection looks back (the interval plus the ingestion margin). */
export const REALTIME_LOOKBACK = REALTIME_INTERVAL + INGESTION_MARGIN;

export interface KibanaSchedule {
  /** Seconds between runs. */
  readonly interval: number;
  /** Seconds each run looks back. */
  readonly lookback: number;
}

/** A duration in seconds as Kibana writes intervals (`90s`, `5m`, `1h`, `1d`). */
export function kibanaDuration(seconds: number): string {
  return eqlDuration(seconds);
}

/** Interval and lookback of `detection`'s Kibana rules, or why the schedule cannot serve its match. */
export function kibanaSchedule(detection: Detection): { readonly schedule: KibanaSchedule } | { readonly reason: string } {
  const s = detection.schedule;
  const interval = s.kind === 'realtime' ? REALTIME_INTERVAL : s.every;
  const lookback = s.kind === 'realtime' ? REALTIME_LOOKBACK : s.lookback;
  const m = detection.match;
  switch (m.kind) {
    case 'filter':
      return { schedule: { interval, lookback: s.kind === 'realtime' ? lookback : lookback + INGESTION_MARGIN } };
    case 'threshold':
      if (interval > m.window) {
        return {
          reason: `the rule runs every ${kibanaDuration(interval)} but counts over the threshold window of ${kibanaDuration(m.window)}, so events between runs would never be counted`,
        };
      }
      return { schedule: { interval, lookback: m.window } };
    case 'sequence':
      return { schedule: { interval, lookback: Math.max(lookback, m.window + interval) } };
  }
}
