import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { codeFrame } from '../../src/diagnostics/code-frame.js';
import { spanAt } from './helpers.js';

const text = 'line one\n  proc.nme == "nc"\nlast\n';

describe('codeFrame', () => {
  it('shows the line with a gutter and underlines the span with ^~~', () => {
    expect(codeFrame(text, spanAt('x.det', 2, 3, 11))).toEqual(['  2 |   proc.nme == "nc"', '    |   ^~~~~~~~']);
  });

  it('draws each frame from its own text and line when frames alternate between texts and lines (the last line is kept)', () => {
    const other = 'first\nsecond 😀 line\n';
    const frames = [
      codeFrame(text, spanAt('x.det', 2, 3, 11)),
      codeFrame(other, spanAt('y.det', 2, 10, 14)),
      codeFrame(text, spanAt('x.det', 3, 1, 5)),
      codeFrame(text, spanAt('x.det', 2, 15, 19)),
      codeFrame(other, spanAt('y.det', 1, 1, 6)),
    ];
    expect(frames).toEqual([
      ['  2 |   proc.nme == "nc"', '    |   ^~~~~~~~'],
      ['  2 | second 😀 line', '    |         ^~~~'],
      ['  3 | last', '    | ^~~~'],
      ['  2 |   proc.nme == "nc"', '    |               ^~~~'],
      ['  1 | first', '    | ^~~~~'],
    ]);
  });

  it('marks an empty span with a single caret', () => {
    expect(codeFrame(text, spanAt('x.det', 3, 5, 5))).toEqual(['  3 | last', '    |     ^']);
  });

  it('underlines to the end of the line when the span continues on later lines', () => {
    const span = { file: 'x.det', start: { offset: 0, line: 1, column: 6 }, end: { offset: 20, line: 2, column: 4 } };
    expect(codeFrame(text, span)[1]).toBe('    |      ^~~');
  });

  it('widens the gutter for multi-digit line numbers', () => {
    const many = Array.from({ length: 12 }, (_, i) => `l${i + 1}`).join('\n');
    expect(codeFrame(many, spanAt('x.det', 12, 1, 4))).toEqual(['  12 | l12', '     | ^~~']);
  });

  it('shows a tab as \\t and counts its width in the underline indentation', () => {
    expect(codeFrame('\tfoo bar', spanAt('x.det', 1, 6, 9))).toEqual(['  1 | \\tfoo bar', '    |       ^~~']);
  });

  it('escapes control characters, separators and bidi controls in the line and underlines their escapes', () => {
    const line = 'a "x\u0000\u0001\u001b[2J\u007f\u0085\u2028\u202e" b';
    const frame = codeFrame(line, spanAt('x.det', 1, 5, 13));
    expect(frame[0]).toBe('  1 | a "x\\u0000\\u0001\\u001b[2J\\u007f\\u0085\\u2028\\u202e" b');
    expect(frame.join('\n')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
    expect(frame[1]).toBe(`    |     ^${'~'.repeat(6 * 5 + 3 - 1)}`);
  });

  it('counts astral characters as one column', () => {
    // '😀' is two UTF-16 units: columns are UTF-16 based, the underline is per code point.
    expect(codeFrame('"😀" x', spanAt('x.det', 1, 6, 7))[1]).toBe('    |     ^');
  });

  it('handles CRLF line ends', () => {
    expect(codeFrame('a\r\nbcd\r\n', spanAt('x.det', 2, 2, 4))).toEqual(['  2 | bcd', '    |  ^~']);
  });

  it('returns nothing for a line that is not in the text', () => {
    expect(codeFrame('one line', spanAt('x.det', 5, 1, 2))).toEqual([]);
  });

  it('shows a window of very long lines around the span', () => {
    const long = 'a'.repeat(500) + 'NEEDLE' + 'b'.repeat(500);
    const [line, under] = codeFrame(long, spanAt('x.det', 1, 501, 507));
    expect(line!.length).toBeLessThan(200);
    expect(line).toContain('…');
    const caret = under!.indexOf('^');
    expect(line!.slice(caret, caret + 6)).toBe('NEEDLE');
    expect(under!.slice(caret)).toBe('^~~~~~');
  });

  it('colours the underline red for errors and yellow for warnings', () => {
    const c = new Chalk({ level: 1 });
    expect(codeFrame(text, spanAt('x.det', 3, 1, 2), { chalk: c, severity: 'error' })[1]).toContain('\u001b[31m^');
    expect(codeFrame(text, spanAt('x.det', 3, 1, 2), { chalk: c, severity: 'warning' })[1]).toContain('\u001b[33m^');
  });
});
