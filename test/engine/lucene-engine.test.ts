/**
 * The Elastic queries executed by the real engine: Apache Lucene (Debian's liblucene8-java)
 * indexes Falco alerts the way Elasticsearch maps them under each Elastic profile, then runs
 * each Lucene query string (parsed like Elasticsearch's query_string) and each query DSL body
 * (built clause by clause like Elasticsearch builds it). For every condition and every event,
 * the engine's verdict must equal the reference evaluator's. One JVM runs the whole batch.
 *
 * Without Java or the Lucene jars the tests are skipped locally (with the reason) and fail in
 * CI (CI=true).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventConditions } from '../../src/backends/elastic/conditions.js';
import { dslQuery, luceneQuery } from '../../src/backends/elastic/query.js';
import { evaluateCondition } from '../../src/eval/condition.js';
import type { Condition, JsonObject } from '../../src/ir/types.js';
import type { ElasticProfile } from '../../src/source/types.js';
import { batteryConditions, batteryEvents, cmp, exists, source as builtin, TRICKY } from './battery.js';
import { esDocument, profileMapping } from './es-docs.js';
import { buildHarness, engineAvailability, runEngine, type EngineRequest, type EngineResponse } from './harness.js';
import { PROJECT_DIR, seedProgram } from './seeds.js';
import { SHARED_DIR } from '../helpers/shared.js';

const availability = engineAvailability();
const inCI = process.env.CI === 'true' || process.env.CI === '1';
const run = availability.ok || inCI;

if (!run) {
  console.warn(`engine tests skipped: ${availability.ok ? '' : availability.reason}`);
}

interface Case {
  readonly name: string;
  readonly condition: Condition;
  readonly lucene?: string;
  readonly dsl?: unknown;
}

interface Pool {
  readonly id: string;
  readonly profile: ElasticProfile;
  readonly events: JsonObject[];
  readonly cases: Case[];
  /** Conditions no target compiled (DET5001), by name. */
  readonly refused: string[];
}

function readNdjson(path: string): JsonObject[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as JsonObject);
}

/** Real Falco alerts: the repository's fixtures, plus the shared reference set when present. */
function sampleAlerts(): JsonObject[] {
  const shared = `${SHARED_DIR}reference/falco/sample-alerts.ndjson`;
  return [
    ...readNdjson(join(PROJECT_DIR, 'test/fixtures/falco/sample-alerts.ndjson')),
    ...(existsSync(shared) ? readNdjson(shared) : []),
  ];
}

const samples = sampleAlerts();

/** Every test event of every seed detection. */
function seedEvents(): JsonObject[] {
  const { program } = seedProgram();
  return program.detections.flatMap((d) => d.tests.flatMap((t) => t.events));
}

function compileCases(profile: ElasticProfile, named: { name: string; condition: Condition }[]): { cases: Case[]; refused: string[] } {
  const cases: Case[] = [];
  const refused: string[] = [];
  for (const { name, condition } of named) {
    const where = { detection: name };
    const l = luceneQuery(condition, profile, builtin, where);
    const d = dslQuery(condition, profile, builtin, where);
    expect(l.query === undefined, `lucene and esdsl agree on refusing ${name}`).toBe(d.query === undefined);
    if (l.query === undefined || d.query === undefined) refused.push(name);
    else cases.push({ name, condition, lucene: l.query, dsl: d.query });
  }
  return { cases, refused };
}

function pools(): Pool[] {
  const { program } = seedProgram();
  const out: Pool[] = [];
  for (const profileName of Object.keys(builtin.elastic.profiles).sort()) {
    const profile = builtin.elastic.profiles[profileName]!;
    const seeds = program.detections.flatMap((d) =>
      eventConditions(d).map((c) => ({ name: `seed ${d.name}${c.step ? ` step ${c.step}` : ''}`, condition: c.condition })),
    );
    const compiled = compileCases(profile, [...seeds, ...batteryConditions()]);
    out.push({ id: `pool:${profileName}`, profile, events: [...seedEvents(), ...samples, ...batteryEvents()], ...compiled });
  }
  return out;
}

