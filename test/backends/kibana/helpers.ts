/**
 * Helpers for the kibana target tests: the seed detections, synthetic detections lowered
 * against the built-in Falco source, and validators built from the Kibana rule API schemas in
 * `test/fixtures/kibana-schemas/`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { expect } from 'vitest';
import { frontEnd } from '../../../src/cli/pipeline.js';
import type { Detection, Program } from '../../../src/ir/types.js';
import { builtinSource } from '../../../src/source/load.js';
import type { SourceDefinition } from '../../../src/source/types.js';
import { lower } from '../../helpers/det.js';

/** The project folder (where `detections/` lives). */
export const PROJECT_DIR = fileURLToPath(new URL('../../../', import.meta.url));

/** The folder of the schema copies. */
export const SCHEMA_DIR = fileURLToPath(new URL('../../fixtures/kibana-schemas/', import.meta.url));

/** Schema files by rule type. */
export const SCHEMA_FILES = ['master.base.json', 'master.eql.json', 'master.esql.json', 'master.query.json', 'master.threshold.json'];

let seeds: { program: Program; source: SourceDefinition } | undefined;

/** The seed detections compiled through the front end; fails the test when they do not compile. */
export function seedProgram(): { program: Program; source: SourceDefinition } {
  if (!seeds) {
    const front = frontEnd(['detections'], { cwd: PROJECT_DIR });
    const errors = front.diagnostics.filter((d) => d.severity === 'error');
    expect(errors, 'the seed detections compile').toEqual([]);
    seeds = { program: front.program!, source: front.source! };
  }
  return seeds;
}

/** Distinct valid UUIDs for synthetic detections. */
export const IDS = [
  '11111111-2222-4333-8444-555555555501',
  '11111111-2222-4333-8444-555555555502',
  '11111111-2222-4333-8444-555555555503',
  '11111111-2222-4333-8444-555555555504',
];

/**
 * A detection `name` with title, id, description and severity, plus `body` (members, one per
 * line), lowered against the built-in Falco source; fails the test on lowering errors.
 */
export function synthetic(name: string, body: string, options: { id?: string; severity?: string } = {}): Program {
  const text = `detection ${name} {
  title: "Synthetic ${name}"
  id: "${options.id ?? IDS[0]}"
  description: "A synthetic detection for the kibana target tests."
  severity: ${options.severity ?? 'medium'}
${body}
}
`;
  const { program, diagnostics } = lower(text, { source: builtinSource() });
  expect(diagnostics.filter((d) => d.severity === 'error'), `lowering ${name}`).toEqual([]);
  return program;
}

/** The one detection of a synthetic program. */
export function only(program: Program): Detection {
  expect(program.detections).toHaveLength(1);
  return program.detections[0]!;
}

const validators = new Map<string, ValidateFunction>();

/**
 * The validator for one schema file. The schemas declare draft-04 and add two keywords of their
 * own (`min_compat`, `enumNames`); they are compiled as draft-07 (no keyword they use differs)
 * with those two as annotations.
 */
export function schemaValidator(file: string): ValidateFunction {
  let v = validators.get(file);
  if (!v) {
    const schema = JSON.parse(readFileSync(SCHEMA_DIR + file, 'utf8')) as Record<string, unknown>;
    delete schema['$schema'];
    const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
    ajv.addKeyword({ keyword: 'min_compat', schemaType: 'string' });
    ajv.addKeyword({ keyword: 'enumNames', schemaType: 'array' });
    v = ajv.compile(schema);
    validators.set(file, v);
  }
  return v;
}

/** Schema violations of a Kibana Security rule (by its `type`), as readable lines. */
export function ruleSchemaErrors(rule: Record<string, unknown>): string[] {
  const file = `master.${String(rule['type'])}.json`;
  if (!SCHEMA_FILES.includes(file)) return [`no schema for rule type ${String(rule['type'])}`];
  const validate = schemaValidator(file);
  if (validate(rule)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${file}: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
