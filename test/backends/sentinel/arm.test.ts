/**
 * The ARM templates against the published alertRules API (Azure/azure-rest-api-specs
 * Microsoft.SecurityInsights stable 2025-12-01, copied to shared/reference/sentinel/): every
 * property the API requires is present, every property written exists in the API, with its
 * type, format and enum. NRT rules use 2025-07-01-preview (no stable version has them), whose
 * NrtAlertRuleProperties require displayName, enabled, severity, query, suppressionEnabled,
 * suppressionDuration and add subTechniques.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attackTable } from '../../../src/attack/table.js';
import { sentinelTactic } from '../../../src/backends/sentinel/attack.js';
import {
  ALERT_RULE_TYPE,
  alertRuleResource,
  armLiteral,
  NRT_API_VERSION,
  parserResource,
  parserResourceId,
  SAVED_SEARCH_TYPE,
  SCHEDULED_API_VERSION,
  singleTemplate,
  template as armTemplate,
  templateText,
  withDependsOn,
  withDependsOnText,
} from '../../../src/backends/sentinel/arm.js';
import { compileSentinel, sentinelFiles } from '../../../src/backends/sentinel/index.js';
import { isoDuration } from '../../../src/backends/sentinel/durations.js';
import type { Program } from '../../../src/ir/types.js';
import { builtinSource } from '../../../src/source/load.js';
import { detection, lower } from '../../helpers/det.js';
import { sharedReference } from '../../helpers/shared.js';

const source = builtinSource();
const { path: REF, present: referencePresent } = sharedReference('reference/sentinel/', 'ARM templates against the published alertRules API', [
  'reference/sentinel/AlertRules.2025-12-01.json',
  'reference/sentinel/AlertTypes.2025-12-01.json',
]);
const RULES = `${REF}AlertRules.2025-12-01.json`;
const TYPES = `${REF}AlertTypes.2025-12-01.json`;

type Schema = { [k: string]: unknown };
type Json = unknown;

function program(texts: string[]): Program {
  const text = texts.join('\n');
  const l = lower(text, { source });
  expect(l.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return l.program;
}

const UUIDS = ['a0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-000000000003', 'a0000000-0000-4000-8000-000000000004'];
const PROGRAM = program([
  detection('nrt_filter', '  condition: proc.name == "nc"\n  schedule: realtime\n  attack { execution: T1059.004 }\n  suppress: by container.id for 2h\n  entities { host: hostname process: proc.cmdline container: container.id file: fd.directory account: user.name }\n  output: time, container.name', UUIDS[0]).replace('title: "T"', 'title: "[Falco] netcat"'),
  detection('scheduled_filter', '  condition: proc.name == "nc"\n  schedule: every 10m lookback 1h\n  attack { credential-access: T1003.008\n discovery: T1613 }\n  suppress: for 30m', UUIDS[1]).replace('severity: low', 'severity: critical'),
  detection('threshold_rule', '  condition: proc.name == "nc"\n  threshold: count >= 3 by container.id within 15m\n  schedule: every 5m lookback 5m', UUIDS[2]),
  detection('realtime_sequence', '  sequence by container.id within 10m {\n    step a: proc.name == "curl"\n    step b: proc.name == "sh"\n  }\n  schedule: realtime', UUIDS[3]),
]);
const compilation = compileSentinel(PROGRAM, source);
const files = new Map(sentinelFiles(compilation, source).map((f) => [f.path, f.content]));
const template = (name: string) => JSON.parse(files.get(`sentinel/analytics/${name}.json`)!) as { resources: { [k: string]: Json }[]; parameters: Json };
const props = (name: string) => template(name).resources[0]!.properties as { [k: string]: Json };

describe('alert rule templates', () => {
  it('compile without diagnostics', () => {
    expect(compilation.diagnostics).toEqual([]);
  });

  it('are deployment templates with a workspace parameter and one alertRules resource named by the detection UUID', () => {
    for (const [i, name] of ['nrt_filter', 'scheduled_filter', 'threshold_rule', 'realtime_sequence'].entries()) {
      const t = template(name);
      expect(t.parameters).toEqual({ workspace: { type: 'string', metadata: { description: expect.any(String) } } });
      expect(t.resources).toHaveLength(1);
      const r = t.resources[0]!;
      expect(r.type).toBe(ALERT_RULE_TYPE);
      expect(r.name).toBe(`[concat(parameters('workspace'), '/Microsoft.SecurityInsights/${UUIDS[i]}')]`);
    }
  });

  it('are NRT for realtime filters and Scheduled otherwise, with the API version that has the kind', () => {
    const kinds = ['nrt_filter', 'scheduled_filter', 'threshold_rule', 'realtime_sequence'].map((n) => [template(n).resources[0]!.kind, template(n).resources[0]!.apiVersion]);
    expect(kinds).toEqual([
      ['NRT', NRT_API_VERSION],
      ['Scheduled', SCHEDULED_API_VERSION],
      ['Scheduled', SCHEDULED_API_VERSION],
      ['Scheduled', SCHEDULED_API_VERSION],
    ]);
  });

  it('write durations in ISO 8601 and widen correlation periods to frequency + window', () => {
    expect([props('scheduled_filter').queryFrequency, props('scheduled_filter').queryPeriod]).toEqual(['PT10M', 'PT1H']);
    expect([props('threshold_rule').queryFrequency, props('threshold_rule').queryPeriod]).toEqual(['PT5M', 'PT20M']);
    expect([props('realtime_sequence').queryFrequency, props('realtime_sequence').queryPeriod]).toEqual(['PT5M', 'PT15M']);
    expect([isoDuration(30), isoDuration(300), isoDuration(5400), isoDuration(86400), isoDuration(90000)]).toEqual(['PT30S', 'PT5M', 'PT1H30M', 'P1D', 'P1DT1H']);
  });

  it('map severity (critical → High), ATT&CK (tactics, techniques, sub-techniques where the API takes them) and suppression', () => {
    expect(props('scheduled_filter').severity).toBe('High');
    expect(props('nrt_filter').severity).toBe('Low');
    expect([props('scheduled_filter').tactics, props('scheduled_filter').techniques, props('scheduled_filter').subTechniques]).toEqual([['CredentialAccess', 'Discovery'], ['T1003', 'T1613'], undefined]);
    expect([props('nrt_filter').tactics, props('nrt_filter').techniques, props('nrt_filter').subTechniques]).toEqual([['Execution'], ['T1059'], ['T1059.004']]);
    expect([props('scheduled_filter').suppressionEnabled, props('scheduled_filter').suppressionDuration]).toEqual([true, 'PT30M']);
    expect(props('nrt_filter').incidentConfiguration).toEqual({
      createIncident: true,
      groupingConfiguration: { enabled: true, reopenClosedIncident: false, lookbackDuration: 'PT2H', matchingMethod: 'Selected', groupByEntities: [], groupByAlertDetails: [], groupByCustomDetails: ['Container'] },
    });
  });

  it('map entities, custom details and the alert name override to result columns of the query', () => {
    const p = props('nrt_filter');
    expect(p.entityMappings).toEqual([
      { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'HostName' }] },
      { entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: 'UserName' }] },
      { entityType: 'Process', fieldMappings: [{ identifier: 'CommandLine', columnName: 'ProcessCommandLine' }] },
      { entityType: 'File', fieldMappings: [{ identifier: 'Directory', columnName: 'FileDirectory' }] },
    ]);
    expect(p.customDetails).toEqual({ Container: 'ContainerId', ContainerName: 'ContainerName' });
    expect(p.alertDetailsOverride).toEqual({ alertDisplayNameFormat: '[Falco] netcat: {{ProcessCommandLine}} in {{ContainerName}}' });
    const columns = compilation.rules[0]!.query.columns;
    for (const m of p.entityMappings as { fieldMappings: { columnName: string }[] }[]) for (const f of m.fieldMappings) expect(columns).toContain(f.columnName);
    for (const c of Object.values(p.customDetails as Record<string, string>)) expect(columns).toContain(c);
  });

  it('escape the values ARM would read as expressions (beginning with `[` and ending with `]`), and only those', () => {
    // ARM: a string is an expression when it starts with [ and ends with ]; [[ escapes such a
    // literal; a string that does not end with ] is literal as it is (no [[, or it deploys as [[).
    expect(props('nrt_filter').displayName).toBe('[Falco] netcat');
    expect(armLiteral('[Falco] netcat [prod]')).toBe('[[Falco] netcat [prod]');
    expect(armLiteral('[prod]')).toBe('[[prod]');
    expect(armLiteral('[x')).toBe('[x');
    expect(armLiteral('x]')).toBe('x]');
    expect(armLiteral('netcat [prod]')).toBe('netcat [prod]');
    // ARM tests the first and last characters as they are (no trimming)
    expect(armLiteral(' [x]')).toBe(' [x]');
    expect(armLiteral('[x]\n')).toBe('[x]\n');
    expect(armLiteral('[[x]')).toBe('[[[x]');
  });

  it('use Sentinel tactic names for every ATT&CK tactic', () => {
    const names = attackTable().tactics.map((t) => sentinelTactic(t.shortname));
    expect(names).toContain('CommandAndControl');
    expect(names).toContain('ResourceDevelopment');
    if (existsSync(TYPES)) {
      const allowed = (JSON.parse(readFileSync(TYPES, 'utf8')) as { definitions: { AttackTactic: { enum: string[] } } }).definitions.AttackTactic.enum;
      for (const n of names) expect(allowed).toContain(n);
    }
  });
});

describe('the parser template and azuredeploy.json', () => {
  const parser = JSON.parse(files.get('sentinel/parsers/FalcoContainerSecurity.json')!) as { resources: { [k: string]: Json }[] };
  const deploy = JSON.parse(files.get('sentinel/azuredeploy.json')!) as { resources: { [k: string]: Json }[]; parameters: Json };

  it('deploy the parser as a saved-search function', () => {
    expect(parser.resources).toHaveLength(1);
    const r = parser.resources[0]!;
    expect([r.type, r.apiVersion, r.name]).toEqual([SAVED_SEARCH_TYPE, '2020-08-01', "[concat(parameters('workspace'), '/FalcoContainerSecurity')]"]);
    expect(r.properties).toEqual({
      category: 'Falco',
      displayName: expect.stringContaining('FalcoContainerSecurity'),
      FunctionAlias: 'FalcoContainerSecurity',
      query: compilation.parser.body,
      version: 2,
    });
  });

  it('holds the parser and every rule, each rule depending on the parser', () => {
    expect(deploy.parameters).toEqual(template('threshold_rule').parameters);
    expect(deploy.resources[0]).toEqual(parser.resources[0]);
    expect(deploy.resources).toHaveLength(1 + compilation.rules.length);
    for (const [i, r] of compilation.rules.entries()) {
      const res = deploy.resources[i + 1]!;
      expect(res.dependsOn).toEqual(["[resourceId('Microsoft.OperationalInsights/workspaces/savedSearches', parameters('workspace'), 'FalcoContainerSecurity')]"]);
      const { dependsOn: _, ...rest } = res;
      expect(rest).toEqual(template(r.detection.name).resources[0]);
    }
  });

  it('are the text JSON.stringify gives the templates as objects (they are assembled from texts)', () => {
    const dependsOn = [parserResourceId('FalcoContainerSecurity')];
    const resources = [parserResource('FalcoContainerSecurity', compilation.parser.body, 'the parser')];
    const texts = [singleTemplate(resources[0]!).resource];
    for (const r of compilation.rules) {
      const single = singleTemplate(alertRuleResource(r.rule));
      expect(single.text).toBe(`${JSON.stringify(armTemplate([alertRuleResource(r.rule)]), null, 2)}\n`);
      resources.push(withDependsOn(alertRuleResource(r.rule), dependsOn));
      texts.push(withDependsOnText(single.resource, dependsOn));
    }
    expect(texts).toHaveLength(5);
    expect(templateText(texts)).toBe(`${JSON.stringify(armTemplate(resources), null, 2)}\n`);
    expect(templateText([])).toBe(`${JSON.stringify(armTemplate([]), null, 2)}\n`);
  });
});

describe('against the published alertRules API', () => {
  if (!referencePresent) {
    it.skip(`skipped: ${REF} is absent`, () => {});
    return;
  }
  const api = JSON.parse(readFileSync(RULES, 'utf8')) as { definitions: Record<string, Schema> };
  const common = JSON.parse(readFileSync(TYPES, 'utf8')) as { definitions: Record<string, Schema> };

  function resolve(s: Schema): Schema {
    const ref = s.$ref as string | undefined;
    if (!ref) return s;
    const name = ref.split('/').pop() as string;
    return resolve((ref.includes('AlertTypes.json') ? common.definitions[name] : api.definitions[name]) as Schema);
  }

  /** The properties and required names of a definition, through `allOf`. */
  function shape(s: Schema): { properties: Record<string, Schema>; required: string[] } {
    const r = resolve(s);
    let properties: Record<string, Schema> = { ...((r.properties as Record<string, Schema>) ?? {}) };
    let required = [...((r.required as string[]) ?? [])];
    for (const part of (r.allOf as Schema[]) ?? []) {
      const inner = shape(part);
      properties = { ...inner.properties, ...properties };
      required = [...inner.required, ...required];
    }
    return { properties, required };
  }

  const problems: string[] = [];
  function check(value: Json, s: Schema, path: string): void {
    const r = resolve(s);
    const type = r.type as string | undefined;
    if (r.enum && !(r.enum as Json[]).includes(value)) problems.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(r.enum)}`);
    if (r.format === 'duration' && !(typeof value === 'string' && /^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/.test(value) && value !== 'P' && !value.endsWith('T'))) problems.push(`${path}: ${JSON.stringify(value)} is not an ISO 8601 duration`);
    if (type === 'string' && typeof value !== 'string') problems.push(`${path}: not a string`);
    if (type === 'boolean' && typeof value !== 'boolean') problems.push(`${path}: not a boolean`);
    if (type === 'integer' && !Number.isInteger(value)) problems.push(`${path}: not an integer`);
    if (type === 'array' || r.items) {
      if (!Array.isArray(value)) problems.push(`${path}: not an array`);
      else value.forEach((v, i) => check(v, r.items as Schema, `${path}[${i}]`));
      return;
    }
    if (type === 'object' || r.properties || r.allOf || r.additionalProperties) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push(`${path}: not an object`);
        return;
      }
      const { properties, required } = shape(r);
      for (const name of required) if (!(name in value)) problems.push(`${path}: required ${name} missing`);
      for (const [k, v] of Object.entries(value)) {
        const p = properties[k] ?? (r.additionalProperties as Schema | undefined);
        if (!p) problems.push(`${path}: ${k} is not a property of the API`);
        else if ((p as Schema).readOnly) problems.push(`${path}: ${k} is read-only`);
        else check(v, p as Schema, `${path}.${k}`);
      }
    }
  }

  it('has every required property, and only API properties with the API types, formats and enums (Scheduled)', () => {
    problems.length = 0;
    for (const name of ['scheduled_filter', 'threshold_rule', 'realtime_sequence']) check(props(name), api.definitions.ScheduledAlertRuleProperties as Schema, name);
    expect(problems).toEqual([]);
    expect(api.definitions.AlertRuleKindEnum?.enum).toContain('Scheduled');
    // The check itself catches a wrong enum, a bad duration, a missing and an unknown property.
    const { query: _, ...broken } = { ...props('threshold_rule'), severity: 'Critical', queryPeriod: '5m', bogus: 1 } as { [k: string]: Json };
    check(broken, api.definitions.ScheduledAlertRuleProperties as Schema, 'broken');
    expect(problems.sort()).toEqual([
      'broken.queryPeriod: "5m" is not an ISO 8601 duration',
      'broken.severity: "Critical" not in ["High","Medium","Low","Informational"]',
      'broken: bogus is not a property of the API',
      'broken: required query missing',
    ]);
  });

  it('has the NRT required properties, and only properties the Scheduled API also has (plus subTechniques)', () => {
    problems.length = 0;
    const p = props('nrt_filter');
    for (const name of ['displayName', 'enabled', 'severity', 'query', 'suppressionEnabled', 'suppressionDuration']) expect(p).toHaveProperty(name);
    const { subTechniques, ...rest } = p;
    expect(subTechniques).toEqual(['T1059.004']);
    const scheduled = shape(api.definitions.ScheduledAlertRuleProperties as Schema);
    check(rest, { type: 'object', properties: scheduled.properties }, 'nrt_filter');
    expect(problems).toEqual([]);
  });
});