function request(pool: Pool): EngineRequest {
  const docs = pool.events.map((e) => esDocument(e, pool.profile, builtin));
  const rejected = docs.flatMap((d, i) => (d === undefined ? [i] : []));
  if (rejected.length > 0) throw new Error(`${pool.id}: Elasticsearch would reject events ${rejected.join(', ')}`);
  return {
    id: pool.id,
    fields: profileMapping(pool.profile),
    docs: docs as NonNullable<(typeof docs)[number]>[],
    queries: pool.cases.flatMap((c) => [{ lucene: c.lucene! }, { dsl: c.dsl }]),
  };
}

/** Events where the engine and the evaluator disagree, described for the failure message. */
function disagreements(pool: Pool, c: Case, matches: number[] | undefined, target: string): string[] {
  const engine = new Set(matches);
  const out: string[] = [];
  pool.events.forEach((event, i) => {
    const expected = evaluateCondition(c.condition, event, builtin);
    if (engine.has(i) !== expected) {
      out.push(`${target} event #${i}: evaluator ${expected}, engine ${engine.has(i)}: ${JSON.stringify(event).slice(0, 160)}`);
    }
  });
  return out;
}

const allPools = run ? pools() : [];

/** Escaping: `proc.cmdline == v` must parse to exactly one term holding v. */
const escapeProfile = builtin.elastic.profiles[builtin.elastic.defaultProfile]!;
const escapeValues = TRICKY.filter((v) => v !== '');
const escapeQueries = escapeValues.map((v) => luceneQuery(cmp('eq', 'proc.cmdline', v), escapeProfile, builtin, { detection: 'escape' }).query!);
const fieldNameQuery = luceneQuery(cmp('eq', 'proc.aname[2]', 'a b'), escapeProfile, builtin, { detection: 'escape' }).query!;
const existsNameQuery = luceneQuery(exists('proc.aname[2]'), escapeProfile, builtin, { detection: 'escape' }).query!;

/** Known limitation (README): values over the keyword field's ignore_above are invisible there. */
const LONG = `kubectl get secrets ${'x'.repeat(300)}`;
/** elastic-agent: a wildcard field (process.command_line) keeps it; a keyword field (1,024) does not. */
const agentProfile = builtin.elastic.profiles['elastic-agent']!;
const LONGER = `nc -e /bin/sh ${'x'.repeat(2000)}`;
const longerEvent: JsonObject = { rule: 'r', output_fields: { 'proc.cmdline': LONGER, 'proc.pcmdline': LONGER, 'proc.name': LONGER } };
const agentLimitCases = [
  { name: 'wildcard: == the 2,014-character value', condition: cmp('eq', 'proc.cmdline', LONGER), expectSame: true },
  { name: 'wildcard: contains', condition: cmp('contains', 'proc.cmdline', '/bin/sh'), expectSame: true },
  { name: 'wildcard: startswith nocase', condition: cmp('startswith', 'proc.pcmdline', 'NC -E', false), expectSame: true },
  { name: 'wildcard: regex', condition: cmp('regex', 'proc.cmdline', '^nc -e .*x$'), expectSame: true },
  { name: 'keyword: contains on a value over ignore_above', condition: cmp('contains', 'proc.name', 'nc'), expectSame: false },
];
const limitCases = [
  { name: 'eq short value', condition: cmp('eq', 'proc.cmdline', 'kubectl get secrets'), expectSame: true },
  { name: 'ne short value', condition: cmp('ne', 'proc.cmdline', 'kubectl get secrets'), expectSame: true },
  { name: 'exists', condition: exists('proc.cmdline'), expectSame: true },
  { name: 'contains on a long value', condition: cmp('contains', 'proc.cmdline', 'kubectl'), expectSame: false },
];

