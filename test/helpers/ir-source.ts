/**
 * A small, fixed source definition for IR and validation tests: one field of every type, so
 * the tests do not change when the built-in Falco source grows.
 */
import type { FieldType } from '../../src/ir/types.js';
import type { SourceDefinition, SourceField } from '../../src/source/types.js';

function field(name: string, type: FieldType, inAlert = false): SourceField {
  return {
    name,
    type,
    description: name,
    location: inAlert ? { in: 'alert', key: name } : { in: 'output_fields', key: name },
    column: name.replace(/[^A-Za-z0-9]/g, '_'),
  };
}

/** The test source `testsrc`: fields sorted by name. */
export function testSource(): SourceDefinition {
  const fields = [
    field('rule', 'string', true),
    field('priority', 'string', true),
    field('hostname', 'string', true),
    field('time', 'timestamp', true),
    field('tags', 'string[]', true),
    field('container.id', 'string'),
    field('container.name', 'string'),
    field('container.privileged', 'boolean'),
    field('fd.name', 'string'),
    field('k8s.ns.name', 'string'),
    field('proc.aname[2]', 'string'),
    field('proc.cmdline', 'string'),
    field('proc.name', 'string'),
    field('proc.pid', 'number'),
    field('user.name', 'string'),
  ].sort((a, b) => (a.name < b.name ? -1 : 1));
  return {
    name: 'testsrc',
    description: 'test source',
    fields,
    ruleAliases: {},
    cluster: {},
    sentinel: { functionName: 'TestParser', routes: ['json'] },
    elastic: { defaultProfile: 'p', profiles: {} },
  };
}
