import { describe, expect, it } from 'vitest';
import { kibanaBackend } from '../../../src/backends/kibana/index.js';
import type { Program } from '../../../src/ir/types.js';
import { builtinSource } from '../../../src/source/load.js';
import { IDS, ruleSchemaErrors, seedProgram, synthetic } from './helpers.js';
import { emitFiles } from '../../../src/backends/types.js';

const source = builtinSource();

/** What Kibana's rule import needs besides what the schemas require. */
const IMPORT_REQUIRED = ['rule_id', 'name', 'description', 'risk_score', 'severity', 'type', 'query', 'language'];

/** Every Security rule the backend writes for `program`, from the bundle and the per-rule files. */
function emittedRules(program: Program, elasticProfile?: string): Record<string, unknown>[] {
  const out = emitFiles(kibanaBackend, program, source, elasticProfile ? { elasticProfile } : {});
  const bundle = out.files.find((f) => f.path === 'kibana/rules.ndjson')!;
  const lines = bundle.content === '' ? [] : bundle.content.trimEnd().split('\n');
  const files = out.files.filter((f) => f.path.endsWith('.json'));
  expect(files).toHaveLength(lines.length);
  return [...lines.map((l) => JSON.parse(l) as Record<string, unknown>), ...files.map((f) => JSON.parse(f.content) as Record<string, unknown>)];
}

function expectValid(rules: readonly Record<string, unknown>[]): void {
  for (const rule of rules) {
    expect(ruleSchemaErrors(rule), String(rule['name'])).toEqual([]);
    for (const key of IMPORT_REQUIRED) expect(rule, `${String(rule['name'])}: ${key}`).toHaveProperty(key);
  }
}

const SYNTHETIC = [
  synthetic('query_rule', '  schedule: every 15m lookback 20m\n  condition: proc.name in ["nc", "ncat"] nocase and not container.id == "host"', { id: IDS[0] }),
  synthetic(
    'threshold_rule',
    `  attack {
    credential-access: T1003.008
  }
  schedule: every 1m
  suppress: by container.id for 2h
  threshold: count >= 10 by container.id within 5m
  condition: fd.name startswith "/etc/" and evt.type regex "^open"`,
    { id: IDS[1], severity: 'informational' },
  ),
  synthetic(
    'eql_rule',
    `  triage: """
    Check it.
    """
  sequence by hostname, container.id within 30m {
    step one: proc.name == "curl" and proc.cmdline contains "http"
    step two: proc.name endswith "sh" nocase
    step three: fd.name exists
  }`,
    { id: IDS[2] },
  ),
];

describe('every emitted Kibana rule validates against the Kibana rule API schemas', () => {
  it('the seed detections (falcosidekick profile, the default)', () => {
    const rules = emittedRules(seedProgram().program);
    expect(rules).toHaveLength(seedProgram().program.detections.length * 2);
    expectValid(rules);
  });

  it('the seed detections under the elastic-agent profile: valid rules, or DET5001 for what it does not index exactly', () => {
    const { program } = seedProgram();
    expectValid(emittedRules(program, 'elastic-agent'));
    const out = emitFiles(kibanaBackend, program, source, { elasticProfile: 'elastic-agent' });
    // The integration indexes fd.name as analysed text only (no keyword field); process.name and
    // process.command_line are ECS keyword and wildcard fields, which every other seed uses.
    expect(new Set(out.diagnostics.map((d) => d.code))).toEqual(new Set(['DET5001']));
    const refused = new Set(out.diagnostics.map((d) => d.message.match(/detection '([a-z_]+)'/)?.[1]));
    expect([...refused]).toEqual(['etc_shadow_read_untrusted']);
    expect(out.diagnostics.every((d) => d.message.includes('`falco.output_fields.fd.name` is indexed as analysed text only'))).toBe(true);
    const emitted = out.files.filter((f) => f.path.endsWith('.json')).map((f) => f.path.slice('kibana/'.length, -'.json'.length));
    expect([...refused, ...emitted].sort()).toEqual(program.detections.map((d) => d.name));
  });

  it('synthetic query, threshold and EQL detections, under both profiles', () => {
    for (const program of SYNTHETIC) {
      const rules = emittedRules(program);
      expect(rules, program.detections[0]!.name).toHaveLength(2);
      expectValid(rules);
    }
    const types = SYNTHETIC.map((p) => emittedRules(p)[0]!['type']);
    expect(types).toEqual(['query', 'threshold', 'eql']);
    const agent = SYNTHETIC.flatMap((p) => emittedRules(p, 'elastic-agent'));
    expectValid(agent);
  });
});
