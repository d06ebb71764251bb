import { describe, expect, it } from 'vitest';
import { falcoTacticTag, sentinelAttack, sentinelTactic } from '../../../src/backends/sentinel/attack.js';
import { compileSentinel } from '../../../src/backends/sentinel/index.js';
import { describe as describeRule, detailKey } from '../../../src/backends/sentinel/rule.js';
import { builtinSource } from '../../../src/source/load.js';
import { detection, lower } from '../../helpers/det.js';

const source = builtinSource();

function rule(body: string, replace: [string, string][] = []) {
  let text = detection('d', body);
  for (const [a, b] of replace) text = text.replace(a, b);
  const l = lower(text, { source });
  expect(l.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const c = compileSentinel(l.program, source, { analyse: false });
  expect(c.diagnostics).toEqual([]);
  return { detection: l.program.detections[0]!, rule: c.rules[0]!.rule };
}

describe('ATT&CK for Sentinel', () => {
  it('names tactics as the AttackTactic enum and Falco\'s tags', () => {
    expect([sentinelTactic('defense-evasion'), sentinelTactic('command-and-control'), sentinelTactic('execution')]).toEqual(['DefenseEvasion', 'CommandAndControl', 'Execution']);
    expect(falcoTacticTag('privilege-escalation')).toBe('mitre_privilege_escalation');
  });

  it('lists techniques, sub-techniques, and the YAML relevantTechniques', () => {
    const { detection: d } = rule('  condition: proc.name == "nc"\n  attack {\n    execution: T1059.004, T1059.006, T1204\n    command-and-control: T1095\n  }');
    expect(sentinelAttack(d.attack)).toEqual({
      tactics: ['Execution', 'CommandAndControl'],
      techniques: ['T1059', 'T1204', 'T1095'],
      subTechniques: ['T1059.004', 'T1059.006'],
      relevantTechniques: ['T1059.004', 'T1059.006', 'T1204', 'T1095'],
    });
  });
});

describe('the rule description', () => {
  it('puts the description, then triage, response, false positives and references', () => {
    const { detection: d } = rule(
      '  condition: proc.name == "nc"\n  triage: "look"\n  response: "act"\n  false_positives: ["admins"]\n  references: ["https://example.com/x"]',
      [['severity: low', 'severity: critical']],
    );
    expect(describeRule(d)).toBe(
      'D\n\n**Triage**\n\nlook\n\n**Response and mitigation**\n\nact\n\n**False positives**\n\n- admins\n\n**References**\n\n- https://example.com/x\n\nSeverity: critical in the detection (Sentinel\'s highest severity is High).',
    );
  });
});

describe('custom details', () => {
  it('hold the Kubernetes entities under their own keys, then output fields, at most 20', () => {
    const output = ['time', 'cluster', 'container.id', 'container.name', 'k8s.ns.name', 'k8s.pod.name', 'proc.name', 'proc.cmdline', 'proc.pname', 'proc.pcmdline', 'proc.exepath', 'proc.cwd', 'proc.args', 'proc.pid', 'proc.ppid', 'user.name', 'user.uid', 'user.loginuid', 'user.loginname', 'fd.name', 'fd.directory', 'fd.filename', 'evt.type', 'evt.res'];
    const { rule: r } = rule(`  condition: proc.name == "nc"\n  output: ${output.join(', ')}\n  entities { cluster: cluster container: container.id pod: k8s.pod.name namespace: k8s.ns.name process: proc.cmdline }`);
    const keys = Object.keys(r.customDetails);
    expect(keys).toHaveLength(20);
    expect(keys.slice(0, 4)).toEqual(['Cluster', 'Container', 'Namespace', 'Pod']);
    expect(r.customDetails.Cluster).toBe('ClusterName');
    expect(keys).not.toContain('ProcessCommandLine'); // an entity already
    expect(keys).not.toContain('TimeGenerated');
  });

  it('are keyed by column names shortened to the 20 characters Sentinel allows, each key unique', () => {
    const output = ['proc.pcmdline', 'container.image.repository', 'proc.exe_ino.ctime', 'proc.exe_ino.mtime', 'proc.sname', 'proc.cwd', 'fd.nameraw', 'proc.name'];
    const { rule: r } = rule(`  condition: proc.name == "nc"\n  output: ${output.join(', ')}`);
    expect(r.customDetails).toEqual({
      ParentProcCmdLine: 'ParentProcessCommandLine',
      ContainerImageRepo: 'ContainerImageRepository',
      ProcExeInodeChgTime: 'ProcessExeInodeChangeTime',
      ProcExeInodeModTime: 'ProcessExeInodeModifyTime',
      ProcSessLeaderName: 'ProcessSessionLeaderName',
      ProcCurrentDirectory: 'ProcessCurrentDirectory',
      FileDescNameRaw: 'FileDescriptorNameRaw',
      ProcessName: 'ProcessName',
    });
    // every column of the built-in source gives a valid key (Sentinel: a letter, then word characters, at most 20)
    for (const f of builtinSource().fields) expect(detailKey(f.column), f.column).toMatch(/^[A-Za-z]\w{0,19}$/);
    // what no word shortens enough is cut; a cut key another detail has already is numbered
    expect(detailKey('ProcessExeInodeChangeTimeAbc')).toBe('ProcExeInodeChgTimeA');
    const long = (name: string, column: string) => ({ name, type: 'string' as const, description: name, location: { in: 'output_fields' as const, key: name }, column });
    const wide = { ...source, fields: [...source.fields, long('x.one', 'ProcessExeInodeChangeTimeAbc'), long('x.two', 'ProcessExeInodeChangeTimeAbd')] };
    const l = lower(detection('d', '  condition: proc.name == "nc"\n  output: x.one, x.two'), { source: wide });
    expect(compileSentinel(l.program, wide, { analyse: false }).rules[0]!.rule.customDetails).toEqual({
      ProcExeInodeChgTimeA: 'ProcessExeInodeChangeTimeAbc',
      ProcExeInodeChgTim_2: 'ProcessExeInodeChangeTimeAbd',
    });
  });
});
