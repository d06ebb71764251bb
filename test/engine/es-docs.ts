/**
 * Falco alerts as Elasticsearch indexes them under an Elastic profile: every field the profile
 * maps gets the alert's raw value (rule names not alias-normalised, the cluster's custom field
 * as is), coerced the way Elasticsearch coerces JSON into the mapping type:
 * - text/keyword/wildcard: strings, numbers and booleans as their text; lists give several
 *   values; a keyword (sub-)field drops values longer than its `ignore_above` (a wildcard field
 *   has none);
 * - long: numbers truncated to integers, numeric strings parsed; date: ISO 8601 text (to
 *   milliseconds, fraction truncated) or epoch milliseconds; boolean: true/false or their text.
 * A value Elasticsearch would reject (e.g. a word in a long field) makes the document
 * rejected: `undefined`.
 */
import type { FieldTypes, EngineDoc } from './harness.js';
import { indexedField, profileFieldTypes } from '../../src/backends/elastic/profile.js';
import { parseIsoNanos } from '../../src/eval/time.js';
import type { JsonObject } from '../../src/ir/types.js';
import type { ElasticProfile, SourceDefinition, SourceField } from '../../src/source/types.js';

function own(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null && !Array.isArray(o) && Object.prototype.hasOwnProperty.call(o, key)
    ? (o as Record<string, unknown>)[key]
    : undefined;
}

/** The raw JSON value of a logical field in an alert (no alias or cluster logic beyond the custom field). */
export function rawValue(event: JsonObject, field: SourceField, source: SourceDefinition): unknown {
  const loc = field.location;
  if (loc.in === 'alert') return own(event, loc.key);
  if (loc.in === 'output_fields') return own(own(event, 'output_fields'), loc.key);
  const custom = source.cluster.customField;
  return custom === undefined ? undefined : own(own(event, 'output_fields'), custom);
}

function flatten(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.flatMap(flatten);
  return [v];
}

class Rejected extends Error {}

function coerce(v: unknown, type: FieldTypes[string]): string | number | boolean {
  switch (type) {
    case 'text':
    case 'keyword':
    case 'wildcard':
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
      throw new Rejected();
    case 'long': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) throw new Rejected();
      return Math.trunc(n);
    }
    case 'date': {
      if (typeof v === 'number') return Math.trunc(v);
      const nanos = typeof v === 'string' ? parseIsoNanos(v) : undefined;
      if (nanos === undefined) throw new Rejected();
      return Number(nanos / 1_000_000n);
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      throw new Rejected();
  }
}

/** The mapping of an index built for `profile`. */
export function profileMapping(profile: ElasticProfile): FieldTypes {
  return Object.fromEntries(profileFieldTypes(profile));
}

/** `event` as indexed under `profile`, or `undefined` when Elasticsearch would reject it. */
export function esDocument(event: JsonObject, profile: ElasticProfile, source: SourceDefinition): EngineDoc | undefined {
  const doc: EngineDoc = {};
  const add = (path: string, v: string | number | boolean): void => {
    (doc[path] ??= []).push(v);
  };
  try {
    for (const field of source.fields) {
      const f = indexedField(profile, field.name);
      if (!f) continue;
      for (const raw of flatten(rawValue(event, field, source))) {
        if (typeof raw === 'object') throw new Rejected();
        const v = coerce(raw, f.mapping.type);
        add(f.mapping.path, v);
        if (f.exact !== undefined && f.exact !== f.mapping.path && typeof v === 'string' && v.length <= (f.exactLimit ?? Infinity)) {
          add(f.exact, v);
        } else if (f.exact === f.mapping.path && typeof v === 'string' && v.length > (f.exactLimit ?? Infinity)) {
          doc[f.mapping.path]!.pop(); // a keyword field ignores values above its limit
        }
      }
    }
  } catch (e) {
    if (e instanceof Rejected) return undefined;
    throw e;
  }
  return doc;
}
