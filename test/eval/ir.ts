/** Small builders of IR nodes for the evaluator tests (fields typed from the built-in source). */
import { readFileSync } from 'node:fs';
import type { Span } from '../../src/diagnostics/diagnostic.js';
import type {
  CompareOp,
  Condition,
  Detection,
  FieldRef,
  JsonObject,
  Match,
  Scalar,
  TestCase,
} from '../../src/ir/types.js';
import { builtinSource } from '../../src/source/load.js';

export const source = builtinSource();

export const span: Span = {
  file: 'test.det',
  start: { offset: 0, line: 1, column: 1 },
  end: { offset: 1, line: 1, column: 2 },
};

/** The field `name` of the built-in source (throws for an unknown name: a test bug). */
export function field(name: string): FieldRef {
  const f = source.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name} in the built-in source`);
  return { name: f.name, type: f.type };
}

export function cmp(op: CompareOp, name: string, value: Scalar, caseSensitive = true): Condition {
  return { kind: 'compare', op, field: field(name), value, caseSensitive, span };
}

export function isIn(name: string, values: Scalar[], caseSensitive = true): Condition {
  return { kind: 'in', field: field(name), values, caseSensitive, span };
}

export function exists(name: string): Condition {
  return { kind: 'exists', field: field(name), span };
}

export const and = (...args: Condition[]): Condition => ({ kind: 'and', args });
export const or = (...args: Condition[]): Condition => ({ kind: 'or', args });
export const not = (arg: Condition): Condition => ({ kind: 'not', arg });

export function testCase(name: string, expect: 'match' | 'no-match', events: JsonObject[]): TestCase {
  return { name, expect, events, span };
}

export function detection(name: string, match: Match, tests: TestCase[] = []): Detection {
  return {
    id: '00000000-0000-4000-8000-000000000000',
    name,
    title: name,
    description: name,
    version: 1,
    severity: 'medium',
    author: [],
    tags: [],
    references: [],
    falsePositives: [],
    triage: '',
    response: '',
    attack: [],
    schedule: { kind: 'realtime' },
    match,
    output: [],
    entities: {},
    tests,
    span,
  };
}

/** An alert with the given top-level keys and `output_fields`. */
export function alert(top: Record<string, unknown>, outputFields: Record<string, unknown> = {}): JsonObject {
  return { ...top, output_fields: outputFields };
}

/** Reads an NDJSON file into events. */
export function readNdjson(path: string): JsonObject[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as JsonObject);
}
