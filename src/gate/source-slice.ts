/**
 * The part of a source definition that shapes one detection's generated rules, for the gate:
 * a detection's IR names its fields, but where a field lives comes from the source. The rule
 * for what is included: a fact is in the slice when changing it changes the text of one of the
 * detection's generated queries (the KQL rule query, the Elasticsearch query, Lucene string,
 * EQL or ES|QL of its Kibana rules, their index patterns and timestamp field); facts that only
 * reach the Sentinel parser function (alert keys, the cluster's custom field name and pattern,
 * the ingestion routes), descriptions and other profiles are not.
 *
 * - every field the detection refers to (condition, correlation keys, suppression, output,
 *   entities): its Sentinel column, whether the source derives it, and its mapping in the
 *   Elastic profile the run uses (`--elastic-profile`, else the source's default);
 * - that profile's index patterns and timestamp field;
 * - the Sentinel function name every rule queries, and for a threshold or sequence the column
 *   of `time` its window is measured on;
 * - the rule aliases as the Elastic queries use them: for each `rule` comparison, which earlier
 *   names it excludes and includes; whether the source renames any rule, when `rule` is a
 *   correlation or suppression key (EQL refuses it then);
 * - for a derived field (the cluster), whether the source recognises it by a custom field and
 *   by a host-name pattern (Elastic compiles it only from the custom field alone).
 */
import { compactStableJson } from '../emit/json.js';
import { evaluateCondition } from '../eval/condition.js';
import { leavesOf, matchConditions, type Detection, type FieldRef, type JsonObject, type LeafCondition } from '../ir/types.js';
import type { ElasticProfile, SourceDefinition, SourceField } from '../source/types.js';

/** The parts of a slice, each as a canonical string, keyed by what the user would call it. */
export type SourceSlice = ReadonlyMap<string, string>;

/** The fields `d`'s correlation and suppression group by. */
function keyFields(d: Detection): readonly FieldRef[] {
  return [...(d.match.kind === 'filter' ? [] : d.match.by), ...(d.suppression?.by ?? [])];
}

/** The names of the fields `d` refers to, sorted. */
export function referencedFields(d: Detection): string[] {
  const out = new Set<string>();
  for (const l of leavesOf(matchConditions(d.match))) out.add(l.field.name);
  const refs = [...keyFields(d), ...d.output, ...Object.values(d.entities).filter((r): r is FieldRef => r !== undefined)];
  for (const r of refs) out.add(r.name);
  return [...out].sort();
}

/** The facts of one source that do not depend on the detection, computed once. */
export class SourceFacts {
  private readonly byName: ReadonlyMap<string, SourceField>;
  private readonly profile: ElasticProfile | undefined;
  private readonly profileJson: string;
  private readonly aliasPairs: readonly (readonly [string, string])[];
  private readonly rawSource: SourceDefinition;

  constructor(
    private readonly source: SourceDefinition,
    elasticProfile?: string,
  ) {
    this.byName = new Map(source.fields.map((f) => [f.name, f]));
    const profileName = elasticProfile ?? source.elastic.defaultProfile;
    const profile = Object.hasOwn(source.elastic.profiles, profileName) ? source.elastic.profiles[profileName] : undefined;
    this.profile = profile;
    this.profileJson = compactStableJson(profile ? { index: profile.index, timestampField: profile.timestampField } : null);
    const pairs: [string, string][] = [];
    for (const current of Object.keys(source.ruleAliases).sort()) for (const old of source.ruleAliases[current] ?? []) pairs.push([old, current]);
    this.aliasPairs = pairs;
    this.rawSource = { ...source, ruleAliases: {} };
  }

  private mapping(name: string): unknown {
    return this.profile && Object.hasOwn(this.profile.fields, name) ? this.profile.fields[name] : null;
  }

  /** Whether `leaf` holds for an alert whose `rule` is `name` (undefined: it could not be told). */
  private holds(leaf: LeafCondition, name: string): boolean | undefined {
    const loc = this.byName.get(leaf.field.name)?.location;
    if (loc === undefined || loc.in === 'derived') return undefined;
    const event: JsonObject = loc.in === 'alert' ? { [loc.key]: name } : { output_fields: { [loc.key]: name } };
    try {
      return evaluateCondition(leaf, event, this.rawSource);
    } catch {
      return undefined;
    }
  }

  /** The source facts `d`'s generated queries depend on. */
  slice(d: Detection): SourceSlice {
    const parts = new Map<string, string>();
    parts.set('the Sentinel function name', compactStableJson(this.source.sentinel.functionName));
    if (d.match.kind !== 'filter') parts.set('the column of `time`', compactStableJson(this.byName.get('time')?.column ?? 'TimeGenerated'));
    parts.set('the Elastic profile', this.profileJson);
    let derived = false;
    for (const name of referencedFields(d)) {
      const f = this.byName.get(name);
      derived ||= f?.location.in === 'derived';
      parts.set(`the field \`${name}\``, compactStableJson(f ? { column: f.column, derived: f.location.in === 'derived', elastic: this.mapping(name) } : null));
    }
    if (derived) {
      const { customField, hostnamePattern } = this.source.cluster;
      parts.set('the cluster recognition', compactStableJson({ customField: customField !== undefined, hostnamePattern: hostnamePattern !== undefined }));
    }
    const ruleLeaves = leavesOf(matchConditions(d.match)).filter((l) => l.field.name === 'rule');
    const used = ruleLeaves.map((leaf) => ({
      excluded: this.aliasPairs.filter(([old]) => this.holds(leaf, old) !== false).map(([old]) => old),
      included: this.aliasPairs.filter(([, current]) => this.holds(leaf, current) !== false).map(([old]) => old),
    }));
    const keyed = keyFields(d).some((f) => f.name === 'rule');
    if (used.some((u) => u.excluded.length + u.included.length > 0) || keyed) {
      parts.set('the rule aliases', compactStableJson({ comparisons: used, renames: keyed ? this.aliasPairs.length > 0 : null }));
    }
    return parts;
  }
}

/** What differs between two slices of one detection. */
export function sliceChanges(before: SourceSlice, after: SourceSlice): string[] {
  const keys = new Set([...after.keys(), ...before.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k));
}
