/**
 * The document field that groups or joins events by a logical field of the source, in one
 * Elastic profile: EQL sequence keys, Kibana threshold fields and alert suppression fields.
 * These need an exact (aggregatable) field: the keyword or wildcard field of a string
 * (`indexedField` in src/backends/elastic/profile.ts; both have doc values), or the field itself
 * for numbers, booleans and dates. A text field without a keyword field, a field the profile does
 * not index, and the cluster name when the source also recognises it from the host name (a
 * derivation no query can repeat) have none.
 */
import type { FieldRef } from '../../ir/types.js';
import type { ElasticProfile, SourceDefinition } from '../../source/types.js';
import { indexedField } from '../elastic/profile.js';

/** The exact field of a logical field. */
export interface ExactField {
  /** Document path (the keyword or wildcard field for strings). */
  readonly path: string;
  /** True for a derived field read from a custom field that counts only when non-empty (the cluster). */
  readonly nonEmptyOnly: boolean;
}

/** An `ExactField`, or why the field has none. */
export type ExactFieldResult = { readonly field: ExactField } | { readonly reason: string };

/** The exact field for `field` in `profile`. */
export function exactField(field: FieldRef, profile: ElasticProfile, source: SourceDefinition): ExactFieldResult {
  const f = indexedField(profile, field.name);
  if (!f) return { reason: `field '${field.name}' is not indexed in the Elastic profile '${profile.name}'` };
  const derived = source.fields.find((d) => d.name === field.name)?.location.in === 'derived';
  if (derived && source.cluster.hostnamePattern !== undefined) {
    return {
      reason: `field '${field.name}' is also recognised from the host name (pattern ${JSON.stringify(source.cluster.hostnamePattern)}), which Elasticsearch cannot repeat; only the custom field '${f.mapping.path}' is indexed`,
    };
  }
  if (f.mapping.type === 'text' && f.exact === undefined) {
    return {
      reason: `field '${field.name}' is indexed as analysed text ('${f.mapping.path}') without a keyword sub-field, so it cannot group or join events`,
    };
  }
  return { field: { path: f.exact ?? f.mapping.path, nonEmptyOnly: derived } };
}

/**
 * Whether `field` is `rule` while the source renames rules: the DSL reads the current name,
 * Elasticsearch holds the name the alert was raised with, so grouping by it would split one
 * rule's alerts in two.
 */
export function isRenamedRule(field: FieldRef, source: SourceDefinition): boolean {
  return field.name === 'rule' && Object.values(source.ruleAliases).some((n) => n.length > 0);
}

/**
 * The exact field grouping events by `field` in a threshold or sequence the way the evaluator
 * does (by the field's value), or why it cannot: list fields (the evaluator groups by the whole
 * list, Elasticsearch by each element), timestamps (the evaluator groups by the full
 * nanosecond text, Elasticsearch by milliseconds) and `rule` while the source renames rules
 * (the evaluator groups by the current name, Elasticsearch by the stored one).
 */
export function correlationKey(
  field: FieldRef,
  profile: ElasticProfile,
  source: SourceDefinition,
): { readonly path: string; readonly nonEmptyOnly: boolean } | { readonly reason: string } {
  if (field.type === 'string[]') {
    return { reason: `the list field '${field.name}' cannot be a correlation key (the evaluator groups by the whole list, Elasticsearch by each element)` };
  }
  if (field.type === 'timestamp') {
    return {
      reason: `the timestamp field '${field.name}' cannot be a correlation key (Elasticsearch keeps milliseconds, the evaluator groups by the full value)`,
    };
  }
  if (isRenamedRule(field, source)) {
    return {
      reason: `'rule' cannot be a correlation key while the source renames rules (the evaluator groups by the current name, Elasticsearch by the stored one)`,
    };
  }
  const r = exactField(field, profile, source);
  if ('reason' in r) return r;
  return { path: r.field.path, nonEmptyOnly: r.field.nonEmptyOnly };
}
