import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileSentinel, sentinelFiles } from '../../../src/backends/sentinel/index.js';
import { yamlDuration } from '../../../src/backends/sentinel/durations.js';
import { yamlDocument, type YamlValue } from '../../../src/backends/sentinel/yaml-text.js';
import { builtinSource } from '../../../src/source/load.js';
import { detection, lower } from '../../helpers/det.js';

const source = builtinSource();

function yamlOf(name: string, body: string, replace: [string, string][] = []): Record<string, unknown> {
  let text = detection(name, body);
  for (const [a, b] of replace) text = text.replace(a, b);
  const l = lower(text, { source });
  expect(l.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const c = compileSentinel(l.program, source);
  expect(c.diagnostics).toEqual([]);
  const file = sentinelFiles(c, source).find((f) => f.path === `sentinel/analytics/${name}.yaml`)!;
  return parse(file.content) as Record<string, unknown>;
}

describe('Azure-Sentinel YAML templates', () => {
  it('hold the template fields in the repository\'s order, durations as 5m/1h/1d, version N.0.0', () => {
    const y = yamlOf('sched', '  condition: proc.name == "nc"\n  schedule: every 1h lookback 1d\n  attack { execution: T1059.004 }\n  entities { host: hostname pod: k8s.pod.name }\n  version: 3', [['severity: low', 'severity: critical']]);
    expect(Object.keys(y)).toEqual([
      'id', 'name', 'description', 'severity', 'requiredDataConnectors', 'queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold',
      'tactics', 'relevantTechniques', 'query', 'entityMappings', 'customDetails', 'eventGroupingSettings', 'incidentConfiguration', 'version', 'kind',
    ]);
    expect(y).toMatchObject({
      id: '2f7a1d2e-4c1b-4f0a-9a57-0c3b8e7b9d11',
      name: 'T',
      severity: 'High',
      queryFrequency: '1h',
      queryPeriod: '1d',
      triggerOperator: 'gt',
      triggerThreshold: 0,
      tactics: ['Execution'],
      relevantTechniques: ['T1059.004'],
      query: 'FalcoContainerSecurity\n| where ProcessName == "nc"\n| project HostName, KubernetesPod',
      customDetails: { Pod: 'KubernetesPod' },
      entityMappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'HostName' }] }],
      version: '3.0.0',
      kind: 'Scheduled',
    });
    expect(y.requiredDataConnectors).toEqual([
      { connectorId: 'CEF', dataTypes: ['CommonSecurityLog'] },
      { connectorId: 'CefAma', dataTypes: ['CommonSecurityLog'] },
      { connectorId: 'Syslog', dataTypes: ['Syslog'] },
      { connectorId: 'SyslogAma', dataTypes: ['Syslog'] },
    ]);
    expect(y.description).toContain('Severity: critical in the detection');
  });

  it('leave the schedule fields out of NRT rules', () => {
    const y = yamlOf('nrt', '  condition: proc.name == "nc"\n  schedule: realtime');
    expect(y.kind).toBe('NRT');
    for (const k of ['queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold']) expect(y).not.toHaveProperty(k);
  });

  it('write durations in the largest whole unit', () => {
    expect([yamlDuration(300), yamlDuration(5400), yamlDuration(7200), yamlDuration(1209600)]).toEqual(['5m', '90m', '2h', '14d']);
  });
});

describe('yamlDocument', () => {
  const VALUES = [
    '', 'plain', 'two words', 'a: b', '- x', '# x', 'true', 'no', 'null', '~', '12', '1.5', '1e3', '0x1f', '2024-01-01', '12:30',
    "it's", 'say "hi"', 'back\\slash', '@x', '`x`', '{a}', '[a]', '*a', '&a', '!a', '%a', '|', '>', ' lead', 'trail ',
    'line\nline', 'two\n', 'three\n\n', '\nlead', ' lead\nx', 'a\n\n\nb', 'tab\there', 'cr\r\nlf', 'ctl\u0001', 'del\u007f', 'nel\u0085', 'ls\u2028', 'bom\ufeff',
    'émoji 😀\nsecond', '  indented\n  block', 'x\n  y\n    z\n', 'UPPER', 'T1059.004', '5m', '1.0.0', 'a0000000-0000-4000-8000-000000000001',
  ];

  it('writes strings that read back unchanged, as keys, values, list items and nested maps', () => {
    const doc: { [key: string]: YamlValue } = {
      values: Object.fromEntries(VALUES.map((v, i) => [`k${i}`, v])),
      keys: Object.fromEntries(VALUES.filter((v) => v !== '').map((v, i) => [v, i])),
      list: [...VALUES],
      nested: [{ a: VALUES, b: { c: 'x\ny' } }, [], {}],
      scalars: [true, false, 0, 12],
    };
    expect(parse(yamlDocument(doc))).toEqual(doc);
  });

  it('writes a character above U+FFFF as it is, never as two surrogate escapes (which PyYAML reads as two lone surrogates)', () => {
    const text = yamlDocument({ name: 'Netcat 🚨 "shell"', description: 'line 🚨\nnext', bad: 'a\ufffeb' });
    expect(text).toContain('name: "Netcat 🚨 \\"shell\\""');
    expect(text).toContain('description: |-\n  line 🚨\n  next'); // still a literal block
    expect(text).toContain('bad: "a\\ufffeb"'); // U+FFFE is not printable in YAML
    expect(text).not.toMatch(/\\ud[89a-f]/i);
    expect(parse(text)).toEqual({ name: 'Netcat 🚨 "shell"', description: 'line 🚨\nnext', bad: 'a\ufffeb' });
  });
});
