/**
 * One detection as a Kibana stack alerting rule of type `.es-query` (Elasticsearch query rule,
 * for deployments without the Security app): the request body of
 * `POST /api/alerting/rule`, with the params of the "query DSL" variant:
 * `searchType: esQuery`, `esQuery` (the JSON text of `{"query": <DSL>}`), `index`,
 * `timeField`, `timeWindowSize`/`timeWindowUnit`, `threshold` and `thresholdComparator`,
 * `size`, `aggType: count`, `groupBy`.
 * - filter → alert when at least one document matches (`threshold: [1]`, `>=`) in the lookback,
 *   with `excludeHitsFromPreviousRun` so overlapping runs do not report a document twice;
 * - threshold → `groupBy: top` over the threshold keys (`termField`, the 100 largest groups,
 *   `termSize: 100`) or `all` without keys, `threshold: [count]`, `>=`, over the window;
 * - sequence → none: the `.es-query` rule type has no sequences (the Security EQL rule covers it);
 *   nor a threshold by more than 4 fields (DET5005, a warning: Kibana's `termField` limit).
 * An `.es-query` rule raises one alert per run (or per group), listing up to `size` documents,
 * not one per event; `suppress` has no equivalent there (use the actions' frequency).
 */
import { stableJson } from '../../emit/json.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Detection } from '../../ir/types.js';
import type { ElasticProfile, SourceDefinition } from '../../source/types.js';
import { correlationKey } from '../eql/fields.js';
import { cannotExpress, esQueryOmitted, scheduleSpan } from './diagnostics.js';
import type { ElasticQueryBuilders } from './queries.js';
import { kibanaDuration, kibanaSchedule } from './schedule.js';

/** Documents passed to the rule's actions per alert. */
export const ES_QUERY_SIZE = 100;
/** Groups checked per run for grouped thresholds (the largest ones). */
export const ES_QUERY_TERM_SIZE = 100;
/** Kibana's limit on `termField` (`MAX_SELECTABLE_GROUP_BY_TERMS`); Security threshold rules take 5. */
export const ES_QUERY_MAX_TERM_FIELDS = 4;

export interface EsQueryParams {
  readonly searchType: 'esQuery';
  readonly esQuery: string;
  readonly index: readonly string[];
  readonly timeField: string;
  readonly timeWindowSize: number;
  readonly timeWindowUnit: 's' | 'm' | 'h' | 'd';
  readonly threshold: readonly number[];
  readonly thresholdComparator: '>=';
  readonly size: number;
  readonly aggType: 'count';
  readonly groupBy: 'all' | 'top';
  readonly excludeHitsFromPreviousRun: boolean;
  readonly termField?: string | readonly string[];
  readonly termSize?: number;
}

export interface EsQueryRule {
  readonly name: string;
  readonly rule_type_id: '.es-query';
  readonly consumer: 'stackAlerts';
  readonly enabled: boolean;
  readonly schedule: { readonly interval: string };
  readonly tags: readonly string[];
  readonly actions: readonly never[];
  readonly params: EsQueryParams;
}

/** `seconds` as `{size, unit}` in the largest of d, h, m, s that divides it exactly. */
export function timeWindow(seconds: number): { size: number; unit: EsQueryParams['timeWindowUnit'] } {
  const text = kibanaDuration(seconds);
  return { size: Number(text.slice(0, -1)), unit: text.slice(-1) as EsQueryParams['timeWindowUnit'] };
}

/**
 * `detection` as an `.es-query` rule body; `rule` is absent for sequences (no error) and when
 * the detection cannot be expressed (with the diagnostics).
 */
export function esQueryRule(
  detection: Detection,
  profile: ElasticProfile,
  source: SourceDefinition,
  queries: ElasticQueryBuilders,
): { readonly rule?: EsQueryRule; readonly diagnostics: readonly Diagnostic[] } {
  const match = detection.match;
  if (match.kind === 'sequence') return { diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const schedule = kibanaSchedule(detection);
  if ('reason' in schedule) diagnostics.push(cannotExpress(detection, 'the schedule', schedule.reason, scheduleSpan(detection)));
  const dsl = queries.dsl(match.condition, profile, source, { detection });
  diagnostics.push(...dsl.diagnostics);

  const termFields: string[] = [];
  if (match.kind === 'threshold') {
    for (const key of match.by) {
      const k = correlationKey(key, profile, source);
      if ('reason' in k) diagnostics.push(cannotExpress(detection, 'the threshold', k.reason, match.span));
      else if (k.nonEmptyOnly) {
        diagnostics.push(
          cannotExpress(detection, 'the threshold', `'${key.name}' counts only when not empty, but Kibana would also count a group for the empty value`, match.span),
        );
      } else termFields.push(k.path);
    }
  }
  if (diagnostics.some((d) => d.severity === 'error') || dsl.query === undefined || 'reason' in schedule) return { diagnostics };
  if (match.kind === 'threshold' && termFields.length > ES_QUERY_MAX_TERM_FIELDS) {
    const reason = `an .es-query rule groups by at most ${ES_QUERY_MAX_TERM_FIELDS} fields, the threshold by ${termFields.length}`;
    return { diagnostics: [...diagnostics, esQueryOmitted(detection, reason, match.span)] };
  }

  const window = timeWindow(schedule.schedule.lookback);
  const grouped = termFields.length > 0;
  const params: EsQueryParams = {
    searchType: 'esQuery',
    esQuery: stableJson({ query: dsl.query }).trimEnd(),
    index: [...profile.index],
    timeField: profile.timestampField,
    timeWindowSize: window.size,
    timeWindowUnit: window.unit,
    threshold: [match.kind === 'threshold' ? match.count : 1],
    thresholdComparator: '>=',
    size: ES_QUERY_SIZE,
    aggType: 'count',
    groupBy: grouped ? 'top' : 'all',
    excludeHitsFromPreviousRun: match.kind === 'filter',
    ...(grouped ? { termField: termFields.length === 1 ? termFields[0]! : termFields, termSize: ES_QUERY_TERM_SIZE } : {}),
  };
  return {
    rule: {
      name: detection.title,
      rule_type_id: '.es-query',
      consumer: 'stackAlerts',
      enabled: true,
      schedule: { interval: kibanaDuration(schedule.schedule.interval) },
      tags: [...detection.tags],
      actions: [],
      params,
    },
    diagnostics,
  };
}
