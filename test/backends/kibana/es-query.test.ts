import { describe, expect, it } from 'vitest';
import { dslQuery } from '../../../src/backends/elastic/query.js';
import { esQueryRule, timeWindow } from '../../../src/backends/kibana/es-query-rule.js';
import { kibanaBackend, kibanaQueries } from '../../../src/backends/kibana/index.js';
import type { Program } from '../../../src/ir/types.js';
import { builtinSource } from '../../../src/source/load.js';
import { only, seedProgram, synthetic } from './helpers.js';
import { emitFiles } from '../../../src/backends/types.js';

const source = builtinSource();
const sidekick = source.elastic.profiles['falcosidekick']!;

function esRule(program: Program): Record<string, unknown> & { params: Record<string, unknown> } {
  const r = esQueryRule(only(program), sidekick, source, kibanaQueries);
  expect(r.diagnostics).toEqual([]);
  return r.rule as unknown as Record<string, unknown> & { params: Record<string, unknown> };
}

/** The Kibana target's files for `program`, by path. */
function kibanaFiles(program: Program): Map<string, string> {
  const out = emitFiles(kibanaBackend, program, source, {});
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return new Map(out.files.map((f) => [f.path, f.content]));
}

/** The documented `.es-query` params of the query DSL variant, with their JSON types. */
const PARAM_TYPES: Record<string, string> = {
  searchType: 'string',
  esQuery: 'string',
  index: 'object',
  timeField: 'string',
  timeWindowSize: 'number',
  timeWindowUnit: 'string',
  threshold: 'object',
  thresholdComparator: 'string',
  size: 'number',
  aggType: 'string',
  groupBy: 'string',
  excludeHitsFromPreviousRun: 'boolean',
  termField: 'string|object',
  termSize: 'number',
};

function checkBody(rule: Record<string, unknown> & { params: Record<string, unknown> }): void {
  expect(Object.keys(rule).sort()).toEqual(['actions', 'consumer', 'enabled', 'name', 'params', 'rule_type_id', 'schedule', 'tags']);
  expect(rule['rule_type_id']).toBe('.es-query');
  for (const [key, value] of Object.entries(rule.params)) {
    expect(PARAM_TYPES[key], `documented param ${key}`).toBeDefined();
    expect(PARAM_TYPES[key]!.split('|'), key).toContain(typeof value);
  }
  expect(['s', 'm', 'h', 'd']).toContain(rule.params['timeWindowUnit']);
  expect(Number.isInteger(rule.params['timeWindowSize'])).toBe(true);
}

