import { describe, expect, it } from 'vitest';
import { kibanaBackend, kibanaQueries } from '../../../src/backends/kibana/index.js';
import { kibanaSeverity } from '../../../src/backends/kibana/metadata.js';
import { securityRule } from '../../../src/backends/kibana/security-rule.js';
import type { Program } from '../../../src/ir/types.js';
import { builtinSource } from '../../../src/source/load.js';
import { IDS, only, ruleSchemaErrors, seedProgram, synthetic } from './helpers.js';
import { emitFiles } from '../../../src/backends/types.js';

const source = builtinSource();
const sidekick = source.elastic.profiles['falcosidekick']!;
const agent = source.elastic.profiles['elastic-agent']!;

const ATTACK = `  attack {
    execution: T1059.004, T1609
    discovery: T1613
  }`;

const THRESHOLD = `  author: ["Platform Security", "SOC"]
  tags: ["falco", "burst"]
  references: ["https://example.com/runbook"]
  false_positives: ["Load tests"]
${ATTACK}
  schedule: every 1m lookback 2m
  suppress: by container.id for 30m
  threshold: count >= 5 by container.id within 10m
  condition: rule == "Terminal shell in container" and proc.name in ["bash", "sh"]
  output: time, container.id, proc.cmdline
  triage: """
    Look at the shells.
    """`;

const SEQUENCE = `  author: "SOC"
  tags: ["falco", "kill-chain"]
${ATTACK}
  schedule: every 5m
  sequence by container.id within 15m {
    step shell: rule == "Terminal shell in container" and proc.name != "bash"
    step secrets: proc.cmdline contains "get secrets" nocase or proc.cmdline regex "^kubectl\\\\s+-n"
  }
  response: """
    Isolate the pod.
    """`;

/** The Security rule of a one-detection program (fails the test when there is none). */
function rule(program: Program, profile = sidekick): Record<string, unknown> {
  const r = securityRule(only(program), profile, source, kibanaQueries);
  expect(r.diagnostics).toEqual([]);
  return r.rule as unknown as Record<string, unknown>;
}

/** The DET5001 messages for a one-detection program. */
function refusals(program: Program, profile = sidekick): string[] {
  const r = securityRule(only(program), profile, source, kibanaQueries);
  expect(r.rule).toBeUndefined();
  for (const d of r.diagnostics) {
    expect(d.code).toBe('DET5001');
    expect(d.span?.file).toBe('test.det');
    expect(d.hint).toBeTruthy();
  }
  return r.diagnostics.map((d) => d.message);
}

