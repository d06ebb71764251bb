/**
 * A detection's `suppress` as Kibana alert suppression:
 * - query rules: `{group_by: [<keyword fields>], duration: {value, unit},
 *   missing_fields_strategy: "suppress"}` (one alert per group and period; alerts missing a
 *   group field form one group of their own). Kibana groups by 1 to 3 fields, so a suppression
 *   without fields or with more than three is refused;
 * - threshold rules: `{duration}` only (Kibana groups threshold alerts by the threshold
 *   fields), so the suppression fields must be the threshold's `by` fields;
 * - EQL sequence rules: refused. Kibana suppresses them from 8.18, on the values of the
 *   sequence alert; older Kibana refuses the import of a sequence rule with suppression.
 * Kibana alert suppression needs a Platinum (or higher) subscription.
 * Durations are written in the largest of h, m, s that divides them exactly (Kibana accepts no
 * days here).
 */
import type { Detection, FieldRef } from '../../ir/types.js';
import type { ElasticProfile, SourceDefinition } from '../../source/types.js';
import { exactField, isRenamedRule } from '../eql/fields.js';

export interface SuppressionDuration {
  readonly value: number;
  readonly unit: 's' | 'm' | 'h';
}

export type AlertSuppression =
  | {
      readonly group_by: readonly string[];
      readonly duration: SuppressionDuration;
      readonly missing_fields_strategy: 'suppress';
    }
  | { readonly duration: SuppressionDuration };

/** Kibana allows at most this many suppression fields. */
export const MAX_GROUP_BY = 3;

/** `seconds` as a Kibana suppression duration. */
export function suppressionDuration(seconds: number): SuppressionDuration {
  if (seconds % 3600 === 0) return { value: seconds / 3600, unit: 'h' };
  if (seconds % 60 === 0) return { value: seconds / 60, unit: 'm' };
  return { value: seconds, unit: 's' };
}

function sameFields(a: readonly FieldRef[], b: readonly FieldRef[]): boolean {
  const x = a.map((f) => f.name).sort();
  const y = b.map((f) => f.name).sort();
  return x.length === y.length && x.every((n, i) => n === y[i]);
}

/**
 * The `alert_suppression` of `detection`'s Kibana rule: absent without `suppress`, else the
 * object, or the reasons it cannot be written.
 */
export function kibanaSuppression(
  detection: Detection,
  profile: ElasticProfile,
  source: SourceDefinition,
): { readonly suppression?: AlertSuppression } | { readonly reasons: readonly string[] } {
  const s = detection.suppression;
  if (!s) return {};
  const duration = suppressionDuration(s.duration);
  if (detection.match.kind === 'sequence') {
    return { reasons: ['the compiler does not write alert suppression for EQL sequence rules (Kibana before 8.18 refuses the import of such a rule)'] };
  }
  if (detection.match.kind === 'threshold') {
    if (!sameFields(s.by, detection.match.by)) {
      return {
        reasons: [
          `Kibana suppresses threshold alerts by the threshold fields (${detection.match.by.map((f) => f.name).join(', ') || 'none'}), not by ${s.by.map((f) => f.name).join(', ') || 'no field'}`,
        ],
      };
    }
    return { suppression: { duration } };
  }
  if (s.by.length === 0) return { reasons: ['Kibana alert suppression needs at least one field to group by (`suppress: by <field> for …`)'] };
  if (s.by.length > MAX_GROUP_BY) {
    return { reasons: [`Kibana alert suppression groups by at most ${MAX_GROUP_BY} fields, not ${s.by.length}`] };
  }
  const reasons: string[] = [];
  const groupBy: string[] = [];
  for (const field of s.by) {
    if (isRenamedRule(field, source)) {
      reasons.push("suppression field: 'rule' while the source renames rules (Kibana would suppress alerts raised under the earlier and the current name apart)");
      continue;
    }
    const r = exactField(field, profile, source);
    if ('reason' in r) reasons.push(`suppression field: ${r.reason}`);
    else groupBy.push(r.field.path);
  }
  if (reasons.length > 0) return { reasons };
  return { suppression: { group_by: groupBy, duration, missing_fields_strategy: 'suppress' } };
}
