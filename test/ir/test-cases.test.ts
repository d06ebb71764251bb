import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { at, detection, lower } from '../helpers/det.js';

/** `DET4003 file:line:col-line:col`: a diagnostic's code and whole span. */
const inFile = (d: Diagnostic): string => `${d.code} ${d.span?.file}:${d.span?.start.line}:${d.span?.start.column}-${d.span?.end.line}:${d.span?.end.column}`;

const COND = '  condition: proc.name == "x"';

function withTests(tests: string, files: Record<string, string> = {}, detPath = 'rules/d.det') {
  const reads: string[] = [];
  const l = lower(
    { [detPath]: detection('d', `${COND}\n${tests}`) },
    {
      readFile: (p) => {
        reads.push(p);
        return files[p];
      },
    },
  );
  return { ...l, reads, tests: l.program.detections[0]?.tests };
}

describe('test cases', () => {
  it('turns one inline object into one event and an array into ordered events', () => {
    const { tests, diagnostics } = withTests(
      '  test "one" matches { "rule": "R" }\n  test "two" does not match [ { "n": 1 }, { "n": 2 } ]',
    );
    expect(diagnostics).toEqual([]);
    expect(tests!.map((t) => [t.name, t.expect, t.events])).toEqual([
      ['one', 'match', [{ rule: 'R' }]],
      ['two', 'no-match', [{ n: 1 }, { n: 2 }]],
    ]);
    expect(tests![0]!.span.start).toMatchObject({ line: 7, column: 3 });
    expect('file' in tests![0]!).toBe(false);
  });

  it('finds a lone surrogate at the bottom of an event nested as deep as accepted (128 levels)', () => {
    const abs = path.resolve('rules/events/e.ndjson');
    const deep = (inner: string): string => `{"rule":"R","deep":${'['.repeat(127)}${inner}${']'.repeat(127)}}\n`;
    const ok = withTests('  test "f" matches file "events/e.ndjson"', { [abs]: deep('"x"') });
    expect(ok.diagnostics).toEqual([]);
    expect(ok.tests![0]!.events).toHaveLength(1);
    const lone = withTests('  test "f" matches file "events/e.ndjson"', { [abs]: deep('"\\ud800"') });
    expect(lone.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(['DET4003 `rules/events/e.ndjson` line 1 holds the lone surrogate \\ud800 in a string (read by test "f" at rules/d.det:7:25)']);
  });

  it('reads an NDJSON file relative to the .det file, skipping blank lines', () => {
    const abs = path.resolve('rules/events/e.ndjson');
    const { tests, diagnostics, reads } = withTests('  test "f" matches file "events/e.ndjson"', {
      [abs]: '\uFEFF{"a":1}\r\n\n  \n{"a":2}\n',
    });
    expect(diagnostics).toEqual([]);
    expect(reads).toEqual([abs]);
    expect(tests![0]).toMatchObject({ events: [{ a: 1 }, { a: 2 }], file: 'rules/events/e.ndjson' });
  });

  it('reports a missing file (DET4002) at the path string', () => {
    const { diagnostics, tests } = withTests('  test "f" matches file "events/missing.ndjson"');
    expect(diagnostics.map(at)).toEqual(['DET4002 7:25']);
    expect(diagnostics[0]).toMatchObject({
      severity: 'error',
      message: 'test events file `rules/events/missing.ndjson` not found',
    });
    expect(diagnostics[0]!.hint).toContain('relative to the directory of rules/d.det');
    expect(tests).toBeUndefined(); // the detection is left out
  });

  it('reports a line that is not JSON (DET4003) with its line number', () => {
    const abs = path.resolve('rules/e.ndjson');
    const { diagnostics } = withTests('  test "f" matches file "e.ndjson"', { [abs]: '{"a":1}\n{"a":\n{"a":1,}\n' });
    // in the events file, at the column where the line stops being JSON (here, its end)
    expect(diagnostics.map(inFile)).toEqual(['DET4003 rules/e.ndjson:2:6-2:6', 'DET4003 rules/e.ndjson:3:8-3:9']);
    expect(diagnostics[0]!.message).toMatch(/^`rules\/e\.ndjson` line 2 is not valid JSON: .* \(read by test "f" at rules\/d\.det:7:25\)$/);
  });

  it('checks a file read by several tests of a detection once: one diagnostic per bad line, naming every reader', () => {
    const abs = path.resolve('rules/e.ndjson');
    const tests = '  test "f" matches file "e.ndjson"\n  test "g" does not match file "e.ndjson"\n  test "h" matches { "a": 1 }';
    const bad = withTests(tests, { [abs]: '{"a":1}\n{"a":\n' });
    expect(bad.diagnostics.map(inFile)).toEqual(['DET4003 rules/e.ndjson:2:6-2:6']);
    expect(bad.diagnostics[0]!.message).toMatch(/\(read by tests "f" at rules\/d\.det:7:25, "g" at rules\/d\.det:8:32\)$/);
    expect(bad.diagnostics[0]!.origin).toMatchObject({ file: 'rules/d.det', start: { line: 7, column: 25 } });
    expect(bad.reads).toEqual([abs]);
    // A good file is read once too, and each test gets its events.
    const good = withTests(tests, { [abs]: '{"a":1}\n' });
    expect(good.diagnostics).toEqual([]);
    expect(good.reads).toEqual([abs]);
    expect(good.tests!.map((t) => [t.name, t.events])).toEqual([
      ['f', [{ a: 1 }]],
      ['g', [{ a: 1 }]],
      ['h', [{ a: 1 }]],
    ]);
    // A missing file is reported at each test's `file "…"`, where each can be fixed.
    expect(withTests(tests).diagnostics.map(at)).toEqual(['DET4002 7:25', 'DET4002 8:32']);
  });

  it('points at the column of a line that V8 reports without a position (`Unexpected token …`)', () => {
    const abs = path.resolve('rules/e.ndjson');
    const { diagnostics } = withTests('  test "f" matches file "e.ndjson"', { [abs]: '{"rule":"R","n":tru}\n' });
    expect(diagnostics[0]!.message).toMatch(/line 1 is not valid JSON: Unexpected token/);
    // at the `}` where the text stops being the literal `true`: the token V8's message names
    expect(diagnostics.map(inFile)).toEqual(['DET4003 rules/e.ndjson:1:20-1:21']);
    const nope = withTests('  test "f" matches file "e.ndjson"', { [abs]: 'nope\n' }).diagnostics;
    expect(nope[0]!.message).toMatch(/Unexpected token 'o'/);
    expect(nope.map(inFile)).toEqual(['DET4003 rules/e.ndjson:1:2-1:3']);
  });

  it('reports at most 5 bad lines of a file, then one DET4003 counting the rest', () => {
    const abs = path.resolve('rules/e.ndjson');
    const text = `${'x\n'.repeat(6)}[1]\n{"a":1}\n`;
    const { diagnostics } = withTests('  test "f" matches file "e.ndjson"', { [abs]: text });
    expect(diagnostics.map((d) => d.message.replace(/ is not valid JSON: .*/, ''))).toEqual([
      '`rules/e.ndjson` line 1',
      '`rules/e.ndjson` line 2',
      '`rules/e.ndjson` line 3',
      '`rules/e.ndjson` line 4',
      '`rules/e.ndjson` line 5',
      '`rules/e.ndjson`: … and 2 more invalid lines from here (7 in all; the first 5 are listed; read by test "f" at rules/d.det:7:25)',
    ]);
    expect(diagnostics.map((d) => d.span?.start.line)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reports a line nested deeper than 128 levels (DET4003), however deep, without a crash', () => {
    const abs = path.resolve('rules/e.ndjson');
    const nest = (n: number): string => `${'{"a":'.repeat(n - 1)}{"rule":"r"${'}'.repeat(n)}`;
    const text = `${nest(128)}\n${nest(129)}\n{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`;
    const { diagnostics } = withTests('  test "f" matches file "e.ndjson"', { [abs]: text });
    expect(diagnostics.map(inFile)).toEqual([`DET4003 rules/e.ndjson:2:1-2:${nest(129).length + 1}`, 'DET4003 rules/e.ndjson:3:1-3:200007']);
    expect(diagnostics.map((d) => d.message)).toEqual([
      '`rules/e.ndjson` line 2 nests arrays and objects deeper than 128 levels (read by test "f" at rules/d.det:7:25)',
      '`rules/e.ndjson` line 3 nests arrays and objects deeper than 128 levels (read by test "f" at rules/d.det:7:25)',
    ]);
    const ok = withTests('  test "f" matches file "e.ndjson"', { [abs]: `${nest(128)}\n` });
    expect(ok.diagnostics).toEqual([]);
  });

  it('reports an empty events file (DET4003)', () => {
    const abs = path.resolve('rules/e.ndjson');
    const { diagnostics } = withTests('  test "f" matches file "e.ndjson"', { [abs]: '\n\n' });
    expect(diagnostics.map(at)).toEqual(['DET4003 7:25']);
    expect(diagnostics[0]!.message).toBe('`rules/e.ndjson` holds no events');
  });

  it('reports events that are not objects (DET4004): file lines and array elements', () => {
    const abs = path.resolve('rules/e.ndjson');
    const file = withTests('  test "f" matches file "e.ndjson"', { [abs]: '{"a":1}\n[1]\n"x"\n' });
    expect(file.diagnostics.map(inFile)).toEqual(['DET4004 rules/e.ndjson:2:1-2:4', 'DET4004 rules/e.ndjson:3:1-3:4']);
    expect(file.diagnostics.map((d) => d.message)).toEqual([
      '`rules/e.ndjson` line 2 is an array, not a JSON object (read by test "f" at rules/d.det:7:25)',
      '`rules/e.ndjson` line 3 is a string, not a JSON object (read by test "f" at rules/d.det:7:25)',
    ]);
    const inline = withTests('  test "i" matches [ { "a": 1 }, 2, null ]');
    expect(inline.diagnostics.map(at)).toEqual(['DET4004 7:20', 'DET4004 7:20']);
    expect(inline.diagnostics[0]!.message).toBe('test "i": event 2 is a number, not a JSON object');
    expect(inline.diagnostics[1]!.message).toBe('test "i": event 3 is null, not a JSON object');
  });

  it('reports an empty events array (DET4004)', () => {
    const { diagnostics } = withTests('  test "e" does not match [ ]');
    expect(diagnostics.map(at)).toEqual(['DET4004 7:27']);
    expect(diagnostics[0]!.message).toBe('test "e" has no events');
  });

  it('reports two tests with one name (DET2008)', () => {
    const { diagnostics } = withTests('  test "t" matches { }\n  test "t" does not match { }');
    expect(diagnostics.map(at)).toEqual(['DET2008 8:8']);
    expect(diagnostics[0]!.message).toBe('test "t" is already defined at rules/d.det:7:8');
  });
});
