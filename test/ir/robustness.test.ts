import { describe, expect, it } from 'vitest';
import { MAX_CONDITION_DEPTH } from '../../src/ir/conditions.js';
import { lowerProgram } from '../../src/ir/lower.js';
import { parseFile } from '../../src/syntax/parse.js';
import { validateProgram } from '../../src/validate/validate.js';
import { detection } from '../helpers/det.js';
import { testSource } from '../helpers/ir-source.js';

const TEXT =
  'list l = ["a", "b"]\nmacro m = proc.name in l and not container.id exists\n' +
  detection(
    'd',
    [
      '  condition: m or (proc.pid >= 3 and proc.cmdline regex "a+" nocase)',
      '  threshold: count >= 2 by container.id within 5m',
      '  schedule: every 5m lookback 10m',
      '  suppress: by hostname for 1h',
      '  attack {',
      '    execution: T1059.004, T1609',
      '  }',
      '  entities {',
      '    host: hostname',
      '  }',
      '  output: proc.cmdline, time',
      '  test "t" matches [ { "rule": "x" }, { "n": 1 } ]',
      '  test "f" does not match file "e.ndjson"',
    ].join('\n'),
  );

describe('lowering and validation never throw on damaged input', () => {
  it('survives every truncation and many single-character edits of a full file', () => {
    const source = testSource();
    const inputs: string[] = [];
    for (let i = 0; i < TEXT.length; i += 3) inputs.push(TEXT.slice(0, i));
    const edits = ['', '}', '{', '"', ':', ',', ' and ', '(', ')', '[', 'x'];
    for (let i = 0; i < TEXT.length; i += 5) {
      for (const e of edits) inputs.push(TEXT.slice(0, i) + e + TEXT.slice(i + 1));
    }
    let lowered = 0;
    for (const text of inputs) {
      const { ast } = parseFile(text, 'fuzz.det');
      const run = (): void => {
        const { program, diagnostics } = lowerProgram([ast], source, () => '{"a":1}\n');
        const validation = validateProgram(program, source, [ast]);
        for (const d of [...diagnostics, ...validation]) {
          expect(d.code).not.toBe('DET2099');
          expect(d.hint, `${d.code} ${d.message}`).toBeTruthy();
          if (d.span) expect(d.span.start.line).toBeGreaterThan(0);
        }
        lowered += program.detections.length;
      };
      expect(run, text).not.toThrow();
    }
    expect(lowered).toBeGreaterThan(0);
  });

  it('lowers a chain of 20,000 macros, and reports a 20,000-macro cycle once, without recursing through them', () => {
    const source = testSource();
    const n = 20_000;
    const chain = Array.from({ length: n }, (_, i) => `macro m${i} = ${i + 1 < n ? `m${i + 1}` : 'proc.name == "nc"'}\n`).join('');
    const lowered = lowerProgram([parseFile(`${chain}${detection('d', '  condition: m0')}`, 'chain.det').ast], source, () => '');
    expect(lowered.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(lowered.program.detections[0]!.match).toMatchObject({ condition: { kind: 'compare', op: 'eq', field: { name: 'proc.name' } } });
    const cycle = Array.from({ length: n }, (_, i) => `macro m${i} = m${(i + 1) % n}\n`).join('');
    const cyclic = lowerProgram([parseFile(`${cycle}${detection('d', '  condition: m0')}`, 'cycle.det').ast], source, () => '');
    expect(cyclic.diagnostics.map((d) => d.code)).toEqual(['DET3010']);
    expect(cyclic.diagnostics[0]!.message).toMatch(/^macro `m0` refers to itself: m0 -> m1 -> .* -> m19999 -> m0$/);
  });

  it('refuses macros that nest conditions deeper than MAX_CONDITION_DEPTH (a chain of 5,000 nots), once', () => {
    const n = 5000;
    const text = Array.from({ length: n }, (_, i) => `macro m${i} = ${i + 1 < n ? `not m${i + 1}` : 'proc.name == "nc"'}\n`).join('');
    const lowered = lowerProgram([parseFile(`${text}${detection('d', '  condition: m0')}`, 'nots.det').ast], testSource(), () => '');
    const first = n - 1 - (MAX_CONDITION_DEPTH + 1);
    expect(lowered.diagnostics.map((d) => [d.code, d.span?.start.line, d.message])).toEqual([
      ['DET1012', first + 1, `macro \`m${first}\` nests conditions ${MAX_CONDITION_DEPTH + 1} deep through the macros it uses (at most ${MAX_CONDITION_DEPTH})`],
    ]);
    expect(lowered.program.detections).toEqual([]);
  });
});
