/**
 * Builds the immutable `SourceDefinition` from a checked source file: fields sorted by name,
 * Elastic profiles with every field's mapping resolved (explicit, or derived from the field's
 * location and type), everything deep-frozen.
 */
import type { FieldType } from '../ir/types.js';
import type { SourceFile, SourceFileDerive, SourceFileField } from './schema.js';
import type {
  ElasticFieldMapping,
  ElasticProfile,
  FieldLocation,
  SourceDefinition,
  SourceField,
} from './types.js';

const DERIVED_TYPES: Readonly<Record<FieldType, ElasticFieldMapping['type']>> = {
  string: 'text',
  'string[]': 'text',
  number: 'long',
  boolean: 'boolean',
  timestamp: 'date',
};

/** Plain string order (no locale); names are ASCII, where it is code-point order. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The definition described by `file` (which must have passed the schema and the checks). */
export function buildSource(file: SourceFile): SourceDefinition {
  const fileFields = [...file.fields].sort((a, b) => byText(a.name, b.name));
  const fields = fileFields.map(toSourceField);

  // Maps keyed by names from the source file have no prototype: a field named `constructor` or
  // `__proto__` is a key like any other, never an inherited property.
  const profiles: Record<string, ElasticProfile> = keyed();
  for (const name of Object.keys(file.elastic.profiles).sort(byText)) {
    const profile = file.elastic.profiles[name]!;
    const mapped: Record<string, ElasticFieldMapping> = keyed();
    for (const field of fileFields) {
      const mapping = elasticMapping(field, name, profile.derive);
      if (mapping) mapped[field.name] = mapping;
    }
    profiles[name] = {
      name,
      description: profile.description.trim(),
      index: [...profile.index],
      timestampField: profile.timestampField,
      fields: mapped,
    };
  }

  const ruleAliases: Record<string, string[]> = keyed();
  for (const current of Object.keys(file.ruleAliases ?? {}).sort(byText)) {
    ruleAliases[current] = [...file.ruleAliases![current]!];
  }

  const cluster: { customField?: string; hostnamePattern?: string } = {};
  if (file.cluster?.customField !== undefined) cluster.customField = file.cluster.customField;
  if (file.cluster?.hostnamePattern !== undefined) cluster.hostnamePattern = file.cluster.hostnamePattern;

  return deepFreeze({
    name: file.name,
    description: file.description.trim(),
    fields,
    ruleAliases,
    cluster,
    sentinel: { functionName: file.sentinel.functionName, routes: [...file.sentinel.routes] },
    elastic: { defaultProfile: file.elastic.defaultProfile, profiles },
  });
}

/** An empty object without a prototype, for names from the source file. */
function keyed<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function toSourceField(field: SourceFileField): SourceField {
  const location: FieldLocation =
    field.in === 'derived' ? { in: 'derived' } : { in: field.in, key: field.key ?? field.name };
  return {
    name: field.name,
    type: field.type,
    description: field.description.trim(),
    location,
    column: field.column,
  };
}

function elasticMapping(
  field: SourceFileField,
  profile: string,
  derive: SourceFileDerive | undefined,
): ElasticFieldMapping | undefined {
  const explicit = field.elastic?.[profile];
  if (explicit === false) return undefined;
  if (explicit) {
    return explicit.keyword !== undefined
      ? { path: explicit.path, type: explicit.type, keyword: explicit.keyword }
      : { path: explicit.path, type: explicit.type };
  }
  if (!derive || field.in === 'derived') return undefined;
  const key = field.key ?? field.name;
  const path =
    field.in === 'alert'
      ? derive.alertPrefix + key
      : derive.outputFieldsPrefix + (derive.flattenOutputFields ? key.replaceAll('.', '_') : key);
  const type = derive.textFields?.includes(field.name) ? 'text' : DERIVED_TYPES[field.type];
  return type === 'text' ? { path, type, keyword: derive.keywordSubfield } : { path, type };
}

/** Freezes `value` and everything reachable from it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
