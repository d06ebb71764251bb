/** Small builders for formatter tests. */
import { Chalk } from 'chalk';
import type { Diagnostic, Span } from '../../src/diagnostics/diagnostic.js';
import type { FormatContext } from '../../src/diagnostics/format-shared.js';

/** A span on one line of `file`, columns 1-based, end exclusive. */
export function spanAt(file: string, line: number, column: number, endColumn: number, offset = 0): Span {
  return {
    file,
    start: { offset, line, column },
    end: { offset: offset + (endColumn - column), line, column: endColumn },
  };
}

export function diag(partial: Partial<Diagnostic> & Pick<Diagnostic, 'code' | 'message'>): Diagnostic {
  return { severity: 'error', ...partial };
}

export const plain: FormatContext = { cwd: '/work/project', chalk: new Chalk({ level: 0 }) };
export const coloured: FormatContext = { cwd: '/work/project', chalk: new Chalk({ level: 1 }) };
