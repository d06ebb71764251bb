/**
 * Bad input (issue #5): a seeded, reproducible fuzz of the whole pipeline `detect validate`
 * runs (read as strict UTF-8 → parse → lower → validate → every backend validate checks).
 *
 * Every input must end in a clean result or in diagnostics that all carry a span with a file,
 * line and column (except the file-level codes in `FILE_LEVEL_CODES`): no exception, no stack
 * overflow, and each input within `PER_INPUT_LIMIT_MS`.
 *
 * CI runs `DEFAULT_COUNT` mutated inputs plus the generated ones. More:
 *   DETECT_FUZZ_COUNT=50000 npx vitest run test/robustness/fuzz.test.ts
 * Another sequence: DETECT_FUZZ_SEED=<n>. A failure names the seed and the input's index;
 * `DETECT_FUZZ_ONLY=<index>` reruns that one input. `DETECT_FUZZ_TRACE=DET5101,DET5003` prints
 * the inputs that produce those codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { detLexer } from '../../src/syntax/tokens.js';
import { runCli } from '../cli/helpers.js';
import { FuzzProject, locationProblems, prng, seedDetections } from './helpers.js';

const DEFAULT_COUNT = 2000;
const COUNT = positiveInt(process.env.DETECT_FUZZ_COUNT) ?? DEFAULT_COUNT;
const SEED = positiveInt(process.env.DETECT_FUZZ_SEED) ?? 20240605;
const ONLY = positiveInt(process.env.DETECT_FUZZ_ONLY);
/** Generous bound per input (a 2-core CI machine under load); the slowest is printed. */
const PER_INPUT_LIMIT_MS = 10_000;
/** Every Nth mutated input also goes through `main()` (text output with code frames). */
const CLI_EVERY = 10;

function positiveInt(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

const enc = new TextEncoder();
const seeds = seedDetections().map((s) => ({ name: s.name, bytes: enc.encode(s.text) }));

/** Invalid UTF-8: stray continuation, overlong, surrogate, truncated, out of range, 0xFF. */
const BAD_UTF8: readonly number[][] = [
  [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf],
  [0xf0, 0x82, 0x82, 0xac], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xfe], [0xff],
  [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc3], [0xe2, 0x28, 0xa1],
];

/** Tokens, keywords, unknown properties and JSON bits to splice in. */
const PIECES: readonly string[] = [
  '{', '}', '[', ']', '(', ')', ':', ',', '=', '==', '!=', '"', '"""', '#', '\\', '\n', ' ', '\t', '\r',
  'and', 'or', 'not', 'in', 'exists', 'nocase', 'cased', 'regex "("', 'regex "a(?=b)"', 'contains',
  'detection', 'list', 'macro', 'test', 'matches', 'does not match', 'file', 'file "nope.ndjson"',
  'file "events/"', 'sequence by container.id within 5m { step a: rule == "x" }', 'step', 'within',
  'threshold: count >= 5 by container.id within 10m', 'suppress: for 0s', 'schedule: every 0m',
  'schedule: every 99999999999999999999d', 'severity: urgent', 'frobnicate: 1', 'attack { nope: T9999 }',
  'attack { execution: T1003 }', 'id: "not-a-uuid"', 'version: -1', 'version: 1e400', 'proc.nme',
  'proc.pid == "x"', 'proc.name > 5', 'evt.time < "a"', 'unknown_macro', 'in unknown_list',
  '5m', '-1', '1e400', '0x10', '"\\q"', '"\\u12"', '"\\ud800"', '\u00e9', '\ufeff', '\u0000', '\u2028',
  '\ud83d\ude00', '{"a": 1}', '[{"rule": 1}]', '{"output_fields": {"proc.name": ["x"]}}', 'null', 'true',
  'macro m = m', 'list l = [l]', 'detection d { }', 'x'.repeat(300),
  // other formats' spellings, which the parser reads as meant after reporting them
  ' /etc/shadow', ' && ', ' || ', ' =~ ', ' !~ ', 'in~', ' in (/bin/sh, nc)', "'nc'", 'title: Netcat in a container',
  'description: Detects nc -e # why', 'query: x == "y"', '- rule: x', '[/bin/sh, /bin/bash]', 'has',
];

