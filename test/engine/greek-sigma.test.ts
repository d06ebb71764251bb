/**
 * `nocase` and the Greek sigma, in the real engine. The evaluator lower-cases whole strings
 * (`toLowerCase()`), which turns Σ into final ς at the end of a word and into σ elsewhere; the
 * Elastic translation matches character by character. So a value holding Σ, σ or ς is refused
 * (DET3030 in validation, and by the Elastic translation itself), and this test shows why: the
 * per-character query the translation would write disagrees with the evaluator on the brief
 * cases. Values without a sigma, and `regex … nocase` (JavaScript's `iu`, which folds σ, ς and
 * Σ together per character), must agree with the evaluator on text full of sigmas.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lowerClass } from '../../src/backends/elastic/lower-case.js';
import { regexClassText, regexLiteral } from '../../src/backends/elastic/lucene-regex.js';
import { dslQuery, luceneQuery } from '../../src/backends/elastic/query.js';
import { evaluateCondition } from '../../src/eval/condition.js';
import type { CompareOp, Condition, JsonObject } from '../../src/ir/types.js';
import { cmp, isIn, source } from './battery.js';
import { esDocument, profileMapping } from './es-docs.js';
import { buildHarness, engineAvailability, runEngine, type EngineQuery } from './harness.js';

const availability = engineAvailability();
const inCI = process.env.CI === 'true' || process.env.CI === '1';
const run = availability.ok || inCI;
if (!run) console.warn(`engine tests skipped: ${availability.ok ? '' : availability.reason}`);

const profile = source.elastic.profiles[source.elastic.defaultProfile]!;
const FIELD = 'output_fields.proc.cmdline.keyword';
const TEXTS = ['ΟΔΟΣ', 'οδος', 'οδοσ', 'ΟΔΟς', 'ΑΣ', 'ΑΣ Β', 'ΟΣ', 'ος', 'Σ', 'σ', 'ς', 'ΣΑ', 'ΑΣΑ', 'ΑΣ1', 'Ά\u0301Σ', 'kubectl'];
const events: JsonObject[] = TEXTS.map((t) => ({ rule: 'r', output_fields: { 'proc.cmdline': t } }));

/** The per-character query the translation would write for a sigma value (what it refuses). */
function perCharacter(op: 'eq' | 'contains' | 'endswith', value: string): string {
  const body = [...value.toLowerCase()].map((c) => regexClassText(lowerClass(c.codePointAt(0)!)) ?? regexLiteral(c.codePointAt(0)!)).join('');
  return `${FIELD}:/${op === 'eq' ? body : op === 'endswith' ? `.*${body}` : `.*${body}.*`}/`;
}

/** The brief's cases, each with an event where the per-character query and the evaluator disagree. */
const REFUSED: { op: 'eq' | 'contains' | 'endswith'; value: string; text: string; evaluator: boolean }[] = [
  { op: 'eq', value: 'ΟΔΟΣ', text: 'ΟΔΟΣ', evaluator: true },
  { op: 'contains', value: 'σ', text: 'ΑΣ', evaluator: false },
  { op: 'endswith', value: 'ς', text: 'ΟΔΟΣ', evaluator: true },
  { op: 'contains', value: 'Σ', text: 'ΑΣ Β', evaluator: false },
];

/** Must compile and agree with the evaluator on every text. */
const EXACT: { name: string; condition: Condition }[] = [
  ...(['contains', 'eq', 'startswith', 'endswith', 'ne'] as CompareOp[]).flatMap((op) =>
    ['ο', 'Α', 'ΟΔΟ', 'δο'].map((v) => ({ name: `${op} "${v}" nocase`, condition: cmp(op, 'proc.cmdline', v, false) })),
  ),
  { name: 'in ["Α", "ΟΔΟ"] nocase', condition: isIn('proc.cmdline', ['Α', 'ΟΔΟ'], false) },
  ...['σ', 'ς$', '^ΟΔΟΣ$', '[σ]', '[^σ]', 'Σ\\s', '[α-ω]$', 'ΟΔΟς'].map((r) => ({ name: `regex ${JSON.stringify(r)} nocase`, condition: cmp('regex', 'proc.cmdline', r, false) })),
];

describe.runIf(run)('nocase and the Greek sigma (engine)', () => {
  let results: { matches?: number[]; error?: string }[] = [];
  const queries: EngineQuery[] = [];

  beforeAll(() => {
    if (!availability.ok) throw new Error(`engine unavailable in CI: ${availability.reason}`);
    for (const r of REFUSED) queries.push({ lucene: perCharacter(r.op, r.value) });
    for (const e of EXACT) {
      const where = { detection: 'sigma' };
      queries.push({ lucene: luceneQuery(e.condition, profile, source, where).query ?? '' }, { dsl: dslQuery(e.condition, profile, source, where).query ?? {} });
    }
    const docs = events.map((e) => esDocument(e, profile, source)!);
    const r = runEngine(buildHarness(availability.jars), [{ id: 'sigma', fields: profileMapping(profile), docs, queries }]).get('sigma')!;
    expect(r.error).toBeUndefined();
    results = r.results!;
  }, 300_000);

  it('a per-character query disagrees with the evaluator on the brief cases, so the compiler refuses them', () => {
    REFUSED.forEach((r, i) => {
      const condition = cmp(r.op, 'proc.cmdline', r.value, false);
      const at = TEXTS.indexOf(r.text);
      expect(evaluateCondition(condition, events[at]!, source), `${r.op} ${r.value} on ${r.text}`).toBe(r.evaluator);
      expect(results[i]!.error).toBeUndefined();
      expect(results[i]!.matches!.includes(at), `${r.op} ${r.value} on ${r.text}: engine`).toBe(!r.evaluator);
      for (const q of [luceneQuery(condition, profile, source, { detection: 'sigma' }), dslQuery(condition, profile, source, { detection: 'sigma' })]) {
        expect(q.query).toBeUndefined();
        expect(q.diagnostics.map((d) => d.code)).toEqual(['DET5001']);
        expect(q.diagnostics[0]!.message).toMatch(/Greek sigma/);
      }
    });
  });

  it('values without a sigma, and regex nocase, agree with the evaluator on text full of sigmas', () => {
    const out: string[] = [];
    EXACT.forEach((e, i) => {
      for (const [k, target] of [[0, 'lucene'], [1, 'dsl']] as const) {
        const x = results[REFUSED.length + 2 * i + k]!;
        if (x.error) {
          out.push(`${e.name} ${target}: ${x.error}`);
          continue;
        }
        TEXTS.forEach((t, j) => {
          const expected = evaluateCondition(e.condition, events[j]!, source);
          if (x.matches!.includes(j) !== expected) out.push(`${e.name} ${target} on ${t}: evaluator ${expected}`);
        });
      }
    });
    expect(out).toEqual([]);
  });
});
