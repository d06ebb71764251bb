import { describe, expect, it } from 'vitest';
import { mergeSharedTargetDiagnostics } from '../../src/backends/merge-diagnostics.js';
import type { Diagnostic, Span } from '../../src/diagnostics/diagnostic.js';

const span = (offset: number): Span => ({ file: 'a.det', start: { offset, line: 1, column: offset + 1 }, end: { offset: offset + 3, line: 1, column: offset + 4 } });
const refusal = (target: string, offset = 5, reason = 'no word boundaries'): Diagnostic => ({
  code: 'DET5001',
  severity: 'error',
  message: `target ${target} cannot express \`x regex "\\\\b"\` exactly: ${reason}`,
  hint: 'rewrite it',
  span: span(offset),
});

describe('mergeSharedTargetDiagnostics', () => {
  it('merges refusals that differ only in the target named first, at the first one\'s place, names sorted', () => {
    const other: Diagnostic = { code: 'DET5101', severity: 'error', message: 'kql problem', span: span(1) };
    const out = mergeSharedTargetDiagnostics([refusal('lucene'), other, refusal('esdsl'), refusal('kibana')]);
    expect(out).toEqual([{ ...refusal('x'), message: 'targets esdsl, kibana and lucene cannot express `x regex "\\\\b"` exactly: no word boundaries' }, other]);
    expect(mergeSharedTargetDiagnostics([refusal('esdsl'), refusal('lucene')])[0]!.message).toMatch(/^targets esdsl and lucene cannot/);
  });

  it('merges limits written `target X: …` the same way', () => {
    const limit = (target: string): Diagnostic => ({ code: 'DET5003', severity: 'error', message: `target ${target}: the regular expression is 1100 characters long`, hint: 'shorten it', span: span(5) });
    expect(mergeSharedTargetDiagnostics([limit('esdsl'), limit('kibana'), limit('lucene')])).toEqual([
      { ...limit('x'), message: 'targets esdsl, kibana and lucene: the regular expression is 1100 characters long' },
    ]);
    // a refusal and a limit at one place stay apart
    expect(mergeSharedTargetDiagnostics([limit('esdsl'), { ...limit('kibana'), message: 'target kibana the regular expression is 1100 characters long' }])).toHaveLength(2);
  });

  it('keeps apart refusals at another place, for another reason, or alone', () => {
    const apart = [refusal('esdsl'), refusal('lucene', 9), refusal('kibana', 5, 'another reason')];
    expect(mergeSharedTargetDiagnostics(apart)).toEqual(apart);
    expect(mergeSharedTargetDiagnostics([refusal('esdsl'), refusal('esdsl')])).toEqual([refusal('esdsl')]);
  });
});