type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const int = (rand: Rand, n: number): number => Math.floor(rand() * n);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function lines(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x0a) {
      out.push(b.subarray(start, i + 1));
      start = i + 1;
    }
  }
  out.push(b.subarray(start));
  return out;
}

/** One random mutation of `b`; returns the new bytes and what was done. */
function mutateOnce(b: Uint8Array, rand: Rand): [Uint8Array, string] {
  const pos = int(rand, b.length + 1);
  switch (int(rand, 10)) {
    case 0:
      return [b.slice(0, pos), `truncate@${pos}`];
    case 1: {
      const c = b.slice();
      if (c.length > 0) c[Math.min(pos, c.length - 1)] = int(rand, 256);
      return [c, `flip@${pos}`];
    }
    case 2: {
      const n = 1 + int(rand, 4);
      const ins = Uint8Array.from({ length: n }, () => int(rand, 256));
      return [concat(b.subarray(0, pos), ins, b.subarray(pos)), `insert-bytes@${pos}`];
    }
    case 3: {
      const n = 1 + int(rand, 30);
      return [concat(b.subarray(0, pos), b.subarray(pos + n)), `delete@${pos}+${n}`];
    }
    case 4: {
      const ls = lines(b);
      const i = int(rand, ls.length);
      ls.splice(int(rand, ls.length + 1), 0, ls[i]!);
      return [concat(...ls), `dup-line ${i + 1}`];
    }
    case 5: {
      const ls = lines(b);
      const i = int(rand, ls.length);
      const j = int(rand, ls.length);
      [ls[i], ls[j]] = [ls[j]!, ls[i]!];
      return [concat(...ls), `swap-lines ${i + 1},${j + 1}`];
    }
    case 6: {
      const bad = Uint8Array.from(pick(rand, BAD_UTF8));
      return [concat(b.subarray(0, pos), bad, b.subarray(pos)), `bad-utf8@${pos}`];
    }
    case 7:
    case 8: {
      const piece = enc.encode(pick(rand, PIECES));
      return [concat(b.subarray(0, pos), piece, b.subarray(pos)), `piece@${pos}`];
    }
    default: {
      // Copy a chunk of the file elsewhere (whole properties, test cases, blocks).
      const from = int(rand, b.length);
      const chunk = b.slice(from, from + int(rand, 400));
      return [concat(b.subarray(0, pos), chunk, b.subarray(pos)), `dup-chunk@${from}->${pos}`];
    }
  }
}

/** Input `index` of the sequence named by `seed`: reproducible on its own. */
function fuzzInput(seed: number, index: number): { bytes: Uint8Array; desc: string } {
  const rand = prng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  if (rand() < 0.04) {
    const n = int(rand, 2000);
    return { bytes: Uint8Array.from({ length: n }, () => int(rand, 256)), desc: `random-bytes(${n})` };
  }
  const s = pick(rand, seeds);
  let bytes: Uint8Array = s.bytes;
  const steps: string[] = [s.name];
  const rounds = 1 + int(rand, 5);
  for (let r = 0; r < rounds; r++) {
    const [next, what] = mutateOnce(bytes, rand);
    bytes = next;
    steps.push(what);
  }
  return { bytes, desc: steps.join(' ') };
}

interface Stats {
  inputs: number;
  clean: number;
  withErrors: number;
  viaCli: number;
  slowestMs: number;
  slowest: string;
  codes: Map<string, number>;
}

const stats: Stats = { inputs: 0, clean: 0, withErrors: 0, viaCli: 0, slowestMs: 0, slowest: '', codes: new Map() };
let project: FuzzProject;

beforeAll(() => {
  project = new FuzzProject();
  // Warm up (module loading, the Kusto analyser) so the slowest input is not just the first one.
  project.validate(seeds[0]!.bytes);
});

