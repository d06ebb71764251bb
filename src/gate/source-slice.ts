/**
 * The part of a source definition that shapes one detection's compiled queries, for the gate:
 * a detection's IR names its fields, but where a field lives (its Sentinel column, its alert
 * key, its Elastic path and mapping in each profile), the rule aliases a `rule` comparison
 * expands to, and how the cluster is recognised come from the source. A change there changes
 * the deployed query as surely as a change of the condition does.
 *
 * Included: every field the detection refers to (condition, correlation keys, suppression,
 * output, entities) with its type, location, column and per-profile Elastic mapping (not its
 * description); the rule aliases when it refers to `rule`; the cluster recognition when it
 * refers to `cluster`; the Sentinel function name every rule queries; the default Elastic
 * profile and each profile's index patterns and timestamp field.
 */
import { compactStableJson } from '../emit/json.js';
import type { Condition, Detection, FieldRef } from '../ir/types.js';
import type { SourceDefinition } from '../source/types.js';

/** The parts of a slice, each as a canonical string, keyed by what the user would call it. */
export type SourceSlice = ReadonlyMap<string, string>;

function conditionFields(c: Condition, out: Set<string>): void {
  switch (c.kind) {
    case 'and':
    case 'or':
      for (const a of c.args) conditionFields(a, out);
      return;
    case 'not':
      conditionFields(c.arg, out);
      return;
    default:
      out.add(c.field.name);
  }
}

/** The names of the fields `d` refers to, sorted. */
export function referencedFields(d: Detection): string[] {
  const out = new Set<string>();
  const add = (refs: readonly FieldRef[]): void => {
    for (const r of refs) out.add(r.name);
  };
  const m = d.match;
  if (m.kind === 'sequence') {
    for (const s of m.steps) conditionFields(s.condition, out);
  } else {
    conditionFields(m.condition, out);
  }
  if (m.kind !== 'filter') add(m.by);
  if (d.suppression) add(d.suppression.by);
  add(d.output);
  add(Object.values(d.entities).filter((r): r is FieldRef => r !== undefined));
  return [...out].sort();
}

/** The source facts `d`'s compiled queries depend on. */
export function sourceSlice(d: Detection, source: SourceDefinition): SourceSlice {
  const parts = new Map<string, string>();
  const profiles = Object.keys(source.elastic.profiles).sort();
  parts.set('the Sentinel function name', compactStableJson(source.sentinel.functionName));
  parts.set(
    'the Elastic profiles',
    compactStableJson({
      defaultProfile: source.elastic.defaultProfile,
      profiles: profiles.map((p) => [p, source.elastic.profiles[p]!.index, source.elastic.profiles[p]!.timestampField]),
    }),
  );
  const byName = new Map(source.fields.map((f) => [f.name, f]));
  for (const name of referencedFields(d)) {
    const f = byName.get(name);
    const elastic = profiles.map((p) => {
      const fields = source.elastic.profiles[p]!.fields;
      return [p, Object.hasOwn(fields, name) ? fields[name] : null];
    });
    parts.set(`the field \`${name}\``, compactStableJson(f ? { type: f.type, location: f.location, column: f.column, elastic } : null));
    if (name === 'rule') parts.set('the rule aliases', compactStableJson(source.ruleAliases));
    if (name === 'cluster') parts.set('the cluster recognition', compactStableJson(source.cluster));
  }
  return parts;
}

/** What differs between two slices of one detection, in the order of `after`'s parts. */
export function sliceChanges(before: SourceSlice, after: SourceSlice): string[] {
  const keys = new Set([...after.keys(), ...before.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k));
}