describe('kibana Security rules: query rules', () => {
  it('maps a seed detection to a lucene query rule with its metadata', () => {
    const { program } = seedProgram();
    const det = program.detections.find((d) => d.name === 'netcat_remote_code_execution')!;
    const r = securityRule(det, sidekick, source, kibanaQueries).rule!;
    expect(r).toMatchObject({
      ...kibanaSeverity(det.severity),
      rule_id: det.id,
      version: det.version,
      name: det.title,
      description: det.description,
      author: det.author,
      type: 'query',
      language: 'lucene',
      index: ['falco-*'],
      interval: '1m',
      from: 'now-2m',
      max_signals: 100,
      enabled: true,
      tags: det.tags,
      references: det.references,
      false_positives: det.falsePositives,
    });
    expect(r.query).toBe('rule.keyword:"Netcat Remote Code Execution in Container"');
    expect(r.note).toMatch(/^## Triage\n\n[\s\S]+\n\n## Response\n\n[\s\S]+\n$/);
    expect(r.alert_suppression).toEqual({
      group_by: ['output_fields.container.id.keyword', 'output_fields.proc.cmdline.keyword'],
      duration: { value: 1, unit: 'h' },
      missing_fields_strategy: 'suppress',
    });
    expect(r.threat).toEqual([
      {
        framework: 'MITRE ATT&CK',
        tactic: { id: 'TA0002', name: 'Execution', reference: 'https://attack.mitre.org/tactics/TA0002/' },
        technique: [
          {
            id: 'T1059',
            name: 'Command and Scripting Interpreter',
            reference: 'https://attack.mitre.org/techniques/T1059/',
            subtechnique: [{ id: 'T1059.004', name: 'Unix Shell', reference: 'https://attack.mitre.org/techniques/T1059/004/' }],
          },
        ],
      },
      {
        framework: 'MITRE ATT&CK',
        tactic: { id: 'TA0011', name: 'Command and Control', reference: 'https://attack.mitre.org/tactics/TA0011/' },
        technique: [{ id: 'T1095', name: 'Non-Application Layer Protocol', reference: 'https://attack.mitre.org/techniques/T1095/' }],
      },
    ]);
  });

  it('maps severities to Kibana severities and risk scores (informational → low, 10)', () => {
    const expected: Record<string, [string, number]> = {
      informational: ['low', 10],
      low: ['low', 21],
      medium: ['medium', 47],
      high: ['high', 73],
      critical: ['critical', 99],
    };
    for (const [level, [severity, risk]] of Object.entries(expected)) {
      const r = rule(synthetic('sev', '  condition: rule == "x"', { severity: level }));
      expect([r['severity'], r['risk_score']], level).toEqual([severity, risk]);
    }
  });

  it('takes interval and lookback from the schedule, and leaves out what the detection does not have', () => {
    const r = rule(synthetic('plain', '  schedule: every 10m lookback 1h\n  condition: proc.name == "nc"'));
    // one extra minute for ingestion delay (Kibana's default additional look-back)
    expect([r['interval'], r['from']]).toEqual(['10m', 'now-61m']);
    const d = rule(synthetic('defaults', '  condition: proc.name == "nc"'));
    expect([d['interval'], d['from']]).toEqual(['5m', 'now-6m']);
    const realtime = rule(synthetic('rt', '  schedule: realtime\n  condition: proc.name == "nc"'));
    expect([realtime['interval'], realtime['from']]).toEqual(['1m', 'now-2m']);
    for (const key of ['note', 'alert_suppression', 'threshold', 'investigation_fields', 'timestamp_override']) expect(d).not.toHaveProperty(key);
    expect(d['threat']).toEqual([]);
    expect(d['author']).toEqual([]);
  });

  it('lists the output fields the profile indexes as investigation fields', () => {
    const body = '  condition: container.id == "abc"\n  output: time, cluster, output, proc.cmdline, container.id';
    expect(rule(synthetic('inv', body))['investigation_fields']).toEqual({
      field_names: ['time', 'output_fields.cluster', 'output', 'output_fields.proc.cmdline', 'output_fields.container.id'],
    });
    // elastic-agent indexes neither the cluster nor `output`
    expect(rule(synthetic('inv', body), agent)['investigation_fields']).toEqual({
      field_names: ['falco.time', 'process.command_line', 'container.id'],
    });
  });

  it('uses the profile index for the elastic-agent profile', () => {
    const r = rule(synthetic('agent', '  condition: rule == "Terminal shell in container" and container.id == "abc"'), agent);
    expect(r['index']).toEqual(['logs-falco.alerts-*', 'logs-falco.alerts_agent-*']);
    expect(r['query']).toContain('container.id');
    // timed by Falco's time: the pipeline sets @timestamp from evt.time only when the rule prints it
    expect(r['timestamp_override']).toBe('falco.time');
  });
});

describe('kibana Security rules: thresholds', () => {
  it('writes a threshold rule counting over exactly the window', () => {
    const r = rule(synthetic('shell_burst', THRESHOLD, { severity: 'informational' }));
    expect(r).toMatchObject({
      type: 'threshold',
      language: 'lucene',
      threshold: { field: ['output_fields.container.id.keyword'], value: 5 },
      interval: '1m',
      from: 'now-10m',
      severity: 'low',
      risk_score: 10,
      author: ['Platform Security', 'SOC'],
      alert_suppression: { duration: { value: 30, unit: 'm' } },
      note: '## Triage\n\nLook at the shells.\n',
    });
    expect(r['query']).toContain('rule.keyword:"Terminal shell in container"');
    expect(r['threat']).toHaveLength(2);
    expect(ruleSchemaErrors(r)).toEqual([]);
  });

  it('writes a threshold without keys as an empty field list', () => {
    const r = rule(synthetic('t', '  threshold: count >= 3 within 5m\n  condition: proc.name == "nc"'));
    expect(r['threshold']).toEqual({ field: [], value: 3 });
    expect(ruleSchemaErrors(r)).toEqual([]);
  });

  it('refuses a schedule that runs less often than the window is long', () => {
    const msgs = refusals(synthetic('t', '  schedule: every 10m\n  threshold: count >= 3 within 5m\n  condition: proc.name == "nc"'));
    expect(msgs).toEqual([expect.stringMatching(/the schedule of detection 't'.*runs every 10m but counts over the threshold window of 5m/)]);
  });

  it('refuses suppression fields other than the threshold fields, and unsuitable keys', () => {
    expect(refusals(synthetic('t', '  suppress: by hostname for 1h\n  threshold: count >= 3 by container.id within 5m\n  condition: proc.name == "nc"'))).toEqual([
      expect.stringMatching(/suppresses threshold alerts by the threshold fields \(container.id\), not by hostname/),
    ]);
    expect(refusals(synthetic('t', '  threshold: count >= 3 by tags within 5m\n  condition: proc.name == "nc"'))[0]).toMatch(/list field 'tags'/);
    expect(refusals(synthetic('t', '  threshold: count >= 3 by rule within 5m\n  condition: proc.name == "nc"'))[0]).toMatch(/renames rules/);
    expect(refusals(synthetic('t', '  threshold: count >= 3 by cluster within 5m\n  condition: proc.name == "nc"'))[0]).toMatch(/host name/);
    const six = 'hostname, container.id, container.name, proc.name, proc.pname, user.name';
    expect(refusals(synthetic('t', `  threshold: count >= 3 by ${six} within 5m\n  condition: proc.name == "nc"`))[0]).toMatch(/at most 5 fields/);
  });
});

describe('kibana Security rules: sequences (EQL)', () => {
  it('writes an EQL sequence rule looking back window + interval', () => {
    const r = rule(synthetic('kill_chain', SEQUENCE));
    expect(r).toMatchObject({
      type: 'eql',
      language: 'eql',
      interval: '5m',
      from: 'now-20m',
      note: '## Response\n\nIsolate the pod.\n',
    });
    expect(r).not.toHaveProperty('alert_suppression');
    const query = r['query'] as string;
    expect(query.split('\n')[0]).toBe('sequence by output_fields.container.id.keyword with maxspan=15m');
    const steps = query.split('\n').slice(1);
    expect(steps).toHaveLength(2);
    expect(steps[0]).toBe(
      // `!=` is false on a missing field: present (on the text field, which holds long values too) and not equal
      '  [any where rule.keyword == "Terminal shell in container" and output_fields.proc.name != null and not (output_fields.proc.name.keyword == "bash")]',
    );
    expect(steps[1]).toMatch(/^ {2}\[any where .*output_fields\.proc\.cmdline\.keyword.* or output_fields\.proc\.cmdline\.keyword regex "kubectl.*"\]$/);
    expect(ruleSchemaErrors(r)).toEqual([]);
  });

  it('matches renamed Falco rules by both names in a step', () => {
    const r = rule(synthetic('s', '  sequence within 1m {\n    step a: rule == "Kubernetes Client Tool Launched in Container"\n    step b: proc.name == "sh"\n  }'));
    expect(r['query']).toBe(
      [
        'sequence with maxspan=1m',
        '  [any where rule.keyword in ("Kubernetes Client Tool Launched in Container", "The docker client is executed in a container")]',
        '  [any where output_fields.proc.name.keyword == "sh"]',
      ].join('\n'),
    );
  });

  it('checks the regular expressions EQL sends against Elasticsearch\'s limits, and only those (DET5003)', () => {
    const long = 'a'.repeat(252);
    // a native `:` sends no regular expression, however long its exact form would be
    const r = rule(synthetic('s', `  sequence within 1m {\n    step a: proc.name == "${long}" nocase\n    step b: proc.name == "sh"\n  }`));
    expect(r['query']).toContain(`[any where output_fields.proc.name.keyword : "${long}"]`);
    const big = securityRule(only(synthetic('s', '  sequence within 1m {\n    step a: proc.cmdline regex "curl.{0,40}x"\n    step b: proc.name == "sh"\n  }')), sidekick, source, kibanaQueries);
    expect(big.rule).toBeUndefined();
    expect(big.diagnostics.map((d) => d.code)).toEqual(['DET5003']);
    expect(big.diagnostics[0]!.message).toContain('max_determinized_states');
  });

  it('refuses keys EQL cannot join on like the evaluator', () => {
    const seq = (by: string): Program => synthetic('s', `  sequence by ${by} within 1m {\n    step a: proc.name == "a"\n    step b: proc.name == "b"\n  }`);
    expect(refusals(seq('tags'))).toEqual([expect.stringMatching(/cannot express the sequence of detection 's' exactly: the list field 'tags'/)]);
    expect(refusals(seq('time'))[0]).toMatch(/timestamp field 'time'/);
    expect(refusals(seq('rule'))[0]).toMatch(/renames rules/);
    expect(refusals(seq('cluster'))[0]).toMatch(/host name/);
    expect(refusals(seq('fd.name'), agent)[0]).toMatch(/field 'fd.name' is indexed as analysed text .* without a keyword sub-field/);
  });

  it('joins elastic-agent sequences on the ECS keyword and wildcard fields', () => {
    const seq = (by: string): Program => synthetic('s', `  sequence by ${by} within 1m {\n    step a: proc.name == "a"\n    step b: proc.name == "b"\n  }`);
    expect(rule(seq('proc.cmdline'), agent)['query']).toBe('sequence by process.command_line with maxspan=1m\n  [any where process.name == "a"]\n  [any where process.name == "b"]');
    expect(rule(seq('k8s.pod.name'), agent)['query']).toMatch(/^sequence by orchestrator.resource.name with maxspan=1m\n/);
  });

  it('refuses steps the shared Elastic translation or EQL cannot express', () => {
    const msgs = refusals(
      synthetic('s', '  sequence within 1m {\n    step a: time >= "2024-01-01T00:00:00Z"\n    step b: cluster == "prod"\n  }'),
    );
    expect(msgs).toHaveLength(2);
    expect(msgs[0]).toMatch(/date field '@timestamp'|date field 'time'/);
    expect(msgs[1]).toMatch(/cluster/);
  });
});

describe('kibana Security rules: suppression', () => {
  it('writes the group fields, the duration and the missing-fields strategy of a query rule', () => {
    expect(rule(synthetic('s', '  suppress: by container.id, hostname for 90s\n  condition: proc.name == "nc"'))['alert_suppression']).toEqual({
      group_by: ['output_fields.container.id.keyword', 'hostname.keyword'],
      duration: { value: 90, unit: 's' },
      missing_fields_strategy: 'suppress',
    });
  });

  it('refuses suppression of a sequence (Kibana before 8.18 refuses the import), at the suppress: line', () => {
    const seq = '  suppress: by container.id for 1h\n  sequence by container.id within 1m {\n    step a: proc.name == "a"\n    step b: proc.name == "b"\n  }';
    expect(refusals(synthetic('s', seq))).toEqual([expect.stringMatching(/the suppression of detection 's'.*EQL sequence rules/)]);
    const lines = securityRule(only(synthetic('s', seq)), sidekick, source, kibanaQueries).diagnostics.map((d) => d.span?.start.line);
    expect(lines).toEqual([synthetic('s', seq).detections[0]!.suppression!.span!.start.line]);
    const schedule = securityRule(only(synthetic('t', '  schedule: every 10m\n  threshold: count >= 3 within 5m\n  condition: proc.name == "nc"')), sidekick, source, kibanaQueries);
    expect(schedule.diagnostics.map((d) => d.span?.start.line)).toEqual([only(synthetic('t', '  schedule: every 10m\n  threshold: count >= 3 within 5m\n  condition: proc.name == "nc"')).schedule.span!.start.line]);
  });

  it('writes durations in the largest exact unit of h, m, s', () => {
    const dur = (d: string): unknown => rule(synthetic('s', `  suppress: by container.id for ${d}\n  condition: proc.name == "nc"`))['alert_suppression'];
    expect(dur('2d')).toMatchObject({ duration: { value: 48, unit: 'h' } });
    expect(dur('90m')).toMatchObject({ duration: { value: 90, unit: 'm' } });
    expect(dur('45s')).toMatchObject({ duration: { value: 45, unit: 's' } });
  });

  it('refuses suppression without fields, with more than three, or on a field without a keyword form', () => {
    expect(refusals(synthetic('s', '  suppress: for 1h\n  condition: proc.name == "nc"'))[0]).toMatch(/at least one field/);
    expect(refusals(synthetic('s', '  suppress: by hostname, container.id, proc.name, user.name for 1h\n  condition: proc.name == "nc"'))[0]).toMatch(
      /at most 3 fields, not 4/,
    );
    expect(refusals(synthetic('s', '  suppress: by fd.name for 1h\n  condition: container.id == "x"'), agent)[0]).toMatch(
      /the suppression .*'falco.output_fields.fd.name'/,
    );
  });

  it('refuses suppression by rule while the source renames rules (the earlier and current names would be suppressed apart)', () => {
    expect(refusals(synthetic('s', '  suppress: by rule for 1h\n  condition: proc.name == "nc"'))).toEqual([expect.stringMatching(/'rule' while the source renames rules/)]);
    const noAliases = { ...source, ruleAliases: {} };
    const r = securityRule(only(synthetic('s', '  suppress: by rule for 1h\n  condition: proc.name == "nc"')), sidekick, noAliases, kibanaQueries);
    expect(r.diagnostics).toEqual([]);
    expect(r.rule?.alert_suppression).toMatchObject({ group_by: ['rule.keyword'] });
  });

  it('suppresses on the elastic-agent ECS fields, wildcard ones included', () => {
    expect(rule(synthetic('s', '  suppress: by proc.cmdline, proc.name for 1h\n  condition: container.id == "x"'), agent)['alert_suppression']).toEqual({
      group_by: ['process.command_line', 'process.name'],
      duration: { value: 1, unit: 'h' },
      missing_fields_strategy: 'suppress',
    });
  });
});

describe('kibana backend', () => {
  it('writes one file per detection, the import bundle and the .es-query bundle, sorted by detection name', () => {
    const program: Program = {
      irVersion: 1,
      source: 'falco',
      detections: [
        ...synthetic('zeta', '  condition: proc.name == "nc"', { id: IDS[0] }).detections,
        ...synthetic('alpha', SEQUENCE, { id: IDS[1] }).detections,
        ...synthetic('mid', THRESHOLD, { id: IDS[2] }).detections,
      ],
    };
    const out = emitFiles(kibanaBackend, program, source, {});
    expect(out.diagnostics).toEqual([]);
    // (emitFiles sorts by path)
    expect(out.files.map((f) => f.path)).toEqual([
      'kibana/alpha.json',
      'kibana/es-query-rules.ndjson',
      'kibana/mid.json',
      'kibana/rules.ndjson',
      'kibana/zeta.json',
    ]);
    const file = (path: string) => out.files.find((f) => f.path === path)!.content;
    for (const f of out.files) {
      expect(f.content.endsWith('\n'), f.path).toBe(true);
      expect(f.content).not.toContain('\r');
    }
    const lines = file('kibana/rules.ndjson').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { rule_id: string }).rule_id)).toEqual([IDS[1], IDS[2], IDS[0]]);
    expect(JSON.parse(lines[0]!)).toEqual(JSON.parse(file('kibana/alpha.json')));
    // no sequence among the .es-query rules
    const es = file('kibana/es-query-rules.ndjson').trimEnd().split('\n');
    expect(es.map((l) => (JSON.parse(l) as { name: string }).name)).toEqual(['Synthetic mid', 'Synthetic zeta']);
    // same output whatever the detection order
    const reversed = emitFiles(kibanaBackend, { ...program, detections: [...program.detections].reverse() }, source, {});
    expect(reversed.files).toEqual(out.files);
  });

  it('emits no files for a detection it cannot express, and still the bundles of the others', () => {
    const program: Program = {
      irVersion: 1,
      source: 'falco',
      detections: [
        ...synthetic('ok', '  condition: proc.name == "nc"', { id: IDS[0] }).detections,
        ...synthetic('bad', '  suppress: for 1h\n  condition: proc.name == "nc"', { id: IDS[1] }).detections,
      ],
    };
    const out = emitFiles(kibanaBackend, program, source, {});
    expect(out.diagnostics.map((d) => d.code)).toEqual(['DET5001']);
    expect(out.files.map((f) => f.path)).toEqual(['kibana/es-query-rules.ndjson', 'kibana/ok.json', 'kibana/rules.ndjson']);
    expect(out.files[2]!.content.split('\n')).toHaveLength(2);
  });

  it('uses the Elastic profile of the options, and refuses an unknown one', () => {
    const program = synthetic('p', '  condition: container.id == "abc"');
    const out = emitFiles(kibanaBackend, program, source, { elasticProfile: 'elastic-agent' });
    expect(out.diagnostics).toEqual([]);
    expect(JSON.parse(out.files.find((f) => f.path === 'kibana/p.json')!.content).index).toEqual(['logs-falco.alerts-*', 'logs-falco.alerts_agent-*']);
    const bad = emitFiles(kibanaBackend, program, source, { elasticProfile: 'nope' });
    expect(bad.files).toEqual([]);
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['DET6008']);
  });

  it('writes empty bundles for a program without detections', () => {
    const out = emitFiles(kibanaBackend, { irVersion: 1, source: 'falco', detections: [] }, source, {});
    expect(out.files).toEqual([
      { path: 'kibana/es-query-rules.ndjson', content: '' },
      { path: 'kibana/rules.ndjson', content: '' },
    ]);
  });
});
