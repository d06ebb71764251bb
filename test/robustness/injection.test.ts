/**
 * Issue #5, "No injection": adversarial string values (every kind of quote, backslashes, line
 * breaks, control characters, KQL and Lucene syntax, wildcards, Unicode with astral characters
 * and combining marks, very long strings), drawn from a seeded PRNG, are put into every string
 * operator of the DSL (`==`, `!=`, `in`, `contains`, `startswith`, `endswith`, and `regex` with
 * the value escaped as a literal regex), compiled to every target, and read back by the
 * target's own parser:
 * - KQL: Kusto.Language analyses the emitted queries (batched) without a diagnostic, and the
 *   string literals it reads are exactly the values (and the escaped pattern for `regex`);
 * - Lucene: Lucene's classic QueryParser (the Java harness in test/engine) turns each
 *   single-operator query into exactly one term / prefix / wildcard term whose text encodes
 *   exactly the value (term-printing mode: `type`, `terms`, `query` of the harness); the
 *   `regex` query is checked by matching (the value's own document matches, every match
 *   contains the value); every whole detection's `.lucene` file parses without an error;
 * - JSON: the esdsl bodies carry the value in their term / terms / prefix / wildcard leaves,
 *   the Kibana rules (per-file JSON and NDJSON) carry the `.lucene` query text unchanged, the
 *   Kibana ES-query rules carry the esdsl query, and each Sentinel ARM template's `query` is the
 *   `.kql` file's query;
 * - EQL: `eqlString` un-escapes (per EQL's string rules) to the value, and sequence detections
 *   embed those literals in their Kibana EQL query.
 * A value a target refuses must be refused with DET5001/DET5003 for a documented reason (the
 * Sentinel query length limit, the Elastic regex length limit), never emitted wrong.
 *
 * `DETECT_INJECTION_SEED` picks the seed (printed on failure), `DETECT_INJECTION_COUNT` the
 * number of values (default 10,000).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { esdslBackend } from '../../src/backends/esdsl/index.js';
import { dslQuery, luceneQuery } from '../../src/backends/elastic/query.js';
import { eqlString } from '../../src/backends/eql/syntax.js';
import { kibanaBackend } from '../../src/backends/kibana/index.js';
import { luceneBackend } from '../../src/backends/lucene/index.js';
import { analyserFor } from '../../src/backends/sentinel/analysis.js';
import { compileSentinel, sentinelFiles } from '../../src/backends/sentinel/index.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { CompareOp, Condition } from '../../src/ir/types.js';
import { kustoLibrary } from '../../src/kusto/library.js';
import { builtinSource } from '../../src/source/load.js';
import { cmp, isIn } from '../engine/battery.js';
import { profileMapping } from '../engine/es-docs.js';
import { buildHarness, engineAvailability, runEngine, type EngineResult } from '../engine/harness.js';
import { detection, lower } from '../helpers/det.js';
import { prng } from './helpers.js';
import { emitFiles } from '../../src/backends/types.js';

const SEED = Number(process.env.DETECT_INJECTION_SEED ?? 0x5eed5) >>> 0;
const COUNT = Number(process.env.DETECT_INJECTION_COUNT ?? 10_000);
const WHY = `seed ${SEED} (rerun with DETECT_INJECTION_SEED=${SEED} DETECT_INJECTION_COUNT=${COUNT})`;

const source = builtinSource();
const profile = source.elastic.profiles[source.elastic.defaultProfile]!;

// ---- values ------------------------------------------------------------------------------------

const PIECES: readonly string[] = [
  // quotes of every kind
  '"', "'", '`', '```', '\u2018', '\u2019', '\u201c', '\u201d', '\u00ab', '\u00bb', '\u2039', '\u203a', '\u300c', '\uff02', '@"', "@'", 'h"', "h'",
  // escapes, line breaks, controls
  '\\', '\\\\', '\\"', "\\'", '\\n', '\\u0041', '\n', '\r', '\r\n', '\t', '\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f', '\u0085', '\u009f', '\u00a0', '\u2028', '\u2029', '\ufeff', '\u200b',
  // KQL syntax and keywords
  '|', ';', '//', '/*', '*/', '/* c */', ' | take 1', '; let x = 1; x', 'where', 'project', 'union', 'let', ' and ', ' or ', 'not', '==', '=~', '!~', 'has', '{{', '}}', '$(x)', "' or 1 == 1 //", '" or true or "', 'T | where true',
  // Lucene reserved characters and words
  '+', '-', '=', '&&', '||', '>', '<', '!', '(', ')', '{', '}', '[', ']', '^', '~', '*', '?', ':', '/', '&', 'AND', 'OR', 'NOT', 'TO', '_exists_:', '*:*', '[* TO *]', 'f:/x/', '~2', '^3',
  // regex and EQL bits
  '.', '$', '.*', '\\b', '\\d', '(?i)', '#', '%', '@', '"""', '\\u{41}',
  // spaces and words
  ' ', '  ', 'a', 'Z', 'nc', 'bash -c', '/etc/shadow', 'C:\\Windows\\System32', 'x', '0', '1e3', 'null', 'true',
  // unicode: astral, combining, RTL, case traps
  '\u{1f600}', '\u{1f468}\u200d\u{1f469}', '\u{10348}', '\u{1d11e}', 'e\u0301', '\u0301', 'a\u0308\u0304', '\u05d0\u05d1', '\u202e', '\u0130', '\u0131', '\u00df', '\u212a', '\u03a3', '\u4e2d\u6587', '\uac00', '\ufffd', '\uffff',
];