describe.runIf(run)('Elastic queries in Apache Lucene', () => {
  let responses: Map<string, EngineResponse>;

  beforeAll(() => {
    if (!availability.ok) throw new Error(`the engine tests need Java and the Lucene jars: ${availability.reason}`);
    const classpath = buildHarness(availability.jars);
    const requests: EngineRequest[] = allPools.map(request);
    requests.push({
      id: 'escape',
      fields: profileMapping(escapeProfile),
      docs: escapeValues.map((v) => ({ 'output_fields.proc.cmdline': [v], 'output_fields.proc.cmdline.keyword': [v] })),
      queries: [...escapeQueries.map((q) => ({ lucene: q })), { lucene: fieldNameQuery }, { lucene: existsNameQuery }],
    });
    const longEvent: JsonObject = { rule: 'r', output_fields: { 'proc.cmdline': LONG } };
    requests.push({
      id: 'limits',
      fields: profileMapping(escapeProfile),
      docs: [esDocument(longEvent, escapeProfile, builtin)!],
      queries: limitCases.flatMap((c) => {
        const where = { detection: 'limits' };
        return [{ lucene: luceneQuery(c.condition, escapeProfile, builtin, where).query! }, { dsl: dslQuery(c.condition, escapeProfile, builtin, where).query }];
      }),
    });
    requests.push({
      id: 'agent-limits',
      fields: profileMapping(agentProfile),
      docs: [esDocument(longerEvent, agentProfile, builtin)!],
      queries: agentLimitCases.flatMap((c) => {
        const where = { detection: 'agent-limits' };
        return [{ lucene: luceneQuery(c.condition, agentProfile, builtin, where).query! }, { dsl: dslQuery(c.condition, agentProfile, builtin, where).query }];
      }),
    });
    responses = runEngine(classpath, requests);
  });

  for (const pool of allPools) {
    describe(`profile ${pool.profile.name}`, () => {
      it('indexes every event and runs every query without an error', () => {
        const r = responses.get(pool.id)!;
        expect(r.error).toBeUndefined();
        const errors = r.results!.flatMap((x, i) => (x.error ? [`${pool.cases[i >> 1]!.name} (${i % 2 ? 'dsl' : 'lucene'}): ${x.error}`] : []));
        expect(errors).toEqual([]);
      });

      const seedCases = pool.cases.filter((c) => c.name.startsWith('seed '));
      for (const [ci, c] of pool.cases.entries()) {
        if (!c.name.startsWith('seed ')) continue;
        it(`${c.name}: engine verdict = evaluator verdict on every event (Lucene and DSL)`, () => {
          const results = responses.get(pool.id)!.results!;
          expect([
            ...disagreements(pool, c, results[2 * ci]!.matches, 'lucene'),
            ...disagreements(pool, c, results[2 * ci + 1]!.matches, 'dsl'),
          ]).toEqual([]);
        });
      }
      if (pool.profile.name === builtin.elastic.defaultProfile) {
        it('compiles every seed detection', () => {
          expect(seedCases.length).toBe(seedProgram().program.detections.length);
        });
      }

      it('agrees with the evaluator on the whole battery', () => {
        const results = responses.get(pool.id)!.results!;
        const out: string[] = [];
        for (const [ci, c] of pool.cases.entries()) {
          if (c.name.startsWith('seed ')) continue;
          for (const m of [
            ...disagreements(pool, c, results[2 * ci]!.matches, 'lucene'),
            ...disagreements(pool, c, results[2 * ci + 1]!.matches, 'dsl'),
          ]) {
            out.push(`${c.name} [${c.lucene}]: ${m}`);
          }
        }
        expect(out).toEqual([]);
      });

      it('checks most of the battery (refusals are few and deliberate)', () => {
        const battery = pool.cases.filter((c) => !c.name.startsWith('seed ')).length;
        if (pool.profile.name === builtin.elastic.defaultProfile) {
          expect(pool.refused.filter((n) => !n.startsWith('seed '))).toEqual(expectedRefusals);
          expect(battery).toBeGreaterThan(900);
        } else if (pool.profile.name === 'elastic-agent') {
          // proc.cmdline is the ECS wildcard field process.command_line: the whole battery runs on it
          expect(pool.refused.filter((n) => !n.startsWith('seed '))).toEqual(expectedAgentRefusals);
          expect(battery).toBeGreaterThan(900);
          expect(pool.refused.filter((n) => n.startsWith('seed '))).toEqual(['seed etc_shadow_read_untrusted']);
        } else {
          expect(battery).toBeGreaterThan(30);
        }
      });
    });
  }

  it('escapes values: each `==` query parses to exactly one term holding the original value', () => {
    const r = responses.get('escape')!;
    expect(r.error).toBeUndefined();
    escapeValues.forEach((v, i) => {
      const x = r.results![i]!;
      expect(x.error, `${escapeQueries[i]}`).toBeUndefined();
      expect({ type: x.type, terms: x.terms, matches: x.matches }, escapeQueries[i]).toEqual({
        type: 'TermQuery',
        terms: [['output_fields.proc.cmdline.keyword', v]],
        matches: [i],
      });
    });
  });

  it('escapes field names with special characters', () => {
    const r = responses.get('escape')!.results!;
    const byName = r[escapeValues.length]!;
    expect(fieldNameQuery).toBe('output_fields.proc.aname\\[2\\].keyword:"a b"');
    expect({ type: byName.type, terms: byName.terms }).toEqual({ type: 'TermQuery', terms: [['output_fields.proc.aname[2].keyword', 'a b']] });
    const ex = r[escapeValues.length + 1]!;
    expect(ex.error).toBeUndefined();
    expect(ex.query).toContain('output_fields.proc.aname[2]');
  });

  it('long values: exact for ==, != and exists; contains cannot see values over ignore_above (documented)', () => {
    const r = responses.get('limits')!.results!;
    const event: JsonObject = { rule: 'r', output_fields: { 'proc.cmdline': LONG } };
    limitCases.forEach((c, i) => {
      const expected = evaluateCondition(c.condition, event, builtin);
      for (const x of [r[2 * i]!, r[2 * i + 1]!]) {
        expect(x.error).toBeUndefined();
        const engine = x.matches!.length === 1;
        if (c.expectSame) expect(engine, c.name).toBe(expected);
        else expect({ engine, expected }, c.name).toEqual({ engine: false, expected: true });
      }
    });
  });

  it('elastic-agent long values: a wildcard field finds a 2,014-character value, a keyword field (ignore_above 1024) does not (documented)', () => {
    const r = responses.get('agent-limits')!.results!;
    agentLimitCases.forEach((c, i) => {
      const expected = evaluateCondition(c.condition, longerEvent, builtin);
      expect(expected, c.name).toBe(true);
      for (const x of [r[2 * i]!, r[2 * i + 1]!]) {
        expect(x.error, c.name).toBeUndefined();
        expect(x.matches!.length === 1, c.name).toBe(c.expectSame);
      }
    });
  });
});

