import { describe, expect, it } from 'vitest';
import { formatText } from '../../src/diagnostics/format-text.js';
import type { Report } from '../../src/diagnostics/format-shared.js';
import { coloured, diag, plain, spanAt } from './helpers.js';

const file = '/work/project/detections/a.det';
const sources = new Map([[file, 'detection a {\n  condition: proc.nme == "nc"\n}\n']]);

describe('formatText', () => {
  it('prints file:line:col, severity, code, message, code frame and hint, then the summary', () => {
    const report: Report = {
      sources,
      diagnostics: [
        diag({ code: 'DET3003', message: "unknown field 'proc.nme'", span: spanAt(file, 2, 14, 22), hint: "did you mean 'proc.name'?" }),
      ],
    };
    expect(formatText(report, plain)).toBe(
      [
        "detections/a.det:2:14: error DET3003: unknown field 'proc.nme'",
        '  2 |   condition: proc.nme == "nc"',
        '    |              ^~~~~~~~',
        "  hint: did you mean 'proc.name'?",
        '',
        '1 error, 0 warnings',
        '',
      ].join('\n'),
    );
  });

  it('prints the details, one line each with line breaks escaped, between the code frame and the hint', () => {
    const report: Report = {
      sources,
      diagnostics: [
        diag({ code: 'DET4001', message: 'test failed', span: spanAt(file, 2, 14, 22), details: ['event 1: `proc.nme == "nc"` does not hold: proc.nme is "ncat"', 'event 2: a\nb'], hint: 'fix it' }),
      ],
    };
    expect(formatText(report, plain).split('\n').slice(0, 6)).toEqual([
      'detections/a.det:2:14: error DET4001: test failed',
      '  2 |   condition: proc.nme == "nc"',
      '    |              ^~~~~~~~',
      '  · event 1: `proc.nme == "nc"` does not hold: proc.nme is "ncat"',
      '  · event 2: a\\nb',
      '  hint: fix it',
    ]);
  });

  it('prints diagnostics without a span or without known source text without a frame', () => {
    const report: Report = {
      sources: new Map(),
      diagnostics: [
        diag({ code: 'DET6001', message: "input path 'nope' not found", hint: 'give .det files' }),
        diag({ code: 'DET3014', severity: 'warning', message: 'no tests', span: spanAt('/elsewhere/b.det', 1, 1, 2) }),
      ],
    };
    expect(formatText(report, plain).split('\n')).toEqual([
      "error DET6001: input path 'nope' not found",
      '  hint: give .det files',
      '',
      '../../elsewhere/b.det:1:1: warning DET3014: no tests',
      '',
      '1 error, 1 warning',
      '',
    ]);
  });

  it('pluralises the summary', () => {
    expect(formatText({ sources, diagnostics: [] }, plain)).toBe('0 errors, 0 warnings\n');
    const two = [diag({ code: 'DET1', message: 'a' }), diag({ code: 'DET2', message: 'b' })];
    expect(formatText({ sources, diagnostics: two }, plain).endsWith('2 errors, 0 warnings\n')).toBe(true);
  });

  it('prints notes before the summary', () => {
    expect(formatText({ sources, diagnostics: [], notes: ['targets not available yet'] }, plain)).toBe(
      'note: targets not available yet\n0 errors, 0 warnings\n',
    );
  });

  it('prints a hint on one line, a line break in it escaped', () => {
    const out = formatText({ sources, diagnostics: [diag({ code: 'DET1', message: 'm', hint: 'first\nsecond' })] }, plain);
    expect(out).toContain('  hint: first\\nsecond\n');
  });

  it('prints one line per test case and closes with exactly `N passed, N failed`', () => {
    const t = (test: string, passed: boolean) => ({ detection: 'nc_rce', test, expect: 'match' as const, passed, alerts: passed ? 1 : 0, span: spanAt(file, 2, 3, 4) });
    const out = formatText({ sources, diagnostics: [], tests: [t('spawns a shell', true), t('benign', false)] }, coloured);
    const lines = out.split('\n');
    expect(lines[0]).toContain('✓');
    expect(lines[0]).toContain('nc_rce › spawns a shell');
    expect(lines[1]).toContain('✗');
    expect(lines.at(-2)).toBe('1 passed, 1 failed');
    expect(out.endsWith('\n')).toBe(true);
  });

  it('uses colour only when the chalk instance has a level', () => {
    const report: Report = { sources, diagnostics: [diag({ code: 'DET1', message: 'm', span: spanAt(file, 1, 1, 2) })] };
    expect(formatText(report, coloured)).toContain('\u001b[');
    expect(formatText(report, plain)).not.toContain('\u001b[');
  });

  it('escapes control characters, line separators and bidi controls in test names, messages, hints and notes', () => {
    const name = 'a\n::warning file=x.det,line=1::forged\u0000\u0001\u001b[31m\u2028\u202e';
    const shown = 'a\\n::warning file=x.det,line=1::forged\\u0000\\u0001\\u001b[31m\\u2028\\u202e';
    const t = { detection: 'd', test: name, expect: 'match' as const, passed: false, alerts: 0, span: spanAt(file, 1, 1, 2) };
    const out = formatText(
      { sources, diagnostics: [diag({ code: 'DET4001', message: `test "${name}" failed`, hint: `first\nsecond ${name}` })], tests: [t], notes: [name] },
      plain,
    );
    expect(out.split('\n')).toEqual([
      `✗ d › ${shown}`,
      '',
      `error DET4001: test "${shown}" failed`,
      `  hint: first\\nsecond ${shown}`,
      '',
      `note: ${shown}`,
      '0 passed, 1 failed',
      '',
    ]);
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  });
});