afterAll(() => {
  project?.remove();
  const codes = [...stats.codes.entries()].sort().map(([c, n]) => `${c}×${n}`).join(' ');
  console.log(
    `[fuzz] seed=${SEED} ran ${stats.inputs} inputs (${stats.clean} clean, ${stats.withErrors} with errors, ` +
      `${stats.viaCli} also through main()); slowest ${stats.slowestMs.toFixed(0)} ms: ${stats.slowest}\n[fuzz] codes: ${codes}`,
  );
});

/** Runs one input through `validate()`; returns a failure description or undefined. */
function check(bytes: Uint8Array | string, label: string): { failure?: string; diagnostics: Diagnostic[] } {
  const started = performance.now();
  let diagnostics: Diagnostic[];
  try {
    diagnostics = project.validate(bytes);
  } catch (e) {
    const detail = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
    return { failure: `${label}: threw ${detail}`, diagnostics: [] };
  }
  const ms = performance.now() - started;
  stats.inputs++;
  if (ms > stats.slowestMs) {
    stats.slowestMs = ms;
    stats.slowest = label;
  }
  if (diagnostics.some((d) => d.severity === 'error')) stats.withErrors++;
  else stats.clean++;
  for (const d of diagnostics) stats.codes.set(d.code, (stats.codes.get(d.code) ?? 0) + 1);
  const problems = locationProblems(diagnostics, 'input.det');
  // Text the lexer cannot read is reported, even where the parser reads it as meant (token-repair.ts).
  if (hasLexerError(bytes) && !diagnostics.some((d) => d.severity === 'error')) problems.push('the lexer found an error, but no error was reported');
  if (ms > PER_INPUT_LIMIT_MS) problems.push(`took ${ms.toFixed(0)} ms (limit ${PER_INPUT_LIMIT_MS} ms)`);
  return problems.length > 0 ? { failure: `${label}: ${problems.join('; ')}`, diagnostics } : { diagnostics };
}

/** Whether the lexer finds a character it cannot read in `bytes` (valid UTF-8 only). */
function hasLexerError(bytes: Uint8Array | string): boolean {
  let text: string;
  try {
    text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  return detLexer.tokenize(text).errors.length > 0;
}

/** Through `main()`: exit 0 or 1, never 3 (internal error) and never a stack trace. */
async function checkCli(label: string): Promise<string | undefined> {
  const run = await runCli(project.dir, ['validate', 'input.det']);
  stats.viaCli++;
  if (run.code !== 0 && run.code !== 1) return `${label}: main() exited ${run.code}\n${run.stderr.slice(0, 2000)}`;
  if (/\n\s+at .+:\d+:\d+\)?\n/.test(run.stderr + run.stdout)) return `${label}: main() printed a stack trace`;
  return undefined;
}

describe(`fuzz: ${COUNT} mutated inputs of the seed detections (seed ${SEED})`, () => {
  it('every input ends in located diagnostics or a clean result, within the time bound', async () => {
    const failures: string[] = [];
    const indexes = ONLY !== undefined ? [ONLY] : Array.from({ length: COUNT }, (_, i) => i);
    for (const i of indexes) {
      const { bytes, desc } = fuzzInput(SEED, i);
      const label = `seed=${SEED} input #${i} [${desc}] (rerun: DETECT_FUZZ_SEED=${SEED} DETECT_FUZZ_ONLY=${i})`;
      const result = check(bytes, label);
      if (process.env.DETECT_FUZZ_TRACE) {
        const codes = result.diagnostics.map((d) => d.code).filter((c) => process.env.DETECT_FUZZ_TRACE!.includes(c));
        if (codes.length > 0) console.log(`#${i} ${codes.join(',')} ${desc}`);
      }
      if (result.failure) failures.push(result.failure);
      else if (i % CLI_EVERY === 0) {
        const cli = await checkCli(label);
        if (cli) failures.push(cli);
      }
      if (failures.length >= 5) break;
    }
    expect(failures, failures.join('\n\n')).toEqual([]);
    // The mutations must reach past the parser: some inputs stay valid, most do not.
    if (ONLY === undefined && COUNT >= 500) {
      expect(stats.clean).toBeGreaterThan(COUNT / 50);
      expect(stats.withErrors).toBeGreaterThan(COUNT / 4);
      expect(stats.codes.get('DET1011') ?? 0).toBeGreaterThan(0);
    }
  });
});

