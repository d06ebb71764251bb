/**
 * A differential fuzz of the Elastic queries against the reference evaluator, in the real
 * engine: random conditions (nested `and`/`or`/`not` over every operator, case mode and field
 * kind, with values drawn from the same small vocabulary as the events, so they match often)
 * over random Falco alerts (fields present, missing, `null`, upper-cased, lists). Each condition
 * is compiled to a Lucene query string and a query DSL body for each Elastic profile; a condition
 * one of them refuses must be refused by the other (DET5001); for the rest, Apache Lucene's
 * verdict on every alert must equal the evaluator's. The battery (`lucene-engine.test.ts`)
 * checks each operator on tricky values; this checks how they compose.
 *
 * Seeded (`FUZZ_SEED`, `FUZZ_CONDITIONS` to explore further), so a failure names its seed and is
 * replayed exactly. Skips without Java and the Lucene jars locally, fails in CI.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dslQuery, luceneQuery } from '../../src/backends/elastic/query.js';
import { evaluateCondition } from '../../src/eval/condition.js';
import type { CompareOp, Condition, JsonObject, Scalar } from '../../src/ir/types.js';
import type { ElasticProfile } from '../../src/source/types.js';
import { prng } from '../helpers/prng.js';
import { alert, and, cmp, exists, isIn, not, or, source as builtin } from '../eval/ir.js';
import { esDocument, profileMapping } from './es-docs.js';
import { buildHarness, engineAvailability, runEngine, type EngineRequest, type EngineResponse } from './harness.js';

const availability = engineAvailability();
const inCI = process.env.CI === 'true' || process.env.CI === '1';
const run = availability.ok || inCI;

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const CONDITIONS = Number(process.env.FUZZ_CONDITIONS ?? 1500);
const EVENTS = 240;

/** Values shared by conditions and events: words, prefixes and suffixes of each other, case variants, query syntax. */
const WORDS = ['bash', 'Bash', 'BASH', 'sh', 'ba', 'kubectl', 'kubectl get secrets', 'get secrets', '/etc/shadow', '/etc', 'shadow', 'nc -e /bin/sh', 'a b', 'x*y', 'a:b', 'é', 'É'];
const RULES = ['Terminal shell in container', 'Kubernetes Client Tool Launched in Container', 'The docker client is executed in a container', 'Read sensitive file untrusted'];
const REGEXES = ['^ba', 'sh$', 'b.sh', '^(kubectl|nc) ', 'secret', '[a-c]+', '^/etc/[a-z]+$', 'a b', 'é'];
const TAGS = ['container', 'shell', 'mitre_execution', 'T1059.004', 'Container'];
const STRING_FIELDS = ['proc.cmdline', 'proc.name', 'proc.pname', 'fd.name', 'k8s.ns.name', 'container.image.repository'];
const STRING_OPS: CompareOp[] = ['eq', 'ne', 'contains', 'startswith', 'endswith', 'regex'];
const NUMBER_OPS: CompareOp[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];

