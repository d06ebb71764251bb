import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, formatDiagnosticGithub, formatGithub } from '../../src/diagnostics/format-github.js';
import { diag, plain, spanAt } from './helpers.js';

describe('GitHub Actions escaping', () => {
  it('escapes %, CR and LF in the message', () => {
    expect(escapeData('100% a\r\nb: c, d')).toBe('100%25 a%0D%0Ab: c, d');
  });

  it('also escapes : and , in properties', () => {
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });
});

describe('formatGithub', () => {
  it('puts the details between the message and the hint, one line each', () => {
    const d = diag({ code: 'DET4001', message: 'test failed', details: ['event 1: x', 'event 2:\ny'], hint: 'fix it' });
    expect(formatDiagnosticGithub(d, plain.cwd)).toBe('::error title=DET4001::test failed%0A· event 1: x%0A· event 2:\\ny%0Ahint: fix it');
  });

  it('prints an ::error command with file, line, col, endLine, endColumn and title', () => {
    const d = diag({ code: 'DET3003', message: "unknown field 'proc.nme'", span: spanAt('/work/project/detections/a,b.det', 2, 14, 22), hint: 'did you mean: proc.name' });
    expect(formatDiagnosticGithub(d, plain.cwd)).toBe(
      "::error file=detections/a%2Cb.det,line=2,col=14,endLine=2,endColumn=22,title=DET3003::unknown field 'proc.nme'%0Ahint: did you mean: proc.name",
    );
  });

  it('shows controls, separators and bidi characters of the message, hint, note and file name escaped', () => {
    const d = diag({
      code: 'DET3003',
      message: 'unknown field `a\u001b[2Jb\u2028c`',
      span: spanAt('/work/project/x\u202ey.det', 1, 1, 2),
      hint: 'did you mean `a\u0085`?',
    });
    expect(formatDiagnosticGithub(d, plain.cwd)).toBe(
      '::error file=x\\u202ey.det,line=1,col=1,endLine=1,endColumn=2,title=DET3003::unknown field `a\\u001b[2Jb\\u2028c`%0Ahint: did you mean `a\\u0085`?',
    );
    const out = formatGithub({ sources: new Map(), diagnostics: [], notes: ['a\u2029b'] }, plain);
    expect(out).toBe('::notice::a\\u2029b\n0 errors, 0 warnings\n');
  });

  it('uses ::warning for warnings and omits location properties without a span', () => {
    expect(formatDiagnosticGithub(diag({ code: 'DET3014', severity: 'warning', message: 'no tests' }), plain.cwd)).toBe('::warning title=DET3014::no tests');
  });

  it('ends with the summary line; notes become ::notice', () => {
    const out = formatGithub({ sources: new Map(), diagnostics: [diag({ code: 'DET1', message: 'x' })], notes: ['skipped: kql'] }, plain);
    expect(out).toBe('::error title=DET1::x\n::notice::skipped: kql\n1 error, 0 warnings\n');
  });

  it('closes a test report with `N passed, N failed`', () => {
    const out = formatGithub(
      { sources: new Map(), diagnostics: [], tests: [{ detection: 'd', test: 't', expect: 'match', passed: true, alerts: 1, span: spanAt('/work/project/a.det', 1, 1, 2) }] },
      plain,
    );
    expect(out.split('\n').at(-2)).toBe('1 passed, 0 failed');
  });

  it('escapes line breaks and other controls in test names, so a name cannot start a workflow command', () => {
    const test = 'a\n::warning file=x.det,line=1::forged\u001b';
    const out = formatGithub(
      { sources: new Map(), diagnostics: [], tests: [{ detection: 'd', test, expect: 'match', passed: true, alerts: 1, span: spanAt('/work/project/a.det', 1, 1, 2) }] },
      plain,
    );
    expect(out).toBe('✓ d › a\\n::warning file=x.det,line=1::forged\\u001b\n1 passed, 0 failed\n');
  });
});