const HEADER = (name: string, id = '5f0c8a52-8a3c-4f1e-9c49-5b1d2a6e7f10'): string =>
  `detection ${name} {\n  title: "t"\n  id: "${id}"\n  severity: low\n  description: "d"\n`;

describe('fuzz: generated inputs', () => {
  const generated: [string, () => string | Uint8Array, string[]?][] = [
    ['10,000 nested parentheses in a condition', () => `${HEADER('deep')}  condition: ${'('.repeat(10_000)}rule == "x"${')'.repeat(10_000)}\n}\n`, ['DET1012']],
    ['10,000 nested parentheses in a macro', () => `macro m =\n  ${'('.repeat(10_000)}a${')'.repeat(10_000)}\n`, ['DET1012']],
    ['10,000 unclosed parentheses', () => `${HEADER('open')}  condition: ${'('.repeat(10_000)}\n`, ['DET1012']],
    ['10,000 nested arrays in a test', () => `${HEADER('arr')}  condition: rule == "x"\n  test "t" matches ${'['.repeat(10_000)}${']'.repeat(10_000)}\n}\n`, ['DET1012']],
    ['10,000 nested objects in a test', () => `${HEADER('obj')}  condition: rule == "x"\n  test "t" matches ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}\n}\n`, ['DET1012']],
    ['10,000 nots', () => `${HEADER('nots')}  condition: ${'not '.repeat(10_000)}rule == "x"\n}\n`, ['DET1012']],
    ['3,000 ands', () => `${HEADER('ands')}  condition: ${Array.from({ length: 3000 }, (_, i) => `proc.name != "p${i}"`).join(' and ')}\n}\n`],
    ['3,000 ors of parenthesised groups', () => `${HEADER('ors')}  condition: ${Array.from({ length: 3000 }, (_, i) => `(proc.name == "p${i}")`).join(' or ')}\n}\n`],
    ['a 1 MB string value', () => `${HEADER('big')}  condition: proc.cmdline contains "${'a'.repeat(1 << 20)}"\n}\n`],
    ['a 1 MB description', () => `${HEADER('bigdesc').replace('"d"', `"${'é'.repeat(1 << 19)}"`)}  condition: rule == "x"\n}\n`],
    ['a 1 MB unterminated string', () => `${HEADER('unterminated')}  condition: proc.cmdline contains "${'b'.repeat(1 << 20)}\n}\n`, ['DET1002']],
    ['a 1 MB unterminated """ block', () => `${HEADER('block')}  triage: """${'c\n'.repeat(1 << 19)}`],
    // 256 KB: the "did you mean" search is linear in the name's length (1 MB takes ~4 s).
    ['a 256 KB unknown field name', () => `${HEADER('ident')}  condition: ${'f'.repeat(1 << 18)} == "x"\n}\n`, ['DET3003']],
    ['a 1 MB regex', () => `${HEADER('re')}  condition: proc.cmdline regex "${'(a|b)'.repeat(200_000)}"\n}\n`],
    ['1 MB of random printable ASCII', () => { const r = prng(SEED); return Array.from({ length: 1 << 20 }, () => String.fromCharCode(32 + int(r, 95))).join(''); }],
    ['3,000 detections in one file', () => Array.from({ length: 3000 }, (_, i) => manyDetection(i)).join('')],
    ['3,000 detections with one id', () => Array.from({ length: 3000 }, (_, i) => manyDetection(i, '5f0c8a52-8a3c-4f1e-9c49-5b1d2a6e7f10')).join(''), ['DET3001']],
    ['3,000 broken detections', () => Array.from({ length: 3000 }, (_, i) => `detection b${i} { title: "t" condition: == }\n`).join(''), ['DET1010']],
    // Each block leaves one `(` open: the nesting guard counts across blocks (see the report).
    ['3,000 detections with an unclosed parenthesis', () => Array.from({ length: 3000 }, (_, i) => `detection u${i} { title: "t" condition: ( }\n`).join('')],
    ['3,000 macros chained', () => Array.from({ length: 3000 }, (_, i) => `macro m${i} = ${i === 0 ? 'rule == "x"' : `m${i - 1}`}\n`).join('') + `${HEADER('chain')}  condition: m2999\n}\n`],
    ['3,000 macros in a cycle', () => Array.from({ length: 3000 }, (_, i) => `macro m${i} = m${(i + 1) % 3000}\n`).join('') + `${HEADER('cycle')}  condition: m0\n}\n`, ['DET3010']],
    ['5,000 macros nesting not', () => Array.from({ length: 5000 }, (_, i) => `macro m${i} = ${i === 4999 ? 'rule == "x"' : `not m${i + 1}`}\n`).join('') + `${HEADER('nots')}  condition: m0\n}\n`, ['DET1012']],
    ['3,000 lists in a chain', () => Array.from({ length: 3000 }, (_, i) => `list l${i} = [${i === 0 ? '"x"' : `l${i - 1}`}]\n`).join('') + `${HEADER('lists')}  condition: proc.name in l2999\n}\n`],
    ['unknown keywords and properties everywhere', () => `rule r { }\n${HEADER('unk')}  frobnicate: 1\n  severity: extreme\n  colour: "red"\n  attack { bogus-tactic: T0000 }\n  condition: proc.nme == "x" and unknown_macro and proc.name in nope\n  entities { planet: hostname }\n}\nwhatever\n`, ['DET1010']],
    ['unknown properties only', () => `${HEADER('unk2')}  frobnicate: 1\n  colour: "red"\n  condition: rule == "x"\n}\n`, ['DET2001']],
    ['NUL bytes', () => `${HEADER('nul')}\u0000\u0000  condition: rule == "\u0000"\n}\n`],
    ['a BOM, CRLF and a lone CR', () => `\ufeff${HEADER('crlf').replace(/\n/g, '\r\n')}  condition: rule == "x"\r}\r\n`],
    ['only invalid UTF-8', () => Uint8Array.from([0xff, 0xfe, 0xfd, 0x80, 0xc0]), ['DET1011']],
    ['invalid UTF-8 after 3,000 lines', () => concat(enc.encode('# comment\n'.repeat(3000)), Uint8Array.from([0xed, 0xa0, 0x80])), ['DET1011']],
    ['empty file', () => ''],
  ];

  for (const [name, make, expected] of generated) {
    it(name, async () => {
      const result = check(make(), `generated: ${name}`);
      if (process.env.DETECT_FUZZ_TRACE) {
        const codes = result.diagnostics.map((d) => d.code).filter((c) => process.env.DETECT_FUZZ_TRACE!.includes(c));
        if (codes.length > 0) console.log(`${name}: ${[...new Set(codes)].join(',')} ${result.diagnostics.filter((d) => codes.includes(d.code)).map((d) => d.message.slice(0, 300)).join(' | ')}`);
      }
      expect(result.failure, result.failure).toBeUndefined();
      for (const code of expected ?? []) expect(result.diagnostics.map((d) => d.code)).toContain(code);
      expect(await checkCli(`generated: ${name}`)).toBeUndefined();
    });
  }
});

function manyDetection(i: number, id?: string): string {
  const uuid = id ?? `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  return `${HEADER(`d${i}`, uuid)}  condition: proc.name == "x${i}"
  test "a" matches { "output_fields": { "proc.name": "x${i}" } }
  test "b" does not match { "output_fields": { "proc.name": "y" } }
}
`;
}