/** Battery conditions the default profile refuses, each for a stated reason (see test/backends). */
const expectedRefusals = [
  // Lower-casing U+0130 gives "i̇" (two code points): no per-character match reproduces it.
  '#24 == nocase',
  '#24 != nocase',
  '#24 contains nocase',
  '#24 startswith nocase',
  '#24 endswith nocase',
  '#24 in nocase',
  'pname #24 != nocase',
  'pname #24 contains nocase',
  // A Greek sigma lower-cases by context (validation refuses it first, DET3030).
  ...[55, 56].flatMap((i) => [
    `#${i} == nocase`,
    `#${i} != nocase`,
    `#${i} contains nocase`,
    `#${i} startswith nocase`,
    `#${i} endswith nocase`,
    `#${i} in nocase`,
    `pname #${i} != nocase`,
    `pname #${i} contains nocase`,
  ]),
  'regex 40 "\\\\bword"',
  'regex 40 "\\\\bword" nocase',
  'not regex 40',
  'regex 41 "a^b"',
  'regex 41 "a^b" nocase',
  'not regex 41',
  'regex 42 "(^a)"',
  'regex 42 "(^a)" nocase',
  'not regex 42',
  'regex 43 "a$b"',
  'regex 43 "a$b" nocase',
  'not regex 43',
];

/** Battery conditions elastic-agent refuses: the default profile's, and fields it does not index exactly. */
const expectedAgentRefusals = [
  ...expectedRefusals,
  // removed by the integration's pipeline (falco.output_fields.proc.aname[2] to [7])
  'aname[2] == runc',
  'aname[2] exists',
  'aname[2] == runc nocase',
  // falco.output_fields.fd.name and .evt.type: analysed text only (the package's fields.yml)
  'fd.name == /etc/shadow',
  'evt.type in',
  // process.group.*: keyword in the alerts stream, text in alerts_agent (where Elastic Agent's alerts go)
  'group.gid == 0',
  'group.gid != 0',
  'group.gid in',
  'group.gid exists',
  'group.name == root',
];
