import { describe, expect, it } from 'vitest';
import { checkIrSchema, IR_SCHEMA } from '../../src/ir/schema.js';
import type { Program } from '../../src/ir/types.js';
import { detection, lower } from '../helpers/det.js';

function lowered(): Program {
  const body = [
    '  condition: proc.name in ["a", "b"] and not container.id exists and proc.pid >= 3',
    '  threshold: count >= 2 by container.id within 5m',
    '  suppress: for 1h',
    '  attack {',
    '    execution: T1059.004',
    '  }',
    '  entities {',
    '    host: hostname',
    '  }',
    '  test "t" matches { "x": { "nested": [1, 2] } }',
  ].join('\n');
  const l = lower(detection('d', body));
  expect(l.diagnostics).toEqual([]);
  return l.program;
}

/** A mutable deep copy of the program, changed by `edit`. */
function mutate(edit: (p: any) => void): Program {
  const p = JSON.parse(JSON.stringify(lowered()));
  edit(p);
  return p as Program;
}

describe('IR JSON Schema', () => {
  it('is draft 2020-12 and closed (additionalProperties: false on every object schema)', () => {
    expect(IR_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const open: string[] = [];
    const walk = (s: unknown, at: string): void => {
      if (s === null || typeof s !== 'object') return;
      const o = s as Record<string, unknown>;
      if (o['type'] === 'object' && o['additionalProperties'] !== false && at !== '/$defs/testCase/properties/events/items') {
        open.push(at);
      }
      for (const [k, v] of Object.entries(o)) walk(v, `${at}/${k}`);
    };
    walk(IR_SCHEMA, '');
    expect(open).toEqual([]);
  });

  it('accepts what lowering produces, and an empty program', () => {
    expect(checkIrSchema(lowered())).toEqual([]);
    expect(checkIrSchema({ irVersion: 1, source: 's', detections: [] })).toEqual([]);
  });

  it.each([
    ['an unknown detection property', (p: any) => (p.detections[0].extra = 1), '/detections/0'],
    ['an `and` with one argument', (p: any) => (p.detections[0].match.condition.args = [p.detections[0].match.condition.args[0]]), '/detections/0/match'],
    ['an unknown operator', (p: any) => (p.detections[0].match.condition.args[2].op = 'like'), '/detections/0/match'],
    ['an empty `in` list', (p: any) => (p.detections[0].match.condition.args[0].values = []), '/detections/0/match'],
    ['a condition without span', (p: any) => delete p.detections[0].match.condition.args[2].span, '/detections/0/match'],
    ['a zero threshold window', (p: any) => (p.detections[0].match.window = 0), '/detections/0/match'],
    ['a bad severity', (p: any) => (p.detections[0].severity = 'urgent'), '/detections/0/severity'],
    ['an unknown entity kind', (p: any) => (p.detections[0].entities.user = { name: 'x', type: 'string' }), '/detections/0/entities'],
    ['a test event that is not an object', (p: any) => (p.detections[0].tests[0].events = [1]), '/detections/0/tests/0/events/0'],
    ['a wrong IR version', (p: any) => (p.irVersion = 2), '/irVersion'],
  ])('rejects %s (DET2099, a compiler bug)', (_what, edit, path) => {
    const ds = checkIrSchema(mutate(edit));
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.every((d) => d.code === 'DET2099' && d.severity === 'error')).toBe(true);
    expect(ds.some((d) => d.message.includes(`\`${path}`))).toBe(true);
    expect(ds[0]!.hint).toContain('bug in the compiler');
  });
});