function draw(rand: () => number): string {
  const pick = (): string => PIECES[Math.floor(rand() * PIECES.length)]!;
  const r = rand();
  if (r < 0.01) {
    // very long: 5,000 characters of mixed pieces
    let s = '';
    while (s.length < 5000) s += pick();
    return s.slice(0, 5000).replace(/[\ud800-\udbff]$/, 'x');
  }
  if (r < 0.03) return String.fromCodePoint(...Array.from({ length: 1 + Math.floor(rand() * 4) }, () => 1 + Math.floor(rand() * 0x7f)));
  const n = 1 + Math.floor(rand() * 8);
  let s = '';
  for (let i = 0; i < n; i++) s += pick();
  return s;
}

function drawValues(): string[] {
  const rand = prng(SEED);
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < COUNT) {
    const v = draw(rand);
    // "x" is the second element of every `in` list: drawing it would test a one-element list
    if (v === '' || v === 'x' || seen.has(v)) continue;
    seen.add(v);
    out.push(v);
  }
  return out;
}

/** `v` as a pattern (JavaScript and RE2) that matches exactly the text `v`. */
const literalRegex = (v: string): string => v.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

const values = drawValues();
const name = (i: number): string => `v${i}`;
const uuid = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** `v` as a .det string literal: JSON, with bidi controls escaped (raw, they are DET1001). */
const detString = (v: string): string =>
  JSON.stringify(v).replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

/** One detection per value, with the value in every string operator. */
function detectionText(v: string, i: number): string {
  const s = detString(v);
  const condition =
    `proc.cmdline == ${s} or proc.name != ${s} or fd.name in [${s}, "x"] or proc.cmdline contains ${s}` +
    ` or proc.pname startswith ${s} or fd.name endswith ${s} or proc.name regex ${detString(literalRegex(v))}`;
  return detection(name(i), `  condition: ${condition}`, uuid(i));
}

/** Every fifth value also in a two-step sequence (Kibana EQL). */
const SEQ_EVERY = 5;
function sequenceText(v: string, i: number): string {
  const s = detString(v);
  return detection(
    `s${i}`,
    `  sequence by container.id within 10m {\n    step a: proc.cmdline == ${s} or proc.name in [${s}, "x"]\n    step b: fd.name != ${s}\n  }`,
    uuid(COUNT + i),
  );
}

// ---- shared state ------------------------------------------------------------------------------

