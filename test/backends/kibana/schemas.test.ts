import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedReference } from '../../helpers/shared.js';
import { ruleSchemaErrors, SCHEMA_DIR, SCHEMA_FILES, schemaValidator } from './helpers.js';

const { path: SHARED, present } = sharedReference('reference/kibana/', 'Kibana schema copies against the reference');

describe('Kibana rule API schema copies (test/fixtures/kibana-schemas)', () => {
  it('holds exactly the five schema files and a README', () => {
    expect(readdirSync(SCHEMA_DIR).sort()).toEqual([...SCHEMA_FILES, 'README.md'].sort());
  });

  it('are byte-identical to shared/reference/kibana beside the repository (skipped when that folder is absent)', (ctx) => {
    ctx.skip(!present, `${SHARED} is not present on this machine: the copies were not compared`);
    expect(readdirSync(SHARED).filter((f) => f.endsWith('.json')).sort()).toEqual(SCHEMA_FILES);
    for (const file of SCHEMA_FILES) {
      expect(readFileSync(SCHEMA_DIR + file).equals(readFileSync(SHARED + file)), file).toBe(true);
    }
  });

  it('compile, and forbid unknown properties', () => {
    for (const file of SCHEMA_FILES) expect(typeof schemaValidator(file)).toBe('function');
    const rule = { author: ['a'], description: 'd', language: 'lucene', severity: 'low', type: 'query', query: 'x:1' };
    expect(ruleSchemaErrors(rule)).toEqual([]);
    expect(ruleSchemaErrors({ ...rule, unknown_property: true }).join('\n')).toMatch(/additionalProperties|must NOT have additional properties/);
    expect(ruleSchemaErrors({ ...rule, severity: 'informational' }).join('\n')).toMatch(/severity/);
    expect(ruleSchemaErrors({ ...rule, risk_score: 101 }).join('\n')).toMatch(/risk_score/);
  });
});
