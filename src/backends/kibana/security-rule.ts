/**
 * One detection as a Kibana Security detection rule, in the shape of the detection rules API
 * (`POST /api/detection_engine/rules`, and one line of `_import`):
 * - filter → `type: query`, `language: lucene`, the condition as a Lucene query string;
 * - threshold → `type: threshold`, `threshold: {field: [keys], value: count}`, the condition
 *   as Lucene, looking back exactly the threshold window (see schedule.ts);
 * - sequence → `type: eql`, `language: eql`, an EQL sequence query (src/backends/eql).
 * Common fields: `rule_id` (the detection id), `version`, `name` (title), `description`,
 * `author`, `severity` and `risk_score` (metadata.ts), `index`, `interval`, `from`,
 * `max_signals` (100, Kibana's default), `enabled: true`, `tags`, `references`,
 * `false_positives`, `threat`, `note` (triage and response), `alert_suppression`,
 * `investigation_fields` (the detection's `output` fields the profile indexes), and
 * `timestamp_override` / `timestamp_field` when the profile's time field is not `@timestamp`.
 * Only properties of the Kibana rule API schemas are written (they forbid others).
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Detection } from '../../ir/types.js';
import type { ElasticProfile, SourceDefinition } from '../../source/types.js';
import { correlationKey } from '../eql/fields.js';
import { eqlSequence } from '../eql/sequence.js';
import { cannotExpress, scheduleSpan } from './diagnostics.js';
import { kibanaNote, kibanaSeverity, kibanaThreat, type KibanaSeverity, type Threat } from './metadata.js';
import type { ElasticQueryBuilders } from './queries.js';
import { kibanaDuration, kibanaSchedule } from './schedule.js';
import { kibanaSuppression, type AlertSuppression } from './suppression.js';

/** Kibana's default (and our) maximum number of alerts per rule run. */
export const MAX_SIGNALS = 100;

/** Kibana threshold rules group by at most this many fields. */
export const MAX_THRESHOLD_FIELDS = 5;

/** The time field Kibana assumes when none is given. */
const DEFAULT_TIMESTAMP = '@timestamp';

export interface SecurityRule {
  readonly rule_id: string;
  readonly version: number;
  readonly name: string;
  readonly description: string;
  readonly author: readonly string[];
  readonly severity: KibanaSeverity;
  readonly risk_score: number;
  readonly type: 'query' | 'threshold' | 'eql';
  readonly language: 'lucene' | 'eql';
  readonly query: string;
  readonly index: readonly string[];
  readonly interval: string;
  readonly from: string;
  readonly max_signals: number;
  readonly enabled: boolean;
  readonly tags: readonly string[];
  readonly references: readonly string[];
  readonly false_positives: readonly string[];
  readonly threat: readonly Threat[];
  readonly note?: string;
  readonly alert_suppression?: AlertSuppression;
  readonly threshold?: { readonly field: readonly string[]; readonly value: number };
  readonly investigation_fields?: { readonly field_names: readonly string[] };
  readonly timestamp_override?: string;
  readonly timestamp_field?: string;
}

/** The document paths of the detection's `output` fields that the profile indexes, in order, once each. */
export function investigationFields(detection: Detection, profile: ElasticProfile): string[] {
  const out: string[] = [];
  for (const f of detection.output) {
    const path = profile.fields[f.name]?.path;
    if (path !== undefined && !out.includes(path)) out.push(path);
  }
  return out;
}

/** `detection` as a Kibana Security rule, or the DET5001 diagnostics saying why it cannot be one. */
export function securityRule(
  detection: Detection,
  profile: ElasticProfile,
  source: SourceDefinition,
  queries: ElasticQueryBuilders,
): { readonly rule?: SecurityRule; readonly diagnostics: readonly Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const match = detection.match;

  const schedule = kibanaSchedule(detection);
  if ('reason' in schedule) diagnostics.push(cannotExpress(detection, 'the schedule', schedule.reason, scheduleSpan(detection)));

  const suppression = kibanaSuppression(detection, profile, source);
  if ('reasons' in suppression) {
    for (const reason of suppression.reasons) diagnostics.push(cannotExpress(detection, 'the suppression', reason, detection.suppression?.span));
  }

  let type: SecurityRule['type'];
  let language: SecurityRule['language'];
  let query: string | undefined;
  let threshold: SecurityRule['threshold'];
  if (match.kind === 'sequence') {
    type = 'eql';
    language = 'eql';
    const r = eqlSequence(match, {
      profile,
      source,
      condition: (cond) => {
        const q = queries.eql(cond, profile, source, { detection });
        return q.query !== undefined ? { text: q.query, diagnostics: q.diagnostics } : { diagnostics: q.diagnostics };
      },
    });
    for (const reason of r.keyProblems) diagnostics.push(cannotExpress(detection, 'the sequence', reason, match.span));
    diagnostics.push(...r.diagnostics);
    query = r.query;
  } else {
    type = match.kind === 'threshold' ? 'threshold' : 'query';
    language = 'lucene';
    const r = queries.lucene(match.condition, profile, source, { detection });
    diagnostics.push(...r.diagnostics);
    query = r.query;
    if (match.kind === 'threshold') {
      const fields: string[] = [];
      if (match.by.length > MAX_THRESHOLD_FIELDS) {
        diagnostics.push(
          cannotExpress(detection, 'the threshold', `Kibana threshold rules group by at most ${MAX_THRESHOLD_FIELDS} fields, not ${match.by.length}`, match.span),
        );
      }
      for (const key of match.by) {
        const k = correlationKey(key, profile, source);
        if ('reason' in k) diagnostics.push(cannotExpress(detection, 'the threshold', k.reason, match.span));
        else if (k.nonEmptyOnly) {
          diagnostics.push(
            cannotExpress(detection, 'the threshold', `'${key.name}' counts only when not empty, but Kibana would also count a group for the empty value`, match.span),
          );
        } else fields.push(k.path);
      }
      threshold = { field: fields, value: match.count };
    }
  }

  if (diagnostics.some((d) => d.severity === 'error') || query === undefined || 'reason' in schedule || 'reasons' in suppression) {
    return { diagnostics };
  }

  const { severity, risk_score } = kibanaSeverity(detection.severity);
  const note = kibanaNote(detection);
  const investigation = investigationFields(detection, profile);
  const timestamp = profile.timestampField;
  const rule: SecurityRule = {
    rule_id: detection.id,
    version: detection.version,
    name: detection.title,
    description: detection.description,
    author: [...detection.author],
    severity,
    risk_score,
    type,
    language,
    query,
    index: [...profile.index],
    interval: kibanaDuration(schedule.schedule.interval),
    from: `now-${kibanaDuration(schedule.schedule.lookback)}`,
    max_signals: MAX_SIGNALS,
    enabled: true,
    tags: [...detection.tags],
    references: [...detection.references],
    false_positives: [...detection.falsePositives],
    threat: kibanaThreat(detection.attack),
    ...(note !== undefined ? { note } : {}),
    ...(suppression.suppression ? { alert_suppression: suppression.suppression } : {}),
    ...(threshold ? { threshold } : {}),
    ...(investigation.length > 0 ? { investigation_fields: { field_names: investigation } } : {}),
    ...(timestamp !== DEFAULT_TIMESTAMP ? { timestamp_override: timestamp } : {}),
    ...(timestamp !== DEFAULT_TIMESTAMP && type === 'eql' ? { timestamp_field: timestamp } : {}),
  };
  return { rule, diagnostics };
}