describe('.es-query rules', () => {
  it('turn a seed detection into a query DSL rule alerting on one match in the lookback', () => {
    const { program } = seedProgram();
    const det = program.detections.find((d) => d.name === 'etc_shadow_read_untrusted')!;
    const r = esQueryRule(det, sidekick, source, kibanaQueries).rule!;
    checkBody(r as unknown as Record<string, unknown> & { params: Record<string, unknown> });
    expect(r).toMatchObject({
      name: det.title,
      consumer: 'stackAlerts',
      enabled: true,
      schedule: { interval: '1m' },
      tags: det.tags,
      actions: [],
      params: {
        searchType: 'esQuery',
        index: ['falco-*'],
        timeField: '@timestamp',
        timeWindowSize: 2,
        timeWindowUnit: 'm',
        threshold: [1],
        thresholdComparator: '>=',
        size: 100,
        aggType: 'count',
        groupBy: 'all',
        excludeHitsFromPreviousRun: true,
      },
    });
    if (det.match.kind !== 'filter') throw new Error('seed is a filter');
    const expected = dslQuery(det.match.condition, sidekick, source, { detection: det.name }).query;
    expect(JSON.parse(r.params.esQuery)).toEqual({ query: expected });
  });

  it('look back one minute beyond the schedule for a filter (ingestion delay; previous hits excluded), not for a threshold', () => {
    const filter = esRule(synthetic('f', '  schedule: every 5m\n  condition: proc.name == "sh"'));
    expect(filter.params).toMatchObject({ timeWindowSize: 6, timeWindowUnit: 'm', excludeHitsFromPreviousRun: true });
    expect(filter.schedule).toEqual({ interval: '5m' });
    const threshold = esRule(synthetic('t', '  schedule: every 5m\n  threshold: count >= 4 within 5m\n  condition: proc.name == "sh"'));
    expect(threshold.params).toMatchObject({ timeWindowSize: 5, timeWindowUnit: 'm' });
  });

  it('count a threshold over its window, grouped by the threshold keys', () => {
    const one = esRule(synthetic('t', '  schedule: every 1m\n  threshold: count >= 4 by container.id within 10m\n  condition: proc.name == "sh"'));
    checkBody(one);
    expect(one.params).toMatchObject({
      threshold: [4],
      thresholdComparator: '>=',
      timeWindowSize: 10,
      timeWindowUnit: 'm',
      groupBy: 'top',
      termField: 'output_fields.container.id.keyword',
      termSize: 100,
      excludeHitsFromPreviousRun: false,
    });
    const two = esRule(synthetic('t', '  schedule: every 1m\n  threshold: count >= 4 by hostname, container.id within 1h\n  condition: proc.name == "sh"'));
    expect(two.params).toMatchObject({ termField: ['hostname.keyword', 'output_fields.container.id.keyword'], timeWindowSize: 1, timeWindowUnit: 'h' });
    const none = esRule(synthetic('t', '  schedule: every 1m\n  threshold: count >= 4 within 90s\n  condition: proc.name == "sh"'));
    expect(none.params).toMatchObject({ groupBy: 'all', timeWindowSize: 90, timeWindowUnit: 's' });
    expect(none.params).not.toHaveProperty('termField');
  });

  it('leave a threshold by more than 4 fields out, with a DET5005 warning at the threshold (Kibana takes 4 termField entries)', () => {
    const by = (keys: string) => synthetic('t', `  schedule: every 1m\n  threshold: count >= 3 by ${keys} within 10m\n  condition: proc.name == "sh"`);
    const four = esRule(by('hostname, container.id, proc.name, user.name'));
    expect((four.params['termField'] as string[]).length).toBe(4);
    const program = by('hostname, container.id, proc.name, user.name, proc.pid');
    const r = esQueryRule(only(program), sidekick, source, kibanaQueries);
    expect(r.rule).toBeUndefined();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: 'DET5005', severity: 'warning', message: expect.stringMatching(/left out of es-query-rules.ndjson: an .es-query rule groups by at most 4 fields, the threshold by 5/) }),
    ]);
    const match = only(program).match;
    expect(match.kind === 'threshold' && r.diagnostics[0]!.span!.start.line === match.span?.start.line).toBe(true);
    // the Security threshold rule is still written, and the warning does not stop the backend
    const files = kibanaFiles(program);
    expect(files.has('kibana/t.json')).toBe(true);
    expect(files.get('kibana/es-query-rules.ndjson')).toBe('');
    // with 6 keys the Security rule is refused (DET5001): no DET5005 saying it is written
    const six = emitFiles(kibanaBackend, by('hostname, container.id, proc.name, user.name, proc.pid, proc.pname'), source, {});
    expect(six.diagnostics.map((d) => d.code)).toEqual(['DET5001']);
  });

  it('leave sequences out without an error', () => {
    const r = esQueryRule(
      only(synthetic('s', '  sequence within 1m {\n    step a: proc.name == "a"\n    step b: proc.name == "b"\n  }')),
      sidekick,
      source,
      kibanaQueries,
    );
    expect(r).toEqual({ diagnostics: [] });
  });

  it('write time windows in the largest exact unit', () => {
    expect(timeWindow(45)).toEqual({ size: 45, unit: 's' });
    expect(timeWindow(120)).toEqual({ size: 2, unit: 'm' });
    expect(timeWindow(10800)).toEqual({ size: 3, unit: 'h' });
    expect(timeWindow(86400 * 2)).toEqual({ size: 2, unit: 'd' });
  });
});
