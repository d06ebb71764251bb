/**
 * The JSON Schema (draft 2020-12) of the IR `Program` (see `types.ts`). The schema states only
 * what lowering guarantees (shapes, enums, invariants such as "an `and` has at least two
 * arguments"); `additionalProperties: false` everywhere, except inside test events (user data).
 *
 * This module holds the schema only (no ajv): `scripts/build-generated.mjs` compiles it at build
 * time into standalone validation code (`generated/ir-schema.validate.cjs`), which `schema.ts`
 * runs on every compile.
 */
import { ENTITY_KINDS, IR_VERSION } from './types.js';

const nonNegInt = { type: 'integer', minimum: 0 } as const;
const positiveInt = { type: 'integer', minimum: 1 } as const;
const str = { type: 'string' } as const;
const strings = { type: 'array', items: str } as const;

const closed = (properties: Record<string, unknown>, required: readonly string[] = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

/** The IR JSON Schema (`$id` https://detect.invalid/schema/ir-v1.json). */
export const IR_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://detect.invalid/schema/ir-v1.json',
  title: 'detect IR program',
  ...closed({
    irVersion: { const: IR_VERSION },
    source: { type: 'string', minLength: 1 },
    detections: { type: 'array', items: { $ref: '#/$defs/detection' } },
  }),
  $defs: {
    position: closed({ offset: nonNegInt, line: positiveInt, column: positiveInt }),
    span: closed({ file: str, start: { $ref: '#/$defs/position' }, end: { $ref: '#/$defs/position' } }),
    fieldType: { enum: ['string', 'number', 'boolean', 'string[]', 'timestamp'] },
    fieldRef: closed({ name: { type: 'string', minLength: 1 }, type: { $ref: '#/$defs/fieldType' } }),
    fieldRefs: { type: 'array', items: { $ref: '#/$defs/fieldRef' } },
    scalar: { type: ['string', 'number', 'boolean'] },
    duration: positiveInt,
    condition: {
      oneOf: [
        { $ref: '#/$defs/junction' },
        { $ref: '#/$defs/not' },
        { $ref: '#/$defs/compare' },
        { $ref: '#/$defs/in' },
        { $ref: '#/$defs/exists' },
      ],
    },
    junction: closed({
      kind: { enum: ['and', 'or'] },
      args: { type: 'array', minItems: 2, items: { $ref: '#/$defs/condition' } },
    }),
    not: closed({ kind: { const: 'not' }, arg: { $ref: '#/$defs/condition' } }),
    compare: closed({
      kind: { const: 'compare' },
      op: { enum: ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'contains', 'startswith', 'endswith', 'regex'] },
      field: { $ref: '#/$defs/fieldRef' },
      value: { $ref: '#/$defs/scalar' },
      caseSensitive: { type: 'boolean' },
      span: { $ref: '#/$defs/span' },
    }),
    in: closed({
      kind: { const: 'in' },
      field: { $ref: '#/$defs/fieldRef' },
      values: { type: 'array', minItems: 1, items: { $ref: '#/$defs/scalar' } },
      caseSensitive: { type: 'boolean' },
      span: { $ref: '#/$defs/span' },
    }),
    exists: closed({ kind: { const: 'exists' }, field: { $ref: '#/$defs/fieldRef' }, span: { $ref: '#/$defs/span' } }),
    attackRef: closed({ id: { type: 'string', minLength: 1 }, name: str, reference: str }),
    attackMapping: closed({
      tactic: closed({ id: { type: 'string', pattern: '^TA[0-9]{4}$' }, name: str, reference: str, shortname: str }),
      techniques: {
        type: 'array',
        items: closed({
          technique: { $ref: '#/$defs/attackRef' },
          subtechniques: { type: 'array', items: { $ref: '#/$defs/attackRef' } },
        }),
      },
    }),
    schedule: {
      oneOf: [
        closed({ kind: { const: 'scheduled' }, every: { $ref: '#/$defs/duration' }, lookback: { $ref: '#/$defs/duration' }, span: { $ref: '#/$defs/span' } }, ['kind', 'every', 'lookback']),
        closed({ kind: { const: 'realtime' }, span: { $ref: '#/$defs/span' } }, ['kind']),
      ],
    },
    suppression: closed({ by: { $ref: '#/$defs/fieldRefs' }, duration: { $ref: '#/$defs/duration' }, span: { $ref: '#/$defs/span' } }, ['by', 'duration']),
    match: {
      oneOf: [
        closed({ kind: { const: 'filter' }, condition: { $ref: '#/$defs/condition' } }),
        closed({
          kind: { const: 'threshold' },
          condition: { $ref: '#/$defs/condition' },
          by: { $ref: '#/$defs/fieldRefs' },
          window: { $ref: '#/$defs/duration' },
          count: positiveInt,
          span: { $ref: '#/$defs/span' },
        }, ['kind', 'condition', 'by', 'window', 'count']),
        closed({
          kind: { const: 'sequence' },
          by: { $ref: '#/$defs/fieldRefs' },
          window: { $ref: '#/$defs/duration' },
          steps: {
            type: 'array',
            minItems: 2,
            items: closed({ name: { type: 'string', minLength: 1 }, condition: { $ref: '#/$defs/condition' } }),
          },
          span: { $ref: '#/$defs/span' },
        }, ['kind', 'by', 'window', 'steps']),
      ],
    },
    testCase: closed(
      {
        name: str,
        expect: { enum: ['match', 'no-match'] },
        events: { type: 'array', minItems: 1, items: { type: 'object' } },
        file: str,
        lines: { type: 'array', minItems: 1, items: positiveInt },
        span: { $ref: '#/$defs/span' },
      },
      ['name', 'expect', 'events', 'span'],
    ),
    detection: closed(
      {
        id: str,
        name: { type: 'string', minLength: 1 },
        title: str,
        description: str,
        version: positiveInt,
        severity: { enum: ['informational', 'low', 'medium', 'high', 'critical'] },
        author: strings,
        tags: strings,
        references: strings,
        falsePositives: strings,
        triage: str,
        response: str,
        attack: { type: 'array', items: { $ref: '#/$defs/attackMapping' } },
        schedule: { $ref: '#/$defs/schedule' },
        suppression: { $ref: '#/$defs/suppression' },
        match: { $ref: '#/$defs/match' },
        output: { $ref: '#/$defs/fieldRefs' },
        entities: {
          type: 'object',
          properties: Object.fromEntries(ENTITY_KINDS.map((k) => [k, { $ref: '#/$defs/fieldRef' }])),
          additionalProperties: false,
        },
        tests: { type: 'array', items: { $ref: '#/$defs/testCase' } },
        span: { $ref: '#/$defs/span' },
      },
      [
        'id',
        'name',
        'title',
        'description',
        'version',
        'severity',
        'author',
        'tags',
        'references',
        'falsePositives',
        'triage',
        'response',
        'attack',
        'schedule',
        'match',
        'output',
        'entities',
        'tests',
        'span',
      ],
    ),
  },
} as const;
