/**
 * Checks of a schema-valid source file that JSON Schema cannot express: unique names and
 * columns, references between sections, a usable cluster pattern, mapping types that fit the
 * field types. Each problem names the YAML path it concerns; `load.ts` turns it into a
 * diagnostic at that place.
 */
import { suggest } from '../diagnostics/suggest.js';
import type { ElasticFieldMapping } from './types.js';
import type { SourceFile } from './schema.js';
import { checkHostnamePattern } from './pattern.js';

/** A problem at a YAML path; `onKey` points at the key of the last path element, not its value. */
export interface SourceIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint: string;
  readonly onKey?: boolean;
}

const COMPATIBLE_ELASTIC_TYPES: Readonly<Record<string, readonly ElasticFieldMapping['type'][]>> = {
  string: ['text', 'keyword', 'wildcard'],
  'string[]': ['text', 'keyword', 'wildcard'],
  number: ['long', 'keyword'],
  boolean: ['boolean', 'keyword'],
  timestamp: ['date'],
};

/** Returns every semantic problem of `file`, in file order. */
export function checkSourceFile(file: SourceFile): SourceIssue[] {
  const issues: SourceIssue[] = [];
  const profiles = Object.keys(file.elastic.profiles);

  if (!profiles.includes(file.elastic.defaultProfile)) {
    issues.push({
      path: ['elastic', 'defaultProfile'],
      message: `default Elastic profile "${file.elastic.defaultProfile}" is not defined under elastic.profiles`,
      hint: `use one of: ${profiles.join(', ')}`,
    });
  }

  const cluster = file.cluster ?? {};
  if (cluster.hostnamePattern !== undefined) {
    const problem = checkHostnamePattern(cluster.hostnamePattern);
    if (problem) {
      issues.push({
        path: ['cluster', 'hostnamePattern'],
        message: `cluster host name pattern: ${problem}`,
        hint: 'write an RE2- and JavaScript-compatible pattern with exactly one capture group (the cluster name), e.g. ^gke-(.+?)-[a-z0-9]+-[0-9a-f]{8}-[a-z0-9]{4}$',
      });
    }
  }

  const names = new Map<string, number>();
  const columns = new Map<string, number>();
  const keys = new Map<string, number>();
  file.fields.forEach((field, i) => {
    const first = names.get(field.name);
    if (first !== undefined) {
      issues.push({
        path: ['fields', i, 'name'],
        message: `field "${field.name}" is declared twice (first as fields[${first}])`,
        hint: 'remove one of the two declarations',
      });
    } else names.set(field.name, i);

    const columnKey = field.column.toLowerCase();
    const firstColumn = columns.get(columnKey);
    if (firstColumn !== undefined) {
      issues.push({
        path: ['fields', i, 'column'],
        message: `Sentinel column "${field.column}" is already used by field "${file.fields[firstColumn]?.name}"`,
        hint: 'give every field its own column name (compared case-insensitively)',
      });
    } else columns.set(columnKey, i);

    if (field.in === 'derived') {
      if (field.name !== 'cluster') {
        issues.push({
          path: ['fields', i, 'in'],
          message: `field "${field.name}" cannot be derived: the only derived field is "cluster"`,
          hint: 'use `in: alert` or `in: output_fields`',
        });
      }
      if (field.key !== undefined) {
        issues.push({
          path: ['fields', i, 'key'],
          message: 'a derived field has no JSON key',
          hint: 'remove `key`',
        });
      }
      if (cluster.customField === undefined && cluster.hostnamePattern === undefined) {
        issues.push({
          path: ['fields', i, 'in'],
          message: 'field "cluster" is derived but the `cluster` section gives no way to recognise it',
          hint: 'add `cluster: { customField: cluster }` and/or a `hostnamePattern`',
        });
      }
    } else {
      const location = `${field.in}:${field.key ?? field.name}`;
      const firstKey = keys.get(location);
      if (firstKey !== undefined) {
        issues.push({
          path: ['fields', i, field.key !== undefined ? 'key' : 'name'],
          message: `fields "${file.fields[firstKey]?.name}" and "${field.name}" read the same ${field.in} key "${field.key ?? field.name}"`,
          hint: 'declare each JSON key once',
        });
      } else keys.set(location, i);
    }

    for (const [profile, mapping] of Object.entries(field.elastic ?? {})) {
      if (!profiles.includes(profile)) {
        issues.push({
          path: ['fields', i, 'elastic', profile],
          onKey: true,
          message: `unknown Elastic profile "${profile}"`,
          hint: `use one of: ${profiles.join(', ')}`,
        });
        continue;
      }
      if (mapping === false) continue;
      const allowed = COMPATIBLE_ELASTIC_TYPES[field.type] ?? [];
      if (!allowed.includes(mapping.type)) {
        issues.push({
          path: ['fields', i, 'elastic', profile, 'type'],
          message: `a ${field.type} field cannot be mapped as Elastic type ${mapping.type}`,
          hint: `use one of: ${allowed.join(', ')}`,
        });
      }
      if (mapping.keyword !== undefined && mapping.type !== 'text') {
        issues.push({
          path: ['fields', i, 'elastic', profile, 'keyword'],
          message: `a keyword sub-field only exists on text mappings, not on ${mapping.type}`,
          hint: 'remove `keyword`, or map the field as `type: text`',
        });
      }
    }
  });

  const currentNames = new Set(Object.keys(file.ruleAliases ?? {}));
  const aliasOwner = new Map<string, string>();
  for (const [current, earlier] of Object.entries(file.ruleAliases ?? {})) {
    earlier.forEach((alias, j) => {
      const owner = aliasOwner.get(alias);
      if (alias === current || currentNames.has(alias)) {
        issues.push({
          path: ['ruleAliases', current, j],
          message: `"${alias}" is listed as an earlier name but is also a current rule name`,
          hint: 'an alias maps an old rule name to the current one; remove it',
        });
      } else if (owner !== undefined) {
        issues.push({
          path: ['ruleAliases', current, j],
          message: `"${alias}" is already an earlier name of "${owner}"`,
          hint: 'an old rule name can only stand for one current rule',
        });
      } else aliasOwner.set(alias, current);
    });
  }

  issues.push(...checkElasticPaths(file, profiles));
  issues.push(...checkTextFields(file));
  return issues;
}

