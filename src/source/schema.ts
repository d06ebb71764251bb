/**
 * The JSON Schema of a `*.source.yaml` file (the built-in `falco.source.yaml` and user
 * overrides), and the raw shape it describes. `load.ts` validates the parsed YAML with it, then
 * runs the checks a schema cannot express (`check.ts`) and builds the `SourceDefinition`
 * (`build.ts`).
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { loadGeneratedModule } from '../build/load-generated.js';
import type { FieldType } from '../ir/types.js';
import type { ElasticFieldMapping, SentinelRoute } from './types.js';

/** Where a field sits, as written in the file. */
export type FieldPlace = 'alert' | 'output_fields' | 'derived';

/** A field as written in the file. */
export interface SourceFileField {
  name: string;
  type: FieldType;
  in: FieldPlace;
  /** JSON key in the alert or in `output_fields`; defaults to `name`. */
  key?: string;
  column: string;
  description: string;
  /** Per Elastic profile: where the field is indexed, or `false` for "not indexed there". */
  elastic?: Record<string, ElasticFieldMapping | false>;
}

/** How a profile maps the fields it is not told about explicitly. */
export interface SourceFileDerive {
  /** Prefix of an alert key's document path (`''`: the key as is). */
  alertPrefix: string;
  /** Prefix of an `output_fields` key's document path (e.g. `output_fields.`). */
  outputFieldsPrefix: string;
  /** Keyword sub-field of derived `text` mappings (e.g. `keyword`). */
  keywordSubfield: string;
  /**
   * Falcosidekick's `flattenfields`: every `.` of an `output_fields` key becomes `_` in the
   * document path (`proc.cmdline` → `output_fields.proc_cmdline`).
   */
  flattenOutputFields?: boolean;
  /**
   * Fields an index template maps as text with the keyword sub-field whatever their JSON type
   * (Falcosidekick's template maps `fd.rport` so): exact matches only, on the keyword.
   */
  textFields?: string[];
}

export interface SourceFileProfile {
  description: string;
  index: string[];
  timestampField: string;
  derive?: SourceFileDerive;
}

/** The whole file, as written. */
export interface SourceFile {
  name: string;
  description: string;
  sentinel: { functionName: string; routes: SentinelRoute[] };
  cluster?: { customField?: string; hostnamePattern?: string };
  ruleAliases?: Record<string, string[]>;
  elastic: { defaultProfile: string; profiles: Record<string, SourceFileProfile> };
  fields: SourceFileField[];
}

export const FIELD_TYPES: readonly FieldType[] = ['string', 'number', 'boolean', 'string[]', 'timestamp'];
export const ELASTIC_TYPES: readonly ElasticFieldMapping['type'][] = ['text', 'keyword', 'wildcard', 'long', 'boolean', 'date'];

/** A Falco field name: dotted identifier parts, optionally one `[argument]` suffix. */
export const FIELD_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*([.-][A-Za-z0-9_]+)*(\\[[A-Za-z0-9_.-]+\\])?$';
/** A Sentinel column name: PascalCase letters and digits. */
export const COLUMN_PATTERN = '^[A-Z][A-Za-z0-9]*$';
/** An Elastic profile name. */
export const PROFILE_PATTERN = '^[a-z][a-z0-9-]*$';
/** A document field path (`@timestamp`, `output_fields.proc.aname[2]`, `process.command_line`). */
export const ELASTIC_PATH_PATTERN = '^@?[A-Za-z_][A-Za-z0-9_@\\[\\]-]*(\\.[A-Za-z0-9_@\\[\\]-]+)*$';

const nonEmpty = { type: 'string', minLength: 1 } as const;

const mappingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path', 'type'],
  properties: {
    path: { type: 'string', pattern: ELASTIC_PATH_PATTERN },
    type: { enum: ELASTIC_TYPES },
    keyword: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  },
} as const;

const fieldSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'type', 'in', 'column', 'description'],
  properties: {
    name: { type: 'string', pattern: FIELD_NAME_PATTERN },
    type: { enum: FIELD_TYPES },
    in: { enum: ['alert', 'output_fields', 'derived'] },
    key: nonEmpty,
    column: { type: 'string', pattern: COLUMN_PATTERN },
    description: nonEmpty,
    elastic: {
      type: 'object',
      propertyNames: { pattern: PROFILE_PATTERN },
      additionalProperties: {
        if: { type: 'boolean' },
        then: { const: false },
        else: mappingSchema,
      },
    },
  },
} as const;

const profileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['description', 'index', 'timestampField'],
  properties: {
    description: nonEmpty,
    index: { type: 'array', minItems: 1, uniqueItems: true, items: nonEmpty },
    timestampField: { type: 'string', pattern: ELASTIC_PATH_PATTERN },
    derive: {
      type: 'object',
      additionalProperties: false,
      required: ['alertPrefix', 'outputFieldsPrefix', 'keywordSubfield'],
      properties: {
        alertPrefix: { type: 'string', pattern: '^([A-Za-z_@][A-Za-z0-9_-]*\\.)*$' },
        outputFieldsPrefix: { type: 'string', pattern: '^([A-Za-z_@][A-Za-z0-9_-]*\\.)*$' },
        keywordSubfield: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
        flattenOutputFields: { type: 'boolean' },
        textFields: { type: 'array', uniqueItems: true, items: { type: 'string', pattern: FIELD_NAME_PATTERN } },
      },
    },
  },
} as const;

/** JSON Schema (draft-07) of a `*.source.yaml` file. */
export const sourceFileSchema = {
  $id: 'https://detect.invalid/schemas/source.json',
  title: 'detect source definition',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description', 'sentinel', 'elastic', 'fields'],
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-z0-9_-]*$' },
    description: nonEmpty,
    sentinel: {
      type: 'object',
      additionalProperties: false,
      required: ['functionName', 'routes'],
      properties: {
        functionName: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
        routes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['cef', 'json'] } },
      },
    },
    cluster: {
      type: 'object',
      additionalProperties: false,
      properties: { customField: nonEmpty, hostnamePattern: nonEmpty },
    },
    ruleAliases: {
      type: 'object',
      propertyNames: { minLength: 1 },
      additionalProperties: { type: 'array', minItems: 1, uniqueItems: true, items: nonEmpty },
    },
    elastic: {
      type: 'object',
      additionalProperties: false,
      required: ['defaultProfile', 'profiles'],
      properties: {
        defaultProfile: { type: 'string', pattern: PROFILE_PATTERN },
        profiles: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: PROFILE_PATTERN },
          additionalProperties: profileSchema,
        },
      },
    },
    fields: { type: 'array', minItems: 1, items: fieldSchema },
  },
} as const;

let compiled: ValidateFunction | undefined;

/**
 * Validates parsed YAML against `sourceFileSchema`. Returns ajv's errors (all of them, with the
 * failing sub-schema attached for messages), or an empty list when `data` is a `SourceFile`.
 * Runs ajv's standalone code for the schema, generated at build time (`build/generated.ts`).
 */
export function validateSourceFile(data: unknown): ErrorObject[] {
  compiled ??= loadGeneratedModule<ValidateFunction>('source-file.validate.cjs');
  return compiled(data) ? [] : [...(compiled.errors ?? [])];
}
