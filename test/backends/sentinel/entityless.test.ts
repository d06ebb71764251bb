/**
 * Rules without a Sentinel entity (no `entities`, or only container, image, cluster, namespace,
 * pod, which become custom details): Sentinel refuses `"entityMappings": []` ("Invalid length
 * of '0' for 'EntityMappings'. 'EntityMappings' length should be between '1' and '10'",
 * certeu/droid#28), and one such rule in azuredeploy.json fails the whole deployment; and
 * `AllEntities` grouping would find every alert of such a rule alike.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { alertRuleProperties } from '../../../src/backends/sentinel/arm.js';
import { compileSentinel, sentinelFiles } from '../../../src/backends/sentinel/index.js';
import { checkLimits } from '../../../src/backends/sentinel/limits.js';
import type { SentinelRule } from '../../../src/backends/sentinel/rule.js';
import { builtinSource } from '../../../src/source/load.js';
import { detection, lower } from '../../helpers/det.js';

const source = builtinSource();

function compiled(body: string) {
  const l = lower(detection('d', body), { source });
  expect(l.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const c = compileSentinel(l.program, source, { analyse: false });
  expect(c.diagnostics).toEqual([]);
  const files = new Map(sentinelFiles(c, source).map((f) => [f.path, f.content]));
  const arm = (JSON.parse(files.get('sentinel/analytics/d.json')!) as { resources: { properties: Record<string, unknown> }[] }).resources[0]!.properties;
  const deploy = (JSON.parse(files.get('sentinel/azuredeploy.json')!) as { resources: { properties: Record<string, unknown> }[] }).resources[1]!.properties;
  const yaml = parse(files.get('sentinel/analytics/d.yaml')!) as Record<string, unknown>;
  return { detection: l.program.detections[0]!, rule: c.rules[0]!.rule, arm, deploy, yaml };
}

const grouping = (p: Record<string, unknown>) => (p.incidentConfiguration as { groupingConfiguration: Record<string, unknown> }).groupingConfiguration;

describe('rules without entity mappings', () => {
  it('leave entityMappings out of the ARM template, azuredeploy.json and the YAML (never an empty list)', () => {
    for (const entities of ['', '\n  entities { container: container.id image: container.image namespace: k8s.ns.name pod: k8s.pod.name }']) {
      const { arm, deploy, yaml } = compiled(`  condition: proc.name == "nc"${entities}`);
      expect(arm).not.toHaveProperty('entityMappings');
      expect(deploy).not.toHaveProperty('entityMappings');
      expect(yaml).not.toHaveProperty('entityMappings');
    }
  });

  it('keep entityMappings when there is one', () => {
    const { arm, yaml } = compiled('  condition: proc.name == "nc"\n  entities { host: hostname }');
    expect(arm.entityMappings).toEqual([{ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'HostName' }] }]);
    expect(yaml.entityMappings).toEqual(arm.entityMappings);
  });

  it('group alerts sharing all custom details (not every alert of the rule into one incident)', () => {
    const { arm, yaml } = compiled('  condition: proc.name == "nc"\n  output: proc.name\n  entities { container: container.id pod: k8s.pod.name }');
    expect(grouping(arm)).toEqual({
      enabled: true,
      reopenClosedIncident: false,
      lookbackDuration: 'PT5H',
      matchingMethod: 'Selected',
      groupByEntities: [],
      groupByAlertDetails: [],
      groupByCustomDetails: ['Container', 'Pod', 'ProcessName'],
    });
    expect(grouping(yaml)).toMatchObject({ matchingMethod: 'Selected', groupByCustomDetails: ['Container', 'Pod', 'ProcessName'] });
    // `suppress: for D` keeps the rule suppression and groups alike alerts for D the same way
    const suppressed = compiled('  condition: proc.name == "nc"\n  entities { container: container.id }\n  suppress: for 30m');
    expect([suppressed.arm.suppressionEnabled, grouping(suppressed.arm)]).toEqual([
      true,
      expect.objectContaining({ enabled: true, lookbackDuration: 'PT30M', matchingMethod: 'Selected', groupByCustomDetails: ['Container'] }),
    ]);
  });

  it('do not group at all without custom details either (one incident per alert)', () => {
    const { arm, yaml } = compiled('  condition: proc.name == "nc"');
    expect(arm).not.toHaveProperty('customDetails');
    expect(yaml).not.toHaveProperty('customDetails');
    expect(grouping(arm)).toMatchObject({ enabled: false, groupByEntities: [], groupByAlertDetails: [], groupByCustomDetails: [] });
    expect(grouping(yaml)).toMatchObject({ enabled: false });
  });

  it('still group alerts sharing all entities when there are entities', () => {
    const { arm } = compiled('  condition: proc.name == "nc"\n  output: proc.name\n  entities { host: hostname }');
    expect(grouping(arm)).toMatchObject({ enabled: true, lookbackDuration: 'PT5H', matchingMethod: 'AllEntities', groupByCustomDetails: [] });
  });
});

describe('entity mapping limits (DET5003)', () => {
  it('refuse more than 10 entity mappings and 1 to 3 field mappings per entity', () => {
    const { detection: d, rule } = compiled('  condition: proc.name == "nc"\n  entities { host: hostname }');
    const host = rule.entityMappings[0]!;
    const too = (r: Partial<SentinelRule>) => checkLimits(d, { ...rule, ...r }).map((x) => [x.code, x.message]);
    expect(too({})).toEqual([]);
    expect(too({ entityMappings: Array.from({ length: 11 }, () => host) })).toEqual([['DET5003', 'detection d: the Sentinel rule has 11 entity mappings; Sentinel allows at most 10']]);
    expect(too({ entityMappings: [{ ...host, fieldMappings: Array.from({ length: 4 }, () => host.fieldMappings[0]!) }] })).toEqual([
      ['DET5003', 'detection d: the Sentinel Host entity has 4 field mappings; Sentinel allows 1 to 3'],
    ]);
    expect(too({ entityMappings: [{ ...host, fieldMappings: [] }] })).toEqual([['DET5003', 'detection d: the Sentinel Host entity has 0 field mappings; Sentinel allows 1 to 3']]);
    // what the DSL can write stays within them: every Sentinel entity kind, one field each
    const all = compiled('  condition: proc.name == "nc"\n  entities { host: hostname account: user.name process: proc.cmdline file: fd.name container: container.id }');
    expect(all.rule.entityMappings.map((e) => e.fieldMappings.length)).toEqual([1, 1, 1, 1]);
    expect(alertRuleProperties(all.rule).entityMappings).toHaveLength(4);
  });

  it('refuse suppression keys that cannot be grouped by (past the 20 custom details)', () => {
    const keys = ['proc.name', 'proc.cmdline', 'proc.pname', 'proc.pcmdline', 'proc.exepath', 'proc.cwd', 'proc.args', 'proc.pid', 'proc.ppid', 'user.name', 'user.uid', 'user.loginuid', 'user.loginname', 'fd.name', 'fd.directory', 'fd.filename', 'evt.type', 'evt.res', 'container.id', 'container.name', 'container.image'];
    const l = lower(detection('d', `  condition: proc.name == "nc"\n  suppress: by ${keys.join(', ')} for 1h`), { source });
    expect(l.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const c = compileSentinel(l.program, source, { analyse: false });
    expect(c.diagnostics.map((d) => [d.code, d.span?.start.line, d.message])).toEqual([
      ['DET5003', 7, 'detection d: incidents cannot be grouped by the suppression key(s) `container.image`: each is neither an entity nor one of the 20 custom details Sentinel allows'],
    ]);
  });
});