/** A derive's `textFields` names declared fields (a typo would leave a number field mis-mapped). */
function checkTextFields(file: SourceFile): SourceIssue[] {
  const issues: SourceIssue[] = [];
  const names = file.fields.map((f) => f.name);
  for (const [profile, p] of Object.entries(file.elastic.profiles)) {
    p.derive?.textFields?.forEach((name, j) => {
      if (names.includes(name)) return;
      const close = suggest(name, names);
      issues.push({
        path: ['elastic', 'profiles', profile, 'derive', 'textFields', j],
        message: `unknown field "${name}"`,
        hint: close !== undefined ? `did you mean "${close}"?` : 'list fields declared under `fields`',
      });
    });
  }
  return issues;
}

/** Two fields indexed at the same document path in one profile would be indistinguishable. */
function checkElasticPaths(file: SourceFile, profiles: readonly string[]): SourceIssue[] {
  const issues: SourceIssue[] = [];
  for (const profile of profiles) {
    const seen = new Map<string, string>();
    file.fields.forEach((field, i) => {
      const mapping = field.elastic?.[profile];
      if (!mapping) return;
      const owner = seen.get(mapping.path);
      if (owner !== undefined) {
        issues.push({
          path: ['fields', i, 'elastic', profile, 'path'],
          message: `Elastic path "${mapping.path}" in profile ${profile} is already used by field "${owner}"`,
          hint: 'map each field to its own document path',
        });
      } else seen.set(mapping.path, field.name);
    });
  }
  return issues;
}
