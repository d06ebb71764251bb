import { describe, expect, it } from 'vitest';
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
});
