/**
 * Elastic field profiles: which profile a compile uses, and how each logical field is indexed
 * in it (document path, mapping type, the keyword (or wildcard) field used for exact matching
 * and the longest value that field holds).
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { suggest } from '../../diagnostics/suggest.js';
import type { ElasticFieldMapping, ElasticProfile, SourceDefinition } from '../../source/types.js';

/**
 * `ignore_above` of a `keyword` sub-field of a text field: Elasticsearch's dynamic mapping for
 * strings and the Falcosidekick index template both use 256. Longer values are not indexed
 * in the sub-field (the text field still has them).
 */
export const KEYWORD_SUBFIELD_IGNORE_ABOVE = 256;

/** `ignore_above` of a top-level `keyword` field: ECS (the Elastic Agent integration) uses 1024. */
export const KEYWORD_FIELD_IGNORE_ABOVE = 1024;

/** DET6008: `source` has no Elastic profile `name`; the hint names the closest and lists them all. */
export function unknownProfile(source: SourceDefinition, name: string): Diagnostic {
  const known = Object.keys(source.elastic.profiles).sort();
  const closest = suggest(name, known);
  return {
    code: Codes.UnknownElasticProfile.code,
    severity: Codes.UnknownElasticProfile.severity,
    message: `unknown Elastic profile '${name}'`,
    hint: `${closest !== undefined ? `did you mean '${closest}'? ` : ''}the source '${source.name}' defines: ${known.join(', ')}`,
  };
}

/**
 * The Elastic profile `name` of `source` (its default profile when `name` is undefined), or
 * DET6008 when the source has no such profile.
 */
export function resolveProfile(
  source: SourceDefinition,
  name?: string,
): { profile?: ElasticProfile; diagnostics: Diagnostic[] } {
  const wanted = name ?? source.elastic.defaultProfile;
  const profile = Object.hasOwn(source.elastic.profiles, wanted) ? source.elastic.profiles[wanted] : undefined;
  return profile ? { profile, diagnostics: [] } : { diagnostics: [unknownProfile(source, wanted)] };
}

/** How one logical field is indexed in a profile. */
export interface IndexedField {
  readonly name: string;
  readonly mapping: ElasticFieldMapping;
  /** The field for exact string matching (`path.keyword`, or `path` when keyword or wildcard). */
  readonly exact?: string;
  /**
   * Longest value (UTF-16 code units, like Elasticsearch's `ignore_above`) `exact` holds;
   * undefined when it has no limit (a `wildcard` field).
   */
  readonly exactLimit?: number;
}

/** Where `fieldName` is indexed in `profile`, or `undefined` when the profile does not index it. */
export function indexedField(profile: ElasticProfile, fieldName: string): IndexedField | undefined {
  if (!Object.prototype.hasOwnProperty.call(profile.fields, fieldName)) return undefined;
  const mapping = profile.fields[fieldName]!;
  if (mapping.type === 'keyword') {
    return { name: fieldName, mapping, exact: mapping.path, exactLimit: KEYWORD_FIELD_IGNORE_ABOVE };
  }
  if (mapping.type === 'wildcard') {
    // Matched like a keyword (term, terms, prefix, wildcard, regexp, case_insensitive); ECS sets
    // no ignore_above on its wildcard fields, whose default keeps every value.
    return { name: fieldName, mapping, exact: mapping.path };
  }
  if (mapping.type === 'text' && mapping.keyword !== undefined) {
    return { name: fieldName, mapping, exact: `${mapping.path}.${mapping.keyword}`, exactLimit: KEYWORD_SUBFIELD_IGNORE_ABOVE };
  }
  return { name: fieldName, mapping };
}

/**
 * Every Elasticsearch field a profile maps (keyword sub-fields included), by path, with its
 * mapping type: what an index built for the profile holds. Sorted by path.
 */
export function profileFieldTypes(profile: ElasticProfile): [string, ElasticFieldMapping['type']][] {
  const out = new Map<string, ElasticFieldMapping['type']>();
  for (const name of Object.keys(profile.fields)) {
    const f = indexedField(profile, name)!;
    out.set(f.mapping.path, f.mapping.type);
    if (f.exact !== undefined && f.exact !== f.mapping.path) out.set(f.exact, 'keyword');
  }
  return [...out.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
