import { describe, expect, it } from 'vitest';
import type { Detection } from '../../src/ir/types.js';
import { SourceFacts, referencedFields, sliceChanges } from '../../src/gate/source-slice.js';
import { builtinSource } from '../../src/source/load.js';
import type { ElasticFieldMapping, SourceDefinition, SourceField } from '../../src/source/types.js';
import { detection, lower } from '../helpers/det.js';

const BUILTIN = builtinSource();

/** The one detection of `body` lowered against the built-in source. */
function one(body: string): Detection {
  const { program, diagnostics } = lower(detection('d', body), { source: BUILTIN });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(program.detections).toHaveLength(1);
  return program.detections[0]!;
}

/** What changes for `d` from the built-in source to `after` (for the profile given). */
function changes(d: Detection, after: SourceDefinition, elasticProfile?: string): string[] {
  return sliceChanges(new SourceFacts(BUILTIN, elasticProfile).slice(d), new SourceFacts(after, elasticProfile).slice(d));
}

function withField(name: string, patch: Partial<SourceField>): SourceDefinition {
  expect(BUILTIN.fields.some((f) => f.name === name)).toBe(true);
  return { ...BUILTIN, fields: BUILTIN.fields.map((f) => (f.name === name ? { ...f, ...patch } : f)) };
}

function withMapping(profile: string, field: string, mapping: ElasticFieldMapping): SourceDefinition {
  const p = BUILTIN.elastic.profiles[profile]!;
  return {
    ...BUILTIN,
    elastic: { ...BUILTIN.elastic, profiles: { ...BUILTIN.elastic.profiles, [profile]: { ...p, fields: { ...p.fields, [field]: mapping } } } },
  };
}

const FILTER = one('  condition: rule == "Terminal shell in container" and proc.name == "bash"');
const THRESHOLD = one('  condition: proc.name == "bash"\n  threshold: count >= 3 by container.id within 10m');

describe('the source slice of a detection (what the gate compares of the source definition)', () => {
  it('refers to the fields of every sequence step, the keys, suppression, output and entities', () => {
    const d = one(
      [
        '  sequence by container.id within 10m {',
        '    step first: proc.name == "bash"',
        '    step second: fd.name startswith "/etc/"',
        '  }',
        '  suppress: by k8s.pod.name for 1h',
        '  output: time, user.name',
        '  entities {',
        '    host: hostname',
        '  }',
      ].join('\n'),
    );
    expect(referencedFields(d)).toEqual(['container.id', 'fd.name', 'hostname', 'k8s.pod.name', 'proc.name', 'time', 'user.name']);
  });

  it('a field\'s Sentinel column counts for the detections that refer to it only; a description never', () => {
    expect(changes(FILTER, withField('proc.name', { column: 'ProcessBaseName' }))).toEqual(['the field `proc.name`']);
    expect(changes(FILTER, withField('user.name', { column: 'UserBaseName' }))).toEqual([]);
    expect(changes(FILTER, withField('proc.name', { description: 'another text' }))).toEqual([]);
  });

  it('Elastic mappings count in the profile the run uses only; another profile, or a new one, does not', () => {
    const moved: ElasticFieldMapping = { path: 'process.name', type: 'keyword' };
    expect(changes(FILTER, withMapping(BUILTIN.elastic.defaultProfile, 'proc.name', moved))).toEqual(['the field `proc.name`']);
    expect(changes(FILTER, withMapping('elastic-agent', 'proc.name', { path: 'process.other', type: 'keyword' }))).toEqual([]);
    expect(changes(FILTER, withMapping('elastic-agent', 'proc.name', { path: 'process.other', type: 'keyword' }), 'elastic-agent')).toEqual([
      'the field `proc.name`',
    ]);
    const extra = { ...BUILTIN, elastic: { ...BUILTIN.elastic, profiles: { ...BUILTIN.elastic.profiles, ecs: { ...BUILTIN.elastic.profiles['elastic-agent']!, name: 'ecs' } } } };
    expect(changes(FILTER, extra)).toEqual([]);
  });

  it('the profile\'s index patterns and timestamp field, and the Sentinel function name, count for every detection', () => {
    const p = BUILTIN.elastic.profiles[BUILTIN.elastic.defaultProfile]!;
    const reindexed = { ...BUILTIN, elastic: { ...BUILTIN.elastic, profiles: { ...BUILTIN.elastic.profiles, [p.name]: { ...p, index: ['falco-prod-*'] } } } };
    expect(changes(FILTER, reindexed)).toEqual(['the Elastic profile']);
    const retimed = { ...BUILTIN, elastic: { ...BUILTIN.elastic, profiles: { ...BUILTIN.elastic.profiles, [p.name]: { ...p, timestampField: 'time' } } } };
    expect(changes(THRESHOLD, retimed)).toEqual(['the Elastic profile']);
    const renamed = { ...BUILTIN, sentinel: { ...BUILTIN.sentinel, functionName: 'FalcoAlerts' } };
    expect(changes(FILTER, renamed)).toEqual(['the Sentinel function name']);
    expect(changes(FILTER, { ...BUILTIN, sentinel: { ...BUILTIN.sentinel, routes: ['json'] } })).toEqual([]);
  });

  it('the column of `time` counts for thresholds and sequences (their window), not for filters', () => {
    const after = withField('time', { column: 'FalcoTime' });
    expect(changes(THRESHOLD, after)).toEqual(['the column of `time`']);
    expect(changes(FILTER, after)).toEqual([]);
  });

  it('the cluster: whether a custom field and a host-name pattern recognise it counts, their values do not', () => {
    const d = one('  condition: cluster == "prod-eu"');
    expect(changes(d, { ...BUILTIN, cluster: { ...BUILTIN.cluster, customField: 'k8s_cluster' } })).toEqual([]);
    expect(changes(d, { ...BUILTIN, cluster: { ...BUILTIN.cluster, hostnamePattern: '^aks-(.+)$' } })).toEqual([]);
    expect(changes(d, { ...BUILTIN, cluster: { customField: 'cluster' } })).toEqual(['the cluster recognition']);
    expect(changes(FILTER, { ...BUILTIN, cluster: { customField: 'cluster' } })).toEqual([]);
  });

  it('rule aliases count where a `rule` comparison holds for the earlier or the current name, or `rule` is a key', () => {
    const aliased = (current: string, old: string): SourceDefinition => ({ ...BUILTIN, ruleAliases: { ...BUILTIN.ruleAliases, [current]: [old] } });
    expect(changes(FILTER, aliased('Terminal shell in container', 'A shell was spawned in a container'))).toEqual(['the rule aliases']);
    expect(changes(FILTER, aliased('Write below binary dir', 'Write below bin dir'))).toEqual([]);
    const contains = one('  condition: rule contains "shell"');
    expect(changes(contains, aliased('Write below binary dir', 'A shell wrote below bin'))).toEqual(['the rule aliases']);
    const keyed = one('  condition: proc.name == "bash"\n  suppress: by rule for 1h');
    expect(changes(keyed, { ...BUILTIN, ruleAliases: {} })).toEqual(['the rule aliases']);
    expect(changes(keyed, aliased('Write below binary dir', 'Write below bin dir'))).toEqual([]);
  });
});