/** Diagnostics a target may give for these detections: code and a documented reason. */
const DOCUMENTED_REFUSALS: readonly { code: string; reason: RegExp }[] = [
  // Sentinel rejects queries over 10,000 characters (src/backends/sentinel/limits.ts)
  { code: 'DET5003', reason: /the Sentinel query has \d+ characters; Sentinel allows at most 10000$/ },
  // a keyword field does not index values over its ignore_above (README, Elastic profiles)
  { code: 'DET5001', reason: /: the value is longer than \d+ characters, the `ignore_above` of `[^`]+`, so no document can match it there$/ },
  // Elasticsearch's index.max_regex_length
  { code: 'DET5003', reason: /is \d+ characters long, over Elasticsearch's default index\.max_regex_length of 1000$/ },
  // the lucene target writes one line per sequence step (src/backends/lucene)
  { code: 'DET5001', reason: /^target lucene cannot put step '[ab]' of sequence 's\d+' on one line: its query contains a line break/ },
];

function undocumented(ds: readonly Diagnostic[]): string[] {
  return ds.filter((d) => !DOCUMENTED_REFUSALS.some((r) => r.code === d.code && r.reason.test(d.message))).map((d) => `${d.code} ${d.message.slice(0, 300)}`);
}

/** The detection a diagnostic belongs to (`vN`/`sN`, from its message). */
function refusedNames(ds: readonly Diagnostic[]): Set<string> {
  const out = new Set<string>();
  for (const d of ds) {
    const m = /\b([vs]\d+)\b/.exec(d.message);
    if (m) out.add(m[1]!);
  }
  return out;
}

const counts: Record<string, { checked: number; refused: number }> = {};
function count(target: string, checked: number, refused: number): void {
  counts[target] = { checked, refused };
}

let program: ReturnType<typeof lower>['program'];

beforeAll(() => {
  const texts = values.map(detectionText);
  values.forEach((v, i) => {
    if (i % SEQ_EVERY === 0) texts.push(sequenceText(v, i));
  });
  const l = lower(texts.join('\n'), { source });
  expect(l.diagnostics.filter((d) => d.severity === 'error'), WHY).toEqual([]);
  program = l.program;
}, 120_000);

// ---- KQL ---------------------------------------------------------------------------------------

describe(`no injection (${COUNT} values, ${WHY})`, () => {
  it('KQL / Sentinel: Kusto.Language reads back every value, no diagnostics; ARM query = .kql query', () => {
    const c = compileSentinel(program, source);
    expect(undocumented(c.diagnostics), WHY).toEqual([]);
    const refused = refusedNames(c.diagnostics);
    // refusals are the query length limit, and only for long values
    for (const n of refused) {
      const i = Number(n.slice(1));
      expect(values[i]!.length, `${n} refused with a short value ${JSON.stringify(values[i])}`).toBeGreaterThan(900);
    }
    const byName = new Map(c.rules.map((r) => [r.detection.name, r]));
    const files = new Map(sentinelFiles(c, source).map((f) => [f.path, f.content]));

    // The expected literals of each query: a template compiled with a marker value.
    const marker = 'MARKER.VALUE';
    const t = lower(detectionText(marker, 0), { source });
    const tc = compileSentinel(t.program, source, { analyse: false });
    const kusto = kustoLibrary();
    const { analyser } = analyserFor(tc.parser);
    // the analyser's globals, with the parser function declared
    const globals = (analyser as unknown as { kusto(): { globals: object } }).kusto().globals;
    const literalsOf = (text: string): string[] => {
      const code = kusto.parseAndAnalyze(text, globals);
      const out: string[] = [];
      code.Syntax.WalkElements((e) => {
        if (e.Kind === kusto.stringLiteralKind) out.push(String(e.LiteralValue));
      });
      return out;
    };
    const template = literalsOf(tc.rules[0]!.query.text);
    const markerRegex = literalRegex(marker);
    expect(template.filter((x) => x === marker).length, JSON.stringify(template)).toBe(6);
    // the KQL pattern is the DSL's with `\/` written `/` (the same character; some engines refuse the escape)
    const kqlRegex = (v: string): string => literalRegex(v).replace(/\\\//g, '/');
    const expected = (v: string): string[] => template.map((x) => (x === marker ? v : x === markerRegex ? kqlRegex(v) : x));

    const checked: number[] = [];
    const problems: string[] = [];
    const BATCH = 200;
    const indices = values.map((_, i) => i).filter((i) => byName.has(name(i)));
    for (let b = 0; b < indices.length; b += BATCH) {
      const batch = indices.slice(b, b + BATCH);
      const texts = batch.map((i) => byName.get(name(i))!.query.text);
      const code = kusto.parseAndAnalyze(texts.join('\n;\n'), globals);
      const diags = code.GetDiagnostics();
      const literals: string[] = [];
      code.Syntax.WalkElements((e) => {
        if (e.Kind === kusto.stringLiteralKind) literals.push(String(e.LiteralValue));
      });
      const perQuery = template.length;
      if (diags.Count > 0 || literals.length !== perQuery * batch.length) {
        // attribute exactly: one by one
        batch.forEach((i, k) => {
          const c1 = kusto.parseAndAnalyze(texts[k]!, globals);
          const d = c1.GetDiagnostics();
          if (d.Count > 0) problems.push(`${name(i)} ${JSON.stringify(values[i])}: ${d.getItem(0).Code} ${d.getItem(0).Message}\n${texts[k]}`);
          else {
            const got = literalsOf(texts[k]!);
            if (JSON.stringify(got) !== JSON.stringify(expected(values[i]!))) problems.push(`${name(i)} ${JSON.stringify(values[i])}: literals ${JSON.stringify(got)}`);
          }
        });
        continue;
      }
      batch.forEach((i, k) => {
        const got = literals.slice(k * perQuery, (k + 1) * perQuery);
        const want = expected(values[i]!);
        if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${name(i)} ${JSON.stringify(values[i])}: literals ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
        else checked.push(i);
      });
    }
    expect(problems.slice(0, 5), WHY).toEqual([]);

    // ARM: the template's query is the .kql file's query, unchanged
    const armProblems: string[] = [];
    for (const i of indices) {
      const kql = files.get(`sentinel/analytics/${name(i)}.kql`)!;
      const arm = JSON.parse(files.get(`sentinel/analytics/${name(i)}.json`)!) as { resources: { properties: { query: string } }[] };
      const query = kql.split('\n').slice(2).join('\n').replace(/\n$/, '');
      if (arm.resources[0]!.properties.query !== query || query !== byName.get(name(i))!.query.text) armProblems.push(name(i));
    }
    expect(armProblems.slice(0, 5), WHY).toEqual([]);
    const deployed = JSON.parse(files.get('sentinel/azuredeploy.json')!) as { resources: { properties: { query?: string } }[] };
    expect(deployed.resources.length).toBe(c.rules.length + 1);
    // a rule over a limit is still compiled (then refused): its query is checked too
    expect(checked.length, WHY).toBe(values.length);
    count('kql', values.length - refused.size, refused.size);
    expect(checked.length).toBeGreaterThanOrEqual(Math.min(COUNT, 10_000) * 0.95);
  }, 300_000);

  // ---- Lucene ------------------------------------------------------------------------------------

  const availability = engineAvailability();
  const inCI = process.env.CI === 'true' || process.env.CI === '1';
  it.runIf(availability.ok || inCI)('Lucene: the classic QueryParser reads each value back as exactly one term / prefix / wildcard', () => {
    if (!availability.ok) throw new Error(`needs Java and the Lucene jars: ${availability.reason}`);
    const classpath = buildHarness(availability.jars);
    const F = 'output_fields.proc.cmdline';
    const K = `${F}.keyword`;
    const where = { detection: 'injection' };
    type Op = CompareOp | 'in';
    const OPS: Op[] = ['eq', 'ne', 'in', 'contains', 'startswith', 'endswith', 'regex'];
    const condition = (op: Op, v: string): Condition =>
      op === 'in' ? isIn('proc.cmdline', [v, 'x']) : cmp(op, 'proc.cmdline', op === 'regex' ? literalRegex(v) : v);
    const queries: { i: number; op: Op; lucene: string }[] = [];
    const refusals: Diagnostic[] = [];
    values.forEach((v, i) => {
      for (const op of OPS) {
        const r = luceneQuery(condition(op, v), profile, source, where);
        const d = dslQuery(condition(op, v), profile, source, where);
        expect(r.query === undefined, `lucene and esdsl agree on refusing ${op} ${JSON.stringify(v)}`).toBe(d.query === undefined);
        if (r.query === undefined) refusals.push(...r.diagnostics.map((x) => ({ ...x, message: `[v${i}] ${x.message}` })));
        else queries.push({ i, op, lucene: r.query });
      }
    });
    expect(undocumented(refusals), WHY).toEqual([]);
    // the whole detections, as the lucene target emits them
    const emitted = emitFiles(luceneBackend, program, source, {});
    expect(undocumented(emitted.diagnostics), WHY).toEqual([]);
    const lucFiles = emitted.files.filter((f) => /\/v\d+\.lucene$/.test(f.path));

    const regexQueries = queries.filter((q) => q.op === 'regex');
    const responses = runEngine(classpath, [
      { id: 'terms', fields: { [F]: 'text', [K]: 'keyword' }, docs: [], queries: queries.map((q) => ({ lucene: q.lucene })) },
      {
        id: 'files',
        fields: profileMapping(profile),
        docs: [],
        queries: lucFiles.map((f) => ({ lucene: f.content.replace(/\n$/, '') })),
      },
      {
        id: 'match',
        fields: { [F]: 'text', [K]: 'keyword' },
        docs: values.map((v) => ({ [F]: [v], [K]: [v] })),
        queries: [...regexQueries, ...queries.filter((q) => q.op === 'eq')].map((q) => ({ lucene: q.lucene })),
      },
    ]);
    const problems: string[] = [];
    const termResults = responses.get('terms')!.results!;
    const text = (x: EngineResult, prefix: string): string | undefined => (x.query?.startsWith(prefix) ? x.query.slice(prefix.length) : undefined);
    /** The literal text of a wildcard term (`\c` is c; `*`, `?` are wildcards, kept as `\u0000*`). */
    const wildcard = (t: string): string[] => {
      const out: string[] = [];
      for (let k = 0; k < t.length; k++) {
        const ch = t[k]!;
        if (ch === '\\' && k + 1 < t.length) out.push(t[++k]!);
        else if (ch === '*' || ch === '?') out.push(`\u0000${ch}`);
        else out.push(ch);
      }
      return out;
    };
    const lit = (v: string): string[] => [...v].flatMap((c) => c.split('')); // UTF-16 units, as Java's String
    const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, k) => x === b[k]);
    queries.forEach((q, k) => {
      const x = termResults[k]!;
      const v = values[q.i]!;
      const bad = (why: string): void => {
        problems.push(`${q.op} ${JSON.stringify(v)}: ${why}; lucene ${JSON.stringify(q.lucene)} -> ${x.type} ${JSON.stringify(x.query)} ${JSON.stringify(x.terms)} ${x.error ?? ''}`);
      };
      if (x.error) return bad('parse error');
      switch (q.op) {
        case 'eq':
          if (x.type !== 'TermQuery' || JSON.stringify(x.terms) !== JSON.stringify([[K, v]])) bad('not one term holding the value');
          break;
        case 'ne':
          if (JSON.stringify(x.terms) !== JSON.stringify([[K, v]])) bad('not one term holding the value');
          break;
        case 'in': {
          const terms = (x.terms ?? []).map((p) => JSON.stringify(p)).sort();
          if (JSON.stringify(terms) !== JSON.stringify([JSON.stringify([K, v]), JSON.stringify([K, 'x'])].sort())) bad('terms are not {value, "x"}');
          break;
        }
        case 'startswith': {
          const t = x.type === 'PrefixQuery' ? text(x, `${K}:`)?.replace(/\*$/, '') : undefined;
          if (x.type === 'PrefixQuery') {
            if (t !== v) bad('prefix is not the value');
          } else if (x.type === 'WildcardQuery') {
            const w = wildcard(text(x, `${K}:`) ?? '');
            if (!same(w, [...lit(v), '\u0000*'])) bad('wildcard is not value*');
          } else bad('not a prefix/wildcard query');
          break;
        }
        case 'contains':
        case 'endswith': {
          const w = x.type === 'WildcardQuery' ? wildcard(text(x, `${K}:`) ?? '') : undefined;
          const want = q.op === 'contains' ? ['\u0000*', ...lit(v), '\u0000*'] : ['\u0000*', ...lit(v)];
          if (!w || !same(w, want)) bad(`wildcard is not ${q.op === 'contains' ? '*value*' : '*value'}`);
          break;
        }
        case 'regex':
          if (x.type !== 'RegexpQuery') bad('not a regexp query');
          break;
      }
    });
    const fileResults = responses.get('files')!.results!;
    fileResults.forEach((x, k) => {
      if (x.error) problems.push(`${lucFiles[k]!.path}: ${x.error}`);
    });
    // matching: the regex (and ==) of value i matches document i, and only documents holding the value
    const matchResults = responses.get('match')!.results!;
    [...regexQueries, ...queries.filter((q) => q.op === 'eq')].forEach((q, k) => {
      const x = matchResults[k]!;
      const v = values[q.i]!;
      const m = x.matches ?? [];
      const ok = q.op === 'regex' ? m.includes(q.i) && m.every((j) => values[j]!.includes(v)) : m.length === 1 && m[0] === q.i;
      if (x.error || !ok) problems.push(`${q.op} match ${JSON.stringify(v)}: ${x.error ?? JSON.stringify(m.slice(0, 5))} for ${JSON.stringify(q.lucene)}`);
    });
    expect(problems.slice(0, 5), WHY).toEqual([]);
    const refusedValues = refusedNames(refusals);
    count('lucene', values.length - refusedValues.size, refusedValues.size);
    expect(lucFiles.length + [...refusedNames(emitted.diagnostics)].filter((n) => n.startsWith('v')).length).toBe(values.length);
    expect(values.length - refusedValues.size).toBeGreaterThanOrEqual(Math.min(COUNT, 10_000) * 0.95);
  }, 600_000);

  // ---- JSON: esdsl, Kibana -----------------------------------------------------------------------

  it('esdsl and Kibana JSON carry every value unchanged', () => {
    const es = emitFiles(esdslBackend, program, source, {});
    const kb = emitFiles(kibanaBackend, program, source, {});
    const lu = emitFiles(luceneBackend, program, source, {});
    expect(undocumented(es.diagnostics), WHY).toEqual([]);
    expect(undocumented(kb.diagnostics), WHY).toEqual([]);
    const esFiles = new Map(es.files.map((f) => [f.path, f.content]));
    const luFiles = new Map(lu.files.map((f) => [f.path, f.content]));
    const kbFiles = new Map(kb.files.map((f) => [f.path, f.content]));
    const problems: string[] = [];
    let checked = 0;
    /** Leaves `[kind, field, value]` of a DSL body. */
    const leaves = (node: unknown, out: [string, string, unknown][] = []): [string, string, unknown][] => {
      if (Array.isArray(node)) node.forEach((n) => leaves(n, out));
      else if (node && typeof node === 'object') {
        for (const [k, val] of Object.entries(node)) {
          if (['term', 'terms', 'prefix', 'wildcard', 'regexp'].includes(k) && val && typeof val === 'object' && !Array.isArray(val)) {
            for (const [f, spec] of Object.entries(val)) {
              if (f === 'case_insensitive' || f === 'boost') continue;
              out.push([k, f, spec && typeof spec === 'object' && !Array.isArray(spec) ? (spec as { value: unknown }).value : spec]);
            }
          } else leaves(val, out);
        }
      }
      return out;
    };
    const unWildcard = (t: string): string => t.replace(/\\(.)/gsu, '$1');
    const kbRules = new Map<string, { query: string; language: string }>();
    for (const line of (kbFiles.get('kibana/rules.ndjson') ?? '').split('\n').filter((l) => l !== '')) {
      const r = JSON.parse(line) as { rule_id: string; query: string; language: string };
      kbRules.set(r.rule_id, r);
    }
    const esQueries: string[] = [];
    for (const line of (kbFiles.get('kibana/es-query-rules.ndjson') ?? '').split('\n').filter((l) => l !== '')) {
      esQueries.push((JSON.parse(line) as { params: { esQuery: string } }).params.esQuery);
    }
    values.forEach((v, i) => {
      const bad = (why: string): void => void problems.push(`${name(i)} ${JSON.stringify(v)}: ${why}`);
      const body = esFiles.get(`elastic/esdsl/${name(i)}.json`);
      const luc = luFiles.get(`elastic/lucene/${name(i)}.lucene`);
      if (body === undefined || luc === undefined) return; // refused (checked above as documented)
      const ls = leaves((JSON.parse(body) as { query: unknown }).query);
      const strings = ls.map(([k, , x]) => (k === 'wildcard' ? `W${unWildcard(String(x))}` : k === 'terms' ? `T${JSON.stringify(x)}` : k === 'regexp' ? 'R' : `${k[0]}${String(x)}`));
      const want = [`t${v}`, `t${v}`, `T${JSON.stringify([v, 'x'])}`, `W*${v}*`, `p${v}`, `W*${v}`];
      for (const w of want) if (!strings.includes(w)) bad(`esdsl has no leaf ${JSON.stringify(w)} in ${JSON.stringify(strings).slice(0, 400)}`);
      const kr = kbRules.get(uuid(i));
      const perFile = kbFiles.get(`kibana/rules/${name(i)}.json`) ?? [...kbFiles.entries()].find(([p]) => p.endsWith(`/${name(i)}.json`))?.[1];
      if (!kr) bad('no Kibana rule in rules.ndjson');
      else {
        if (kr.language !== 'lucene' || kr.query !== luc.replace(/\n$/, '')) bad('Kibana rule query is not the .lucene query');
        if (perFile === undefined || JSON.stringify(JSON.parse(perFile)) !== JSON.stringify(kr)) bad('Kibana rule file differs from its NDJSON line');
      }
      checked++;
    });
    // the ES-query rules carry the esdsl queries (as JSON text), one rule per esdsl file
    const bodies = new Set([...esFiles.entries()].filter(([p]) => /\/v\d+\.json$/.test(p)).map(([, b]) => JSON.stringify(JSON.parse(b))));
    let esq = 0;
    for (const text of esQueries) {
      if (bodies.has(JSON.stringify(JSON.parse(text)))) esq++;
      else problems.push(`es-query rule whose query is no esdsl body: ${text.slice(0, 200)}`);
    }
    if (esq !== bodies.size) problems.push(`${esq} es-query rules for ${bodies.size} esdsl bodies`);
    expect(problems.slice(0, 5), WHY).toEqual([]);
    count('esdsl+kibana', checked, values.length - checked);
    count('kibana es-query rules', esq, 0);
    expect(checked).toBeGreaterThanOrEqual(Math.min(COUNT, 10_000) * 0.95);
  }, 300_000);

  // ---- EQL ---------------------------------------------------------------------------------------

  it('EQL: every value is one EQL string literal that un-escapes to the value; sequences embed them', () => {
    const unescape = (lit: string): string | undefined => {
      if (!lit.startsWith('"') || !lit.endsWith('"') || lit.length < 2) return undefined;
      let out = '';
      const body = lit.slice(1, -1);
      for (let k = 0; k < body.length; k++) {
        const ch = body[k]!;
        if (ch === '"') return undefined; // an unescaped quote would end the literal
        if (/[\u0000-\u001f\u007f\u2028\u2029\n\r]/.test(ch)) return undefined; // raw control characters are not allowed
        if (ch !== '\\') {
          out += ch;
          continue;
        }
        const e = body[++k];
        if (e === '\\') out += '\\';
        else if (e === '"') out += '"';
        else if (e === 'n') out += '\n';
        else if (e === 'r') out += '\r';
        else if (e === 't') out += '\t';
        else if (e === 'u' && body[k + 1] === '{') {
          const end = body.indexOf('}', k);
          const hex = body.slice(k + 2, end);
          if (!/^[0-9a-fA-F]{1,8}$/.test(hex)) return undefined;
          out += String.fromCodePoint(parseInt(hex, 16));
          k = end;
        } else return undefined;
      }
      return out;
    };
    const problems: string[] = [];
    for (const v of values) {
      const lit = eqlString(v);
      if (unescape(lit) !== v) problems.push(`${JSON.stringify(v)} -> ${JSON.stringify(lit)}`);
    }
    const kb = emitFiles(kibanaBackend, program, source, {});
    const rules = new Map<string, { query: string; language: string }>();
    for (const line of (kb.files.find((f) => f.path === 'kibana/rules.ndjson')?.content ?? '').split('\n').filter((l) => l !== '')) {
      const r = JSON.parse(line) as { rule_id: string; query: string; language: string };
      rules.set(r.rule_id, r);
    }
    const refused = refusedNames(kb.diagnostics);
    let sequences = 0;
    values.forEach((v, i) => {
      if (i % SEQ_EVERY !== 0 || refused.has(`s${i}`)) return;
      const r = rules.get(uuid(COUNT + i));
      if (!r || r.language !== 'eql') return void problems.push(`s${i}: no EQL rule`);
      if (!r.query.includes(eqlString(v))) problems.push(`s${i}: EQL query lacks ${eqlString(v)}: ${r.query.slice(0, 300)}`);
      sequences++;
    });
    expect(problems.slice(0, 5), WHY).toEqual([]);
    count('eql literals', values.length, 0);
    count('eql sequences', sequences, values.filter((_, i) => i % SEQ_EVERY === 0).length - sequences);
    console.log(`injection ${WHY}: ${JSON.stringify(counts)}`);
  });
});

