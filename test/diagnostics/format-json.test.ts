import { describe, expect, it } from 'vitest';
import { formatJson } from '../../src/diagnostics/format-json.js';
import { diag, plain, spanAt } from './helpers.js';

describe('formatJson', () => {
  it('prints one JSON document with every key of every diagnostic and a summary', () => {
    const out = formatJson(
      {
        sources: new Map(),
        diagnostics: [
          diag({ code: 'DET3003', message: 'unknown field', span: spanAt('/work/project/d/a.det', 3, 5, 13), hint: 'did you mean' }),
          diag({ code: 'DET3014', severity: 'warning', message: 'no tests' }),
          diag({ code: 'DET4001', message: 'test failed', details: ['event 1: `proc.name == "nc"` does not hold: proc.name is "ncat"'] }),
        ],
      },
      plain,
    );
    expect(out.endsWith('}\n')).toBe(true);
    expect(JSON.parse(out)).toEqual({
      diagnostics: [
        { code: 'DET3003', severity: 'error', message: 'unknown field', file: 'd/a.det', line: 3, column: 5, endLine: 3, endColumn: 13, hint: 'did you mean', details: [] },
        { code: 'DET3014', severity: 'warning', message: 'no tests', file: null, line: null, column: null, endLine: null, endColumn: null, hint: null, details: [] },
        { code: 'DET4001', severity: 'error', message: 'test failed', file: null, line: null, column: null, endLine: null, endColumn: null, hint: null, details: ['event 1: `proc.name == "nc"` does not hold: proc.name is "ncat"'] },
      ],
      summary: { errors: 2, warnings: 1 },
    });
  });

  it('adds tests, passed/failed, notes and output when the report has them', () => {
    const doc = JSON.parse(
      formatJson(
        {
          sources: new Map(),
          diagnostics: [],
          notes: ['n'],
          output: { dir: '/work/project/generated', written: 1, removed: 0 },
          tests: [{ detection: 'd', test: 't', expect: 'no-match', passed: false, alerts: 2, span: spanAt('/work/project/a.det', 4, 3, 9) }],
        },
        plain,
      ),
    );
    expect(doc.tests).toEqual([{ detection: 'd', test: 't', expect: 'no-match', passed: false, alerts: 2, file: 'a.det', line: 4, column: 3 }]);
    expect(doc.summary).toEqual({ errors: 0, warnings: 0, passed: 0, failed: 1 });
    expect(doc.notes).toEqual(['n']);
    expect(doc.output).toEqual({ dir: 'generated', written: 1, removed: 0 });
  });
});
