/**
 * Reading logical fields out of a Falco alert as JSON. Falco writes `output_fields` as a flat
 * object whose keys are dotted field names (`{"output_fields": {"proc.cmdline": "…"}}`); the
 * alert keys (`rule`, `time`, `hostname`, `tags`, …) sit at the top level.
 */
import type { FieldRef, JsonObject } from '../ir/types.js';
import type { SourceDefinition, SourceField } from '../source/types.js';
import { regexExec } from './regex.js';

interface SourceIndex {
  readonly fields: ReadonlyMap<string, SourceField>;
  /** Earlier rule name → current rule name. */
  readonly currentRuleName: ReadonlyMap<string, string>;
  /** `source.cluster.hostnamePattern` (run by `regexExec`, `u` flag). */
  readonly hostnamePattern?: string;
}

const indexes = new WeakMap<SourceDefinition, SourceIndex>();

function indexOf(source: SourceDefinition): SourceIndex {
  let index = indexes.get(source);
  if (!index) {
    const currentRuleName = new Map<string, string>();
    for (const current of Object.keys(source.ruleAliases)) {
      for (const earlier of source.ruleAliases[current] ?? []) currentRuleName.set(earlier, current);
    }
    const pattern = source.cluster.hostnamePattern;
    index = {
      fields: new Map(source.fields.map((f) => [f.name, f])),
      currentRuleName,
      ...(pattern !== undefined ? { hostnamePattern: pattern } : {}),
    };
    indexes.set(source, index);
  }
  return index;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(object: unknown, key: string): unknown {
  return isObject(object) && Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

/**
 * The value of the logical field `field` in `event`, as found in the JSON (string, number,
 * boolean, array, object or null), or `undefined` when absent:
 * - alert fields read the top-level key, `output_fields` fields the flat dotted key of
 *   `output_fields` (nested objects are not searched);
 * - `cluster` (derived) is the custom field (`source.cluster.customField` in `output_fields`)
 *   when it is a non-empty string, else group 1 of `source.cluster.hostnamePattern` over
 *   `hostname` when that matches with a non-empty group, else `undefined`;
 * - the field named `rule` reads earlier names of renamed rules (`source.ruleAliases`) as the
 *   current name.
 * A field the source does not declare is `undefined` (validation rejects such fields earlier).
 */
export function fieldValue(event: JsonObject, field: FieldRef, source: SourceDefinition): unknown {
  const value = writtenValue(event, field, source);
  return field.name === 'rule' && typeof value === 'string' ? (indexOf(source).currentRuleName.get(value) ?? value) : value;
}

/** `fieldValue` as the event writes it: an earlier rule name stays as it is. */
export function writtenValue(event: JsonObject, field: FieldRef, source: SourceDefinition): unknown {
  const index = indexOf(source);
  const declared = index.fields.get(field.name);
  if (!declared) return undefined;
  const location = declared.location;
  switch (location.in) {
    case 'alert':
      return own(event, location.key);
    case 'output_fields':
      return own(own(event, 'output_fields'), location.key);
    case 'derived':
      return clusterName(event, source, index);
  }
}

function clusterName(event: JsonObject, source: SourceDefinition, index: SourceIndex): string | undefined {
  const customField = source.cluster.customField;
  if (customField !== undefined) {
    const custom = own(own(event, 'output_fields'), customField);
    if (typeof custom === 'string' && custom !== '') return custom;
  }
  const hostname = own(event, 'hostname');
  if (index.hostnamePattern && typeof hostname === 'string') {
    // with the time limit of `regex` (a source's pattern may backtrack): may throw RegexTimeout
    const group = regexExec(index.hostnamePattern, hostname)?.[1];
    if (group !== undefined && group !== '') return group;
  }
  return undefined;
}