type Random = () => number;
const pick = <T>(rand: Random, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

function atom(rand: Random): Condition {
  const r = rand();
  if (r < 0.55) {
    const f = pick(rand, STRING_FIELDS);
    const cased = rand() < 0.6;
    const k = rand();
    if (k < 0.1) return exists(f);
    if (k < 0.25) return isIn(f, [pick(rand, WORDS), pick(rand, WORDS)], cased);
    const op = pick(rand, STRING_OPS);
    return cmp(op, f, op === 'regex' ? pick(rand, REGEXES) : pick(rand, WORDS), cased);
  }
  if (r < 0.7) {
    const k = rand();
    if (k < 0.15) return isIn('rule', [pick(rand, RULES), pick(rand, RULES)], rand() < 0.7);
    if (k < 0.25) return exists('rule');
    return cmp(pick(rand, ['eq', 'ne', 'contains', 'startswith'] as const), 'rule', pick(rand, [...RULES, 'docker', 'Kubernetes', 'shell']), rand() < 0.7);
  }
  if (r < 0.85) {
    const k = rand();
    if (k < 0.1) return exists('proc.pid');
    if (k < 0.2) return isIn('proc.pid', [pick(rand, [1, 41, 42, 100]), pick(rand, [0, 42, 7.5])]);
    return cmp(pick(rand, NUMBER_OPS), 'proc.pid', pick(rand, [0, 1, 41, 41.5, 42, 100, -3]));
  }
  if (r < 0.93) return rand() < 0.2 ? exists('container.privileged') : cmp(pick(rand, ['eq', 'ne'] as const), 'container.privileged', rand() < 0.5);
  return rand() < 0.7 ? cmp('eq', 'tags', pick(rand, TAGS), rand() < 0.8) : isIn('tags', [pick(rand, TAGS), pick(rand, TAGS)]);
}

function condition(rand: Random, depth: number): Condition {
  const r = rand();
  if (depth <= 0 || r < 0.3) return atom(rand);
  if (r < 0.45) return not(condition(rand, depth - 1));
  const args = Array.from({ length: 2 + Math.floor(rand() * 2) }, () => condition(rand, depth - 1));
  return r < 0.75 ? and(...args) : or(...args);
}

/** A field's value in an event: absent, null, or a word (sometimes upper-cased). */
function stringValue(rand: Random): string | null | undefined {
  const r = rand();
  if (r < 0.2) return undefined;
  if (r < 0.3) return null;
  const w = pick(rand, WORDS);
  return rand() < 0.1 ? w.toUpperCase() : rand() < 0.15 ? `${w} ${pick(rand, WORDS)}` : w;
}

function event(rand: Random): JsonObject {
  const fields: Record<string, unknown> = {};
  for (const f of STRING_FIELDS) {
    const v = stringValue(rand);
    if (v !== undefined) fields[f] = v;
  }
  const pid = rand();
  if (pid < 0.75) fields['proc.pid'] = pick(rand, [0, 1, 41, 42, 43, 100, -3, 7]);
  else if (pid < 0.85) fields['proc.pid'] = null;
  const priv = rand();
  if (priv < 0.7) fields['container.privileged'] = rand() < 0.5;
  else if (priv < 0.8) fields['container.privileged'] = null;
  const top: Record<string, unknown> = {};
  if (rand() < 0.9) top.rule = pick(rand, RULES);
  if (rand() < 0.8) top.tags = Array.from({ length: Math.floor(rand() * 3) }, () => pick(rand, TAGS));
  return alert(top, fields);
}

interface Case {
  readonly index: number;
  readonly condition: Condition;
  readonly lucene: string;
  readonly dsl: unknown;
}

interface Pool {
  readonly profile: ElasticProfile;
  readonly cases: Case[];
  /** Conditions compiled by one of the two builders and refused by the other. */
  readonly split: string[];
  readonly refused: number;
}

const rand = prng(SEED);
const conditions = Array.from({ length: CONDITIONS }, () => condition(rand, 3));
const events = Array.from({ length: EVENTS }, () => event(rand));

function compilePool(profile: ElasticProfile): Pool {
  const cases: Case[] = [];
  const split: string[] = [];
  let refused = 0;
  for (const [index, c] of conditions.entries()) {
    const where = { detection: `fuzz_${index}` };
    const l = luceneQuery(c, profile, builtin, where).query;
    const d = dslQuery(c, profile, builtin, where).query;
    if ((l === undefined) !== (d === undefined)) split.push(`#${index}: lucene ${l === undefined ? 'refused' : 'compiled'}, dsl ${d === undefined ? 'refused' : 'compiled'}: ${JSON.stringify(c)}`);
    if (l === undefined || d === undefined) refused++;
    else cases.push({ index, condition: c, lucene: l, dsl: d });
  }
  return { profile, cases, split, refused };
}

const pools = run ? Object.keys(builtin.elastic.profiles).sort().map((p) => compilePool(builtin.elastic.profiles[p]!)) : [];

describe.runIf(run)(`differential fuzz of the Elastic queries (seed ${SEED}, ${CONDITIONS} conditions, ${EVENTS} events)`, () => {
  let responses: Map<string, EngineResponse>;

  beforeAll(() => {
    if (!availability.ok) throw new Error(`the engine tests need Java and the Lucene jars: ${availability.reason}`);
    const requests: EngineRequest[] = pools.map((pool) => {
      const docs = events.map((e) => esDocument(e, pool.profile, builtin));
      if (docs.some((d) => d === undefined)) throw new Error('an event Elasticsearch would reject: a test bug');
      return {
        id: pool.profile.name,
        fields: profileMapping(pool.profile),
        docs: docs as NonNullable<(typeof docs)[number]>[],
        queries: pool.cases.flatMap((c) => [{ lucene: c.lucene }, { dsl: c.dsl }]),
      };
    });
    responses = runEngine(buildHarness(availability.jars), requests);
  }, 120_000);

  for (const pool of pools) {
    describe(`profile ${pool.profile.name}`, () => {
      it('refuses a condition in both forms or in neither', () => {
        expect(pool.split).toEqual([]);
      });

      it('compiles most conditions (the refusals are what the profile cannot index exactly)', () => {
        expect(pool.cases.length).toBeGreaterThan(CONDITIONS / 3);
      });

      it('gives, in Apache Lucene, the evaluator verdict on every event, for every condition, in both forms', () => {
        const response = responses.get(pool.profile.name)!;
        expect(response.error).toBeUndefined();
        const out: string[] = [];
        let matched = 0;
        for (const [ci, c] of pool.cases.entries()) {
          const expected = events.map((e) => evaluateCondition(c.condition, e, builtin));
          matched += expected.filter(Boolean).length;
          for (const [k, form] of ['lucene', 'dsl'].entries()) {
            const result = response.results![2 * ci + k]!;
            if (result.error) {
              out.push(`#${c.index} ${form}: engine error ${result.error}`);
              continue;
            }
            const engine = new Set(result.matches);
            const wrong = expected.flatMap((x, i) => (engine.has(i) !== x ? [i] : []));
            if (wrong.length > 0 && out.length < 20) {
              const i = wrong[0]!;
              out.push(
                `#${c.index} ${form} (seed ${SEED}): ${wrong.length} event(s) differ, e.g. #${i}: evaluator ${expected[i]}, engine ${engine.has(i)}\n` +
                  `  condition ${JSON.stringify(c.condition, (key, v: unknown) => (key === 'span' ? undefined : v))}\n` +
                  `  query ${form === 'lucene' ? c.lucene : JSON.stringify(c.dsl)}\n  event ${JSON.stringify(events[i])}`,
              );
            }
          }
        }
        expect(out).toEqual([]);
        // the events are not all matched or all missed: the comparison says something
        const verdicts = pool.cases.length * events.length;
        expect(matched).toBeGreaterThan(verdicts / 20);
        expect(matched).toBeLessThan((verdicts * 19) / 20);
      });
    });
  }
});
